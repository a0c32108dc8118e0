// The gateway's caps on open live feeds (common/server/open_feeds.h), applied on both ways a
// feed comes in: Server-Sent Events or NDJSON over HTTP (http_gateway.h) and a server stream
// through the gRPC proxy (grpc_proxy.h). A caller is counted as the rate limit counts it
// (rate_limiter.h RateLimitKey: a verified token's subject, else the client's address), so
// both ways share one count per caller, and one in all.
//
//   FeedLimits limits(&open_feeds, &authenticator);
//   absl::StatusOr<server::OpenFeeds::Admission> admission = limits.Admit(call_context);
//   if (!admission.ok()) return Refuse(admission.status());  // RESOURCE_EXHAUSTED / 429
//
// Cheap to copy; copies count against the same OpenFeeds. Thread-safety: Admit may be called
// from any thread.
#ifndef SUMMIT_GATEWAY_FEED_LIMITS_H_
#define SUMMIT_GATEWAY_FEED_LIMITS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/authenticator.h"
#include "common/server/open_feeds.h"
#include "grpcpp/server_context.h"

namespace summit::gateway {

class FeedLimits {
 public:
  // No caps.
  FeedLimits() = default;
  // Neither is owned; both must outlive every copy.
  FeedLimits(server::OpenFeeds* feeds, const auth::Authenticator* authenticator)
      : feeds_(feeds), authenticator_(authenticator) {}

  // A place for one more feed of the caller that `authorization` (the header's value, "" for
  // none) and `peer` name, or RESOURCE_EXHAUSTED TOO_MANY_FEEDS with a RetryInfo.
  absl::StatusOr<server::OpenFeeds::Admission> Admit(absl::string_view authorization,
                                                     absl::string_view peer) const;
  // The same for a gRPC call: its authorization metadata and its peer.
  absl::StatusOr<server::OpenFeeds::Admission> Admit(const grpc::ServerContextBase& call) const;

 private:
  server::OpenFeeds* feeds_ = nullptr;
  const auth::Authenticator* authenticator_ = nullptr;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_FEED_LIMITS_H_
