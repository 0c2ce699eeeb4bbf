// The embedded engine: one SQLite file in WAL mode, foreign keys on, a busy timeout so that
// concurrent writers wait instead of failing.
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace psea::storage {

// `path` is a file path or ":memory:" (then the pool holds a single connection, since each
// in-memory connection would be its own database).
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, int pool_size);

// A consistent copy of a live database into `destination` (SQLite online backup API).
Status BackupSqlite(const std::string& source_path, const std::string& destination_path);
// kInvalidArgument unless `path` opens read-only as a SQLite database whose
// `PRAGMA integrity_check` answers "ok" (a backup about to be restored).
Status CheckSqliteFile(const std::string& path);

}  // namespace psea::storage
