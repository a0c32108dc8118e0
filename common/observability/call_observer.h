// Observes every RPC a Summit server answers, once, when it finishes: one
// JSON log line (method, code, latency, principal) and the RPC metrics. The
// handlers call it (server::Answer does for every unary method), because
// they know who called without verifying the token a second time, and
// because gRPC's interceptors cost a fifth of a small call's time.
//
//   observability::CallObserver observer(
//       absl::GetFlag(FLAGS_log_calls),
//       observability::MethodPathsOf({"summit.registry.v1.RegistryService"}));
//   observer.Record("/summit.registry.v1.RegistryService/GetPerson",
//                   grpc::StatusCode::OK, absl::Microseconds(80), "people/umerov");
//
// Whatever a caller sends, the metrics stay bounded (rpc_metrics.h): a
// method the process does not serve is recorded as method="unknown", with
// the code the caller got; the log line names what was asked for, cut.
//
// Thread-safe.
#ifndef SUMMIT_COMMON_OBSERVABILITY_CALL_OBSERVER_H_
#define SUMMIT_COMMON_OBSERVABILITY_CALL_OBSERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/observability/rpc_metrics.h"
#include "grpcpp/support/status.h"
#include "prometheus/registry.h"

namespace summit::observability {

class CallObserver {
 public:
  // `known_methods`: the methods the process serves, as full gRPC paths
  // (MethodPathsOf), and any other label its handlers record (the gateway's
  // "HTTP …"); every other method is recorded as kUnknownMethod.
  CallObserver(bool log_calls, const std::vector<std::string>& known_methods);

  // Records one finished call. `method` is the full gRPC path, as the caller
  // sent it; `code` the code the caller got; `principal` the caller's
  // subject ("public" without a token, "invalid-token" when the token was
  // refused).
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
