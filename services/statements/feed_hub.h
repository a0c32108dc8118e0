// Wakes the live feed's watchers when the feed may have grown: at once when
// this process commits to the feed, and when a poll every `poll_interval`
// finds that the feed's version (PollVersion: its newest sequence number)
// changed, so that entries committed by another replica on a shared
// database are found too. A quiet feed costs one small read a poll, not one
// read per watcher: thousands of open feeds must not keep the database busy
// for the calls of everyone else.
//
// Notify only marks the feed as moved and returns: the hub's own thread
// wakes the subscribers, so a publisher never waits for its watchers.
//
// Thread-safety: all methods may be called concurrently. Callbacks run on
// the hub's thread while its lock is held, so after Unsubscribe returns a
// callback never runs again; a callback must not call back into the hub.
#ifndef SUMMIT_SERVICES_STATEMENTS_FEED_HUB_H_
#define SUMMIT_SERVICES_STATEMENTS_FEED_HUB_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace summit::statements {

class FeedHub {
 public:
  explicit FeedHub(absl::Duration poll_interval = absl::Seconds(1));
  ~FeedHub();

  FeedHub(const FeedHub&) = delete;
  FeedHub& operator=(const FeedHub&) = delete;

  // What a poll reads to learn whether the feed moved; while none is set, or
  // when it fails, every poll wakes every subscriber.
  void PollVersion(std::function<absl::StatusOr<int64_t>()> version);

  int64_t Subscribe(std::function<void()> wake);
  void Unsubscribe(int64_t id);
  // Wakes every subscriber soon.
  void Notify();
  // The server is shutting down: watchers should end now (their clients
  // reconnect elsewhere with their resume token). Wakes every subscriber.
  void Close();
  bool closed() const { return closed_.load(std::memory_order_acquire); }

 private:
  void Run();

  absl::Mutex mu_;
  absl::flat_hash_map<int64_t, std::function<void()>> subscribers_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool moved_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::function<absl::StatusOr<int64_t>()> version_ ABSL_GUARDED_BY(mu_);
  std::optional<int64_t> last_version_ ABSL_GUARDED_BY(mu_);  // at the last poll
  std::atomic<bool> closed_{false};
  const absl::Duration poll_interval_;
  std::thread thread_;
};

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_FEED_HUB_H_
