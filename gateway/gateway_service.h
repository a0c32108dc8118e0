// summit.gateway.v1.GatewayService over gRPC: each call is handed to a view
// (views/views.h) on the view threads, with the caller's token, request id
// and deadline (a default one when the caller set none). A caller over its
// rate limit (rate_limiter.h's CallerLimits, the one every way into the
// gateway applies) gets RESOURCE_EXHAUSTED with a RetryInfo.
#ifndef SUMMIT_GATEWAY_GATEWAY_SERVICE_H_
#define SUMMIT_GATEWAY_GATEWAY_SERVICE_H_

#include <functional>

#include "absl/time/time.h"
#include "common/observability/call_observer.h"
#include "common/server/work_queue.h"
#include "gateway/rate_limiter.h"
#include "gateway/views/views.h"
#include "summit/gateway/v1/gateway_service.grpc.pb.h"

namespace summit::gateway {

class GatewayService final : public gv1::GatewayService::CallbackService {
 public:
  // All but `limits` (a copy) must outlive the service.
  GatewayService(Views& views, server::WorkQueue& work, observability::CallObserver& observer,
                 CallerLimits limits, absl::Duration default_deadline = absl::Seconds(5))
      : views_(views),
        work_(work),
        observer_(observer),
        limits_(limits),
        default_deadline_(default_deadline) {}

  grpc::ServerUnaryReactor* GetEventOverview(grpc::CallbackServerContext* context,
                                             const gv1::GetEventOverviewRequest* request,
                                             gv1::EventOverview* response) override;
  grpc::ServerUnaryReactor* GetPersonBriefing(grpc::CallbackServerContext* context,
                                              const gv1::GetPersonBriefingRequest* request,
                                              gv1::PersonBriefing* response) override;
  grpc::ServerUnaryReactor* GetDelegationBriefing(grpc::CallbackServerContext* context,
                                                  const gv1::GetDelegationBriefingRequest* request,
                                                  gv1::DelegationBriefing* response) override;

 private:
  // Runs `view` on the view threads with the caller as the backends must
  // see them, then finishes the call with its status.
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context, const char* method,
                                  std::function<grpc::Status(const ViewCaller&)> view);

  Views& views_;
  server::WorkQueue& work_;
  observability::CallObserver& observer_;
  const CallerLimits limits_;
  const absl::Duration default_deadline_;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_GATEWAY_SERVICE_H_
