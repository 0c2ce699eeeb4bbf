// psea intake email: one RFC 5322 message on standard input, as a mail server's pipe
// delivers it (docs/operations.md, "E-mail intake"). Exit codes follow sysexits.h as mail servers
// expect: 0 filed (or kept in the quarantine for a human), 75 (EX_TEMPFAIL) when it could not
// be stored at all, so that the mail server keeps the message and tries again. A missing
// database or server.key is a configuration error, yet also 75: Postfix would bounce the
// reporter's message (with its text) for any other code; deferred, it waits in the queue until
// the configuration is fixed. With --email-ack-from, a filed message from a person gets an
// acknowledgement with its receipt code, sent through sendmail without a shell; a failure to
// send is logged and changes nothing (exit 0: the complaint is filed).
//
// psea intake sms-key: prints the secret generic SMS gateways sign their requests with.
//
// psea intake sms-gateway --token-id N: an SMS gateway token's settings, shown masked, or
// changed from a JSON object on standard input (the API's PUT /intake/sms/gateways/{id}).
//
// psea intake readers list|add|remove [--scope intake|victims]: the intake readers (or the
// victims readers, who open the victim part of complaints for the Victims' Rights Advocate)
// from the server's console. Adding needs the organisation's recovery key (read from standard
// input, never from the command line), from whose copies the new reader receives every earlier
// item: this is how the first reader of an installation is designated.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "cli/common.h"
#include "core/log.h"
#include "http/json.h"
#include "modules/intake/email_message.h"

namespace psea::cli {

namespace {
constexpr int kExTempFail = 75;

// Runs `argv` (no shell, so nothing in it is interpreted) with `input` on its standard input
// and waits at most `timeout` for it. The exit status, or an error that says what failed.
Result<int> RunWithInput(const std::vector<std::string>& argv, const std::string& input,
                         std::chrono::seconds timeout) {
  int in_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return Unavailable("cannot create a pipe");
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return Unavailable("cannot start " + argv.front());
  }
  if (child == 0) {
    ::dup2(in_pipe[0], STDIN_FILENO);
    // Its chatter must not reach the mail server as if it were psea's answer.
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) ::dup2(null, STDOUT_FILENO);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execv(args.front(), args.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  // A program that exits without reading must not kill psea with SIGPIPE.
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  std::size_t written = 0;
  while (written < input.size()) {
    const ssize_t n = ::write(in_pipe[1], input.data() + written, input.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(in_pipe[1]);
  ::sigaction(SIGPIPE, &previous, nullptr);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) return Unavailable("lost " + argv.front());
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      return Unavailable(argv.front() + " did not finish in " + std::to_string(timeout.count()) +
                         " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 127) return Unavailable("cannot run " + argv.front());
    return WEXITSTATUS(status);
  }
  return Unavailable(argv.front() + " was killed by a signal");
}

// Sends the reporter their receipt code. Never fails the delivery: the complaint is filed.
void Acknowledge(const Config& config, const intake::EmailMessage& email,
                 const intake::Submitted& filed) {
  if (config.email_ack_from.empty()) return;
  const bool plain_address =
      config.email_ack_from.find('@') != std::string::npos &&
      std::none_of(config.email_ack_from.begin(), config.email_ack_from.end(),
                   [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == ','; });
  if (!plain_address) {
    log::Warn("email_ack_failed", {{"complaint", filed.complaint.reference},
                                   {"error", "--email-ack-from is not one plain address"}});
    return;
  }
  const std::string why_not = intake::WhyNoAcknowledgement(email);
  if (!why_not.empty()) {
    log::Info("email_ack_skipped", {{"complaint", filed.complaint.reference}, {"reason", why_not}});
    return;
  }
  intake::Acknowledgement ack;
  ack.from = config.email_ack_from;
  ack.to = email.from_address;
  ack.receipt_code = filed.receipt_code;
  ack.subject = email.subject;
  ack.in_reply_to = email.message_id;
  ack.references = email.references;
  // -f <>: the null envelope sender, so that a failed delivery bounces to nobody (no loop);
  // -i: a line with a single dot is text; --: the address is never read as an option.
  auto sent = RunWithInput({config.email_ack_sendmail, "-i", "-f", "<>", "--", email.from_address},
                           intake::ComposeAcknowledgement(ack), std::chrono::seconds(30));
  if (!sent.ok() || *sent != 0) {
    // The reporter's address stays out of the log: the reference is enough to find them.
    const std::string error =
        sent.ok() ? "sendmail exited " + std::to_string(*sent) : sent.status().message();
    log::Warn("email_ack_failed", {{"complaint", filed.complaint.reference}, {"error", error}});
    // The mail server drops a successful command's output: the mail log keeps this line.
    ::openlog("psea", LOG_PID, LOG_MAIL);
    ::syslog(LOG_WARNING, "acknowledgement for %s not sent: %s", filed.complaint.reference.c_str(),
             error.c_str());
    ::closelog();
    return;
  }
  log::Info("email_ack_sent", {{"complaint", filed.complaint.reference}});
}

int ReceiveEmail(const Config& config) {
  const struct { intake::EmailLimits value; } limits;
  std::string raw;
  raw.reserve(64 * 1024);
  char buffer[64 * 1024];
  bool too_large = false;
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    raw.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    if (raw.size() > limits.value.max_message_bytes) {
      too_large = true;
      raw.resize(limits.value.max_message_bytes);
      break;
    }
  }
  auto app = OpenForCommand(config);
  if (!app.ok()) {
    Fail(app.status());
    return kExTempFail;
  }
  intake::RequestInfo info{"mail", security::HexEncode(security::RandomBytes(8))};
  auto parsed = too_large ? Result<intake::EmailMessage>(Status(
                                ErrorCode::kPayloadTooLarge, "the message is larger than 60 MiB"))
                          : intake::ParseEmail(raw, limits.value);
  if (parsed.ok()) {
    auto filed = (*app)->intake().ReceiveEmail(*parsed, info);
    if (filed.ok()) {
      std::cout << "filed complaint " << filed->complaint.reference << "\n";
      Acknowledge(config, *parsed, *filed);
      return 0;
    }
    if (filed.status().code() == ErrorCode::kUnavailable ||
        filed.status().code() == ErrorCode::kInternal) {
      Fail(filed.status());
      return kExTempFail;
    }
    parsed = Result<intake::EmailMessage>(filed.status());
  }
  // Never dropped: what cannot be filed waits, sealed, for a human.
  auto kept = (*app)->intake().Quarantine("email", raw, parsed.status(), info);
  if (!kept.ok()) {
    Fail(kept.status());
    return kExTempFail;
  }
  // Generic words only: the mail server's log is no place for what the message said.
  std::cout << "quarantined message " << *kept << ": "
            << intake::GenericQuarantineReason(parsed.status()) << "\n";
  return 0;
}
std::string reader_scope = "intake";

intake::ReaderSet ScopeSet() {
  return reader_scope == "victims" ? intake::ReaderSet::kVictims : intake::ReaderSet::kIntake;
}
std::string SetName() { return reader_scope == "victims" ? "victims reader" : "intake reader"; }

int ListReaders(const Config& config) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  auto readers = (*app)->intake().ListReadersForConsole(ScopeSet());
  if (!readers.ok()) return Fail(readers.status());
  auto users = (*app)->accounts().ListUsers();
  if (!users.ok()) return Fail(users.status());
  if (readers->empty()) std::cout << "no " << SetName() << " is designated\n";
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

int AddReader(const Config& config, const std::string& username) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  std::cerr << "Recovery key (base64), then Enter: " << std::flush;
  const std::string recovery_key = ReadLineFromStdin();
  intake::RequestInfo info{"console", security::HexEncode(security::RandomBytes(8))};
  auto granted = (*app)->intake().AddReaderFromConsole(username, recovery_key, info, ScopeSet());
  if (!granted.ok()) return Fail(granted.status());
  std::cout << username << " is an " << SetName() << "; " << *granted
            << " earlier items were granted from the recovery key\n";
  return 0;
}

int RemoveReader(const Config& config, const std::string& username) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  intake::RequestInfo info{"console", security::HexEncode(security::RandomBytes(8))};
  auto removed = (*app)->intake().RemoveReaderFromConsole(username, info, ScopeSet());
  if (!removed.ok()) return Fail(removed);
  std::cout << username << " is no longer an " << SetName() << "; their access was revoked\n";
  return 0;
}
// Reads a JSON object of settings from standard input (nothing: only print them), saves it and
// prints the settings masked. Secrets never go on the command line, where `ps` shows them.
int SmsGateway(const Config& config, std::int64_t token_id) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  const std::string input((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());
  if (input.find_first_not_of(" \t\r\n") != std::string::npos) {
    auto body = http::ParseJsonObjectText(input);
    if (!body.ok()) return Fail(body.status());
    http::JsonFields fields(*body);
    intake::SmsGatewaySettingsPatch patch;
    for (const auto& [name, field] :
         {std::pair{"twilio_auth_token", &patch.twilio_auth_token},
          std::pair{"public_url", &patch.public_url}, std::pair{"signing_key", &patch.signing_key},
          std::pair{"outgoing_url", &patch.outgoing_url},
          std::pair{"outgoing_username", &patch.outgoing_username},
          std::pair{"outgoing_secret", &patch.outgoing_secret},
          std::pair{"sender", &patch.sender}}) {
      auto value = fields.OptionalString(name, 2000);
      if (!value.ok()) return Fail(value.status());
      *field = std::move(*value);
    }
    if (auto finished = fields.Finish(); !finished.ok()) return Fail(finished);
    intake::RequestInfo info{"console", security::HexEncode(security::RandomBytes(8))};
    if (auto saved = (*app)->intake().SetGatewaySettingsFromConsole(token_id, patch, info);
        !saved.ok()) {
      return Fail(saved);
    }
  }
  auto shown = (*app)->intake().MaskedGatewaySettingsFromConsole(token_id);
  if (!shown.ok()) return Fail(shown.status());
  for (const auto& [name, value] :
       {std::pair{"twilio_auth_token", &shown->twilio_auth_token},
        std::pair{"public_url", &shown->public_url}, std::pair{"signing_key", &shown->signing_key},
        std::pair{"outgoing_url", &shown->outgoing_url},
        std::pair{"outgoing_username", &shown->outgoing_username},
        std::pair{"outgoing_secret", &shown->outgoing_secret},
        std::pair{"sender", &shown->sender}}) {
    std::cout << name << ": " << *value << "\n";
  }
  return 0;
}
}  // namespace

void RegisterIntake(CLI::App& root, Config& config, Action& run) {
  CLI::App* intake = root.add_subcommand("intake", "Complaint intake channels");
  intake->require_subcommand(1);
  CLI::App* email = intake->add_subcommand(
      "email",
      "File the e-mail on standard input as a complaint (for a mail server's pipe); a message "
      "that cannot be filed, or an attachment too large, is kept in the quarantine. Exit 0 when "
      "stored, 75 to retry later (the database unreachable, or the database or server.key "
      "missing: never created here)");
  AddStorageOptions(*email, config);
  email
      ->add_option("--email-ack-from", config.email_ack_from,
                   "Send each reporter whose message is filed an acknowledgement with the "
                   "receipt code, from this address (never to bounces, lists or automatic "
                   "mail). Off when empty")
      ->envname("PSEA_EMAIL_ACK_FROM");
  email
      ->add_option("--email-ack-sendmail", config.email_ack_sendmail,
                   "The sendmail program for acknowledgements, run without a shell as "
                   "PROGRAM -i -f '<>' -- ADDRESS")
      ->envname("PSEA_EMAIL_ACK_SENDMAIL")
      ->capture_default_str();
  email->callback([&config, &run] { run = [&config] { return ReceiveEmail(config); }; });

  CLI::App* sms_key = intake->add_subcommand(
      "sms-key",
      "Print the secret generic SMS gateways sign request bodies with (X-Psea-Signature: "
      "sha256=<hex HMAC-SHA256>); the other gateway kinds need none");
  AddStorageOptions(*sms_key, config);
  CLI::App* readers = intake->add_subcommand(
      "readers",
      "The intake readers, who open what intake seals (identities, narratives, messages), and "
      "with --scope victims the victims readers, who open the victim part of complaints that "
      "reach the Victims' Rights Advocate. A role makes an account eligible (CDT chief or "
      "officer; VRA for victims), never a reader");
  readers->require_subcommand(1);
  readers
      ->add_option("--scope", reader_scope, "intake (the default) or victims: which set of readers")
      ->check(CLI::IsMember({"intake", "victims"}))
      ->capture_default_str();
  CLI::App* list = readers->add_subcommand("list", "List the intake readers");
  AddStorageOptions(*list, config);
  list->callback([&config, &run] { run = [&config] { return ListReaders(config); }; });
  static std::string reader_username;
  CLI::App* add = readers->add_subcommand(
      "add",
      "Designate an intake reader (the first one of an installation, or when no reader can add "
      "one). Reads the organisation's recovery key from standard input; the new reader receives "
      "every earlier item from its copies. Audited and announced to the readers");
  add->add_option("--username", reader_username,
                  "An active CDT chief or CDT officer (a VRA for --scope victims)")
      ->required();
  AddStorageOptions(*add, config);
  add->callback(
      [&config, &run] { run = [&config] { return AddReader(config, reader_username); }; });
  CLI::App* remove = readers->add_subcommand(
      "remove", "Remove an intake reader and revoke their access at once (never the last one)");
  remove->add_option("--username", reader_username, "The reader to remove")->required();
  AddStorageOptions(*remove, config);
  for (CLI::App* sub : {list, add, remove}) {
    sub->add_option("--scope", reader_scope, "intake (the default) or victims: which readers")
        ->check(CLI::IsMember({"intake", "victims"}))
        ->capture_default_str();
  }
  remove->callback(
      [&config, &run] { run = [&config] { return RemoveReader(config, reader_username); }; });
  static std::int64_t gateway_token_id = 0;
  CLI::App* sms_gateway = intake->add_subcommand(
      "sms-gateway",
      "Show an SMS gateway token's settings (secrets masked), or change them from a JSON object "
      "on standard input: twilio_auth_token, public_url, signing_key, outgoing_url, "
      "outgoing_username, outgoing_secret, sender (absent: unchanged; \"\": cleared). Audited");
  sms_gateway->add_option("--token-id", gateway_token_id, "The API token's id (Tokens page)")
      ->required()
      ->check(CLI::PositiveNumber);
  AddStorageOptions(*sms_gateway, config);
  sms_gateway->callback(
      [&config, &run] { run = [&config] { return SmsGateway(config, gateway_token_id); }; });
  sms_key->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      std::cout << (*app)->intake().SmsSigningKey() << "\n";
      return 0;
    };
  });
}

}  // namespace psea::cli
