#include "common/observability/rpc_metrics.h"

#include <utility>

namespace summit::observability {

RpcMetrics::RpcMetrics(std::shared_ptr<prometheus::Registry> registry)
    : registry_(std::move(registry)),
      requests_(prometheus::BuildCounter()
                    .Name("summit_rpc_requests_total")
                    .Help("RPCs finished, by method and gRPC status code")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("summit_rpc_duration_seconds")
                     .Help("RPC latency from arrival to status, by method")
                     .Register(*registry_)) {}

void RpcMetrics::RecordCall(absl::string_view method, absl::string_view code, double seconds) {
  prometheus::Histogram* duration = nullptr;
  prometheus::Counter* requests = nullptr;
  {
    // The common case, a method and code seen before, only reads the map.
    absl::ReaderMutexLock lock(&mu_);
    auto it = by_method_.find(method);
    if (it != by_method_.end()) {
      auto code_it = it->second.requests_by_code.find(code);
      if (code_it != it->second.requests_by_code.end()) {
        duration = it->second.duration;
        requests = code_it->second;
      }
    }
  }
  if (requests == nullptr) {
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = by_method_.try_emplace(method);
    MethodMetrics& metrics = it->second;
    if (inserted) {
      metrics.duration = &durations_.Add(
          {{"method", std::string(method)}},
          prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
                                                  10});
    }
    auto [code_it, code_inserted] = metrics.requests_by_code.try_emplace(code);
    if (code_inserted) {
      code_it->second =
          &requests_.Add({{"method", std::string(method)}, {"code", std::string(code)}});
    }
    duration = metrics.duration;
    requests = code_it->second;
  }
  requests->Increment();
  duration->Observe(seconds);
}

}  // namespace summit::observability
