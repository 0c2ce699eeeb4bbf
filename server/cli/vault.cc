#include <cctype>
#include <iostream>

#include "cli/common.h"

namespace psea::cli {

namespace {
// Lower-case hex digits only, so that a fingerprint copied with or without its spaces, or
// written with colons, compares alike.
std::string NormalizeFingerprint(const std::string& text) {
  std::string digits;
  for (char ch : text) {
    if (std::isxdigit(static_cast<unsigned char>(ch))) {
      digits += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (ch != ' ' && ch != ':' && ch != '-') {
      digits += '?';  // never matches a stored fingerprint
    }
  }
  return digits;
}
}  // namespace

void RegisterVault(CLI::App& root, Config& config, Action& run) {
  static std::string username;
  CLI::App* vault =
      root.add_subcommand("vault", "The recovery key and the checks of stored public keys");
  vault->require_subcommand(1);

  CLI::App* init = vault->add_subcommand(
      "init-recovery",
      "Create the recovery key pair: prints the private half once and the fingerprint of the "
      "public half (keep both off the server), stores the public half");
  AddStorageOptions(*init, config);
  init->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto& application = **app;
      std::string fingerprint;
      auto private_key = application.database().Write<std::string>(
          [&](storage::Connection& c) -> Result<std::string> {
            ASSIGN_OR_RETURN(auto key, application.vault().InitRecovery(c));
            ASSIGN_OR_RETURN(auto stored, application.vault().RecoveryFingerprint(c));
            if (!stored) return Internal("the recovery key was not stored");
            fingerprint = *stored;
            security::AuditEvent event{
                std::nullopt, "cli", "vault.recovery_initialised", "vault", "", "", "{}"};
            RETURN_IF_ERROR(application.audit().Append(c, event));
            return key;
          });
      if (!private_key.ok()) return Fail(private_key.status());
      std::cout << "RECOVERY PRIVATE KEY (shown once; split it and keep the parts offline):\n"
                << *private_key << "\n"
                << "Records sealed from now on can be recovered with it. Records sealed before "
                   "have no recovery copy.\n\n"
                << "RECOVERY KEY FINGERPRINT (not secret; keep it off this server, with the "
                   "key's custodians):\n"
                << fingerprint << "\n"
                << "Check it regularly with: psea vault verify --recovery-fingerprint "
                   "'<fingerprint>'\n";
      return 0;
    };
  });

  static std::string expected_fingerprint;
  CLI::App* verify = vault->add_subcommand(
      "verify",
      "Check the MAC of every stored public key and, with --recovery-fingerprint, that the "
      "stored recovery key is the one created; exit 1 naming what failed");
  AddStorageOptions(*verify, config);
  verify->add_option("--recovery-fingerprint", expected_fingerprint,
                     "The fingerprint printed by init-recovery and kept off the server (spaces, "
                     "colons and case do not matter)");
  verify->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto& application = **app;
      auto check = application.database().Read<security::VaultKeyCheck>(
          [&](storage::Connection& c) { return application.vault().CheckPublicKeys(c); });
      if (!check.ok()) return Fail(check.status());
      int failures = 0;
      auto failed = [&failures](const std::string& what) {
        std::cerr << "vault verify FAILED: " << what << "\n";
        ++failures;
      };
      const std::string expected = NormalizeFingerprint(expected_fingerprint);
      if (!check->recovery_key_present) {
        if (!expected.empty()) failed("no recovery key is stored, but a fingerprint was given");
      } else {
        if (!check->recovery_key_mac_ok) {
          failed("the recovery public key does not match its MAC (changed in the database)");
        }
        if (!expected.empty() && NormalizeFingerprint(check->recovery_fingerprint) != expected) {
          failed("the recovery public key has fingerprint " + check->recovery_fingerprint +
                 ", not the one given (it was replaced)");
        }
      }
      for (std::int64_t user_id : check->users_bad_mac) {
        failed("the public key of user " + std::to_string(user_id) +
               " does not match its MAC (changed in the database)");
      }
      if (failures > 0) return 1;
      std::cout << "vault public keys intact: " << check->user_keys_checked << " user keys";
      if (check->recovery_key_present) {
        std::cout << ", recovery key " << check->recovery_fingerprint
                  << (expected.empty() ? " (fingerprint not compared: pass "
                                         "--recovery-fingerprint)"
                                       : " (fingerprint matches)");
      } else {
        std::cout << ", no recovery key";
      }
      std::cout << "\n";
      return 0;
    };
  });

  CLI::App* recover = vault->add_subcommand(
      "recover-user",
      "Re-wrap a user's records for their new key after a password reset; reads the recovery "
      "private key on standard input");
  AddStorageOptions(*recover, config);
  recover->add_option("--username", username, "The user to restore")->required();
  recover->callback([&config, &run] {
    run = [&config] {
      const std::string recovery_key = ReadLineFromStdin();
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto& application = **app;
      auto user = application.accounts().FindUserByName(username);
      if (!user.ok()) return Fail(user.status());
      auto count = application.database().Write<std::int64_t>(
          [&](storage::Connection& c) -> Result<std::int64_t> {
            ASSIGN_OR_RETURN(auto rewrapped,
                             application.vault().RecoverUser(c, user->id, recovery_key));
            security::AuditEvent event{std::nullopt,
                                       "cli",
                                       "vault.user_recovered",
                                       "user",
                                       std::to_string(user->id),
                                       "",
                                       "{\"items\":" + std::to_string(rewrapped) + "}"};
            RETURN_IF_ERROR(application.audit().Append(c, event));
            return rewrapped;
          });
      if (!count.ok()) return Fail(count.status());
      std::cout << "re-wrapped " << *count << " records for " << user->username << "\n";
      return 0;
    };
  });
}

}  // namespace psea::cli
