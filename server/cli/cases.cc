#include <iostream>

#include "app/reminders.h"
#include "cli/common.h"

namespace psea::cli {

void AddReminderOptions(CLI::App& command, Config& config) {
  command
      .add_option("--reminder-hour", config.reminder_hour,
                  "With --alert-email-to: from this UTC hour (0-23) each day, e-mail each "
                  "officer one digest of their overdue and due-soon case clocks (reference, "
                  "clock and due date only; see `psea cases remind`); -1: never")
      ->envname("PSEA_REMINDER_HOUR")
      ->check(CLI::Range(-1, 23))
      ->capture_default_str();
  command
      .add_option("--reminder-poll-seconds", config.reminder_poll_seconds,
                  "How often the server looks for reminders to send (an officer still gets one "
                  "digest a day at most)")
      ->envname("PSEA_REMINDER_POLL_SECONDS")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  command
      .add_option("--reminder-within-days", config.reminder_within_days,
                  "Remind of clocks due within this many days, besides the overdue ones")
      ->envname("PSEA_REMINDER_WITHIN_DAYS")
      ->check(CLI::Range(0, 365))
      ->capture_default_str();
}

void RegisterCases(CLI::App& root, Config& config, Action& run) {
  static bool dry_run = false;
  CLI::App* cases_command = root.add_subcommand("cases", "Allegation cases");
  cases_command->require_subcommand(1);

  CLI::App* remind = cases_command->add_subcommand(
      "remind",
      "E-mail each officer one digest of their overdue and due-soon case clocks now (what the "
      "server does daily from --reminder-hour): the reference, which clock and its due date, "
      "never a name. An item already sent is not sent again, and an officer gets one digest a "
      "day at most. Mail goes to --alert-email-to through --alert-sendmail, like urgent alerts");
  AddStorageOptions(*remind, config);
  remind->add_flag("--dry-run", dry_run, "Only list the digests that would be sent");
  remind
      ->add_option("--alert-email-to", config.alert_email_to,
                   "Where the digests go, comma-separated (as for `psea serve`)")
      ->envname("PSEA_ALERT_EMAIL_TO");
  remind->add_option("--alert-email-from", config.alert_email_from, "Sender of the digests")
      ->envname("PSEA_ALERT_EMAIL_FROM")
      ->capture_default_str();
  remind
      ->add_option("--alert-sendmail", config.alert_sendmail,
                   "Command that sends a message read on standard input")
      ->envname("PSEA_ALERT_SENDMAIL")
      ->capture_default_str();
  remind
      ->add_option("--within-days", config.reminder_within_days,
                   "Remind of clocks due within this many days, besides the overdue ones")
      ->envname("PSEA_REMINDER_WITHIN_DAYS")
      ->check(CLI::Range(0, 365))
      ->capture_default_str();
  remind->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto report = app::RunCaseReminders((*app)->cases(), (*app)->mail(), config.alert_email_from,
                                          (*app)->mail_to(), config.reminder_within_days, dry_run);
      if (!report.ok()) return Fail(report.status());
      // Sends what was queued before returning (a few seconds at most).
      if ((*app)->mail()) (*app)->mail()->Stop();
      std::cout << (report->dry_run ? "case reminders (dry run): " : "case reminders: ")
                << report->digests.size() << (report->dry_run ? " digest(s) due" : " sent") << "\n";
      for (const auto& digest : report->digests) {
        std::cout << "  " << (digest.recipient.empty() ? "(no officer assigned)" : digest.recipient)
                  << ": " << digest.items.size() << " item(s)\n";
        for (const auto& item : digest.items) {
          std::cout << "    " << item.reference << " " << cases::RuleIdName(item.rule) << " "
                    << (item.state == cases::ClockState::kOverdue ? "overdue" : "due") << " "
                    << FormatIso8601(item.due_at) << "\n";
        }
      }
      if (report->not_queued > 0) {
        std::cout << "  not queued (mail queue full), tried again next run: " << report->not_queued
                  << "\n";
      }
      if ((*app)->mail() && (*app)->mail()->failed() > 0) {
        return Fail(Unavailable("the mail command failed for " +
                                std::to_string((*app)->mail()->failed()) + " digest(s)"));
      }
      return 0;
    };
  });
}

}  // namespace psea::cli
