// Databases for unit tests that run on both engines. SQLite runs on a temporary file, always.
// PostgreSQL runs when PSEA_TEST_PG_URL names an admin database of a throwaway cluster
// (scripts/pg-cluster.sh start DIR prints one): each test suite then gets a database of its
// own, created for its first PostgreSQL test and dropped after its last test; without the
// variable the PostgreSQL cases are skipped.
//
// A test that needs a database derives its fixture from EngineTest and instantiates it with
// PSEA_INSTANTIATE_ENGINE_TEST; every test then starts on an empty database of its engine:
//
//   class AuditTest : public storage::testdb::EngineTest {
//    protected:
//     void SetUp() override {
//       EngineTest::SetUp();
//       if (IsSkipped() || HasFatalFailure()) return;
//       ... migrate, build the objects under test ...
//     }
//   };
//   TEST_P(AuditTest, VerifiesAnIntactChain) { ... db() ... }
//   PSEA_INSTANTIATE_ENGINE_TEST(AuditTest);
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/database.h"

namespace psea::storage::testdb {

// PSEA_TEST_PG_URL, or empty when PostgreSQL is not configured.
std::string PostgresAdminUrl();

// `url` with its database name replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database);

// A database of its own on the cluster named by PSEA_TEST_PG_URL.
class ScratchPostgres {
 public:
  // Creates the database, named after `label` (any text; it is sanitised). Does nothing when
  // PostgreSQL is not configured. False, with a test failure recorded, when creation fails.
  bool Create(std::string_view label);
  // Drops the database (forcing out any connection left open). Safe to call twice.
  void Drop();
  // The URL of the database; empty when it was not created.
  std::string url() const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// A fresh path in the temporary folder, for a SQLite database or any other file. The file and
// the companions SQLite keeps beside it (-wal, -shm, -journal) are removed when this object
// is destroyed.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string_view label);
  ~TemporaryFile();
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::string& path() const { return path_; }
  std::string url() const { return "sqlite:" + path_; }

 private:
  std::string path_;
};

// The whole content of a file (binary); empty when it does not exist.
std::string ReadFileBytes(const std::string& path);

// A fixture parameterised by engine. SetUp gives each test an empty database (db()); on
// PostgreSQL it skips when PSEA_TEST_PG_URL is unset.
class EngineTest : public ::testing::TestWithParam<Engine> {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

 protected:
  void SetUp() override;
  void TearDown() override;

  Engine engine() const { return GetParam(); }
  Database& db() { return *db_; }
  // The URL of this test's database ("sqlite:/tmp/..." or "postgresql://.../psea_...").
  const std::string& url() const { return url_; }
  // The file of this test's SQLite database; empty on PostgreSQL.
  std::string sqlite_path() const { return sqlite_file_ ? sqlite_file_->path() : ""; }
  // Another pool on the same database.
  Result<std::unique_ptr<Database>> OpenAnother(int pool_size) const;
  // Closes db() (SQLite checkpoints its write-ahead log into the file on the last close).
  void CloseDatabase() { db_.reset(); }

  std::unique_ptr<Database> db_;

 private:
  std::optional<TemporaryFile> sqlite_file_;
  std::string url_;
};

// "sqlite" or "postgresql", for test names.
std::string EngineParamName(const ::testing::TestParamInfo<Engine>& info);

}  // namespace psea::storage::testdb

namespace psea::storage {
// Lets gtest print an engine by its name ("GetParam() = sqlite").
void PrintTo(Engine engine, std::ostream* out);
}  // namespace psea::storage

#define PSEA_INSTANTIATE_ENGINE_TEST(fixture)                                                  \
  INSTANTIATE_TEST_SUITE_P(                                                                    \
      Engines, fixture,                                                                        \
      ::testing::Values(::psea::storage::Engine::kSqlite, ::psea::storage::Engine::kPostgres), \
      ::psea::storage::testdb::EngineParamName)
