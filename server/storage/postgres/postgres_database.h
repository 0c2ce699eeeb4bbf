// The PostgreSQL engine behind storage/database.h, built on libpq. Only this folder
// includes libpq-fe.h.
//
// Statements: `?` placeholders become $1..$n (a `?` inside a quoted string, a quoted
// identifier or a comment is left alone). Each distinct SQL text is prepared once per
// connection and then executed by name. Parameter types are not declared: the server
// infers each from its context, as it does for a literal. Where it cannot (`? IS NULL`,
// `SELECT ?`), write `CAST(? AS BIGINT)` / `CAST(? AS TEXT)`, which SQLite reads the same.
// Integers and text travel in text format, a Blob as raw bytes (binary format), NULL as
// NULL. Text must not contain NUL characters (InvalidArgument), as PostgreSQL cannot store
// them.
//
// Results: columns of type smallint, integer, bigint and boolean (true = 1) are read as
// int64, bytea as a Blob, NULL as monostate and every other type (text, varchar, numeric,
// timestamps, ...) as its text. Note that SUM() and AVG() over integers yield numeric,
// i.e. text: write `CAST(SUM(x) AS BIGINT)` to get an integer on both engines.
//
// Errors:
//   unique or foreign-key violation (23505, 23503)  -> kConflict
//   serialization failure, deadlock (40001, 40P01),
//     statement timeout, server shutting down or
//     out of connections, lost connection            -> kUnavailable ("try again")
//   text that is not valid UTF-8                     -> kInvalidArgument
//   anything else                                    -> kInternal, with the server's message
// A connection that was lost resets itself (PQreset) before its next use, so one broken
// connection does not poison the pool. A statement whose result columns changed under it
// (a migration on another connection) is prepared again; outside a transaction it is also
// retried, inside one the error is returned, as PostgreSQL has aborted the transaction.
//
// Transactions: unlike SQLite, a failed statement aborts the whole PostgreSQL transaction,
// so work must return the error; Commit() of such a transaction fails (kInternal) rather
// than silently rolling back. Begin() on a connection that still has a transaction open
// (a lease returned mid-transaction) rolls that one back first.
//
// Every session runs with client_encoding UTF8, time zone UTC, statement_timeout 30s and
// client_min_messages warning. Write transactions are READ COMMITTED: callers that read
// and then write the same rows lock them with SELECT ... FOR UPDATE.
//
// Secrets: no Status message and no Describe() text contains the user or password of the
// URL.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/database.h"

namespace psea::storage {

// Opens a pool of at most `pool_size` connections to the database named by `url`, a libpq
// connection URI ("postgresql://user:password@host:port/dbname?param=value", or the
// "postgres://" spelling). One connection is opened at once so that a wrong URL, a
// refused password or a server that is down fail here, as kInvalidArgument (malformed
// URL, pool_size < 1) or kUnavailable (cannot connect), with a message naming the server
// but not the credentials. Thread-safe, like every Database.
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, int pool_size);

// The URL without user and password (in the authority or as query parameters), for logs
// and Database::Describe(). Exposed for tests.
std::string RedactPostgresUrl(const std::string& url);

// `sql` with each `?` placeholder outside quotes and comments replaced by $1, $2, ...;
// `placeholder_count` receives their number. Exposed for tests.
std::string NumberPlaceholders(std::string_view sql, int* placeholder_count);

}  // namespace psea::storage
