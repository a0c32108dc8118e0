#include "common/storage/sqlite_database.h"

#include <sqlite3.h>

#include <deque>
#include <filesystem>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/connection_transaction.h"
#include "common/storage/wal_flusher.h"

namespace summit::storage {
namespace {

constexpr int kMaxWriteAttempts = 8;
constexpr int kMaxIdleReaders = 8;
// The most writes one group commit takes: enough for every writer a busy
// service has waiting, few enough that one transaction stays short.
constexpr size_t kMaxGroup = 256;

// Reads go through a memory map of the file, up to this many bytes of it
// (address space, not memory: the pages are the kernel's page cache, shared
// by every connection and reclaimable; what lies beyond is read as before).
// Without it every page SQLite's own small cache misses is a pread system
// call and a copy, which was most of a full-text search's CPU (a search
// touches hundreds of index pages; bench/RESULTS.md).
constexpr char kMapForReads[] = "PRAGMA mmap_size=1073741824;";

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view doing,
                         absl::string_view sql = {}) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string text = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!sql.empty()) absl::StrAppend(&text, " in: ", sql);
  absl::StatusCode code = absl::StatusCode::kInternal;
  if (extended == SQLITE_CONSTRAINT_PRIMARYKEY || extended == SQLITE_CONSTRAINT_UNIQUE) {
    code = absl::StatusCode::kAlreadyExists;
  } else {
    switch (rc & 0xff) {
      case SQLITE_CONSTRAINT:
        code = absl::StatusCode::kFailedPrecondition;
        break;
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        code = absl::StatusCode::kAborted;
        break;
      case SQLITE_IOERR:
      case SQLITE_FULL:
      case SQLITE_CANTOPEN:
      case SQLITE_READONLY:
        code = absl::StatusCode::kUnavailable;
        break;
      default:
        break;
    }
  }
  return DatabaseError(code, doing, text);
}

// One open connection with its cache of prepared statements.
class Connection {
 public:
  // `synchronous`: SQLite's level for the commits made on this connection,
  // FULL, NORMAL (with a WalFlusher) or OFF.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                          bool read_only,
                                                          absl::string_view synchronous = "FULL") {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    auto connection = std::unique_ptr<Connection>(new Connection(db));
    if (rc != SQLITE_OK) return SqliteError(db, rc, "opening the database", path);
    sqlite3_extended_result_codes(db, 1);
    // WAL lets readers run beside the writer; FULL makes each commit durable
    // before it returns (NORMAL leaves that to a WalFlusher); busy_timeout
    // covers another process (a migration run by a second replica on the
    // same file).
    // busy_timeout first: switching a new file to WAL takes a lock that
    // another process opening it at the same moment must wait for.
    RETURN_IF_ERROR(connection->Script("PRAGMA busy_timeout=5000;"));
    // Switching a file to WAL can still find it busy without the busy
    // handler being asked (SQLite skips it where waiting could deadlock), so
    // the switch is retried for a while, as a busy handler would.
    absl::Status wal = connection->Script("PRAGMA journal_mode=WAL;");
    for (int attempt = 0; absl::IsAborted(wal) && attempt < 100; ++attempt) {
      absl::SleepFor(absl::Milliseconds(10));
      wal = connection->Script("PRAGMA journal_mode=WAL;");
    }
    RETURN_IF_ERROR(wal);
    RETURN_IF_ERROR(connection->Script(absl::StrCat("PRAGMA synchronous=", synchronous, ";")));
    RETURN_IF_ERROR(connection->Script("PRAGMA foreign_keys=ON;"));
    RETURN_IF_ERROR(connection->Script(kMapForReads));
    // A reader that tried to write would commit outside the writer's lock
    // and retry loop; make that impossible rather than merely undocumented.
    if (read_only) RETURN_IF_ERROR(connection->Script("PRAGMA query_only=ON;"));
    return connection;
  }

  ~Connection() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
  }

  // False once SQLite has ended the transaction itself (some errors roll back
  // automatically) or it was never begun.
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // Calls `hook(arg, db, "main", pages)` after each commit, with the WAL's
  // size in pages; and stops SQLite's own checkpoints after commits, which
  // use the same hook.
  void OnCommitToWal(int (*hook)(void*, sqlite3*, const char*, int), void* arg) {
    sqlite3_wal_hook(db_, hook, arg);
  }

  // Copies what it can of the WAL into the database without waiting for
  // readers or the writer (SQLITE_CHECKPOINT_PASSIVE).
  absl::Status Checkpoint() {
    const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                             nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "checkpointing the WAL");
    return absl::OkStatus();
  }

  absl::Status Script(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "running SQL");
    return absl::OkStatus();
  }

  // Transaction::ExecuteLater: at once, there being no round trip to save.
  absl::Status RunLater(absl::string_view sql, absl::Span<const SqlValue> params) {
    return Run(sql, params, nullptr).status();
  }

  // Runs one statement, returning its rows (if `rows`) and the changes made.
  absl::StatusOr<int64_t> Run(absl::string_view sql, absl::Span<const SqlValue> params,
                              std::vector<Row>* rows) {
    ASSIGN_OR_RETURN(sqlite3_stmt * statement, Prepare(sql));
    // Reset even on early return so the cached statement is reusable and
    // holds no read lock.
    struct Resetter {
      sqlite3_stmt* statement;
      ~Resetter() {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
      }
    } resetter{statement};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(statement)) {
      return absl::InternalError(absl::StrCat("statement has ",
                                              sqlite3_bind_parameter_count(statement),
                                              " parameters, given ", params.size(), ": ", sql));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      RETURN_IF_ERROR(Bind(statement, static_cast<int>(i) + 1, params[i]));
    }
    while (true) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, "running a statement");
      if (rows != nullptr) rows->push_back(ReadRow(statement));
    }
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "preparing a statement", sql);
    if (!absl::StripAsciiWhitespace(absl::string_view(tail, sql.data() + sql.size() - tail))
             .empty()) {
      // SQLite would silently ignore what follows the first statement.
      sqlite3_finalize(statement);
      return absl::InternalError(absl::StrCat("one statement per call, given: ", sql));
    }
    if (statement == nullptr) return absl::InternalError("no SQL statement given");
    statements_.emplace(std::string(sql), statement);
    return statement;
  }

  absl::Status Bind(sqlite3_stmt* statement, int index, const SqlValue& value) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) {
      rc = sqlite3_bind_null(statement, index);
    } else if (const auto* integer = std::get_if<int64_t>(&value)) {
      rc = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(statement, index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      rc = sqlite3_bind_text64(statement, index, text->data(), text->size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
    } else {
      const std::string& bytes = std::get<Blob>(value).bytes;
      rc = sqlite3_bind_blob64(statement, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "binding a parameter");
    return absl::OkStatus();
  }

  static Row ReadRow(sqlite3_stmt* statement) {
    const int columns = sqlite3_column_count(statement);
    std::vector<SqlValue> values;
    values.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(statement, c)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(statement, c));
          break;
        case SQLITE_NULL:
          values.emplace_back(nullptr);
          break;
        default: {
          const void* data = sqlite3_column_blob(statement, c);
          const int size = sqlite3_column_bytes(statement, c);
          values.emplace_back(std::string(static_cast<const char*>(data), size));
        }
      }
    }
    return Row(std::move(values));
  }

  sqlite3* db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements_;
};

using SqliteTransaction = ConnectionTransaction<Connection, SqlDialect::kSqlite>;

// Runs `body` between `begin` and COMMIT on `connection`, rolling back when
// the body or the commit fails. The transaction statements go through the
// statement cache like any other: re-parsing them on every call would cost
// more than a small read itself. A `flusher` numbers the COMMIT; making it
// durable is then the caller's (WalFlusher::WaitFlushed).
absl::Status RunTransaction(Connection& connection, const char* begin,
                            const std::function<absl::Status(Transaction&)>& body,
                            WalFlusher* flusher = nullptr) {
  RETURN_IF_ERROR(connection.Run(begin, {}, nullptr).status());
  SqliteTransaction transaction(connection);
  absl::Status status = body(transaction);
  if (status.ok()) {
    const int64_t commit = flusher != nullptr ? flusher->Committing() : 0;
    status = connection.Run("COMMIT", {}, nullptr).status();
    if (flusher != nullptr) flusher->Committed(commit);
  }
  if (!status.ok() && connection.InTransaction()) {
    connection.Run("ROLLBACK", {}, nullptr).IgnoreError();
  }
  return status;
}

// One Write waiting in the queue of a group commit; it lives on its caller's
// stack. The leader sets `status`, then `done` (under the queue's lock).
struct PendingWrite {
  explicit PendingWrite(const std::function<absl::Status(Transaction&)>& body) : body(&body) {}

  const std::function<absl::Status(Transaction&)>* body;
  absl::Status status;
  bool done = false;
};

// What RunGroupTransaction returns when the group cannot commit as one; no
// caller ever sees it.
absl::Status GroupBroken() { return absl::CancelledError("the group cannot commit as one"); }

// One attempt at committing `group` in one transaction (one fsync): each body
// runs in a savepoint of its own, after the ones before it, exactly as if the
// writes had come one by one; a body that fails undoes only its own changes.
// Returns OK once committed (each write's status then set), contention to try
// again, or GroupBroken() when the group cannot commit as one (a body broke
// the transaction, COMMIT failed): then nothing of it is committed.
absl::Status RunGroupTransaction(Connection& connection, absl::Span<PendingWrite* const> group,
                                 WalFlusher* flusher) {
  // Stores use no savepoints, so no body can release or roll back this one.
  constexpr char kSavepoint[] = "SAVEPOINT summit_group_write";
  constexpr char kRelease[] = "RELEASE summit_group_write";
  constexpr char kRollbackTo[] = "ROLLBACK TO summit_group_write";
  const absl::Status status =
      RunTransaction(connection, "BEGIN IMMEDIATE", [&](Transaction& tx) -> absl::Status {
        for (PendingWrite* write : group) {
          RETURN_IF_ERROR(tx.Execute(kSavepoint).status());
          write->status = (*write->body)(tx);
          // Alone, a write refused for contention is retried; and when SQLite
          // has rolled the whole transaction back itself (an I/O error, ON
          // CONFLICT ROLLBACK), the bodies before this one went with it.
          if (IsContention(write->status) || !connection.InTransaction()) return GroupBroken();
          if (!write->status.ok()) RETURN_IF_ERROR(tx.Execute(kRollbackTo).status());
          RETURN_IF_ERROR(tx.Execute(kRelease).status());
        }
        return absl::OkStatus();
      }, flusher);
  // A deferred foreign key a body left dangling fails COMMIT for the group.
  if (!status.ok() && !IsContention(status)) return GroupBroken();
  return status;
}

// Checkpoints the WAL on a connection and thread of its own once it has
// grown past kCheckpointPages, instead of in the COMMIT that crossed the mark
// (SQLite's default): a checkpoint syncs the WAL and the database, and done
// by the writer it would hold every group queued behind it for two flushes
// of up to megabytes. With synchronous=NORMAL a checkpoint syncs the WAL
// before copying it and the database after, so what it leaves is as durable
// as before; the writer goes on appending meanwhile.
class WalCheckpointer {
 public:
  // SQLite's own threshold (wal_autocheckpoint's default).
  static constexpr int kCheckpointPages = 1000;

  explicit WalCheckpointer(std::unique_ptr<Connection> connection)
      : connection_(std::move(connection)), thread_([this] { Run(); }) {}
  ~WalCheckpointer() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    thread_.join();
  }

  // A wal_hook: asks for a checkpoint once the WAL holds kCheckpointPages.
  static int AfterCommit(void* self, sqlite3*, const char*, int pages) {
    if (pages >= kCheckpointPages) {
      auto* checkpointer = static_cast<WalCheckpointer*>(self);
      absl::MutexLock lock(&checkpointer->mu_);
      checkpointer->requested_ = true;
    }
    return SQLITE_OK;
  }

 private:
  void Run() {
    absl::MutexLock lock(&mu_);
    const auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return requested_ || stopping_;
    };
    while (true) {
      mu_.Await(absl::Condition(&woken));
      if (stopping_) return;
      requested_ = false;
      mu_.Unlock();
      // Busy (another checkpoint, another process): the next commit asks again.
      connection_->Checkpoint().IgnoreError();
      mu_.Lock();
    }
  }

  const std::unique_ptr<Connection> connection_;  // used by the thread only
  absl::Mutex mu_;
  bool requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const SqliteOptions& options,
                 std::unique_ptr<Connection> writer, std::unique_ptr<WalFlusher> flusher,
                 std::unique_ptr<WalCheckpointer> checkpointer)
      : path_(std::move(path)),
        group_commit_(options.group_commit),
        flusher_(std::move(flusher)),
        checkpointer_(std::move(checkpointer)),
        writer_(std::move(writer)) {
    if (checkpointer_ != nullptr) {
      writer_->OnCommitToWal(&WalCheckpointer::AfterCommit, checkpointer_.get());
    }
  }

  absl::StatusOr<int> ApplyMigrations(absl::Span<const Migration> migrations) override {
    int applied = 0;
    RETURN_IF_ERROR(Write([](Transaction& tx) {
      return tx.Execute(
                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                   " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
          .status();
    }));
    for (const Migration& migration : migrations) {
      // Holding the writer keeps a group commit from interleaving.
      absl::MutexLock lock(&write_mu_);
      bool did_apply = false;
      RETURN_IF_ERROR(RunTransaction(*writer_, "BEGIN IMMEDIATE", [&](Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(did_apply,
                         ApplyMigrationOnce(tx, migration, [&](const std::string& sql) {
                           return writer_->Script(sql);
                         }));
        return absl::OkStatus();
      }, flusher_.get()));
      if (did_apply) ++applied;
    }
    if (flusher_ != nullptr) RETURN_IF_ERROR(flusher_->WaitFlushed(flusher_->last_committing()));
    return applied;
  }

  using Database::Write;

  // With group commit, concurrent writers share transactions and fsyncs: each
  // queues its write; one of them at a time, the leader, takes the queue and
  // commits it as a group (RunGroupTransaction), hands over to a writer
  // still waiting, and only then waits for the group's commit to be flushed
  // (WalFlusher), so that the next group runs while this one's flush is on
  // its way. Without it, every write commits alone. Either way writes run one
  // at a time, as if alone, which serves every WriteIsolation.
  absl::Status Write(WriteIsolation /*isolation*/,
                     const std::function<absl::Status(Transaction&)>& body) override {
    if (!group_commit_) return WriteAlone(body);
    PendingWrite mine(body);
    absl::MutexLock lock(&queue_mu_);
    queue_.push_back(&mine);
    while (true) {
      // A write not done is queued, in the leader's group, or in a group
      // committed and waiting for its flush. Queued writes with no leader:
      // any waiting writer leads, whether its own write is among them or
      // not, so that the queue always moves.
      const auto done_or_leaderless = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
        return mine.done || (!leading_ && !queue_.empty());
      };
      queue_mu_.Await(absl::Condition(&done_or_leaderless));
      if (mine.done) return mine.status;
      // Lead: commit what is queued (`mine` with it, unless the queue was
      // longer than a group or `mine` waits for its flush: then go on
      // waiting, or lead again).
      leading_ = true;
      std::vector<PendingWrite*> group;
      while (!queue_.empty() && group.size() < kMaxGroup) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
      queue_mu_.Unlock();
      CommitGroup(group);
      // Still the only writer: the group's commits are the last ones begun.
      const int64_t committed = flusher_ != nullptr ? flusher_->last_committing() : 0;
      queue_mu_.Lock();
      leading_ = false;
      if (flusher_ != nullptr) {
        queue_mu_.Unlock();
        const absl::Status flushed = flusher_->WaitFlushed(committed);
        queue_mu_.Lock();
        // Not on disk, not acknowledged: whether it will be after a crash
        // is unknown, which is what UNAVAILABLE tells.
        if (!flushed.ok()) {
          for (PendingWrite* write : group) write->status = flushed;
        }
      }
      for (PendingWrite* write : group) write->done = true;
    }
  }

  absl::Status Read(const std::function<absl::Status(Transaction&)>& body) override {
    if (path_ == ":memory:") {
      // A private in-memory database exists on one connection only.
      absl::MutexLock lock(&write_mu_);
      RETURN_IF_ERROR(writer_->Script("PRAGMA query_only=ON;"));
      absl::Status status = RunTransaction(*writer_, "BEGIN", body);
      RETURN_IF_ERROR(writer_->Script("PRAGMA query_only=OFF;"));
      return status;
    }
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader, AcquireReader());
    absl::Status status = RunTransaction(*reader, "BEGIN", body);
    ReleaseReader(std::move(reader));
    // The snapshot may hold commits not flushed yet: what the body read is
    // told to no one before they are on disk.
    if (flusher_ != nullptr) RETURN_IF_ERROR(flusher_->WaitForVisible());
    return status;
  }

  // A BEGIN on SQLite costs no round trip: the query runs in a transaction
  // like any read.
  absl::Status ReadOneQuery(const std::function<absl::Status(Transaction&)>& body) override {
    return Read([&](Transaction& tx) {
      OneQueryTransaction one_query(tx);
      return body(one_query);
    });
  }

  absl::Status Ping() override {
    return Read([](Transaction& tx) { return tx.Query("SELECT 1").status(); });
  }

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }

 private:
  // Runs `transaction` on the writer until the database stops refusing it for
  // contention (another process writing), a few times, backing off between
  // attempts without holding the writer.
  absl::Status RetryWhileBusy(absl::FunctionRef<absl::Status(Connection&)> transaction) {
    absl::Status status;
    for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
      {
        absl::MutexLock lock(&write_mu_);
        status = transaction(*writer_);
      }
      if (!IsContention(status)) return status;
      absl::SleepFor(absl::Milliseconds(5 << attempt));
    }
    return WithMessage(status, absl::StatusCode::kUnavailable,
                       absl::StrCat("the database stayed busy: ", status.message()));
  }

  // With a flusher, the commit is durable only once flushed (Write's part).
  absl::Status WriteAlone(const std::function<absl::Status(Transaction&)>& body) {
    return RetryWhileBusy([&](Connection& writer) {
      return RunTransaction(writer, "BEGIN IMMEDIATE", body, flusher_.get());
    });
  }

  // Commits `group` as one transaction and sets each write's status. When the
  // group cannot commit as one, each write is committed alone instead: no
  // write is acknowledged unless its own effects were committed, and no write
  // fails for another's fault.
  void CommitGroup(absl::Span<PendingWrite* const> group) {
    if (group.size() == 1) {  // nothing to share: spare the savepoint
      group[0]->status = WriteAlone(*group[0]->body);
      return;
    }
    const absl::Status status = RetryWhileBusy(
        [&](Connection& writer) { return RunGroupTransaction(writer, group, flusher_.get()); });
    if (status.ok()) return;
    for (PendingWrite* write : group) {
      // Otherwise the database stayed busy, as it would have for each alone.
      write->status = absl::IsCancelled(status) ? WriteAlone(*write->body) : status;
    }
  }

  absl::StatusOr<std::unique_ptr<Connection>> AcquireReader() {
    {
      absl::MutexLock lock(&readers_mu_);
      if (!idle_readers_.empty()) {
        std::unique_ptr<Connection> reader = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return reader;
      }
    }
    return Connection::Open(path_, /*read_only=*/true);
  }

  void ReleaseReader(std::unique_ptr<Connection> reader) {
    absl::MutexLock lock(&readers_mu_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
  }

  const std::string path_;
  const bool group_commit_;
  // Flushes the group commits, outside the writer's lock; none when SQLite
  // flushes each commit itself (group_commit=off), when nothing is flushed
  // (synchronous=off) and in memory.
  const std::unique_ptr<WalFlusher> flusher_;
  // With the flusher: the WAL's checkpoints, off the writer's path.
  const std::unique_ptr<WalCheckpointer> checkpointer_;
  // Writes waiting for a group commit, and whether a writer leads one now.
  // Never held together with write_mu_.
  absl::Mutex queue_mu_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool leading_ ABSL_GUARDED_BY(queue_mu_) = false;
  // The one connection that writes; whoever holds write_mu_ uses it: a
  // group's leader, a migration, a Read of an in-memory database.
  absl::Mutex write_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_ ABSL_GUARDED_BY(readers_mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path,
                                                             const SqliteOptions& options) {
  if (path != ":memory:") {
    std::error_code error;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot create the folder of ", path, ": ", error.message()));
    }
  }
  // Group commits are flushed by a WalFlusher, outside the writer's lock;
  // commits alone by SQLite (FULL), as they always were.
  const bool flushed_by_summit = options.synchronous && options.group_commit && path != ":memory:";
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                   Connection::Open(path, /*read_only=*/false,
                                    !options.synchronous ? "OFF"
                                    : flushed_by_summit  ? "NORMAL"
                                                         : "FULL"));
  std::unique_ptr<WalCheckpointer> checkpointer;
  if (flushed_by_summit) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                     Connection::Open(path, /*read_only=*/false, "NORMAL"));
    checkpointer = std::make_unique<WalCheckpointer>(std::move(connection));
  }
  return std::make_unique<SqliteDatabase>(
      path, options, std::move(writer),
      flushed_by_summit ? std::make_unique<WalFlusher>(path + "-wal") : nullptr,
      std::move(checkpointer));
}

}  // namespace summit::storage
