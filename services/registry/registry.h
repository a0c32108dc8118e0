// The Registry: who is who at a summit. Events, organizations, people,
// national delegations and accreditations, with the rules that hold between
// them. This is the service's domain layer: it authorizes the caller
// (access_policy.h), validates what they sent (registry_validation.h), and
// reads and writes through RegistryStore inside one database transaction per
// call, so that every rule is checked against the data it protects.
//
// It speaks in the contract's messages but knows nothing of gRPC: the
// handlers in registry_service.h only translate. Tests drive it directly on a
// real SQLite file.
//
// Thread-safety: all methods may be called concurrently.
#ifndef SUMMIT_SERVICES_REGISTRY_REGISTRY_H_
#define SUMMIT_SERVICES_REGISTRY_REGISTRY_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/storage/database.h"
#include "google/protobuf/empty.pb.h"
#include "summit/registry/v1/registry_service.pb.h"

namespace summit::registry {

class Registry {
 public:
  // `database` must have RegistryMigrations() applied and outlive this.
  explicit Registry(storage::Database& database,
                    std::function<absl::Time()> clock = [] { return absl::Now(); })
      : database_(database), clock_(std::move(clock)) {}

  using Caller = auth::Principal;

  // Rebuilds the name search index when the folding rules changed since it
  // was built (kNameSkeletonVersion); does nothing otherwise. Run at start.
  absl::Status RefreshSearchIndex();

  absl::StatusOr<v1::Event> CreateEvent(const Caller& caller, const v1::CreateEventRequest& request);
  absl::StatusOr<v1::Event> GetEvent(const Caller& caller, const v1::GetEventRequest& request);
  absl::StatusOr<v1::ListEventsResponse> ListEvents(const Caller& caller,
                                                    const v1::ListEventsRequest& request);
  absl::StatusOr<v1::Event> UpdateEvent(const Caller& caller, const v1::UpdateEventRequest& request);
  absl::Status DeleteEvent(const Caller& caller, const v1::DeleteEventRequest& request);

  absl::StatusOr<v1::Organization> CreateOrganization(
      const Caller& caller, const v1::CreateOrganizationRequest& request);
  absl::StatusOr<v1::Organization> GetOrganization(const Caller& caller,
                                                   const v1::GetOrganizationRequest& request);
  absl::StatusOr<v1::ListOrganizationsResponse> ListOrganizations(
      const Caller& caller, const v1::ListOrganizationsRequest& request);
  absl::StatusOr<v1::Organization> UpdateOrganization(
      const Caller& caller, const v1::UpdateOrganizationRequest& request);
  absl::Status DeleteOrganization(const Caller& caller,
                                  const v1::DeleteOrganizationRequest& request);

  absl::StatusOr<v1::Person> CreatePerson(const Caller& caller,
                                          const v1::CreatePersonRequest& request);
  absl::StatusOr<v1::Person> GetPerson(const Caller& caller, const v1::GetPersonRequest& request);
  absl::StatusOr<v1::BatchGetPeopleResponse> BatchGetPeople(
      const Caller& caller, const v1::BatchGetPeopleRequest& request);
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(const Caller& caller,
                                                    const v1::ListPeopleRequest& request);
  absl::StatusOr<v1::SearchPeopleResponse> SearchPeople(const Caller& caller,
                                                        const v1::SearchPeopleRequest& request);
  absl::StatusOr<v1::Person> UpdatePerson(const Caller& caller,
                                          const v1::UpdatePersonRequest& request);
  absl::Status DeletePerson(const Caller& caller, const v1::DeletePersonRequest& request);

  absl::StatusOr<v1::Delegation> CreateDelegation(const Caller& caller,
                                                  const v1::CreateDelegationRequest& request);
  absl::StatusOr<v1::Delegation> GetDelegation(const Caller& caller,
                                               const v1::GetDelegationRequest& request);
  absl::StatusOr<v1::ListDelegationsResponse> ListDelegations(
      const Caller& caller, const v1::ListDelegationsRequest& request);
  absl::StatusOr<v1::Delegation> UpdateDelegation(const Caller& caller,
                                                  const v1::UpdateDelegationRequest& request);
  absl::Status DeleteDelegation(const Caller& caller, const v1::DeleteDelegationRequest& request);

  absl::StatusOr<v1::Participant> CreateParticipant(const Caller& caller,
                                                    const v1::CreateParticipantRequest& request);
  absl::StatusOr<v1::Participant> GetParticipant(const Caller& caller,
                                                 const v1::GetParticipantRequest& request);
  absl::StatusOr<v1::BatchGetParticipantsResponse> BatchGetParticipants(
      const Caller& caller, const v1::BatchGetParticipantsRequest& request);
  absl::StatusOr<v1::ListParticipantsResponse> ListParticipants(
      const Caller& caller, const v1::ListParticipantsRequest& request);
  absl::StatusOr<v1::Participant> ApproveParticipant(const Caller& caller,
                                                     const v1::ApproveParticipantRequest& request);
  absl::StatusOr<v1::Participant> RejectParticipant(const Caller& caller,
                                                    const v1::RejectParticipantRequest& request);
  absl::StatusOr<v1::Participant> RevokeParticipant(const Caller& caller,
                                                    const v1::RevokeParticipantRequest& request);

 private:
  // Moves an accreditation to `to`, with `reason` when rejecting or revoking.
  absl::StatusOr<v1::Participant> ChangeAccreditation(const Caller& caller, const std::string& name,
                                                      const std::string& etag,
                                                      v1::Participant::State to,
                                                      const std::string& reason);

  storage::Database& database_;
  std::function<absl::Time()> clock_;
};

}  // namespace summit::registry

#endif  // SUMMIT_SERVICES_REGISTRY_REGISTRY_H_
