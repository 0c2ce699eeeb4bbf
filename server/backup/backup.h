// Whole backups and safe restores, on both engines.
//
// A backup is one tar archive: manifest.json (see manifest.h), the database (SQLite: an online
// copy through the backup API, "database/psea.db"; PostgreSQL: `pg_dump --format=custom`,
// "database/psea.pgdump") and the data folder's intake/ and evidence/ files ("files/..."). The
// server key and anything named like a key stay out.
//
// A restore first stages the archive (extracts it, checks every part's SHA-256, restores the
// database into a scratch place: a file beside the data folder, or a scratch PostgreSQL
// database) and checks the staged copy (a psea schema no newer than this binary, an audit
// chain that verifies and matches the manifest's anchor, at least one user). Only then does
// it keep the current database and files aside under a dated name and swap the staged ones
// in. Nothing here checks that the server is stopped (SQLite) beyond what the engine refuses.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "core/result.h"

namespace psea::backup {

struct Target {
  std::string db_url;    // sqlite:PATH or postgresql://...
  std::string data_dir;  // holds server.key, intake/, evidence/
  // module -> newest migration this binary knows (from the application's migrations)
  std::map<std::string, int> known_schema;
};

struct CreatedBackup {
  std::string path;
  Manifest manifest;
  std::int64_t archive_bytes = 0;
};

// Writes the archive at `out_path` (refuses an existing file; written as OUT.partial and
// renamed when complete, mode 0600). The database is copied before the files: a file is on
// disk before its row commits, so every row of the copy has its file.
Result<CreatedBackup> CreateBackup(const Target& target, const std::string& out_path,
                                   std::int64_t now_unix_seconds);

struct TableCount {
  std::string table;
  std::int64_t rows = 0;
};

// What a staged backup holds, after every check passed.
struct Contents {
  Manifest manifest;
  std::vector<TableCount> tables;
  std::int64_t users = 0;
};

// An archive extracted and its database restored into a scratch place, checked. Removes the
// scratch folder (and drops a scratch PostgreSQL database) when destroyed.
class StagedBackup {
 public:
  virtual ~StagedBackup() = default;
  virtual const Contents& contents() const = 0;
  // Keeps the current database and the data folder's files it replaces aside under dated
  // names, then puts the staged ones in their place. Returns the lines to print (where the
  // kept copies are).
  virtual Result<std::vector<std::string>> SwapIn(const Target& target,
                                                  std::int64_t now_unix_seconds) = 0;
};

// Stages `archive_path` for `target`'s engine. `staging_parent` is the folder in which the
// scratch folder is made (the data folder for a restore, so that the swap is a rename). Every
// refusal is one sentence naming the reason (empty, not an archive, truncated, a part that
// does not match its SHA-256, no schema, a newer schema, an audit chain that does not
// verify, no users, another engine).
Result<std::unique_ptr<StagedBackup>> Stage(const std::string& archive_path, const Target& target,
                                            const std::string& staging_parent,
                                            std::int64_t now_unix_seconds);

// ---- PostgreSQL URLs (exposed for tests)
struct PgUrl {
  std::string url;       // without the password
  std::string password;  // percent-decoded; empty when none
  std::string database;  // percent-decoded path; empty when none
};
// kInvalidArgument (field "db") for something that is not postgresql://...
Result<PgUrl> ParsePgUrl(const std::string& url);
// `url` with its database (path) replaced by `database` (letters, digits, underscores).
std::string PgUrlWithDatabase(const std::string& url, const std::string& database);

}  // namespace psea::backup
