#include "storage/testing/test_databases.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "storage/postgres/postgres_database.h"

namespace psea::storage::testdb {

namespace {
// Names unique across the test processes that ctest may run at once.
std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::to_string(getpid()) + "_" + std::to_string(ticks % 100000) + "_" +
         std::to_string(counter++);
}

// Lower-case letters, digits and '_' only, at most `max_size` characters.
std::string Sanitise(std::string_view label, std::size_t max_size) {
  std::string out;
  for (char c : label) {
    if (out.size() == max_size) break;
    const auto byte = static_cast<unsigned char>(c);
    out += std::isalnum(byte) ? static_cast<char>(std::tolower(byte)) : '_';
  }
  return out;
}

Status RunAdminStatement(const std::string& sql) {
  auto admin = OpenPostgres(PostgresAdminUrl(), 1);
  if (!admin.ok()) return admin.status();
  auto lease = (*admin)->Acquire();
  if (!lease.ok()) return lease.status();
  return (*lease)->ExecuteScript(sql);
}

// One scratch database at a time: gtest runs suites one after the other. It is created by
// the suite's first PostgreSQL test, so that a process running only SQLite cases (ctest runs
// each case in a process of its own) never touches the cluster.
struct SuiteDatabase {
  ScratchPostgres database;
  std::string label;
  bool attempted = false;
  bool ok = false;
};
SuiteDatabase& Suite() {
  static SuiteDatabase suite;
  return suite;
}
}  // namespace

std::string PostgresAdminUrl() {
  const char* url = std::getenv("PSEA_TEST_PG_URL");
  return url ? url : "";
}

std::string WithDatabase(const std::string& url, const std::string& database) {
  std::size_t path = url.find('/', url.find("://") + 3);
  const std::size_t query = url.find('?');
  const std::size_t name_end = query == std::string::npos ? url.size() : query;
  if (path == std::string::npos || path > name_end) path = name_end;
  return url.substr(0, path) + "/" + database + url.substr(name_end);
}

bool ScratchPostgres::Create(std::string_view label) {
  if (PostgresAdminUrl().empty()) return true;
  name_ = "psea_" + Sanitise(label, 30) + "_" + UniqueSuffix();
  const Status created = RunAdminStatement("CREATE DATABASE " + name_);
  if (!created.ok()) {
    ADD_FAILURE() << "cannot create test database " << name_ << ": " << created.ToString();
    name_.clear();
    return false;
  }
  return true;
}

void ScratchPostgres::Drop() {
  if (name_.empty()) return;
  const Status dropped = RunAdminStatement("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  if (!dropped.ok()) ADD_FAILURE() << "cannot drop " << name_ << ": " << dropped.ToString();
  name_.clear();
}

std::string ScratchPostgres::url() const {
  return name_.empty() ? "" : WithDatabase(PostgresAdminUrl(), name_);
}

TemporaryFile::TemporaryFile(std::string_view label)
    : path_((std::filesystem::temp_directory_path() /
             ("psea_" + Sanitise(label, 40) + "_" + UniqueSuffix() + ".db"))
                .string()) {}

TemporaryFile::~TemporaryFile() {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::remove((path_ + suffix).c_str());
  }
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void EngineTest::SetUpTestSuite() {
  const ::testing::TestSuite* suite = ::testing::UnitTest::GetInstance()->current_test_suite();
  Suite().label = suite ? suite->name() : "suite";
  Suite().attempted = false;
  Suite().ok = false;
}

void EngineTest::TearDownTestSuite() { Suite().database.Drop(); }

void EngineTest::SetUp() {
  if (engine() == Engine::kPostgres) {
    if (PostgresAdminUrl().empty()) GTEST_SKIP() << "PSEA_TEST_PG_URL is not set";
    if (!Suite().attempted) {
      Suite().attempted = true;
      Suite().ok = Suite().database.Create(Suite().label);
    }
    ASSERT_TRUE(Suite().ok) << "the test database could not be created";
    url_ = Suite().database.url();
  } else {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    sqlite_file_.emplace(test ? std::string(test->test_suite_name()) + "_" + test->name() : "test");
    url_ = sqlite_file_->url();
  }
  auto opened = OpenDatabase(url_, 4);
  ASSERT_TRUE(opened.ok()) << "cannot open " << url_ << ": " << opened.status().ToString();
  db_ = std::move(opened).value();
  if (engine() == Engine::kPostgres) {
    // The suite shares one database: each test starts from an empty schema.
    auto lease = db_->Acquire();
    ASSERT_TRUE(lease.ok()) << lease.status().ToString();
    const Status reset =
        (*lease)->ExecuteScript("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    ASSERT_TRUE(reset.ok()) << reset.ToString();
  }
}

void EngineTest::TearDown() {
  db_.reset();
  sqlite_file_.reset();
}

Result<std::unique_ptr<Database>> EngineTest::OpenAnother(int pool_size) const {
  return OpenDatabase(url_, pool_size);
}

std::string EngineParamName(const ::testing::TestParamInfo<Engine>& info) {
  return EngineName(info.param);
}

}  // namespace psea::storage::testdb

namespace psea::storage {
void PrintTo(Engine engine, std::ostream* out) { *out << EngineName(engine); }
}  // namespace psea::storage
