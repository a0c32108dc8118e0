// Tests of Database on its embedded backend, SQLite, against real files in a
// temporary folder: opening by URL, migrations, transactions, error codes,
// parameter binding, concurrency inside a process and across processes, group
// commit, and durability when a writer process is killed mid-transaction.
#include "common/storage/database.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/error.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::storage {
namespace {

using ::summit::testing::IsOk;
using ::summit::testing::StatusIs;
using ::testing::HasSubstr;

// absl::StatusOr<T> that is OK and holds `expected` (Abseil 20220623 ships no
// such matcher; status_matchers.h has StatusIs and IsOk only).
MATCHER_P(IsOkAndHolds, expected, "is OK and holds " + ::testing::PrintToString(expected)) {
  if (!arg.ok()) {
    *result_listener << "which is " << arg.status();
    return false;
  }
  *result_listener << "which holds " << ::testing::PrintToString(*arg);
  return *arg == expected;
}

// The schema the tests use, in summit words: delegations and their members,
// a counter, a table of loosely typed values, and a journal for the crash test.
const std::vector<Migration>& Migrations() {
  static const auto* const kMigrations = new std::vector<Migration>{
      {1, "delegations",
       "CREATE TABLE delegations (id TEXT PRIMARY KEY, country TEXT NOT NULL UNIQUE)"},
      {2, "people",
       "CREATE TABLE people (id TEXT PRIMARY KEY,"
       " delegation TEXT REFERENCES delegations(id),"
       " display_name TEXT NOT NULL)"},
      {3, "counters and values",
       "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
       "INSERT INTO counters (name, value) VALUES ('calls', 0);"
       "CREATE TABLE typed_values (id INTEGER PRIMARY KEY, value)"},  // no affinity
      {4, "journal",
       "CREATE TABLE journal (id INTEGER PRIMARY KEY, batch TEXT NOT NULL, payload BLOB)"},
  };
  return *kMigrations;
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir_template = ::testing::TempDir();
    if (dir_template.empty() || dir_template.back() != '/') dir_template += '/';
    dir_template += "summit_sqlite_XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template.data()), nullptr) << "mkdtemp " << dir_template;
    dir_ = dir_template;
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // sqlite:///<temp dir>/<relative path>
  std::string Url(const std::string& relative_path) const {
    return absl::StrCat("sqlite://", dir_, "/", relative_path);
  }

  // Opens `relative_path` and applies Migrations(), failing the test otherwise.
  std::unique_ptr<Database> OpenMigrated(const std::string& relative_path) {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(Url(relative_path));
    EXPECT_OK(db.status());
    if (!db.ok()) return nullptr;
    absl::StatusOr<int> applied = (*db)->ApplyMigrations(Migrations());
    EXPECT_OK(applied.status());
    return *std::move(db);
  }

  std::string dir_;
};

// One integer a query returns (COUNT(*), a value), read in its own Read.
absl::StatusOr<int64_t> QueryInt(Database& db, const std::string& sql,
                                 std::vector<SqlValue> params = {}) {
  int64_t result = 0;
  absl::Status status = db.Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
    if (rows.size() != 1 || rows[0].size() < 1) {
      return absl::InternalError(absl::StrCat("expected one row from ", sql));
    }
    result = rows[0].Int(0);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::Status InsertDelegation(Transaction& tx, const std::string& id, const std::string& country) {
  return tx.Execute("INSERT INTO delegations (id, country) VALUES (?, ?)", {id, country}).status();
}

// --- Opening --------------------------------------------------------------

TEST_F(SqliteDatabaseTest, OpensAFileAndCreatesItsFolders) {
  const std::filesystem::path file = std::filesystem::path(dir_) / "nested/folders/registry.db";
  ASSERT_FALSE(std::filesystem::exists(file.parent_path()));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(Url("nested/folders/registry.db")));
  EXPECT_OK(db->Ping());
  EXPECT_TRUE(std::filesystem::exists(file));
}

TEST_F(SqliteDatabaseTest, UsesWriteAheadLogging) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(Url("wal.db")));
  std::string mode;
  ASSERT_OK(db->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query("PRAGMA journal_mode"));
    mode = rows.at(0).Text(0);
    return absl::OkStatus();
  }));
  EXPECT_EQ(mode, "wal");
}

TEST_F(SqliteDatabaseTest, InMemoryDatabaseWorks) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open("sqlite://:memory:"));
  ASSERT_OK_AND_ASSIGN(int applied, db->ApplyMigrations(Migrations()));
  EXPECT_EQ(applied, 4);
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(1));
}

TEST(DatabaseUrlTest, RejectsUrlsItCannotOpen) {
  EXPECT_THAT(Database::Open("mysql://x"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Database::Open("sqlite://"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Database::Open(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Database::Open("/var/lib/summit/registry.db"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Database::Open("sqlite:/registry.db"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Database::Open("SQLITE:///registry.db"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SqliteDatabaseTest, UnopenablePathIsAnErrorNotACrash) {
  // A regular file where a folder should be.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(Url("plain-file")));
  db.reset();
  absl::StatusOr<std::unique_ptr<Database>> nested = Database::Open(Url("plain-file/inner.db"));
  EXPECT_FALSE(nested.ok());
}

// --- Migrations -----------------------------------------------------------

TEST_F(SqliteDatabaseTest, MigrationsApplyOnceAndDataSurvivesReopening) {
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(Url("registry.db")));
    ASSERT_OK_AND_ASSIGN(int applied, db->ApplyMigrations(Migrations()));
    EXPECT_EQ(applied, 4);
    ASSERT_OK_AND_ASSIGN(int again, db->ApplyMigrations(Migrations()));
    EXPECT_EQ(again, 0);
    ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(Url("registry.db")));
  ASSERT_OK_AND_ASSIGN(int applied, db->ApplyMigrations(Migrations()));
  EXPECT_EQ(applied, 0);
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations WHERE country = ?", {"UA"}),
              IsOkAndHolds(1));
  // Migration 3 inserted its row once, not once per ApplyMigrations.
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM counters"), IsOkAndHolds(1));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM schema_migrations"), IsOkAndHolds(4));
}

TEST_F(SqliteDatabaseTest, NewMigrationsAppliedLaterCountOnlyThemselves) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(Url("grow.db")));
  std::vector<Migration> first(Migrations().begin(), Migrations().begin() + 2);
  ASSERT_OK_AND_ASSIGN(int applied, db->ApplyMigrations(first));
  EXPECT_EQ(applied, 2);
  ASSERT_OK_AND_ASSIGN(int rest, db->ApplyMigrations(Migrations()));
  EXPECT_EQ(rest, 2);
}

TEST_F(SqliteDatabaseTest, FailedMigrationAppliesNothingOfItselfAndNamesItsVersion) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(Url("broken.db")));
  const std::vector<Migration> migrations = {
      Migrations()[0],
      {2, "half good",
       "CREATE TABLE rooms (id TEXT PRIMARY KEY);"
       "INSERT INTO rooms (id) VALUES ('plenary');"
       "INSERT INTO delegations (id, country) VALUES ('ua', 'UA');"
       "CREATE TABLEE oops (x)"},  // a typo after three good statements
      {3, "never reached", "CREATE TABLE sessions (id TEXT PRIMARY KEY)"},
  };

  absl::StatusOr<int> applied = db->ApplyMigrations(migrations);
  EXPECT_FALSE(applied.ok());
  EXPECT_THAT(applied.status().message(), HasSubstr("migration 2"));
  EXPECT_THAT(applied.status().message(), HasSubstr("half good"));

  // Version 1 committed before; nothing of version 2 and nothing after it.
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM schema_migrations"), IsOkAndHolds(1));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('rooms', 'oops', 'sessions')"),
              IsOkAndHolds(0));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(0));

  // The fixed migration applies afterwards, on the same connection.
  std::vector<Migration> fixed = migrations;
  fixed[1].sql = "CREATE TABLE rooms (id TEXT PRIMARY KEY)";
  ASSERT_OK_AND_ASSIGN(int now_applied, db->ApplyMigrations(fixed));
  EXPECT_EQ(now_applied, 2);
}

// What each of several processes racing to open a file and migrate it did.
struct RaceOutcome {
  int total_applied = 0;
  std::vector<std::string> failures;
};

// Forks `processes` children that start together (released by closing a
// pipe), each opening `url` and applying Migrations(), like replicas of a
// service starting at once against one file.
RaceOutcome RaceToMigrate(const std::string& url, int processes) {
  RaceOutcome outcome;
  int start_pipe[2];
  if (::pipe(start_pipe) != 0) {
    outcome.failures.push_back("pipe failed");
    return outcome;
  }
  std::vector<pid_t> children;
  std::fflush(nullptr);
  for (int i = 0; i < processes; ++i) {
    const pid_t child = ::fork();
    if (child == -1) {
      outcome.failures.push_back("fork failed");
      break;
    }
    if (child == 0) {
      ::close(start_pipe[1]);
      char go;
      (void)!::read(start_pipe[0], &go, 1);  // returns when the parent closes the pipe
      absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(url);
      if (!db.ok()) {
        std::fprintf(stderr, "child: open: %s\n", db.status().ToString().c_str());
        ::_exit(10);
      }
      absl::StatusOr<int> applied = (*db)->ApplyMigrations(Migrations());
      if (!applied.ok()) {
        std::fprintf(stderr, "child: migrate: %s\n", applied.status().ToString().c_str());
        ::_exit(11);
      }
      ::_exit(20 + *applied);  // how many this process applied
    }
    children.push_back(child);
  }
  ::close(start_pipe[0]);
  ::close(start_pipe[1]);  // all children start now
  for (pid_t child : children) {
    int status = 0;
    if (::waitpid(child, &status, 0) != child) {
      outcome.failures.push_back("waitpid failed");
    } else if (!WIFEXITED(status)) {
      outcome.failures.push_back(absl::StrCat("child died of signal ", WTERMSIG(status)));
    } else if (WEXITSTATUS(status) < 20) {
      outcome.failures.push_back(WEXITSTATUS(status) == 10 ? "Database::Open failed"
                                                           : "ApplyMigrations failed");
    } else {
      outcome.total_applied += WEXITSTATUS(status) - 20;
    }
  }
  return outcome;
}

TEST_F(SqliteDatabaseTest, MigrationsFromSeveralProcessesAtOnceApplyEachOnce) {
  // One replica is running (it holds the file open); several more start
  // together and migrate. (With no process holding the file, openers race
  // through WAL recovery and hit the busy_timeout bug that
  // SeveralProcessesCreatingOneFileAtOnceAllSucceed shows.)
  const std::string url = Url("race.db");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> running, Database::Open(url));
  ASSERT_OK(running->Ping());

  RaceOutcome outcome = RaceToMigrate(url, 4);

  EXPECT_THAT(outcome.failures, ::testing::IsEmpty());
  EXPECT_EQ(outcome.total_applied, 4);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(url));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM schema_migrations"), IsOkAndHolds(4));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM counters"), IsOkAndHolds(1));
}

TEST_F(SqliteDatabaseTest, SeveralProcessesCreatingOneFileAtOnceAllSucceed) {
  const std::string url = Url("fresh-race.db");

  RaceOutcome outcome = RaceToMigrate(url, 4);

  EXPECT_THAT(outcome.failures, ::testing::IsEmpty());
  EXPECT_EQ(outcome.total_applied, 4);
}

// --- Transactions ---------------------------------------------------------

TEST_F(SqliteDatabaseTest, WriteCommitsWhenTheBodyReturnsOk) {
  std::unique_ptr<Database> db = OpenMigrated("commit.db");
  ASSERT_NE(db, nullptr);
  int64_t changed = 0;
  ASSERT_OK(db->Write([&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(InsertDelegation(tx, "ua", "UA"));
    ASSIGN_OR_RETURN(changed, tx.Execute("INSERT INTO people (id, delegation, display_name) "
                                         "VALUES (?, ?, ?), (?, ?, ?)",
                                         {"umerov", "ua", "Rustem Umerov", "yermak", "ua",
                                          "Andriy Yermak"}));
    return absl::OkStatus();
  }));
  EXPECT_EQ(changed, 2);

  std::vector<std::string> names;
  ASSERT_OK(db->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Row> rows,
                     tx.Query("SELECT display_name FROM people WHERE delegation = ? ORDER BY id",
                              {"ua"}));
    for (const Row& row : rows) names.push_back(row.Text(0));
    return absl::OkStatus();
  }));
  EXPECT_THAT(names, ::testing::ElementsAre("Rustem Umerov", "Andriy Yermak"));
}

TEST_F(SqliteDatabaseTest, WriteRollsBackEverythingWhenTheBodyFails) {
  std::unique_ptr<Database> db = OpenMigrated("rollback.db");
  ASSERT_NE(db, nullptr);
  int calls = 0;
  const absl::Status refused =
      ErrorWithReason(absl::StatusCode::kFailedPrecondition, "DELEGATION_CLOSED", "closed",
                      {{"delegation", "ua"}});
  absl::Status status = db->Write([&](Transaction& tx) -> absl::Status {
    ++calls;
    RETURN_IF_ERROR(InsertDelegation(tx, "ua", "UA"));
    RETURN_IF_ERROR(tx.Execute("UPDATE counters SET value = 99").status());
    return refused;
  });
  EXPECT_EQ(status, refused);  // the body's own status, details included
  EXPECT_EQ(calls, 1);         // not retried
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(0));
  EXPECT_THAT(QueryInt(*db, "SELECT value FROM counters"), IsOkAndHolds(0));

  // The connection is usable afterwards.
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(1));
}

TEST_F(SqliteDatabaseTest, FailingStatementRollsBackTheStatementsBeforeIt) {
  std::unique_ptr<Database> db = OpenMigrated("partial.db");
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
  absl::Status status = db->Write([](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(InsertDelegation(tx, "us", "US"));
    return InsertDelegation(tx, "ua-again", "UA");  // UNIQUE(country)
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(1));
}

TEST_F(SqliteDatabaseTest, AbortedWithAReasonIsNotRetried) {
  std::unique_ptr<Database> db = OpenMigrated("etag.db");
  ASSERT_NE(db, nullptr);
  int calls = 0;
  absl::Status status = db->Write([&](Transaction& tx) -> absl::Status {
    ++calls;
    return ErrorWithReason(absl::StatusCode::kAborted, "ETAG_MISMATCH", "the person changed");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted, "the person changed"));
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
  EXPECT_EQ(calls, 1);
}

TEST_F(SqliteDatabaseTest, ReadSeesCommittedDataButNotAWriteInProgress) {
  std::unique_ptr<Database> db = OpenMigrated("isolation.db");
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));

  absl::Notification inserted, read_done;
  absl::StatusOr<int64_t> seen_during_write = absl::UnknownError("not read");
  std::thread writer([&] {
    EXPECT_OK(db->Write([&](Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(InsertDelegation(tx, "us", "US"));
      inserted.Notify();
      read_done.WaitForNotification();  // hold the transaction open
      return absl::OkStatus();
    }));
  });
  inserted.WaitForNotification();
  seen_during_write = QueryInt(*db, "SELECT COUNT(*) FROM delegations");
  read_done.Notify();
  writer.join();

  EXPECT_THAT(seen_during_write, IsOkAndHolds(1));  // the uncommitted row is invisible
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(2));
}

TEST_F(SqliteDatabaseTest, ReadPassesTheBodyStatusThrough) {
  std::unique_ptr<Database> db = OpenMigrated("read-status.db");
  ASSERT_NE(db, nullptr);
  absl::Status status = db->Read([](Transaction&) { return absl::NotFoundError("no person"); });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, "no person"));
  EXPECT_OK(db->Ping());
}

TEST_F(SqliteDatabaseTest, ReadRefusesToWrite) {
  std::unique_ptr<Database> db = OpenMigrated("read-only.db");
  ASSERT_NE(db, nullptr);
  absl::Status status =
      db->Read([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); });
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(0));
}

TEST_F(SqliteDatabaseTest, ReadOneQueryRunsOneQueryAndNothingElse) {
  std::unique_ptr<Database> db = OpenMigrated("one-query.db");
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
  std::string country;
  ASSERT_OK(db->ReadOneQuery([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query("SELECT country FROM delegations"));
    country = rows.front().Text(0);
    return absl::OkStatus();
  }));
  EXPECT_EQ(country, "UA");
  EXPECT_THAT(db->ReadOneQuery([](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Query("SELECT 1").status());
    return tx.Query("SELECT 2").status();
  }),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("second query")));
  EXPECT_THAT(db->ReadOneQuery([](Transaction& tx) { return InsertDelegation(tx, "pl", "PL"); }),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(1));
}

TEST_F(SqliteDatabaseTest, DeferredConstraintFailingAtCommitRollsBack) {
  std::unique_ptr<Database> db = OpenMigrated("deferred.db");
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->ApplyMigrations(std::vector<Migration>{
      {5, "badges",
       "CREATE TABLE badges (id TEXT PRIMARY KEY, person TEXT NOT NULL "
       "REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED)"}}).status());
  // Each statement is fine on its own; only COMMIT sees the dangling reference.
  absl::Status status = db->Write([](Transaction& tx) -> absl::Status {
    return tx.Execute("INSERT INTO badges (id, person) VALUES ('b1', 'nobody')").status();
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM badges"), IsOkAndHolds(0));
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
}

// --- Error codes ----------------------------------------------------------

TEST_F(SqliteDatabaseTest, UniqueViolationIsAlreadyExists) {
  std::unique_ptr<Database> db = OpenMigrated("unique.db");
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
  // Same primary key.
  EXPECT_THAT(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "PL"); }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // Same UNIQUE column.
  EXPECT_THAT(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ukraine", "UA"); }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // Same INTEGER PRIMARY KEY (the rowid).
  ASSERT_OK(db->Write([](Transaction& tx) {
    return tx.Execute("INSERT INTO typed_values (id, value) VALUES (7, 'x')").status();
  }));
  EXPECT_THAT(db->Write([](Transaction& tx) {
                return tx.Execute("INSERT INTO typed_values (id, value) VALUES (7, 'y')").status();
              }),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(SqliteDatabaseTest, ForeignKeyViolationIsFailedPrecondition) {
  std::unique_ptr<Database> db = OpenMigrated("foreign.db");
  ASSERT_NE(db, nullptr);
  EXPECT_THAT(db->Write([](Transaction& tx) {
                return tx.Execute("INSERT INTO people (id, delegation, display_name) "
                                  "VALUES ('umerov', 'no-such-delegation', 'Rustem Umerov')")
                    .status();
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM people"), IsOkAndHolds(0));

  // Deleting a referenced row is refused as well.
  ASSERT_OK(db->Write([](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(InsertDelegation(tx, "ua", "UA"));
    return tx.Execute("INSERT INTO people (id, delegation, display_name) "
                      "VALUES ('umerov', 'ua', 'Rustem Umerov')")
        .status();
  }));
  EXPECT_THAT(db->Write([](Transaction& tx) {
                return tx.Execute("DELETE FROM delegations WHERE id = 'ua'").status();
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(1));
}

TEST_F(SqliteDatabaseTest, NotNullViolationIsFailedPrecondition) {
  std::unique_ptr<Database> db = OpenMigrated("not-null.db");
  ASSERT_NE(db, nullptr);
  EXPECT_THAT(db->Write([](Transaction& tx) {
                return tx.Execute("INSERT INTO delegations (id, country) VALUES (?, ?)",
                                  {"ua", nullptr})
                    .status();
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(SqliteDatabaseTest, BadSqlAndWrongParameterCountAreErrorsNotCrashes) {
  std::unique_ptr<Database> db = OpenMigrated("bad-sql.db");
  ASSERT_NE(db, nullptr);
  EXPECT_FALSE(db->Read([](Transaction& tx) { return tx.Query("SELEKT 1").status(); }).ok());
  EXPECT_FALSE(db->Read([](Transaction& tx) {
                   return tx.Query("SELECT * FROM no_such_table").status();
                 }).ok());
  EXPECT_FALSE(db->Read([](Transaction& tx) {
                   return tx.Query("SELECT ? + ?", {int64_t{1}}).status();
                 }).ok());
  EXPECT_FALSE(db->Read([](Transaction& tx) {
                   return tx.Query("SELECT 1", {int64_t{1}}).status();
                 }).ok());
  EXPECT_OK(db->Ping());
}

// --- Parameters -----------------------------------------------------------

struct TypedValueCase {
  std::string label;
  SqlValue value;
  std::string sqlite_type;  // what typeof() says
};

TEST_F(SqliteDatabaseTest, ParametersOfEveryTypeRoundTrip) {
  std::unique_ptr<Database> db = OpenMigrated("types.db");
  ASSERT_NE(db, nullptr);
  const std::string text_with_nul("before\0after", 12);
  const std::string blob_bytes("\0\x01\x7f\x80\xfe\xff\0", 7);
  const std::string big_text(1 << 20, 'x');
  const std::vector<TypedValueCase> cases = {
      {"null", nullptr, "null"},
      {"int64 min", std::numeric_limits<int64_t>::min(), "integer"},
      {"int64 max", std::numeric_limits<int64_t>::max(), "integer"},
      {"zero", int64_t{0}, "integer"},
      {"minus one", int64_t{-1}, "integer"},
      {"double", 0.1, "real"},
      {"double huge", -1.7976931348623157e308, "real"},
      {"double denormal", 4.9406564584124654e-324, "real"},
      {"double integral", 2.0, "real"},
      {"double infinity", std::numeric_limits<double>::infinity(), "real"},
      {"text with NUL", text_with_nul, "text"},
      {"text empty", std::string(), "text"},
      {"text UTF-8", std::string("Зеленський · Zelenskyy · 🇺🇦"), "text"},
      {"text 1 MiB", big_text, "text"},
      {"blob with NULs", Blob{blob_bytes}, "blob"},
      {"blob empty", Blob{std::string()}, "blob"},
  };

  ASSERT_OK(db->Write([&](Transaction& tx) -> absl::Status {
    for (size_t i = 0; i < cases.size(); ++i) {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO typed_values (id, value) VALUES (?, ?)",
                                 {static_cast<int64_t>(i), cases[i].value})
                          .status());
    }
    return absl::OkStatus();
  }));

  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].label);
    std::vector<Row> rows;
    ASSERT_OK(db->Read([&](Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(rows, tx.Query("SELECT value, typeof(value), length(CAST(value AS BLOB)) "
                                      "FROM typed_values WHERE id = ?",
                                      {static_cast<int64_t>(i)}));
      return absl::OkStatus();
    }));
    ASSERT_EQ(rows.size(), 1u);
    const Row& row = rows[0];
    EXPECT_EQ(row.Text(1), cases[i].sqlite_type);
    const SqlValue& value = cases[i].value;
    if (std::holds_alternative<std::nullptr_t>(value)) {
      EXPECT_TRUE(row.IsNull(0));
      EXPECT_EQ(row.Int(0), 0);
      EXPECT_EQ(row.Text(0), "");
    } else if (const auto* integer = std::get_if<int64_t>(&value)) {
      EXPECT_FALSE(row.IsNull(0));
      EXPECT_EQ(row.Int(0), *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      EXPECT_EQ(row.Double(0), *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      EXPECT_FALSE(row.IsNull(0));
      EXPECT_EQ(row.Text(0).size(), text->size());
      EXPECT_TRUE(row.Text(0) == *text) << "bytes differ";
      EXPECT_EQ(row.Int(2), static_cast<int64_t>(text->size()));  // stored whole, NULs too
    } else {
      const std::string& bytes = std::get<Blob>(value).bytes;
      EXPECT_FALSE(row.IsNull(0));
      EXPECT_TRUE(row.Text(0) == bytes) << "bytes differ";
      EXPECT_EQ(row.Int(2), static_cast<int64_t>(bytes.size()));
    }
  }
}

TEST_F(SqliteDatabaseTest, ParametersMatchInWhereClausesExactly) {
  std::unique_ptr<Database> db = OpenMigrated("where.db");
  ASSERT_NE(db, nullptr);
  const std::string with_nul("ua\0x", 4);
  ASSERT_OK(db->Write([&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(InsertDelegation(tx, with_nul, "UA"));
    return InsertDelegation(tx, "ua", "US");
  }));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations WHERE id = ?", {with_nul}),
              IsOkAndHolds(1));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations WHERE id = ?", {"ua"}),
              IsOkAndHolds(1));
}

TEST_F(SqliteDatabaseTest, InjectionLookingValuesAreStoredLiterally) {
  std::unique_ptr<Database> db = OpenMigrated("injection.db");
  ASSERT_NE(db, nullptr);
  const std::vector<std::string> hostile = {
      "Robert'); DROP TABLE people;--",
      "' OR '1'='1",
      "\"; DELETE FROM delegations; --",
      "x'); ATTACH DATABASE 'evil.db' AS evil; --",
      "?",
      "?1 ?2 :name @name $name",
      "%s%n%x",
      "\\'; SELECT 1; --",
  };
  ASSERT_OK(db->Write([&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(InsertDelegation(tx, "ua", "UA"));
    for (size_t i = 0; i < hostile.size(); ++i) {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO people (id, delegation, display_name) VALUES (?, ?, ?)",
                                 {absl::StrCat("p", i), "ua", hostile[i]})
                          .status());
    }
    return absl::OkStatus();
  }));

  for (size_t i = 0; i < hostile.size(); ++i) {
    SCOPED_TRACE(hostile[i]);
    std::vector<Row> rows;
    ASSERT_OK(db->Read([&](Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(rows, tx.Query("SELECT id, display_name FROM people WHERE display_name = ?",
                                      {hostile[i]}));
      return absl::OkStatus();
    }));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].Text(0), absl::StrCat("p", i));
    EXPECT_EQ(rows[0].Text(1), hostile[i]);
  }
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM people"),
              IsOkAndHolds(static_cast<int64_t>(hostile.size())));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(1));
  std::vector<Row> databases;
  ASSERT_OK(db->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(databases, tx.Query("PRAGMA database_list"));
    return absl::OkStatus();
  }));
  EXPECT_EQ(databases.size(), 1u) << "something was attached";
}

TEST_F(SqliteDatabaseTest, OnlyOneStatementRunsPerExecute) {
  // SQL text is the programmer's, but a second statement in it must never
  // be silently dropped.
  std::unique_ptr<Database> db = OpenMigrated("two-statements.db");
  ASSERT_NE(db, nullptr);
  absl::Status status = db->Write([](Transaction& tx) {
    return tx.Execute("INSERT INTO delegations (id, country) VALUES ('ua', 'UA'); "
                      "INSERT INTO delegations (id, country) VALUES ('us', 'US')")
        .status();
  });
  EXPECT_FALSE(status.ok()) << "the second statement was dropped without an error";
}

// --- Concurrency ----------------------------------------------------------

TEST_F(SqliteDatabaseTest, ConcurrentWritersLoseNoIncrement) {
  std::unique_ptr<Database> db = OpenMigrated("counter.db");
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 8;
  constexpr int kIncrementsPerThread = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        // Read-modify-write on purpose: only a serialised transaction keeps it exact.
        absl::Status status = db->Write([](Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(std::vector<Row> rows,
                           tx.Query("SELECT value FROM counters WHERE name = 'calls'"));
          return tx.Execute("UPDATE counters SET value = ? WHERE name = 'calls'",
                            {rows.at(0).Int(0) + 1})
              .status();
        });
        if (!status.ok()) {
          ++failures;
          ADD_FAILURE() << status;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_THAT(QueryInt(*db, "SELECT value FROM counters WHERE name = 'calls'"),
              IsOkAndHolds(kThreads * kIncrementsPerThread));
}

TEST_F(SqliteDatabaseTest, ReadersBesideAWriterSeeConsistentSnapshots) {
  std::unique_ptr<Database> db = OpenMigrated("snapshots.db");
  ASSERT_NE(db, nullptr);
  // Two counters whose sum stays 1000: every write moves one unit across in
  // two separate statements, so a reader that saw between them would notice.
  ASSERT_OK(db->Write([](Transaction& tx) {
    return tx.Execute("INSERT INTO counters (name, value) VALUES ('left', 1000), ('right', 0)")
        .status();
  }));
  constexpr int kTransfers = 300;
  constexpr int kReaders = 3;
  constexpr int kMaxReadsPerReader = 100000;  // bound, in case the writer stalls
  std::atomic<bool> writer_done{false};
  std::atomic<int> inconsistent{0};
  std::atomic<int> reads{0};

  std::thread writer([&] {
    for (int i = 0; i < kTransfers; ++i) {
      EXPECT_OK(db->Write([](Transaction& tx) -> absl::Status {
        RETURN_IF_ERROR(
            tx.Execute("UPDATE counters SET value = value - 1 WHERE name = 'left'").status());
        return tx.Execute("UPDATE counters SET value = value + 1 WHERE name = 'right'").status();
      }));
    }
    writer_done = true;
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      int64_t last_right = 0;
      for (int i = 0; i < kMaxReadsPerReader && !writer_done; ++i) {
        int64_t left = -1, right = -1;
        absl::Status status = db->Read([&](Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(std::vector<Row> l,
                           tx.Query("SELECT value FROM counters WHERE name = 'left'"));
          std::this_thread::yield();  // give the writer a chance to commit in between
          ASSIGN_OR_RETURN(std::vector<Row> rr,
                           tx.Query("SELECT value FROM counters WHERE name = 'right'"));
          left = l.at(0).Int(0);
          right = rr.at(0).Int(0);
          return absl::OkStatus();
        });
        ++reads;
        if (!status.ok()) {
          ADD_FAILURE() << status;
          ++inconsistent;
          continue;
        }
        if (left + right != 1000 || right < last_right) {
          ADD_FAILURE() << "inconsistent snapshot: left=" << left << " right=" << right
                        << " after right=" << last_right;
          ++inconsistent;
        }
        last_right = right;
      }
    });
  }
  writer.join();
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_THAT(QueryInt(*db, "SELECT value FROM counters WHERE name = 'right'"),
              IsOkAndHolds(kTransfers));
}

// --- Group commit ---------------------------------------------------------
//
// Concurrent writes share transactions and commits unless the URL says
// ?group_commit=off; every test here runs both ways and must give the same
// results, those of the writes run one by one. Whether writes were grouped
// depends on scheduling, so the tests assert only outcomes, never timing.

// Keeps one Write open (its body waits) so that writes started meanwhile
// queue behind it and, with group commit, run as one group once it is let go.
class HeldWrite {
 public:
  explicit HeldWrite(Database& db)
      : thread_([this, &db] {
          EXPECT_OK(db.Write([this](Transaction&) {
            started_.Notify();
            release_.WaitForNotification();
            return absl::OkStatus();
          }));
        }) {
    started_.WaitForNotification();
  }
  ~HeldWrite() { Release(); }

  void Release() {
    if (!release_.HasBeenNotified()) release_.Notify();
    if (thread_.joinable()) thread_.join();
  }

 private:
  absl::Notification started_, release_;
  std::thread thread_;
};

// Runs each of `writes` on a thread of its own while a HeldWrite keeps the
// writer busy, so that (with group commit) they most likely form one group;
// returns their statuses in order.
std::vector<absl::Status> WriteTogether(
    Database& db, const std::vector<std::function<absl::Status(Transaction&)>>& writes) {
  std::vector<absl::Status> statuses(writes.size());
  HeldWrite held(db);
  std::atomic<int> entered{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < writes.size(); ++i) {
    threads.emplace_back([&, i] {
      ++entered;
      statuses[i] = db.Write(writes[i]);
    });
  }
  while (entered.load() < static_cast<int>(writes.size())) std::this_thread::yield();
  // Gives the writers a moment to queue; the results do not depend on it.
  absl::SleepFor(absl::Milliseconds(50));
  held.Release();
  for (std::thread& thread : threads) thread.join();
  return statuses;
}

class GroupCommitTest : public SqliteDatabaseTest, public ::testing::WithParamInterface<bool> {
 protected:
  // The URL query that selects the mode under test.
  std::string Query() const { return GetParam() ? "" : "?group_commit=off"; }
};

INSTANTIATE_TEST_SUITE_P(GroupCommitOnAndOff, GroupCommitTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "On" : "Off";
                         });

TEST_F(SqliteDatabaseTest, GroupCommitAndFlushingAreChosenByTheUrlAndUnknownParametersAreRefused) {
  for (const std::string query : {"?group_commit=on", "?group_commit=off", "?synchronous=off",
                                   "?group_commit=off&synchronous=full"}) {
    SCOPED_TRACE(query);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> memory,
                         Database::Open("sqlite://:memory:" + query));
    ASSERT_OK(memory->ApplyMigrations(Migrations()).status());
    ASSERT_OK(memory->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
    EXPECT_THAT(QueryInt(*memory, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(1));
    EXPECT_OK(Database::Open(Url("file.db" + query)).status());
  }
  EXPECT_THAT(Database::Open(Url("x.db?group_comit=off")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_comit")));
  EXPECT_THAT(Database::Open(Url("x.db?group_commit=maybe")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_commit=maybe")));
  EXPECT_THAT(Database::Open(Url("x.db?synchronous=normal")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("synchronous=normal")));
  EXPECT_THAT(Database::Open(Url("x.db?group_commit=off&cache=shared")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cache")));
  EXPECT_THAT(Database::Open(Url("x.db?")), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Database::Open("sqlite://?group_commit=off"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(dir_) / "x.db"));
}

TEST_P(GroupCommitTest, ManyConcurrentWritersHaveEveryAcknowledgedWriteCommitted) {
  std::unique_ptr<Database> db = OpenMigrated("many.db" + Query());
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 64;
  constexpr int kWritesPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&db, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        EXPECT_OK(db->Write([&](Transaction& tx) {
          return tx.Execute("INSERT INTO journal (batch, payload) VALUES (?, ?)",
                            {absl::StrCat("writer-", t), Blob{absl::StrCat(i)}})
              .status();
        }));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::vector<Row> per_writer;
  ASSERT_OK(db->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(per_writer,
                     tx.Query("SELECT batch, COUNT(*), COUNT(DISTINCT payload) FROM journal "
                              "GROUP BY batch"));
    return absl::OkStatus();
  }));
  ASSERT_EQ(per_writer.size(), static_cast<size_t>(kThreads));
  for (const Row& row : per_writer) {
    EXPECT_EQ(row.Int(1), kWritesPerThread) << row.Text(0);
    EXPECT_EQ(row.Int(2), kWritesPerThread) << row.Text(0);
  }
}

TEST_P(GroupCommitTest, AFailingBodyLosesOnlyItsOwnChanges) {
  std::unique_ptr<Database> db = OpenMigrated("one-fails.db" + Query());
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
  const absl::Status refused =
      ErrorWithReason(absl::StatusCode::kFailedPrecondition, "DELEGATION_CLOSED", "closed");

  const std::vector<absl::Status> statuses = WriteTogether(
      *db, {
               [](Transaction& tx) { return InsertDelegation(tx, "pl", "PL"); },
               [](Transaction& tx) -> absl::Status {
                 RETURN_IF_ERROR(InsertDelegation(tx, "fr", "FR"));
                 return InsertDelegation(tx, "ukraine", "UA");  // UNIQUE(country)
               },
               [](Transaction& tx) { return InsertDelegation(tx, "de", "DE"); },
               [&](Transaction& tx) -> absl::Status {
                 RETURN_IF_ERROR(InsertDelegation(tx, "it", "IT"));
                 RETURN_IF_ERROR(tx.Execute("UPDATE counters SET value = 99").status());
                 return refused;
               },
               [](Transaction& tx) { return InsertDelegation(tx, "es", "ES"); },
           });

  EXPECT_OK(statuses[0]);
  EXPECT_THAT(statuses[1], StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_OK(statuses[2]);
  EXPECT_EQ(statuses[3], refused);
  EXPECT_OK(statuses[4]);
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations WHERE id IN ('pl', 'de', 'es')"),
              IsOkAndHolds(3));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations WHERE id IN ('fr', 'ukraine', 'it')"),
              IsOkAndHolds(0));
  EXPECT_THAT(QueryInt(*db, "SELECT value FROM counters"), IsOkAndHolds(0));
}

TEST_P(GroupCommitTest, EachWriterGetsItsOwnBodysStatus) {
  std::unique_ptr<Database> db = OpenMigrated("statuses.db" + Query());
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 16;
  constexpr int kWritesPerThread = 25;
  // What write `n` returns; its row is kept only when that is OK.
  const auto status_of = [](int n) -> absl::Status {
    const std::string message = absl::StrCat("write ", n);
    switch (n % 5) {
      case 0:
        return absl::OkStatus();
      case 1:
        return absl::NotFoundError(message);
      case 2:
        return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "CLOSED", message,
                               {{"write", absl::StrCat(n)}});
      case 3:
        return absl::InvalidArgumentError(message);
      default:  // with a reason, so not taken for contention
        return ErrorWithReason(absl::StatusCode::kAborted, "ETAG_MISMATCH", message);
    }
  };
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        const int n = t * kWritesPerThread + i;
        const absl::Status status = db->Write([&](Transaction& tx) -> absl::Status {
          RETURN_IF_ERROR(tx.Execute("INSERT INTO journal (id, batch) VALUES (?, ?)",
                                     {int64_t{n}, status_of(n).ok() ? "kept" : "dropped"})
                              .status());
          return status_of(n);
        });
        if (status != status_of(n)) {
          ++wrong;
          ADD_FAILURE() << "write " << n << " got " << status << ", its body returned "
                        << status_of(n);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM journal WHERE batch = 'kept'"),
              IsOkAndHolds(kThreads * kWritesPerThread / 5));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM journal WHERE batch = 'dropped'"),
              IsOkAndHolds(0));
}

TEST_P(GroupCommitTest, EachBodySeesTheWritesBeforeItAsIfRunOneByOne) {
  std::unique_ptr<Database> db = OpenMigrated("serial.db" + Query());
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 64;
  constexpr int kIncrementsPerThread = 20;
  std::vector<std::vector<int64_t>> seen(kThreads);  // the value each committed body read
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        int64_t before = -1;
        // Read-modify-write on purpose: only serial execution keeps it exact.
        absl::Status status = db->Write([&](Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(std::vector<Row> rows,
                           tx.Query("SELECT value FROM counters WHERE name = 'calls'"));
          before = rows.at(0).Int(0);
          return tx.Execute("UPDATE counters SET value = ? WHERE name = 'calls'", {before + 1})
              .status();
        });
        EXPECT_OK(status);
        if (status.ok()) seen[t].push_back(before);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_THAT(QueryInt(*db, "SELECT value FROM counters WHERE name = 'calls'"),
              IsOkAndHolds(kThreads * kIncrementsPerThread));
  // Every committed increment read a different value: 0, 1, 2, … in some order.
  std::vector<int64_t> all;
  for (const std::vector<int64_t>& values : seen) all.insert(all.end(), values.begin(), values.end());
  std::sort(all.begin(), all.end());
  std::vector<int64_t> expected(kThreads * kIncrementsPerThread);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(all, expected);
}

TEST_P(GroupCommitTest, ABodyThatEndsTheWholeTransactionCostsTheOthersNothing) {
  std::unique_ptr<Database> db = OpenMigrated("rollback-all.db" + Query());
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "ua", "UA"); }));
  // ON CONFLICT ROLLBACK makes SQLite end the transaction itself: with group
  // commit, the bodies run before it in the same transaction are lost too.
  const auto conflict_and_roll_back = [](Transaction& tx) {
    return tx.Execute("INSERT OR ROLLBACK INTO delegations (id, country) VALUES ('ua', 'XX')")
        .status();
  };
  const std::vector<absl::Status> statuses = WriteTogether(
      *db, {
               [](Transaction& tx) { return InsertDelegation(tx, "pl", "PL"); },
               [&](Transaction& tx) -> absl::Status {
                 RETURN_IF_ERROR(InsertDelegation(tx, "fr", "FR"));
                 return conflict_and_roll_back(tx);
               },
               [](Transaction& tx) { return InsertDelegation(tx, "de", "DE"); },
               // Swallows the error: its transaction is gone all the same.
               [&](Transaction& tx) -> absl::Status {
                 RETURN_IF_ERROR(InsertDelegation(tx, "it", "IT"));
                 conflict_and_roll_back(tx).IgnoreError();
                 return absl::OkStatus();
               },
               [](Transaction& tx) { return InsertDelegation(tx, "es", "ES"); },
           });

  EXPECT_OK(statuses[0]);
  EXPECT_THAT(statuses[1], StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_OK(statuses[2]);
  EXPECT_FALSE(statuses[3].ok()) << "acknowledged a write whose transaction was rolled back";
  EXPECT_OK(statuses[4]);
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations WHERE id IN ('pl', 'de', 'es')"),
              IsOkAndHolds(3));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations WHERE id IN ('fr', 'it')"),
              IsOkAndHolds(0));
  ASSERT_OK(db->Write([](Transaction& tx) { return InsertDelegation(tx, "nl", "NL"); }));
}

TEST_P(GroupCommitTest, ADanglingDeferredReferenceFailsOnlyItsOwnWrite) {
  std::unique_ptr<Database> db = OpenMigrated("deferred-group.db" + Query());
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->ApplyMigrations(std::vector<Migration>{
      {5, "badges",
       "CREATE TABLE badges (id TEXT PRIMARY KEY, person TEXT NOT NULL "
       "REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED)"}}).status());
  // Only COMMIT sees the dangling reference, and with group commit that COMMIT
  // is everyone's.
  const std::vector<absl::Status> statuses = WriteTogether(
      *db, {
               [](Transaction& tx) { return InsertDelegation(tx, "pl", "PL"); },
               [](Transaction& tx) {
                 return tx.Execute("INSERT INTO badges (id, person) VALUES ('b1', 'nobody')")
                     .status();
               },
               [](Transaction& tx) { return InsertDelegation(tx, "de", "DE"); },
           });

  EXPECT_OK(statuses[0]);
  EXPECT_THAT(statuses[1], StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_OK(statuses[2]);
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(2));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM badges"), IsOkAndHolds(0));
}

TEST_P(GroupCommitTest, ABodyRefusedForContentionIsRetried) {
  std::unique_ptr<Database> db = OpenMigrated("contention.db" + Query());
  ASSERT_NE(db, nullptr);
  int calls = 0;  // of the body that is refused once; bodies never run at once
  const std::vector<absl::Status> statuses = WriteTogether(
      *db, {
               [](Transaction& tx) { return InsertDelegation(tx, "pl", "PL"); },
               [&](Transaction& tx) -> absl::Status {
                 RETURN_IF_ERROR(InsertDelegation(tx, "fr", "FR"));
                 // What SQLITE_BUSY inside a statement would give.
                 if (++calls == 1) return absl::AbortedError("database is locked");
                 return absl::OkStatus();
               },
               [](Transaction& tx) { return InsertDelegation(tx, "de", "DE"); },
           });

  EXPECT_OK(statuses[0]);
  EXPECT_OK(statuses[1]);
  EXPECT_OK(statuses[2]);
  EXPECT_EQ(calls, 2);
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM delegations"), IsOkAndHolds(3));
}

TEST_P(GroupCommitTest, AcknowledgedWritesSurviveReopening) {
  constexpr int kThreads = 16;
  constexpr int kWritesPerThread = 20;
  std::vector<std::vector<std::string>> acknowledged(kThreads);
  {
    std::unique_ptr<Database> db = OpenMigrated("reopen.db" + Query());
    ASSERT_NE(db, nullptr);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kWritesPerThread; ++i) {
          const std::string name = absl::StrCat("write-", t, "-", i);
          absl::Status status = db->Write([&](Transaction& tx) {
            return tx.Execute("INSERT INTO journal (batch) VALUES (?)", {name}).status();
          });
          EXPECT_OK(status);
          if (status.ok()) acknowledged[t].push_back(name);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }  // closed

  std::unique_ptr<Database> db = OpenMigrated("reopen.db" + Query());
  ASSERT_NE(db, nullptr);
  int64_t total = 0;
  for (const std::vector<std::string>& names : acknowledged) {
    for (const std::string& name : names) {
      EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM journal WHERE batch = ?", {name}),
                  IsOkAndHolds(1))
          << name;
      ++total;
    }
  }
  EXPECT_EQ(total, kThreads * kWritesPerThread);
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM journal"), IsOkAndHolds(total));
}

// --- Durability: a writer process killed mid-transaction ------------------

constexpr int kCommittedRows = 500;
constexpr int kDoomedRows = 5000;  // ~5 MB: more than the page cache, so pages spill to the WAL

// Runs in the forked child: one committed Write, then a Write that dies by
// SIGKILL before it can commit. Returns (as an exit status) only on failure.
int CommitThenDieMidTransaction(const std::string& url) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(url);
  if (!db.ok()) return 10;
  absl::Status committed = (*db)->Write([](Transaction& tx) -> absl::Status {
    for (int i = 0; i < kCommittedRows; ++i) {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO journal (batch, payload) VALUES ('committed', ?)",
                                 {Blob{std::string(100, 'c')}})
                          .status());
    }
    return absl::OkStatus();
  });
  if (!committed.ok()) return 11;
  (void)(*db)->Write([](Transaction& tx) -> absl::Status {
    for (int i = 0; i < kDoomedRows; ++i) {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO journal (batch, payload) VALUES ('doomed', ?)",
                                 {Blob{std::string(1000, 'd')}})
                          .status());
    }
    ::raise(SIGKILL);  // the process dies here, inside the transaction
    return absl::OkStatus();
  });
  return 12;  // not reached
}

TEST_F(SqliteDatabaseTest, WriterKilledMidTransactionLosesOnlyThatTransaction) {
  const std::string url = Url("crash/statements.db");
  {
    std::unique_ptr<Database> db = OpenMigrated("crash/statements.db");
    ASSERT_NE(db, nullptr);
  }  // closed: the child is the only process with the file open

  std::fflush(nullptr);
  const pid_t child = ::fork();
  ASSERT_NE(child, -1);
  if (child == 0) ::_exit(CommitThenDieMidTransaction(url));

  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status))
      << "the child should have been killed; it exited with status " << WEXITSTATUS(status)
      << " (10: open failed, 11: committed write failed)";
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(url));
  ASSERT_OK_AND_ASSIGN(int applied, db->ApplyMigrations(Migrations()));
  EXPECT_EQ(applied, 0);
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM journal WHERE batch = 'committed'"),
              IsOkAndHolds(kCommittedRows));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM journal WHERE batch = 'doomed'"),
              IsOkAndHolds(0));
  std::string integrity;
  ASSERT_OK(db->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query("PRAGMA integrity_check"));
    integrity = rows.at(0).Text(0);
    return absl::OkStatus();
  }));
  EXPECT_EQ(integrity, "ok");
  // And the file takes new writes.
  ASSERT_OK(db->Write([](Transaction& tx) {
    return tx.Execute("INSERT INTO journal (batch) VALUES ('after')").status();
  }));
  EXPECT_THAT(QueryInt(*db, "SELECT COUNT(*) FROM journal"), IsOkAndHolds(kCommittedRows + 1));
}

}  // namespace
}  // namespace summit::storage
