// Observes every RPC a Summit server answers, once, when it finishes: one
// JSON log line (method, code, latency, principal) and the RPC metrics. The
// handlers call it (server::Answer does for every unary method), because
// they know who called without verifying the token a second time, and
// because gRPC's interceptors cost a fifth of a small call's time.
//
//   observability::CallObserver observer(absl::GetFlag(FLAGS_log_calls));
//   observer.Record("/summit.registry.v1.RegistryService/GetPerson",
//                   grpc::StatusCode::OK, absl::Microseconds(80), "people/umerov");
//
// Thread-safe.
#ifndef SUMMIT_COMMON_OBSERVABILITY_CALL_OBSERVER_H_
#define SUMMIT_COMMON_OBSERVABILITY_CALL_OBSERVER_H_

#include <memory>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/observability/rpc_metrics.h"
#include "grpcpp/support/status.h"
#include "prometheus/registry.h"

namespace summit::observability {

class CallObserver {
 public:
  explicit CallObserver(bool log_calls);

  // Records one finished call. `method` is the full gRPC path; `principal`
  // the caller's subject ("public" without a token, "invalid-token" when the
  // token was refused).
  void Record(absl::string_view method, grpc::StatusCode code, absl::Duration latency,
              absl::string_view principal);

  // What the admin port serves at /metrics.
  const std::shared_ptr<prometheus::Registry>& registry() const { return metrics_.registry(); }

 private:
  RpcMetrics metrics_;
  const bool log_calls_;
};

}  // namespace summit::observability

#endif  // SUMMIT_COMMON_OBSERVABILITY_CALL_OBSERVER_H_
