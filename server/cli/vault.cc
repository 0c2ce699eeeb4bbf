#include <iostream>

#include "cli/common.h"

namespace psea::cli {

void RegisterVault(CLI::App& root, Config& config, Action& run) {
  static std::string username;
  CLI::App* vault = root.add_subcommand("vault", "The organisation's recovery key");
  vault->require_subcommand(1);

  CLI::App* init = vault->add_subcommand(
      "init-recovery",
      "Create the recovery key pair: prints the private half once, stores the public half");
  AddStorageOptions(*init, config);
  init->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto& application = **app;
      auto private_key = application.database().Write<std::string>(
          [&](storage::Connection& c) -> Result<std::string> {
            ASSIGN_OR_RETURN(auto key, application.vault().InitRecovery(c));
            security::AuditEvent event{
                std::nullopt, "cli", "vault.recovery_initialised", "vault", "", "", "{}"};
            RETURN_IF_ERROR(application.audit().Append(c, event));
            return key;
          });
      if (!private_key.ok()) return Fail(private_key.status());
      std::cout << "RECOVERY PRIVATE KEY (shown once; split it and keep the parts offline):\n"
                << *private_key << "\n"
                << "Records sealed from now on can be recovered with it. Records sealed before "
                   "have no recovery copy.\n";
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
