#include "modules/plan/store.h"

#include <boost/json.hpp>

#include <algorithm>
#include <bit>
#include <set>

namespace psea::plan {

namespace json = boost::json;

namespace {
std::string ToJson(const std::vector<std::string>& items) {
  json::array array;
  for (const auto& item : items) array.emplace_back(item);
  return json::serialize(array);
}

std::vector<std::string> FromJson(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error || !value.is_array()) return out;
  for (const auto& item : value.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

std::string JoinInts(const std::vector<int>& values) {
  std::string out;
  for (int value : values) out += (out.empty() ? "" : ",") + std::to_string(value);
  return out;
}

// "1,4,12" to {1, 4, 12}; read for every activity of a plan, so without a stream.
std::vector<int> SplitInts(const std::string& text) {
  std::vector<int> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(std::stoi(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

constexpr const char* kSummaryColumns =
    "p.id, p.plan_key, p.version_label, p.version_number, p.title, p.mission, p.period_start, "
    "p.period_end, p.supersedes, p.imported_at, p.imported_by, p.unmatched_partners, "
    "(SELECT MAX(q.version_number) FROM plans q WHERE q.plan_key = p.plan_key)";

PlanSummary SummaryFromRow(const storage::Row& row) {
  PlanSummary summary;
  summary.id = row.Int(0);
  summary.key = row.Text(1);
  summary.version = row.Text(2);
  summary.version_number = static_cast<int>(row.Int(3));
  summary.title = row.Text(4);
  summary.mission = row.Text(5);
  summary.period_start = static_cast<MonthIndex>(row.Int(6));
  summary.period_end = static_cast<MonthIndex>(row.Int(7));
  summary.supersedes = row.OptText(8).value_or("");
  summary.imported_at = row.Int(9);
  summary.imported_by = row.Text(10);
  summary.unmatched_partners = FromJson(row.Text(11));
  summary.latest = row.Int(12) == row.Int(3);
  return summary;
}

constexpr const char* kActivityColumns =
    "a.id, a.plan_id, a.goal_id, a.letter, a.body, a.status, a.frequency, a.target_months, "
    "a.updated_at, a.second_pillar";

Activity ActivityFromRow(const storage::Row& row) {
  Activity activity;
  activity.id = row.Int(0);
  activity.plan_id = row.Int(1);
  activity.goal_id = row.Int(2);
  activity.letter = row.Text(3);
  activity.text = row.Text(4);
  activity.status = ParseStatus(row.Text(5)).value_or(ActivityStatus::kNotStarted);
  activity.frequency = ParseFrequency(row.Text(6)).value_or(Frequency::kNone);
  activity.target_months = SplitInts(row.Text(7));
  activity.updated_at = row.Int(8);
  activity.second_pillar = row.OptText(9).value_or("");
  return activity;
}

Status LoadUnits(storage::Connection& c, const std::string& where, const storage::Params& params,
                 std::map<std::int64_t, Activity*>& by_id) {
  return c.ForEachRow(
      "SELECT u.activity_id, u.unit_id, u.unit_role FROM plan_activity_units u " + where +
          " ORDER BY u.position",
      params, [&](const storage::Row& row) {
        auto found = by_id.find(row.Int(0));
        if (found == by_id.end()) return Status::Ok();
        (row.Text(2) == "lead" ? found->second->lead_unit_ids : found->second->support_unit_ids)
            .push_back(row.Int(1));
        return Status::Ok();
      });
}

constexpr const char* kEntryColumns =
    "e.id, e.activity_id, e.month, e.occurred_on, e.status, e.narrative, e.author, e.created_at, "
    "e.corrects_id";

Entry EntryFromRow(const storage::Row& row) {
  Entry entry;
  entry.id = row.Int(0);
  entry.activity_id = row.Int(1);
  entry.month = static_cast<MonthIndex>(row.Int(2));
  entry.occurred_on = row.OptText(3).value_or("");
  entry.status = ParseStatus(row.Text(4)).value_or(ActivityStatus::kOnTrack);
  entry.narrative = row.Text(5);
  entry.author = row.Text(6);
  entry.created_at = row.Int(7);
  entry.corrects = row.OptInt(8);
  return entry;
}

constexpr const char* kEvidenceColumns =
    "id, entry_id, kind, filename, content_type, size, sha256, url, title, file_key_sealed, "
    "uploaded_by";

StoredEvidenceFile EvidenceFromRow(const storage::Row& row) {
  StoredEvidenceFile stored;
  Evidence& evidence = stored.evidence;
  evidence.id = row.Int(0);
  evidence.entry_id = row.OptInt(1);
  evidence.kind = row.Text(2);
  evidence.filename = row.OptText(3).value_or("");
  evidence.content_type = row.OptText(4).value_or("");
  evidence.size = row.OptInt(5).value_or(0);
  evidence.sha256 = row.OptText(6).value_or("");
  evidence.url = row.OptText(7).value_or("");
  evidence.title = row.OptText(8).value_or("");
  stored.file_key_sealed = row.IsNull(9) ? "" : row.Bytes(9);
  stored.uploaded_by = row.Int(10);
  return stored;
}

// Attaches evidence to entries in one query.
Status AttachEvidenceRows(storage::Connection& c, std::vector<Entry>& entries) {
  if (entries.empty()) return Status::Ok();
  std::map<std::int64_t, Entry*> by_id;
  std::int64_t low = entries.front().id, high = entries.front().id;
  for (auto& entry : entries) {
    by_id[entry.id] = &entry;
    low = std::min(low, entry.id);
    high = std::max(high, entry.id);
  }
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kEvidenceColumns +
                                          " FROM plan_evidence WHERE entry_id BETWEEN ? AND ? "
                                          "ORDER BY id",
                                      {low, high}));
  for (const auto& row : rows.rows) {
    StoredEvidenceFile stored = EvidenceFromRow(row);
    auto found = by_id.find(*stored.evidence.entry_id);
    if (found != by_id.end()) found->second->evidence.push_back(std::move(stored.evidence));
  }
  return Status::Ok();
}
}  // namespace

std::vector<storage::Migration> PlanStore::Migrations() {
  return {{"plan", 1, "action plans, tracking, entries, evidence, indicators", R"sql(
CREATE TABLE plans (
  id {{ID}},
  plan_key TEXT NOT NULL,
  version_label TEXT NOT NULL,
  version_number BIGINT NOT NULL,
  title TEXT NOT NULL,
  mission TEXT NOT NULL,
  period_start BIGINT NOT NULL,
  period_end BIGINT NOT NULL,
  supersedes TEXT,
  context TEXT,
  purpose TEXT,
  principles_intro TEXT,
  principles TEXT NOT NULL,
  reference_materials TEXT NOT NULL,
  unmatched_partners TEXT NOT NULL,
  imported_at BIGINT NOT NULL,
  imported_by TEXT NOT NULL,
  UNIQUE (plan_key, version_label),
  UNIQUE (plan_key, version_number)
);
CREATE TABLE plan_pillars (
  id {{ID}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  pillar_key TEXT NOT NULL,
  title TEXT NOT NULL,
  objective TEXT,
  position BIGINT NOT NULL
);
CREATE INDEX plan_pillars_plan ON plan_pillars (plan_id, position);
CREATE TABLE plan_goals (
  id {{ID}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  pillar_id BIGINT NOT NULL REFERENCES plan_pillars (id),
  number BIGINT NOT NULL,
  title TEXT NOT NULL,
  goal_references TEXT NOT NULL,
  partners TEXT,
  status_text TEXT,
  follow_up TEXT,
  months TEXT NOT NULL,
  position BIGINT NOT NULL
);
CREATE INDEX plan_goals_plan ON plan_goals (plan_id, position);
CREATE TABLE plan_activities (
  id {{ID}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  goal_id BIGINT NOT NULL REFERENCES plan_goals (id),
  letter TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  frequency TEXT NOT NULL,
  target_months TEXT NOT NULL,
  position BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX plan_activities_plan ON plan_activities (plan_id, position);
CREATE TABLE plan_activity_units (
  activity_id BIGINT NOT NULL REFERENCES plan_activities (id),
  unit_id BIGINT NOT NULL,
  unit_role TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (activity_id, unit_id)
);
CREATE INDEX plan_activity_units_unit ON plan_activity_units (unit_id);
CREATE TABLE plan_results (
  id {{ID}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  goal_id BIGINT NOT NULL REFERENCES plan_goals (id),
  numeral TEXT NOT NULL,
  body TEXT NOT NULL,
  position BIGINT NOT NULL
);
CREATE INDEX plan_results_plan ON plan_results (plan_id, position);
CREATE TABLE plan_entries (
  id {{ID}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  activity_id BIGINT NOT NULL REFERENCES plan_activities (id),
  month BIGINT NOT NULL,
  occurred_on TEXT,
  status TEXT NOT NULL,
  narrative TEXT NOT NULL,
  author_id BIGINT NOT NULL,
  author TEXT NOT NULL,
  corrects_id BIGINT REFERENCES plan_entries (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX plan_entries_activity ON plan_entries (activity_id, id);
CREATE INDEX plan_entries_plan_month ON plan_entries (plan_id, month, activity_id, id, status);
CREATE TABLE plan_evidence (
  id {{ID}},
  entry_id BIGINT REFERENCES plan_entries (id),
  kind TEXT NOT NULL,
  filename TEXT,
  content_type TEXT,
  size BIGINT,
  sha256 TEXT,
  url TEXT,
  title TEXT,
  file_key_sealed {{BLOB}},
  uploaded_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX plan_evidence_entry ON plan_evidence (entry_id);
CREATE TABLE plan_indicators (
  indicator_key TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  unit TEXT NOT NULL,
  target TEXT,
  kind TEXT NOT NULL,
  result_ids TEXT NOT NULL
);
CREATE TABLE plan_indicator_values (
  id {{ID}},
  indicator_key TEXT NOT NULL REFERENCES plan_indicators (indicator_key),
  value TEXT NOT NULL,
  value_date TEXT NOT NULL,
  note TEXT,
  entered_by_id BIGINT NOT NULL,
  entered_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX plan_indicator_values_key ON plan_indicator_values (indicator_key, value_date);
)sql"},
          {"plan", 2, "a revision per plan, raised by every write to it (caches key on it)", R"sql(
ALTER TABLE plans ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
)sql"},
          {"plan", 3, "the dates of recurring activities' entries answered from an index", R"sql(
CREATE INDEX plan_entries_dated ON plan_entries (activity_id, month, status, occurred_on, id);
)sql"},
          {"plan", 4, "an activity's second pillar (victim assistance under Enforcement)", R"sql(
ALTER TABLE plan_activities ADD COLUMN second_pillar TEXT;
)sql"}};
}

namespace {
// Raises the revision of the plan(s) `where` selects (see PlanStore::Revision).
Status RaiseRevision(storage::Connection& c, const std::string& where,
                     const storage::Params& params) {
  RETURN_IF_ERROR(c.Execute("UPDATE plans SET revision = revision + 1 WHERE " + where, params));
  return Status::Ok();
}
}  // namespace

Result<std::optional<std::int64_t>> PlanStore::Revision(storage::Connection& c,
                                                        std::int64_t plan_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT revision FROM plans WHERE id = ?", {plan_id}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->Int(0));
}

Result<int> PlanStore::NextVersionNumber(storage::Connection& c, const std::string& key) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COALESCE(MAX(version_number), 0) FROM plans "
                                        "WHERE plan_key = ?",
                                        {key}));
  return static_cast<int>(row->Int(0)) + 1;
}

Result<std::int64_t> PlanStore::InsertPlan(storage::Connection& c, const PlanDocument& doc,
                                           int version_number, const std::string& imported_by,
                                           UnixMillis now,
                                           const std::vector<std::string>& unmatched) const {
  auto row = c.QueryOne(
      "INSERT INTO plans (plan_key, version_label, version_number, title, mission, period_start, "
      "period_end, supersedes, context, purpose, principles_intro, principles, "
      "reference_materials, unmatched_partners, imported_at, imported_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {doc.key, doc.version, std::int64_t{version_number}, doc.title, doc.mission,
       std::int64_t{doc.period_start}, std::int64_t{doc.period_end}, doc.supersedes, doc.context,
       doc.purpose, doc.principles_intro, ToJson(doc.principles), ToJson(doc.reference_materials),
       ToJson(unmatched), now, imported_by});
  if (!row.ok()) {
    if (row.status().code() == ErrorCode::kConflict) {
      return Conflict("version " + doc.version + " of plan " + doc.key + " was imported already",
                      "version");
    }
    return row.status();
  }
  // The versions before it are no longer the latest.
  RETURN_IF_ERROR(RaiseRevision(c, "plan_key = ? AND id <> ?", {doc.key, (*row)->Int(0)}));
  return (*row)->Int(0);
}

Result<std::int64_t> PlanStore::InsertPillar(storage::Connection& c, std::int64_t plan_id,
                                             const PillarDoc& pillar, int position) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("INSERT INTO plan_pillars (plan_id, pillar_key, title, "
                                        "objective, position) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                        {plan_id, pillar.key, pillar.title, pillar.objective,
                                         std::int64_t{position}}));
  return row->Int(0);
}

Result<std::int64_t> PlanStore::InsertGoal(storage::Connection& c, std::int64_t plan_id,
                                           std::int64_t pillar_id, const GoalDoc& goal,
                                           int position) const {
  ASSIGN_OR_RETURN(
      auto row, c.QueryOne("INSERT INTO plan_goals (plan_id, pillar_id, number, title, "
                           "goal_references, partners, status_text, follow_up, months, position) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           {plan_id, pillar_id, std::int64_t{goal.number}, goal.title,
                            ToJson(goal.references), goal.partners, goal.status, goal.follow_up,
                            JoinInts(goal.months), std::int64_t{position}}));
  return row->Int(0);
}

Result<std::int64_t> PlanStore::InsertActivity(storage::Connection& c, std::int64_t plan_id,
                                               std::int64_t goal_id, const ActivityDoc& activity,
                                               Frequency frequency, int position,
                                               UnixMillis now) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO plan_activities (plan_id, goal_id, letter, body, status, "
                 "frequency, target_months, position, updated_at, second_pillar) "
                 "VALUES (?, ?, ?, ?, 'not_started', ?, '', ?, ?, ?) RETURNING id",
                 {plan_id, goal_id, activity.letter, activity.text,
                  std::string(FrequencyName(frequency)), std::int64_t{position}, now,
                  activity.second_pillar.empty() ? storage::Null()
                                                 : storage::Value(activity.second_pillar)}));
  return row->Int(0);
}

Status PlanStore::InsertResult(storage::Connection& c, std::int64_t plan_id, std::int64_t goal_id,
                               const ResultDoc& result, int position) const {
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO plan_results (plan_id, goal_id, numeral, body, position) "
                "VALUES (?, ?, ?, ?, ?)",
                {plan_id, goal_id, result.numeral, result.text, std::int64_t{position}}));
  return Status::Ok();
}

Status PlanStore::SetActivityUnits(storage::Connection& c, std::int64_t activity_id,
                                   const std::vector<std::int64_t>& lead,
                                   const std::vector<std::int64_t>& support) const {
  RETURN_IF_ERROR(
      RaiseRevision(c, "id = (SELECT plan_id FROM plan_activities WHERE id = ?)", {activity_id}));
  RETURN_IF_ERROR(
      c.Execute("DELETE FROM plan_activity_units WHERE activity_id = ?", {activity_id}));
  std::set<std::int64_t> seen;
  std::int64_t position = 0;
  for (const auto* list : {&lead, &support}) {
    const std::string role = list == &lead ? "lead" : "support";
    for (std::int64_t unit_id : *list) {
      if (!seen.insert(unit_id).second) continue;
      RETURN_IF_ERROR(
          c.Execute("INSERT INTO plan_activity_units (activity_id, unit_id, unit_role, "
                    "position) VALUES (?, ?, ?, ?)",
                    {activity_id, unit_id, role, position++}));
    }
  }
  return Status::Ok();
}

Result<std::vector<PlanSummary>> PlanStore::ListPlans(storage::Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kSummaryColumns +
                                      " FROM plans p ORDER BY p.plan_key, p.version_number"));
  std::vector<PlanSummary> plans;
  for (const auto& row : rows.rows) plans.push_back(SummaryFromRow(row));
  return plans;
}

Result<std::optional<PlanSummary>> PlanStore::GetSummary(storage::Connection& c,
                                                         std::int64_t plan_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kSummaryColumns +
                                            " FROM plans p WHERE p.id = ?",
                                        {plan_id}));
  if (!row) return std::optional<PlanSummary>();
  return std::optional<PlanSummary>(SummaryFromRow(*row));
}

Result<std::optional<Plan>> PlanStore::LoadPlan(storage::Connection& c,
                                                std::int64_t plan_id) const {
  ASSIGN_OR_RETURN(auto summary, GetSummary(c, plan_id));
  if (!summary) return std::optional<Plan>();
  Plan plan;
  plan.summary = std::move(*summary);
  ASSIGN_OR_RETURN(auto texts, c.QueryOne("SELECT context, purpose, principles_intro, principles, "
                                          "reference_materials FROM plans WHERE id = ?",
                                          {plan_id}));
  plan.context = texts->OptText(0).value_or("");
  plan.purpose = texts->OptText(1).value_or("");
  plan.principles_intro = texts->OptText(2).value_or("");
  plan.principles = FromJson(texts->Text(3));
  plan.reference_materials = FromJson(texts->Text(4));

  ASSIGN_OR_RETURN(auto pillars,
                   c.Query("SELECT id, pillar_key, title, objective FROM plan_pillars "
                           "WHERE plan_id = ? ORDER BY position",
                           {plan_id}));
  std::map<std::int64_t, std::size_t> pillar_index;
  for (const auto& row : pillars.rows) {
    pillar_index[row.Int(0)] = plan.pillars.size();
    plan.pillars.push_back({row.Int(0), row.Text(1), row.Text(2), row.OptText(3).value_or(""), {}});
  }
  ASSIGN_OR_RETURN(auto goals, c.Query("SELECT id, pillar_id, number, title, goal_references, "
                                       "partners, status_text, follow_up, months FROM plan_goals "
                                       "WHERE plan_id = ? ORDER BY position",
                                       {plan_id}));
  std::map<std::int64_t, Goal*> goal_by_id;
  // Pillars hold goals by value: fill them first, then take stable pointers.
  for (const auto& row : goals.rows) {
    Goal goal;
    goal.id = row.Int(0);
    goal.number = static_cast<int>(row.Int(2));
    goal.title = row.Text(3);
    goal.references = FromJson(row.Text(4));
    goal.partners = row.OptText(5).value_or("");
    goal.status_text = row.OptText(6).value_or("");
    goal.follow_up = row.OptText(7).value_or("");
    goal.months = SplitInts(row.Text(8));
    plan.pillars[pillar_index[row.Int(1)]].goals.push_back(std::move(goal));
  }
  for (auto& pillar : plan.pillars) {
    for (auto& goal : pillar.goals) goal_by_id[goal.id] = &goal;
  }
  ASSIGN_OR_RETURN(auto activities, c.Query(std::string("SELECT ") + kActivityColumns +
                                                " FROM plan_activities a WHERE a.plan_id = ? "
                                                "ORDER BY a.position",
                                            {plan_id}));
  for (const auto& row : activities.rows) {
    Activity activity = ActivityFromRow(row);
    goal_by_id[activity.goal_id]->activities.push_back(std::move(activity));
  }
  std::map<std::int64_t, Activity*> activity_by_id;
  for (auto& [id, goal] : goal_by_id) {
    for (auto& activity : goal->activities) activity_by_id[activity.id] = &activity;
  }
  if (!activity_by_id.empty()) {
    // A range of activity ids reads the units' primary key; ids of other plans that fall in
    // the range (concurrent imports) are skipped by LoadUnits. A join on plan_activities
    // cost PostgreSQL a pass over that table, which every entry updates.
    RETURN_IF_ERROR(LoadUnits(c, "WHERE u.activity_id BETWEEN ? AND ?",
                              {activity_by_id.begin()->first, activity_by_id.rbegin()->first},
                              activity_by_id));
  }
  ASSIGN_OR_RETURN(auto results, c.Query("SELECT id, goal_id, numeral, body FROM plan_results "
                                         "WHERE plan_id = ? ORDER BY position",
                                         {plan_id}));
  std::map<std::int64_t, ExpectedResult*> result_by_id;
  for (const auto& row : results.rows) {
    goal_by_id[row.Int(1)]->results.push_back({row.Int(0), row.Text(2), row.Text(3), {}});
  }
  for (auto& [id, goal] : goal_by_id) {
    for (auto& result : goal->results) result_by_id[result.id] = &result;
  }
  ASSIGN_OR_RETURN(auto definitions, ListIndicatorDefinitions(c));
  for (const auto& definition : definitions) {
    for (std::int64_t result_id : definition.result_ids) {
      auto found = result_by_id.find(result_id);
      if (found != result_by_id.end()) found->second->indicator_keys.push_back(definition.key);
    }
  }
  return std::optional<Plan>(std::move(plan));
}

Result<std::optional<Activity>> PlanStore::GetActivity(storage::Connection& c,
                                                       std::int64_t activity_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kActivityColumns +
                                            " FROM plan_activities a WHERE a.id = ?",
                                        {activity_id}));
  if (!row) return std::optional<Activity>();
  Activity activity = ActivityFromRow(*row);
  std::map<std::int64_t, Activity*> by_id{{activity.id, &activity}};
  RETURN_IF_ERROR(LoadUnits(c, "WHERE u.activity_id = ?", {activity_id}, by_id));
  return std::optional<Activity>(std::move(activity));
}

namespace {
// One entry's place in the month grid.
struct MonthCell {
  std::int64_t activity_id;
  MonthIndex month;
  std::int64_t entry_id;
  ActivityStatus status;
};

Status ReadMonthCells(storage::Connection& c, const std::string& where,
                      const storage::Params& params, std::vector<MonthCell>& cells) {
  // Row by row: a year of a large plan is tens of thousands of cells, and building a Row for
  // each cost SQLite about twice its own time.
  return c.ForEachRow(
      "SELECT activity_id, month, id, status FROM plan_entries WHERE " + where, params,
      [&](const storage::Row& row) {
        cells.push_back({row.Int(0), static_cast<MonthIndex>(row.Int(1)), row.Int(2),
                         ParseStatus(row.Text(3)).value_or(ActivityStatus::kOnTrack)});
        return Status::Ok();
      });
}

// Sorts the cells flat once and builds each map in order (emplace_hint at the end), instead of
// searching nested maps row by row: a year of a large plan is tens of thousands of cells.
void AddMonthCells(std::vector<MonthCell>& cells,
                   std::map<std::int64_t, std::map<MonthIndex, ActivityStatus>>& statuses,
                   std::map<std::int64_t, int>* counts,
                   std::map<std::int64_t, std::int64_t>* latest_ids) {
  std::sort(cells.begin(), cells.end(), [](const MonthCell& a, const MonthCell& b) {
    if (a.activity_id != b.activity_id) return a.activity_id < b.activity_id;
    if (a.month != b.month) return a.month < b.month;
    return a.entry_id < b.entry_id;
  });
  for (std::size_t first = 0; first < cells.size();) {
    const std::int64_t activity_id = cells[first].activity_id;
    std::size_t last = first;  // one past the activity's cells
    std::int64_t latest = 0;
    auto& months =
        statuses.emplace_hint(statuses.end(), activity_id, std::map<MonthIndex, ActivityStatus>())
            ->second;
    for (; last < cells.size() && cells[last].activity_id == activity_id; ++last) {
      latest = std::max(latest, cells[last].entry_id);
      // The last cell of a month holds its latest entry.
      const bool month_ends = last + 1 == cells.size() ||
                              cells[last + 1].activity_id != activity_id ||
                              cells[last + 1].month != cells[last].month;
      if (month_ends) months.emplace_hint(months.end(), cells[last].month, cells[last].status);
    }
    if (counts) counts->emplace_hint(counts->end(), activity_id, static_cast<int>(last - first));
    if (latest_ids) latest_ids->emplace_hint(latest_ids->end(), activity_id, latest);
    first = last;
  }
}

// Statuses as 3-bit codes (0: no entry) in 4-bit slots, twelve months to a BIGINT column: even
// thousands of entries in one month cannot carry a sum out of its column.
constexpr int kMonthsPerColumn = 12;
constexpr const char* kStatusCode =
    "CAST(CASE status WHEN 'not_started' THEN 1 WHEN 'on_track' THEN 2 WHEN 'at_risk' THEN 3 "
    "WHEN 'delayed' THEN 4 WHEN 'completed' THEN 5 WHEN 'continuous' THEN 6 "
    "WHEN 'cancelled' THEN 7 ELSE 2 END AS BIGINT)";  // unknown text reads as on_track
constexpr ActivityStatus kStatusOfCode[] = {
    ActivityStatus::kOnTrack,    ActivityStatus::kNotStarted, ActivityStatus::kOnTrack,
    ActivityStatus::kAtRisk,     ActivityStatus::kDelayed,    ActivityStatus::kCompleted,
    ActivityStatus::kContinuous, ActivityStatus::kCancelled};

// The month grid aggregated by PostgreSQL, one row per activity instead of one per entry: the
// text protocol's rows cost the server and the client more than the aggregation. Per column of
// twelve months, the sum of 1 << month (each month's bit when its entries are one) and the sum
// of code << 4 * month (each month's status then). An activity with two entries in a month
// (a correction) shows fewer bits than entries; its cells are read one by one.
Status AggregateMonthCells(storage::Connection& c, std::int64_t plan_id, MonthIndex from,
                           MonthIndex to,
                           std::map<std::int64_t, std::map<MonthIndex, ActivityStatus>>& statuses,
                           std::map<std::int64_t, int>* counts,
                           std::map<std::int64_t, std::int64_t>* latest_ids) {
  const int columns = (to - from + kMonthsPerColumn) / kMonthsPerColumn;
  std::string sql = "SELECT activity_id, COUNT(*), MAX(id)";
  storage::Params params;
  for (int column = 0; column < columns; ++column) {
    const std::int64_t first = from + column * kMonthsPerColumn;
    const std::int64_t last = std::min<std::int64_t>(to, first + kMonthsPerColumn - 1);
    // One column (a year, the matrix) needs no guard: the WHERE clause keeps its months.
    const std::string guard = columns == 1 ? "" : "CASE WHEN month BETWEEN ? AND ? THEN ";
    const std::string otherwise = columns == 1 ? "" : " ELSE 0 END";
    sql += ", CAST(SUM(" + guard + "CAST(1 AS BIGINT) << CAST(month - ? AS INTEGER)" + otherwise +
           ") AS BIGINT)";
    sql += ", CAST(SUM(" + guard + kStatusCode + " << CAST(4 * (month - ?) AS INTEGER)" +
           otherwise + ") AS BIGINT)";
    for (int repeat = 0; repeat < 2; ++repeat) {
      if (columns > 1) {
        params.emplace_back(first);
        params.emplace_back(last);
      }
      params.emplace_back(first);
    }
  }
  sql += " FROM plan_entries WHERE plan_id = ? AND month BETWEEN ? AND ? GROUP BY activity_id";
  params.emplace_back(plan_id);
  params.emplace_back(std::int64_t{from});
  params.emplace_back(std::int64_t{to});
  ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
  std::vector<std::int64_t> with_corrections;
  for (const auto& row : rows.rows) {
    const std::int64_t activity_id = row.Int(0);
    const std::int64_t entries = row.Int(1);
    std::int64_t bits = 0;
    for (int column = 0; column < columns; ++column) {
      bits += std::popcount(static_cast<std::uint64_t>(row.Int(3 + 2 * column)));
    }
    if (bits != entries) {
      with_corrections.push_back(activity_id);
      continue;
    }
    auto& months = statuses[activity_id];
    for (int column = 0; column < columns; ++column) {
      const auto codes = static_cast<std::uint64_t>(row.Int(4 + 2 * column));
      for (int slot = 0; slot < kMonthsPerColumn; ++slot) {
        const auto code = (codes >> (4 * slot)) & 0xF;
        if (code == 0) continue;
        months.emplace_hint(months.end(), from + column * kMonthsPerColumn + slot,
                            kStatusOfCode[code & 7]);
      }
    }
    if (counts) (*counts)[activity_id] = static_cast<int>(entries);
    if (latest_ids) (*latest_ids)[activity_id] = row.Int(2);
  }
  constexpr std::size_t kChunk = 200;
  std::string where = "activity_id IN (";
  for (std::size_t i = 0; i < kChunk; ++i) where += i == 0 ? "?" : ", ?";
  where += ") AND month BETWEEN ? AND ?";
  std::vector<MonthCell> cells;
  for (std::size_t start = 0; start < with_corrections.size(); start += kChunk) {
    storage::Params ids;
    for (std::size_t i = 0; i < kChunk; ++i) {
      ids.emplace_back(start + i < with_corrections.size() ? with_corrections[start + i]
                                                           : std::int64_t{-1});
    }
    ids.emplace_back(std::int64_t{from});
    ids.emplace_back(std::int64_t{to});
    RETURN_IF_ERROR(ReadMonthCells(c, where, ids, cells));
  }
  AddMonthCells(cells, statuses, counts, latest_ids);
  return Status::Ok();
}
}  // namespace

Result<std::map<std::int64_t, std::map<MonthIndex, ActivityStatus>>> PlanStore::MonthStatuses(
    storage::Connection& c, std::int64_t plan_id, MonthIndex from, MonthIndex to,
    std::map<std::int64_t, int>* counts, std::map<std::int64_t, std::int64_t>* latest_ids) const {
  std::map<std::int64_t, std::map<MonthIndex, ActivityStatus>> statuses;
  if (c.engine() == storage::Engine::kPostgres) {
    RETURN_IF_ERROR(AggregateMonthCells(c, plan_id, from, to, statuses, counts, latest_ids));
    return statuses;
  }
  // SQLite reads the covering index faster than it groups; the latest entry (highest id) of a
  // month wins.
  std::vector<MonthCell> cells;
  RETURN_IF_ERROR(ReadMonthCells(c, "plan_id = ? AND month BETWEEN ? AND ?",
                                 {plan_id, std::int64_t{from}, std::int64_t{to}}, cells));
  AddMonthCells(cells, statuses, counts, latest_ids);
  return statuses;
}

Result<std::map<std::int64_t, std::vector<DatedEntry>>> PlanStore::DatedEntries(
    storage::Connection& c, const std::vector<std::int64_t>& activity_ids, MonthIndex from,
    MonthIndex to) const {
  // Through the activity index, a fixed number of ids at a time so that one prepared statement
  // serves every chunk. A join on the plan's activities let PostgreSQL choose a scan of every
  // entry instead. plan_entries_dated holds every column asked for: entries arrive month by
  // month, so an activity's are spread over the table, and visiting each row cost SQLite 21 ms
  // for the benchmark plan's matrix against 9 ms from the index alone.
  constexpr std::size_t kChunk = 200;
  std::string sql =
      "SELECT e.activity_id, e.id, e.month, e.occurred_on FROM plan_entries e "
      "WHERE e.activity_id IN (";
  for (std::size_t i = 0; i < kChunk; ++i) sql += i == 0 ? "?" : ", ?";
  sql += ") AND e.month BETWEEN ? AND ? AND e.status <> 'cancelled'";
  std::map<std::int64_t, std::vector<DatedEntry>> out;
  for (std::size_t start = 0; start < activity_ids.size(); start += kChunk) {
    storage::Params params;
    params.reserve(kChunk + 2);
    for (std::size_t i = 0; i < kChunk; ++i) {
      params.emplace_back(start + i < activity_ids.size() ? activity_ids[start + i]
                                                          : std::int64_t{-1});
    }
    params.emplace_back(std::int64_t{from});
    params.emplace_back(std::int64_t{to});
    RETURN_IF_ERROR(c.ForEachRow(sql, params, [&](const storage::Row& row) {
      std::string date = row.IsNull(3) ? std::string() : row.Text(3);
      if (date.empty()) date = FormatMonth(static_cast<MonthIndex>(row.Int(2))) + "-01";
      out[row.Int(0)].push_back({std::move(date), row.Int(1)});
      return Status::Ok();
    }));
  }
  return out;
}

namespace {
Result<std::map<std::int64_t, std::vector<DatedEntry>>> Dated(storage::Connection& c,
                                                              const std::string& where,
                                                              std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT e.activity_id, e.id, e.month, e.occurred_on FROM "
                           "plan_activities a JOIN plan_entries e ON e.activity_id = a.id "
                           "WHERE " +
                               where +
                               " AND a.frequency NOT IN ('none', "
                               "'per_event') AND e.status <> 'cancelled'",
                           {id}));
  std::map<std::int64_t, std::vector<DatedEntry>> out;
  for (const auto& row : rows.rows) {
    std::string date = row.OptText(3).value_or("");
    if (date.empty()) date = FormatMonth(static_cast<MonthIndex>(row.Int(2))) + "-01";
    out[row.Int(0)].push_back({std::move(date), row.Int(1)});
  }
  return out;
}
}  // namespace

Result<std::map<std::int64_t, std::vector<DatedEntry>>> PlanStore::DatedEntriesOf(
    storage::Connection& c, std::int64_t activity_id) const {
  return Dated(c, "e.activity_id = ?", activity_id);
}

Result<std::vector<std::pair<Activity, std::string>>> PlanStore::ActivitiesOfUnits(
    storage::Connection& c, const std::vector<std::int64_t>& unit_ids) const {
  std::vector<std::pair<Activity, std::string>> out;
  std::map<std::int64_t, std::size_t> index;
  for (std::int64_t unit_id : unit_ids) {
    ASSIGN_OR_RETURN(
        auto rows,
        c.Query(std::string("SELECT ") + kActivityColumns +
                    ", u.unit_role FROM plan_activity_units u JOIN plan_activities a ON a.id = "
                    "u.activity_id JOIN plans p ON p.id = a.plan_id WHERE u.unit_id = ? AND "
                    "p.version_number = (SELECT MAX(q.version_number) FROM plans q WHERE "
                    "q.plan_key = p.plan_key) ORDER BY a.plan_id, a.position",
                {unit_id}));
    for (const auto& row : rows.rows) {
      const std::int64_t id = row.Int(0);
      const std::string role = row.Text(10);
      auto found = index.find(id);
      if (found != index.end()) {
        if (role == "lead") out[found->second].second = "lead";
        continue;
      }
      index[id] = out.size();
      out.emplace_back(ActivityFromRow(row), role);
    }
  }
  std::map<std::int64_t, Activity*> by_id;
  for (auto& [activity, role] : out) by_id[activity.id] = &activity;
  for (auto& [id, activity] : by_id) {
    std::map<std::int64_t, Activity*> one{{id, activity}};
    RETURN_IF_ERROR(LoadUnits(c, "WHERE u.activity_id = ?", {id}, one));
  }
  return out;
}

Status PlanStore::UpdateActivity(storage::Connection& c, const Activity& activity,
                                 UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute(
      "UPDATE plan_activities SET status = ?, frequency = ?, target_months = ?, "
      "updated_at = ? WHERE id = ?",
      {std::string(StatusName(activity.status)), std::string(FrequencyName(activity.frequency)),
       JoinInts(activity.target_months), now, activity.id}));
  return RaiseRevision(c, "id = ?", {activity.plan_id});
}

namespace {
Result<std::int64_t> InsertEntryRow(storage::Connection& c, std::int64_t plan_id,
                                    std::int64_t activity_id, const NewEntry& entry,
                                    std::int64_t author_id, const std::string& author,
                                    UnixMillis now) {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO plan_entries (plan_id, activity_id, month, occurred_on, status, "
                 "narrative, author_id, author, corrects_id, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {plan_id, activity_id, std::int64_t{entry.month},
                  entry.occurred_on.empty() ? storage::Null() : storage::Value(entry.occurred_on),
                  std::string(StatusName(entry.status)), entry.narrative, author_id, author,
                  storage::Opt(entry.corrects), now}));
  return row->Int(0);
}
}  // namespace

Status PlanStore::InsertEntryRows(storage::Connection& c,
                                  const std::vector<std::pair<Activity, NewEntry>>& entries,
                                  std::int64_t author_id, const std::string& author,
                                  UnixMillis now) const {
  std::set<std::int64_t> plans;
  for (const auto& [activity, entry] : entries) {
    RETURN_IF_ERROR(
        InsertEntryRow(c, activity.plan_id, activity.id, entry, author_id, author, now).status());
    plans.insert(activity.plan_id);
  }
  for (std::int64_t plan_id : plans) RETURN_IF_ERROR(RaiseRevision(c, "id = ?", {plan_id}));
  return Status::Ok();
}

Status PlanStore::FollowLatestEntries(storage::Connection& c, std::int64_t plan_id,
                                      UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE plan_activities SET status = (SELECT e.status FROM plan_entries e WHERE "
                "e.activity_id = plan_activities.id ORDER BY e.month DESC, e.id DESC LIMIT 1), "
                "updated_at = ? WHERE plan_id = ? AND EXISTS (SELECT 1 FROM plan_entries e WHERE "
                "e.activity_id = plan_activities.id)",
                {now, plan_id}));
  return RaiseRevision(c, "id = ?", {plan_id});
}

Result<std::int64_t> PlanStore::InsertEntry(storage::Connection& c, std::int64_t plan_id,
                                            std::int64_t activity_id, const NewEntry& entry,
                                            std::int64_t author_id, const std::string& author,
                                            UnixMillis now) const {
  ASSIGN_OR_RETURN(const std::int64_t id,
                   InsertEntryRow(c, plan_id, activity_id, entry, author_id, author, now));
  // The activity's status follows its most recent month: an entry for an earlier month (a
  // late report, a correction of the past) leaves the current status alone.
  RETURN_IF_ERROR(
      c.Execute("UPDATE plan_activities SET status = ?, updated_at = ? WHERE id = ? "
                "AND NOT EXISTS (SELECT 1 FROM plan_entries WHERE activity_id = ? AND "
                "month > ?)",
                {std::string(StatusName(entry.status)), now, activity_id, activity_id,
                 std::int64_t{entry.month}}));
  RETURN_IF_ERROR(RaiseRevision(c, "id = ?", {plan_id}));
  return id;
}

Result<std::optional<Entry>> PlanStore::GetEntry(storage::Connection& c,
                                                 std::int64_t entry_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kEntryColumns +
                                            " FROM plan_entries e WHERE e.id = ?",
                                        {entry_id}));
  if (!row) return std::optional<Entry>();
  std::vector<Entry> one{EntryFromRow(*row)};
  RETURN_IF_ERROR(AttachEvidenceRows(c, one));
  return std::optional<Entry>(std::move(one.front()));
}

Result<std::vector<Entry>> PlanStore::ListEntries(storage::Connection& c,
                                                  std::int64_t activity_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kEntryColumns +
                                          " FROM plan_entries e WHERE e.activity_id = ? "
                                          "ORDER BY e.id DESC",
                                      {activity_id}));
  std::vector<Entry> entries;
  for (const auto& row : rows.rows) entries.push_back(EntryFromRow(row));
  RETURN_IF_ERROR(AttachEvidenceRows(c, entries));
  return entries;
}

Result<std::vector<Entry>> PlanStore::EntriesByIds(storage::Connection& c,
                                                   const std::vector<std::int64_t>& ids) const {
  // A fixed number of placeholders, so that one prepared statement serves every chunk; the
  // JSON report reads one entry per activity, so chunks are large (each is a round trip).
  constexpr std::size_t kChunk = 500;
  std::string sql = std::string("SELECT ") + kEntryColumns + " FROM plan_entries e WHERE e.id IN (";
  for (std::size_t i = 0; i < kChunk; ++i) sql += i == 0 ? "?" : ", ?";
  sql += ")";
  std::vector<Entry> entries;
  for (std::size_t start = 0; start < ids.size(); start += kChunk) {
    storage::Params params;
    for (std::size_t i = 0; i < kChunk; ++i) {
      params.emplace_back(start + i < ids.size() ? ids[start + i] : std::int64_t{-1});
    }
    ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
    for (const auto& row : rows.rows) entries.push_back(EntryFromRow(row));
  }
  RETURN_IF_ERROR(AttachEvidenceRows(c, entries));
  return entries;
}

Result<std::vector<Entry>> PlanStore::EntriesInPeriod(storage::Connection& c, std::int64_t plan_id,
                                                      MonthIndex from, MonthIndex to) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kEntryColumns +
                                          " FROM plan_entries e WHERE e.plan_id = ? AND e.month "
                                          "BETWEEN ? AND ? ORDER BY e.activity_id, e.id",
                                      {plan_id, std::int64_t{from}, std::int64_t{to}}));
  std::vector<Entry> entries;
  for (const auto& row : rows.rows) entries.push_back(EntryFromRow(row));
  RETURN_IF_ERROR(AttachEvidenceRows(c, entries));
  return entries;
}

Result<std::int64_t> PlanStore::InsertFileEvidence(storage::Connection& c, const Evidence& evidence,
                                                   const std::string& file_key_sealed,
                                                   std::int64_t uploaded_by, UnixMillis now) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO plan_evidence (kind, filename, content_type, size, "
                              "sha256, file_key_sealed, uploaded_by, created_at) "
                              "VALUES ('file', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              {evidence.filename, evidence.content_type, evidence.size,
                               evidence.sha256, storage::Blob{file_key_sealed}, uploaded_by, now}));
  return row->Int(0);
}

Result<std::int64_t> PlanStore::InsertLinkEvidence(storage::Connection& c, std::int64_t entry_id,
                                                   const std::string& url, const std::string& title,
                                                   std::int64_t uploaded_by, UnixMillis now) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("INSERT INTO plan_evidence (entry_id, kind, url, title, "
                                        "uploaded_by, created_at) VALUES (?, 'link', ?, ?, ?, ?) "
                                        "RETURNING id",
                                        {entry_id, url, title, uploaded_by, now}));
  RETURN_IF_ERROR(
      RaiseRevision(c, "id = (SELECT plan_id FROM plan_entries WHERE id = ?)", {entry_id}));
  return row->Int(0);
}

Result<std::optional<StoredEvidenceFile>> PlanStore::GetEvidence(storage::Connection& c,
                                                                 std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kEvidenceColumns +
                                            " FROM plan_evidence WHERE id = ?",
                                        {id}));
  if (!row) return std::optional<StoredEvidenceFile>();
  return std::optional<StoredEvidenceFile>(EvidenceFromRow(*row));
}

Status PlanStore::AttachEvidence(storage::Connection& c, std::int64_t evidence_id,
                                 std::int64_t entry_id) const {
  ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE plan_evidence SET entry_id = ? WHERE id = ? AND "
                                           "entry_id IS NULL AND kind = 'file'",
                                           {entry_id, evidence_id}));
  if (changed != 1) {
    return Unprocessable(
        "evidence " + std::to_string(evidence_id) + " does not exist or belongs to another entry",
        "evidence_ids");
  }
  return RaiseRevision(c, "id = (SELECT plan_id FROM plan_entries WHERE id = ?)", {entry_id});
}

Result<std::vector<std::int64_t>> PlanStore::DeleteOrphanEvidence(storage::Connection& c,
                                                                  UnixMillis cutoff) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM plan_evidence WHERE entry_id IS NULL AND "
                                      "created_at < ?",
                                      {cutoff}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows.rows) {
    ids.push_back(row.Int(0));
    RETURN_IF_ERROR(c.Execute("DELETE FROM plan_evidence WHERE id = ?", {row.Int(0)}));
  }
  return ids;
}

Result<std::vector<IndicatorDefinition>> PlanStore::ListIndicatorDefinitions(
    storage::Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT indicator_key, description, unit, target, kind, "
                                      "result_ids FROM plan_indicators ORDER BY indicator_key"));
  std::vector<IndicatorDefinition> out;
  for (const auto& row : rows.rows) {
    IndicatorDefinition definition{
        row.Text(0), row.Text(1), row.Text(2), row.OptText(3).value_or(""), row.Text(4), {}};
    for (const auto& id : FromJson(row.Text(5))) definition.result_ids.push_back(std::stoll(id));
    out.push_back(std::move(definition));
  }
  return out;
}

Status PlanStore::UpsertIndicatorDefinition(storage::Connection& c,
                                            const IndicatorDefinition& definition) const {
  std::vector<std::string> ids;
  for (std::int64_t id : definition.result_ids) ids.push_back(std::to_string(id));
  RETURN_IF_ERROR(
      c.Execute("DELETE FROM plan_indicators WHERE indicator_key = ? AND NOT EXISTS "
                "(SELECT 1 FROM plan_indicator_values v WHERE v.indicator_key = ?)",
                {definition.key, definition.key}));
  ASSIGN_OR_RETURN(
      auto existing,
      c.QueryOne("SELECT 1 FROM plan_indicators WHERE indicator_key = ?", {definition.key}));
  if (existing) {
    RETURN_IF_ERROR(
        c.Execute("UPDATE plan_indicators SET description = ?, unit = ?, target = ?, "
                  "kind = ?, result_ids = ? WHERE indicator_key = ?",
                  {definition.description, definition.unit, definition.target, definition.kind,
                   ToJson(ids), definition.key}));
  } else {
    RETURN_IF_ERROR(
        c.Execute("INSERT INTO plan_indicators (indicator_key, description, unit, target, "
                  "kind, result_ids) VALUES (?, ?, ?, ?, ?, ?)",
                  {definition.key, definition.description, definition.unit, definition.target,
                   definition.kind, ToJson(ids)}));
  }
  // Plans list the indicators of their expected results: every plan may have changed.
  return RaiseRevision(c, "id > ?", {std::int64_t{0}});
}

Status PlanStore::InsertIndicatorValue(storage::Connection& c, const IndicatorValue& value,
                                       std::int64_t entered_by_id, UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute(
      "INSERT INTO plan_indicator_values (indicator_key, value, value_date, "
      "note, entered_by_id, entered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {value.key, value.value, value.date, value.note, entered_by_id, value.entered_by, now}));
  return Status::Ok();
}

Result<std::vector<IndicatorValue>> PlanStore::IndicatorValues(storage::Connection& c,
                                                               const std::string& key,
                                                               const std::string& from_date,
                                                               const std::string& to_date) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT indicator_key, value, value_date, note, entered_by, "
                           "created_at FROM plan_indicator_values WHERE indicator_key = ? "
                           "AND value_date BETWEEN ? AND ? ORDER BY value_date, id",
                           {key, from_date, to_date}));
  std::vector<IndicatorValue> values;
  for (const auto& row : rows.rows) {
    values.push_back({row.Text(0), row.Text(1), row.Text(2), row.OptText(3).value_or(""),
                      row.Text(4), row.Int(5)});
  }
  return values;
}

}  // namespace psea::plan
