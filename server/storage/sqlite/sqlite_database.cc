#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace psea::storage {

namespace {

Status SqliteError(sqlite3* db, int code, std::string_view what) {
  const int primary = code & 0xff;
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Conflict("a record with these values already exists");
  }
  if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
    return Conflict("the record refers to something that does not exist");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Unavailable("the database is busy; try again");
  }
  return Internal(message);
}

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// Writers of one process queue on this lock before BEGIN IMMEDIATE instead of in SQLite's
// busy handler, which sleeps in steps of up to 100 ms and left a public report waiting 700 ms
// behind a lock that had been free for most of that time.
using WriteLock = std::timed_mutex;

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::shared_ptr<WriteLock> write_lock)
      : db_(db), write_lock_(std::move(write_lock)) {}
  ~SqliteConnection() override {
    if (holding_write_lock_) {
      Rollback();
    }
    statements_.clear();
    sqlite3_close_v2(db_);
  }

  Engine engine() const override { return Engine::kSqlite; }

  Result<QueryResult> Query(std::string_view sql, const Params& params) override {
    QueryResult result;
    RETURN_IF_ERROR(Run(sql, params, [&](sqlite3_stmt* statement) -> Status {
      std::vector<Value> values;
      ReadRow(statement, values);
      result.rows.emplace_back(std::move(values));
      return Status::Ok();
    }));
    result.affected_rows = sqlite3_changes64(db_);
    return result;
  }

  Status ForEachRow(std::string_view sql, const Params& params,
                    const std::function<Status(const Row&)>& visit) override {
    Row row({});
    return Run(sql, params, [&](sqlite3_stmt* statement) -> Status {
      ReadRow(statement, row.mutable_values());
      return visit(row);
    });
  }

  // Prepares (or reuses) `sql`, binds `params` and calls `on_row` after each step that gave a
  // row; the statement is reset on every exit so that it releases its read snapshot.
  Status Run(std::string_view sql, const Params& params,
             const std::function<Status(sqlite3_stmt*)>& on_row) {
    auto prepared = Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    sqlite3_stmt* statement = *prepared;
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{statement};

    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(statement)) {
      return Internal("wrong number of SQL parameters for: " + std::string(sql));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      const Value& value = params[i];
      if (std::holds_alternative<std::monostate>(value)) {
        rc = sqlite3_bind_null(statement, index);
      } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
        rc = sqlite3_bind_int64(statement, index, *number);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        rc = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8);
      } else {
        const auto& blob = std::get<Blob>(value);
        rc = sqlite3_bind_blob64(statement, index, blob.bytes.data(), blob.bytes.size(),
                                 SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "binding a parameter");
    }

    while (true) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW)
        return SqliteError(db_, sqlite3_extended_errcode(db_), "running a query");
      RETURN_IF_ERROR(on_row(statement));
    }
    return Status::Ok();
  }

  // The current row into `values`, reusing the strings already there (read after the step: a
  // schema change may have re-prepared the statement).
  static void ReadRow(sqlite3_stmt* statement, std::vector<Value>& values) {
    const int columns = sqlite3_column_count(statement);
    values.resize(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      Value& value = values[static_cast<std::size_t>(c)];
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_NULL:
          value = std::monostate{};
          break;
        case SQLITE_INTEGER:
          value = static_cast<std::int64_t>(sqlite3_column_int64(statement, c));
          break;
        case SQLITE_BLOB: {
          const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, c));
          const int size = sqlite3_column_bytes(statement, c);
          value = Blob{std::string(data ? data : "", static_cast<std::size_t>(size))};
          break;
        }
        default: {
          const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
          if (auto* text = std::get_if<std::string>(&value)) {
            text->assign(data ? data : "", size);
          } else {
            value = std::string(data ? data : "", size);
          }
        }
      }
    }
  }

  Status ExecuteScript(std::string_view sql) override {
    char* error = nullptr;
    const std::string script(sql);
    const int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      return Internal("running a script: " + message);
    }
    return Status::Ok();
  }

  Status Begin(bool write) override {
    if (!write) return Simple("BEGIN DEFERRED", "starting a transaction");
    if (!write_lock_->try_lock_for(std::chrono::seconds(10))) {
      return Unavailable("the database is busy; try again");
    }
    holding_write_lock_ = true;
    Status begun = Simple("BEGIN IMMEDIATE", "starting a transaction");
    ReleaseWhenDone();
    return begun;
  }
  Status Commit() override {
    Status committed = Simple("COMMIT", "committing");
    ReleaseWhenDone();
    return committed;
  }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    ReleaseWhenDone();
  }

 private:
  Status Simple(const char* sql, std::string_view what) {
    auto result = Query(sql, Params{});
    if (!result.ok()) {
      return Status(result.status().code(), std::string(what) + ": " + result.status().message());
    }
    return Status::Ok();
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto found = statements_.find(std::string(sql));
    if (found != statements_.end()) return found->second.get();
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "preparing a statement");
    if (!statement) return Internal("empty SQL statement");
    sqlite3_stmt* raw = statement;
    statements_.emplace(std::string(sql), StatementPtr(statement));
    return raw;
  }

  // The process's write lock goes once no transaction is open any more.
  void ReleaseWhenDone() {
    if (holding_write_lock_ && sqlite3_get_autocommit(db_)) {
      holding_write_lock_ = false;
      write_lock_->unlock();
    }
  }

  sqlite3* db_;
  std::shared_ptr<WriteLock> write_lock_;
  bool holding_write_lock_ = false;
  std::unordered_map<std::string, StatementPtr> statements_;
};

// Another process (a `psea` command) or an autocommit write holds the lock: try again every
// 200 microseconds for up to 10 seconds, instead of SQLite's default steps of up to 100 ms.
int RetrySoon(void*, int attempts) {
  if (attempts >= 50000) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(200));
  return 1;
}

Result<sqlite3*> OpenHandle(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Unavailable("cannot open SQLite database " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_handler(db, RetrySoon, nullptr);
  // synchronous=FULL: a commit that returned is on disk, even after a power cut.
  // mmap_size: reads map the file instead of copying pages into each connection's cache of
  // 2 MB, which a commit by another connection empties: the action plan benchmark's matrix,
  // read right after a write, went from 55 to 40 ms (p50). Writes still go through the WAL.
  const char* setup =
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
      "PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON; PRAGMA mmap_size=1073741824;";
  char* error = nullptr;
  if (sqlite3_exec(db, setup, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    sqlite3_close_v2(db);
    return Unavailable("cannot configure SQLite database " + path + ": " + message);
  }
  return db;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, int pool_size) : Database(pool_size), path_(std::move(path)) {}
  Engine engine() const override { return Engine::kSqlite; }
  std::string Describe() const override { return "sqlite:" + path_; }

  Status ReclaimErased() override {
    for (int attempt = 0; attempt < 50; ++attempt) {
      auto lease = Acquire();
      if (!lease.ok()) return lease.status();
      auto result = (*lease)->QueryOne("PRAGMA wal_checkpoint(TRUNCATE)");
      if (!result.ok()) return result.status();
      // (busy, frames in the WAL, frames checkpointed): busy 0 means the WAL is now empty.
      if (*result && (*result)->Int(0) == 0) return Status::Ok();
      sqlite3_sleep(100);
    }
    return Unavailable(
        "readers kept the write-ahead log busy; its old pages stay until the "
        "next checkpoint");
  }

 protected:
  Result<std::unique_ptr<Connection>> OpenConnection() override {
    auto handle = OpenHandle(path_);
    if (!handle.ok()) return handle.status();
    return std::unique_ptr<Connection>(std::make_unique<SqliteConnection>(*handle, write_lock_));
  }

 private:
  std::string path_;
  std::shared_ptr<WriteLock> write_lock_ = std::make_shared<WriteLock>();
};

Status CopyDatabase(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) return Internal(std::string("backup failed: ") + sqlite3_errmsg(to));
  int rc;
  do {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Internal(std::string("backup failed: ") + sqlite3_errstr(rc));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, int pool_size) {
  if (path.empty()) return InvalidArgument("the SQLite path is empty", "db");
  const bool memory = path == ":memory:";
  auto database = std::make_unique<SqliteDatabase>(path, memory ? 1 : std::max(1, pool_size));
  // Open one connection now so that a bad path fails at start-up, not on the first request.
  auto probe = database->Acquire();
  if (!probe.ok()) return probe.status();
  return std::unique_ptr<Database>(std::move(database));
}

Status BackupSqlite(const std::string& source_path, const std::string& destination_path) {
  auto source = OpenHandle(source_path);
  if (!source.ok()) return source.status();
  sqlite3* destination = nullptr;
  if (sqlite3_open(destination_path.c_str(), &destination) != SQLITE_OK) {
    sqlite3_close(destination);
    sqlite3_close_v2(*source);
    return Internal("cannot create " + destination_path);
  }
  Status status = CopyDatabase(*source, destination);
  sqlite3_close(destination);
  sqlite3_close_v2(*source);
  return status;
}

Status CheckSqliteFile(const std::string& path) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    return InvalidArgument("cannot open " + path + " as a SQLite database");
  }
  sqlite3_stmt* check = nullptr;
  std::string verdict;
  if (sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &check, nullptr) == SQLITE_OK &&
      sqlite3_step(check) == SQLITE_ROW) {
    verdict = reinterpret_cast<const char*>(sqlite3_column_text(check, 0));
  } else {
    verdict = sqlite3_errmsg(handle);
  }
  sqlite3_finalize(check);
  sqlite3_close(handle);
  if (verdict != "ok") return InvalidArgument("not a sound SQLite database: " + verdict);
  return Status::Ok();
}

}  // namespace psea::storage
