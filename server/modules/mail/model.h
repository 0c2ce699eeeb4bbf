// The outbox of e-mail the server sends (urgent alerts, readers' announcements, the audit
// anchor, case reminders): each message is a row until the mail system accepts it, so nothing
// is lost to a refusal or a restart. The types and the retry schedule, pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace psea::mail {

// pending: waiting for its (next) attempt; sent: the mail system accepted it; failed: refused
// for longer than the schedule allows, kept until an operator retries it (`psea mail retry`).
enum class OutboxStatus { kPending, kSent, kFailed };

std::string_view OutboxStatusName(OutboxStatus status);
// kInvalidArgument naming "status" for anything but pending, sent or failed.
Result<OutboxStatus> ParseOutboxStatus(std::string_view name);

struct OutboxMessage {
  std::int64_t id = 0;
  std::string label;    // what it is, for logs and `psea mail list`: "urgent alert C-..."
  std::string message;  // the whole RFC 5322 message, recipients in its headers
  OutboxStatus status = OutboxStatus::kPending;
  std::int64_t attempts = 0;  // handed to the mail system so far
  UnixMillis created_at = 0;  // when the event put it here
  UnixMillis queued_at = 0;   // start of its 24 hours: created_at, or the last `retry`
  UnixMillis next_attempt_at = 0;
  std::optional<UnixMillis> finished_at;  // sent or given up
  std::string last_error;                 // why the last attempt failed ("" once sent)
};

struct OutboxCounts {
  std::int64_t pending = 0;
  std::int64_t failed = 0;
};

// When a refused message is tried again: 1, 5, 15 and 60 units after the first, second,
// third and fourth refusal, then every 60 units; given up (status failed) at a refusal
// 1440 units after it was queued. A unit is a minute, except in tests.
struct RetrySchedule {
  std::int64_t unit_millis = 60 * 1000;

  // The delay after the `attempts`-th attempt was refused (attempts >= 1).
  std::int64_t DelayAfter(std::int64_t attempts) const;
  std::int64_t GiveUpAfter() const { return 1440 * unit_millis; }
  // How long a claimed message is held for its attempt (MailOutbox::ClaimNext): a sender that
  // hangs or dies leaves it to be tried again after that.
  std::int64_t ClaimLease() const { return 10 * unit_millis; }
};

}  // namespace psea::mail
