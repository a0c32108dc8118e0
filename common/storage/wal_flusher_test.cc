// WalFlusher on real files: who waits for what, shared flushes, and a failed flush being final.
// The durability itself (SIGKILL at any moment loses no acknowledged write) is tested through
// SqliteDatabase in sqlite_database_test.cc and across processes in crash_durability_test.cc.
#include "common/storage/wal_flusher.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::storage {
namespace {

using ::summit::testing::StatusIs;

class WalFlusherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/wal_flusher_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string WalWithText(const std::string& text) {
    const std::string path = dir_ + "/db-wal";
    std::ofstream(path, std::ios::app) << text;
    return path;
  }

  std::string dir_;
};

TEST_F(WalFlusherTest, ACommitIsFlushedOnceWaitedForAndNothingIsWaitedForBeforeAnyCommit) {
  WalFlusher flusher(WalWithText("frames"));
  EXPECT_EQ(flusher.last_committing(), 0);
  EXPECT_OK(flusher.WaitForVisible());  // nothing committed: nothing to wait for
  const int64_t first = flusher.Committing();
  flusher.Committed(first);
  const int64_t second = flusher.Committing();
  flusher.Committed(second);
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 2);
  EXPECT_EQ(flusher.last_committing(), 2);
  EXPECT_OK(flusher.WaitFlushed(second));
  // One flush covered both.
  EXPECT_OK(flusher.WaitFlushed(first));
  EXPECT_OK(flusher.WaitForVisible());
}

TEST_F(WalFlusherTest, AWaitForACommitStillBeingWrittenEndsOnlyAfterItIsWritten) {
  WalFlusher flusher(WalWithText("frames"));
  const int64_t commit = flusher.Committing();  // begun, not returned
  absl::Notification flushed;
  std::thread reader([&] {
    EXPECT_OK(flusher.WaitForVisible());  // the reader's snapshot may hold it
    flushed.Notify();
  });
  // The wait cannot end while the commit is being written, however long that takes; the
  // reader is still waiting when the commit returns (no timing is asserted, only the order).
  EXPECT_FALSE(flushed.HasBeenNotified());
  flusher.Committed(commit);
  reader.join();
  EXPECT_TRUE(flushed.HasBeenNotified());
}

TEST_F(WalFlusherTest, ManyWaitersShareFlushesAndAllReturn) {
  WalFlusher flusher(WalWithText("frames"));
  std::vector<std::thread> waiters;
  for (int i = 0; i < 16; ++i) {
    const int64_t commit = flusher.Committing();
    flusher.Committed(commit);
    waiters.emplace_back([&flusher, commit] { EXPECT_OK(flusher.WaitFlushed(commit)); });
  }
  for (std::thread& waiter : waiters) waiter.join();
}

TEST_F(WalFlusherTest, AWalThatIsGoneHoldsNothingToFlush) {
  WalFlusher flusher(dir_ + "/never-written-wal");
  const int64_t commit = flusher.Committing();
  flusher.Committed(commit);
  EXPECT_OK(flusher.WaitFlushed(commit));
}

TEST_F(WalFlusherTest, AWalReplacedUnderneathIsTheOneFlushed) {
  const std::string path = WalWithText("frames");
  WalFlusher flusher(path);
  int64_t commit = flusher.Committing();
  flusher.Committed(commit);
  ASSERT_OK(flusher.WaitFlushed(commit));
  std::filesystem::remove(path);
  WalWithText("new frames");
  commit = flusher.Committing();
  flusher.Committed(commit);
  EXPECT_OK(flusher.WaitFlushed(commit));
}

TEST_F(WalFlusherTest, AFailedFlushFailsEveryLaterWait) {
  // A WAL "inside" a regular file cannot be looked up: the flush fails (ENOTDIR).
  const std::string file = WalWithText("not a folder");
  WalFlusher flusher(file + "/db-wal");
  const int64_t first = flusher.Committing();
  flusher.Committed(first);
  EXPECT_THAT(flusher.WaitFlushed(first), StatusIs(absl::StatusCode::kUnavailable));
  const int64_t second = flusher.Committing();
  flusher.Committed(second);
  EXPECT_THAT(flusher.WaitFlushed(second), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(flusher.WaitForVisible(), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace summit::storage
