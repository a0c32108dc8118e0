// The gateway's gRPC face for the backends' services: a generic service
// that forwards any call to a method of Registry, Scheduling or Statements to
// that backend as raw bytes — unary and server-streaming alike — with the
// caller's metadata (authorization, request id) and deadline, and the
// backend's answer, status and error details unchanged. One address serves
// every Summit service to clients with generated stubs. A caller over its
// rate limit (rate_limiter.h's CallerLimits) gets RESOURCE_EXHAUSTED with a
// RetryInfo; so does a server stream past the caps on open feeds
// (feed_limits.h). Server streams go over the backend's stream channels,
// never its unary channel (backends.h). When the gateway drains, a forwarded stream ends with
// UNAVAILABLE, to resume from its last event elsewhere; unary calls in flight
// finish.
#ifndef SUMMIT_GATEWAY_GRPC_PROXY_H_
#define SUMMIT_GATEWAY_GRPC_PROXY_H_

#include "common/observability/call_observer.h"
#include "gateway/backends.h"
#include "gateway/contract.h"
#include "gateway/contract_reflection.h"
#include "gateway/feed_limits.h"
#include "gateway/live_streams.h"
#include "gateway/rate_limiter.h"
#include "grpcpp/generic/async_generic_service.h"

namespace summit::gateway {

class GrpcProxy final : public grpc::CallbackGenericService {
 public:
  // All but `limits` (a copy) must outlive this. The contract tells unary
  // methods from streaming ones; `limits` are the per-caller limits of every
  // call into the gateway. `live_streams` (optional, not owned): where
  // forwarded server streams register, so that draining ends them (see
  // live_streams.h). `feed_limits` cap the server streams open at once.
  // `reflection` (optional, not owned): what answers server reflection on
  // this port (contract_reflection.h).
  GrpcProxy(const Backends& backends, const Contract& contract,
            observability::CallObserver& observer, CallerLimits limits,
            LiveStreams* live_streams = nullptr, FeedLimits feed_limits = FeedLimits(),
            const ContractReflection* reflection = nullptr)
      : backends_(backends),
        contract_(contract),
        observer_(observer),
        limits_(limits),
        live_streams_(live_streams),
        feed_limits_(feed_limits),
        reflection_(reflection) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

 private:
  // Whether the method at `path` ("/pkg.Service/Method") streams its answer.
  bool IsServerStreaming(const std::string& path) const;

  const Backends& backends_;
  const Contract& contract_;
  observability::CallObserver& observer_;
  const CallerLimits limits_;
  LiveStreams* const live_streams_;
  const FeedLimits feed_limits_;
  const ContractReflection* const reflection_;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_GRPC_PROXY_H_
