#include "modules/plan/service.h"

#include "core/utf8.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "modules/plan/plan_file.h"
#include "security/vault.h"

namespace psea::plan {

namespace fs = std::filesystem;

namespace {
std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

security::AuditEvent Event(const security::Principal& actor, std::string action,
                           std::string object_type, std::string object_id,
                           const std::string& request_id, std::string details = "{}") {
  security::AuditEvent event;
  event.actor_user_id = actor.user_id;
  event.actor = actor.username;
  event.action = std::move(action);
  event.object_type = std::move(object_type);
  event.object_id = std::move(object_id);
  event.request_id = request_id;
  event.details = std::move(details);
  return event;
}

// plan.activities_on_track_pct from its counts: one decimal, 0 for no activity.
double OnTrackPercent(std::int64_t on_track, std::int64_t total) {
  if (total == 0) return 0.0;
  return std::round(1000.0 * static_cast<double>(on_track) / static_cast<double>(total)) / 10.0;
}

std::vector<std::int64_t> RecurringActivityIds(const Plan& plan) {
  std::vector<std::int64_t> ids;
  for (const auto& pillar : plan.pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& activity : goal.activities) {
        if (IsRecurring(activity.frequency)) ids.push_back(activity.id);
      }
    }
  }
  return ids;
}

bool ValidDecimal(const std::string& text) {
  if (text.empty() || text.size() > 32) return false;
  std::size_t used = 0;
  try {
    const double value = std::stod(text, &used);
    return used == text.size() && std::isfinite(value);
  } catch (...) {
    return false;
  }
}

Status InvalidPillar() {
  return InvalidArgument("pillar must be one of prevention, enforcement, remedial_action",
                         "pillar");
}
}  // namespace

ActivityStatus GoalStatus(const std::vector<ActivityStatus>& statuses) {
  auto has = [&](ActivityStatus s) {
    return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
  };
  if (has(ActivityStatus::kDelayed)) return ActivityStatus::kDelayed;
  if (has(ActivityStatus::kAtRisk)) return ActivityStatus::kAtRisk;
  const bool all_done =
      !statuses.empty() && std::all_of(statuses.begin(), statuses.end(), [](ActivityStatus s) {
        return s == ActivityStatus::kCompleted || s == ActivityStatus::kCancelled;
      });
  if (all_done) return ActivityStatus::kCompleted;
  if (has(ActivityStatus::kOnTrack) || has(ActivityStatus::kContinuous) ||
      has(ActivityStatus::kCompleted)) {
    return ActivityStatus::kOnTrack;
  }
  return ActivityStatus::kNotStarted;
}

PlanService::PlanService(storage::Database& database, const Clock& clock,
                         const security::AuditLog& audit, units::UnitsService& units,
                         IndicatorRegistry& indicators, security::SecretBytes server_key,
                         std::string evidence_dir)
    : database_(database),
      clock_(clock),
      audit_(audit),
      units_(units),
      indicators_(indicators),
      server_key_(std::move(server_key)),
      evidence_dir_(std::move(evidence_dir)) {
  RegisterOwnIndicators();
}

std::string PlanService::Today() const { return FormatIso8601(clock_.Now()).substr(0, 10); }

void PlanService::RegisterOwnIndicators() {
  if (indicators_.Find("plan.activities_on_track_pct")) return;
  PlanStore* store = &store_;
  indicators_.Register(
      {"plan.activities_on_track_pct",
       "Share of the plan's activities (not cancelled) that are on track, continuous or completed",
       "%", "100", [](storage::Connection& c, const IndicatorPeriod& period) -> Result<double> {
         ASSIGN_OR_RETURN(
             auto row,
             c.QueryOne("SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN status IN "
                        "('on_track', 'continuous', 'completed') THEN 1 ELSE 0 END), 0) "
                        "AS BIGINT) "
                        "FROM plan_activities WHERE plan_id = ? AND status <> 'cancelled'",
                        {period.plan_id}));
         return OnTrackPercent(row->Int(1), row->Int(0));
       }});
  indicators_.Register(
      {"plan.overdue_recurring_duties",
       "Occurrences of recurring duties that ended in the period without an entry", "count", "0",
       [store](storage::Connection& c, const IndicatorPeriod& period) -> Result<double> {
         ASSIGN_OR_RETURN(auto rows,
                          c.Query("SELECT id, frequency FROM plan_activities WHERE "
                                  "plan_id = ? AND frequency NOT IN ('none', 'per_event') "
                                  "AND status <> 'cancelled'",
                                  {period.plan_id}));
         std::vector<std::int64_t> ids;
         for (const auto& row : rows.rows) ids.push_back(row.Int(0));
         ASSIGN_OR_RETURN(auto dated, store->DatedEntries(c, ids, period.from, period.to));
         double overdue = 0;
         for (const auto& row : rows.rows) {
           const auto frequency = ParseFrequency(row.Text(1)).value_or(Frequency::kNone);
           overdue += CountOccurrenceStates(frequency, period.from, period.to, dated[row.Int(0)],
                                            period.today)
                          .overdue;
         }
         return overdue;
       }});
}

Result<std::map<std::int64_t, UnitRef>> PlanService::UnitNames() {
  ASSIGN_OR_RETURN(auto list, units_.List());
  std::map<std::int64_t, UnitRef> names;
  for (const auto& unit : list) names[unit.id] = UnitRef{unit.id, unit.code, unit.name};
  return names;
}

Result<PlanSummary> PlanService::Import(const security::Principal& actor,
                                        std::string_view yaml_text, const std::string& request_id) {
  ASSIGN_OR_RETURN(PlanDocument doc, ParsePlanFile(yaml_text));
  return ImportDocument(actor, doc, request_id);
}

Status PlanService::BulkInsertEntries(const security::Principal& actor,
                                      const std::vector<std::pair<Activity, NewEntry>>& entries) {
  return database_.WriteTransaction([&](storage::Connection& c) -> Status {
    RETURN_IF_ERROR(
        store_.InsertEntryRows(c, entries, actor.user_id, actor.username, clock_.Now()));
    return audit_.Append(c, Event(actor, "plan.entry.generate", "plan", "", "",
                                  "{\"entries\":" + std::to_string(entries.size()) + "}"));
  });
}

Status PlanService::FollowLatestEntries(std::int64_t plan_id) {
  return database_.WriteTransaction([&](storage::Connection& c) -> Status {
    return store_.FollowLatestEntries(c, plan_id, clock_.Now());
  });
}

Result<PlanSummary> PlanService::ImportDocument(const security::Principal& actor,
                                                const PlanDocument& doc,
                                                const std::string& request_id) {
  ASSIGN_OR_RETURN(auto unit_list, units_.List());
  // Match every goal's partners before writing anything.
  std::vector<std::vector<units::UnitMatch>> matches;
  std::vector<std::string> unmatched;
  std::set<std::string> unmatched_seen;
  for (const auto& pillar : doc.pillars) {
    std::vector<units::UnitMatch> pillar_matches;
    for (const auto& goal : pillar.goals) {
      auto match = units::UnitsService::MatchAgainst(unit_list, goal.partners);
      for (const auto& name : match.unmatched) {
        if (unmatched_seen.insert(name).second) unmatched.push_back(name);
      }
      pillar_matches.push_back(std::move(match));
    }
    matches.push_back(std::move(pillar_matches));
  }
  const UnixMillis now = clock_.Now();
  ASSIGN_OR_RETURN(
      std::int64_t plan_id,
      database_.Write<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        ASSIGN_OR_RETURN(int version_number, store_.NextVersionNumber(c, doc.key));
        ASSIGN_OR_RETURN(auto id,
                         store_.InsertPlan(c, doc, version_number, actor.username, now, unmatched));
        int position = 0;
        for (std::size_t p = 0; p < doc.pillars.size(); ++p) {
          const auto& pillar = doc.pillars[p];
          ASSIGN_OR_RETURN(auto pillar_id, store_.InsertPillar(c, id, pillar, static_cast<int>(p)));
          for (std::size_t g = 0; g < pillar.goals.size(); ++g) {
            const auto& goal = pillar.goals[g];
            ASSIGN_OR_RETURN(auto goal_id, store_.InsertGoal(c, id, pillar_id, goal, position++));
            // The partner cell names the leading partner first; the others
            // implement. The CDT can change both on each activity.
            const auto& unit_ids = matches[p][g].unit_ids;
            std::vector<std::int64_t> lead, support;
            if (!unit_ids.empty()) lead.push_back(unit_ids.front());
            if (unit_ids.size() > 1) support.assign(unit_ids.begin() + 1, unit_ids.end());
            for (std::size_t a = 0; a < goal.activities.size(); ++a) {
              const auto& activity = goal.activities[a];
              ASSIGN_OR_RETURN(
                  auto activity_id,
                  store_.InsertActivity(c, id, goal_id, activity,
                                        activity.frequency.value_or(InferFrequency(activity.text)),
                                        position++, now));
              RETURN_IF_ERROR(store_.SetActivityUnits(c, activity_id, lead, support));
            }
            for (std::size_t r = 0; r < goal.expected_results.size(); ++r) {
              RETURN_IF_ERROR(
                  store_.InsertResult(c, id, goal_id, goal.expected_results[r], position++));
            }
          }
        }
        RETURN_IF_ERROR(audit_.Append(
            c, Event(actor, "plan.import", "plan", std::to_string(id), request_id,
                     "{\"key\":" + Quote(doc.key) + ",\"version\":" + Quote(doc.version) +
                         ",\"unmatched_partners\":" + std::to_string(unmatched.size()) + "}")));
        return id;
      }));
  return Summary(plan_id);
}

Result<std::vector<PlanSummary>> PlanService::List() {
  return database_.Read<std::vector<PlanSummary>>(
      [&](storage::Connection& c) { return store_.ListPlans(c); });
}

Result<PlanSummary> PlanService::Summary(std::int64_t plan_id) {
  ASSIGN_OR_RETURN(auto summary,
                   database_.Read<std::optional<PlanSummary>>(
                       [&](storage::Connection& c) { return store_.GetSummary(c, plan_id); }));
  if (!summary) return NotFound("no such plan");
  return std::move(*summary);
}

template <typename Value, typename Key>
Result<std::shared_ptr<const Value>> PlanService::Cached(
    RevisionCache<Key, Value>& cache, std::int64_t plan_id, const Key& key,
    const std::function<Result<Value>(storage::Connection&)>& compute) {
  std::shared_ptr<const Value> value;
  RETURN_IF_ERROR(database_.ReadTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto revision, store_.Revision(c, plan_id));
    if (!revision) return NotFound("no such plan");
    value = cache.Find(key, *revision);
    if (value) return Status::Ok();
    ASSIGN_OR_RETURN(Value computed, compute(c));
    auto shared = std::make_shared<const Value>(std::move(computed));
    cache.Store(key, *revision, shared);
    value = std::move(shared);
    return Status::Ok();
  }));
  return value;
}

Result<MatrixView> PlanService::MatrixOf(std::int64_t plan_id, std::optional<int> year) {
  const MatrixKey key{plan_id, year, Today()};
  ASSIGN_OR_RETURN(auto body,
                   Cached<PlanMatrix>(matrix_cache_, plan_id, key, [&](storage::Connection& c) {
                     return ComputeMatrix(c, plan_id, year, key.today);
                   }));
  ASSIGN_OR_RETURN(auto units, UnitNames());
  return MatrixView{std::move(body), std::move(units)};
}

Result<PlanMatrix> PlanService::Matrix(std::int64_t plan_id, std::optional<int> year,
                                       const std::optional<std::string>& pillar) {
  if (pillar && !IsPillarKey(*pillar)) return InvalidPillar();
  ASSIGN_OR_RETURN(auto view, MatrixOf(plan_id, year));
  PlanMatrix matrix = *view.body;
  matrix.units = std::move(view.units);
  if (pillar) matrix.plan = FilterByPillar(matrix.plan, *pillar);
  return matrix;
}

Plan FilterByPillar(const Plan& plan, std::string_view pillar) {
  Plan filtered = plan;
  filtered.pillars.clear();
  for (const auto& source_pillar : plan.pillars) {
    Pillar kept = source_pillar;
    kept.goals.clear();
    for (const auto& source_goal : source_pillar.goals) {
      Goal goal = source_goal;
      std::erase_if(goal.activities, [&](const Activity& activity) {
        return !ServesPillar(activity, source_pillar.key, pillar);
      });
      if (!goal.activities.empty()) kept.goals.push_back(std::move(goal));
    }
    if (!kept.goals.empty()) filtered.pillars.push_back(std::move(kept));
  }
  return filtered;
}

Result<PlanMatrix> PlanService::ComputeMatrix(storage::Connection& c, std::int64_t plan_id,
                                              std::optional<int> year, const std::string& today) {
  PlanMatrix matrix;
  ASSIGN_OR_RETURN(auto plan, store_.LoadPlan(c, plan_id));
  if (!plan) return NotFound("no such plan");
  matrix.plan = std::move(*plan);
  const PlanSummary& summary = matrix.plan.summary;
  const int first_year = YearOf(summary.period_start);
  const int last_year = YearOf(summary.period_end);
  const int chosen = year.value_or(first_year);
  if (chosen < first_year || chosen > last_year) {
    return InvalidArgument("year must be within the plan's period (" + std::to_string(first_year) +
                               "-" + std::to_string(last_year) + ")",
                           "year");
  }
  matrix.from = MakeMonth(chosen, 1);
  matrix.to = MakeMonth(chosen, 12);
  ASSIGN_OR_RETURN(matrix.month_statuses, store_.MonthStatuses(c, plan_id, matrix.from, matrix.to));
  ASSIGN_OR_RETURN(auto dated, store_.DatedEntries(c, RecurringActivityIds(matrix.plan),
                                                   summary.period_start, summary.period_end));
  for (const auto& pillar : matrix.plan.pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& activity : goal.activities) {
        if (!IsRecurring(activity.frequency)) continue;
        matrix.occurrences[activity.id] =
            CountOccurrenceStates(activity.frequency, summary.period_start, summary.period_end,
                                  dated[activity.id], today);
      }
    }
  }
  return matrix;
}

Result<std::vector<PlanSummary>> PlanService::Versions(std::int64_t plan_id) {
  ASSIGN_OR_RETURN(PlanSummary summary, Summary(plan_id));
  ASSIGN_OR_RETURN(auto all, List());
  std::vector<PlanSummary> versions;
  for (auto& plan : all) {
    if (plan.key == summary.key) versions.push_back(std::move(plan));
  }
  return versions;
}

Result<std::vector<PlanChange>> PlanService::Diff(std::int64_t plan_id, std::int64_t other_id) {
  using PlanPair = std::pair<Plan, Plan>;
  ASSIGN_OR_RETURN(auto pair,
                   database_.Read<PlanPair>([&](storage::Connection& c) -> Result<PlanPair> {
                     ASSIGN_OR_RETURN(auto before, store_.LoadPlan(c, other_id));
                     ASSIGN_OR_RETURN(auto after, store_.LoadPlan(c, plan_id));
                     if (!before || !after) return NotFound("no such plan");
                     return std::make_pair(std::move(*before), std::move(*after));
                   }));
  const Plan& before = pair.first;
  const Plan& after = pair.second;
  if (before.summary.key != after.summary.key) {
    return Unprocessable("the two plans are not versions of the same plan", "against");
  }
  // Flatten both into path -> (field -> text) and compare.
  using Fields = std::map<std::string, std::string>;
  auto flatten = [](const Plan& plan) {
    std::map<std::string, Fields> items;
    items["plan"] = {
        {"title", plan.summary.title}, {"context", plan.context}, {"purpose", plan.purpose}};
    for (const auto& pillar : plan.pillars) {
      items[pillar.key] = {{"title", pillar.title}, {"objective", pillar.objective}};
      for (const auto& goal : pillar.goals) {
        const std::string goal_path = pillar.key + "/" + std::to_string(goal.number);
        std::string references;
        for (const auto& reference : goal.references) references += reference + "\n";
        items[goal_path] = {{"title", goal.title},
                            {"references", references},
                            {"partners", goal.partners},
                            {"status", goal.status_text},
                            {"follow_up", goal.follow_up}};
        for (const auto& activity : goal.activities) {
          items[goal_path + "/" + activity.letter] = {{"text", activity.text},
                                                      {"second_pillar", activity.second_pillar}};
        }
        // Results under a path of their own: numerals (i, v, x) are also activity letters.
        for (const auto& result : goal.results) {
          items[goal_path + "/results/" + result.numeral] = {{"text", result.text}};
        }
      }
    }
    return items;
  };
  // What names an added or removed item: its title, or the text of an activity or result.
  auto label = [](const Fields& fields) {
    auto found = fields.find("title");
    if (found == fields.end()) found = fields.find("text");
    return found == fields.end() ? std::string() : found->second;
  };
  const auto old_items = flatten(before);
  const auto new_items = flatten(after);
  std::vector<PlanChange> changes;
  for (const auto& [path, fields] : old_items) {
    auto found = new_items.find(path);
    if (found == new_items.end()) {
      changes.push_back({"removed", path, "", label(fields), ""});
      continue;
    }
    for (const auto& [field, text] : fields) {
      auto other = found->second.find(field);
      const std::string now = other == found->second.end() ? "" : other->second;
      if (now != text) changes.push_back({"changed", path, field, text, now});
    }
  }
  for (const auto& [path, fields] : new_items) {
    if (!old_items.count(path)) changes.push_back({"added", path, "", "", label(fields)});
  }
  return changes;
}

Result<ActivityDetail> PlanService::GetActivity(std::int64_t activity_id) {
  ActivityDetail detail;
  const std::string today = Today();
  RETURN_IF_ERROR(database_.ReadTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto activity, store_.GetActivity(c, activity_id));
    if (!activity) return NotFound("no such activity");
    detail.activity = std::move(*activity);
    ASSIGN_OR_RETURN(auto plan, store_.GetSummary(c, detail.activity.plan_id));
    detail.plan = std::move(*plan);
    ASSIGN_OR_RETURN(auto goal,
                     c.QueryOne("SELECT g.id, g.number, g.title, p.pillar_key, p.title FROM "
                                "plan_goals g JOIN plan_pillars p ON p.id = g.pillar_id "
                                "WHERE g.id = ?",
                                {detail.activity.goal_id}));
    detail.goal_id = goal->Int(0);
    detail.goal_number = static_cast<int>(goal->Int(1));
    detail.goal_title = goal->Text(2);
    detail.pillar_key = goal->Text(3);
    detail.pillar_title = goal->Text(4);
    ASSIGN_OR_RETURN(detail.entries, store_.ListEntries(c, activity_id));
    if (IsRecurring(detail.activity.frequency)) {
      ASSIGN_OR_RETURN(auto dated, store_.DatedEntriesOf(c, activity_id));
      detail.occurrences = GenerateOccurrences(detail.activity.frequency, detail.plan.period_start,
                                               detail.plan.period_end, dated[activity_id], today);
    }
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(detail.units, UnitNames());
  return detail;
}

Result<Activity> PlanService::UpdateActivity(const security::Principal& actor,
                                             std::int64_t activity_id, const ActivityPatch& patch,
                                             const std::string& request_id) {
  ASSIGN_OR_RETURN(auto names, UnitNames());
  auto check_units = [&](const std::optional<std::vector<std::int64_t>>& ids,
                         const char* field) -> Status {
    if (!ids) return Status::Ok();
    for (std::int64_t id : *ids) {
      if (!names.count(id)) return Unprocessable("no unit with id " + std::to_string(id), field);
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(check_units(patch.lead_unit_ids, "lead_unit_ids"));
  RETURN_IF_ERROR(check_units(patch.support_unit_ids, "support_unit_ids"));
  if (patch.target_months) {
    std::set<int> seen;
    for (int month : *patch.target_months) {
      if (month < 1 || month > 12 || !seen.insert(month).second) {
        return InvalidArgument("target_months must hold distinct months 1-12", "target_months");
      }
    }
  }
  RETURN_IF_ERROR(database_.WriteTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.GetActivity(c, activity_id));
    if (!found) return NotFound("no such activity");
    Activity activity = std::move(*found);
    std::vector<std::string> fields;
    if (patch.status) {
      activity.status = *patch.status;
      fields.push_back("\"status\"");
    }
    if (patch.frequency) {
      activity.frequency = *patch.frequency;
      fields.push_back("\"frequency\"");
    }
    if (patch.target_months) {
      activity.target_months = *patch.target_months;
      std::sort(activity.target_months.begin(), activity.target_months.end());
      fields.push_back("\"target_months\"");
    }
    RETURN_IF_ERROR(store_.UpdateActivity(c, activity, clock_.Now()));
    if (patch.lead_unit_ids || patch.support_unit_ids) {
      RETURN_IF_ERROR(store_.SetActivityUnits(
          c, activity_id, patch.lead_unit_ids.value_or(activity.lead_unit_ids),
          patch.support_unit_ids.value_or(activity.support_unit_ids)));
      fields.push_back("\"units\"");
    }
    std::string list;
    for (const auto& field : fields) list += (list.empty() ? "" : ",") + field;
    return audit_.Append(
        c, Event(actor, "plan.activity.update", "activity", std::to_string(activity_id), request_id,
                 "{\"fields\":[" + list + "]}"));
  }));
  ASSIGN_OR_RETURN(auto detail, GetActivity(activity_id));
  return detail.activity;
}

Result<std::vector<Entry>> PlanService::ListEntries(std::int64_t activity_id) {
  return database_.Read<std::vector<Entry>>(
      [&](storage::Connection& c) -> Result<std::vector<Entry>> {
        ASSIGN_OR_RETURN(auto activity, store_.GetActivity(c, activity_id));
        if (!activity) return NotFound("no such activity");
        return store_.ListEntries(c, activity_id);
      });
}

Status PlanService::CheckEntryRights(const security::Principal& actor, const Activity& activity,
                                     const std::vector<std::int64_t>& actor_units) {
  RETURN_IF_ERROR(security::Authorize(actor, security::Permission::kPlanEntry));
  // The CDT coordinates the whole plan; everyone else records progress only where one of
  // their units leads or supports.
  if (actor.role == security::Role::kCdtChief || actor.role == security::Role::kCdtOfficer) {
    return Status::Ok();
  }
  for (std::int64_t unit : actor_units) {
    if (std::count(activity.lead_unit_ids.begin(), activity.lead_unit_ids.end(), unit) ||
        std::count(activity.support_unit_ids.begin(), activity.support_unit_ids.end(), unit)) {
      return Status::Ok();
    }
  }
  return PermissionDenied("your units neither lead nor support this activity");
}

Result<Entry> PlanService::AddEntry(const security::Principal& actor, std::int64_t activity_id,
                                    const NewEntry& entry, const std::string& request_id) {
  if (entry.narrative.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("narrative is required", "narrative");
  }
  if (!entry.occurred_on.empty()) {
    if (!IsValidDate(entry.occurred_on)) {
      return InvalidArgument("occurred_on must be a date YYYY-MM-DD", "occurred_on");
    }
    if (entry.occurred_on.substr(0, 7) != FormatMonth(entry.month)) {
      return Unprocessable("occurred_on must fall in the entry's month", "occurred_on");
    }
  }
  for (const auto& [url, title] : entry.links) {
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
      return InvalidArgument("links must be http or https addresses", "links");
    }
  }
  // Read before the write transaction: a transaction that waits for a second connection of
  // the pool can wait forever when every connection is held the same way.
  // Every role but the CDT's is limited to its units' activities (CheckEntryRights), so
  // every such role needs its units: the VRA as much as a partner focal point.
  std::vector<std::int64_t> actor_units;
  if (actor.role != security::Role::kCdtChief && actor.role != security::Role::kCdtOfficer) {
    ASSIGN_OR_RETURN(actor_units, units_.UnitsOfUser(actor.user_id));
  }
  ASSIGN_OR_RETURN(
      std::int64_t entry_id,
      database_.Write<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        ASSIGN_OR_RETURN(auto activity, store_.GetActivity(c, activity_id));
        if (!activity) return NotFound("no such activity");
        RETURN_IF_ERROR(CheckEntryRights(actor, *activity, actor_units));
        ASSIGN_OR_RETURN(auto plan, store_.GetSummary(c, activity->plan_id));
        if (!plan->latest) {
          return Unprocessable(
              "this activity belongs to an older version of the plan; "
              "record progress on the latest version",
              "activity");
        }
        if (entry.month < plan->period_start || entry.month > plan->period_end) {
          return Unprocessable("month must be within the plan's period (" +
                                   FormatMonth(plan->period_start) + " to " +
                                   FormatMonth(plan->period_end) + ")",
                               "month");
        }
        if (entry.corrects) {
          ASSIGN_OR_RETURN(auto corrected, store_.GetEntry(c, *entry.corrects));
          if (!corrected || corrected->activity_id != activity_id) {
            return Unprocessable("corrects must name an entry of this activity", "corrects");
          }
        }
        ASSIGN_OR_RETURN(auto id, store_.InsertEntry(c, activity->plan_id, activity_id, entry,
                                                     actor.user_id, actor.username, clock_.Now()));
        for (std::int64_t evidence_id : entry.evidence_ids) {
          ASSIGN_OR_RETURN(auto evidence, store_.GetEvidence(c, evidence_id));
          if (!evidence || evidence->uploaded_by != actor.user_id) {
            return Unprocessable(
                "evidence " + std::to_string(evidence_id) + " was not uploaded by you",
                "evidence_ids");
          }
          RETURN_IF_ERROR(store_.AttachEvidence(c, evidence_id, id));
        }
        for (const auto& [url, title] : entry.links) {
          RETURN_IF_ERROR(
              store_.InsertLinkEvidence(c, id, url, title, actor.user_id, clock_.Now()));
        }
        RETURN_IF_ERROR(audit_.Append(
            c,
            Event(actor, "plan.entry.create", "activity", std::to_string(activity_id), request_id,
                  "{\"entry\":" + std::to_string(id) + ",\"month\":\"" + FormatMonth(entry.month) +
                      "\",\"status\":\"" + StatusName(entry.status) + "\"}")));
        return id;
      }));
  ASSIGN_OR_RETURN(auto stored, database_.Read<std::optional<Entry>>([&](storage::Connection& c) {
    return store_.GetEntry(c, entry_id);
  }));
  return std::move(*stored);
}

Result<MyActivities> PlanService::MyActivitiesOf(const security::Principal& actor,
                                                 const std::optional<std::string>& pillar) {
  if (pillar && !IsPillarKey(*pillar)) return InvalidPillar();
  MyActivities mine;
  ASSIGN_OR_RETURN(mine.unit_names, UnitNames());
  ASSIGN_OR_RETURN(auto unit_ids, units_.UnitsOfUser(actor.user_id));
  for (std::int64_t id : unit_ids) {
    auto found = mine.unit_names.find(id);
    if (found != mine.unit_names.end()) mine.units.push_back(found->second);
  }
  const std::string today = Today();
  const auto current_month = ParseMonth(today.substr(0, 7));
  RETURN_IF_ERROR(database_.ReadTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto activities, store_.ActivitiesOfUnits(c, unit_ids));
    std::map<std::int64_t, PlanSummary> plans;
    for (auto& [activity, role] : activities) {
      ActivityRow row;
      row.plan_id = activity.plan_id;
      ASSIGN_OR_RETURN(auto goal, c.QueryOne("SELECT g.number, p.pillar_key FROM plan_goals g JOIN "
                                             "plan_pillars p ON p.id = g.pillar_id WHERE g.id = ?",
                                             {activity.goal_id}));
      row.goal_number = static_cast<int>(goal->Int(0));
      row.pillar_key = goal->Text(1);
      if (pillar && !ServesPillar(activity, row.pillar_key, *pillar)) continue;
      if (!plans.count(activity.plan_id)) {
        ASSIGN_OR_RETURN(auto summary, store_.GetSummary(c, activity.plan_id));
        plans[activity.plan_id] = *summary;
      }
      const PlanSummary& plan = plans[activity.plan_id];
      bool due = false;
      bool overdue = activity.status == ActivityStatus::kDelayed;
      if (IsRecurring(activity.frequency)) {
        ASSIGN_OR_RETURN(auto dated, store_.DatedEntriesOf(c, activity.id));
        row.occurrences = CountOccurrenceStates(activity.frequency, plan.period_start,
                                                plan.period_end, dated[activity.id], today);
        due = row.occurrences->due > 0;
        overdue = overdue || row.occurrences->overdue > 0;
      }
      if (current_month && !due && activity.status != ActivityStatus::kCompleted &&
          activity.status != ActivityStatus::kCancelled &&
          std::count(activity.target_months.begin(), activity.target_months.end(),
                     MonthOfYear(*current_month)) &&
          *current_month >= plan.period_start && *current_month <= plan.period_end) {
        due = true;
      }
      row.activity = std::move(activity);
      if (due) mine.due_this_month.push_back(row);
      if (overdue) mine.overdue.push_back(row);
      (role == "lead" ? mine.lead : mine.support).push_back(std::move(row));
    }
    return Status::Ok();
  }));
  return mine;
}

Result<Evidence> PlanService::UploadEvidence(const security::Principal& actor,
                                             const std::string& filename,
                                             const std::string& content_type,
                                             std::string_view content,
                                             const std::string& request_id) {
  RETURN_IF_ERROR(security::Authorize(actor, security::Permission::kPlanEntry));
  auto valid_utf8_text = [](const std::string& text) {
    return IsValidUtf8(text) && std::none_of(text.begin(), text.end(), [](char c) {
             return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
           });
  };
  if (filename.empty() || filename.size() > 255 || filename.find('/') != std::string::npos ||
      filename.find('\\') != std::string::npos || !valid_utf8_text(filename)) {
    return InvalidArgument("X-Filename must be a file name of 1-255 characters", "filename");
  }
  if (content.empty()) return InvalidArgument("the file is empty", "file");
  if (content.size() > kMaxEvidenceBytes) {
    return Status(ErrorCode::kPayloadTooLarge, "evidence files are limited to 10 MiB");
  }
  std::error_code error;
  fs::create_directories(evidence_dir_, error);
  if (error) return Unavailable("cannot create the evidence folder");
  security::SecretBytes file_key(security::GenerateSymmetricKey());
  const std::string temporary =
      (fs::path(evidence_dir_) / ("upload-" + security::RandomToken(12) + ".tmp")).string();
  Evidence evidence;
  evidence.kind = "file";
  evidence.filename = filename;
  evidence.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  {
    std::istringstream in{std::string(content)};
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    std::uint64_t size = 0;
    std::string digest;
    RETURN_IF_ERROR(security::EncryptStream(file_key.bytes(), in, out, &size, &digest));
    out.flush();
    if (!out) return Unavailable("cannot write the evidence file");
    evidence.size = static_cast<std::int64_t>(size);
    evidence.sha256 = security::HexEncode(digest);
  }
  fs::path stored_path;
  auto id = database_.Write<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(auto sealed, security::Encrypt(server_key_.bytes(), file_key.bytes(),
                                                    "psea-evidence:" + evidence.sha256));
    ASSIGN_OR_RETURN(auto new_id,
                     store_.InsertFileEvidence(c, evidence, sealed, actor.user_id, clock_.Now()));
    stored_path = fs::path(evidence_dir_) / (std::to_string(new_id) + ".enc");
    fs::rename(temporary, stored_path, error);
    if (error) return Unavailable("cannot store the evidence file");
    RETURN_IF_ERROR(
        audit_.Append(c, Event(actor, "plan.evidence.upload", "evidence", std::to_string(new_id),
                               request_id, "{\"size\":" + std::to_string(evidence.size) + "}")));
    return new_id;
  });
  if (!id.ok()) {
    // The row was rolled back: neither the upload nor its renamed file may stay behind.
    fs::remove(temporary, error);
    if (!stored_path.empty()) fs::remove(stored_path, error);
    return id.status();
  }
  evidence.id = *id;
  // Uploads abandoned for a day (the entry was never saved) are removed.
  auto orphans = database_.Write<std::vector<std::int64_t>>([&](storage::Connection& c) {
    return store_.DeleteOrphanEvidence(c, clock_.Now() - std::int64_t{24} * 3600 * 1000);
  });
  if (orphans.ok()) {
    for (std::int64_t orphan : *orphans) {
      fs::remove(fs::path(evidence_dir_) / (std::to_string(orphan) + ".enc"), error);
    }
  }
  return evidence;
}

Result<std::pair<Evidence, std::string>> PlanService::ReadEvidence(const security::Principal& actor,
                                                                   std::int64_t evidence_id,
                                                                   const std::string& request_id) {
  ASSIGN_OR_RETURN(auto stored,
                   database_.Read<std::optional<StoredEvidenceFile>>(
                       [&](storage::Connection& c) { return store_.GetEvidence(c, evidence_id); }));
  if (!stored || stored->evidence.kind != "file") return NotFound("no such evidence");
  if (!stored->evidence.entry_id && stored->uploaded_by != actor.user_id) {
    return NotFound("no such evidence");
  }
  ASSIGN_OR_RETURN(std::string file_key,
                   security::Decrypt(server_key_.bytes(), stored->file_key_sealed,
                                     "psea-evidence:" + stored->evidence.sha256));
  security::SecretBytes key(std::move(file_key));
  std::ifstream in(fs::path(evidence_dir_) / (std::to_string(evidence_id) + ".enc"),
                   std::ios::binary);
  if (!in) return Unavailable("the evidence file is missing from the data folder");
  std::ostringstream out;
  if (Status opened = security::DecryptStream(key.bytes(), in, out); !opened.ok()) {
    // A damaged file or a changed server.key is the server's fault, not the caller's.
    return Internal("evidence " + std::to_string(evidence_id) +
                    " does not decrypt: " + opened.message());
  }
  std::string content = out.str();
  if (security::HexEncode(security::Sha256(content)) != stored->evidence.sha256) {
    return Internal("evidence " + std::to_string(evidence_id) + " does not match its content hash");
  }
  RETURN_IF_ERROR(audit_.AppendNow(database_, Event(actor, "plan.evidence.read", "evidence",
                                                    std::to_string(evidence_id), request_id)));
  return std::make_pair(stored->evidence, std::move(content));
}

Result<std::vector<IndicatorView>> PlanService::Indicators(std::optional<std::int64_t> plan_id,
                                                           std::optional<MonthIndex> from,
                                                           std::optional<MonthIndex> to) {
  return IndicatorsWith(plan_id, from, to, {});
}

Result<std::vector<IndicatorView>> PlanService::IndicatorsWith(
    std::optional<std::int64_t> plan_id, std::optional<MonthIndex> from,
    std::optional<MonthIndex> to, const std::map<std::string, double>& known) {
  std::optional<PlanSummary> plan;
  if (plan_id) {
    ASSIGN_OR_RETURN(auto summary, Summary(*plan_id));
    plan = summary;
  }
  const std::string today = Today();
  const MonthIndex today_month = *ParseMonth(today.substr(0, 7));
  IndicatorPeriod period;
  period.plan_id = plan ? plan->id : 0;
  period.from = from.value_or(plan ? plan->period_start : today_month - 11);
  period.to = to.value_or(plan ? plan->period_end : today_month);
  period.today = today;
  if (period.to < period.from) return InvalidArgument("to is before from", "to");
  std::vector<IndicatorView> views;
  RETURN_IF_ERROR(database_.ReadTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto definitions, store_.ListIndicatorDefinitions(c));
    std::map<std::string, IndicatorDefinition> by_key;
    for (auto& definition : definitions) by_key[definition.key] = definition;
    for (const auto& computed : indicators_.all()) {
      IndicatorView view{computed.key,  computed.description,
                         computed.unit, computed.target,
                         "computed",    {},
                         std::nullopt,  {},
                         std::nullopt};
      if (by_key.count(computed.key)) view.result_ids = by_key[computed.key].result_ids;
      if (plan || computed.key.rfind("plan.", 0) != 0) {
        if (auto found = known.find(computed.key); found != known.end()) {
          view.computed_value = found->second;
        } else {
          ASSIGN_OR_RETURN(auto value, computed.compute(c, period));
          view.computed_value = value;
        }
      }
      views.push_back(std::move(view));
    }
    for (const auto& definition : definitions) {
      if (definition.kind != "manual") continue;
      IndicatorView view{definition.key, definition.description, definition.unit, definition.target,
                         "manual",       definition.result_ids,  std::nullopt,    {},
                         std::nullopt};
      ASSIGN_OR_RETURN(view.values,
                       store_.IndicatorValues(c, definition.key, FormatMonth(period.from) + "-01",
                                              FormatMonth(period.to) + "-31"));
      ASSIGN_OR_RETURN(auto all,
                       store_.IndicatorValues(c, definition.key, "0000-01-01", "9999-12-31"));
      if (!all.empty()) view.latest = all.back();
      views.push_back(std::move(view));
    }
    return Status::Ok();
  }));
  return views;
}

Status PlanService::DefineIndicator(const security::Principal& actor,
                                    const IndicatorDefinition& definition,
                                    const std::string& request_id) {
  IndicatorDefinition stored = definition;
  if (indicators_.Find(definition.key)) {
    stored.kind = "computed";  // only the links to expected results can change
  } else {
    stored.kind = "manual";
    if (definition.key.rfind("manual.", 0) != 0) {
      return InvalidArgument("a manual indicator's key starts with manual.", "key");
    }
  }
  if (!definition.target.empty() && !ValidDecimal(definition.target)) {
    return InvalidArgument("target must be a number", "target");
  }
  return database_.WriteTransaction([&](storage::Connection& c) -> Status {
    for (std::int64_t result_id : definition.result_ids) {
      ASSIGN_OR_RETURN(auto row,
                       c.QueryOne("SELECT 1 FROM plan_results WHERE id = ?", {result_id}));
      if (!row)
        return Unprocessable("no expected result with id " + std::to_string(result_id),
                             "result_ids");
    }
    RETURN_IF_ERROR(store_.UpsertIndicatorDefinition(c, stored));
    return audit_.Append(
        c, Event(actor, "plan.indicator.define", "indicator", stored.key, request_id));
  });
}

Status PlanService::AddIndicatorValue(const security::Principal& actor, const std::string& key,
                                      const std::string& value, const std::string& date,
                                      const std::string& note, const std::string& request_id) {
  if (indicators_.Find(key)) {
    return Unprocessable("this indicator is computed by psea; it takes no manual values", "key");
  }
  if (!ValidDecimal(value)) return InvalidArgument("value must be a number", "value");
  if (!IsValidDate(date)) return InvalidArgument("date must be YYYY-MM-DD", "date");
  return database_.WriteTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto definitions, store_.ListIndicatorDefinitions(c));
    const auto found = std::find_if(definitions.begin(), definitions.end(),
                                    [&](const IndicatorDefinition& d) { return d.key == key; });
    if (found == definitions.end()) return NotFound("no such indicator");
    RETURN_IF_ERROR(store_.InsertIndicatorValue(c, {key, value, date, note, actor.username, 0},
                                                actor.user_id, clock_.Now()));
    return audit_.Append(c, Event(actor, "plan.indicator.value", "indicator", key, request_id,
                                  "{\"date\":\"" + date + "\"}"));
  });
}

Result<ReportView> PlanService::ReportOf(std::int64_t plan_id, std::optional<MonthIndex> from,
                                         std::optional<MonthIndex> to, bool latest_entries_only) {
  const ReportKey key{plan_id, from, to, latest_entries_only, Today()};
  auto compute = [&](storage::Connection& c) {
    return ComputeReport(c, plan_id, from, to, latest_entries_only, key.today);
  };
  std::shared_ptr<const ReportBody> body;
  if (latest_entries_only) {
    ASSIGN_OR_RETURN(body, Cached<ReportBody>(report_cache_, plan_id, key, compute));
  } else {
    // With every entry of the period (the CSV and XLSX downloads, asked for now and then), a
    // large plan's report is tens of megabytes: computed each time, never kept.
    RETURN_IF_ERROR(database_.ReadTransaction([&](storage::Connection& c) -> Status {
      ASSIGN_OR_RETURN(auto computed, compute(c));
      body = std::make_shared<const ReportBody>(std::move(computed));
      return Status::Ok();
    }));
  }
  ReportView view;
  ASSIGN_OR_RETURN(view.indicators,
                   IndicatorsWith(plan_id, body->report.from, body->report.to, body->known));
  ASSIGN_OR_RETURN(view.units, UnitNames());
  view.body = std::shared_ptr<const PlanReport>(body, &body->report);
  return view;
}

Result<PlanReport> PlanService::Report(std::int64_t plan_id, std::optional<MonthIndex> from,
                                       std::optional<MonthIndex> to, bool latest_entries_only) {
  ASSIGN_OR_RETURN(auto view, ReportOf(plan_id, from, to, latest_entries_only));
  PlanReport report = *view.body;
  report.indicators = std::move(view.indicators);
  report.units = std::move(view.units);
  return report;
}

Result<PlanService::ReportBody> PlanService::ComputeReport(
    storage::Connection& c, std::int64_t plan_id, std::optional<MonthIndex> from,
    std::optional<MonthIndex> to, bool latest_entries_only, const std::string& today) {
  ReportBody body;
  PlanReport& report = body.report;
  const MonthIndex today_month = *ParseMonth(today.substr(0, 7));
  Plan plan;
  std::map<std::int64_t, std::map<MonthIndex, ActivityStatus>> statuses;
  std::map<std::int64_t, std::vector<Entry>> entries_by_activity;
  std::map<std::int64_t, int> entry_counts;
  std::map<std::int64_t, std::vector<DatedEntry>> dated;
  {
    ASSIGN_OR_RETURN(auto loaded, store_.LoadPlan(c, plan_id));
    if (!loaded) return NotFound("no such plan");
    plan = std::move(*loaded);
    report.from = from.value_or(plan.summary.period_start);
    report.to = to.value_or(plan.summary.period_end);
    if (report.to < report.from) return InvalidArgument("to is before from", "to");
    if (report.to - report.from > 12 * 10)
      return InvalidArgument("the period is longer than ten years", "to");
    std::map<std::int64_t, std::int64_t> latest_ids;
    ASSIGN_OR_RETURN(
        statuses, store_.MonthStatuses(c, plan_id, report.from, report.to,
                                       latest_entries_only ? &entry_counts : nullptr, &latest_ids));
    std::vector<Entry> entries;
    if (latest_entries_only) {
      std::vector<std::int64_t> ids;
      ids.reserve(latest_ids.size());
      for (const auto& [activity_id, entry_id] : latest_ids) ids.push_back(entry_id);
      ASSIGN_OR_RETURN(entries, store_.EntriesByIds(c, ids));
    } else {
      ASSIGN_OR_RETURN(entries, store_.EntriesInPeriod(c, plan_id, report.from, report.to));
      for (const auto& entry : entries) ++entry_counts[entry.activity_id];
    }
    for (auto& entry : entries) entries_by_activity[entry.activity_id].push_back(std::move(entry));
    ASSIGN_OR_RETURN(dated,
                     store_.DatedEntries(c, RecurringActivityIds(plan), report.from, report.to));
  }
  report.plan = plan.summary;
  // The plan's own computed indicators follow from the rows below; computing them again from
  // the database would read every recurring activity's entries a second time.
  int overdue_occurrences = 0;
  int not_cancelled = 0;
  int on_track = 0;
  // The plan's activities and month statuses move into the rows: copying them was a tenth of
  // the report's time for a large plan.
  for (auto& pillar : plan.pillars) {
    ReportPillar report_pillar{pillar.key, pillar.title, {}};
    for (auto& goal : pillar.goals) {
      ReportGoal report_goal{
          goal.id,      goal.number, goal.title, goal.partners, ActivityStatus::kNotStarted,
          goal.results, {}};
      std::vector<ActivityStatus> goal_statuses;
      for (auto& planned : goal.activities) {
        ReportActivity row;
        row.activity = std::move(planned);
        const Activity& activity = row.activity;
        if (auto found = statuses.find(activity.id); found != statuses.end()) {
          row.months = std::move(found->second);
        }
        row.entries = std::move(entries_by_activity[activity.id]);
        row.entry_count = entry_counts[activity.id];
        report.entries += row.entry_count;
        if (activity.status == ActivityStatus::kDelayed ||
            activity.status == ActivityStatus::kAtRisk) {
          row.late_reasons.push_back(std::string("status ") + StatusName(activity.status));
        }
        if (IsRecurring(activity.frequency)) {
          row.occurrences = CountOccurrenceStates(activity.frequency, report.from, report.to,
                                                  dated[activity.id], today);
          if (activity.status != ActivityStatus::kCancelled) {
            overdue_occurrences += row.occurrences->overdue;
          }
          if (row.occurrences->overdue > 0) {
            row.late_reasons.push_back(std::to_string(row.occurrences->overdue) +
                                       " occurrence(s) without an entry");
          }
        }
        if (activity.status != ActivityStatus::kCompleted &&
            activity.status != ActivityStatus::kCancelled) {
          for (MonthIndex month = report.from; month <= report.to && month < today_month; ++month) {
            if (std::count(activity.target_months.begin(), activity.target_months.end(),
                           MonthOfYear(month)) &&
                !row.months.count(month)) {
              row.late_reasons.push_back("no entry for target month " + FormatMonth(month));
            }
          }
        }
        if (activity.status != ActivityStatus::kCancelled) {
          ++not_cancelled;
          if (activity.status == ActivityStatus::kOnTrack ||
              activity.status == ActivityStatus::kContinuous ||
              activity.status == ActivityStatus::kCompleted) {
            ++on_track;
          }
        }
        if (!row.late_reasons.empty()) ++report.late;
        ++report.activities;
        ++report.activities_by_status[StatusName(activity.status)];
        goal_statuses.push_back(activity.status);
        report_goal.activities.push_back(std::move(row));
      }
      report_goal.status = GoalStatus(goal_statuses);
      report_pillar.goals.push_back(std::move(report_goal));
    }
    report.pillars.push_back(std::move(report_pillar));
  }
  body.known = {{"plan.activities_on_track_pct", OnTrackPercent(on_track, not_cancelled)},
                {"plan.overdue_recurring_duties", overdue_occurrences}};
  return body;
}

}  // namespace psea::plan
