// The gRPC face of the Registry: each handler authenticates the caller and
// hands the request to Registry, which holds every rule. Nothing else here.
#ifndef SUMMIT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
#define SUMMIT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_

#include "common/auth/authenticator.h"
#include "common/observability/call_observer.h"
#include "common/server/unary_handler.h"
#include "services/registry/registry.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"

namespace summit::registry {

class RegistryService final : public v1::RegistryService::CallbackService {
 public:
  // Every argument must outlive the service. Calls run on `work`: each
  // waits for the database (a PostgreSQL round trip, an fsync), and gRPC
  // has few callback threads (half the cores, at least two): on those, no
  // more calls than that could reach the database at once, and nothing
  // else could be served while they wait.
  RegistryService(Registry& registry, const auth::Authenticator& authenticator,
                  observability::CallObserver& observer, server::WorkQueue& work)
      : registry_(registry),
        calls_{"summit.registry.v1.RegistryService", authenticator, observer, &work} {}

  grpc::ServerUnaryReactor* CreateEvent(grpc::CallbackServerContext* context,
                                        const v1::CreateEventRequest* request,
                                        v1::Event* response) override;
  grpc::ServerUnaryReactor* GetEvent(grpc::CallbackServerContext* context,
                                     const v1::GetEventRequest* request,
                                     v1::Event* response) override;
  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* context,
                                       const v1::ListEventsRequest* request,
                                       v1::ListEventsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateEvent(grpc::CallbackServerContext* context,
                                        const v1::UpdateEventRequest* request,
                                        v1::Event* response) override;
  grpc::ServerUnaryReactor* DeleteEvent(grpc::CallbackServerContext* context,
                                        const v1::DeleteEventRequest* request,
                                        google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreateOrganization(grpc::CallbackServerContext* context,
                                               const v1::CreateOrganizationRequest* request,
                                               v1::Organization* response) override;
  grpc::ServerUnaryReactor* GetOrganization(grpc::CallbackServerContext* context,
                                            const v1::GetOrganizationRequest* request,
                                            v1::Organization* response) override;
  grpc::ServerUnaryReactor* ListOrganizations(grpc::CallbackServerContext* context,
                                              const v1::ListOrganizationsRequest* request,
                                              v1::ListOrganizationsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateOrganization(grpc::CallbackServerContext* context,
                                               const v1::UpdateOrganizationRequest* request,
                                               v1::Organization* response) override;
  grpc::ServerUnaryReactor* DeleteOrganization(grpc::CallbackServerContext* context,
                                               const v1::DeleteOrganizationRequest* request,
                                               google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreatePerson(grpc::CallbackServerContext* context,
                                         const v1::CreatePersonRequest* request,
                                         v1::Person* response) override;
  grpc::ServerUnaryReactor* GetPerson(grpc::CallbackServerContext* context,
                                      const v1::GetPersonRequest* request,
                                      v1::Person* response) override;
  grpc::ServerUnaryReactor* BatchGetPeople(grpc::CallbackServerContext* context,
                                           const v1::BatchGetPeopleRequest* request,
                                           v1::BatchGetPeopleResponse* response) override;
  grpc::ServerUnaryReactor* ListPeople(grpc::CallbackServerContext* context,
                                       const v1::ListPeopleRequest* request,
                                       v1::ListPeopleResponse* response) override;
  grpc::ServerUnaryReactor* SearchPeople(grpc::CallbackServerContext* context,
                                         const v1::SearchPeopleRequest* request,
                                         v1::SearchPeopleResponse* response) override;
  grpc::ServerUnaryReactor* UpdatePerson(grpc::CallbackServerContext* context,
                                         const v1::UpdatePersonRequest* request,
                                         v1::Person* response) override;
  grpc::ServerUnaryReactor* DeletePerson(grpc::CallbackServerContext* context,
                                         const v1::DeletePersonRequest* request,
                                         google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreateDelegation(grpc::CallbackServerContext* context,
                                             const v1::CreateDelegationRequest* request,
                                             v1::Delegation* response) override;
  grpc::ServerUnaryReactor* GetDelegation(grpc::CallbackServerContext* context,
                                          const v1::GetDelegationRequest* request,
                                          v1::Delegation* response) override;
  grpc::ServerUnaryReactor* ListDelegations(grpc::CallbackServerContext* context,
                                            const v1::ListDelegationsRequest* request,
                                            v1::ListDelegationsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateDelegation(grpc::CallbackServerContext* context,
                                             const v1::UpdateDelegationRequest* request,
                                             v1::Delegation* response) override;
  grpc::ServerUnaryReactor* DeleteDelegation(grpc::CallbackServerContext* context,
                                             const v1::DeleteDelegationRequest* request,
                                             google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreateParticipant(grpc::CallbackServerContext* context,
                                              const v1::CreateParticipantRequest* request,
                                              v1::Participant* response) override;
  grpc::ServerUnaryReactor* GetParticipant(grpc::CallbackServerContext* context,
                                           const v1::GetParticipantRequest* request,
                                           v1::Participant* response) override;
  grpc::ServerUnaryReactor* BatchGetParticipants(
      grpc::CallbackServerContext* context, const v1::BatchGetParticipantsRequest* request,
      v1::BatchGetParticipantsResponse* response) override;
  grpc::ServerUnaryReactor* ListParticipants(grpc::CallbackServerContext* context,
                                             const v1::ListParticipantsRequest* request,
                                             v1::ListParticipantsResponse* response) override;
  grpc::ServerUnaryReactor* ApproveParticipant(grpc::CallbackServerContext* context,
                                               const v1::ApproveParticipantRequest* request,
                                               v1::Participant* response) override;
  grpc::ServerUnaryReactor* RejectParticipant(grpc::CallbackServerContext* context,
                                              const v1::RejectParticipantRequest* request,
                                              v1::Participant* response) override;
  grpc::ServerUnaryReactor* RevokeParticipant(grpc::CallbackServerContext* context,
                                              const v1::RevokeParticipantRequest* request,
                                              v1::Participant* response) override;

 private:
  Registry& registry_;
  server::ServiceCalls calls_;
};

}  // namespace summit::registry

#endif  // SUMMIT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
