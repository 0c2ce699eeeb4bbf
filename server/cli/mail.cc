// `psea mail`: the mail outbox (modules/mail): list it, show a message, retry failed ones,
// send what is due now.
#include <iostream>

#include "cli/common.h"
#include "modules/mail/service.h"

namespace psea::cli {

namespace {

std::string When(std::optional<UnixMillis> at) { return at ? FormatIso8601(*at) : "-"; }

void PrintMessage(const mail::OutboxMessage& message) {
  std::cout << message.id << "  " << mail::OutboxStatusName(message.status) << "  " << message.label
            << "  attempts " << message.attempts << "  queued "
            << FormatIso8601(message.created_at);
  if (message.status == mail::OutboxStatus::kPending) {
    std::cout << "  next " << FormatIso8601(message.next_attempt_at);
  } else {
    std::cout << "  " << (message.status == mail::OutboxStatus::kSent ? "sent " : "failed ")
              << When(message.finished_at);
  }
  if (!message.last_error.empty()) std::cout << "  (" << message.last_error << ")";
  std::cout << "\n";
}

}  // namespace

void RegisterMail(CLI::App& root, Config& config, Action& run) {
  static std::string status_text;
  static int limit = 50;
  static std::int64_t message_id = 0;
  static bool all_failed = false;
  CLI::App* mail_command = root.add_subcommand(
      "mail",
      "The mail outbox: every e-mail the server sends (urgent alerts, readers' changes, the audit "
      "anchor, case reminders) waits there until the mail command accepts it");
  mail_command->require_subcommand(1);

  CLI::App* list = mail_command->add_subcommand(
      "list", "List the outbox's messages, newest first, and the pending and failed counts");
  AddStorageOptions(*list, config);
  list->add_option("--status", status_text, "Only pending, sent or failed messages");
  list->add_option("--limit", limit, "At most this many")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  list->callback([&config, &run] {
    run = [&config] {
      std::optional<mail::OutboxStatus> status;
      if (!status_text.empty()) {
        auto parsed = mail::ParseOutboxStatus(status_text);
        if (!parsed.ok()) return Fail(parsed.status());
        status = *parsed;
      }
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto counts = (*app)->outbox().Counts();
      if (!counts.ok()) return Fail(counts.status());
      auto messages = (*app)->outbox().List(status, limit);
      if (!messages.ok()) return Fail(messages.status());
      std::cout << "mail outbox: " << counts->pending << " pending, " << counts->failed
                << " failed\n";
      for (const auto& message : *messages) PrintMessage(message);
      return 0;
    };
  });

  CLI::App* show = mail_command->add_subcommand("show", "Print one message as it will be sent");
  AddStorageOptions(*show, config);
  show->add_option("--id", message_id, "The message's id (psea mail list)")->required();
  show->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto message = (*app)->outbox().Get(message_id);
      if (!message.ok()) return Fail(message.status());
      PrintMessage(*message);
      std::cout << "\n" << message->message;
      return 0;
    };
  });

  CLI::App* retry = mail_command->add_subcommand(
      "retry",
      "Make a failed (or pending) message due now, with a fresh 24 hours of retries: a server "
      "with --alert-email-to sends it within 30 seconds, or `psea mail send` does");
  AddStorageOptions(*retry, config);
  auto* by_id = retry->add_option("--id", message_id, "One message");
  auto* failed = retry->add_flag("--failed", all_failed, "Every failed message");
  by_id->excludes(failed);
  retry->callback([&config, &run, by_id, failed] {
    run = [&config, by_id, failed] {
      if (by_id->count() == 0 && failed->count() == 0) {
        return Fail(InvalidArgument("give --id N or --failed", "id"));
      }
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto count = (*app)->outbox().Retry(by_id->count() ? std::optional(message_id)
                                                         : std::optional<std::int64_t>());
      if (!count.ok()) return Fail(count.status());
      std::cout << "mail retry: " << *count << " message(s) due now\n";
      return 0;
    };
  });

  CLI::App* send = mail_command->add_subcommand(
      "send",
      "Hand every message due now to the mail command, once (what the server's worker does; "
      "for when no server with --alert-email-to runs). A refused message is tried again later");
  AddStorageOptions(*send, config);
  send->add_option("--alert-sendmail", config.alert_sendmail,
                   "Command that sends a message read on standard input")
      ->envname("PSEA_ALERT_SENDMAIL")
      ->capture_default_str();
  send->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto sender = mail::SendmailSender(config.alert_sendmail);
      auto report = (*app)->outbox().SendDue(*sender);
      if (!report.ok()) return Fail(report.status());
      std::cout << "mail send: " << report->sent << " sent, " << report->retried
                << " refused (tried again later), " << report->given_up << " given up\n";
      if (report->retried + report->given_up > 0) {
        return Fail(Unavailable("the mail command refused " +
                                std::to_string(report->retried + report->given_up) +
                                " message(s)"));
      }
      return 0;
    };
  });
}

}  // namespace psea::cli
