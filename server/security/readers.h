// Reader sets: who may open what a module seals. A set is named by its scope ("intake" today;
// cases and victims' assistance reuse it). Being eligible (a role) never makes anyone a reader:
// only a reader adds or removes readers, and the first reader of an installation is
// designated from the server's console with the organisation's recovery key.
//
// The registry keeps the members and a log of every change, which the readers see in the
// application (each reader's last-seen change is kept). It never touches vault wraps: the
// module that owns the sealed items grants and revokes them in the same transaction.
//
// All methods run inside the caller's transaction; none audits (callers audit).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::security {

struct ReaderEntry {
  std::int64_t user_id = 0;
  std::int64_t added_by = 0;  // 0: the server's console
  std::string added_by_name;  // the adder's user name, or "console"
  UnixMillis added_at = 0;
};

enum class ReaderChangeKind { kAdded, kRemoved, kAccessEnded };
std::string_view ReaderChangeName(ReaderChangeKind kind);

struct ReaderChange {
  std::int64_t id = 0;
  std::string scope;
  ReaderChangeKind kind = ReaderChangeKind::kAdded;
  std::int64_t user_id = 0;
  std::string username;  // of the reader added or removed, as it was then
  std::int64_t by_user_id = 0;
  std::string by_name;  // who made the change: a user name, "console" or "accounts"
  std::string reason;   // for kAccessEnded: "role_changed", "disabled"
  UnixMillis at = 0;
};

class ReaderRegistry {
 public:
  static std::vector<storage::Migration> Migrations();

  Result<std::vector<ReaderEntry>> List(storage::Connection& c, std::string_view scope) const;
  Result<std::vector<std::int64_t>> Ids(storage::Connection& c, std::string_view scope) const;
  Result<bool> IsReader(storage::Connection& c, std::string_view scope, std::int64_t user) const;

  // kConflict (field "user_id") when the user reads the set already.
  Status Add(storage::Connection& c, std::string_view scope, std::int64_t user,
             std::string_view username, std::int64_t by_user, std::string_view by_name,
             UnixMillis now) const;
  // kNotFound when the user is not a reader; kConflict when they are the last one.
  Status Remove(storage::Connection& c, std::string_view scope, std::int64_t user,
                std::string_view username, std::int64_t by_user, std::string_view by_name,
                UnixMillis now) const;
  // Takes the user out of every set (a role change or a disabled account). Never refused,
  // even for a last reader: access must end at once. Returns the scopes they left.
  Result<std::vector<std::string>> RemoveEverywhere(storage::Connection& c, std::int64_t user,
                                                    std::string_view username,
                                                    std::string_view reason, UnixMillis now) const;

  // The newest changes of a scope, newest first.
  Result<std::vector<ReaderChange>> Changes(storage::Connection& c, std::string_view scope,
                                            int limit) const;
  // How many changes of the scope the reader has not marked seen.
  Result<std::int64_t> UnseenChanges(storage::Connection& c, std::string_view scope,
                                     std::int64_t reader) const;
  Status MarkSeen(storage::Connection& c, std::string_view scope, std::int64_t reader,
                  std::int64_t up_to_change) const;

 private:
  Status Log(storage::Connection& c, std::string_view scope, ReaderChangeKind kind,
             std::int64_t user, std::string_view username, std::int64_t by_user,
             std::string_view by_name, std::string_view reason, UnixMillis now) const;
};

}  // namespace psea::security
