#include "backup/backup.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "backup/archive.h"
#include "core/version.h"
#include "security/audit.h"
#include "security/crypto.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/sqlite/sqlite_database.h"

extern char** environ;

namespace psea::backup {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSqlitePart = "database/psea.db";
constexpr std::string_view kPostgresPart = "database/psea.pgdump";
// The data folder's contents a backup carries; never server.key, never anything else.
constexpr const char* kDataFolders[] = {"intake", "evidence"};

bool IsSqlite(const std::string& url) { return url.rfind("sqlite:", 0) == 0; }
std::string SqlitePath(const std::string& url) { return url.substr(7); }
std::string EngineOf(const std::string& url) { return IsSqlite(url) ? "sqlite" : "postgresql"; }

std::string IsoTime(std::int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// A key file's name: never carried, whatever folder it sits in. Only whole names and
// extensions: stored files have random names, which may contain "key" by chance.
bool LooksLikeKeyFile(const fs::path& path) {
  std::string name = path.filename().string();
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name.rfind("server.key", 0) == 0 || name.ends_with(".key") || name.ends_with(".pem") ||
         name.ends_with(".p12");
}

bool IsPlainIdentifier(const std::string& name) {
  return !name.empty() && name.size() <= 30 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string Underscored(std::string stamp) {
  std::replace(stamp.begin(), stamp.end(), '-', '_');
  return stamp;
}

// ---- Running pg_dump and pg_restore

Result<std::string> FindProgram(const std::string& name) {
  std::vector<std::string> folders;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream list(path);
    for (std::string folder; std::getline(list, folder, ':');) {
      if (!folder.empty()) folders.push_back(folder);
    }
  }
  folders.push_back("/usr/lib/postgresql/15/bin");
  for (const auto& folder : folders) {
    const fs::path candidate = fs::path(folder) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return Unavailable(name +
                     " was not found on PATH nor in /usr/lib/postgresql/15/bin: install "
                     "Debian's postgresql-client-15");
}

// Runs `argv` (argv[0] a path) without a shell, with `password` in PGPASSWORD so that it never
// shows in the process list. Returns its last line of stderr when it fails.
Status RunProgram(const std::vector<std::string>& argv, const std::string& password) {
  std::vector<std::string> environment;
  for (char** entry = environ; entry && *entry; ++entry) {
    if (std::string_view(*entry).rfind("PGPASSWORD=", 0) != 0) environment.emplace_back(*entry);
  }
  if (!password.empty()) environment.push_back("PGPASSWORD=" + password);
  std::vector<char*> env_pointers;
  for (auto& item : environment) env_pointers.push_back(item.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  for (auto& item : args) arg_pointers.push_back(item.data());
  arg_pointers.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Internal("cannot start " + argv[0]);
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Internal("cannot start " + argv[0]);
  }
  if (child == 0) {
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::dup2(pipe_fds[1], 2);
    ::execve(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  std::string errors;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (errors.size() < 64 * 1024) errors.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(pipe_fds[0]);
  int wait_status = 0;
  while (::waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return Status::Ok();
  while (!errors.empty() && (errors.back() == '\n' || errors.back() == '\r')) errors.pop_back();
  const std::size_t last_line = errors.rfind('\n');
  const std::string reason = last_line == std::string::npos ? errors : errors.substr(last_line + 1);
  return Unavailable(fs::path(argv[0]).filename().string() + " failed" +
                     (reason.empty() ? std::string() : ": " + reason));
}

// Runs administrative SQL (CREATE, DROP, ALTER DATABASE) from the server's maintenance
// database, so that neither the current nor the scratch database is in use by us.
Status PgAdmin(const std::string& url, const std::string& sql) {
  Status last = Status::Ok();
  for (const char* maintenance : {"postgres", "template1"}) {
    auto database = storage::OpenDatabase(PgUrlWithDatabase(url, maintenance), 1);
    if (!database.ok()) {
      last = database.status();
      continue;
    }
    auto lease = (*database)->Acquire();
    if (!lease.ok()) return lease.status();
    return (*lease)->ExecuteScript(sql);
  }
  return last;
}

Result<bool> PgDatabaseExists(const std::string& url, const std::string& name) {
  auto database = storage::OpenDatabase(PgUrlWithDatabase(url, "postgres"), 1);
  if (!database.ok()) database = storage::OpenDatabase(PgUrlWithDatabase(url, "template1"), 1);
  if (!database.ok()) return database.status();
  auto lease = (*database)->Acquire();
  if (!lease.ok()) return lease.status();
  ASSIGN_OR_RETURN(auto row,
                   (*lease)->QueryOne("SELECT 1 FROM pg_database WHERE datname = ?", {name}));
  return row.has_value();
}

// ---- What a database holds

struct Facts {
  std::map<std::string, int> schema;
  std::int64_t audit_entries = 0;
  security::AuditAnchor head;
};

Result<Facts> ReadFacts(storage::Connection& c) {
  Facts facts;
  ASSIGN_OR_RETURN(auto versions, c.Query("SELECT component, MAX(version) FROM schema_migrations "
                                          "GROUP BY component ORDER BY component"));
  for (const auto& row : versions.rows) {
    facts.schema[row.Text(0)] = static_cast<int>(row.Int(1));
  }
  ASSIGN_OR_RETURN(auto count, c.QueryOne("SELECT COUNT(*) FROM audit_log"));
  facts.audit_entries = count->Int(0);
  ASSIGN_OR_RETURN(facts.head, security::AuditLog::Head(c));
  return facts;
}

Result<std::vector<TableCount>> CountTables(storage::Connection& c) {
  const char* list_sql =
      c.engine() == storage::Engine::kSqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
          : "SELECT table_name::text FROM information_schema.tables WHERE table_schema = "
            "'public' AND table_type = 'BASE TABLE' ORDER BY table_name";
  ASSIGN_OR_RETURN(auto names, c.Query(list_sql));
  std::vector<TableCount> counts;
  for (const auto& row : names.rows) {
    std::string quoted = "\"";
    for (char ch : row.Text(0)) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    quoted += "\"";
    // An identifier cannot be a parameter; it comes from the engine's own catalog, quoted.
    ASSIGN_OR_RETURN(auto count, c.QueryOne("SELECT COUNT(*) FROM " + quoted));
    counts.push_back({row.Text(0), count->Int(0)});
  }
  return counts;
}

// The checks every staged database passes before it may replace anything.
Result<Contents> CheckStagedDatabase(storage::Database& database, const Manifest& manifest,
                                     const std::map<std::string, int>& known_schema) {
  auto kind = database.Read<storage::InstanceKind>(
      [](storage::Connection& c) { return storage::ReadInstanceKind(c); });
  if (!kind.ok()) {
    return InvalidArgument("not a psea backup: its database has no psea schema", "in");
  }
  ASSIGN_OR_RETURN(auto facts,
                   database.Read<Facts>([](storage::Connection& c) { return ReadFacts(c); }));
  RETURN_IF_ERROR(CheckSchemaKnown(facts.schema, known_schema));
  if (facts.schema != manifest.schema) {
    return InvalidArgument(
        "the backup's manifest does not match its database (schema versions differ)", "in");
  }
  ASSIGN_OR_RETURN(auto audit, security::AuditLog::Verify(database));
  if (!audit.ok) {
    return Unprocessable("the audit chain in the backup does not verify (entry " +
                             std::to_string(audit.first_bad_id) + ": " + audit.problem + ")",
                         "in");
  }
  if (facts.audit_entries != manifest.audit_entries || facts.head.id != manifest.audit_head_id ||
      facts.head.hash != manifest.audit_head_hash) {
    return Unprocessable(
        "the backup's audit chain does not end at the anchor its manifest recorded", "in");
  }
  Contents contents;
  contents.manifest = manifest;
  ASSIGN_OR_RETURN(contents.users,
                   database.Read<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
                     ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM users"));
                     return row->Int(0);
                   }));
  if (contents.users == 0) {
    return Unprocessable("the backup holds no users: it is not a database worth restoring", "in");
  }
  ASSIGN_OR_RETURN(contents.tables, database.Read<std::vector<TableCount>>(
                                        [](storage::Connection& c) { return CountTables(c); }));
  return contents;
}

// rename(2), or copy and remove across file systems.
Status MovePath(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::rename(from, to, error);
  if (!error) return Status::Ok();
  if (error != std::errc::cross_device_link) {
    return Internal("cannot move " + from.string() + " to " + to.string() + ": " + error.message());
  }
  fs::copy(from, to, fs::copy_options::recursive, error);
  if (error) {
    return Internal("cannot copy " + from.string() + " to " + to.string() + ": " + error.message());
  }
  fs::remove_all(from, error);
  return Status::Ok();
}

Result<fs::path> MakeScratchFolder(const fs::path& parent, const std::string& prefix) {
  std::error_code error;
  fs::create_directories(parent, error);
  std::string pattern = (parent / (prefix + "XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) {
    return Internal("cannot create a scratch folder in " + parent.string() + ": " +
                    std::strerror(errno));
  }
  return fs::path(pattern);
}

class RemoveOnExit {
 public:
  explicit RemoveOnExit(fs::path path) : path_(std::move(path)) {}
  ~RemoveOnExit() {
    std::error_code error;
    fs::remove_all(path_, error);
  }

 private:
  fs::path path_;
};

class Staged : public StagedBackup {
 public:
  Staged(fs::path scratch, std::string admin_url)
      : scratch_(std::move(scratch)), admin_url_(std::move(admin_url)) {}
  ~Staged() override {
    database_.reset();
    if (!scratch_database_.empty()) {
      (void)PgAdmin(admin_url_,
                    "DROP DATABASE IF EXISTS \"" + scratch_database_ + "\" WITH (FORCE)");
    }
    std::error_code error;
    fs::remove_all(scratch_, error);
  }
  const Contents& contents() const override { return contents_; }
  Result<std::vector<std::string>> SwapIn(const Target& target,
                                          std::int64_t now_unix_seconds) override;

  fs::path extracted() const { return scratch_ / "archive"; }

  fs::path scratch_;
  std::string admin_url_;
  std::string scratch_database_;  // PostgreSQL: dropped unless swapped in
  std::unique_ptr<storage::Database> database_;
  Contents contents_;

 private:
  Result<std::vector<std::string>> SwapFiles(const Target& target, const std::string& stamp);
};

Result<std::vector<std::string>> Staged::SwapFiles(const Target& target, const std::string& stamp) {
  std::vector<std::string> lines;
  const fs::path data_dir(target.data_dir);
  const fs::path aside = data_dir / ("before-restore-" + stamp);
  bool kept = false;
  for (const char* folder : kDataFolders) {
    const fs::path current = data_dir / folder;
    if (fs::exists(current)) {
      std::error_code error;
      fs::create_directories(aside, error);
      RETURN_IF_ERROR(MovePath(current, aside / folder));
      kept = true;
    }
    const fs::path staged = extracted() / "files" / folder;
    if (fs::exists(staged)) RETURN_IF_ERROR(MovePath(staged, current));
  }
  if (kept) lines.push_back("kept the replaced data files aside in " + aside.string());
  return lines;
}

Result<std::vector<std::string>> Staged::SwapIn(const Target& target,
                                                std::int64_t now_unix_seconds) {
  const std::string stamp = DateStamp(now_unix_seconds);
  if (!fs::exists(fs::path(target.data_dir) / "server.key")) {
    return Unprocessable("there is no server.key in " + target.data_dir +
                             ": put back the key this database was made with before restoring "
                             "(the backup does not hold it)",
                         "data-dir");
  }
  // A copy kept aside is never overwritten (two restores within one second).
  for (const fs::path& aside :
       {fs::path(target.data_dir) / ("before-restore-" + stamp),
        fs::path(IsSqlite(target.db_url) ? SqlitePath(target.db_url) + ".before-restore-" + stamp
                                         : std::string())}) {
    if (!aside.empty() && fs::exists(aside)) {
      return Conflict(aside.string() + " exists already: wait a second and run restore again");
    }
  }
  database_.reset();  // every connection to the staged copy closed before it moves
  std::vector<std::string> lines;
  if (IsSqlite(target.db_url)) {
    const fs::path path = SqlitePath(target.db_url);
    const std::string aside = path.string() + ".before-restore-" + stamp;
    std::vector<std::string> moved;
    if (fs::exists(path)) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const fs::path from = path.string() + suffix;
        if (!fs::exists(from)) continue;
        RETURN_IF_ERROR(MovePath(from, aside + suffix));
        moved.push_back(suffix);
      }
      lines.push_back("kept the current database aside as " + aside +
                      " (with its -wal and -shm files when it had them)");
    }
    const fs::path staged = extracted() / std::string(kSqlitePart);
    Status placed = MovePath(staged, path);
    if (placed.ok() && fs::exists(staged.string() + "-wal")) {
      placed = MovePath(staged.string() + "-wal", path.string() + "-wal");
    }
    if (!placed.ok()) {
      for (const auto& suffix : moved) (void)MovePath(aside + suffix, path.string() + suffix);
      return placed;
    }
  } else {
    ASSIGN_OR_RETURN(auto url, ParsePgUrl(target.db_url));
    ASSIGN_OR_RETURN(bool exists, PgDatabaseExists(target.db_url, url.database));
    if (exists) {
      const fs::path dump =
          fs::path(target.data_dir) / (url.database + ".before-restore-" + stamp + ".pgdump");
      ASSIGN_OR_RETURN(auto pg_dump, FindProgram("pg_dump"));
      RETURN_IF_ERROR(
          RunProgram({pg_dump, "--format=custom", "--file=" + dump.string(), "--dbname=" + url.url},
                     url.password));
      lines.push_back("kept a pg_dump (custom format) of the current database as " + dump.string());
      const std::string aside = url.database + "_before_restore_" + Underscored(stamp);
      // One implicit transaction: both renames or neither.
      Status renamed =
          PgAdmin(target.db_url, "ALTER DATABASE \"" + url.database + "\" RENAME TO \"" + aside +
                                     "\"; ALTER DATABASE \"" + scratch_database_ +
                                     "\" RENAME TO \"" + url.database + "\"");
      if (!renamed.ok()) {
        return Unavailable("cannot swap the databases (is the server stopped?): " +
                           renamed.message());
      }
      lines.push_back("kept the current database aside as the PostgreSQL database " + aside +
                      " (drop it once the restore is checked)");
    } else {
      RETURN_IF_ERROR(PgAdmin(target.db_url, "ALTER DATABASE \"" + scratch_database_ +
                                                 "\" RENAME TO \"" + url.database + "\""));
    }
    scratch_database_.clear();
  }
  ASSIGN_OR_RETURN(auto file_lines, SwapFiles(target, stamp));
  lines.insert(lines.end(), file_lines.begin(), file_lines.end());
  return lines;
}

}  // namespace

// ---- PostgreSQL URLs

namespace {
std::string PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() + 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}
}  // namespace

Result<PgUrl> ParsePgUrl(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.substr(0, scheme_end) != "postgresql" && url.substr(0, scheme_end) != "postgres")) {
    return InvalidArgument("not a postgresql:// URL", "db");
  }
  const std::size_t authority_start = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_start);
  if (authority_end == std::string::npos) authority_end = url.size();
  std::string authority = url.substr(authority_start, authority_end - authority_start);
  PgUrl parsed;
  const std::size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    const std::size_t colon = authority.find(':');
    if (colon != std::string::npos && colon < at) {
      parsed.password = PercentDecode(authority.substr(colon + 1, at - colon - 1));
      authority.erase(colon, at - colon);
    }
  }
  std::string rest = url.substr(authority_end);
  if (!rest.empty() && rest[0] == '/') {
    const std::size_t path_end = rest.find_first_of("?#");
    parsed.database = PercentDecode(
        rest.substr(1, path_end == std::string::npos ? std::string::npos : path_end - 1));
  }
  parsed.url = url.substr(0, authority_start) + authority + rest;
  return parsed;
}

std::string PgUrlWithDatabase(const std::string& url, const std::string& database) {
  const std::size_t scheme_end = url.find("://");
  const std::size_t authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_start);
  if (authority_end == std::string::npos) authority_end = url.size();
  std::string rest = url.substr(authority_end);
  std::string query;
  if (!rest.empty() && rest[0] == '/') {
    const std::size_t path_end = rest.find_first_of("?#");
    query = path_end == std::string::npos ? "" : rest.substr(path_end);
  } else {
    query = rest;
  }
  return url.substr(0, authority_end) + "/" + database + query;
}

// ---- Backup

Result<CreatedBackup> CreateBackup(const Target& target, const std::string& out_path,
                                   std::int64_t now_unix_seconds) {
  if (fs::exists(out_path)) return InvalidArgument(out_path + " exists already", "out");
  fs::path out_folder = fs::path(out_path).parent_path();
  if (out_folder.empty()) out_folder = ".";
  ASSIGN_OR_RETURN(auto scratch, MakeScratchFolder(out_folder, ".psea-backup-"));
  RemoveOnExit cleanup(scratch);

  Manifest manifest;
  manifest.psea_version = kVersion;
  manifest.engine = EngineOf(target.db_url);
  manifest.created_at = IsoTime(now_unix_seconds);
  std::vector<ArchiveMember> members;
  Facts facts;
  if (IsSqlite(target.db_url)) {
    const std::string source = SqlitePath(target.db_url);
    if (!fs::exists(source)) {
      return Status(ErrorCode::kNotFound, "there is no database at " + source, "db");
    }
    const fs::path copy = scratch / "psea.db";
    RETURN_IF_ERROR(storage::BackupSqlite(source, copy.string()));
    {
      // The manifest describes the copy, not the live database that kept moving.
      ASSIGN_OR_RETURN(auto database, storage::OpenSqlite(copy.string(), 1));
      ASSIGN_OR_RETURN(facts,
                       database->Read<Facts>([](storage::Connection& c) { return ReadFacts(c); }));
    }
    members.push_back({std::string(kSqlitePart), copy.string(), {}});
  } else {
    ASSIGN_OR_RETURN(auto url, ParsePgUrl(target.db_url));
    ASSIGN_OR_RETURN(auto pg_dump, FindProgram("pg_dump"));
    const fs::path dump = scratch / "psea.pgdump";
    ASSIGN_OR_RETURN(auto database, storage::OpenDatabase(target.db_url, 1));
    // pg_dump reads the snapshot this transaction exported, so the manifest's schema and audit
    // anchor describe exactly the rows of the dump while the server keeps writing.
    Status dumped = database->ReadTransaction([&](storage::Connection& c) -> Status {
      ASSIGN_OR_RETURN(facts, ReadFacts(c));
      ASSIGN_OR_RETURN(auto snapshot, c.QueryOne("SELECT pg_export_snapshot()"));
      return RunProgram({pg_dump, "--format=custom", "--snapshot=" + snapshot->Text(0),
                         "--file=" + dump.string(), "--dbname=" + url.url},
                        url.password);
    });
    RETURN_IF_ERROR(dumped);
    members.push_back({std::string(kPostgresPart), dump.string(), {}});
  }
  manifest.schema = facts.schema;
  manifest.audit_entries = facts.audit_entries;
  manifest.audit_head_id = facts.head.id;
  manifest.audit_head_hash = facts.head.hash;

  for (const char* folder : kDataFolders) {
    const fs::path root = fs::path(target.data_dir) / folder;
    std::error_code error;
    if (!fs::is_directory(root, error)) continue;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(root, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (!it->is_regular_file() || it->is_symlink() || LooksLikeKeyFile(it->path())) continue;
      files.push_back(it->path());
    }
    if (error) return Internal("cannot list " + root.string() + ": " + error.message());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const std::string name =
          "files/" + fs::relative(file, fs::path(target.data_dir)).generic_string();
      if (!IsSafePartName(name)) {
        return Internal("cannot back up " + file.string() + ": its name is not one psea writes");
      }
      members.push_back({name, file.string(), {}});
    }
  }
  for (const auto& member : members) {
    ASSIGN_OR_RETURN(auto digest, security::Sha256FileHex(member.source_path));
    std::error_code error;
    const auto size = fs::file_size(member.source_path, error);
    if (error) return Internal("cannot read " + member.source_path);
    manifest.parts.push_back({member.name, static_cast<std::int64_t>(size), digest});
  }
  members.insert(members.begin(), {std::string(kManifestName), {}, ManifestToJson(manifest)});

  const std::string partial = out_path + ".partial";
  std::error_code error;
  fs::remove(partial, error);
  RETURN_IF_ERROR(WriteTarArchive(partial, members));
  fs::rename(partial, out_path, error);
  if (error) {
    fs::remove(partial, error);
    return Internal("cannot rename " + partial + " to " + out_path);
  }
  CreatedBackup created;
  created.path = out_path;
  created.manifest = std::move(manifest);
  created.archive_bytes = static_cast<std::int64_t>(fs::file_size(out_path, error));
  return created;
}

// ---- Stage

Result<std::unique_ptr<StagedBackup>> Stage(const std::string& archive_path, const Target& target,
                                            const std::string& staging_parent,
                                            std::int64_t now_unix_seconds) {
  std::error_code error;
  const auto size = fs::file_size(archive_path, error);
  if (error) return InvalidArgument("cannot read " + archive_path + ": " + error.message(), "in");
  if (size == 0) {
    return InvalidArgument("the backup file is empty (a failed copy?): not a psea backup", "in");
  }
  const bool sqlite = IsSqlite(target.db_url);
  std::string admin_url;
  PgUrl pg_url;
  if (!sqlite) {
    ASSIGN_OR_RETURN(pg_url, ParsePgUrl(target.db_url));
    if (!IsPlainIdentifier(pg_url.database)) {
      return InvalidArgument(
          "restore needs a PostgreSQL database name of at most 30 letters, digits and "
          "underscores in --db",
          "db");
    }
    admin_url = target.db_url;
  }
  ASSIGN_OR_RETURN(auto scratch, MakeScratchFolder(staging_parent, ".psea-restore-"));
  auto staged = std::make_unique<Staged>(scratch, admin_url);

  ASSIGN_OR_RETURN(auto names, ExtractTarArchive(archive_path, staged->extracted().string(),
                                                 IsArchiveMemberName));
  if (std::find(names.begin(), names.end(), kManifestName) == names.end()) {
    return InvalidArgument("not a psea backup: the archive has no manifest.json", "in");
  }
  std::string manifest_text;
  {
    std::ifstream in(staged->extracted() / std::string(kManifestName), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    manifest_text = text.str();
  }
  ASSIGN_OR_RETURN(auto manifest, ParseManifest(manifest_text));
  if (manifest.engine != EngineOf(target.db_url)) {
    return InvalidArgument("this backup holds a " + manifest.engine +
                               " database; restore it with --db pointing at a " + manifest.engine +
                               " database",
                           "db");
  }
  std::set<std::string> listed;
  for (const auto& part : manifest.parts) {
    listed.insert(part.name);
    const fs::path file = staged->extracted() / part.name;
    if (!fs::exists(file)) {
      return InvalidArgument("the archive is truncated or incomplete: " + part.name + " is missing",
                             "in");
    }
    ASSIGN_OR_RETURN(auto digest, security::Sha256FileHex(file.string()));
    if (digest != part.sha256 ||
        static_cast<std::int64_t>(fs::file_size(file, error)) != part.size) {
      return InvalidArgument(
          "the archive is damaged: " + part.name + " does not match its SHA-256 in the manifest",
          "in");
    }
  }
  for (const auto& name : names) {
    if (name != kManifestName && !listed.count(name)) {
      return InvalidArgument("not a psea backup: " + name + " is not listed in its manifest", "in");
    }
  }
  const std::string_view database_part = sqlite ? kSqlitePart : kPostgresPart;
  if (!listed.count(std::string(database_part))) {
    return InvalidArgument("not a psea backup: the archive holds no database", "in");
  }
  RETURN_IF_ERROR(CheckSchemaKnown(manifest.schema, target.known_schema));

  const fs::path database_file = staged->extracted() / std::string(database_part);
  if (sqlite) {
    Status sound = storage::CheckSqliteFile(database_file.string());
    if (!sound.ok()) return InvalidArgument("not a psea backup: " + sound.message(), "in");
    ASSIGN_OR_RETURN(staged->database_, storage::OpenSqlite(database_file.string(), 1));
  } else {
    const std::string scratch_name =
        pg_url.database + "_restore_" + Underscored(DateStamp(now_unix_seconds));
    RETURN_IF_ERROR(PgAdmin(target.db_url, "CREATE DATABASE \"" + scratch_name + "\""));
    staged->scratch_database_ = scratch_name;
    ASSIGN_OR_RETURN(auto pg_restore, FindProgram("pg_restore"));
    Status restored = RunProgram(
        {pg_restore, "--no-owner", "--no-acl", "--exit-on-error",
         "--dbname=" + PgUrlWithDatabase(pg_url.url, scratch_name), database_file.string()},
        pg_url.password);
    if (!restored.ok()) {
      return InvalidArgument("the database in the backup cannot be restored: " + restored.message(),
                             "in");
    }
    ASSIGN_OR_RETURN(staged->database_,
                     storage::OpenDatabase(PgUrlWithDatabase(target.db_url, scratch_name), 1));
  }
  ASSIGN_OR_RETURN(staged->contents_,
                   CheckStagedDatabase(*staged->database_, manifest, target.known_schema));
  staged->database_.reset();
  return std::unique_ptr<StagedBackup>(std::move(staged));
}

}  // namespace psea::backup
