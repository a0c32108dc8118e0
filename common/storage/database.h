// Summit's small SQL layer: what a service's store needs from a database and
// nothing more — transactions, bound parameters, rows, and forward-only
// migrations — so that a store is written once and runs on the embedded
// default (SQLite) and on PostgreSQL alike.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
//                    Database::Open("sqlite:///var/lib/summit/registry.db"));
//   ASSIGN_OR_RETURN(int applied, db->ApplyMigrations(kRegistryMigrations));
//   RETURN_IF_ERROR(db->Write([&](Transaction& tx) -> absl::Status {
//     return tx.Execute("INSERT INTO people (id, data) VALUES (?, ?)",
//                       {id, Blob{bytes}});
//   }));
//
// SQL is written with `?` placeholders, values are always bound, never
// spliced into the text. A Write transaction commits only if its function
// returns OK and the commit is durable (synchronous=FULL) before Write
// returns: nothing acknowledged is lost, a crash included (except on a
// SQLite URL with `synchronous=off`, a benchmark's bound; see Open).
//
// Thread-safety: a Database is safe to use from many threads at once; a
// Transaction belongs to the one call that received it.
#ifndef SUMMIT_COMMON_STORAGE_DATABASE_H_
#define SUMMIT_COMMON_STORAGE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace summit::storage {

// Bytes stored as a BLOB (e.g. a serialized protobuf), as opposed to TEXT.
struct Blob {
  std::string bytes;
};

// Which SQL a database speaks. Stores write portable SQL wherever the two
// agree (most of it) and ask only where they differ: full-text search, and a
// migration's DDL.
enum class SqlDialect { kSqlite, kPostgres };

// A value bound to a `?` placeholder or read from a column.
using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string, Blob>;

// One result row. Accessors take the column's index in the SELECT list.
class Row {
 public:
  explicit Row(std::vector<SqlValue> values) : values_(std::move(values)) {}

  bool IsNull(int column) const;
  int64_t Int(int column) const;           // 0 when NULL
  double Double(int column) const;         // 0 when NULL
  const std::string& Text(int column) const;   // "" when NULL; BLOBs too
  size_t size() const { return values_.size(); }

 private:
  std::vector<SqlValue> values_;
};

// A transaction in progress: every statement of it sees one snapshot and,
// for Write, commits or rolls back together.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Runs a statement; returns the number of rows it changed.
  virtual absl::StatusOr<int64_t> Execute(absl::string_view sql,
                                          absl::Span<const SqlValue> params = {}) = 0;
  // Runs a query and returns all of its rows.
  virtual absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                                 absl::Span<const SqlValue> params = {}) = 0;

  // Execute for a statement whose changed-row count the body does not need
  // and whose error it only passes on, unhandled: a backend may send it
  // with the transaction's next statement or its COMMIT (on PostgreSQL all
  // of them in one round trip), and its error is then what that later
  // Query, Execute or commit returns (the statements after it not run), so
  // the body and Write end with the same status as if it had come here.
  // Never for a statement whose failure the body tells apart and handles.
  virtual absl::Status ExecuteLater(absl::string_view sql,
                                    absl::Span<const SqlValue> params = {}) {
    return Execute(sql, params).status();
  }

  virtual SqlDialect dialect() const = 0;
};

// One schema change, applied once, in version order, each in its own
// transaction. Versions only grow; a shipped migration is never edited.
struct Migration {
  int version;
  std::string description;
  std::string sql;  // one or more statements separated by ';'
  // The same change for PostgreSQL, where its SQL differs (types, triggers,
  // full-text search); empty: `sql` as it is. Either way the version is one
  // schema on both backends.
  std::string postgres_sql = "";

  const std::string& SqlFor(SqlDialect dialect) const {
    return dialect == SqlDialect::kPostgres && !postgres_sql.empty() ? postgres_sql : sql;
  }
};

// What a Write's body relies on to keep a store's rules while others write
// at the same time.
enum class WriteIsolation {
  // Everything the body read stays as it read it until it commits: a body
  // that reads, decides and writes (an etag compared, a slot found free, a
  // rule over several rows) runs as if no one else wrote. The default.
  kSerializable,
  // Each statement sees what others had committed when it ran, and nothing
  // the body read is held for it. Only for a body each of whose rules the
  // schema enforces as well — a key that must be new (a primary or unique
  // key), a row that must exist (a foreign key) — so that a concurrent
  // write its checks missed breaks a constraint instead of a rule. Such a
  // breach is contention: the body runs again, and its own checks then see
  // the other write and answer as they would have alone (the key taken, the
  // row gone). No read is locked, so writes of unrelated rows never refuse
  // each other (as serializable ones do when they merely read and write
  // near each other in an index).
  kReadCommitted,
};

// What Database::ListenForNotifications returns: listening goes on while it
// lives, and has stopped (its callback never runs again) once it is
// destroyed.
class NotificationListener {
 public:
  virtual ~NotificationListener() = default;
};

class Database {
 public:
  // Opens the database a URL names: `sqlite:///absolute/path.db` (the file
  // and its folder are created when missing) or `sqlite://:memory:` for a
  // throwaway one. SQLite takes two parameters: `group_commit=off` commits
  // each Write alone (on by default), `synchronous=off` commits without
  // waiting for the disk (not durable: a benchmark's bound only; full by
  // default); see sqlite_database.h. An unknown parameter is refused, never
  // ignored.
  // `postgres://user:password@host:port/database?…` (or postgresql://) opens
  // a pool of connections to a PostgreSQL server; see postgres_database.h for
  // its parameters.
  static absl::StatusOr<std::unique_ptr<Database>> Open(absl::string_view url);

  virtual ~Database() = default;

  // Applies the migrations not applied yet; returns how many it applied.
  // Safe to call from several processes starting at once.
  virtual absl::StatusOr<int> ApplyMigrations(absl::Span<const Migration> migrations) = 0;

  // Runs `body` in a read-write transaction at `isolation`. Commits when it
  // returns OK, rolls back otherwise and returns its status. Concurrent
  // Writes may share one transaction and commit (group commit), with
  // exactly the outcome of running them one after another. `body` may be
  // run more than once — when the database reports contention, or when
  // another body broke the shared transaction — so it must not have effects
  // outside the transaction other than filling its outputs, and it may run
  // on another caller's thread.
  virtual absl::Status Write(WriteIsolation isolation,
                             const std::function<absl::Status(Transaction&)>& body) = 0;
  // Write at WriteIsolation::kSerializable.
  absl::Status Write(const std::function<absl::Status(Transaction&)>& body) {
    return Write(WriteIsolation::kSerializable, body);
  }

  // Runs `body` in a read-only transaction (one consistent snapshot).
  virtual absl::Status Read(const std::function<absl::Status(Transaction&)>& body) = 0;

  // Read for a body that runs one query (a lookup by key, one page of one
  // table), which sees one snapshot by itself: on PostgreSQL it runs with no
  // transaction around it, one round trip where BEGIN and COMMIT make it two.
  // A second statement, or one that changes rows, is refused (INTERNAL): a
  // body that needs more belongs in Read.
  virtual absl::Status ReadOneQuery(const std::function<absl::Status(Transaction&)>& body) = 0;

  // OK when the database answers a trivial query; what readiness reports.
  virtual absl::Status Ping() = 0;

  virtual SqlDialect dialect() const = 0;

  // Calls `on_notice` (on a thread of the listener's, one call at a time)
  // soon after any process commits a transaction that notifies `channel`
  // (PostgreSQL's NOTIFY, e.g. from a trigger), and each time the listener
  // (re)connects, since notices sent while it was away are lost: what was
  // missed is then for the caller to find. A wake-up, never the only way to
  // learn of a change: the caller still polls, at a slower pace. nullptr
  // where the backend has no such notices (SQLite). `on_notice` must be
  // quick and must not block.
  virtual std::unique_ptr<NotificationListener> ListenForNotifications(
      const std::string& /*channel*/, std::function<void()> /*on_notice*/) {
    return nullptr;
  }
};

// `url` fit for logs: a password in it (postgres://user:secret@host/db, or
// password=… among its parameters) replaced by "***".
std::string RedactedUrl(absl::string_view url);

// One migration inside `tx`, the transaction that records it: unless
// schema_migrations already holds its version, runs its SQL for tx's dialect
// with `run_script` (SQL of several statements, which a backend runs its own
// way) and records it. Returns whether it applied it. What both backends'
// ApplyMigrations do for each migration, under their own locks.
absl::StatusOr<bool> ApplyMigrationOnce(
    Transaction& tx, const Migration& migration,
    const std::function<absl::Status(const std::string& sql)>& run_script);

// A backend's error, in words fit for a caller: "<doing>: <what kind of
// failure>" with `code`, the database's own text (and any SQL) kept as the
// status's server detail (status/error.h), which the RPC boundary logs and
// never sends. `doing` says what the backend was doing, without SQL or paths.
absl::Status DatabaseError(absl::StatusCode code, absl::string_view doing,
                           absl::string_view database_text);

// Whether `status` is the database refusing a transaction for contention
// (SQLite busy, a PostgreSQL serialization failure or deadlock), which Write
// retries, as opposed to an ABORTED a store returned itself (an etag
// mismatch), which carries error details and is the caller's answer.
bool IsContention(const absl::Status& status);

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_DATABASE_H_
