// The one storage interface. Modules write dialect-neutral SQL with `?` placeholders and
// read typed rows; they never learn which engine runs. Only storage/sqlite/ includes
// sqlite3.h and only storage/postgres/ includes libpq-fe.h.
//
// SQL rules every statement follows so that it runs on both engines:
//   - placeholders are `?` (the PostgreSQL engine numbers them);
//   - integers are 64-bit, times are UnixMillis integers, binary data is a Blob;
//   - `INSERT ... RETURNING id` to learn a new id;
//   - no engine-specific functions in module code (a migration may use {{ID}}, {{BLOB}}).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace psea::storage {

enum class Engine { kSqlite, kPostgres };
const char* EngineName(Engine engine);

// Binary data; distinct from text so that each engine binds it as bytes.
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

using Value = std::variant<std::monostate, std::int64_t, std::string, Blob>;
using Params = std::vector<Value>;

inline Value Null() { return std::monostate{}; }
template <typename T>
Value Opt(const std::optional<T>& maybe) {
  if (!maybe) return std::monostate{};
  return Value(*maybe);
}

// One result row. Accessors check the column index and type; a mismatch is a programming
// error and throws std::logic_error (caught at the HTTP boundary as a 500).
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t column) const;
  std::int64_t Int(std::size_t column) const;
  std::optional<std::int64_t> OptInt(std::size_t column) const;
  bool Bool(std::size_t column) const { return Int(column) != 0; }
  const std::string& Text(std::size_t column) const;
  std::optional<std::string> OptText(std::size_t column) const;
  const std::string& Bytes(std::size_t column) const;  // a Blob column
  const Value& At(std::size_t column) const;
  // For engines that refill one row per result row (Connection::ForEachRow).
  std::vector<Value>& mutable_values() { return values_; }

 private:
  std::vector<Value> values_;
};

struct QueryResult {
  std::vector<Row> rows;
  std::int64_t affected_rows = 0;
};

// A connection taken from the pool. Not thread-safe: one request uses it at a time.
// Statements are prepared once per connection and cached by their SQL text.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Engine engine() const = 0;

  virtual Result<QueryResult> Query(std::string_view sql, const Params& params) = 0;
  // The same query, each row handed to `visit` in turn instead of collected: for reads of
  // tens of thousands of rows, where building a Row per row cost more than the engine's own
  // work. The row is valid only during the call; an error from `visit` stops the query and is
  // returned. The default collects the rows first (PostgreSQL); SQLite refills one row.
  virtual Status ForEachRow(std::string_view sql, const Params& params,
                            const std::function<Status(const Row&)>& visit);
  // Runs several statements without parameters (migrations only).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  Result<QueryResult> Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, Params(params));
  }
  // Returns the number of rows changed.
  Result<std::int64_t> Execute(std::string_view sql, std::initializer_list<Value> params = {});
  Result<std::int64_t> Execute(std::string_view sql, const Params& params);
  // The first row, or nullopt when there is none.
  Result<std::optional<Row>> QueryOne(std::string_view sql,
                                      std::initializer_list<Value> params = {});
  Result<std::optional<Row>> QueryOne(std::string_view sql, const Params& params);

  // Transactions: Begin(true) takes the write lock at once (SQLite BEGIN IMMEDIATE), so
  // that two writers never deadlock on a lock upgrade.
  virtual Status Begin(bool write) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
};

struct PoolStats {
  int size = 0;
  int in_use = 0;
  std::int64_t waits = 0;  // acquisitions that had to wait for a free connection
};

class Database;

// Returns its connection to the pool when destroyed.
class ConnectionLease {
 public:
  ConnectionLease(Database* owner, std::unique_ptr<Connection> connection)
      : owner_(owner), connection_(std::move(connection)) {}
  ConnectionLease(ConnectionLease&&) noexcept = default;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ~ConnectionLease();
  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_.get(); }

 private:
  Database* owner_;
  std::unique_ptr<Connection> connection_;
};

// A pool of connections to one database. Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  virtual Engine engine() const = 0;
  // A human description without secrets ("sqlite:/path", "postgresql://host/db").
  virtual std::string Describe() const = 0;

  // After rows were deleted for good (retention): makes the engine drop the old versions of
  // the pages it still keeps beside the database. SQLite: a checkpoint that copies the WAL
  // into the file (whose deleted cells secure_delete zeroed) and truncates the WAL, retried
  // for a few seconds while readers hold old frames; kUnavailable when they never let go.
  // PostgreSQL: nothing (dead rows are left to autovacuum; see docs/security.md).
  virtual Status ReclaimErased() { return Status::Ok(); }

  // Blocks until a connection is free (at most a few seconds; then kUnavailable).
  Result<ConnectionLease> Acquire();
  PoolStats Stats() const;

  // Runs `work` inside a transaction: commits when it returns OK, rolls back otherwise
  // (nothing half-written). Writers take the write lock at the start. Every statement of a
  // read transaction sees the same snapshot of the database on both engines.
  Status WriteTransaction(const std::function<Status(Connection&)>& work);
  Status ReadTransaction(const std::function<Status(Connection&)>& work);
  template <typename T>
  Result<T> Write(const std::function<Result<T>(Connection&)>& work) {
    std::optional<T> out;
    Status status = WriteTransaction([&](Connection& c) -> Status {
      auto result = work(c);
      if (!result.ok()) return result.status();
      out.emplace(std::move(result).value());
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return std::move(*out);
  }
  template <typename T>
  Result<T> Read(const std::function<Result<T>(Connection&)>& work) {
    auto lease = Acquire();
    if (!lease.ok()) return lease.status();
    return work(**lease);
  }

 protected:
  explicit Database(int pool_size) : pool_size_(pool_size) {}
  // Opens one more connection for the pool.
  virtual Result<std::unique_ptr<Connection>> OpenConnection() = 0;

 private:
  friend class ConnectionLease;
  void Release(std::unique_ptr<Connection> connection);
  struct Pool;
  int pool_size_;
  std::shared_ptr<Pool> pool_ = MakePool();
  static std::shared_ptr<Pool> MakePool();
};

// Opens "sqlite:PATH" (":memory:" allowed; one connection then) or "postgresql://...".
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url, int pool_size);

}  // namespace psea::storage
