#include "app/reminders.h"

#include <cstdio>

#include "core/log.h"
#include "modules/intake/email_message.h"

namespace psea::app {

namespace {

std::string Recipient(const cases::CasesService::ReminderDigest& digest) {
  return digest.recipient.empty() ? "(no officer assigned / aucun agent affecte)"
                                  : digest.recipient;
}

}  // namespace

std::string ReminderSubject(const cases::CasesService::ReminderDigest& digest) {
  return "psea: case reminders for " +
         (digest.recipient.empty() ? std::string("unassigned cases") : digest.recipient);
}

std::string ReminderText(const cases::CasesService::ReminderDigest& digest) {
  std::string out = "Case deadlines for " + Recipient(digest) +
                    ". Open the due view in psea.\nEcheances des dossiers pour " +
                    Recipient(digest) + ". Ouvrez la vue des echeances dans psea.\n\n";
  for (const auto& item : digest.items) {
    // The due day in mission time: due_at is the first instant of the day after it.
    const auto day = cases::MissionDate(item.due_at - 1, digest.utc_offset_minutes);
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    out += item.reference + "  " + std::string(cases::RuleIdName(item.rule)) + "  " +
           (item.state == cases::ClockState::kOverdue ? "overdue / en retard, due "
                                                      : "due / echeance ") +
           date + "\n";
  }
  return out;
}

Result<ReminderReport> RunCaseReminders(cases::CasesService& cases, MailQueue* queue,
                                        const std::string& from, const std::vector<std::string>& to,
                                        int within_days, bool dry_run) {
  if (!dry_run && !queue) {
    return Unprocessable("reminders are e-mailed to --alert-email-to, which is not set",
                         "alert-email-to");
  }
  ASSIGN_OR_RETURN(auto digests, cases.PendingReminders(within_days));
  ReminderReport report;
  report.dry_run = dry_run;
  if (dry_run) {
    report.digests = std::move(digests);
    return report;
  }
  for (auto& digest : digests) {
    const std::string message =
        intake::ComposeEmail(from, to, ReminderSubject(digest), ReminderText(digest));
    // Queued in the outbox and marked sent in one transaction: a digest the mail system
    // refuses is retried from the outbox, never forgotten nor sent twice.
    auto queued = cases.MarkReminderSent(digest, [&](storage::Connection& c) {
      return queue->EnqueueIn(c, "case reminders", message);
    });
    if (!queued.ok()) {
      log::Warn("case_reminders_not_queued", {{"detail", queued.message()}});
      ++report.not_queued;
      continue;
    }
    report.digests.push_back(std::move(digest));
  }
  if (!report.digests.empty()) queue->Wake();
  return report;
}

}  // namespace psea::app
