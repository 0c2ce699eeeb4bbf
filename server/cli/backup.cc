#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "backup/backup.h"
#include "cli/common.h"

namespace psea::cli {

namespace {
namespace fs = std::filesystem;

std::int64_t NowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

backup::Target TargetOf(const Config& config) {
  backup::Target target{config.db_url, config.data_dir, {}};
  for (const auto& migration : app::AllMigrations()) {
    int& latest = target.known_schema[migration.component];
    latest = std::max(latest, migration.version);
  }
  return target;
}

std::string SchemaLine(const std::map<std::string, int>& schema) {
  std::string line;
  for (const auto& [module, version] : schema) {
    line += (line.empty() ? "" : ", ") + module + " " + std::to_string(version);
  }
  return line;
}

void PrintKeyAdvice(const Config& config) {
  std::cout << "the server key (" << (fs::path(config.data_dir) / "server.key").string()
            << ") is NOT in the archive: keep one copy of it apart from the backups (another "
               "machine or a sealed envelope in the CDT safe); a restore needs that same key to "
               "open sealed identities, evidence files and 2FA secrets\n";
}

void PrintContents(const std::string& file, const backup::Contents& contents) {
  const auto& m = contents.manifest;
  std::cout << "backup " << file << ": psea " << m.psea_version << ", " << m.engine << ", created "
            << m.created_at << "\n";
  std::cout << "schema: " << SchemaLine(m.schema) << "\n";
  std::cout << "audit: " << m.audit_entries << " entries, head " << m.audit_head_id << ":"
            << m.audit_head_hash << " (chain verified)\n";
  std::cout << "users: " << contents.users << "\n";
  std::cout << "tables:";
  for (const auto& table : contents.tables) std::cout << " " << table.table << "=" << table.rows;
  std::cout << "\n";
  std::int64_t file_bytes = 0;
  int file_count = 0;
  for (const auto& part : m.parts) {
    std::cout << "part: " << part.name << " (" << part.size << " bytes)\n";
    if (part.name.rfind("files/", 0) == 0) {
      file_bytes += part.size;
      ++file_count;
    }
  }
  std::cout << "data files: " << file_count << " (" << file_bytes << " bytes)\n";
}

int WriteBackup(const Config& config, const std::string& out) {
  auto created = backup::CreateBackup(TargetOf(config), out, NowSeconds());
  if (!created.ok()) return Fail(created.status());
  int files = 0;
  for (const auto& part : created->manifest.parts) files += part.name.rfind("files/", 0) == 0;
  std::cout << "backup written to " << created->path << " (" << created->archive_bytes
            << " bytes): " << created->manifest.engine << " database, " << files
            << " data files, audit anchor " << created->manifest.audit_head_id << ":"
            << created->manifest.audit_head_hash << " (" << created->manifest.audit_entries
            << " entries)\n";
  PrintKeyAdvice(config);
  return 0;
}
}  // namespace

void RegisterBackup(CLI::App& root, Config& config, Action& run) {
  static std::string out_file;
  static std::string out_dir;
  static std::string verify_file;
  static int keep = 14;
  CLI::App* backup = root.add_subcommand(
      "backup",
      "Write one archive holding the database (SQLite online copy, or pg_dump custom format), "
      "the intake and evidence files and a manifest (SHA-256 of every part, schema versions, "
      "audit anchor); never the server key. The server may keep running");
  AddStorageOptions(*backup, config);
  auto* out_option = backup->add_option("--out", out_file, "Archive to write (must not exist)");
  auto* dir_option = backup->add_option(
      "--out-dir", out_dir, "Folder for a dated archive psea-backup-YYYYMMDD-HHMMSS.tar (UTC)");
  backup->add_option("--keep", keep, "With --out-dir: keep the newest N dated archives")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  auto* verify_option = backup->add_option(
      "--verify", verify_file,
      "Check an archive without restoring it: SHA-256 of every part, the database opens and "
      "has a known schema, the audit chain verifies, users exist (PostgreSQL: restored into a "
      "scratch database on the --db server, then dropped)");
  out_option->excludes(dir_option)->excludes(verify_option);
  dir_option->excludes(verify_option);
  backup->callback([&config, &run] {
    run = [&config] {
      if (!verify_file.empty()) {
        const auto staging = fs::temp_directory_path();
        auto staged = backup::Stage(verify_file, TargetOf(config), staging.string(), NowSeconds());
        if (!staged.ok()) return Fail(staged.status());
        PrintContents(verify_file, (*staged)->contents());
        std::cout << "backup verified: every part matches the manifest and the database passes "
                     "every restore check\n";
        return 0;
      }
      if (!out_file.empty()) return WriteBackup(config, out_file);
      if (out_dir.empty()) {
        return Fail(InvalidArgument("give --out FILE, --out-dir DIR or --verify FILE", "out"));
      }
      std::error_code error;
      fs::create_directories(out_dir, error);
      if (error) return Fail(Unavailable("cannot create " + out_dir + ": " + error.message()));
      ::chmod(out_dir.c_str(), 0700);
      const int written = WriteBackup(
          config, (fs::path(out_dir) / backup::DatedArchiveName(NowSeconds())).string());
      if (written != 0) return written;
      std::vector<std::string> names;
      for (const auto& entry : fs::directory_iterator(out_dir, error)) {
        names.push_back(entry.path().filename().string());
      }
      for (const auto& name : backup::ArchivesToPrune(names, keep)) {
        fs::remove(fs::path(out_dir) / name, error);
        std::cout << "removed the older backup " << (fs::path(out_dir) / name).string()
                  << " (keeping the newest " << keep << ")\n";
      }
      return 0;
    };
  });

  static std::string in_file;
  static bool dry_run = false;
  CLI::App* restore = root.add_subcommand(
      "restore",
      "Replace the database and the intake and evidence files with a backup archive (stop the "
      "server first). Checks everything in a scratch copy first; keeps the current database "
      "and files aside under a dated name");
  AddStorageOptions(*restore, config);
  restore->add_option("--in", in_file, "Backup archive to read")->required();
  restore->add_flag("--dry-run", dry_run,
                    "Check the archive and print what it holds (tables, audit head, schema, "
                    "files) without changing anything");
  restore->callback([&config, &run] {
    run = [&config] {
      const backup::Target target = TargetOf(config);
      const std::string staging = dry_run ? fs::temp_directory_path().string() : config.data_dir;
      auto staged = backup::Stage(in_file, target, staging, NowSeconds());
      if (!staged.ok()) return Fail(staged.status());
      PrintContents(in_file, (*staged)->contents());
      if (dry_run) {
        std::cout << "dry run: the backup passes every check; nothing was changed\n";
        return 0;
      }
      auto kept = (*staged)->SwapIn(target, NowSeconds());
      if (!kept.ok()) return Fail(kept.status());
      staged->reset();
      for (const auto& line : *kept) std::cout << line << "\n";
      // Opening migrates a backup made by an older psea and proves the key still fits.
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto report = security::AuditLog::Verify((*app)->database());
      if (!report.ok()) return Fail(report.status());
      std::cout << "restored " << (*app)->database().Describe() << " from " << in_file
                << "; audit chain " << (report->ok ? "intact" : "BROKEN: " + report->problem)
                << " (" << report->entries_checked << " entries)\n";
      return report->ok ? 0 : 1;
    };
  });
}

}  // namespace psea::cli
