#include "common/observability/call_observer.h"

#include <string>

#include "absl/status/status.h"
#include "common/observability/log.h"
#include "common/status/error_size.h"

namespace summit::observability {

namespace {

// A code's name; a number no gRPC code has (a peer may send any) is UNKNOWN,
// as gRPC itself reads it, so that the code label stays bounded too.
std::string CodeName(grpc::StatusCode code) {
  const int number = static_cast<int>(code);
  const bool known = number >= grpc::StatusCode::OK && number <= grpc::StatusCode::UNAUTHENTICATED;
  return absl::StatusCodeToString(known ? static_cast<absl::StatusCode>(number)
                                        : absl::StatusCode::kUnknown);
}

// How much of an unknown method's path the call log keeps.
constexpr size_t kLoggedUnknownMethodChars = 200;

}  // namespace

CallObserver::CallObserver(bool log_calls, const std::vector<std::string>& known_methods)
    : metrics_(std::make_shared<prometheus::Registry>(), known_methods), log_calls_(log_calls) {}

void CallObserver::Record(absl::string_view method, grpc::StatusCode code, absl::Duration latency,
                          absl::string_view principal) {
  const std::string code_name = CodeName(code);
  const double seconds = absl::ToDoubleSeconds(latency);
  metrics_.RecordCall(method, code_name, seconds);
  if (!log_calls_) return;
  const absl::string_view label = metrics_.MethodLabel(method);
  if (label == method) {
    log::Info("rpc", {{"method", method},
                      {"code", code_name},
                      {"latency_ms", seconds * 1000.0},
                      {"principal", principal}});
  } else {
    // What was asked for helps an operator see a probe; it is the caller's
    // text, so only its beginning.
    log::Info("rpc", {{"method", label},
                      {"requested_method", CutText(method, kLoggedUnknownMethodChars)},
                      {"code", code_name},
                      {"latency_ms", seconds * 1000.0},
                      {"principal", principal}});
  }
}

}  // namespace summit::observability
