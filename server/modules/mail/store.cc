#include "modules/mail/store.h"

namespace psea::mail {

using storage::Connection;

namespace {

constexpr const char* kColumns =
    "id, label, message, status, attempts, created_at, queued_at, next_attempt_at, finished_at, "
    "last_error";

OutboxMessage FromRow(const storage::Row& row) {
  OutboxMessage out;
  out.id = row.Int(0);
  out.label = row.Text(1);
  out.message = row.Text(2);
  auto status = ParseOutboxStatus(row.Text(3));
  out.status = status.ok() ? *status : OutboxStatus::kPending;
  out.attempts = row.Int(4);
  out.created_at = row.Int(5);
  out.queued_at = row.Int(6);
  out.next_attempt_at = row.Int(7);
  out.finished_at = row.OptInt(8);
  out.last_error = row.Text(9);
  return out;
}

}  // namespace

std::vector<storage::Migration> MailStore::Migrations() {
  return {{"mail", 1, "the outbox of e-mail the server sends", R"sql(
CREATE TABLE mail_outbox (
  id {{ID}},
  label TEXT NOT NULL,
  message TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  queued_at BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  finished_at BIGINT,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
)sql"}};
}

Result<std::int64_t> MailStore::Insert(Connection& c, const std::string& label,
                                       const std::string& message, UnixMillis now) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO mail_outbox (label, message, status, created_at, "
                              "queued_at, next_attempt_at) VALUES (?, ?, 'pending', ?, ?, ?) "
                              "RETURNING id",
                              {label, message, now, now, now}));
  if (!row) return Internal("the message was not stored in the outbox");
  return row->Int(0);
}

Result<std::optional<OutboxMessage>> MailStore::NextDue(Connection& c, UnixMillis now) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kColumns +
                                            " FROM mail_outbox WHERE status = 'pending' AND "
                                            "next_attempt_at <= ? ORDER BY next_attempt_at, id "
                                            "LIMIT 1",
                                        {now}));
  if (!row) return std::optional<OutboxMessage>();
  return std::optional<OutboxMessage>(FromRow(*row));
}

Result<bool> MailStore::Claim(Connection& c, std::int64_t id, UnixMillis now,
                              UnixMillis lease_until) const {
  ASSIGN_OR_RETURN(std::int64_t changed,
                   c.Execute("UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ? "
                             "WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?",
                             {lease_until, id, now}));
  return changed == 1;
}

Status MailStore::MarkSent(Connection& c, std::int64_t id, UnixMillis now) const {
  return c
      .Execute(
          "UPDATE mail_outbox SET status = 'sent', finished_at = ?, last_error = '' WHERE id = ?",
          {now, id})
      .status();
}

Status MailStore::Reschedule(Connection& c, std::int64_t id, UnixMillis next_attempt_at,
                             const std::string& error) const {
  return c
      .Execute("UPDATE mail_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
               {next_attempt_at, error, id})
      .status();
}

Status MailStore::MarkFailed(Connection& c, std::int64_t id, UnixMillis now,
                             const std::string& error) const {
  return c
      .Execute(
          "UPDATE mail_outbox SET status = 'failed', finished_at = ?, last_error = ? WHERE id = ?",
          {now, error, id})
      .status();
}

Result<std::vector<OutboxMessage>> MailStore::List(Connection& c,
                                                   std::optional<OutboxStatus> status,
                                                   int limit) const {
  storage::QueryResult result;
  if (status) {
    ASSIGN_OR_RETURN(result,
                     c.Query(std::string("SELECT ") + kColumns +
                                 " FROM mail_outbox WHERE status = ? ORDER BY id DESC "
                                 "LIMIT ?",
                             {std::string(OutboxStatusName(*status)), std::int64_t{limit}}));
  } else {
    ASSIGN_OR_RETURN(result, c.Query(std::string("SELECT ") + kColumns +
                                         " FROM mail_outbox ORDER BY id DESC LIMIT ?",
                                     {std::int64_t{limit}}));
  }
  std::vector<OutboxMessage> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(FromRow(row));
  return out;
}

Result<std::optional<OutboxMessage>> MailStore::Find(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(std::string("SELECT ") + kColumns + " FROM mail_outbox WHERE id = ?", {id}));
  if (!row) return std::optional<OutboxMessage>();
  return std::optional<OutboxMessage>(FromRow(*row));
}

Result<OutboxCounts> MailStore::Counts(Connection& c) const {
  ASSIGN_OR_RETURN(auto result, c.Query("SELECT status, COUNT(*) FROM mail_outbox WHERE status "
                                        "IN ('pending', 'failed') GROUP BY status",
                                        {}));
  OutboxCounts counts;
  for (const auto& row : result.rows) {
    (row.Text(0) == "pending" ? counts.pending : counts.failed) = row.Int(1);
  }
  return counts;
}

Result<std::optional<UnixMillis>> MailStore::EarliestPending(Connection& c) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT MIN(next_attempt_at) FROM mail_outbox WHERE "
                                        "status = 'pending'",
                                        {}));
  if (!row || row->IsNull(0)) return std::optional<UnixMillis>();
  return std::optional<UnixMillis>(row->Int(0));
}

Result<std::int64_t> MailStore::Requeue(Connection& c, std::optional<std::int64_t> id,
                                        UnixMillis now) const {
  if (id) {
    return c.Execute(
        "UPDATE mail_outbox SET status = 'pending', attempts = 0, queued_at = ?, "
        "next_attempt_at = ?, finished_at = NULL WHERE id = ? AND status IN ('pending', 'failed')",
        {now, now, *id});
  }
  return c.Execute(
      "UPDATE mail_outbox SET status = 'pending', attempts = 0, queued_at = ?, "
      "next_attempt_at = ?, finished_at = NULL WHERE status = 'failed'",
      {now, now});
}

Result<std::int64_t> MailStore::DeleteSentBefore(Connection& c, UnixMillis before) const {
  return c.Execute("DELETE FROM mail_outbox WHERE status = 'sent' AND finished_at < ?", {before});
}

}  // namespace psea::mail
