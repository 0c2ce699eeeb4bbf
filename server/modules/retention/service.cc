#include "modules/retention/service.h"

#include <boost/json.hpp>

#include "core/log.h"

namespace psea::retention {

namespace json = boost::json;
using storage::Connection;

RetentionService::RetentionService(storage::Database& database, const Clock& clock,
                                   const security::AuditLog& audit, intake::IntakeService& intake,
                                   const cases::CasesService& cases,
                                   accounts::AccountsService& accounts)
    : database_(database),
      clock_(clock),
      audit_(audit),
      intake_(intake),
      cases_(cases),
      accounts_(accounts) {
  intake::IntakeService* in = &intake_;
  hold_targets_["complaint"] = [in](Connection& c, std::int64_t id) {
    return in->ComplaintExists(c, id);
  };
  const cases::CasesService* cs = &cases_;
  hold_targets_["case"] = [cs](Connection& c, std::int64_t id) { return cs->CaseExists(c, id); };
}

std::vector<intake::ComplaintStatus> RetentionService::StatusesOf(Kind kind) {
  using intake::ComplaintStatus;
  switch (kind) {
    case Kind::kComplaintsNotSea:
      return {ComplaintStatus::kOtherMisconduct, ComplaintStatus::kGbvReferral};
    case Kind::kComplaintsClosed:
      return {ComplaintStatus::kClosed, ComplaintStatus::kDuplicate, ComplaintStatus::kHandedOver};
    default:
      return {};
  }
}

Result<std::vector<Policy>> RetentionService::ListPolicies() {
  return database_.Read<std::vector<Policy>>([&](Connection& c) { return store_.ListPolicies(c); });
}

Result<Policy> RetentionService::SetPolicy(const security::Principal& actor, Kind kind,
                                           bool enabled, std::int64_t after_days,
                                           const std::string& request_id) {
  if (after_days < MinDays(kind) || after_days > kMaxDays) {
    return InvalidArgument("after_days must be from " + std::to_string(MinDays(kind)) + " to " +
                               std::to_string(kMaxDays) + " for " + std::string(KindName(kind)),
                           "after_days");
  }
  Policy policy;
  policy.kind = kind;
  policy.enabled = enabled;
  policy.after_days = after_days;
  policy.updated_at = clock_.Now();
  policy.updated_by = actor.username;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(store_.PutPolicy(c, policy));
    const std::string details =
        json::serialize(json::object{{"enabled", enabled}, {"after_days", after_days}});
    return audit_.Append(c, {actor.user_id, actor.username, "retention.policy", "retention_policy",
                             std::string(KindName(kind)), request_id, details});
  }));
  return policy;
}

Result<std::vector<Hold>> RetentionService::ListHolds() {
  return database_.Read<std::vector<Hold>>([&](Connection& c) { return store_.ListHolds(c); });
}

Result<Hold> RetentionService::PlaceHold(const security::Principal& actor,
                                         const std::string& object_type, std::int64_t object_id,
                                         const std::string& reason, const std::string& request_id) {
  const auto target = hold_targets_.find(object_type);
  if (target == hold_targets_.end()) {
    std::string names;
    for (const auto& [name, check] : hold_targets_) names += (names.empty() ? "" : ", ") + name;
    return InvalidArgument("object_type must be one of: " + names, "object_type");
  }
  Hold hold;
  hold.object_type = object_type;
  hold.object_id = object_id;
  hold.reason = reason;
  hold.placed_by = actor.user_id;
  hold.placed_by_username = actor.username;
  hold.placed_at = clock_.Now();
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(bool exists, target->second(c, object_id));
    if (!exists) {
      return Unprocessable("no " + object_type + " with id " + std::to_string(object_id),
                           "object_id");
    }
    ASSIGN_OR_RETURN(auto active, store_.FindActiveHold(c, object_type, object_id));
    if (active) {
      return Conflict(
          "this " + object_type + " is already on hold (hold " + std::to_string(active->id) + ")",
          "object_id");
    }
    ASSIGN_OR_RETURN(hold.id, store_.InsertHold(c, hold));
    return audit_.Append(c, {actor.user_id, actor.username, "retention.hold_place", object_type,
                             std::to_string(object_id), request_id,
                             "{\"hold_id\":" + std::to_string(hold.id) + "}"});
  }));
  return hold;
}

Result<Hold> RetentionService::LiftHold(const security::Principal& actor, std::int64_t hold_id,
                                        const std::string& reason, const std::string& request_id) {
  Hold lifted;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto hold, store_.FindHold(c, hold_id));
    if (!hold) return NotFound("no such hold");
    ASSIGN_OR_RETURN(bool changed, store_.LiftHold(c, hold_id, actor.user_id, actor.username,
                                                   reason, clock_.Now()));
    if (!changed) return Conflict("this hold was lifted already", "id");
    ASSIGN_OR_RETURN(auto after, store_.FindHold(c, hold_id));
    lifted = *after;
    return audit_.Append(c, {actor.user_id, actor.username, "retention.hold_lift",
                             hold->object_type, std::to_string(hold->object_id), request_id,
                             "{\"hold_id\":" + std::to_string(hold_id) + "}"});
  }));
  return lifted;
}

Result<RunReport> RetentionService::RunOn(Connection& c, bool dry_run, UnixMillis as_of,
                                          std::vector<std::string>& files) {
  RunReport report;
  report.dry_run = dry_run;
  report.as_of = as_of;
  ASSIGN_OR_RETURN(const auto policies, store_.ListPolicies(c));
  ASSIGN_OR_RETURN(const auto held_complaints, store_.HeldIds(c, "complaint"));
  ASSIGN_OR_RETURN(const auto held_cases, store_.HeldIds(c, "case"));
  for (const Policy& policy : policies) {
    KindReport kind;
    kind.kind = policy.kind;
    kind.enabled = policy.enabled;
    kind.after_days = policy.after_days;
    if (!policy.enabled) {
      report.kinds.push_back(std::move(kind));
      continue;
    }
    kind.cutoff = Cutoff(as_of, policy.after_days);
    switch (policy.kind) {
      case Kind::kComplaintsNotSea:
      case Kind::kComplaintsClosed: {
        ASSIGN_OR_RETURN(auto candidates,
                         intake_.RetentionCandidates(c, StatusesOf(policy.kind), kind.cutoff));
        std::vector<ClosedRecord> records;
        for (const auto& candidate : candidates) {
          records.push_back({candidate.id, candidate.closed_at, candidate.duplicates});
        }
        DueRecords due = ComputeDue(records, kind.cutoff, held_complaints);
        // An original of another kind's duplicate: the other kind's pass decides for it.
        kind.ids = due.due;
        kind.held = due.held;
        kind.kept_for_duplicates = due.kept_for_duplicates;
        kind.count = static_cast<std::int64_t>(due.due.size());
        if (!dry_run && !due.due.empty()) {
          ASSIGN_OR_RETURN(auto counts, intake_.PurgeComplaints(c, due.due, files));
          kind.count = counts.complaints;
          report.vault_items += counts.vault_items;
          report.files += counts.files;
          RETURN_IF_ERROR(store_.DeleteHoldsOf(c, "complaint", due.due));
        }
        break;
      }
      case Kind::kCasesClosed: {
        ASSIGN_OR_RETURN(auto candidates, cases_.RetentionCandidates(c, kind.cutoff));
        std::vector<ClosedRecord> records;
        for (const auto& candidate : candidates) {
          records.push_back({candidate.id, candidate.closed_at, {}});
        }
        DueRecords due = ComputeDue(records, kind.cutoff, held_cases);
        kind.ids = due.due;
        kind.held = due.held;
        kind.count = static_cast<std::int64_t>(due.due.size());
        if (!dry_run && !due.due.empty()) {
          const std::size_t files_before = files.size();
          ASSIGN_OR_RETURN(auto counts, cases_.PurgeCases(c, due.due, &files));
          report.files += static_cast<std::int64_t>(files.size() - files_before);
          kind.count = counts.cases;
          report.vault_items += counts.vault_items;
          RETURN_IF_ERROR(store_.DeleteHoldsOf(c, "case", due.due));
        }
        break;
      }
      case Kind::kQuarantine: {
        if (dry_run) {
          ASSIGN_OR_RETURN(kind.count, intake_.CountQuarantinedBefore(c, kind.cutoff));
        } else {
          ASSIGN_OR_RETURN(kind.count, intake_.PurgeQuarantinedBefore(c, kind.cutoff));
          report.vault_items += kind.count;
        }
        break;
      }
      case Kind::kSessions: {
        if (dry_run) {
          ASSIGN_OR_RETURN(kind.count, accounts_.CountEndedSessions(c, kind.cutoff));
        } else {
          ASSIGN_OR_RETURN(kind.count, accounts_.PurgeEndedSessions(c, kind.cutoff));
        }
        break;
      }
      case Kind::kAudit: {
        if (dry_run) {
          ASSIGN_OR_RETURN(kind.count, security::AuditLog::CountPurgeable(c, kind.cutoff));
        } else {
          ASSIGN_OR_RETURN(kind.count, security::AuditLog::PurgeBefore(c, kind.cutoff));
        }
        break;
      }
    }
    report.kinds.push_back(std::move(kind));
  }
  return report;
}

Result<RunReport> RetentionService::Run(bool dry_run, const RunActor& actor,
                                        std::optional<UnixMillis> as_of) {
  const UnixMillis when = as_of.value_or(clock_.Now());
  RunReport report;
  std::vector<std::string> files;
  if (dry_run) {
    RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
      ASSIGN_OR_RETURN(report, RunOn(c, true, when, files));
      return Status::Ok();
    }));
    return report;
  }
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    files.clear();
    ASSIGN_OR_RETURN(report, RunOn(c, false, when, files));
    // A run that deleted nothing changed nothing: no entry (the daily run would otherwise add
    // one a day to every installation, and to every test server started at that hour).
    std::int64_t removed = 0;
    for (const auto& kind : report.kinds) removed += kind.count;
    if (removed == 0) return Status::Ok();
    // Counts only: no ids, nothing a reader could tie to a person.
    json::object details{{"vault_items", report.vault_items}, {"files", report.files}};
    for (const auto& kind : report.kinds) {
      if (kind.enabled) details[KindName(kind.kind)] = kind.count;
    }
    if (as_of) details["as_of"] = FormatIso8601(when);
    return audit_.Append(c, {std::nullopt, actor.actor, "retention.run", "retention", "",
                             actor.request_id, json::serialize(details)});
  }));
  const Status reclaimed = database_.ReclaimErased();
  if (!reclaimed.ok()) log::Warn("retention_reclaim", {{"detail", reclaimed.message()}});
  const std::int64_t erased = intake::IntakeService::EraseFiles(files);
  if (erased != static_cast<std::int64_t>(files.size())) {
    log::Warn("retention_files", {{"detail", "some attachment files could not be removed"},
                                  {"removed", std::to_string(erased)},
                                  {"expected", std::to_string(files.size())}});
  }
  return report;
}

}  // namespace psea::retention
