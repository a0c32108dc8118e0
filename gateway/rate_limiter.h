// Per-principal rate limits at the gateway: a token bucket for each caller
// (a verified token's subject, or, for the public and unverifiable tokens,
// the client's IP address), so one greedy caller cannot starve the others.
//
//   RateLimiter limiter({.per_second = 10, .burst = 20});
//   if (std::optional<absl::Duration> wait = limiter.Take(key, absl::Now())) {
//     // refuse: RESOURCE_EXHAUSTED / HTTP 429, retry after *wait
//   }
//
// Thread-safety: Take may be called from any thread.
#ifndef SUMMIT_GATEWAY_RATE_LIMITER_H_
#define SUMMIT_GATEWAY_RATE_LIMITER_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"

namespace summit::gateway {

struct RateLimit {
  // Calls a caller may make per second, sustained; 0 or less: no limit.
  double per_second = 0;
  // Calls a caller may make at once after a quiet spell (at least 1).
  double burst = 1;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  bool enabled() const { return limit_.per_second > 0; }

  // Takes one call from `caller`'s bucket at `now`: nullopt when allowed,
  // else how long until the next call would be.
  std::optional<absl::Duration> Take(const std::string& caller, absl::Time now);

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };

  // Drops the buckets that have refilled: a full bucket is the same as none,
  // so memory stays bounded by the callers active lately.
  void ForgetIdle(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const RateLimit limit_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mutex_);
  size_t next_sweep_size_ ABSL_GUARDED_BY(mutex_) = 1024;
};

// RESOURCE_EXHAUSTED with ErrorInfo reason RATE_LIMITED and a
// google.rpc.RetryInfo saying when the caller may try again (whole
// milliseconds, at least one).
absl::Status RateLimitedError(absl::Duration retry_after);

// Whom a call counts against: "subject:<sub>" for a token `authenticator`
// verifies, else "ip:<address>" of the client (`peer` as gRPC or the HTTP
// server gives it, "ipv4:1.2.3.4:5678", "ipv6:[::1]:5678" or a bare
// address), so a forged token cannot buy a fresh bucket.
std::string RateLimitKey(absl::string_view authorization, absl::string_view peer,
                         const auth::Authenticator& authenticator);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_RATE_LIMITER_H_
