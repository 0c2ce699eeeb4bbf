// SQL for the retention tables (retention_policies, retention_holds). Every method runs on the
// caller's connection, inside the caller's transaction when there is one.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "modules/retention/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::retention {

class RetentionStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  // The stored policies; a kind without a row has its default.
  Result<std::vector<Policy>> ListPolicies(storage::Connection& c) const;
  Status PutPolicy(storage::Connection& c, const Policy& policy) const;

  // Active holds first (newest first), then lifted ones (newest first); at most 1000.
  Result<std::vector<Hold>> ListHolds(storage::Connection& c) const;
  Result<std::optional<Hold>> FindHold(storage::Connection& c, std::int64_t id) const;
  Result<std::optional<Hold>> FindActiveHold(storage::Connection& c, const std::string& object_type,
                                             std::int64_t object_id) const;
  // The ids of `object_type` under an active hold.
  Result<std::set<std::int64_t>> HeldIds(storage::Connection& c,
                                         const std::string& object_type) const;
  Result<std::int64_t> InsertHold(storage::Connection& c, const Hold& hold) const;
  // False when the hold is not active.
  Result<bool> LiftHold(storage::Connection& c, std::int64_t id, std::int64_t by,
                        const std::string& by_username, const std::string& reason,
                        UnixMillis now) const;
  // Lifted holds of records that a purge removed: nothing is left to hold.
  Status DeleteHoldsOf(storage::Connection& c, const std::string& object_type,
                       const std::vector<std::int64_t>& ids) const;
};

}  // namespace psea::retention
