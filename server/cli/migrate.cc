#include <filesystem>
#include <iostream>

#include "cli/common.h"
#include "core/log.h"
#include "core/version.h"
#include "storage/migrations.h"

namespace psea::cli {

namespace {
// `migrate --dry-run`: the migrations this binary would apply, per module, without opening
// the application (which migrates) and without creating a missing SQLite file.
int ListPendingMigrations(const Config& config) {
  log::Init(config.log_level == "info" ? "warn" : config.log_level);
  const auto all = app::AllMigrations();
  std::vector<storage::Migration> pending;
  const std::string sqlite_prefix = "sqlite:";
  const bool sqlite = config.db_url.rfind(sqlite_prefix, 0) == 0;
  const std::string sqlite_path = sqlite ? config.db_url.substr(sqlite_prefix.size()) : "";
  std::error_code error;
  if (sqlite && sqlite_path != ":memory:" && !std::filesystem::exists(sqlite_path, error)) {
    if (error) return Fail(Unavailable("cannot reach " + sqlite_path + ": " + error.message()));
    std::cout << "no database at " << sqlite_path << ": `psea migrate` would create it\n";
    pending = all;
  } else {
    auto database = storage::OpenDatabase(config.db_url, 1);
    if (!database.ok()) return Fail(database.status());
    auto listed = storage::PendingMigrations(**database, all);
    if (!listed.ok()) return Fail(listed.status());
    pending = std::move(*listed);
  }
  if (pending.empty()) {
    std::cout << "database schema is up to date: no pending migration (psea " << kVersion << ")\n";
    return 0;
  }
  std::cout << pending.size() << " pending migration" << (pending.size() == 1 ? "" : "s")
            << " (psea " << kVersion << "), applied in this order by `psea migrate`:\n";
  for (const auto& migration : pending) {
    std::cout << "  " << migration.component << " " << migration.version << "  "
              << migration.description << "\n";
  }
  return 0;
}
}  // namespace

void RegisterMigrate(CLI::App& root, Config& config, Action& run) {
  static bool dry_run = false;
  CLI::App* command = root.add_subcommand("migrate", "Create or upgrade the database schema");
  AddStorageOptions(*command, config);
  command->add_flag("--dry-run", dry_run,
                    "List the pending migrations (module, number, description) and change "
                    "nothing; a missing database is not created");
  command->callback([&config, &run] {
    run = [&config] {
      if (dry_run) return ListPendingMigrations(config);
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
