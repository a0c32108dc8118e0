// The feed hub wakes its watchers when the feed moved, and only then: a poll that finds the same
// version wakes no one, so idle watchers cost the database one read a poll, not one each. The
// polls themselves say what the hub has done so far (a poll runs after the previous one's
// wake-ups), so nothing here depends on timing; waits are bounded and not measured.
#include "services/statements/feed_hub.h"

#include <atomic>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace summit::statements {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(60);

// A feed version that the test moves, and what the hub had woken by each poll.
class PolledFeed {
 public:
  absl::StatusOr<int64_t> Poll() {
    absl::MutexLock lock(&mu_);
    wakes_at_poll_.push_back(wakes_.load());
    return version_;
  }
  void Move() {
    absl::MutexLock lock(&mu_);
    ++version_;
  }
  // Waits until `n` polls have run; the wake-ups counted when the n-th began.
  int WakesAtPoll(size_t n) {
    absl::MutexLock lock(&mu_);
    const auto polled = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return wakes_at_poll_.size() >= n;
    };
    EXPECT_TRUE(mu_.AwaitWithTimeout(absl::Condition(&polled), kPatience));
    return wakes_at_poll_.size() >= n ? wakes_at_poll_[n - 1] : -1;
  }
  size_t polls() {
    absl::MutexLock lock(&mu_);
    return wakes_at_poll_.size();
  }
  std::atomic<int> wakes_{0};

 private:
  absl::Mutex mu_;
  int64_t version_ ABSL_GUARDED_BY(mu_) = 7;
  std::vector<int> wakes_at_poll_ ABSL_GUARDED_BY(mu_);
};

// A hub polling every millisecond, with one watcher and the feed's version to poll.
class PolledHubTest : public ::testing::Test {
 protected:
  PolledHubTest() {
    hub.Subscribe([this] { ++feed.wakes_; });
    hub.PollVersion([this] { return feed.Poll(); });
  }

  PolledFeed feed;
  FeedHub hub{absl::Milliseconds(1)};
};

TEST_F(PolledHubTest, PollsWakeWatchersOnlyWhenTheFeedMoved) {
  // The first poll learns the version and wakes the watcher once; the next ones find it
  // unchanged.
  const int after_first = feed.WakesAtPoll(2);
  EXPECT_EQ(after_first, 1);
  EXPECT_EQ(feed.WakesAtPoll(6), after_first);

  // Another replica wrote: the next poll wakes the watcher again.
  feed.Move();
  const size_t moved_at = feed.polls();
  EXPECT_EQ(feed.WakesAtPoll(moved_at + 2), after_first + 1);
  EXPECT_EQ(feed.WakesAtPoll(moved_at + 6), after_first + 1);
}

TEST_F(PolledHubTest, ANotifyWakesWatchersWhateverTheVersion) {
  const int settled = feed.WakesAtPoll(3);

  hub.Notify();
  const auto woken = [this, settled] { return feed.wakes_.load() > settled; };
  const absl::Time give_up = absl::Now() + kPatience;
  while (!woken() && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_TRUE(woken());
}

TEST(FeedHubTest, WithoutAVersionEveryPollWakesEveryWatcher) {
  std::atomic<int> wakes{0};
  FeedHub hub(absl::Milliseconds(1));
  hub.Subscribe([&wakes] { ++wakes; });
  const absl::Time give_up = absl::Now() + kPatience;
  while (wakes.load() < 3 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_GE(wakes.load(), 3);
}

}  // namespace
}  // namespace summit::statements
