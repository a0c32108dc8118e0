// A cap on the live feeds (long-lived server streams) a process holds open: at most
// `per_caller` for one caller and `total` in all. Each open feed holds an HTTP/2 stream, memory
// and a wake-up on every change of the feed; without a cap, one client (or a few hundred
// readers of the web page) can hold as many as it likes, and past a connection's stream limit
// the streams queue behind each other and starve every other call on that connection. A feed
// over a cap is refused at once with RESOURCE_EXHAUSTED, reason TOO_MANY_FEEDS, and a RetryInfo
// (HTTP: 429 with Retry-After), and holds nothing.
//
//   OpenFeeds feeds({.per_caller = 32, .total = 2000});
//   absl::StatusOr<OpenFeeds::Admission> admission = feeds.Admit(CallerKey(subject, peer));
//   if (!admission.ok()) return Refuse(admission.status());
//   ... serve the feed; it counts as open until the admission is destroyed ...
//
// Thread-safety: Admit may be called from any thread; an Admission may be destroyed on any.
#ifndef SUMMIT_COMMON_SERVER_OPEN_FEEDS_H_
#define SUMMIT_COMMON_SERVER_OPEN_FEEDS_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace summit::server {

struct FeedCaps {
  // Feeds one caller (common/server/caller_key.h) may hold open; 0 or less: no cap.
  int per_caller = 32;
  // Feeds the process holds open in all; 0 or less: no cap.
  int total = 2000;
};

class OpenFeeds {
 public:
  // One open feed's place under the caps, given back when destroyed. Movable, not copyable.
  class Admission {
   public:
    Admission() = default;
    Admission(Admission&& other) noexcept;
    Admission& operator=(Admission&& other) noexcept;
    Admission(const Admission&) = delete;
    Admission& operator=(const Admission&) = delete;
    ~Admission() { Release(); }

   private:
    friend class OpenFeeds;
    Admission(OpenFeeds* feeds, std::string caller) : feeds_(feeds), caller_(std::move(caller)) {}
    void Release();

    OpenFeeds* feeds_ = nullptr;
    std::string caller_;
  };

  // How long a refused caller is told to wait: feeds last minutes or hours, so one closes
  // seldom sooner; a browser's EventSource does not retry a refusal of its own accord.
  static constexpr absl::Duration kRetryDelay = absl::Seconds(10);

  explicit OpenFeeds(FeedCaps caps) : caps_(caps) {}
  OpenFeeds(const OpenFeeds&) = delete;
  OpenFeeds& operator=(const OpenFeeds&) = delete;

  // A place for one more feed of `caller`, or RESOURCE_EXHAUSTED TOO_MANY_FEEDS (with a
  // RetryInfo of kRetryDelay) when it would pass a cap.
  absl::StatusOr<Admission> Admit(const std::string& caller);

  // Feeds open now, in all and of `caller`.
  int open() const;
  int open_of(const std::string& caller) const;

  const FeedCaps& caps() const { return caps_; }

 private:
  void Release(const std::string& caller);

  const FeedCaps caps_;
  mutable absl::Mutex mu_;
  // Only callers with a feed open: memory stays bounded by the total cap.
  absl::flat_hash_map<std::string, int> open_by_caller_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_OPEN_FEEDS_H_
