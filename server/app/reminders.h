// Case reminders by e-mail: each officer assigned to a case with an overdue clock or one due
// soon gets one digest a day at most, through the same MailQueue (the mail outbox) and
// addresses as the urgent complaints' alerts (--alert-email-to: accounts hold no e-mail address of
// their own, so the digest names its officer and goes to the CDT's alert mailbox). A digest carries
// the case reference, which clock and its due date, never a name or a fact of the case. What was
// sent is remembered (cases.CasesService::MarkReminderSent, in the transaction that puts it in the
// mail outbox) and not sent again; the outbox retries it until the mail system takes it. The same
// counts show in the app (GET /api/v1/cases/due?mine=true).
#pragma once

#include <string>
#include <vector>

#include "app/alerts.h"
#include "core/result.h"
#include "modules/cases/service.h"

namespace psea::app {

struct ReminderReport {
  bool dry_run = false;
  std::vector<cases::CasesService::ReminderDigest> digests;  // queued (or, dry, due)
  int not_queued = 0;  // the outbox could not be written: tried again at the next run
};

// The digest's subject line and text (English and French, like the urgent alerts).
std::string ReminderSubject(const cases::CasesService::ReminderDigest& digest);
std::string ReminderText(const cases::CasesService::ReminderDigest& digest);

// Gathers the pending digests (clocks due within `within_days`) and, unless `dry_run`, puts
// each in the outbox through `queue`, to `to`, and remembers it as sent in the same
// transaction. Must not be called inside a transaction. kUnprocessable naming "alert-email-to"
// when a real run has no queue (no --alert-email-to).
Result<ReminderReport> RunCaseReminders(cases::CasesService& cases, MailQueue* queue,
                                        const std::string& from, const std::vector<std::string>& to,
                                        int within_days, bool dry_run);

}  // namespace psea::app
