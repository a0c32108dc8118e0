// The Database for several replicas: a PostgreSQL server reached through
// libpq, with a pool of connections, statements prepared once per connection,
// and the isolation each invariant needs.
//
// - Write runs SERIALIZABLE by default, so that a store's "read, decide,
//   write" (an etag still current, a slot still free) means on PostgreSQL
//   what it means on SQLite, whose writes run one at a time: PostgreSQL
//   refuses a transaction that could not have run alone, and Write runs it
//   again (serialization failures and deadlocks are contention, see
//   IsContention). WriteIsolation::kReadCommitted runs READ COMMITTED.
//   At either level a write that broke a unique, foreign-key or exclusion
//   constraint runs again, a few times: that is how a race lost to a
//   concurrent writer shows (always for READ COMMITTED writers, whom
//   serializable ones cannot see), and the body, run again, sees the
//   winner's row and answers for it. A commit returns once it is durable
//   (the server's synchronous_commit).
// - Read runs REPEATABLE READ, READ ONLY: one snapshot for the whole body.
//   ReadOneQuery runs its one query alone, outside any transaction block.
// - `?` placeholders are rewritten to PostgreSQL's `$1, $2, …`; values are
//   sent in binary with their types (BIGINT, DOUBLE PRECISION, TEXT, BYTEA),
//   and rows come back in binary, so a BYTEA of protobuf is never escaped.
// - Errors keep the meaning SQLite's have: a unique key → ALREADY_EXISTS,
//   another constraint (foreign key, check, exclusion) → FAILED_PRECONDITION,
//   a lost or unreachable server → UNAVAILABLE, bad text (invalid UTF-8, NUL)
//   → INVALID_ARGUMENT.
// - ApplyMigrations takes a session advisory lock, so replicas starting
//   together apply each migration once.
//
// URL: any libpq connection URI, plus one parameter of Summit's own,
// `pool_size=N` (connections, default 16), which is removed before libpq
// sees the rest: postgres://summit@db:5432/summit?sslmode=require&pool_size=8
#ifndef SUMMIT_COMMON_STORAGE_POSTGRES_DATABASE_H_
#define SUMMIT_COMMON_STORAGE_POSTGRES_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"

namespace summit::storage {

// Connects to the server `url` names (one connection, to fail early when the
// server is unreachable or refuses the credentials); more are opened as
// concurrent calls need them, up to the pool size.
absl::StatusOr<std::unique_ptr<Database>> OpenPostgresDatabase(absl::string_view url);

// DDL written for SQLite, in PostgreSQL's names for the same column types:
// INTEGER → BIGINT (SQLite's integers are 64-bit), BLOB → BYTEA, and an
// INTEGER PRIMARY KEY [AUTOINCREMENT] (SQLite's rowid) → an identity column.
// What differs beyond types (triggers, full-text search) a migration writes
// for each backend itself.
std::string PostgresDdl(absl::string_view sqlite_ddl);

// `sql` with each `?` placeholder outside quotes and comments numbered as
// PostgreSQL's `$1, $2, …` (`?NNN` keeps its number, as in SQLite); `count`
// receives how many parameters the statement takes.
std::string NumberPlaceholders(absl::string_view sql, int* count);

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_POSTGRES_DATABASE_H_
