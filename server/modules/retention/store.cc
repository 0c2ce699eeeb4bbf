#include "modules/retention/store.h"

namespace psea::retention {

using storage::Connection;

namespace {
constexpr const char* kHoldColumns =
    "id, object_type, object_id, reason, placed_by, placed_by_username, placed_at, lifted_at, "
    "lifted_by_username, lift_reason";

Hold HoldFromRow(const storage::Row& row) {
  Hold hold;
  hold.id = row.Int(0);
  hold.object_type = row.Text(1);
  hold.object_id = row.Int(2);
  hold.reason = row.Text(3);
  hold.placed_by = row.Int(4);
  hold.placed_by_username = row.Text(5);
  hold.placed_at = row.Int(6);
  hold.lifted_at = row.OptInt(7);
  hold.lifted_by_username = row.Text(8);
  hold.lift_reason = row.Text(9);
  return hold;
}
}  // namespace

std::vector<storage::Migration> RetentionStore::Migrations() {
  return {{"retention", 1, "retention policies and legal holds", R"sql(
CREATE TABLE retention_policies (
  kind TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL,
  after_days BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE retention_holds (
  id {{ID}},
  object_type TEXT NOT NULL,
  object_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  placed_by BIGINT NOT NULL,
  placed_by_username TEXT NOT NULL,
  placed_at BIGINT NOT NULL,
  lifted_at BIGINT,
  lifted_by BIGINT,
  lifted_by_username TEXT NOT NULL DEFAULT '',
  lift_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX retention_holds_object ON retention_holds (object_type, object_id);
)sql"}};
}

Result<std::vector<Policy>> RetentionStore::ListPolicies(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT kind, enabled, after_days, updated_at, updated_by "
                                      "FROM retention_policies"));
  std::vector<Policy> policies;
  for (Kind kind : AllKinds()) {
    Policy policy = DefaultPolicy(kind);
    for (const auto& row : rows.rows) {
      if (row.Text(0) != KindName(kind)) continue;
      policy.enabled = row.Bool(1);
      policy.after_days = row.Int(2);
      policy.updated_at = row.Int(3);
      policy.updated_by = row.Text(4);
    }
    policies.push_back(std::move(policy));
  }
  return policies;
}

Status RetentionStore::PutPolicy(Connection& c, const Policy& policy) const {
  RETURN_IF_ERROR(c.Execute("DELETE FROM retention_policies WHERE kind = ?",
                            {std::string(KindName(policy.kind))})
                      .status());
  return c
      .Execute(
          "INSERT INTO retention_policies (kind, enabled, after_days, updated_at, updated_by) "
          "VALUES (?, ?, ?, ?, ?)",
          {std::string(KindName(policy.kind)), std::int64_t{policy.enabled ? 1 : 0},
           policy.after_days, policy.updated_at, policy.updated_by})
      .status();
}

Result<std::vector<Hold>> RetentionStore::ListHolds(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kHoldColumns +
                                      " FROM retention_holds ORDER BY CASE WHEN lifted_at IS "
                                      "NULL THEN 0 ELSE 1 END, id DESC LIMIT 1000"));
  std::vector<Hold> holds;
  for (const auto& row : rows.rows) holds.push_back(HoldFromRow(row));
  return holds;
}

Result<std::optional<Hold>> RetentionStore::FindHold(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kHoldColumns +
                                            " FROM retention_holds WHERE id = ?",
                                        {id}));
  if (!row) return std::optional<Hold>();
  return std::optional<Hold>(HoldFromRow(*row));
}

Result<std::optional<Hold>> RetentionStore::FindActiveHold(Connection& c,
                                                           const std::string& object_type,
                                                           std::int64_t object_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kHoldColumns +
                                            " FROM retention_holds WHERE object_type = ? AND "
                                            "object_id = ? AND lifted_at IS NULL",
                                        {object_type, object_id}));
  if (!row) return std::optional<Hold>();
  return std::optional<Hold>(HoldFromRow(*row));
}

Result<std::set<std::int64_t>> RetentionStore::HeldIds(Connection& c,
                                                       const std::string& object_type) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT object_id FROM retention_holds WHERE object_type = "
                                      "? AND lifted_at IS NULL",
                                      {object_type}));
  std::set<std::int64_t> ids;
  for (const auto& row : rows.rows) ids.insert(row.Int(0));
  return ids;
}

Result<std::int64_t> RetentionStore::InsertHold(Connection& c, const Hold& hold) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO retention_holds (object_type, object_id, reason, "
                              "placed_by, placed_by_username, placed_at) VALUES (?, ?, ?, ?, ?, ?) "
                              "RETURNING id",
                              {hold.object_type, hold.object_id, hold.reason, hold.placed_by,
                               hold.placed_by_username, hold.placed_at}));
  if (!row) return Internal("the hold was not stored");
  return row->Int(0);
}

Result<bool> RetentionStore::LiftHold(Connection& c, std::int64_t id, std::int64_t by,
                                      const std::string& by_username, const std::string& reason,
                                      UnixMillis now) const {
  ASSIGN_OR_RETURN(std::int64_t changed,
                   c.Execute("UPDATE retention_holds SET lifted_at = ?, lifted_by = ?, "
                             "lifted_by_username = ?, lift_reason = ? WHERE id = ? AND lifted_at "
                             "IS NULL",
                             {now, by, by_username, reason, id}));
  return changed > 0;
}

Status RetentionStore::DeleteHoldsOf(Connection& c, const std::string& object_type,
                                     const std::vector<std::int64_t>& ids) const {
  for (std::int64_t id : ids) {
    RETURN_IF_ERROR(c.Execute("DELETE FROM retention_holds WHERE object_type = ? AND object_id = ?",
                              {object_type, id})
                        .status());
  }
  return Status::Ok();
}

}  // namespace psea::retention
