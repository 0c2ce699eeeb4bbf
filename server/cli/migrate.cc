#include <iostream>

#include "cli/common.h"
#include "core/version.h"

namespace psea::cli {

void RegisterMigrate(CLI::App& root, Config& config, Action& run) {
  CLI::App* command = root.add_subcommand("migrate", "Create or upgrade the database schema");
  AddStorageOptions(*command, config);
  command->callback([&config, &run] {
    run = [&config] {
      config.may_create_database = true;
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      std::cout << "database schema is up to date (" << (*app)->database().Describe() << ")\n";
      return 0;
    };
  });
}

void RegisterVersion(CLI::App& root, Action& run) {
  CLI::App* command = root.add_subcommand("version", "Print the version");
  command->callback([&run] {
    run = [] {
      std::cout << "psea " << kVersion << "\n";
      return 0;
    };
  });
}

}  // namespace psea::cli
