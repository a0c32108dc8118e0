// A server interceptor that observes every call once: one JSON log line
// (method, code, latency, principal) and the RPC metrics. It changes nothing
// about the call; authorization stays with the handlers.
#ifndef SUMMIT_COMMON_OBSERVABILITY_CALL_OBSERVER_H_
#define SUMMIT_COMMON_OBSERVABILITY_CALL_OBSERVER_H_

#include "common/auth/authenticator.h"
#include "common/observability/rpc_metrics.h"
#include "grpcpp/support/server_interceptor.h"

namespace summit::observability {

class CallObserverFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` and `authenticator` must outlive the server.
  CallObserverFactory(RpcMetrics* metrics, const auth::Authenticator* authenticator,
                      bool log_calls)
      : metrics_(metrics), authenticator_(authenticator), log_calls_(log_calls) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcMetrics* metrics_;
  const auth::Authenticator* authenticator_;
  bool log_calls_;
};

}  // namespace summit::observability

#endif  // SUMMIT_COMMON_OBSERVABILITY_CALL_OBSERVER_H_
