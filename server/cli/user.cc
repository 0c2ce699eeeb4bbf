#include <iomanip>
#include <iostream>

#include "cli/common.h"

namespace psea::cli {

namespace {
struct UserOptions {
  std::string username;
  std::string role;
  std::string display_name;
  bool password_stdin = false;
  bool no_password_change = false;
};

accounts::RequestInfo CliInfo() { return accounts::RequestInfo{"cli", ""}; }

Result<std::string> PasswordFromStdin(bool requested) {
  if (!requested)
    return InvalidArgument("pass the password on standard input with --password-stdin");
  std::string password = ReadLineFromStdin();
  if (password.empty()) return InvalidArgument("no password on standard input", "password");
  return password;
}
}  // namespace

void RegisterUser(CLI::App& root, Config& config, Action& run) {
  static UserOptions options;
  CLI::App* user = root.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);

  CLI::App* add = user->add_subcommand("add", "Create a user");
  AddStorageOptions(*add, config);
  add->add_option("--username", options.username, "User name (3-64 of a-z 0-9 . _ -)")->required();
  add->add_option("--role", options.role, "Role: admin, cdt_chief, cdt_officer, ...")->required();
  add->add_option("--display-name", options.display_name, "Name shown in the app");
  add->add_flag("--password-stdin", options.password_stdin,
                "Read the password from standard input");
  add->add_flag("--no-password-change", options.no_password_change,
                "The person typed this password themselves: do not make them change it at the "
                "first sign-in (by default a password set by someone else must be replaced)");
  add->callback([&config, &run] {
    run = [&config] {
      auto role = security::ParseRole(options.role);
      if (!role) return Fail(InvalidArgument("unknown role " + options.role, "role"));
      auto password = PasswordFromStdin(options.password_stdin);
      if (!password.ok()) return Fail(password.status());
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      accounts::NewUser user{options.username, options.display_name, *role, *password,
                             !options.no_password_change};
      auto created = (*app)->accounts().CreateUser(std::nullopt, user, CliInfo());
      if (!created.ok()) return Fail(created.status());
      std::cout << "created user " << created->username << " (id " << created->id << ", role "
                << security::RoleName(created->role) << ")\n";
      return 0;
    };
  });

  CLI::App* list = user->add_subcommand("list", "List users");
  AddStorageOptions(*list, config);
  list->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto users = (*app)->accounts().ListUsers();
      if (!users.ok()) return Fail(users.status());
      std::cout << std::left << std::setw(6) << "ID" << std::setw(24) << "USERNAME" << std::setw(22)
                << "ROLE" << std::setw(6) << "2FA"
                << "STATUS\n";
      for (const auto& u : *users) {
        std::cout << std::setw(6) << u.id << std::setw(24) << u.username << std::setw(22)
                  << security::RoleName(u.role) << std::setw(6) << (u.totp_enabled ? "on" : "off")
                  << (u.disabled ? "disabled" : "active") << "\n";
      }
      return 0;
    };
  });

  auto add_named = [&](const char* name, const char* help, auto action, bool needs_password) {
    CLI::App* command = user->add_subcommand(name, help);
    AddStorageOptions(*command, config);
    command->add_option("username", options.username, "User name")->required();
    if (needs_password) {
      command->add_flag("--password-stdin", options.password_stdin,
                        "Read the new password from standard input");
    }
    command->callback([&config, &run, action] {
      run = [&config, action] {
        auto app = OpenForCommand(config);
        if (!app.ok()) return Fail(app.status());
        auto found = (*app)->accounts().FindUserByName(options.username);
        if (!found.ok()) return Fail(found.status());
        return action(**app, *found);
      };
    });
  };

  add_named(
      "disable", "Disable a user and end their sessions",
      [](app::Application& app, const accounts::User& found) {
        accounts::UserPatch patch;
        patch.disabled = true;
        auto updated = app.accounts().UpdateUser(std::nullopt, found.id, patch, CliInfo());
        if (!updated.ok()) return Fail(updated.status());
        std::cout << "disabled " << found.username << "\n";
        return 0;
      },
      false);
  add_named(
      "reset-password",
      "Set a new password (the user loses access to encrypted records until re-granted "
      "or recovered)",
      [](app::Application& app, const accounts::User& found) {
        auto password = PasswordFromStdin(options.password_stdin);
        if (!password.ok()) return Fail(password.status());
        accounts::UserPatch patch;
        patch.password = *password;
        auto updated = app.accounts().UpdateUser(std::nullopt, found.id, patch, CliInfo());
        if (!updated.ok()) return Fail(updated.status());
        std::cout << "new password set for " << found.username
                  << "; records sealed for the old key need a re-grant or "
                     "`psea vault recover-user`\n";
        return 0;
      },
      true);
  add_named(
      "reset-2fa", "Turn 2FA off; the user enrols again at next sign-in",
      [](app::Application& app, const accounts::User& found) {
        accounts::UserPatch patch;
        patch.reset_totp = true;
        auto updated = app.accounts().UpdateUser(std::nullopt, found.id, patch, CliInfo());
        if (!updated.ok()) return Fail(updated.status());
        std::cout << "2FA reset for " << found.username << "\n";
        return 0;
      },
      false);
}

}  // namespace psea::cli
