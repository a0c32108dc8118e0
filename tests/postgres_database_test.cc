// Tests of Database on PostgreSQL against a real server (the `postgres` CTest fixture, see
// tests/support/test_database.h), each on a database of its own: values in and out, error
// codes, rollback, statements sent later (ExecuteLater), serializable writes retried under
// contention, read-committed writes run
// again when a concurrent writer broke their key first, migrations applied once by replicas
// starting together, and the connection pool under more callers than connections.
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/status/status_matchers.h"
#include "common/storage/database.h"
#include "common/storage/postgres_database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/start_line.h"
#include "tests/support/test_database.h"

namespace summit::storage {
namespace {

using ::summit::testing::IsOk;
using ::summit::testing::StartLine;
using ::summit::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(summit::testing::TestingOnPostgres()) << "run as postgres_database_test_postgres";
    ASSERT_OK_AND_ASSIGN(url_, summit::testing::FreshDatabaseUrl("", "storage"));
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(url_));
    ASSERT_OK_AND_ASSIGN(int applied, db_->ApplyMigrations(Migrations()));
    ASSERT_EQ(applied, 1);
  }

  static std::vector<Migration> Migrations() {
    return {{1, "test tables", R"sql(
CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL, x REAL, body BLOB, note TEXT);
CREATE TABLE parts (item_id TEXT NOT NULL REFERENCES items (id), part TEXT NOT NULL);
CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO counter (id, n) VALUES (1, 0);
)sql",
             PostgresDdl(R"sql(
CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL, x DOUBLE PRECISION, body BLOB,
                    note TEXT);
CREATE TABLE parts (item_id TEXT NOT NULL REFERENCES items (id), part TEXT NOT NULL);
CREATE TABLE counter (id BIGINT PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO counter (id, n) VALUES (1, 0);
)sql")}};
  }

  int64_t Count(const std::string& table) {
    int64_t count = -1;
    EXPECT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<Row>> rows = tx.Query(absl::StrCat("SELECT COUNT(*) FROM ", table));
      if (!rows.ok()) return rows.status();
      count = rows->front().Int(0);
      return absl::OkStatus();
    }));
    return count;
  }

  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_F(PostgresDatabaseTest, SpeaksPostgresAndAnswersPing) {
  EXPECT_EQ(db_->dialect(), SqlDialect::kPostgres);
  EXPECT_OK(db_->Ping());
}

TEST_F(PostgresDatabaseTest, ValuesComeBackAsTheyWentIn) {
  const std::string bytes("\0\x01\xff protobuf \x80", 14);
  ASSERT_OK(db_->Write([&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO items (id, n, x, body, note) VALUES (?, ?, ?, ?, ?)",
                               {std::string("max"), std::numeric_limits<int64_t>::max(), 2.5,
                                Blob{bytes}, std::string("Зеленський «unity»")})
                        .status());
    return tx.Execute("INSERT INTO items (id, n, x, body, note) VALUES (?, ?, ?, ?, ?)",
                      {std::string("min"), std::numeric_limits<int64_t>::min(), nullptr, nullptr,
                       nullptr})
        .status();
  }));
  ASSERT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows =
        tx.Query("SELECT id, n, x, body, note, n > 0 FROM items ORDER BY id");
    if (!rows.ok()) return rows.status();
    EXPECT_EQ(rows->size(), 2u);
    const Row& max = (*rows)[0];
    EXPECT_EQ(max.Text(0), "max");
    EXPECT_EQ(max.Int(1), std::numeric_limits<int64_t>::max());
    EXPECT_EQ(max.Double(2), 2.5);
    EXPECT_EQ(max.Text(3), bytes);
    EXPECT_EQ(max.Text(4), "Зеленський «unity»");
    EXPECT_EQ(max.Int(5), 1);  // a boolean reads as 1 or 0, as on SQLite
    const Row& min = (*rows)[1];
    EXPECT_EQ(min.Int(1), std::numeric_limits<int64_t>::min());
    EXPECT_TRUE(min.IsNull(2));
    EXPECT_TRUE(min.IsNull(3));
    EXPECT_TRUE(min.IsNull(4));
    EXPECT_EQ(min.Int(5), 0);
    return absl::OkStatus();
  }));
}

TEST_F(PostgresDatabaseTest, ErrorsMeanWhatTheyMeanOnSqliteAndWriteNothing) {
  ASSERT_OK(db_->Write([](Transaction& tx) {
    return tx.Execute("INSERT INTO items (id, n) VALUES (?, ?)", {std::string("a"), int64_t{1}})
        .status();
  }));
  const auto insert_then = [&](const std::string& sql, std::vector<SqlValue> values) {
    return db_->Write([&](Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO items (id, n) VALUES ('b', 2)").status());
      return tx.Execute(sql, values).status();
    });
  };
  EXPECT_THAT(insert_then("INSERT INTO items (id, n) VALUES (?, 3)", {std::string("a")}),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(insert_then("INSERT INTO parts (item_id, part) VALUES (?, 'x')", {std::string("nope")}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(insert_then("INSERT INTO items (id, n) VALUES (?, 3)", {std::string("c\0d", 3)}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(insert_then("INSERT INTO items (id, n) VALUES (?, 3)", {std::string("\xff\xfe")}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // The server's own words (naming the table) are kept for the log, not for the message.
  const absl::Status no_table = insert_then("INSERT INTO nowhere VALUES (?)", {int64_t{1}});
  EXPECT_THAT(no_table, StatusIs(absl::StatusCode::kInternal, Not(HasSubstr("nowhere"))));
  EXPECT_THAT(ServerDetailOf(no_table), HasSubstr("nowhere"));
  EXPECT_THAT(insert_then("INSERT INTO items (id, n) VALUES (?, ?)", {std::string("e")}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("parameters")));
  // A body that fails after writing leaves nothing behind.
  EXPECT_THAT(db_->Write([](Transaction& tx) -> absl::Status {
                RETURN_IF_ERROR(tx.Execute("INSERT INTO items (id, n) VALUES ('f', 1)").status());
                return absl::NotFoundError("the body's own refusal");
              }),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(Count("items"), 1);
  // The pool's connections are all usable after those failures.
  EXPECT_OK(db_->Ping());
}

TEST_F(PostgresDatabaseTest, ConcurrentReadModifyWritesAreSerializedByRetries) {
  constexpr int kThreads = 8;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        const absl::Status status = db_->Write([](Transaction& tx) -> absl::Status {
          absl::StatusOr<std::vector<Row>> rows = tx.Query("SELECT n FROM counter WHERE id = 1");
          if (!rows.ok()) return rows.status();
          return tx.Execute("UPDATE counter SET n = ? WHERE id = 1", {rows->front().Int(0) + 1})
              .status();
        });
        if (!status.ok()) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  int64_t n = 0;
  ASSERT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query("SELECT n FROM counter WHERE id = 1");
    if (!rows.ok()) return rows.status();
    n = rows->front().Int(0);
    return absl::OkStatus();
  }));
  // Every increment read the value the one before it wrote: no update lost.
  EXPECT_EQ(n, kThreads * kIncrements);
}

// The isolation level `tx` runs at, as the server names it ("serializable", "read committed").
std::string IsolationOf(Transaction& tx) {
  absl::StatusOr<std::vector<Row>> rows =
      tx.Query("SELECT current_setting('transaction_isolation')");
  EXPECT_OK(rows.status());
  return rows.ok() ? rows->front().Text(0) : "";
}

// One query needs no transaction: ReadOneQuery sends it alone (the session's own READ
// COMMITTED shows that no REPEATABLE READ transaction was begun), and refuses anything more.
TEST_F(PostgresDatabaseTest, ReadOneQueryRunsItsQueryAloneAndNothingElse) {
  std::string level;
  ASSERT_OK(db_->ReadOneQuery([&](Transaction& tx) {
    level = IsolationOf(tx);
    return absl::OkStatus();
  }));
  EXPECT_EQ(level, "read committed");
  EXPECT_THAT(db_->ReadOneQuery([](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Query("SELECT 1").status());
    return tx.Query("SELECT 2").status();
  }),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("second query")));
  EXPECT_THAT(db_->ReadOneQuery([](Transaction& tx) {
    return tx.Execute("INSERT INTO items (id, n) VALUES ('no', 1)").status();
  }),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(db_->ReadOneQuery([](Transaction& tx) {
    return tx.Query("SELECT no_such_column FROM items").status();
  }),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(Count("items"), 0);
  // Every connection is fit for the next caller, and a Read still runs in a transaction.
  EXPECT_OK(db_->Ping());
  ASSERT_OK(db_->Read([&](Transaction& tx) {
    level = IsolationOf(tx);
    return absl::OkStatus();
  }));
  EXPECT_EQ(level, "repeatable read");
}

TEST_F(PostgresDatabaseTest, WritesRunAtTheIsolationTheyAsk) {
  std::string level;
  const auto record_level = [&](Transaction& tx) {
    level = IsolationOf(tx);
    return absl::OkStatus();
  };
  ASSERT_OK(db_->Write(record_level));
  EXPECT_EQ(level, "serializable");
  ASSERT_OK(db_->Write(WriteIsolation::kSerializable, record_level));
  EXPECT_EQ(level, "serializable");
  ASSERT_OK(db_->Write(WriteIsolation::kReadCommitted, record_level));
  EXPECT_EQ(level, "read committed");
}


// What a create at READ COMMITTED does (a request id, a chosen id): look for the key, insert it
// when it is free. Every writer finds it free; one inserts it first, the others break the
// primary key and run again, when their own check finds the winner's row.
TEST_F(PostgresDatabaseTest, ReadCommittedWritesRacingForOneKeyRunAgainAndSeeTheWinner) {
  constexpr int kWriters = 6;
  StartLine checked(kWriters);
  std::atomic<int> runs{0};
  std::vector<std::string> outcomes(kWriters);
  std::vector<absl::Status> statuses(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      bool first_run = true;
      statuses[w] =
          db_->Write(WriteIsolation::kReadCommitted, [&](Transaction& tx) -> absl::Status {
            runs.fetch_add(1);
            ASSIGN_OR_RETURN(std::vector<Row> found,
                             tx.Query("SELECT n FROM items WHERE id = 'once'"));
            if (std::exchange(first_run, false)) checked.ArriveAndWait();
            if (!found.empty()) {
              outcomes[w] = absl::StrCat("found ", found.front().Int(0));
              return absl::OkStatus();
            }
            outcomes[w] = absl::StrCat("inserted ", w);
            return tx.Execute("INSERT INTO items (id, n) VALUES ('once', ?)", {int64_t{w}})
                .status();
          });
    });
  }
  for (std::thread& writer : writers) writer.join();
  int inserted = -1;
  for (int w = 0; w < kWriters; ++w) {
    EXPECT_OK(statuses[w]) << "writer " << w;
    if (absl::StartsWith(outcomes[w], "inserted")) {
      EXPECT_EQ(inserted, -1) << "two writers inserted the key";
      inserted = w;
    }
  }
  ASSERT_NE(inserted, -1);
  for (int w = 0; w < kWriters; ++w) {
    if (w != inserted) {
      EXPECT_EQ(outcomes[w], absl::StrCat("found ", inserted)) << "writer " << w;
    }
  }
  EXPECT_EQ(Count("items"), 1);
  // Each loser ran once more, the winner once.
  EXPECT_EQ(runs.load(), 2 * kWriters - 1);
}

// Runs `write` on a thread of its own and `overtake` on this one, while the write's first run
// waits where it calls `pause` (between what it read and what it writes): the race the test
// names, every time. Returns the write's status.
absl::Status Overtaken(
    const std::function<absl::Status(const std::function<void()>& pause)>& write,
    const std::function<void()>& overtake) {
  StartLine paused(2);
  StartLine overtaken(2);
  bool first_run = true;
  absl::Status status;
  std::thread writer([&] {
    status = write([&] {
      if (!std::exchange(first_run, false)) return;
      paused.ArriveAndWait();
      overtaken.ArriveAndWait();
    });
  });
  paused.ArriveAndWait();
  overtake();
  overtaken.ArriveAndWait();
  writer.join();
  return status;
}

// A row found before a concurrent delete committed, referred to after it: the foreign key
// refuses the write, and the body, run again, finds the row gone and answers so itself.
TEST_F(PostgresDatabaseTest, ReadCommittedWriteWhoseRowWasDeletedRunsAgainAndFindsItGone) {
  ASSERT_OK(db_->Write([](Transaction& tx) {
    return tx.Execute("INSERT INTO items (id, n) VALUES ('doomed', 1)").status();
  }));
  int runs = 0;
  const absl::Status written = Overtaken(
      [&](const std::function<void()>& pause) {
        return db_->Write(WriteIsolation::kReadCommitted, [&](Transaction& tx) -> absl::Status {
          ++runs;
          ASSIGN_OR_RETURN(std::vector<Row> rows,
                           tx.Query("SELECT 1 FROM items WHERE id = 'doomed'"));
          pause();
          if (rows.empty()) return absl::NotFoundError("the body's own answer: no item");
          return tx.Execute("INSERT INTO parts (item_id, part) VALUES ('doomed', 'x')").status();
        });
      },
      [&] {
        EXPECT_OK(db_->Write([](Transaction& tx) {
          return tx.Execute("DELETE FROM items WHERE id = 'doomed'").status();
        }));
      });
  EXPECT_THAT(written, StatusIs(absl::StatusCode::kNotFound, HasSubstr("own answer")));
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Count("parts"), 0);
}

// A delete that found its row unreferenced, and a READ COMMITTED write that refers to the row
// and commits before the delete does: serializable transactions cannot see such a writer
// coming, so the foreign key refuses the delete, which runs again and answers for itself.
TEST_F(PostgresDatabaseTest, SerializableWriteOvertakenByAReadCommittedOneRunsAgain) {
  ASSERT_OK(db_->Write([](Transaction& tx) {
    return tx.Execute("INSERT INTO items (id, n) VALUES ('shared', 1)").status();
  }));
  int runs = 0;
  const absl::Status deleted = Overtaken(
      [&](const std::function<void()>& pause) {
        return db_->Write([&](Transaction& tx) -> absl::Status {
          ++runs;
          ASSIGN_OR_RETURN(std::vector<Row> parts,
                           tx.Query("SELECT 1 FROM parts WHERE item_id = 'shared'"));
          pause();
          if (!parts.empty()) return absl::FailedPreconditionError("the body's own answer: in use");
          return tx.Execute("DELETE FROM items WHERE id = 'shared'").status();
        });
      },
      [&] {
        EXPECT_OK(db_->Write(WriteIsolation::kReadCommitted, [](Transaction& tx) {
          return tx.Execute("INSERT INTO parts (item_id, part) VALUES ('shared', 'x')").status();
        }));
      });
  EXPECT_THAT(deleted, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("own answer")));
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Count("items"), 1);
  EXPECT_EQ(Count("parts"), 1);
}

// No race: a body that breaks a key whoever else writes hears of it, as at SERIALIZABLE.
TEST_F(PostgresDatabaseTest, ReadCommittedWriteBreakingAKeyEveryTimeHearsSo) {
  ASSERT_OK(db_->Write([](Transaction& tx) {
    return tx.Execute("INSERT INTO items (id, n) VALUES ('taken', 1)").status();
  }));
  EXPECT_THAT(
      db_->Write(WriteIsolation::kReadCommitted,
                 [](Transaction& tx) {
                   return tx.Execute("INSERT INTO items (id, n) VALUES ('taken', 2)").status();
                 }),
      StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(
      db_->Write(
          WriteIsolation::kReadCommitted,
          [](Transaction& tx) {
            return tx.Execute("INSERT INTO parts (item_id, part) VALUES ('no', 'x')").status();
          }),
      StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(Count("items"), 1);
  EXPECT_EQ(Count("parts"), 0);
}

// ExecuteLater's statements go with the transaction's next statement or its COMMIT (one round
// trip), in order; the first one's failure is what that later call, and Write, return, and
// nothing of the transaction is kept.
TEST_F(PostgresDatabaseTest, StatementsSentLaterAnswerWithTheNextStatementOrTheCommit) {
  const std::string insert_item = "INSERT INTO items (id, n) VALUES (?, ?)";
  const std::string insert_part = "INSERT INTO parts (item_id, part) VALUES (?, ?)";
  const std::string count_items = "SELECT COUNT(*) FROM items WHERE id = ?";
  // Twice each, so that the second runs prepared (a first use is prepared at once).
  for (const std::string id : {"w1", "w2"}) {
    ASSERT_OK(db_->Write([&](Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(tx.ExecuteLater(insert_item, {id, int64_t{1}}));
      RETURN_IF_ERROR(tx.ExecuteLater(insert_part, {id, std::string("p")}));
      // Sent before this query, in order: it sees them.
      ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(count_items, {id}));
      EXPECT_EQ(rows.front().Int(0), 1);
      return tx.ExecuteLater(insert_part, {id, std::string("q")});
    }));
  }
  EXPECT_EQ(Count("items"), 2);
  EXPECT_EQ(Count("parts"), 4);

  for (const WriteIsolation isolation :
       {WriteIsolation::kSerializable, WriteIsolation::kReadCommitted}) {
    // A key taken, heard at COMMIT.
    EXPECT_THAT(db_->Write(isolation,
                           [&](Transaction& tx) -> absl::Status {
                             RETURN_IF_ERROR(tx.ExecuteLater(insert_item, {std::string("new"),
                                                                           int64_t{1}}));
                             return tx.ExecuteLater(insert_item,
                                                    {std::string("w1"), int64_t{1}});
                           }),
                StatusIs(absl::StatusCode::kAlreadyExists));
    // A missing reference, heard by the next query, which does not run.
    EXPECT_THAT(db_->Write(isolation,
                           [&](Transaction& tx) -> absl::Status {
                             RETURN_IF_ERROR(tx.ExecuteLater(insert_part, {std::string("nope"),
                                                                           std::string("p")}));
                             absl::StatusOr<std::vector<Row>> rows =
                                 tx.Query(count_items, {std::string("w1")});
                             EXPECT_THAT(rows.status(),
                                         StatusIs(absl::StatusCode::kFailedPrecondition));
                             return rows.status();
                           }),
                StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  // A body refusing after statements it sent later keeps none of them.
  EXPECT_THAT(db_->Write([&](Transaction& tx) -> absl::Status {
                RETURN_IF_ERROR(tx.ExecuteLater(insert_item, {std::string("x"), int64_t{1}}));
                return absl::NotFoundError("the body's own refusal");
              }),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(Count("items"), 2);
  EXPECT_EQ(Count("parts"), 4);
  // A one-query read refuses them as it refuses Execute.
  EXPECT_THAT(db_->ReadOneQuery([&](Transaction& tx) {
                return tx.ExecuteLater(insert_item, {std::string("y"), int64_t{1}});
              }),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_OK(db_->Ping());
}

TEST_F(PostgresDatabaseTest, ReplicasStartingTogetherApplyEachMigrationOnce) {
  std::vector<Migration> migrations = Migrations();
  migrations.push_back({2, "a second table", "CREATE TABLE extra (id TEXT PRIMARY KEY)"});
  migrations.push_back({3, "a row in it", "INSERT INTO extra (id) VALUES ('once')"});
  constexpr int kReplicas = 4;
  std::vector<int> applied(kReplicas, -1);
  std::vector<std::thread> replicas;
  for (int r = 0; r < kReplicas; ++r) {
    replicas.emplace_back([&, r] {
      absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(url_);
      if (!db.ok()) return;
      absl::StatusOr<int> count = (*db)->ApplyMigrations(migrations);
      if (count.ok()) applied[r] = *count;
    });
  }
  for (std::thread& replica : replicas) replica.join();
  int total = 0;
  for (int count : applied) {
    EXPECT_GE(count, 0);
    total += count;
  }
  EXPECT_EQ(total, 2);  // versions 2 and 3, each by one replica
  EXPECT_EQ(Count("extra"), 1);
}

TEST_F(PostgresDatabaseTest, MoreCallersThanConnectionsWaitTheirTurn) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> small,
                       Database::Open(absl::StrCat(url_, "?pool_size=2")));
  std::atomic<int> failures{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 16; ++c) {
    callers.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!small->Read([](Transaction& tx) { return tx.Query("SELECT pg_sleep(0.001)").status(); })
                 .ok() &&
            !small->Ping().ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(PostgresDatabaseTest, UrlsAreCheckedAndAnUnreachableServerIsUnavailable) {
  EXPECT_THAT(Database::Open(absl::StrCat(url_, "?pool_size=0")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Database::Open(absl::StrCat(url_, "?no_such_option=1")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Port 1 on loopback: nothing listens there.
  EXPECT_THAT(Database::Open("postgres://summit@127.0.0.1:1/summit"),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace summit::storage
