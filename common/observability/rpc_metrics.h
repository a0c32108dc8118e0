// Prometheus metrics of the RPCs a server answers, on the admin port:
//   summit_rpc_requests_total{method, code}   calls finished, by gRPC code
//   summit_rpc_duration_seconds{method}       latency histogram
// Thread-safe.
#ifndef SUMMIT_COMMON_OBSERVABILITY_RPC_METRICS_H_
#define SUMMIT_COMMON_OBSERVABILITY_RPC_METRICS_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace summit::observability {

class RpcMetrics {
 public:
  explicit RpcMetrics(std::shared_ptr<prometheus::Registry> registry);

  // Records one finished call. `method` is the full gRPC path,
  // e.g. "/summit.registry.v1.RegistryService/GetPerson".
  void RecordCall(absl::string_view method, absl::string_view code, double seconds);

  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

 private:
  struct MethodMetrics {
    prometheus::Histogram* duration;
    absl::flat_hash_map<std::string, prometheus::Counter*> requests_by_code;
  };

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  absl::Mutex mu_;
  // Family::Add looks labels up in a map of its own under a lock; caching
  // the handles per method keeps the hot path to one small lookup.
  absl::flat_hash_map<std::string, MethodMetrics> by_method_ ABSL_GUARDED_BY(mu_);
};

}  // namespace summit::observability

#endif  // SUMMIT_COMMON_OBSERVABILITY_RPC_METRICS_H_
