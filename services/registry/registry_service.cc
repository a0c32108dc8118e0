#include "services/registry/registry_service.h"

namespace summit::registry {

using server::Answer;

grpc::ServerUnaryReactor* RegistryService::CreateEvent(grpc::CallbackServerContext* context,
                                                       const v1::CreateEventRequest* request,
                                                       v1::Event* response) {
  return Answer(context, calls_, "CreateEvent", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.CreateEvent(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::GetEvent(grpc::CallbackServerContext* context,
                                                    const v1::GetEventRequest* request,
                                                    v1::Event* response) {
  return Answer(context, calls_, "GetEvent", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.GetEvent(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::ListEvents(grpc::CallbackServerContext* context,
                                                      const v1::ListEventsRequest* request,
                                                      v1::ListEventsResponse* response) {
  return Answer(context, calls_, "ListEvents", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.ListEvents(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::UpdateEvent(grpc::CallbackServerContext* context,
                                                       const v1::UpdateEventRequest* request,
                                                       v1::Event* response) {
  return Answer(context, calls_, "UpdateEvent", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.UpdateEvent(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::DeleteEvent(grpc::CallbackServerContext* context,
                                                       const v1::DeleteEventRequest* request,
                                                       google::protobuf::Empty* response) {
  return Answer(context, calls_, "DeleteEvent", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.DeleteEvent(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::CreateOrganization(
    grpc::CallbackServerContext* context, const v1::CreateOrganizationRequest* request,
    v1::Organization* response) {
  return Answer(context, calls_, "CreateOrganization", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.CreateOrganization(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::GetOrganization(
    grpc::CallbackServerContext* context, const v1::GetOrganizationRequest* request,
    v1::Organization* response) {
  return Answer(context, calls_, "GetOrganization", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.GetOrganization(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::ListOrganizations(
    grpc::CallbackServerContext* context, const v1::ListOrganizationsRequest* request,
    v1::ListOrganizationsResponse* response) {
  return Answer(context, calls_, "ListOrganizations", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.ListOrganizations(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::UpdateOrganization(
    grpc::CallbackServerContext* context, const v1::UpdateOrganizationRequest* request,
    v1::Organization* response) {
  return Answer(context, calls_, "UpdateOrganization", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.UpdateOrganization(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::DeleteOrganization(
    grpc::CallbackServerContext* context, const v1::DeleteOrganizationRequest* request,
    google::protobuf::Empty* response) {
  return Answer(context, calls_, "DeleteOrganization", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.DeleteOrganization(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::CreatePerson(grpc::CallbackServerContext* context,
                                                        const v1::CreatePersonRequest* request,
                                                        v1::Person* response) {
  return Answer(context, calls_, "CreatePerson", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.CreatePerson(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::GetPerson(grpc::CallbackServerContext* context,
                                                     const v1::GetPersonRequest* request,
                                                     v1::Person* response) {
  return Answer(context, calls_, "GetPerson", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.GetPerson(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::BatchGetPeople(grpc::CallbackServerContext* context,
                                                          const v1::BatchGetPeopleRequest* request,
                                                          v1::BatchGetPeopleResponse* response) {
  return Answer(context, calls_, "BatchGetPeople", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.BatchGetPeople(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::ListPeople(grpc::CallbackServerContext* context,
                                                      const v1::ListPeopleRequest* request,
                                                      v1::ListPeopleResponse* response) {
  return Answer(context, calls_, "ListPeople", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.ListPeople(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::SearchPeople(grpc::CallbackServerContext* context,
                                                        const v1::SearchPeopleRequest* request,
                                                        v1::SearchPeopleResponse* response) {
  return Answer(context, calls_, "SearchPeople", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.SearchPeople(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::UpdatePerson(grpc::CallbackServerContext* context,
                                                        const v1::UpdatePersonRequest* request,
                                                        v1::Person* response) {
  return Answer(context, calls_, "UpdatePerson", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.UpdatePerson(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::DeletePerson(grpc::CallbackServerContext* context,
                                                        const v1::DeletePersonRequest* request,
                                                        google::protobuf::Empty* response) {
  return Answer(context, calls_, "DeletePerson", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.DeletePerson(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::CreateDelegation(
    grpc::CallbackServerContext* context, const v1::CreateDelegationRequest* request,
    v1::Delegation* response) {
  return Answer(context, calls_, "CreateDelegation", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.CreateDelegation(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::GetDelegation(grpc::CallbackServerContext* context,
                                                         const v1::GetDelegationRequest* request,
                                                         v1::Delegation* response) {
  return Answer(context, calls_, "GetDelegation", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.GetDelegation(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::ListDelegations(
    grpc::CallbackServerContext* context, const v1::ListDelegationsRequest* request,
    v1::ListDelegationsResponse* response) {
  return Answer(context, calls_, "ListDelegations", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.ListDelegations(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::UpdateDelegation(
    grpc::CallbackServerContext* context, const v1::UpdateDelegationRequest* request,
    v1::Delegation* response) {
  return Answer(context, calls_, "UpdateDelegation", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.UpdateDelegation(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::DeleteDelegation(
    grpc::CallbackServerContext* context, const v1::DeleteDelegationRequest* request,
    google::protobuf::Empty* response) {
  return Answer(context, calls_, "DeleteDelegation", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.DeleteDelegation(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::CreateParticipant(
    grpc::CallbackServerContext* context, const v1::CreateParticipantRequest* request,
    v1::Participant* response) {
  return Answer(context, calls_, "CreateParticipant", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.CreateParticipant(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::GetParticipant(grpc::CallbackServerContext* context,
                                                          const v1::GetParticipantRequest* request,
                                                          v1::Participant* response) {
  return Answer(context, calls_, "GetParticipant", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.GetParticipant(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::BatchGetParticipants(
    grpc::CallbackServerContext* context, const v1::BatchGetParticipantsRequest* request,
    v1::BatchGetParticipantsResponse* response) {
  return Answer(context, calls_, "BatchGetParticipants", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.BatchGetParticipants(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::ListParticipants(
    grpc::CallbackServerContext* context, const v1::ListParticipantsRequest* request,
    v1::ListParticipantsResponse* response) {
  return Answer(context, calls_, "ListParticipants", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.ListParticipants(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::ApproveParticipant(
    grpc::CallbackServerContext* context, const v1::ApproveParticipantRequest* request,
    v1::Participant* response) {
  return Answer(context, calls_, "ApproveParticipant", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.ApproveParticipant(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::RejectParticipant(
    grpc::CallbackServerContext* context, const v1::RejectParticipantRequest* request,
    v1::Participant* response) {
  return Answer(context, calls_, "RejectParticipant", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.RejectParticipant(caller, *request);
                });
}

grpc::ServerUnaryReactor* RegistryService::RevokeParticipant(
    grpc::CallbackServerContext* context, const v1::RevokeParticipantRequest* request,
    v1::Participant* response) {
  return Answer(context, calls_, "RevokeParticipant", response,
                [this, request](const auth::Principal& caller) {
                  return registry_.RevokeParticipant(caller, *request);
                });
}

}  // namespace summit::registry
