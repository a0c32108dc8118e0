// Prometheus metrics of the RPCs a server answers, on the admin port:
//   summit_rpc_requests_total{method, code}   calls finished, by gRPC code
//   summit_rpc_duration_seconds{method}       latency histogram
//
// Every label value comes from a bounded set, whatever callers send: a
// method is labelled by its own name only when the process knows it (the
// methods of the services it serves, given at construction); any other — a
// path or an HTTP verb a caller made up — is counted under
// method="unknown". Each distinct label value is a counter and a 17-bucket
// histogram kept for the process's life, so a label a caller could choose
// would let anyone grow the server's memory and every scrape without bound.
//
//   RpcMetrics metrics(registry, MethodPathsOf({"summit.registry.v1.RegistryService"}));
//
// Thread-safe.
#ifndef SUMMIT_COMMON_OBSERVABILITY_RPC_METRICS_H_
#define SUMMIT_COMMON_OBSERVABILITY_RPC_METRICS_H_

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace summit::observability {

// The one label of every method the process does not know.
inline constexpr absl::string_view kUnknownMethod = "unknown";

// The full gRPC path ("/summit.registry.v1.RegistryService/GetPerson") of
// every method of `services`.
std::vector<std::string> MethodPathsOf(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services);
// The same for services compiled into this binary, by full name. A name the
// binary does not hold is a wiring error: it aborts, saying which.
std::vector<std::string> MethodPathsOf(std::initializer_list<absl::string_view> service_names);

class RpcMetrics {
 public:
  // `known_methods`: the method labels recorded under their own name (see
  // above); every other is recorded as kUnknownMethod.
  RpcMetrics(std::shared_ptr<prometheus::Registry> registry,
             const std::vector<std::string>& known_methods);

  // Records one finished call. `method` is the full gRPC path,
  // e.g. "/summit.registry.v1.RegistryService/GetPerson", or another label
  // the process knows; `code` a gRPC code's name ("OK", "NOT_FOUND").
  void RecordCall(absl::string_view method, absl::string_view code, double seconds);

  // The label `method` is recorded under: itself when known, else
  // kUnknownMethod.
  absl::string_view MethodLabel(absl::string_view method) const;

  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

 private:
  struct MethodMetrics {
    prometheus::Histogram* duration;
    absl::flat_hash_map<std::string, prometheus::Counter*> requests_by_code;
  };

  std::shared_ptr<prometheus::Registry> registry_;
  const absl::flat_hash_set<std::string> known_methods_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  absl::Mutex mu_;
  // Family::Add looks labels up in a map of its own under a lock; caching
  // the handles per method keeps the hot path to one small lookup.
  absl::flat_hash_map<std::string, MethodMetrics> by_method_ ABSL_GUARDED_BY(mu_);
};

}  // namespace summit::observability

#endif  // SUMMIT_COMMON_OBSERVABILITY_RPC_METRICS_H_
