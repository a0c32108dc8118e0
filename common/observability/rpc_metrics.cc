#include "common/observability/rpc_metrics.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/observability/log.h"

namespace summit::observability {

std::vector<std::string> MethodPathsOf(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  std::vector<std::string> paths;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      paths.push_back(absl::StrCat("/", service->full_name(), "/", service->method(i)->name()));
    }
  }
  return paths;
}

std::vector<std::string> MethodPathsOf(std::initializer_list<absl::string_view> service_names) {
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (absl::string_view name : service_names) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(std::string(name));
    if (service == nullptr) {
      log::Error("no such service compiled in", {{"service", name}});
      std::abort();
    }
    services.push_back(service);
  }
  return MethodPathsOf(services);
}

RpcMetrics::RpcMetrics(std::shared_ptr<prometheus::Registry> registry,
                       const std::vector<std::string>& known_methods)
    : registry_(std::move(registry)),
      known_methods_(known_methods.begin(), known_methods.end()),
      requests_(prometheus::BuildCounter()
                    .Name("summit_rpc_requests_total")
                    .Help("RPCs finished, by method and gRPC status code")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("summit_rpc_duration_seconds")
                     .Help("RPC latency from arrival to status, by method")
                     .Register(*registry_)) {}

absl::string_view RpcMetrics::MethodLabel(absl::string_view method) const {
  return known_methods_.contains(method) ? method : kUnknownMethod;
}

void RpcMetrics::RecordCall(absl::string_view requested, absl::string_view code, double seconds) {
  const absl::string_view method = MethodLabel(requested);
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
