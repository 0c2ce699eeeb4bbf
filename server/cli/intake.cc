// psea intake email: one RFC 5322 message on standard input, as a mail server's pipe
// delivers it (docs/operations.md, "E-mail intake"). Exit codes follow sysexits.h as mail servers
// expect: 0 filed (or kept in the quarantine for a human), 75 (EX_TEMPFAIL) when it could not
// be stored at all, so that the mail server keeps the message and tries again.
//
// psea intake sms-key: prints the secret SMS gateways sign their requests with.
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
  auto kept = (*app)->intake().Quarantine("email", raw, parsed.status().message(), info);
  if (!kept.ok()) {
    Fail(kept.status());
    return kExTempFail;
  }
  std::cout << "quarantined message " << *kept << ": " << parsed.status().message() << "\n";
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
      "Print the secret SMS gateways sign request bodies with (X-Psea-Signature: "
      "sha256=<hex HMAC-SHA256>)");
  AddStorageOptions(*sms_key, config);
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
