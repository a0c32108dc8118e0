#include "gateway/gateway_service.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/call_gate.h"
#include "common/status/grpc_status.h"

namespace summit::gateway {
grpc::ServerUnaryReactor* GatewayService::Serve(
    grpc::CallbackServerContext* context, const char* method,
    std::function<grpc::Status(const ViewCaller&)> view) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto admission = std::make_shared<server::CallGate::Admission>(server::CallGate::Process().Admit());
  if (!admission->admitted()) {
    // Draining: answered here, no backend asked.
    const grpc::Status refusal = server::CallGate::Refusal();
    observer_.Record(absl::StrCat("/summit.gateway.v1.GatewayService/", method),
                     refusal.error_code(), absl::ZeroDuration(), "refused");
    reactor->Finish(refusal);
    return reactor;
  }
  absl::StatusOr<peers::ForwardedMetadata> forwarded = peers::ForwardedFrom(*context);
  if (!forwarded.ok()) {
    const grpc::Status refusal = ToGrpcStatus(forwarded.status());
    observer_.Record(absl::StrCat("/summit.gateway.v1.GatewayService/", method),
                     refusal.error_code(), absl::ZeroDuration(), "invalid-token");
    reactor->Finish(refusal);
    return reactor;
  }
  ViewCaller caller;
  caller.forwarded = *std::move(forwarded);
  const char* principal = caller.forwarded.authorization.empty() ? "public" : "forwarded";
  if (std::optional<absl::Duration> wait = limits_.Take(*context)) {
    const grpc::Status refusal = ToGrpcStatus(RateLimitedError(*wait));
    observer_.Record(absl::StrCat("/summit.gateway.v1.GatewayService/", method),
                     refusal.error_code(), absl::ZeroDuration(), principal);
    reactor->Finish(refusal);
    return reactor;
  }
  const absl::Time now = absl::Now();
  const absl::Time deadline = absl::FromChrono(context->deadline());
  caller.deadline = std::min(deadline, now + default_deadline_);
  caller.calls_deadline = CallsDeadline(now, caller.deadline);
  work_.Run([this, reactor, caller, view = std::move(view), method, now, principal, admission] {
    const grpc::Status status = view(caller);
    observer_.Record(absl::StrCat("/summit.gateway.v1.GatewayService/", method), status.error_code(),
                     absl::Now() - now, principal);
    reactor->Finish(status);
    admission->Leave();
  });
  return reactor;
}

grpc::ServerUnaryReactor* GatewayService::GetEventOverview(grpc::CallbackServerContext* context,
                                                           const gv1::GetEventOverviewRequest* request,
                                                           gv1::EventOverview* response) {
  return Serve(context, "GetEventOverview", [this, request, response](const ViewCaller& caller) {
    return views_.EventOverview(caller, *request, response);
  });
}

grpc::ServerUnaryReactor* GatewayService::GetPersonBriefing(
    grpc::CallbackServerContext* context, const gv1::GetPersonBriefingRequest* request,
    gv1::PersonBriefing* response) {
  return Serve(context, "GetPersonBriefing", [this, request, response](const ViewCaller& caller) {
    return views_.PersonBriefing(caller, *request, response);
  });
}

grpc::ServerUnaryReactor* GatewayService::GetDelegationBriefing(
    grpc::CallbackServerContext* context, const gv1::GetDelegationBriefingRequest* request,
    gv1::DelegationBriefing* response) {
  return Serve(context, "GetDelegationBriefing", [this, request, response](const ViewCaller& caller) {
    return views_.DelegationBriefing(caller, *request, response);
  });
}

}  // namespace summit::gateway
