// The mail outbox: every message psea e-mails is first a row of mail_outbox, written in the
// transaction of the event that causes it (Put on the caller's connection) or right after it
// (Put). Whoever sends (app::MailQueue's worker in the server, `psea mail send`, `psea cases
// remind`) claims one due message at a time, hands it to a MailSender and records the outcome:
// sent, or refused and tried again by the RetrySchedule (1, 5, 15, 60 minutes, then hourly),
// given up 24 hours after it was queued (status failed, logged as an error, the message kept
// until `psea mail retry`). A claim holds a message for the schedule's ClaimLease (10 minutes),
// so two processes never send it at once and one that dies while sending leaves it to be sent
// again (at least once).
//
// The messages are stored in clear: they carry references, clocks, due dates, user names and
// the audit anchor, never a victim's, subject's or reporter's identity (docs/security.md). A
// message that could carry one must not be put here.
//
// Thread-safe (every method runs its own transaction, or on the caller's connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/mail/model.h"
#include "modules/mail/sender.h"
#include "modules/mail/store.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::mail {

class MailOutbox {
 public:
  static constexpr std::int64_t kKeepSentMillis = 30LL * 24 * 60 * 60 * 1000;

  static std::vector<storage::Migration> Migrations() { return MailStore::Migrations(); }

  MailOutbox(storage::Database& database, const Clock& clock, RetrySchedule schedule = {});

  // Stores a message, due at once, in a transaction of its own. Returns its id. Must not be
  // called inside another write transaction (use the overload on its connection).
  Result<std::int64_t> Put(const std::string& label, const std::string& message);
  // The same inside the caller's transaction: the message exists if and only if the caller's
  // change commits.
  Result<std::int64_t> Put(storage::Connection& c, const std::string& label,
                           const std::string& message);

  // Takes the message due first for one attempt; nullopt when none is due.
  Result<std::optional<OutboxMessage>> ClaimNext();

  enum class Outcome { kSent, kRetried, kGivenUp };
  // Records the attempt on a message ClaimNext returned: sent when `attempt` is OK; else its
  // next attempt by the schedule, or failed when it was queued 24 hours ago or more.
  Result<Outcome> Record(const OutboxMessage& claimed, const Status& attempt);

  struct RoundReport {
    int sent = 0;
    int retried = 0;
    int given_up = 0;
  };
  // Claims and sends the due messages one by one on this thread (at most `limit`).
  Result<RoundReport> SendDue(MailSender& sender, int limit = 1000);

  // Newest first, at most `limit`; every status when `status` is empty.
  Result<std::vector<OutboxMessage>> List(std::optional<OutboxStatus> status, int limit);
  // kNotFound naming "id".
  Result<OutboxMessage> Get(std::int64_t id);
  Result<OutboxCounts> Counts();
  // Milliseconds until the next pending message falls due (0 when one is due); nullopt when
  // nothing is pending. The worker sleeps until then.
  Result<std::optional<std::int64_t>> DueIn();
  // Makes a failed or pending message (`id`), or every failed message, due now with a fresh
  // 24 hours. Returns how many; kNotFound naming "id" when `id` is no such message.
  Result<std::int64_t> Retry(std::optional<std::int64_t> id);
  // Deletes the messages sent more than kKeepSentMillis ago. Returns how many.
  Result<std::int64_t> PurgeSent();

  const RetrySchedule& schedule() const { return schedule_; }

 private:
  storage::Database& database_;
  const Clock& clock_;
  RetrySchedule schedule_;
  MailStore store_;
};

}  // namespace psea::mail
