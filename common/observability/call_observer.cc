#include "common/observability/call_observer.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/observability/log.h"
#include "google/protobuf/descriptor.h"

namespace summit::observability {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Whether "/pkg.Service/Method" is a method of a contract compiled into this
// binary.
bool IsContractMethod(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (path.size() < 3 || path[0] != '/' || slash == 0 || slash == absl::string_view::npos) {
    return false;
  }
  const std::string full_name =
      absl::StrCat(path.substr(1, slash - 1), ".", path.substr(slash + 1));
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name) != nullptr;
}

class CallObserver final : public grpc::experimental::Interceptor {
 public:
  CallObserver(const char* method, RpcMetrics* metrics,
               const auth::Authenticator* authenticator, bool log_calls)
      : method_(method != nullptr ? method : "unknown"),
        metrics_(metrics),
        authenticator_(authenticator),
        log_calls_(log_calls),
        start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (log_calls_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      principal_ = DescribePrincipal(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
      const std::string code =
          absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
      // Any client may invent method paths; each would become a permanent
      // metric series. A call no service answers is counted as "unknown".
      const bool invented = status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
                            !IsContractMethod(method_);
      metrics_->RecordCall(invented ? "unknown" : method_, code, seconds);
      if (log_calls_) {
        log::Info("rpc", {{"method", method_},
                          {"code", code},
                          {"latency_ms", seconds * 1000.0},
                          {"principal", principal_}});
      }
    }
    methods->Proceed();
  }

 private:
  // Who called, for the log only: the token's subject, "public" without a
  // token, or why the token was refused (the handler refuses the call).
  std::string DescribePrincipal(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const {
    auto it = metadata.find("authorization");
    if (it == metadata.end()) return "public";
    if (authenticator_ == nullptr) return "unverified";
    absl::StatusOr<auth::Principal> principal = authenticator_->AuthenticateHeader(
        absl::string_view(it->second.data(), it->second.size()));
    if (!principal.ok()) return "invalid-token";
    return principal->subject.empty() ? "public" : principal->subject;
  }

  const std::string method_;
  RpcMetrics* metrics_;
  const auth::Authenticator* authenticator_;
  const bool log_calls_;
  const absl::Time start_;
  std::string principal_ = "public";
};

}  // namespace

grpc::experimental::Interceptor* CallObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallObserver(info->method(), metrics_, authenticator_, log_calls_);
}

}  // namespace summit::observability
