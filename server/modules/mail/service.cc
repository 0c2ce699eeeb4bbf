#include "modules/mail/service.h"

#include <algorithm>

#include "core/log.h"

namespace psea::mail {

using storage::Connection;

MailOutbox::MailOutbox(storage::Database& database, const Clock& clock, RetrySchedule schedule)
    : database_(database), clock_(clock), schedule_(schedule) {}

Result<std::int64_t> MailOutbox::Put(const std::string& label, const std::string& message) {
  return database_.Write<std::int64_t>(
      [&](Connection& c) { return store_.Insert(c, label, message, clock_.Now()); });
}

Result<std::int64_t> MailOutbox::Put(Connection& c, const std::string& label,
                                     const std::string& message) {
  return store_.Insert(c, label, message, clock_.Now());
}

Result<std::optional<OutboxMessage>> MailOutbox::ClaimNext() {
  return database_.Write<std::optional<OutboxMessage>>(
      [&](Connection& c) -> Result<std::optional<OutboxMessage>> {
        const UnixMillis now = clock_.Now();
        ASSIGN_OR_RETURN(auto due, store_.NextDue(c, now));
        if (!due) return due;
        const UnixMillis lease_until = now + schedule_.ClaimLease();
        ASSIGN_OR_RETURN(bool claimed, store_.Claim(c, due->id, now, lease_until));
        // Another process took it between the read and the update (PostgreSQL): theirs.
        if (!claimed) return std::optional<OutboxMessage>();
        ++due->attempts;
        due->next_attempt_at = lease_until;
        return due;
      });
}

Result<MailOutbox::Outcome> MailOutbox::Record(const OutboxMessage& claimed,
                                               const Status& attempt) {
  const UnixMillis now = clock_.Now();
  const std::string id = std::to_string(claimed.id);
  if (attempt.ok()) {
    RETURN_IF_ERROR(database_.WriteTransaction(
        [&](Connection& c) { return store_.MarkSent(c, claimed.id, now); }));
    log::Info(
        "mail_sent",
        {{"id", id}, {"what", claimed.label}, {"attempts", std::to_string(claimed.attempts)}});
    return Outcome::kSent;
  }
  const std::string error = attempt.message();
  if (now - claimed.queued_at >= schedule_.GiveUpAfter()) {
    RETURN_IF_ERROR(database_.WriteTransaction(
        [&](Connection& c) { return store_.MarkFailed(c, claimed.id, now, error); }));
    // Kept, marked failed: `psea mail list --status failed`, `psea mail retry`.
    log::Error("mail_given_up", {{"id", id},
                                 {"what", claimed.label},
                                 {"attempts", std::to_string(claimed.attempts)},
                                 {"detail", error}});
    return Outcome::kGivenUp;
  }
  const UnixMillis next = now + schedule_.DelayAfter(claimed.attempts);
  RETURN_IF_ERROR(database_.WriteTransaction(
      [&](Connection& c) { return store_.Reschedule(c, claimed.id, next, error); }));
  log::Warn("mail_refused", {{"id", id},
                             {"what", claimed.label},
                             {"attempts", std::to_string(claimed.attempts)},
                             {"next_attempt", FormatIso8601(next)},
                             {"detail", error}});
  return Outcome::kRetried;
}

Result<MailOutbox::RoundReport> MailOutbox::SendDue(MailSender& sender, int limit) {
  RoundReport report;
  for (int i = 0; i < limit; ++i) {
    ASSIGN_OR_RETURN(auto claimed, ClaimNext());
    if (!claimed) break;
    ASSIGN_OR_RETURN(Outcome outcome, Record(*claimed, sender.Send(claimed->message)));
    switch (outcome) {
      case Outcome::kSent:
        ++report.sent;
        break;
      case Outcome::kRetried:
        ++report.retried;
        break;
      case Outcome::kGivenUp:
        ++report.given_up;
        break;
    }
  }
  return report;
}

Result<std::vector<OutboxMessage>> MailOutbox::List(std::optional<OutboxStatus> status, int limit) {
  return database_.Read<std::vector<OutboxMessage>>(
      [&](Connection& c) { return store_.List(c, status, limit); });
}

Result<OutboxMessage> MailOutbox::Get(std::int64_t id) {
  ASSIGN_OR_RETURN(auto found, database_.Read<std::optional<OutboxMessage>>(
                                   [&](Connection& c) { return store_.Find(c, id); }));
  if (!found) return Status(ErrorCode::kNotFound, "no message " + std::to_string(id), "id");
  return std::move(*found);
}

Result<OutboxCounts> MailOutbox::Counts() {
  return database_.Read<OutboxCounts>([&](Connection& c) { return store_.Counts(c); });
}

Result<std::optional<std::int64_t>> MailOutbox::DueIn() {
  ASSIGN_OR_RETURN(auto earliest, database_.Read<std::optional<UnixMillis>>(
                                      [&](Connection& c) { return store_.EarliestPending(c); }));
  if (!earliest) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(std::max<std::int64_t>(0, *earliest - clock_.Now()));
}

Result<std::int64_t> MailOutbox::Retry(std::optional<std::int64_t> id) {
  ASSIGN_OR_RETURN(std::int64_t count, database_.Write<std::int64_t>([&](Connection& c) {
    return store_.Requeue(c, id, clock_.Now());
  }));
  if (id && count == 0) {
    return Status(ErrorCode::kNotFound,
                  "no pending or failed message " + std::to_string(*id) + " in the outbox", "id");
  }
  return count;
}

Result<std::int64_t> MailOutbox::PurgeSent() {
  return database_.Write<std::int64_t>(
      [&](Connection& c) { return store_.DeleteSentBefore(c, clock_.Now() - kKeepSentMillis); });
}

}  // namespace psea::mail
