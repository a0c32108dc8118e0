#include "services/statements/statement_peers.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/resource_meta.h"
#include "common/peers/peer_errors.h"
#include "common/status/error.h"
#include "common/status/grpc_status.h"

namespace summit::statements {
namespace {

namespace rv1 = registry::v1;
namespace sv1 = scheduling::v1;

absl::Status FromRegistry(const grpc::Status& status, absl::string_view doing) {
  return peers::FromPeer(status, "REGISTRY_UNAVAILABLE", "the Registry", doing);
}

absl::Status FromScheduling(const grpc::Status& status, absl::string_view doing) {
  return peers::FromPeer(status, "SCHEDULING_UNAVAILABLE", "Scheduling", doing);
}

// The resource a NOT_FOUND names in its ErrorInfo, or `fallback`.
std::string MissingResource(const grpc::Status& status, const std::string& fallback) {
  const std::map<std::string, std::string> metadata = ErrorMetadataOf(FromGrpcStatus(status));
  const auto it = metadata.find("resource");
  return it == metadata.end() ? fallback : it->second;
}

}  // namespace

StatementPeers::StatementPeers(std::shared_ptr<grpc::Channel> registry,
                               std::shared_ptr<grpc::Channel> scheduling)
    : registry_(rv1::RegistryService::NewStub(std::move(registry))),
      scheduling_(sv1::SchedulingService::NewStub(std::move(scheduling))) {}

std::vector<std::string> RegistryMethodsCalled() {
  return {"summit.registry.v1.RegistryService/GetEvent",
          "summit.registry.v1.RegistryService/BatchGetPeople",
          "summit.registry.v1.RegistryService/GetDelegation",
          "summit.registry.v1.RegistryService/GetParticipant"};
}

std::vector<std::string> SchedulingMethodsCalled() {
  return {"summit.scheduling.v1.SchedulingService/GetSession"};
}

absl::Status StatementPeers::CheckEventExists(const OutgoingContextFactory& context,
                                              const std::string& event) {
  rv1::GetEventRequest request;
  request.set_name(event);
  rv1::Event response;
  std::unique_ptr<grpc::ClientContext> call = context();
  const grpc::Status status = registry_->GetEvent(call.get(), request, &response);
  if (!status.ok()) return FromRegistry(status, absl::StrCat("about ", event));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::SpeakerProvenance>> StatementPeers::Speakers(
    const OutgoingContextFactory& context, const std::vector<std::string>& people,
    const std::string& field) {
  std::vector<v1::SpeakerProvenance> speakers;
  if (people.empty()) return speakers;
  rv1::BatchGetPeopleRequest request;
  for (const std::string& person : people) request.add_names(person);
  rv1::BatchGetPeopleResponse response;
  std::unique_ptr<grpc::ClientContext> call = context();
  const grpc::Status status = registry_->BatchGetPeople(call.get(), request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return MissingReferenceError(field, MissingResource(status, "a speaker"));
  }
  if (!status.ok()) return FromRegistry(status, "about the speakers");
  for (const rv1::Person& person : response.people()) {
    v1::SpeakerProvenance& speaker = speakers.emplace_back();
    speaker.set_person(person.name());
    speaker.set_display_name(person.display_name());
    speaker.set_native_name(person.native_name());
    speaker.set_title(person.title());
    speaker.set_organization(person.organization());
  }
  return speakers;
}

absl::StatusOr<std::vector<rv1::Delegation>> StatementPeers::Delegations(
    const OutgoingContextFactory& context, const std::vector<std::string>& names,
    const std::string& field) {
  std::vector<rv1::Delegation> delegations;
  for (const std::string& name : names) {
    rv1::GetDelegationRequest request;
    request.set_name(name);
    std::unique_ptr<grpc::ClientContext> call = context();
    const grpc::Status status =
        registry_->GetDelegation(call.get(), request, &delegations.emplace_back());
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      return MissingReferenceError(field, name);
    }
    if (!status.ok()) return FromRegistry(status, absl::StrCat("about ", name));
  }
  return delegations;
}

absl::StatusOr<std::string> StatementPeers::DelegationHeadedBy(
    const OutgoingContextFactory& context, const std::string& event, const std::string& person) {
  rv1::GetParticipantRequest get_participant;
  get_participant.set_name(
      absl::StrCat(event, "/participants/", absl::StripPrefix(person, "people/")));
  rv1::Participant participant;
  std::unique_ptr<grpc::ClientContext> call = context();
  grpc::Status status = registry_->GetParticipant(call.get(), get_participant, &participant);
  // Not accredited (or not visible to them): they head nothing here.
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::string();
  if (!status.ok()) return FromRegistry(status, absl::StrCat("about ", get_participant.name()));
  if (participant.state() != rv1::Participant::STATE_APPROVED || participant.delegation().empty()) {
    return std::string();
  }
  rv1::GetDelegationRequest get_delegation;
  get_delegation.set_name(participant.delegation());
  rv1::Delegation delegation;
  call = context();
  status = registry_->GetDelegation(call.get(), get_delegation, &delegation);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::string();
  if (!status.ok()) return FromRegistry(status, absl::StrCat("about ", participant.delegation()));
  return delegation.head() == person ? delegation.name() : std::string();
}

absl::StatusOr<absl::Time> StatementPeers::SessionEnd(const OutgoingContextFactory& context,
                                                      const std::string& session,
                                                      const std::string& field) {
  sv1::GetSessionRequest request;
  request.set_name(session);
  sv1::Session response;
  std::unique_ptr<grpc::ClientContext> call = context();
  const grpc::Status status = scheduling_->GetSession(call.get(), request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return MissingReferenceError(field, session);
  }
  if (!status.ok()) return FromScheduling(status, absl::StrCat("about ", session));
  return api::FromTimestamp(response.end_time());
}

}  // namespace summit::statements
