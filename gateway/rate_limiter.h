// Per-principal rate limits at the gateway: a token bucket for each caller
// (a verified token's subject, or, for the public and unverifiable tokens,
// the client's IP address), so one greedy caller cannot starve the others.
// CallerLimits is the one limit every way into the gateway applies: gRPC
// calls of a backend's method (grpc_proxy.h) or of a view
// (gateway_service.h), and every API call over HTTP (http_gateway.h).
//
//   RateLimiter limiter({.per_second = 10, .burst = 20});
//   CallerLimits limits(&limiter, &authenticator);
//   if (std::optional<absl::Duration> wait = limits.Take(authorization, peer)) {
//     // refuse: RateLimitedError(*wait), RESOURCE_EXHAUSTED / HTTP 429
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
#include "grpcpp/server_context.h"

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

// A gRPC call's authorization metadata, "" when it has none.
absl::string_view AuthorizationOf(const grpc::ServerContextBase& call);

// The limit on every call that comes into the gateway, whichever way in, so
// that none escapes it: each way in takes one call from the caller's bucket.
// Cheap to copy; copies take from the same buckets.
class CallerLimits {
 public:
  // No limit.
  CallerLimits() = default;
  // `limiter` null or disabled: no limit. Not owned; `authenticator` tells
  // callers apart (RateLimitKey) and must be set with a limiter.
  CallerLimits(RateLimiter* limiter, const auth::Authenticator* authenticator)
      : limiter_(limiter != nullptr && limiter->enabled() ? limiter : nullptr),
        authenticator_(authenticator) {}

  bool enabled() const { return limiter_ != nullptr; }

  // Takes one call from the bucket of the caller that `authorization` (the
  // header's value, "" for none) and `peer` name: nullopt when admitted,
  // else how long until that caller may call again.
  std::optional<absl::Duration> Take(absl::string_view authorization, absl::string_view peer) const;
  // The same for a gRPC call: its authorization metadata and its peer.
  std::optional<absl::Duration> Take(const grpc::ServerContextBase& call) const;

 private:
  RateLimiter* limiter_ = nullptr;
  const auth::Authenticator* authenticator_ = nullptr;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_RATE_LIMITER_H_
