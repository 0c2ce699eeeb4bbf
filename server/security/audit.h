// The audit chain: an append-only table in which every entry carries a SHA-256 hash over its
// own content and the previous entry's hash, so that altering, removing or reordering any
// entry breaks the chain from that entry on. A one-row head table holds the last id and hash,
// which also catches entries cut from the end.
//
// Whoever can write the database can still rewrite the whole chain with consistent hashes, or
// cut its end and rewind the head. An anchor (the head's id and hash, "ID:HASH") kept off the
// server catches both: Verify with the anchor proves that the chain still holds that entry
// with that hash.
//
// Entries never hold personal data in clear: ids, action names and request ids only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// "ID:HASH", e.g. "1234:9f86d0...".
std::string FormatAuditAnchor(const AuditAnchor& anchor);
// kInvalidArgument (field "anchor") unless `text` is a positive or zero decimal id, a colon and
// 64 hex digits (either case; returned in lower case).
Result<AuditAnchor> ParseAuditAnchor(std::string_view text);

struct AuditVerification {
  bool ok = true;
  std::int64_t entries_checked = 0;
  std::int64_t first_bad_id = 0;  // the entry where the chain first breaks
  std::string problem;            // what is wrong there
  AuditAnchor head;               // the head the walk was checked against
  AuditAnchor base;  // where the chain starts: {0, zeros}, or the last entry a purge removed
  bool anchor_checked = false;  // an anchor was given and the chain holds it
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
  // Walks the whole chain in id order inside one read transaction (one snapshot on both
  // engines, so entries a live server appends meanwhile are neither seen nor missed). Checks
  // that every entry links to the one before and hashes to its stored hash, that the last
  // entry is the head, that no entry lies past the head, and, with `anchor`, that the entry
  // with the anchor's id still has the anchor's hash (a rewritten chain or one cut below the
  // anchor fails). A failed check is a report with ok = false; an error only when the
  // database cannot be read.
  static Result<AuditVerification> Verify(storage::Database& database,
                                          const std::optional<AuditAnchor>& anchor = {});
  // The head as the caller's transaction sees it (for an anchor to keep off the server).
  // kInternal when the head row is missing.
  static Result<AuditAnchor> Head(storage::Connection& connection);

  // Retention of the log itself. Entries are removed only from the start of the chain: the
  // last removed entry's id and hash become the chain's base (table audit_base), which Verify
  // starts from, and the database refuses to delete any entry above the base (migration 3).
  // The entries with ts < `cutoff`, from the first one on, stopping at the first newer entry.
  static Result<std::int64_t> CountPurgeable(storage::Connection& connection, UnixMillis cutoff);
  // Removes them inside the caller's write transaction and moves the base to the last one;
  // returns how many. Never removes the head (the chain always ends at a stored entry).
  static Result<std::int64_t> PurgeBefore(storage::Connection& connection, UnixMillis cutoff);
  // The base as the caller's transaction sees it.
  static Result<AuditAnchor> Base(storage::Connection& connection);

  static std::vector<storage::Migration> Migrations();

  // The hash of an entry given its content and the previous hash (exposed for tests).
  static std::string ComputeHash(const AuditEntry& entry);

 private:
  const Clock& clock_;
};

}  // namespace psea::security
