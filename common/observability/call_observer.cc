#include "common/observability/call_observer.h"

#include <string>

#include "absl/status/status.h"
#include "common/observability/log.h"

namespace summit::observability {

CallObserver::CallObserver(bool log_calls)
    : metrics_(std::make_shared<prometheus::Registry>()), log_calls_(log_calls) {}

void CallObserver::Record(absl::string_view method, grpc::StatusCode code, absl::Duration latency,
                          absl::string_view principal) {
  const std::string code_name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  const double seconds = absl::ToDoubleSeconds(latency);
  metrics_.RecordCall(method, code_name, seconds);
  if (log_calls_) {
    log::Info("rpc", {{"method", method},
                      {"code", code_name},
                      {"latency_ms", seconds * 1000.0},
                      {"principal", principal}});
  }
}

}  // namespace summit::observability
