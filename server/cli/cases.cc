#include <iostream>

#include "app/reminders.h"
#include "cli/common.h"
#include "security/crypto.h"

namespace psea::cli {

namespace {
std::string case_reader_username;

int ListCaseReaders(const Config& config) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  auto readers = (*app)->cases().ListReadersForConsole();
  if (!readers.ok()) return Fail(readers.status());
  auto users = (*app)->accounts().ListUsers();
  if (!users.ok()) return Fail(users.status());
  if (readers->empty()) std::cout << "no cases reader is designated\n";
  for (const auto& reader : *readers) {
    std::string name = "(deleted user " + std::to_string(reader.user_id) + ")";
    for (const auto& user : *users) {
      if (user.id == reader.user_id) name = user.username;
    }
    std::cout << name << "\tadded by " << reader.added_by_name << " on "
              << FormatIso8601(reader.added_at) << "\n";
  }
  return 0;
}

int AddCaseReader(const Config& config) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  std::cerr << "Recovery key (base64), then Enter: " << std::flush;
  const std::string recovery_key = ReadLineFromStdin();
  intake::RequestInfo info{"console", security::HexEncode(security::RandomBytes(8))};
  auto granted = (*app)->cases().AddReaderFromConsole(case_reader_username, recovery_key, info);
  if (!granted.ok()) return Fail(granted.status());
  std::cout << case_reader_username << " is a cases reader; " << *granted
            << " victim and subject identities were granted from the recovery key\n";
  return 0;
}

int RemoveCaseReader(const Config& config) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  intake::RequestInfo info{"console", security::HexEncode(security::RandomBytes(8))};
  auto revoked = (*app)->cases().RemoveReaderFromConsole(case_reader_username, info);
  if (!revoked.ok()) return Fail(revoked.status());
  std::cout << case_reader_username << " is no longer a cases reader; " << *revoked
            << " identities were revoked (those of the cases they are assigned to stay)\n";
  return 0;
}
}  // namespace

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
      "day at most. Mail goes to --alert-email-to through the mail outbox and --alert-sendmail, "
      "like urgent alerts: a refused digest is retried (psea mail list)");
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
      // Sends what was queued before returning (a few seconds at most); what the mail command
      // refuses stays in the outbox, retried by the server or `psea mail send`.
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
        std::cout << "  not queued (the outbox could not be written), tried again next run: "
                  << report->not_queued << "\n";
      }
      if ((*app)->mail() && (*app)->mail()->failed() > 0) {
        return Fail(Unavailable("the mail command refused " +
                                std::to_string((*app)->mail()->failed()) +
                                " message(s): kept in the mail outbox and tried again (psea "
                                "mail list)"));
      }
      return 0;
    };
  });

  CLI::App* readers = cases_command->add_subcommand(
      "readers",
      "The cases readers, who open every case and its sealed victim and subject identities and "
      "assign officers to cases. A role makes an account eligible (CDT chief or officer), never "
      "a reader");
  readers->require_subcommand(1);
  CLI::App* list = readers->add_subcommand("list", "List the cases readers");
  AddStorageOptions(*list, config);
  list->callback([&config, &run] { run = [&config] { return ListCaseReaders(config); }; });
  CLI::App* add = readers->add_subcommand(
      "add",
      "Designate a cases reader (the first one, when no reader can add one, or to give a new "
      "reader the cases the adder could not open). Reads the organisation's recovery key from "
      "standard input; the new reader receives every case identity from its copies. Audited");
  add->add_option("--username", case_reader_username, "An active CDT chief or CDT officer")
      ->required();
  AddStorageOptions(*add, config);
  add->callback([&config, &run] { run = [&config] { return AddCaseReader(config); }; });
  CLI::App* remove = readers->add_subcommand(
      "remove",
      "Remove a cases reader and revoke their access at once, except to the cases they are "
      "assigned to (never the last reader)");
  remove->add_option("--username", case_reader_username, "The reader to remove")->required();
  AddStorageOptions(*remove, config);
  remove->callback([&config, &run] { run = [&config] { return RemoveCaseReader(config); }; });
}

}  // namespace psea::cli
