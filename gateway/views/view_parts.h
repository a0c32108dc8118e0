// What the three views share: looking up many people at once, and showing a
// session in an event's local time.
#ifndef SUMMIT_GATEWAY_VIEWS_VIEW_PARTS_H_
#define SUMMIT_GATEWAY_VIEWS_VIEW_PARTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "gateway/views/fan_out.h"
#include "summit/gateway/v1/gateway_service.pb.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"

namespace summit::gateway {

namespace rv1 = ::summit::registry::v1;
namespace gv1 = ::summit::gateway::v1;

// A batch lookup of people and their organizations' names: one
// ListOrganizations, which needs nothing and so goes out in a view's first
// wave (or the list a view already has, UseOrganizations); optionally the
// event's participant list with their people (StartParticipants), which
// names everyone a session or delegation of the event may name, also in the
// first wave; and one BatchGetPeople per 1,000 people for those the list did
// not name (StartPeople). Read after the waves (Finish).
class PeopleLookup {
 public:
  void StartOrganizations(Wave& wave, rv1::RegistryService::Stub& registry);
  // The organizations as a previous call listed them.
  void UseOrganizations(std::shared_ptr<const rv1::ListOrganizationsResponse> organizations);
  // What ListOrganizations answered: null when not started or it failed.
  std::shared_ptr<const rv1::ListOrganizationsResponse> organizations() const;
  void StartParticipants(Wave& wave, rv1::RegistryService::Stub& registry, const std::string& event);
  // The participant list's call (null when not started), to wait for before StartPeople.
  const std::shared_ptr<CallResult<rv1::ListParticipantsResponse>>& participants() const {
    return participants_;
  }
  // Looks up those of `people` the participant list (once its call has ended) did not name.
  void StartPeople(Wave& wave, rv1::RegistryService::Stub& registry, std::vector<std::string> people);
  // After the wave: indexes what came back, for Summary.
  void Finish();
  // The organization, if the list has it; why not, if the list failed.
  const rv1::Organization* Organization(const std::string& name) const;
  grpc::Status organizations_status() const;
  // After the wave: OK and every summary, or the first failure.
  grpc::Status status() const;
  // The person's summary (only the name when the lookup failed).
  gv1::PersonSummary Summary(const std::string& person) const;
  // Whether the lookup found the person.
  bool Named(const std::string& person) const { return people_.contains(person); }

 private:
  // The people the participant list named, once its call has ended.
  void IndexParticipants();

  std::vector<rv1::BatchGetPeopleRequest> requests_;
  std::vector<std::shared_ptr<CallResult<rv1::BatchGetPeopleResponse>>> batches_;
  rv1::ListOrganizationsRequest organizations_request_;
  std::shared_ptr<CallResult<rv1::ListOrganizationsResponse>> organizations_call_;
  std::shared_ptr<const rv1::ListOrganizationsResponse> organizations_;
  rv1::ListParticipantsRequest participants_request_;
  std::shared_ptr<CallResult<rv1::ListParticipantsResponse>> participants_;
  bool participants_indexed_ = false;
  absl::flat_hash_map<std::string, const rv1::Person*> people_;
  absl::flat_hash_map<std::string, const rv1::Organization*> organizations_by_name_;
};

// The session with its start and end in the time zone (UTC when it cannot
// be loaded).
gv1::SessionSummary SummarizeSession(const scheduling::v1::Session& session,
                                     const absl::TimeZone& zone);

// The event's time zone, or UTC.
absl::TimeZone ZoneOf(const std::string& name);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_VIEWS_VIEW_PARTS_H_
