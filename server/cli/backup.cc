#include <filesystem>
#include <iostream>

#include "cli/common.h"
#include "storage/sqlite/sqlite_database.h"

namespace psea::cli {

namespace {
std::string SqlitePath(const std::string& url) {
  return url.rfind("sqlite:", 0) == 0 ? url.substr(7) : std::string();
}
constexpr const char* kPostgresAdvice =
    "for PostgreSQL use pg_dump --format=custom and pg_restore (see docs/operations.md)";
}  // namespace

void RegisterBackup(CLI::App& root, Config& config, Action& run) {
  static std::string file;
  CLI::App* backup = root.add_subcommand(
      "backup", "Consistent copy of a live SQLite database (the server may keep running)");
  AddStorageOptions(*backup, config);
  backup->add_option("--out", file, "Backup file to write")->required();
  backup->callback([&config, &run] {
    run = [&config] {
      const std::string path = SqlitePath(config.db_url);
      if (path.empty()) return Fail(InvalidArgument(kPostgresAdvice, "db"));
      if (std::filesystem::exists(file))
        return Fail(InvalidArgument(file + " exists already", "out"));
      Status status = storage::BackupSqlite(path, file);
      if (!status.ok()) return Fail(status);
      std::cout << "backup written to " << file
                << " (keep DATA_DIR/server.key safe as well: it decrypts 2FA secrets)\n";
      return 0;
    };
  });

  CLI::App* restore = root.add_subcommand(
      "restore", "Replace the SQLite database with a backup (stop the server first)");
  AddStorageOptions(*restore, config);
  restore->add_option("--in", file, "Backup file to read")->required()->check(CLI::ExistingFile);
  restore->callback([&config, &run] {
    run = [&config] {
      const std::string path = SqlitePath(config.db_url);
      if (path.empty()) return Fail(InvalidArgument(kPostgresAdvice, "db"));
      Status status = storage::RestoreSqlite(file, path);
      if (!status.ok()) return Fail(status);
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto report = security::AuditLog::Verify((*app)->database());
      if (!report.ok()) return Fail(report.status());
      std::cout << "restored " << path << " from " << file << "; audit chain "
                << (report->ok ? "intact" : "BROKEN: " + report->problem) << " ("
                << report->entries_checked << " entries)\n";
      return report->ok ? 0 : 1;
    };
  });
}

}  // namespace psea::cli
