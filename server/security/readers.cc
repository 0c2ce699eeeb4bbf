#include "security/readers.h"

namespace psea::security {

using storage::Connection;

std::string_view ReaderChangeName(ReaderChangeKind kind) {
  switch (kind) {
    case ReaderChangeKind::kAdded:
      return "added";
    case ReaderChangeKind::kRemoved:
      return "removed";
    case ReaderChangeKind::kAccessEnded:
      return "access_ended";
  }
  return "added";
}

namespace {
ReaderChangeKind ParseChange(std::string_view name) {
  if (name == "removed") return ReaderChangeKind::kRemoved;
  if (name == "access_ended") return ReaderChangeKind::kAccessEnded;
  return ReaderChangeKind::kAdded;
}
}  // namespace

std::vector<storage::Migration> ReaderRegistry::Migrations() {
  return {{"readers", 1, "reader sets and the log of their changes", R"sql(
CREATE TABLE reader_members (
  scope TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  added_by BIGINT NOT NULL,
  added_by_name TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  seen_change_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, user_id)
);
CREATE INDEX reader_members_user ON reader_members (user_id);
CREATE TABLE reader_changes (
  id {{ID}},
  scope TEXT NOT NULL,
  change TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  by_user_id BIGINT NOT NULL,
  by_name TEXT NOT NULL,
  reason TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX reader_changes_scope ON reader_changes (scope, id);
)sql"}};
}

Result<std::vector<ReaderEntry>> ReaderRegistry::List(Connection& c, std::string_view scope) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT user_id, added_by, added_by_name, added_at FROM "
                                      "reader_members WHERE scope = ? ORDER BY user_id",
                                      {std::string(scope)}));
  std::vector<ReaderEntry> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    out.push_back({row.Int(0), row.Int(1), row.Text(2), row.Int(3)});
  }
  return out;
}

Result<std::vector<std::int64_t>> ReaderRegistry::Ids(Connection& c, std::string_view scope) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT user_id FROM reader_members WHERE scope = ? ORDER BY user_id",
                           {std::string(scope)}));
  std::vector<std::int64_t> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(row.Int(0));
  return out;
}

Result<bool> ReaderRegistry::IsReader(Connection& c, std::string_view scope,
                                      std::int64_t user) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT 1 FROM reader_members WHERE scope = ? AND "
                                        "user_id = ?",
                                        {std::string(scope), user}));
  return row.has_value();
}

Status ReaderRegistry::Log(Connection& c, std::string_view scope, ReaderChangeKind kind,
                           std::int64_t user, std::string_view username, std::int64_t by_user,
                           std::string_view by_name, std::string_view reason,
                           UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO reader_changes (scope, change, user_id, username, "
                "by_user_id, by_name, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {std::string(scope), std::string(ReaderChangeName(kind)), user,
                 std::string(username), by_user, std::string(by_name), std::string(reason), now}));
  return Status::Ok();
}

Status ReaderRegistry::Add(Connection& c, std::string_view scope, std::int64_t user,
                           std::string_view username, std::int64_t by_user,
                           std::string_view by_name, UnixMillis now) const {
  ASSIGN_OR_RETURN(bool already, IsReader(c, scope, user));
  if (already) return Conflict(std::string(username) + " is a reader already", "user_id");
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO reader_members (scope, user_id, added_by, added_by_name, "
                "added_at) VALUES (?, ?, ?, ?, ?)",
                {std::string(scope), user, by_user, std::string(by_name), now}));
  RETURN_IF_ERROR(
      Log(c, scope, ReaderChangeKind::kAdded, user, username, by_user, by_name, "", now));
  // A new reader starts with the history seen: their own addition is the last of it.
  RETURN_IF_ERROR(
      c.Execute("UPDATE reader_members SET seen_change_id = (SELECT MAX(id) FROM "
                "reader_changes WHERE scope = ?) WHERE scope = ? AND user_id = ?",
                {std::string(scope), std::string(scope), user}));
  return Status::Ok();
}

Status ReaderRegistry::Remove(Connection& c, std::string_view scope, std::int64_t user,
                              std::string_view username, std::int64_t by_user,
                              std::string_view by_name, UnixMillis now) const {
  ASSIGN_OR_RETURN(bool member, IsReader(c, scope, user));
  if (!member) return NotFound(std::string(username) + " is not a reader");
  ASSIGN_OR_RETURN(auto count, c.QueryOne("SELECT COUNT(*) FROM reader_members WHERE scope = ?",
                                          {std::string(scope)}));
  if (count->Int(0) <= 1) {
    return Conflict("the last reader cannot be removed: add another reader first", "user_id");
  }
  RETURN_IF_ERROR(c.Execute("DELETE FROM reader_members WHERE scope = ? AND user_id = ?",
                            {std::string(scope), user}));
  return Log(c, scope, ReaderChangeKind::kRemoved, user, username, by_user, by_name, "", now);
}

Result<std::vector<std::string>> ReaderRegistry::RemoveEverywhere(Connection& c, std::int64_t user,
                                                                  std::string_view username,
                                                                  std::string_view reason,
                                                                  UnixMillis now) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT scope FROM reader_members WHERE user_id = ? "
                                      "ORDER BY scope",
                                      {user}));
  std::vector<std::string> scopes;
  for (const auto& row : rows.rows) scopes.push_back(row.Text(0));
  if (scopes.empty()) return scopes;
  RETURN_IF_ERROR(c.Execute("DELETE FROM reader_members WHERE user_id = ?", {user}));
  for (const auto& scope : scopes) {
    RETURN_IF_ERROR(
        Log(c, scope, ReaderChangeKind::kAccessEnded, user, username, 0, "accounts", reason, now));
  }
  return scopes;
}

Result<std::vector<ReaderChange>> ReaderRegistry::Changes(Connection& c, std::string_view scope,
                                                          int limit) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, scope, change, user_id, username, by_user_id, "
                                      "by_name, reason, at FROM reader_changes WHERE scope = ? "
                                      "ORDER BY id DESC LIMIT ?",
                                      {std::string(scope), std::int64_t{limit}}));
  std::vector<ReaderChange> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    ReaderChange change;
    change.id = row.Int(0);
    change.scope = row.Text(1);
    change.kind = ParseChange(row.Text(2));
    change.user_id = row.Int(3);
    change.username = row.Text(4);
    change.by_user_id = row.Int(5);
    change.by_name = row.Text(6);
    change.reason = row.Text(7);
    change.at = row.Int(8);
    out.push_back(std::move(change));
  }
  return out;
}

Result<std::int64_t> ReaderRegistry::UnseenChanges(Connection& c, std::string_view scope,
                                                   std::int64_t reader) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT COUNT(*) FROM reader_changes r JOIN reader_members m ON "
                              "m.scope = r.scope AND m.user_id = ? WHERE r.scope = ? AND r.id > "
                              "m.seen_change_id AND r.by_user_id <> ?",
                              {reader, std::string(scope), reader}));
  return row ? row->Int(0) : 0;
}

Status ReaderRegistry::MarkSeen(Connection& c, std::string_view scope, std::int64_t reader,
                                std::int64_t up_to_change) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE reader_members SET seen_change_id = ? WHERE scope = ? AND "
                "user_id = ? AND seen_change_id < ?",
                {up_to_change, std::string(scope), reader, up_to_change}));
  return Status::Ok();
}

}  // namespace psea::security
