// Versioned schema migrations. Each module owns its tables and lists its migrations under
// its own component name; versions count up from 1 within a component. All pending
// migrations run in one transaction, so a failed start leaves the schema as it was.
//
// Dialect: plain SQL both engines accept, plus two placeholders:
//   {{ID}}   an auto-numbered 64-bit primary key column type
//   {{BLOB}} a binary column type
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace psea::storage {

struct Migration {
  std::string component;  // e.g. "core", "accounts"
  int version;            // 1, 2, ... within the component
  std::string description;
  std::string sql;
  // Used instead of `sql` on PostgreSQL when the engines cannot share a statement (triggers).
  std::string postgres_sql = {};
};

// What kind of database this is, fixed when the schema is first created.
enum class InstanceKind { kProduction, kDemo };

struct MigrationReport {
  int applied = 0;
  bool created = false;  // the database was empty before
  InstanceKind kind = InstanceKind::kProduction;
};

// Applies the pending migrations. `kind_if_new` is recorded only when the database is empty;
// an existing database keeps the kind it was created with. Refuses (kFailedPrecondition-like
// kUnprocessable) a database that holds a migration this binary does not know: it was written
// by a newer version of psea.
Result<MigrationReport> Migrate(Database& database, const std::vector<Migration>& migrations,
                                InstanceKind kind_if_new);

// The migrations of `migrations` that `database` lacks, in the order Migrate applies them
// (all of them when the schema was never created). Reads only: creates no table and no row.
// Refuses, like Migrate, a database that holds a migration this binary does not know.
Result<std::vector<Migration>> PendingMigrations(Database& database,
                                                 const std::vector<Migration>& migrations);

// The kind recorded at creation; kNotFound when the schema was never created.
Result<InstanceKind> ReadInstanceKind(Connection& connection);

// Replaces {{ID}} and {{BLOB}} for the engine.
std::string TranslateDdl(std::string_view sql, Engine engine);

}  // namespace psea::storage
