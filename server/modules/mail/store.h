// All SQL of the mail outbox (table mail_outbox). Every method runs on the caller's
// connection, inside the caller's transaction when there is one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "modules/mail/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::mail {

class MailStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  // A pending message, due at once. Returns its id.
  Result<std::int64_t> Insert(storage::Connection& c, const std::string& label,
                              const std::string& message, UnixMillis now) const;
  // The pending message due first (next_attempt_at <= now), if any.
  Result<std::optional<OutboxMessage>> NextDue(storage::Connection& c, UnixMillis now) const;
  // Takes a due message for one attempt: counts the attempt and moves its next attempt to
  // `lease_until`, so that no other process takes it meanwhile (and that a process which dies
  // while sending leaves it to be tried again then). False when another process took it first.
  Result<bool> Claim(storage::Connection& c, std::int64_t id, UnixMillis now,
                     UnixMillis lease_until) const;
  Status MarkSent(storage::Connection& c, std::int64_t id, UnixMillis now) const;
  Status Reschedule(storage::Connection& c, std::int64_t id, UnixMillis next_attempt_at,
                    const std::string& error) const;
  Status MarkFailed(storage::Connection& c, std::int64_t id, UnixMillis now,
                    const std::string& error) const;
  // Newest first, at most `limit`; all statuses when `status` is empty.
  Result<std::vector<OutboxMessage>> List(storage::Connection& c,
                                          std::optional<OutboxStatus> status, int limit) const;
  Result<std::optional<OutboxMessage>> Find(storage::Connection& c, std::int64_t id) const;
  Result<OutboxCounts> Counts(storage::Connection& c) const;
  // The earliest next attempt of a pending message.
  Result<std::optional<UnixMillis>> EarliestPending(storage::Connection& c) const;
  // A failed or pending message (`id`), or every failed one (no id), made due at once with a
  // fresh 24 hours. Returns how many.
  Result<std::int64_t> Requeue(storage::Connection& c, std::optional<std::int64_t> id,
                               UnixMillis now) const;
  // Sent messages finished before `before`. Returns how many.
  Result<std::int64_t> DeleteSentBefore(storage::Connection& c, UnixMillis before) const;
};

}  // namespace psea::mail
