// psea intake email: one RFC 5322 message on standard input, as a mail server's pipe
// delivers it (docs/operations.md, "E-mail intake"). Exit codes follow sysexits.h as mail servers
// expect: 0 filed (or kept in the quarantine for a human), 75 (EX_TEMPFAIL) when it could not
// be stored at all, so that the mail server keeps the message and tries again.
//
// psea intake sms-key: prints the secret generic SMS gateways sign their requests with.
//
// psea intake readers list|add|remove [--scope intake|victims]: the intake readers (or the
// victims readers, who open the victim part of complaints for the Victims' Rights Advocate)
// from the server's console. Adding needs the organisation's recovery key (read from standard
// input, never from the command line), from whose copies the new reader receives every earlier
// item: this is how the first reader of an installation is designated.
#include <iostream>
#include <iterator>
#include <string>

#include "cli/common.h"
#include "modules/intake/email_message.h"

namespace psea::cli {

namespace {
constexpr int kExTempFail = 75;

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
}  // namespace

void RegisterIntake(CLI::App& root, Config& config, Action& run) {
  CLI::App* intake = root.add_subcommand("intake", "Complaint intake channels");
  intake->require_subcommand(1);
  CLI::App* email = intake->add_subcommand(
      "email",
      "File the e-mail on standard input as a complaint (for a mail server's pipe); a message "
      "that cannot be filed is kept in the quarantine. Exit 0 when stored, 75 to retry later");
  AddStorageOptions(*email, config);
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
