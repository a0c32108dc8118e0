#include "gateway/feed_limits.h"

#include "gateway/rate_limiter.h"

namespace summit::gateway {

absl::StatusOr<server::OpenFeeds::Admission> FeedLimits::Admit(absl::string_view authorization,
                                                               absl::string_view peer) const {
  if (feeds_ == nullptr) return server::OpenFeeds::Admission();
  return feeds_->Admit(RateLimitKey(authorization, peer, *authenticator_));
}

absl::StatusOr<server::OpenFeeds::Admission> FeedLimits::Admit(
    const grpc::ServerContextBase& call) const {
  return Admit(AuthorizationOf(call), call.peer());
}

}  // namespace summit::gateway
