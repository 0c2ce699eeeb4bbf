// The audit chain: an append-only table in which every entry carries a SHA-256 hash over its
// own content and the previous entry's hash, so that altering, removing or reordering any
// entry breaks the chain from that entry on. A one-row head table holds the last id and hash,
// which also catches entries cut from the end.
//
// Entries never hold personal data in clear: ids, action names and request ids only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::security {

struct AuditEvent {
  std::optional<std::int64_t> actor_user_id;  // nullopt for the system or the command line
  std::string actor;                          // user name, "token:<id>", "cli" or "system"
  std::string action;                         // "user.create", "auth.login", "vault.open", ...
  std::string object_type;                    // "user", "session", "token", ...
  std::string object_id;                      // may be empty
  std::string request_id;                     // may be empty (command line)
  std::string details;  // a small JSON object without personal data; "{}" when none
};

struct AuditEntry {
  std::int64_t id = 0;
  UnixMillis ts = 0;
  AuditEvent event;
  std::string prev_hash;  // hex
  std::string hash;       // hex
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;
  std::optional<UnixMillis> from;  // inclusive
  std::optional<UnixMillis> to;    // exclusive
  std::optional<std::int64_t> before_id;
  int limit = 100;
};

// One entry of the chain named by its id and hash; the head of an empty chain is
// {0, 64 zeros}.
struct AuditAnchor {
  std::int64_t id = 0;
  std::string hash;  // hex, 64 lower-case digits
  bool operator==(const AuditAnchor&) const = default;
};

struct AuditVerification {
  bool ok = true;
  std::int64_t entries_checked = 0;
  std::int64_t first_bad_id = 0;  // the entry where the chain first breaks
  std::string problem;            // what is wrong there
};

class AuditLog {
 public:
  explicit AuditLog(const Clock& clock) : clock_(clock) {}

  // Appends inside the caller's write transaction, so the entry commits or rolls back with
  // the change it records. Serialises concurrent writers through the head row.
  Status Append(storage::Connection& connection, const AuditEvent& event) const;
  // Convenience: its own transaction (for reads of sensitive records and failed logins).
  Status AppendNow(storage::Database& database, const AuditEvent& event) const;

  // Newest first.
  static Result<std::vector<AuditEntry>> Query(storage::Connection& connection,
                                               const AuditFilter& filter);
  // Walks the whole chain in id order.
  static Result<AuditVerification> Verify(storage::Database& database);
  // The head as the caller's transaction sees it (for an anchor to keep off the server).
  // kInternal when the head row is missing.
  static Result<AuditAnchor> Head(storage::Connection& connection);

  static std::vector<storage::Migration> Migrations();

  // The hash of an entry given its content and the previous hash (exposed for tests).
  static std::string ComputeHash(const AuditEntry& entry);

 private:
  const Clock& clock_;
};

}  // namespace psea::security
