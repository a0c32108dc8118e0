#include "gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/caller_key.h"
#include "common/status/error.h"
#include "common/status/retry_info.h"

namespace summit::gateway {

std::optional<absl::Duration> RateLimiter::Take(const std::string& caller, absl::Time now) {
  if (!enabled()) return std::nullopt;
  const double burst = std::max(1.0, limit_.burst);
  absl::MutexLock lock(&mutex_);
  auto [it, inserted] = buckets_.try_emplace(caller, Bucket{burst, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
    bucket.tokens = std::min(burst, bucket.tokens + elapsed * limit_.per_second);
    bucket.updated = now;
  }
  std::optional<absl::Duration> wait;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
  } else {
    wait = absl::Seconds((1 - bucket.tokens) / limit_.per_second);
  }
  if (buckets_.size() >= next_sweep_size_) ForgetIdle(now);
  return wait;
}

void RateLimiter::ForgetIdle(absl::Time now) {
  const double burst = std::max(1.0, limit_.burst);
  absl::erase_if(buckets_, [&](const auto& entry) {
    const double elapsed = absl::ToDoubleSeconds(now - entry.second.updated);
    return entry.second.tokens + elapsed * limit_.per_second >= burst;
  });
  // Sweeping again only after as many new callers again keeps Take's cost
  // amortized constant.
  next_sweep_size_ = std::max<size_t>(1024, 2 * buckets_.size());
}

absl::Status RateLimitedError(absl::Duration retry_after) {
  const int64_t millis = absl::ToInt64Milliseconds(absl::Ceil(retry_after, absl::Milliseconds(1)));
  return WithRetryDelay(
      ErrorWithReason(absl::StatusCode::kResourceExhausted, "RATE_LIMITED",
                      absl::StrCat("too many calls from this caller; retry in ",
                                   std::max<int64_t>(1, millis), " ms")),
      retry_after);
}

std::string RateLimitKey(absl::string_view authorization, absl::string_view peer,
                         const auth::Authenticator& authenticator) {
  if (!authorization.empty()) {
    absl::StatusOr<auth::Principal> principal = authenticator.AuthenticateHeader(authorization);
    if (principal.ok()) return server::CallerKey(principal->subject, peer);
  }
  return server::CallerKey("", peer);
}

absl::string_view AuthorizationOf(const grpc::ServerContextBase& call) {
  const auto& metadata = call.client_metadata();
  const auto authorization = metadata.find("authorization");
  return authorization == metadata.end()
             ? absl::string_view()
             : absl::string_view(authorization->second.data(), authorization->second.size());
}

std::optional<absl::Duration> CallerLimits::Take(absl::string_view authorization,
                                                 absl::string_view peer) const {
  if (limiter_ == nullptr) return std::nullopt;
  return limiter_->Take(RateLimitKey(authorization, peer, *authenticator_), absl::Now());
}

std::optional<absl::Duration> CallerLimits::Take(const grpc::ServerContextBase& call) const {
  if (limiter_ == nullptr) return std::nullopt;
  return Take(AuthorizationOf(call), call.peer());
}

}  // namespace summit::gateway
