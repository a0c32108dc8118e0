// The HTTP/JSON face of the gateway: every annotated RPC of the contract,
// transcoded (transcoder.h) and forwarded as raw bytes to its backend, with
// the caller's Authorization header, a deadline (grpc-timeout, or a
// default), a request id, and CORS for the configured origins. Server
// streams (the statements feed) become Server-Sent Events, or
// newline-delimited JSON when the client asks for application/x-ndjson, and
// resume from Last-Event-ID; an event stream starts with a retry: hint and
// sends a comment while quiet (HttpServerOptions::stream_keep_alive), and a
// stream past the caps on open feeds (feed_limits.h) gets 429 with
// Retry-After. Streams go over the backend's stream channels, never its
// unary channel (backends.h). GET /openapi.json serves the OpenAPI document.
// A caller over its rate limit gets 429 with Retry-After and the
// google.rpc.Status (with RetryInfo) as JSON; a token longer than any
// backend takes, 401 as a backend would answer it, and so does an
// Authorization header given twice or holding a byte gRPC cannot forward
// (peers/forwarded_metadata.h); another header the gateway reads given
// twice, 400.
#ifndef SUMMIT_GATEWAY_HTTP_GATEWAY_H_
#define SUMMIT_GATEWAY_HTTP_GATEWAY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/http/http_server.h"
#include "common/observability/call_observer.h"
#include "common/peers/forwarded_metadata.h"
#include "gateway/backends.h"
#include "gateway/contract.h"
#include "gateway/feed_limits.h"
#include "gateway/live_streams.h"
#include "gateway/rate_limiter.h"
#include "gateway/transcoder.h"

namespace summit::gateway {

struct HttpGatewayOptions {
  // Origins allowed to call from a browser ("*" for any); empty: none.
  std::vector<std::string> cors_origins;
  // The deadline of a call that names none (grpc-timeout).
  absl::Duration default_timeout = absl::Seconds(30);
  // The OpenAPI document served at /openapi.json.
  std::string openapi_json;
  // Per-caller limits on API calls (not on the web page or the OpenAPI
  // document): the same CallerLimits as the gRPC side's (rate_limiter.h).
  CallerLimits limits;
  // Where event streams register, so that draining ends them with an error
  // event (UNAVAILABLE) a client resumes after (live_streams.h). Null: they
  // run until the server stops. Not owned.
  LiveStreams* live_streams = nullptr;
  // Caps on the event streams open at once, shared with the gRPC side's.
  FeedLimits feed_limits;
  // The reconnection delay an event stream asks of an EventSource (its
  // retry: field), each stream a random one between this and twice this, so
  // that the clients of a gateway that drains do not all come back at once.
  absl::Duration sse_retry = absl::Seconds(3);
};

class HttpGateway {
 public:
  // All must outlive this.
  HttpGateway(const Contract& contract, const Backends& backends,
              observability::CallObserver& observer, HttpGatewayOptions options)
      : contract_(contract),
        transcoder_(contract),
        backends_(backends),
        observer_(observer),
        options_(std::move(options)) {}

  void Handle(std::shared_ptr<http::HttpExchange> exchange);

  // The method labels it records HTTP calls under, for the CallObserver's
  // known methods: "HTTP <gRPC path>" of every route, and "HTTP <verb>" of
  // every verb a route takes (a request no route matched). A verb or path a
  // caller invents is recorded, like an unknown gRPC method, as "unknown".
  static std::vector<std::string> RecordedMethods(const Contract& contract);

 private:
  void Forward(std::shared_ptr<http::HttpExchange> exchange, const GrpcCall& call,
               const peers::ForwardedMetadata& forwarded, http::HttpHeaders headers);
  void Stream(std::shared_ptr<http::HttpExchange> exchange, const GrpcCall& call,
              const peers::ForwardedMetadata& forwarded, http::HttpHeaders headers, bool ndjson);
  void Fail(const std::shared_ptr<http::HttpExchange>& exchange, const HttpError& error,
            http::HttpHeaders headers);
  // Answers with `refusal` (not OK) as a google.rpc.Status, never forwarding the call; a
  // refusal with a RetryInfo also says Retry-After.
  void Refuse(const std::shared_ptr<http::HttpExchange>& exchange, const absl::Status& refusal,
              http::HttpHeaders headers);
  // CORS and request-id headers every answer carries.
  http::HttpHeaders CommonHeaders(const http::HttpRequest& request,
                                  const std::string& request_id) const;
  bool OriginAllowed(const std::string& origin) const;

  const Contract& contract_;
  Transcoder transcoder_;
  const Backends& backends_;
  observability::CallObserver& observer_;
  const HttpGatewayOptions options_;
};

// A grpc-timeout header value ("10S", "500m", "2M"…), or nullopt.
std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view value);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_HTTP_GATEWAY_H_
