#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.h"
#include "core/log.h"
#include "modules/accounts/generator.h"

namespace psea::cli {

namespace {
// Every module that has demo data adds it here, once, when the demo database is new.
Result<std::string> SeedDemo(app::Application& app) {
  ASSIGN_OR_RETURN(auto users, accounts::CreateDemoUsers(app.accounts()));
  std::ostringstream text;
  text << "Demo accounts (generated; this is a DEMO database, 2FA is not required):\n";
  for (const auto& user : users) {
    text << "  " << user.username
         << std::string(28 - std::min<std::size_t>(27, user.username.size()), ' ') << user.password
         << "\n";
  }
  return text.str();
}
}  // namespace

void RegisterDemo(CLI::App& root, Config& config, Action& run) {
  CLI::App* demo = root.add_subcommand(
      "demo",
      "Create (once) a demo database with generated data and one user per role, print their "
      "passwords, and serve the web app");
  AddStorageOptions(*demo, config);
  AddServeOptions(*demo, config);
  demo->callback([&config, &run] {
    run = [&config] {
      config.demo = true;
      log::Init(config.log_level);
      auto opened = app::Application::Open(config);
      if (!opened.ok()) return Fail(opened.status());
      auto& app = **opened;
      const std::filesystem::path credentials =
          std::filesystem::path(config.data_dir) / "demo-credentials.txt";
      auto users = app.accounts().ListUsers();
      if (!users.ok()) return Fail(users.status());
      if (users->empty()) {
        auto text = SeedDemo(app);
        if (!text.ok()) return Fail(text.status());
        const mode_t old_mask = ::umask(077);
        std::ofstream(credentials) << *text;
        ::umask(old_mask);
      }
      std::ifstream in(credentials);
      std::cout << "\n"
                << in.rdbuf() << "\nOpen http://" << config.listen
                << "/ and sign in with one of them. Ctrl-C stops the server.\n\n"
                << std::flush;
      Status served = app.Serve();
      return served.ok() ? 0 : Fail(served);
    };
  });
}

void RegisterGenerate(CLI::App& root, Config& config, Action& run) {
  static int users_per_role = 2;
  static std::string password;
  static bool password_stdin = false;
  CLI::App* generate = root.add_subcommand(
      "generate", "Fill a database with generated records for benchmarks (never real data)");
  AddStorageOptions(*generate, config);
  generate->add_option("--users-per-role", users_per_role, "Generated users for each role")
      ->capture_default_str();
  generate->add_flag("--password-stdin", password_stdin,
                     "Read the generated users' password from standard input");
  generate->callback([&config, &run] {
    run = [&config] {
      password = password_stdin ? ReadLineFromStdin() : accounts::ReadablePassword();
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto users = accounts::GenerateUsers((*app)->accounts(), users_per_role, password);
      if (!users.ok()) return Fail(users.status());
      std::cout << "generated " << users->size() << " users (password: " << password << ")\n";
      return 0;
    };
  });
}

}  // namespace psea::cli
