#include "common/storage/postgres_database.h"

#include <endian.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/connection_transaction.h"
#include "common/storage/postgres_listener.h"

namespace summit::storage {
namespace {

constexpr int kDefaultPoolSize = 16;
constexpr int kMaxPoolSize = 256;
// Serialization failures are expected under concurrent writes to the same
// rows; each retry waits a little longer, with jitter so that the
// transactions that collided do not collide again. A write keeps trying for
// a while, not for a number of attempts: with N writers on one row each round
// lets one through, and on a loaded machine a transaction lasts longer, so a
// count that is ample when idle runs out (8 writers, 12 attempts: 3 writes
// in 200 refused). Past the budget the database is stuck, as with kPoolWait.
constexpr absl::Duration kWriteContentionBudget = absl::Seconds(10);
constexpr int kMaxBackoffDoublings = 8;  // waits of at most 200 us << 8 = 51 ms
// A constraint broken on every run is no race: the store wrote what its
// checks missed (an overlap, a key taken), and the caller hears so.
constexpr int kMaxConstraintRaces = 3;
// The most statements ExecuteLater holds back before sending them: a few
// are what a write makes, and a bounded pipeline cannot fill the server's
// output buffer while this side is still sending.
constexpr size_t kMaxDeferred = 64;
// How long a call waits for a free connection before giving up: the pool is
// sized for the load, so waiting longer means the database is stuck.
constexpr absl::Duration kPoolWait = absl::Seconds(10);
// One lock key for every Summit migration, whatever the service: replicas
// of one service share a database, and this serializes their migrations.
constexpr int64_t kMigrationLockKey = 0x53756d6d6974;  // "Summit"

// PostgreSQL type OIDs (src/include/catalog/pg_type.dat), for binary
// parameters and results.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kNameOid = 19;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kUnknownOid = 705;
constexpr Oid kBpcharOid = 1042;
constexpr Oid kVarcharOid = 1043;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string TrimmedMessage(const char* message) {
  return std::string(absl::StripTrailingAsciiWhitespace(message != nullptr ? message : ""));
}

// The status a failed statement becomes: the same codes SQLite's errors
// become (sqlite_database.cc), so stores and callers see one behaviour.
absl::Status PostgresError(PGconn* connection, const PGresult* result, absl::string_view doing,
                           absl::string_view sql = {}) {
  const char* sqlstate =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string text =
      TrimmedMessage(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(connection));
  if (!sql.empty()) absl::StrAppend(&text, " in: ", sql);
  const absl::string_view state(sqlstate != nullptr ? sqlstate : "");
  absl::StatusCode code = absl::StatusCode::kInternal;
  if (PQstatus(connection) != CONNECTION_OK || sqlstate == nullptr) {
    code = absl::StatusCode::kUnavailable;
  } else if (state == "23505") {
    code = absl::StatusCode::kAlreadyExists;
  } else if (absl::StartsWith(state, "23")) {
    code = absl::StatusCode::kFailedPrecondition;
  } else if (state == "40001" || state == "40P01") {
    code = absl::StatusCode::kAborted;
  } else if (absl::StartsWith(state, "08") || absl::StartsWith(state, "53") ||
             absl::StartsWith(state, "57P")) {
    code = absl::StatusCode::kUnavailable;
  } else if (state == "22021" || state == "22P05") {
    // Text the server cannot store: invalid UTF-8, or a NUL.
    code = absl::StatusCode::kInvalidArgument;
  }
  return DatabaseError(code, doing, text);
}

// A bound value as libpq takes it: binary, with its type, and its bytes
// kept alive here until the statement ran.
struct BoundValue {
  Oid type = 0;
  std::string bytes;
  bool is_null = false;
};

BoundValue Bind(const SqlValue& value) {
  BoundValue bound;
  if (std::holds_alternative<std::nullptr_t>(value)) {
    // Unknown type: the server infers it from where the NULL goes.
    bound.is_null = true;
  } else if (const auto* integer = std::get_if<int64_t>(&value)) {
    bound.type = kInt8Oid;
    const uint64_t big_endian = htobe64(static_cast<uint64_t>(*integer));
    bound.bytes.assign(reinterpret_cast<const char*>(&big_endian), sizeof big_endian);
  } else if (const auto* real = std::get_if<double>(&value)) {
    bound.type = kFloat8Oid;
    uint64_t bits = 0;
    std::memcpy(&bits, real, sizeof bits);
    const uint64_t big_endian = htobe64(bits);
    bound.bytes.assign(reinterpret_cast<const char*>(&big_endian), sizeof big_endian);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    // Binary TEXT is the bytes themselves, length and all: a NUL or invalid
    // UTF-8 is refused by the server instead of cutting the text short.
    bound.type = kTextOid;
    bound.bytes = *text;
  } else {
    bound.type = kByteaOid;
    bound.bytes = std::get<Blob>(value).bytes;
  }
  return bound;
}

int64_t ReadBigEndian(const char* data, int size) {
  uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8) | static_cast<unsigned char>(data[i]);
  // Sign-extend the narrower integers.
  if (size < 8 && size > 0 && (static_cast<unsigned char>(data[0]) & 0x80) != 0) {
    value |= ~uint64_t{0} << (size * 8);
  }
  return static_cast<int64_t>(value);
}

absl::StatusOr<SqlValue> ReadValue(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return SqlValue(nullptr);
  const char* data = PQgetvalue(result, row, column);
  const int size = PQgetlength(result, row, column);
  switch (PQftype(result, column)) {
    case kBoolOid:
      return SqlValue(int64_t{size > 0 && data[0] != 0 ? 1 : 0});
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return SqlValue(ReadBigEndian(data, size));
    case kFloat4Oid: {
      const uint32_t bits = static_cast<uint32_t>(ReadBigEndian(data, 4));
      float real = 0;
      std::memcpy(&real, &bits, sizeof real);
      return SqlValue(static_cast<double>(real));
    }
    case kFloat8Oid: {
      const uint64_t bits = static_cast<uint64_t>(ReadBigEndian(data, 8));
      double real = 0;
      std::memcpy(&real, &bits, sizeof real);
      return SqlValue(real);
    }
    case kByteaOid:
    case kTextOid:
    case kVarcharOid:
    case kBpcharOid:
    case kNameOid:
    case kUnknownOid:
      return SqlValue(std::string(data, size));
    default:
      // NUMERIC (what SUM of BIGINT gives) and the rest: the SQL should
      // cast to one of the types above, so that both backends agree.
      return absl::InternalError(absl::StrCat("column ", PQfname(result, column),
                                              " has PostgreSQL type ", PQftype(result, column),
                                              ", which Summit does not read; cast it"));
  }
}

// One connection with the statements it has prepared.
class Connection {
 public:
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& conninfo) {
    // Keywords before `dbname` are defaults that the URL may override.
    const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                                    nullptr};
    const char* const values[] = {"5", "summit", conninfo.c_str(), nullptr};
    PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    auto connection = std::unique_ptr<Connection>(new Connection(raw));
    if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
      return DatabaseError(absl::StatusCode::kUnavailable, "connecting to PostgreSQL",
                           TrimmedMessage(PQerrorMessage(raw)));
    }
    return connection;
  }

  ~Connection() { PQfinish(connection_); }

  // Fit for the next caller: connected, and outside any transaction (a read
  // whose COMMIT is still on its way counts as outside: the next statement
  // waits for it first).
  bool Healthy() const {
    return PQstatus(connection_) == CONNECTION_OK &&
           (commit_in_flight_ || PQtransactionStatus(connection_) == PQTRANS_IDLE);
  }

  // Round trips are most of a small transaction's cost, so a transaction
  // costs none of its own: its BEGIN goes with its first statement, in one
  // pipeline (one round trip), and a read-only one's COMMIT is sent without
  // waiting; the connection's next statement collects its answer first.
  void Begin(std::string begin) { pending_begin_ = std::move(begin); }

  // Ends the transaction Begin started: COMMIT (and waits for it), or
  // ROLLBACK. Nothing to end when no statement ever ran. The statements
  // ExecuteLater held back go with the COMMIT, in one round trip; one that
  // fails is what Commit returns (the COMMIT then never runs).
  absl::Status Commit() {
    if (!pending_begin_.empty()) return Unbegin();
    if (deferred_.empty()) return Script("COMMIT");
    RETURN_IF_ERROR(EnqueueText("COMMIT", "running SQL"));
    ResultPtr committed(nullptr, &PQclear);
    RETURN_IF_ERROR(SyncPipeline(&committed));
    if (PQresultStatus(committed.get()) != PGRES_COMMAND_OK) {
      return PostgresError(connection_, committed.get(), "running SQL");
    }
    return absl::OkStatus();
  }
  absl::Status Rollback() {
    if (!pending_begin_.empty()) return Unbegin();
    // What the held-back statements answer no longer matters.
    if (!deferred_.empty()) SyncPipeline(nullptr).IgnoreError();
    return Script("ROLLBACK");
  }
  // COMMIT of a read-only transaction, sent without waiting for its answer:
  // it cannot fail in a way the reader would care about (nothing was
  // written), and the snapshot is released as soon as the server reads it.
  absl::Status CommitReadOnly() {
    if (!pending_begin_.empty()) return Unbegin();
    if (!deferred_.empty()) return Commit();
    if (PQenterPipelineMode(connection_) != 1 ||
        PQsendQueryParams(connection_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1 ||
        PQpipelineSync(connection_) != 1) {
      return PostgresError(connection_, nullptr, "ending a read");
    }
    commit_in_flight_ = true;
    return absl::OkStatus();
  }

  // The SQLSTATE of the integrity constraint (class 23) the last failed
  // statement broke, if any; see LostConstraintRace.
  const std::string& broken_constraint() const { return broken_constraint_; }
  void ClearErrors() { broken_constraint_.clear(); }

  bool InFailedTransaction() const {
    return PQtransactionStatus(connection_) == PQTRANS_INERROR;
  }

  // Runs SQL without parameters through the simple protocol: transaction
  // control, and migrations (several statements in one text).
  absl::Status Script(const std::string& sql) {
    RETURN_IF_ERROR(Settle());
    if (!deferred_.empty()) RETURN_IF_ERROR(SyncPipeline(nullptr));
    if (!pending_begin_.empty()) RETURN_IF_ERROR(Script(std::exchange(pending_begin_, "")));
    ResultPtr result(PQexec(connection_, sql.c_str()), &PQclear);
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return PostgresError(connection_, result.get(), "running SQL");
    }
    return absl::OkStatus();
  }

  // Runs one statement with its parameters, preparing it on first use;
  // returns the rows changed (or returned) and fills `rows` if given.
  absl::StatusOr<int64_t> Run(absl::string_view sql, absl::Span<const SqlValue> params,
                              std::vector<Row>* rows) {
    std::vector<BoundValue> bound;
    const std::string key = StatementKey(sql, params, bound);
    RETURN_IF_ERROR(Settle());
    // libpq prepares only outside a pipeline: what was held back goes first.
    if (!prepared_.contains(key) && !deferred_.empty()) RETURN_IF_ERROR(SyncPipeline(nullptr));
    ASSIGN_OR_RETURN(const std::string* name, Prepare(key, sql, bound));

    ResultPtr result(nullptr, &PQclear);
    if (pending_begin_.empty() && deferred_.empty()) {
      const BoundArrays arrays(bound);
      result.reset(PQexecPrepared(connection_, name->c_str(), arrays.count(), arrays.values.data(),
                                  arrays.lengths.data(), arrays.formats.data(),
                                  /*resultFormat=*/1));
    } else {
      // A pending BEGIN and the statements held back go with this one, in
      // one round trip.
      RETURN_IF_ERROR(Enqueue(*name, bound));
      RETURN_IF_ERROR(SyncPipeline(&result));
    }
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* sqlstate = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
      if (sqlstate != nullptr && absl::StartsWith(sqlstate, "23")) broken_constraint_ = sqlstate;
      return PostgresError(connection_, result.get(), "running a statement");
    }
    if (rows != nullptr && status == PGRES_TUPLES_OK) {
      const int row_count = PQntuples(result.get());
      const int column_count = PQnfields(result.get());
      rows->reserve(rows->size() + row_count);
      for (int r = 0; r < row_count; ++r) {
        std::vector<SqlValue> row;
        row.reserve(column_count);
        for (int c = 0; c < column_count; ++c) {
          ASSIGN_OR_RETURN(SqlValue value, ReadValue(result.get(), r, c));
          row.push_back(std::move(value));
        }
        rows->emplace_back(std::move(row));
      }
    }
    int64_t changed = 0;
    if (!absl::SimpleAtoi(PQcmdTuples(result.get()), &changed)) changed = 0;
    return changed;
  }

  // Transaction::ExecuteLater: the statement waits in the connection's
  // pipeline, unsent, for the transaction's next statement or its end,
  // which send it along with their own and answer for it (SyncPipeline).
  absl::Status RunLater(absl::string_view sql, absl::Span<const SqlValue> params) {
    std::vector<BoundValue> bound;
    const std::string key = StatementKey(sql, params, bound);
    RETURN_IF_ERROR(Settle());
    const auto it = prepared_.find(key);
    // A statement new to this connection is prepared first, a round trip
    // of its own once per connection; and the pipeline is kept short.
    if (it == prepared_.end() || deferred_.size() >= kMaxDeferred) {
      return Run(sql, params, nullptr).status();
    }
    return Enqueue(it->second, bound);
  }

 private:
  explicit Connection(PGconn* connection) : connection_(connection) {}

  // The parameters as libpq takes them, pointing into `bound`.
  struct BoundArrays {
    explicit BoundArrays(const std::vector<BoundValue>& bound)
        : values(bound.size()), lengths(bound.size()), formats(bound.size(), 1) {
      for (size_t i = 0; i < bound.size(); ++i) {
        values[i] = bound[i].is_null ? nullptr : bound[i].bytes.data();
        lengths[i] = static_cast<int>(bound[i].bytes.size());
      }
    }
    int count() const { return static_cast<int>(values.size()); }
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
  };

  // Binds `params` into `bound`; returns the key of the prepared statement
  // for `sql` with their types.
  static std::string StatementKey(absl::string_view sql, absl::Span<const SqlValue> params,
                                  std::vector<BoundValue>& bound) {
    bound.reserve(params.size());
    std::string key;
    for (const SqlValue& value : params) {
      bound.push_back(Bind(value));
      absl::StrAppend(&key, bound.back().type, ",");
    }
    absl::StrAppend(&key, "\n", sql);
    return key;
  }

  // Adds to the pipeline, unsent: the pending BEGIN, if any, then the
  // prepared statement `name`. SyncPipeline sends them and reads their
  // answers, in this order.
  absl::Status Enqueue(const std::string& name, const std::vector<BoundValue>& bound) {
    RETURN_IF_ERROR(EnterPipeline());
    const BoundArrays arrays(bound);
    if (PQsendQueryPrepared(connection_, name.c_str(), arrays.count(), arrays.values.data(),
                            arrays.lengths.data(), arrays.formats.data(),
                            /*resultFormat=*/1) != 1) {
      return PostgresError(connection_, nullptr, "sending a statement");
    }
    deferred_.push_back("running a statement");
    return absl::OkStatus();
  }
  // The same for SQL without parameters (COMMIT).
  absl::Status EnqueueText(const char* sql, const char* doing) {
    RETURN_IF_ERROR(EnterPipeline());
    if (PQsendQueryParams(connection_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
      return PostgresError(connection_, nullptr, "sending a statement");
    }
    deferred_.push_back(doing);
    return absl::OkStatus();
  }
  absl::Status EnterPipeline() {
    if (PQpipelineStatus(connection_) == PQ_PIPELINE_OFF && PQenterPipelineMode(connection_) != 1) {
      return PostgresError(connection_, nullptr, "sending a statement");
    }
    if (!pending_begin_.empty()) {
      const std::string begin = std::exchange(pending_begin_, "");
      if (PQsendQueryParams(connection_, begin.c_str(), 0, nullptr, nullptr, nullptr, nullptr,
                            0) != 1) {
        return PostgresError(connection_, nullptr, "sending a statement");
      }
      deferred_.push_back("beginning a transaction");
    }
    return absl::OkStatus();
  }

  // Sends what the pipeline holds, in one round trip, reads every answer and
  // leaves pipeline mode. The last statement's result goes to `last` when
  // given (its caller reads it); any other's failure is returned, the first
  // one, as that statement's own error would have been (the statements
  // after it were not run: PostgreSQL skips them).
  absl::Status SyncPipeline(ResultPtr* last) {
    std::vector<const char*> doings = std::exchange(deferred_, {});
    if (PQpipelineSync(connection_) != 1) {
      return PostgresError(connection_, nullptr, "sending a statement");
    }
    absl::Status status;
    for (size_t i = 0; i < doings.size(); ++i) {
      ResultPtr result = NextResult();
      if (last != nullptr && i + 1 == doings.size()) {
        *last = std::move(result);
        break;
      }
      const ExecStatusType answer = PQresultStatus(result.get());
      if (status.ok() && answer != PGRES_COMMAND_OK && answer != PGRES_TUPLES_OK &&
          answer != PGRES_PIPELINE_ABORTED) {
        const char* sqlstate = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
        if (sqlstate != nullptr && absl::StartsWith(sqlstate, "23")) broken_constraint_ = sqlstate;
        status = PostgresError(connection_, result.get(), doings[i]);
      }
    }
    ResultPtr sync = NextResult();
    PQexitPipelineMode(connection_);
    if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC && PQstatus(connection_) != CONNECTION_OK) {
      return PostgresError(connection_, nullptr, "running a statement");
    }
    return status;
  }

  // The next result of a pipeline, past the NULL that ends each query's
  // results; NULL itself only when the connection broke.
  ResultPtr NextResult() {
    for (int nulls = 0; nulls < 2; ++nulls) {
      PGresult* result = PQgetResult(connection_);
      if (result != nullptr) return ResultPtr(result, &PQclear);
      if (PQstatus(connection_) != CONNECTION_OK) break;
    }
    return ResultPtr(nullptr, &PQclear);
  }

  // Collects the answer to a read's COMMIT sent earlier, and leaves
  // pipeline mode; what the next statement on the connection does first.
  absl::Status Settle() {
    if (!commit_in_flight_) return absl::OkStatus();
    commit_in_flight_ = false;
    ResultPtr committed = NextResult();
    ResultPtr sync = NextResult();
    PQexitPipelineMode(connection_);
    if (PQresultStatus(committed.get()) != PGRES_COMMAND_OK ||
        PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
      return PostgresError(connection_, committed.get(), "ending a read");
    }
    return absl::OkStatus();
  }

  absl::Status Unbegin() {
    pending_begin_.clear();
    return absl::OkStatus();
  }

  // The name of the prepared statement for `sql` with these parameter
  // types, preparing it on first use.
  absl::StatusOr<const std::string*> Prepare(const std::string& key, absl::string_view sql,
                                             const std::vector<BoundValue>& bound) {
    auto it = prepared_.find(key);
    if (it != prepared_.end()) return &it->second;
    int placeholders = 0;
    const std::string numbered = NumberPlaceholders(sql, &placeholders);
    if (placeholders != static_cast<int>(bound.size())) {
      return absl::InternalError(absl::StrCat("statement has ", placeholders,
                                              " parameters, given ", bound.size(), ": ", sql));
    }
    std::vector<Oid> types;
    types.reserve(bound.size());
    for (const BoundValue& value : bound) types.push_back(value.type);
    std::string name = absl::StrCat("s", prepared_.size());
    ResultPtr result(PQprepare(connection_, name.c_str(), numbered.c_str(),
                               static_cast<int>(types.size()), types.data()),
                     &PQclear);
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      return PostgresError(connection_, result.get(), "preparing a statement", sql);
    }
    return &prepared_.emplace(key, std::move(name)).first->second;
  }

  PGconn* connection_;
  std::string pending_begin_;     // sent with the next statement
  // What each statement in the pipeline, unsent or unanswered, is doing (for
  // its error), in order; see Enqueue.
  std::vector<const char*> deferred_;
  bool commit_in_flight_ = false;  // a read's COMMIT, answer not collected yet
  std::string broken_constraint_;  // SQLSTATE, or empty
  // Statement name by parameter types and SQL.
  absl::flat_hash_map<std::string, std::string> prepared_;
};

using PostgresTransaction = ConnectionTransaction<Connection, SqlDialect::kPostgres>;

// Whether a write that broke the integrity constraint `sqlstate` names may
// have lost a race to a concurrent writer, and so runs again: its own
// checks, run again, see the winner's row and answer for it (the clash, the
// key taken, the row gone, the row still referred to), or find nothing in
// the way. A body that breaks a constraint whoever else writes hears so
// after kMaxConstraintRaces runs.
bool LostConstraintRace(absl::string_view sqlstate) {
  // An exclusion constraint: each of two transactions checked that its
  // booking was free, and one committed first (SSI cannot see the overlap of
  // two ranges, which is no row either read).
  if (sqlstate == "23P01") return true;
  // A unique or foreign key: the body found the key free, the referenced
  // row there or no row referring to its own, before a READ COMMITTED writer
  // committed the opposite. SSI sees only serializable transactions, so at
  // either isolation this is how such a race shows.
  return sqlstate == "23505" || sqlstate == "23503";
}

// The BEGIN of a write at `isolation`.
const char* BeginWrite(WriteIsolation isolation) {
  switch (isolation) {
    case WriteIsolation::kSerializable:
      return "BEGIN ISOLATION LEVEL SERIALIZABLE";
    case WriteIsolation::kReadCommitted:
      return "BEGIN ISOLATION LEVEL READ COMMITTED";
  }
  return "BEGIN ISOLATION LEVEL SERIALIZABLE";
}

// Runs `body` between `begin` and COMMIT, rolling back when the body or the
// commit fails.
// Runs `body` in a transaction opened by `begin`, committed when it returns
// OK (`read_only`: without waiting for the COMMIT's answer), rolled back
// otherwise.
absl::Status RunTransaction(Connection& connection, const std::string& begin, bool read_only,
                            const std::function<absl::Status(Transaction&)>& body) {
  connection.Begin(begin);
  PostgresTransaction transaction(connection);
  absl::Status status = body(transaction);
  // A statement that failed inside the body aborts the whole transaction on
  // PostgreSQL even when the body carried on: COMMIT would only roll back.
  if (status.ok() && connection.InFailedTransaction()) {
    status = absl::InternalError("a statement failed inside a transaction whose body succeeded");
  }
  if (status.ok()) {
    status = read_only ? connection.CommitReadOnly() : connection.Commit();
    if (status.ok()) return status;
  }
  connection.Rollback().IgnoreError();
  return status;
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string conninfo, int pool_size, std::unique_ptr<Connection> first)
      : conninfo_(std::move(conninfo)), pool_size_(pool_size) {
    idle_.push_back(std::move(first));
    open_ = 1;
  }

  absl::StatusOr<int> ApplyMigrations(absl::Span<const Migration> migrations) override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire());
    absl::StatusOr<int> applied = ApplyMigrationsOn(*connection, migrations);
    // The lock is the session's: let it go even when a migration failed.
    connection->Script(absl::StrCat("SELECT pg_advisory_unlock(", kMigrationLockKey, ")"))
        .IgnoreError();
    Release(std::move(connection));
    return applied;
  }

  using Database::Write;

  absl::Status Write(WriteIsolation isolation,
                     const std::function<absl::Status(Transaction&)>& body) override {
    std::optional<std::minstd_rand> jitter;  // seeded on the first retry only
    const absl::Time give_up = absl::Now() + kWriteContentionBudget;
    absl::Status status;
    int constraint_races = 0;
    for (int attempt = 0;; ++attempt) {
      ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire());
      connection->ClearErrors();
      status = RunTransaction(*connection, BeginWrite(isolation), /*read_only=*/false, body);
      const bool lost_race = LostConstraintRace(connection->broken_constraint()) &&
                             ++constraint_races < kMaxConstraintRaces;
      Release(std::move(connection));
      if (!IsContention(status) && !lost_race) return status;
      if (absl::Now() >= give_up) break;
      const int64_t ceiling_us = int64_t{200} << std::min(attempt, kMaxBackoffDoublings);
      if (!jitter.has_value()) jitter.emplace(std::random_device{}());
      absl::SleepFor(
          absl::Microseconds(std::uniform_int_distribution<int64_t>(0, ceiling_us)(*jitter)));
    }
    return WithMessage(
        status, absl::StatusCode::kUnavailable,
        absl::StrCat("the database kept refusing the write for contention: ", status.message()));
  }

  absl::Status Read(const std::function<absl::Status(Transaction&)>& body) override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire());
    absl::Status status =
        RunTransaction(*connection, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                       /*read_only=*/true, body);
    Release(std::move(connection));
    return status;
  }

  // The query alone, in its own snapshot: no BEGIN, no COMMIT.
  absl::Status ReadOneQuery(const std::function<absl::Status(Transaction&)>& body) override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire());
    PostgresTransaction transaction(*connection);
    OneQueryTransaction one_query(transaction);
    absl::Status status = body(one_query);
    Release(std::move(connection));
    return status;
  }

  absl::Status Ping() override {
    return ReadOneQuery([](Transaction& tx) { return tx.Query("SELECT 1").status(); });
  }

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }

  // A connection of its own, outside the pool: it sits in LISTEN for ever.
  std::unique_ptr<NotificationListener> ListenForNotifications(
      const std::string& channel, std::function<void()> on_notice) override {
    return std::make_unique<PostgresListener>(conninfo_, channel, std::move(on_notice));
  }

 private:
  absl::StatusOr<int> ApplyMigrationsOn(Connection& connection,
                                        absl::Span<const Migration> migrations) {
    RETURN_IF_ERROR(
        connection.Script(absl::StrCat("SELECT pg_advisory_lock(", kMigrationLockKey, ")")));
    RETURN_IF_ERROR(connection.Script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version BIGINT PRIMARY KEY, description TEXT NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"));
    int applied = 0;
    for (const Migration& migration : migrations) {
      bool did_apply = false;
      RETURN_IF_ERROR(RunTransaction(connection, "BEGIN", /*read_only=*/false,
                                     [&](Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(did_apply,
                         ApplyMigrationOnce(tx, migration, [&](const std::string& sql) {
                           return connection.Script(sql);
                         }));
        return absl::OkStatus();
      }));
      if (did_apply) ++applied;
    }
    return applied;
  }

  // An idle connection, a new one while the pool is not full, or else the
  // first one released.
  absl::StatusOr<std::unique_ptr<Connection>> Acquire() {
    {
      absl::MutexLock lock(&mu_);
      const auto available = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < pool_size_;
      };
      if (!mu_.AwaitWithTimeout(absl::Condition(&available), kPoolWait)) {
        return absl::UnavailableError(absl::StrCat(
            "all ", pool_size_, " database connections stayed busy for ", absl::FormatDuration(kPoolWait)));
      }
      if (!idle_.empty()) {
        std::unique_ptr<Connection> connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
      ++open_;
    }
    absl::StatusOr<std::unique_ptr<Connection>> connection = Connection::Open(conninfo_);
    if (!connection.ok()) {
      absl::MutexLock lock(&mu_);
      --open_;
    }
    return connection;
  }

  // Keeps a healthy connection for the next call; closes one that lost its
  // server or is stuck in a transaction, so the next call opens a new one.
  void Release(std::unique_ptr<Connection> connection) {
    const bool healthy = connection->Healthy();
    if (!healthy) connection.reset();
    absl::MutexLock lock(&mu_);
    if (healthy) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }

  const std::string conninfo_;
  const int pool_size_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle and in use
};

}  // namespace

std::string PostgresDdl(absl::string_view sqlite_ddl) {
  static constexpr std::pair<absl::string_view, absl::string_view> kRenames[] = {
      // Longest first: the rowid forms before the plain type.
      {"INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
      {"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
      {"INTEGER", "BIGINT"},
      {"BLOB", "BYTEA"},
  };
  const auto is_word = [](char c) { return absl::ascii_isalnum(c) || c == '_'; };
  std::string out;
  size_t i = 0;
  while (i < sqlite_ddl.size()) {
    bool renamed = false;
    if (i == 0 || !is_word(sqlite_ddl[i - 1])) {
      for (const auto& [from, to] : kRenames) {
        const size_t end = i + from.size();
        if (sqlite_ddl.substr(i, from.size()) == from &&
            (end == sqlite_ddl.size() || !is_word(sqlite_ddl[end]))) {
          out.append(to.data(), to.size());
          i = end;
          renamed = true;
          break;
        }
      }
    }
    if (!renamed) out.push_back(sqlite_ddl[i++]);
  }
  return out;
}

std::string NumberPlaceholders(absl::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int number = 0;
  size_t i = 0;
  // Copies a quoted run ('…' or "…", a doubled quote inside it) whole.
  const auto copy_quoted = [&](char quote) {
    out.push_back(sql[i++]);
    while (i < sql.size()) {
      const char c = sql[i++];
      out.push_back(c);
      if (c == quote) {
        if (i < sql.size() && sql[i] == quote) {
          out.push_back(sql[i++]);
        } else {
          return;
        }
      }
    }
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_quoted(c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      const size_t stop = end == absl::string_view::npos ? sql.size() : end;
      absl::StrAppend(&out, sql.substr(i, stop - i));
      i = stop;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t end = sql.find("*/", i + 2);
      const size_t stop = end == absl::string_view::npos ? sql.size() : end + 2;
      absl::StrAppend(&out, sql.substr(i, stop - i));
      i = stop;
    } else if (c == '?') {
      // `?NNN` names its parameter, as SQLite reads it; a bare `?` is the
      // one after the highest so far.
      size_t digits_end = i + 1;
      while (digits_end < sql.size() && absl::ascii_isdigit(sql[digits_end])) ++digits_end;
      int named = 0;
      if (digits_end > i + 1 && absl::SimpleAtoi(sql.substr(i + 1, digits_end - i - 1), &named)) {
        absl::StrAppend(&out, "$", named);
        number = std::max(number, named);
      } else {
        absl::StrAppend(&out, "$", ++number);
      }
      i = digits_end;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  if (count != nullptr) *count = number;
  return out;
}

absl::StatusOr<std::unique_ptr<Database>> OpenPostgresDatabase(absl::string_view url) {
  // Take Summit's own parameter out of the query; libpq gets the rest.
  int pool_size = kDefaultPoolSize;
  std::pair<absl::string_view, absl::string_view> base_and_query =
      absl::StrSplit(url, absl::MaxSplits('?', 1));
  std::vector<std::string> kept;
  if (!base_and_query.second.empty()) {
    for (absl::string_view parameter : absl::StrSplit(base_and_query.second, '&')) {
      if (absl::ConsumePrefix(&parameter, "pool_size=")) {
        if (!absl::SimpleAtoi(parameter, &pool_size) || pool_size < 1 || pool_size > kMaxPoolSize) {
          return absl::InvalidArgumentError(
              absl::StrCat("pool_size in a postgres:// URL must be 1 to ", kMaxPoolSize));
        }
      } else if (!parameter.empty()) {
        kept.emplace_back(parameter);
      }
    }
  }
  std::string conninfo(base_and_query.first);
  if (!kept.empty()) absl::StrAppend(&conninfo, "?", absl::StrJoin(kept, "&"));
  // A URL libpq cannot read is a mistake to report now, not a server to
  // wait for.
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    const std::string reason = TrimmedMessage(parse_error != nullptr ? parse_error : "unreadable");
    PQfreemem(parse_error);
    return absl::InvalidArgumentError(absl::StrCat("bad postgres:// URL: ", reason));
  }
  PQconninfoFree(parsed);
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> first, Connection::Open(conninfo));
  return std::make_unique<PostgresDatabase>(std::move(conninfo), pool_size, std::move(first));
}

}  // namespace summit::storage
