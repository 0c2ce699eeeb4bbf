// Retention policies, legal holds and the purge. Only this module reads its tables (through
// RetentionStore); the records it purges belong to other modules, which it calls: intake
// (complaints, the quarantine), cases (allegation cases), accounts (sessions) and the audit
// log. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/accounts/service.h"
#include "modules/cases/service.h"
#include "modules/intake/service.h"
#include "modules/retention/model.h"
#include "modules/retention/store.h"
#include "security/audit.h"
#include "security/permissions.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::retention {

// Who runs a purge, for its audit entry: "system" (the server's daily run) or "cli".
struct RunActor {
  std::string actor = "system";
  std::string request_id;
};

class RetentionService {
 public:
  RetentionService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
                   intake::IntakeService& intake, const cases::CasesService& cases,
                   accounts::AccountsService& accounts);

  static std::vector<storage::Migration> Migrations() { return RetentionStore::Migrations(); }

  // Every kind, with its default where the CDT chief changed nothing. The caller authorises.
  Result<std::vector<Policy>> ListPolicies();
  // kInvalidArgument (field after_days) outside [MinDays(kind), kMaxDays]. Audited
  // (retention.policy, with the new values).
  Result<Policy> SetPolicy(const security::Principal& actor, Kind kind, bool enabled,
                           std::int64_t after_days, const std::string& request_id);

  // Legal holds. Object types: "complaint" and "case".
  Result<std::vector<Hold>> ListHolds();
  // kInvalidArgument (object_type) for an unknown type, kUnprocessable (object_id) when there
  // is no such record, kConflict when it is already held. Audited (retention.hold_place); the
  // reason is kept in the hold, not in the audit log.
  Result<Hold> PlaceHold(const security::Principal& actor, const std::string& object_type,
                         std::int64_t object_id, const std::string& reason,
                         const std::string& request_id);
  // kNotFound for no such hold, kConflict when it was lifted already. Audited
  // (retention.hold_lift).
  Result<Hold> LiftHold(const security::Principal& actor, std::int64_t hold_id,
                        const std::string& reason, const std::string& request_id);

  // The purge. With dry_run nothing changes (one read snapshot) and the report lists what is
  // due. Otherwise everything due goes in one write transaction (all or nothing) that also
  // appends one audit entry (retention.run) with the counts only, unless nothing was due
  // (then no entry); then the attachment files of the removed complaints (and the evidence
  // files of the removed cases) are overwritten and removed. A case goes with everything it
  // owns (CasesService::PurgeCases, and its purge hooks: evidence); the complaints
  // it took stay. `as_of` replaces "now" as the date
  // policies count from (drills and tests; see `psea retention run --as-of`).
  Result<RunReport> Run(bool dry_run, const RunActor& actor,
                        std::optional<UnixMillis> as_of = std::nullopt);

  // The statuses each complaint kind covers.
  static std::vector<intake::ComplaintStatus> StatusesOf(Kind kind);

 private:
  Result<RunReport> RunOn(storage::Connection& c, bool dry_run, UnixMillis as_of,
                          std::vector<std::string>& files);

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  intake::IntakeService& intake_;
  const cases::CasesService& cases_;
  accounts::AccountsService& accounts_;
  RetentionStore store_;
  // Checks that a record exists, per object type a hold may name.
  std::map<std::string, std::function<Result<bool>(storage::Connection&, std::int64_t)>>
      hold_targets_;
};

}  // namespace psea::retention
