#include "storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <functional>
#include <mutex>
#include <new>
#include <unordered_map>
#include <utility>
#include <vector>

namespace psea::storage {

namespace {

// Type OIDs from pg_type.h, which is a server header and not part of libpq-dev.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using PgConn = std::unique_ptr<PGconn, ConnDeleter>;

struct FreeMemDeleter {
  void operator()(void* memory) const { PQfreemem(memory); }
};

std::string TrimTrailingSpace(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Where to connect, shared by the pool and its connections. `secrets` are the password
// spellings that must never appear in a returned message.
struct Target {
  std::string url;
  std::string description;
  std::vector<std::string> secrets;

  // libpq's messages may echo parts of the connection string; cut out the password.
  std::string Scrub(std::string text) const {
    for (const std::string& secret : secrets) {
      if (secret.empty()) continue;
      for (std::size_t at = text.find(secret); at != std::string::npos;
           at = text.find(secret, at)) {
        text.replace(at, secret.size(), "***");
      }
    }
    return text;
  }
};

// The password as written in the URL (user:PASSWORD@ or ?password=PASSWORD), before
// percent-decoding: a URL libpq cannot parse still must not leak it.
std::vector<std::string> RawPasswordsIn(const std::string& url) {
  std::vector<std::string> secrets;
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return secrets;
  std::size_t authority_start = scheme_end + 3;
  std::size_t slash = url.find('/', authority_start);
  std::size_t at = url.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  if (at != std::string::npos && at >= authority_start) {
    std::string userinfo = url.substr(authority_start, at - authority_start);
    std::size_t colon = userinfo.find(':');
    if (colon != std::string::npos) secrets.push_back(userinfo.substr(colon + 1));
  }
  for (std::size_t key = url.find("password="); key != std::string::npos;
       key = url.find("password=", key + 1)) {
    std::size_t value_start = key + std::strlen("password=");
    std::size_t value_end = url.find('&', value_start);
    secrets.push_back(url.substr(
        value_start, value_end == std::string::npos ? std::string::npos : value_end - value_start));
  }
  return secrets;
}

Status SessionError(const Target& target, PGconn* conn, const char* what) {
  return Unavailable(target.Scrub("cannot " + std::string(what) + " PostgreSQL at " +
                                  target.description + ": " +
                                  TrimTrailingSpace(PQerrorMessage(conn))));
}

// Settings every session relies on: UTF-8 text, UTC times, no runaway statements and no
// NOTICE chatter (e.g. from CREATE TABLE IF NOT EXISTS) on stderr.
Status ConfigureSession(const Target& target, PGconn* conn) {
  PgResult result(PQexec(conn,
                         "SET client_encoding TO 'UTF8'; SET TIME ZONE 'UTC'; "
                         "SET statement_timeout = '30s'; SET client_min_messages TO warning"));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return SessionError(target, conn, "configure the session with");
  }
  return Status::Ok();
}

Result<PgConn> Connect(const Target& target) {
  // dbname comes last so that settings in the URL override these defaults.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "psea", target.url.c_str(), nullptr};
  PgConn conn(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (!conn) throw std::bad_alloc();
  if (PQstatus(conn.get()) != CONNECTION_OK) return SessionError(target, conn.get(), "connect to");
  RETURN_IF_ERROR(ConfigureSession(target, conn.get()));
  return conn;
}

bool ParseInt(const char* text, int length, std::int64_t* out) {
  auto [end, error] = std::from_chars(text, text + length, *out);
  return error == std::errc() && end == text + length;
}

Result<Value> ConvertField(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return Value(std::monostate{});
  const char* text = PQgetvalue(result, row, column);
  int length = PQgetlength(result, row, column);
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t number = 0;
      if (!ParseInt(text, length, &number)) {
        return Internal("PostgreSQL returned a malformed integer in column " +
                        std::to_string(column));
      }
      return Value(number);
    }
    case kBoolOid:
      return Value(std::int64_t{text[0] == 't' ? 1 : 0});
    case kByteaOid: {
      // Text-format bytea is hex ("\x00ff") or, with bytea_output = escape, octal escapes;
      // PQunescapeBytea reads both.
      std::size_t size = 0;
      std::unique_ptr<unsigned char, FreeMemDeleter> bytes(
          PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size));
      if (!bytes) throw std::bad_alloc();
      return Value(Blob{std::string(reinterpret_cast<const char*>(bytes.get()), size)});
    }
    default:
      return Value(std::string(text, length));
  }
}

bool IsConnectionClass(const std::string& sqlstate) { return sqlstate.rfind("08", 0) == 0; }

// The caller's Status for a failed statement whose SQLSTATE is `sqlstate`.
Status MapServerError(const std::string& sqlstate, const std::string& message) {
  if (sqlstate == "23505") return Conflict("already exists");
  if (sqlstate == "23503") {
    return Conflict("refers to a record that does not exist, or is still referred to");
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return Unavailable("the database was busy with a conflicting change; try again");
  }
  if (sqlstate == "57014") return Unavailable("the database took too long; try again");
  // Out of connections or resources, or the server is shutting down or starting up.
  if (sqlstate.rfind("53", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || IsConnectionClass(sqlstate)) {
    return Unavailable("the database is unavailable; try again");
  }
  if (sqlstate == "22021" || sqlstate == "22P05") {
    return InvalidArgument("text is not valid UTF-8");
  }
  if (sqlstate == "42P18") {
    return Internal(message + " (write CAST(? AS type) where the type is not clear from context)");
  }
  return Internal(message);
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(std::shared_ptr<const Target> target, PgConn conn)
      : target_(std::move(target)), conn_(std::move(conn)) {}

  Engine engine() const override { return Engine::kPostgres; }

  Result<QueryResult> Query(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(PgResult result, Run(sql, params));
    return ReadResult(result.get());
  }

  // The rows stay in libpq's result; one Row is refilled from it for each.
  Status ForEachRow(std::string_view sql, const Params& params,
                    const std::function<Status(const Row&)>& visit) override {
    ASSIGN_OR_RETURN(PgResult result, Run(sql, params));
    const int row_count = PQntuples(result.get());
    const int column_count = PQnfields(result.get());
    Row row({});
    std::vector<Value>& values = row.mutable_values();
    values.resize(static_cast<std::size_t>(column_count));
    for (int index = 0; index < row_count; ++index) {
      for (int column = 0; column < column_count; ++column) {
        ASSIGN_OR_RETURN(values[static_cast<std::size_t>(column)],
                         ConvertField(result.get(), index, column));
      }
      RETURN_IF_ERROR(visit(row));
    }
    return Status::Ok();
  }

  // Runs `sql` as a prepared statement; the result holds rows or a command's count.
  Result<PgResult> Run(std::string_view sql, const Params& params) {
    RETURN_IF_ERROR(EnsureConnected());
    for (const Value& value : params) {
      const auto* text = std::get_if<std::string>(&value);
      if (text && text->find('\0') != std::string::npos) {
        return InvalidArgument("text must not contain NUL characters");
      }
    }
    bool in_transaction = PQtransactionStatus(conn_.get()) != PQTRANS_IDLE;
    ASSIGN_OR_RETURN(PgResult result, ExecutePrepared(sql, params));
    if (ErrorSqlState(result.get()) == "0A000" && IsStalePlan(result.get())) {
      // A schema change (a migration on another connection) altered the columns of a
      // statement prepared here. Prepare it afresh; outside a transaction nothing was
      // lost, so run it again, inside one the transaction is already aborted.
      statements_.erase(std::string(sql));
      if (!in_transaction) {
        ASSIGN_OR_RETURN(result, ExecutePrepared(sql, params));
      }
    }
    ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Failure(result.get());
    return result;
  }

  Status ExecuteScript(std::string_view sql) override {
    RETURN_IF_ERROR(EnsureConnected());
    // PQexec stops at the first failing statement and returns the last result.
    PgResult result(PQexec(conn_.get(), std::string(sql).c_str()));
    return CheckCommand(result.get());
  }

  Status Begin(bool write) override {
    RETURN_IF_ERROR(EnsureConnected());
    // A transaction left open by an earlier user of this pooled connection must not
    // swallow this one.
    if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) Rollback();
    // A read transaction sees one snapshot, as SQLite's does in WAL mode: readers that
    // compare several statements (the audit walk against its head) must not see commits
    // that land between them. Read-only work never fails to serialise at this level.
    return RunCommand(write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ");
  }

  Status Commit() override {
    if (needs_reset_) return Unavailable("lost the connection to the database; try again");
    PgResult result(PQexec(conn_.get(), "COMMIT"));
    RETURN_IF_ERROR(CheckCommand(result.get()));
    // COMMIT of a transaction in which a statement failed succeeds but rolls back.
    if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
      return Internal("the transaction was rolled back because a statement in it failed");
    }
    return Status::Ok();
  }

  void Rollback() override {
    if (needs_reset_ || PQstatus(conn_.get()) != CONNECTION_OK) {
      needs_reset_ = true;
      return;
    }
    // With no transaction open (COMMIT already ended it) ROLLBACK would only print a
    // warning on stderr.
    if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) return;
    // Errors are ignored; a lost connection is noticed below and reset before next use.
    PgResult result(PQexec(conn_.get(), "ROLLBACK"));
    if (PQstatus(conn_.get()) != CONNECTION_OK) needs_reset_ = true;
  }

 private:
  struct Prepared {
    std::string name;
    int parameter_count = 0;
  };

  // Reconnects a connection that was lost; its prepared statements died with it.
  Status EnsureConnected() {
    if (!needs_reset_ && PQstatus(conn_.get()) == CONNECTION_OK) return Status::Ok();
    statements_.clear();
    PQreset(conn_.get());
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      needs_reset_ = true;
      return SessionError(*target_, conn_.get(), "reconnect to");
    }
    Status configured = ConfigureSession(*target_, conn_.get());
    needs_reset_ = !configured.ok();
    return configured;
  }

  Result<const Prepared*> Prepare(std::string_view sql) {
    std::string key(sql);
    auto found = statements_.find(key);
    if (found != statements_.end()) return &found->second;
    Prepared prepared;
    std::string numbered = NumberPlaceholders(sql, &prepared.parameter_count);
    // Names are never reused, so a statement orphaned by a stale plan cannot clash.
    prepared.name = "psea_" + std::to_string(++statements_prepared_);
    PgResult result(PQprepare(conn_.get(), prepared.name.c_str(), numbered.c_str(),
                              /*nParams=*/0, /*paramTypes=*/nullptr));
    RETURN_IF_ERROR(CheckCommand(result.get()));
    auto [inserted, unused] = statements_.emplace(std::move(key), std::move(prepared));
    return &inserted->second;
  }

  // Returns the server's result, success or not; fails only when there is none.
  Result<PgResult> ExecutePrepared(std::string_view sql, const Params& params) {
    ASSIGN_OR_RETURN(const Prepared* prepared, Prepare(sql));
    if (static_cast<std::size_t>(prepared->parameter_count) != params.size()) {
      return Internal("the statement has " + std::to_string(prepared->parameter_count) +
                      " placeholders but " + std::to_string(params.size()) +
                      " parameters were given: " + std::string(sql));
    }
    std::vector<std::string> integer_texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& value = params[i];
      if (const auto* number = std::get_if<std::int64_t>(&value)) {
        integer_texts[i] = std::to_string(*number);
        values[i] = integer_texts[i].c_str();
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        values[i] = text->c_str();
      } else if (const auto* blob = std::get_if<Blob>(&value)) {
        // Binary format: bytea's wire form is the bytes themselves, so no escaping, and
        // NUL bytes survive.
        values[i] = blob->bytes.data();
        lengths[i] = static_cast<int>(blob->bytes.size());
        formats[i] = 1;
      }
    }
    PgResult result(PQexecPrepared(conn_.get(), prepared->name.c_str(),
                                   static_cast<int>(params.size()), values.data(), lengths.data(),
                                   formats.data(), /*resultFormat=*/0));
    if (!result) return Failure(nullptr);
    return result;
  }

  Result<QueryResult> ReadResult(const PGresult* result) {
    QueryResult out;
    int row_count = PQntuples(result);
    int column_count = PQnfields(result);
    out.rows.reserve(row_count);
    for (int row = 0; row < row_count; ++row) {
      std::vector<Value> values;
      values.reserve(column_count);
      for (int column = 0; column < column_count; ++column) {
        ASSIGN_OR_RETURN(Value value, ConvertField(result, row, column));
        values.push_back(std::move(value));
      }
      out.rows.emplace_back(std::move(values));
    }
    const char* affected = PQcmdTuples(const_cast<PGresult*>(result));
    std::int64_t affected_rows = 0;
    if (affected[0] != '\0' &&
        ParseInt(affected, static_cast<int>(std::strlen(affected)), &affected_rows)) {
      out.affected_rows = affected_rows;
    }
    return out;
  }

  Status RunCommand(const char* sql) {
    PgResult result(PQexec(conn_.get(), sql));
    return CheckCommand(result.get());
  }

  Status CheckCommand(const PGresult* result) {
    if (result) {
      ExecStatusType status = PQresultStatus(result);
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
        return Status::Ok();
      }
    }
    return Failure(result);
  }

  static std::string ErrorSqlState(const PGresult* result) {
    const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    return sqlstate ? sqlstate : "";
  }

  static bool IsStalePlan(const PGresult* result) {
    const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    return message && std::strstr(message, "cached plan") != nullptr;
  }

  // The Status for a failed command; `result` may be null (nothing came back).
  Status Failure(const PGresult* result) {
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      needs_reset_ = true;
      return Unavailable("lost the connection to the database; try again");
    }
    // The primary message only: DETAIL can quote row values, which must not reach the logs.
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message =
        TrimTrailingSpace(primary && primary[0] != '\0' ? primary : PQerrorMessage(conn_.get()));
    std::string sqlstate = ErrorSqlState(result);
    if (IsConnectionClass(sqlstate)) needs_reset_ = true;
    return MapServerError(sqlstate, target_->Scrub("PostgreSQL: " + message));
  }

  std::shared_ptr<const Target> target_;
  PgConn conn_;
  bool needs_reset_ = false;
  std::unordered_map<std::string, Prepared> statements_;
  std::int64_t statements_prepared_ = 0;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(int pool_size, std::shared_ptr<const Target> target,
                   std::unique_ptr<Connection> first_connection)
      : Database(pool_size),
        target_(std::move(target)),
        first_connection_(std::move(first_connection)) {}

  Engine engine() const override { return Engine::kPostgres; }
  std::string Describe() const override { return target_->description; }

 protected:
  Result<std::unique_ptr<Connection>> OpenConnection() override {
    {
      // The connection OpenPostgres made to check the URL becomes the pool's first.
      std::lock_guard lock(mutex_);
      if (first_connection_) return std::move(first_connection_);
    }
    ASSIGN_OR_RETURN(PgConn conn, Connect(*target_));
    return std::unique_ptr<Connection>(
        std::make_unique<PostgresConnection>(target_, std::move(conn)));
  }

 private:
  std::shared_ptr<const Target> target_;
  std::mutex mutex_;
  std::unique_ptr<Connection> first_connection_;
};

}  // namespace

std::string RedactPostgresUrl(const std::string& url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "(not a postgresql:// URL)";
  std::size_t authority_start = scheme_end + 3;
  // Like libpq, the user info ends at the last '@' before the path.
  std::size_t slash = url.find('/', authority_start);
  std::size_t at = url.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  std::size_t host_start =
      at != std::string::npos && at >= authority_start ? at + 1 : authority_start;
  std::string out = url.substr(0, authority_start);
  std::size_t query = url.find('?', host_start);
  out +=
      url.substr(host_start, query == std::string::npos ? std::string::npos : query - host_start);
  if (query == std::string::npos) return out;

  std::string kept;
  std::size_t start = query + 1;
  while (start <= url.size()) {
    std::size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    std::string parameter = url.substr(start, end - start);
    std::string key = parameter.substr(0, parameter.find('='));
    if (!parameter.empty() && key != "password" && key != "user") {
      kept += (kept.empty() ? "?" : "&") + parameter;
    }
    start = end + 1;
  }
  return out + kept;
}

std::string NumberPlaceholders(std::string_view sql, int* placeholder_count) {
  enum class State { kCode, kString, kEscapeString, kIdentifier, kLineComment, kBlockComment };
  State state = State::kCode;
  int block_depth = 0;
  int count = 0;
  std::string out;
  out.reserve(sql.size() + 16);
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
  };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    switch (state) {
      case State::kCode:
        if (c == '?') {
          out += '$' + std::to_string(++count);
          continue;
        }
        if (c == '\'') {
          // E'...' strings take backslash escapes, so \' does not end them.
          bool escape_prefix =
              i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i == 1 || !is_word(sql[i - 2]));
          state = escape_prefix ? State::kEscapeString : State::kString;
        } else if (c == '"') {
          state = State::kIdentifier;
        } else if (c == '-' && next == '-') {
          state = State::kLineComment;
        } else if (c == '/' && next == '*') {
          state = State::kBlockComment;
          block_depth = 1;
          out += c;
          out += next;
          ++i;
          continue;
        }
        break;
      case State::kString:
        // A doubled '' leaves and re-enters the string, which comes to the same.
        if (c == '\'') state = State::kCode;
        break;
      case State::kEscapeString:
        if (c == '\\' && next != '\0') {
          out += c;
          out += next;
          ++i;
          continue;
        }
        if (c == '\'') state = State::kCode;
        break;
      case State::kIdentifier:
        if (c == '"') state = State::kCode;
        break;
      case State::kLineComment:
        if (c == '\n') state = State::kCode;
        break;
      case State::kBlockComment:
        // PostgreSQL block comments nest.
        if ((c == '/' && next == '*') || (c == '*' && next == '/')) {
          block_depth += c == '/' ? 1 : -1;
          out += c;
          out += next;
          ++i;
          if (block_depth == 0) state = State::kCode;
          continue;
        }
        break;
    }
    out += c;
  }
  *placeholder_count = count;
  return out;
}

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, int pool_size) {
  if (pool_size < 1) return InvalidArgument("the PostgreSQL pool needs at least one connection");
  auto target = std::make_shared<Target>();
  target->url = url;
  target->description = RedactPostgresUrl(url);
  target->secrets = RawPasswordsIn(url);
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) {
    return InvalidArgument("not a PostgreSQL URL (expected postgresql://...): " +
                           target->description);
  }

  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (!options) {
    std::string reason = parse_error ? TrimTrailingSpace(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return InvalidArgument(
        target->Scrub("malformed PostgreSQL URL " + target->description + ": " + reason));
  }
  for (PQconninfoOption* option = options; option->keyword; ++option) {
    if (option->val && std::strcmp(option->keyword, "password") == 0) {
      target->secrets.emplace_back(option->val);
    }
  }
  PQconninfoFree(options);

  ASSIGN_OR_RETURN(PgConn conn, Connect(*target));
  auto first_connection = std::make_unique<PostgresConnection>(target, std::move(conn));
  return std::unique_ptr<Database>(
      std::make_unique<PostgresDatabase>(pool_size, target, std::move(first_connection)));
}

}  // namespace psea::storage
