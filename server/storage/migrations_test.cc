// Migrations on both engines (see storage/testing/test_databases.h for how PostgreSQL is
// reached). The migrations here are made up for the test; no module's schema is involved.
#include "storage/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/testing/test_databases.h"

namespace psea::storage {
namespace {

using ::testing::HasSubstr;

Migration Make(std::string component, int version, std::string sql) {
  return Migration{std::move(component), version, "test migration", std::move(sql)};
}

// Two components; {{ID}} and {{BLOB}} are exercised by the first.
std::vector<Migration> BaseMigrations() {
  return {
      Make("alpha", 1,
           "CREATE TABLE alpha_items (id {{ID}}, name TEXT NOT NULL, data {{BLOB}});"
           "CREATE INDEX alpha_items_name ON alpha_items (name);"),
      Make("alpha", 2, "ALTER TABLE alpha_items ADD COLUMN extra BIGINT;"),
      Make("beta", 1, "CREATE TABLE beta_things (id {{ID}}, alpha_id BIGINT NOT NULL);"),
  };
}

class MigrationsTest : public testdb::EngineTest {
 protected:
  Result<MigrationReport> Run(const std::vector<Migration>& migrations,
                              InstanceKind kind = InstanceKind::kProduction) {
    return Migrate(db(), migrations, kind);
  }

  // The (component, version) pairs recorded as applied; empty when there is no bookkeeping.
  std::set<std::pair<std::string, int>> Applied() {
    auto rows = db().Read<QueryResult>(
        [](Connection& c) { return c.Query("SELECT component, version FROM schema_migrations"); });
    std::set<std::pair<std::string, int>> applied;
    if (!rows.ok()) return applied;
    for (const Row& row : rows->rows) applied.emplace(row.Text(0), static_cast<int>(row.Int(1)));
    return applied;
  }

  bool TableExists(const std::string& table) {
    auto count = db().Read<std::optional<Row>>(
        [&](Connection& c) { return c.QueryOne("SELECT COUNT(*) FROM " + table); });
    return count.ok();
  }

  Result<InstanceKind> Kind() {
    return db().Read<InstanceKind>([](Connection& c) { return ReadInstanceKind(c); });
  }

  Status Execute(const std::string& sql, const Params& params = {}) {
    auto lease = db().Acquire();
    if (!lease.ok()) return lease.status();
    return (*lease)->Execute(sql, params).status();
  }

  // Back to an empty database, for cases that each need one.
  void DropEverything() {
    for (const char* table : {"schema_migrations", "instance", "beta_things", "alpha_items"}) {
      ASSERT_TRUE(Execute(std::string("DROP TABLE IF EXISTS ") + table).ok()) << table;
    }
  }
};

TEST_P(MigrationsTest, FreshDatabaseGetsEveryMigration) {
  auto report = Run(BaseMigrations());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->applied, 3);
  EXPECT_TRUE(report->created);
  EXPECT_EQ(report->kind, InstanceKind::kProduction);
  const std::set<std::pair<std::string, int>> expected = {{"alpha", 1}, {"alpha", 2}, {"beta", 1}};
  EXPECT_EQ(Applied(), expected);

  // {{ID}} numbers rows itself, {{BLOB}} keeps bytes, and the later ALTER took effect.
  auto row = db().Write<std::optional<Row>>([](Connection& c) {
    return c.QueryOne("INSERT INTO alpha_items (name, data, extra) VALUES (?, ?, ?) RETURNING id",
                      {Value("x"), Value(Blob{std::string("\0\xff", 2)}), Value(std::int64_t{7})});
  });
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  ASSERT_TRUE(row->has_value());
  EXPECT_GT((*row)->Int(0), 0);
  auto read = db().Read<std::optional<Row>>(
      [](Connection& c) { return c.QueryOne("SELECT data, extra FROM alpha_items"); });
  ASSERT_TRUE(read.ok() && read->has_value()) << read.status().ToString();
  EXPECT_EQ((*read)->Bytes(0), std::string("\0\xff", 2));
  EXPECT_EQ((*read)->Int(1), 7);
  EXPECT_TRUE(TableExists("beta_things"));
}

TEST_P(MigrationsTest, SecondRunAppliesNothing) {
  ASSERT_TRUE(Run(BaseMigrations()).ok());
  auto again = Run(BaseMigrations());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->applied, 0);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(Applied().size(), 3u);
}

TEST_P(MigrationsTest, LaterRunAppliesOnlyTheNewMigrations) {
  ASSERT_TRUE(Run(BaseMigrations()).ok());
  std::vector<Migration> upgraded = BaseMigrations();
  upgraded.push_back(Make("beta", 2, "CREATE TABLE beta_more (id {{ID}});"));
  upgraded.push_back(Make("gamma", 1, "CREATE TABLE gamma_rows (id {{ID}});"));
  auto report = Run(upgraded);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->applied, 2);
  EXPECT_FALSE(report->created);
  EXPECT_TRUE(TableExists("beta_more"));
  EXPECT_TRUE(TableExists("gamma_rows"));
  EXPECT_EQ(Applied().size(), 5u);
}

TEST_P(MigrationsTest, RefusesADatabaseWrittenByANewerVersion) {
  struct Case {
    const char* label;
    const char* component;
    int version;
  };
  const Case cases[] = {
      {"higher version of a known component", "alpha", 3},
      {"unknown component", "delta", 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    DropEverything();
    ASSERT_TRUE(Run(BaseMigrations()).ok());
    ASSERT_TRUE(Execute("INSERT INTO schema_migrations (component, version, description, "
                        "applied_at) VALUES (?, ?, 'from the future', 0)",
                        {Value(c.component), Value(std::int64_t{c.version})})
                    .ok());
    auto report = Run(BaseMigrations());
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), ErrorCode::kUnprocessable);
    EXPECT_THAT(report.status().message(), HasSubstr("newer version"));
    EXPECT_THAT(report.status().message(), HasSubstr(c.component));
    EXPECT_EQ(Applied().size(), 4u);  // nothing was applied or removed
  }
}

// `psea migrate --dry-run`: what Migrate would apply, in its order, and nothing written.
TEST_P(MigrationsTest, PendingListsWhatMigrateWouldApplyAndWritesNothing) {
  auto names = [](const std::vector<Migration>& list) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& m : list) out.emplace_back(m.component, m.version);
    return out;
  };
  auto fresh = PendingMigrations(db(), BaseMigrations());
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(names(*fresh), names(BaseMigrations()));
  EXPECT_FALSE(TableExists("schema_migrations")) << "a dry run creates no bookkeeping";

  ASSERT_TRUE(Run({BaseMigrations()[0]}).ok());
  std::vector<Migration> upgraded = BaseMigrations();
  upgraded.push_back(Make("gamma", 1, "CREATE TABLE gamma_rows (id {{ID}});"));
  auto pending = PendingMigrations(db(), upgraded);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  const std::vector<std::pair<std::string, int>> expected = {
      {"alpha", 2}, {"beta", 1}, {"gamma", 1}};
  EXPECT_EQ(names(*pending), expected);
  EXPECT_EQ(Applied().size(), 1u);
  EXPECT_FALSE(TableExists("gamma_rows"));

  ASSERT_TRUE(Run(upgraded).ok());
  auto none = PendingMigrations(db(), upgraded);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());

  // A database from a newer psea is refused as Migrate refuses it.
  auto older_binary = PendingMigrations(db(), BaseMigrations());
  ASSERT_FALSE(older_binary.ok());
  EXPECT_EQ(older_binary.status().code(), ErrorCode::kUnprocessable);
  EXPECT_THAT(older_binary.status().message(), HasSubstr("gamma"));
}

TEST_P(MigrationsTest, FailingMigrationRollsBackTheWholeRun) {
  ASSERT_TRUE(Run({BaseMigrations()[0]}).ok());
  const auto before = Applied();
  ASSERT_EQ(before.size(), 1u);

  std::vector<Migration> broken = BaseMigrations();
  broken.push_back(Make("beta", 2,
                        "CREATE TABLE beta_half_done (id {{ID}});"
                        "INSERT INTO no_such_table VALUES (1);"));
  auto report = Run(broken);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kInternal);
  EXPECT_THAT(report.status().message(), HasSubstr("beta/2"));

  // Neither the migrations before the broken one nor its own first statement remain.
  EXPECT_EQ(Applied(), before);
  EXPECT_FALSE(TableExists("beta_things"));
  EXPECT_FALSE(TableExists("beta_half_done"));
  auto columns = db().Read<std::optional<Row>>(
      [](Connection& c) { return c.QueryOne("SELECT extra FROM alpha_items"); });
  EXPECT_FALSE(columns.ok()) << "alpha/2 should have been rolled back";
}

TEST_P(MigrationsTest, FailureOnAnEmptyDatabaseLeavesItEmpty) {
  auto report = Run({Make("alpha", 1, "CREATE TABLE alpha_items (id {{ID}}); SELEKT 1;")});
  ASSERT_FALSE(report.ok());
  EXPECT_FALSE(TableExists("alpha_items"));
  EXPECT_FALSE(TableExists("schema_migrations"));
  EXPECT_EQ(Kind().status().code(), ErrorCode::kNotFound);
}

TEST_P(MigrationsTest, InstanceKindIsRecordedOnlyAtCreation) {
  struct Case {
    InstanceKind created_as;
    InstanceKind later_asked;
  };
  const Case cases[] = {
      {InstanceKind::kDemo, InstanceKind::kProduction},
      {InstanceKind::kProduction, InstanceKind::kDemo},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.created_as == InstanceKind::kDemo ? "demo" : "production");
    DropEverything();
    EXPECT_EQ(Kind().status().code(), ErrorCode::kNotFound);

    auto created = Run(BaseMigrations(), c.created_as);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    EXPECT_EQ(created->kind, c.created_as);

    std::vector<Migration> upgraded = BaseMigrations();
    upgraded.push_back(Make("beta", 2, "SELECT 1;"));
    auto later = Run(upgraded, c.later_asked);
    ASSERT_TRUE(later.ok()) << later.status().ToString();
    EXPECT_EQ(later->applied, 1);
    EXPECT_EQ(later->kind, c.created_as);
    auto kind = Kind();
    ASSERT_TRUE(kind.ok()) << kind.status().ToString();
    EXPECT_EQ(*kind, c.created_as);
  }
}

TEST_P(MigrationsTest, PostgresSqlReplacesSqlOnPostgresOnly) {
  Migration split = Make("alpha", 1, "CREATE TABLE made_by_sqlite (id {{ID}});");
  split.postgres_sql = "CREATE TABLE made_by_postgres (id {{ID}});";
  ASSERT_TRUE(Run({split}).ok());
  EXPECT_EQ(TableExists("made_by_sqlite"), engine() == Engine::kSqlite);
  EXPECT_EQ(TableExists("made_by_postgres"), engine() == Engine::kPostgres);
}

TEST_P(MigrationsTest, ConcurrentRunsApplyEachMigrationOnce) {
  auto other = OpenAnother(2);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  Result<MigrationReport> first = Internal("not run");
  Result<MigrationReport> second = Internal("not run");
  std::thread racer([&] { second = Migrate(**other, BaseMigrations(), InstanceKind::kDemo); });
  first = Run(BaseMigrations(), InstanceKind::kDemo);
  racer.join();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->applied + second->applied, 3);
  EXPECT_EQ(Applied().size(), 3u);
}

PSEA_INSTANTIATE_ENGINE_TEST(MigrationsTest);

TEST(TranslateDdlTest, ReplacesPlaceholdersForEachEngine) {
  struct Case {
    const char* sql;
    const char* sqlite;
    const char* postgres;
  };
  const Case cases[] = {
      {"CREATE TABLE t (x TEXT)", "CREATE TABLE t (x TEXT)", "CREATE TABLE t (x TEXT)"},
      {"id {{ID}}", "id INTEGER PRIMARY KEY AUTOINCREMENT",
       "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
      {"data {{BLOB}} NOT NULL", "data BLOB NOT NULL", "data BYTEA NOT NULL"},
      {"a {{BLOB}}, b {{BLOB}}", "a BLOB, b BLOB", "a BYTEA, b BYTEA"},
      {"{{BLOB}}{{BLOB}}", "BLOBBLOB", "BYTEABYTEA"},
      {"id {{ID}}, d {{BLOB}}", "id INTEGER PRIMARY KEY AUTOINCREMENT, d BLOB",
       "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, d BYTEA"},
      {"{{id}} {BLOB} {{ BLOB }}", "{{id}} {BLOB} {{ BLOB }}", "{{id}} {BLOB} {{ BLOB }}"},
      {"", "", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TranslateDdl(c.sql, Engine::kSqlite), c.sqlite) << c.sql;
    EXPECT_EQ(TranslateDdl(c.sql, Engine::kPostgres), c.postgres) << c.sql;
  }
}

}  // namespace
}  // namespace psea::storage
