// The gateway's aggregated views (summit.gateway.v1.GatewayService): each
// asks Registry, Scheduling and Statements in parallel waves (fan_out.h)
// with the caller's token, batching every lookup (one BatchGetPeople for all
// the people a view names, one list per kind of thing), and assembles what
// came back. A failed or slow backend leaves its sections empty and marked
// with the error; only the view's core resource is required.
//
// Facts that rarely change and that every caller who may read them reads
// alike — an event, the organizations — are reused from recent answers
// (recent_answers.h) for at most ViewsOptions::recent_facts.max_age, the
// staleness GetEventOverview's contract states.
#ifndef SUMMIT_GATEWAY_VIEWS_VIEWS_H_
#define SUMMIT_GATEWAY_VIEWS_VIEWS_H_

#include <memory>

#include "gateway/views/fan_out.h"
#include "gateway/views/recent_answers.h"
#include "gateway/views/view_parts.h"
#include "grpcpp/channel.h"
#include "summit/gateway/v1/gateway_service.pb.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"

namespace summit::gateway {

namespace gv1 = ::summit::gateway::v1;

// The longest an event or the organizations are reused: what GetEventOverview's contract
// promises (gateway_service.proto).
inline constexpr absl::Duration kMaxViewFactsAge = absl::Seconds(5);

struct ViewsOptions {
  // How long an event or the organizations are reused, and how many events are held (the
  // organizations are one list).
  RecentAnswersOptions recent_facts;
};

class Views {
 public:
  Views(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> scheduling,
        std::shared_ptr<grpc::Channel> statements, ViewsOptions options = ViewsOptions());

  grpc::Status EventOverview(const ViewCaller& caller, const gv1::GetEventOverviewRequest& request,
                             gv1::EventOverview* overview);
  grpc::Status PersonBriefing(const ViewCaller& caller, const gv1::GetPersonBriefingRequest& request,
                              gv1::PersonBriefing* briefing);
  grpc::Status DelegationBriefing(const ViewCaller& caller,
                                  const gv1::GetDelegationBriefingRequest& request,
                                  gv1::DelegationBriefing* briefing);

 private:
  // The organizations from a recent answer, or asked for in the wave.
  void StartOrganizations(Wave& wave, PeopleLookup& lookup);
  // Keeps the organizations the wave fetched (after PeopleLookup::Finish).
  void KeepOrganizations(const PeopleLookup& lookup);

  RecentAnswers<registry::v1::Event> recent_events_;
  RecentAnswers<registry::v1::ListOrganizationsResponse> recent_organizations_;
  std::unique_ptr<registry::v1::RegistryService::Stub> registry_;
  std::unique_ptr<scheduling::v1::SchedulingService::Stub> scheduling_;
  std::unique_ptr<statements::v1::StatementsService::Stub> statements_;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_VIEWS_VIEWS_H_
