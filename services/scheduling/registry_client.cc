#include "services/scheduling/registry_client.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/peers/peer_errors.h"
#include "common/status/error.h"
#include "common/status/grpc_status.h"
#include "common/status/macros.h"

namespace summit::scheduling {
namespace {

namespace rv1 = registry::v1;

// The Registry answers at most this many names a call (its BatchGet methods'
// limit): more are asked in batches.
constexpr size_t kRegistryBatchNames = 1000;

absl::Status FromRegistry(const grpc::Status& status, absl::string_view doing) {
  return peers::FromPeer(status, "REGISTRY_UNAVAILABLE", "the Registry", doing);
}

std::vector<std::string> Unique(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

RegistryClient::RegistryClient(std::shared_ptr<grpc::Channel> channel)
    : stub_(rv1::RegistryService::NewStub(std::move(channel))) {}

std::vector<std::string> RegistryReadMethods() {
  return {"summit.registry.v1.RegistryService/GetEvent",
          "summit.registry.v1.RegistryService/BatchGetParticipants",
          "summit.registry.v1.RegistryService/BatchGetPeople",
          "summit.registry.v1.RegistryService/GetOrganization"};
}

absl::StatusOr<EventFacts> RegistryClient::GetEvent(const OutgoingContextFactory& context,
                                                    const std::string& event_name) {
  rv1::GetEventRequest request;
  request.set_name(event_name);
  rv1::Event event;
  std::unique_ptr<grpc::ClientContext> call = context();
  const grpc::Status status = stub_->GetEvent(call.get(), request, &event);
  if (!status.ok()) return FromRegistry(status, absl::StrCat("for ", event_name));
  return EventFacts{event.name(), event.time_zone(), event.start_date(), event.end_date()};
}

absl::Status RegistryClient::CheckApproved(const OutgoingContextFactory& context,
                                           const std::string& event_name,
                                           const std::vector<std::string>& people) {
  // A session may have more participants than the Registry answers names a call.
  const std::vector<std::string> unique = Unique(people);
  for (size_t first = 0; first < unique.size(); first += kRegistryBatchNames) {
    const size_t end = std::min(unique.size(), first + kRegistryBatchNames);
    RETURN_IF_ERROR(CheckApprovedBatch(
        context, event_name, std::vector<std::string>(unique.begin() + first, unique.begin() + end)));
  }
  return absl::OkStatus();
}

absl::Status RegistryClient::CheckApprovedBatch(const OutgoingContextFactory& context,
                                                const std::string& event_name,
                                                const std::vector<std::string>& people) {
  rv1::BatchGetParticipantsRequest request;
  request.set_parent(event_name);
  for (const std::string& person : people) {
    request.add_names(absl::StrCat(event_name, "/participants/",
                                   absl::StripPrefix(person, "people/")));
  }
  rv1::BatchGetParticipantsResponse response;
  std::unique_ptr<grpc::ClientContext> call = context();
  const grpc::Status status = stub_->BatchGetParticipants(call.get(), request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    // The Registry names the missing accreditation in its ErrorInfo.
    const std::map<std::string, std::string> metadata = ErrorMetadataOf(FromGrpcStatus(status));
    const auto it = metadata.find("resource");
    const std::string missing = it == metadata.end() ? "someone" : it->second;
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NOT_PARTICIPANT",
                           absl::StrCat(missing, " is not an approved participant of ", event_name),
                           {{"participant", missing}});
  }
  if (!status.ok()) return FromRegistry(status, "about participants");
  for (const rv1::Participant& participant : response.participants()) {
    if (participant.state() != rv1::Participant::STATE_APPROVED) {
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "NOT_PARTICIPANT",
          absl::StrCat(participant.person(), " is not an approved participant of ", event_name,
                       " (accreditation ", rv1::Participant::State_Name(participant.state()), ")"),
          {{"participant", participant.name()}});
    }
  }
  return absl::OkStatus();
}

absl::Status RegistryClient::CheckOrganizationExists(const OutgoingContextFactory& context,
                                                     const std::string& organization,
                                                     const std::string& field) {
  rv1::GetOrganizationRequest request;
  request.set_name(organization);
  rv1::Organization response;
  std::unique_ptr<grpc::ClientContext> call = context();
  const grpc::Status status = stub_->GetOrganization(call.get(), request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return MissingReferenceError(field, organization);
  }
  if (!status.ok()) return FromRegistry(status, "about an organization");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<rv1::Person>> RegistryClient::People(
    const OutgoingContextFactory& context, const std::vector<std::string>& people) {
  // Asked in batches, each name once.
  const std::vector<std::string> unique = Unique(people);
  std::vector<rv1::Person> found;
  for (size_t first = 0; first < unique.size(); first += kRegistryBatchNames) {
    rv1::BatchGetPeopleRequest request;
    for (size_t i = first; i < std::min(unique.size(), first + kRegistryBatchNames); ++i) {
      request.add_names(unique[i]);
    }
    rv1::BatchGetPeopleResponse response;
    std::unique_ptr<grpc::ClientContext> call = context();
    const grpc::Status status = stub_->BatchGetPeople(call.get(), request, &response);
    if (!status.ok()) return FromRegistry(status, "about people");
    for (rv1::Person& person : *response.mutable_people()) found.push_back(std::move(person));
  }
  return found;
}

absl::StatusOr<std::map<std::string, std::string>> RegistryClient::OrganizationsOf(
    const OutgoingContextFactory& context, const std::vector<std::string>& people) {
  ASSIGN_OR_RETURN(std::vector<rv1::Person> found, People(context, people));
  std::map<std::string, std::string> organizations;
  for (const rv1::Person& person : found) organizations[person.name()] = person.organization();
  return organizations;
}

absl::StatusOr<std::map<std::string, std::string>> RegistryClient::DisplayNamesOf(
    const OutgoingContextFactory& context, const std::vector<std::string>& people) {
  ASSIGN_OR_RETURN(std::vector<rv1::Person> found, People(context, people));
  std::map<std::string, std::string> names;
  for (const rv1::Person& person : found) names[person.name()] = person.display_name();
  return names;
}

}  // namespace summit::scheduling
