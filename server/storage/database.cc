#include "storage/database.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>

namespace psea::storage {

const char* EngineName(Engine engine) {
  return engine == Engine::kSqlite ? "sqlite" : "postgresql";
}

namespace {
[[noreturn]] void TypeError(std::size_t column, const char* wanted) {
  throw std::logic_error("column " + std::to_string(column) + " is not " + wanted);
}
}  // namespace

const Value& Row::At(std::size_t column) const {
  if (column >= values_.size()) throw std::logic_error("column index out of range");
  return values_[column];
}
bool Row::IsNull(std::size_t column) const {
  return std::holds_alternative<std::monostate>(At(column));
}
std::int64_t Row::Int(std::size_t column) const {
  const auto* v = std::get_if<std::int64_t>(&At(column));
  if (!v) TypeError(column, "an integer");
  return *v;
}
std::optional<std::int64_t> Row::OptInt(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}
const std::string& Row::Text(std::size_t column) const {
  const auto* v = std::get_if<std::string>(&At(column));
  if (!v) TypeError(column, "text");
  return *v;
}
std::optional<std::string> Row::OptText(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}
const std::string& Row::Bytes(std::size_t column) const {
  const auto* v = std::get_if<Blob>(&At(column));
  if (!v) TypeError(column, "a blob");
  return v->bytes;
}

Status Connection::ForEachRow(std::string_view sql, const Params& params,
                              const std::function<Status(const Row&)>& visit) {
  ASSIGN_OR_RETURN(auto result, Query(sql, params));
  for (const auto& row : result.rows) RETURN_IF_ERROR(visit(row));
  return Status::Ok();
}

Result<std::int64_t> Connection::Execute(std::string_view sql,
                                         std::initializer_list<Value> params) {
  return Execute(sql, Params(params));
}
Result<std::int64_t> Connection::Execute(std::string_view sql, const Params& params) {
  auto result = Query(sql, params);
  if (!result.ok()) return result.status();
  return result->affected_rows;
}
Result<std::optional<Row>> Connection::QueryOne(std::string_view sql,
                                                std::initializer_list<Value> params) {
  return QueryOne(sql, Params(params));
}
Result<std::optional<Row>> Connection::QueryOne(std::string_view sql, const Params& params) {
  auto result = Query(sql, params);
  if (!result.ok()) return result.status();
  if (result->rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(result->rows.front()));
}

struct Database::Pool {
  std::mutex mutex;
  std::condition_variable available;
  std::deque<std::unique_ptr<Connection>> idle;
  int open = 0;
  int in_use = 0;
  std::int64_t waits = 0;
};

std::shared_ptr<Database::Pool> Database::MakePool() { return std::make_shared<Pool>(); }

ConnectionLease::~ConnectionLease() {
  if (connection_ && owner_) owner_->Release(std::move(connection_));
}

Result<ConnectionLease> Database::Acquire() {
  std::unique_lock lock(pool_->mutex);
  if (pool_->idle.empty() && pool_->open < pool_size_) {
    ++pool_->open;
    lock.unlock();
    auto connection = OpenConnection();
    lock.lock();
    if (!connection.ok()) {
      --pool_->open;
      return connection.status();
    }
    ++pool_->in_use;
    return ConnectionLease(this, std::move(connection).value());
  }
  if (pool_->idle.empty()) {
    ++pool_->waits;
    if (!pool_->available.wait_for(lock, std::chrono::seconds(10),
                                   [&] { return !pool_->idle.empty(); })) {
      return Unavailable("the database is busy; try again");
    }
  }
  auto connection = std::move(pool_->idle.front());
  pool_->idle.pop_front();
  ++pool_->in_use;
  return ConnectionLease(this, std::move(connection));
}

void Database::Release(std::unique_ptr<Connection> connection) {
  connection->Rollback();  // never hand on a connection with a transaction left open
  {
    std::lock_guard lock(pool_->mutex);
    --pool_->in_use;
    pool_->idle.push_back(std::move(connection));
  }
  pool_->available.notify_one();
}

PoolStats Database::Stats() const {
  std::lock_guard lock(pool_->mutex);
  return PoolStats{pool_size_, pool_->in_use, pool_->waits};
}

namespace {
Status RunTransaction(Database& db, bool write, const std::function<Status(Connection&)>& work) {
  auto lease = db.Acquire();
  if (!lease.ok()) return lease.status();
  Connection& connection = **lease;
  RETURN_IF_ERROR(connection.Begin(write));
  Status status;
  try {
    status = work(connection);
  } catch (...) {
    connection.Rollback();
    throw;
  }
  if (!status.ok()) {
    connection.Rollback();
    return status;
  }
  Status committed = connection.Commit();
  if (!committed.ok()) connection.Rollback();
  return committed;
}
}  // namespace

Status Database::WriteTransaction(const std::function<Status(Connection&)>& work) {
  return RunTransaction(*this, true, work);
}
Status Database::ReadTransaction(const std::function<Status(Connection&)>& work) {
  return RunTransaction(*this, false, work);
}

}  // namespace psea::storage
