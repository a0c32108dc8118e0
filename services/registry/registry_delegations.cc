// Registry: national delegations of an event.
#include <algorithm>

#include "common/api/field_mask.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/list_query.h"
#include "services/registry/access_policy.h"
#include "services/registry/registry.h"
#include "services/registry/registry_internal.h"
#include "services/registry/registry_store.h"
#include "services/registry/registry_validation.h"

namespace summit::registry {
namespace {

constexpr absl::string_view kPattern = "events/*/delegations/*";
constexpr absl::string_view kUpdatableDelegationFields[] = {"display_name", "country", "head",
                                                            "members"};

// The head is always a member: naming a head who is not listed adds them
// first.
void IncludeHead(v1::Delegation& delegation) {
  if (delegation.head().empty()) return;
  const auto& members = delegation.members();
  if (std::find(members.begin(), members.end(), delegation.head()) != members.end()) return;
  delegation.add_members(delegation.head());
  std::rotate(delegation.mutable_members()->rbegin(), delegation.mutable_members()->rbegin() + 1,
              delegation.mutable_members()->rend());
}

// Every member is an APPROVED participant of the event and in no other of
// its delegations.
absl::Status CheckMembers(RegistryStore& store, const std::string& event_id,
                          const std::string& delegation_id, const v1::Delegation& delegation) {
  for (const std::string& member : delegation.members()) {
    const std::string person_id(absl::StripPrefix(member, "people/"));
    ASSIGN_OR_RETURN(std::optional<v1::Participant> participant,
                     store.FindParticipant(event_id, person_id));
    if (!participant.has_value() || participant->state() != v1::Participant::STATE_APPROVED) {
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "MEMBER_NOT_ACCREDITED",
          absl::StrCat(member, " is not an approved participant of ", internal::EventName(event_id),
                       participant.has_value()
                           ? absl::StrCat(" (accreditation is ",
                                          v1::Participant::State_Name(participant->state()), ")")
                           : " (no accreditation)"),
          {{"person", member}, {"event", internal::EventName(event_id)}});
    }
    ASSIGN_OR_RETURN(std::optional<std::string> current, store.DelegationOfMember(event_id, person_id));
    if (current.has_value() && *current != delegation_id) {
      const std::string other = absl::StrCat("events/", event_id, "/delegations/", *current);
      return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "MEMBER_OF_ANOTHER_DELEGATION",
                             absl::StrCat(member, " is already a member of ", other),
                             {{"person", member}, {"delegation", other}});
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Delegation> Registry::CreateDelegation(
    const Caller& caller, const v1::CreateDelegationRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "create delegations"));
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  std::vector<FieldViolation> violations = ValidateDelegation(request.delegation(), "delegation");
  ValidateOptionalId(request.delegation_id(), "delegation_id", violations);
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  v1::Delegation delegation = request.delegation();
  const std::string id = api::ChosenOrNewId(request.delegation_id());
  delegation.set_name(absl::StrCat(request.parent(), "/delegations/", id));
  IncludeHead(delegation);
  api::StampCreated(delegation, clock_());

  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    return storage::CreateOnce<v1::Delegation>(
        tx, request.request_id(),
        [&](const std::string& name) -> absl::StatusOr<std::optional<v1::Delegation>> {
          ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(name, kPattern, "name"));
          return store.FindDelegation(ids[0], ids[1]);
        },
        [&]() -> absl::Status {
          ASSIGN_OR_RETURN(std::optional<v1::Event> event, store.FindEvent(event_id));
          if (!event.has_value()) return NotFoundError(request.parent());
          ASSIGN_OR_RETURN(std::optional<v1::Delegation> existing,
                           store.FindDelegation(event_id, id));
          if (existing.has_value()) return AlreadyExistsError(delegation.name());
          RETURN_IF_ERROR(CheckMembers(store, event_id, id, delegation));
          return store.InsertDelegation(event_id, id, delegation);
        },
        delegation);
  }));
  return delegation;
}

absl::StatusOr<v1::Delegation> Registry::GetDelegation(const Caller& caller,
                                                       const v1::GetDelegationRequest& request) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.name(), kPattern, "name"));
  std::optional<v1::Delegation> delegation;
  RETURN_IF_ERROR(database_.ReadOneQuery([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(delegation, RegistryStore(tx).FindDelegation(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!delegation.has_value()) return NotFoundError(request.name());
  return *std::move(delegation);
}

absl::StatusOr<v1::ListDelegationsResponse> Registry::ListDelegations(
    const Caller& caller, const v1::ListDelegationsRequest& request) {
  static const storage::FilterField kFields[] = {{"country", "country = ?"}};
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  ASSIGN_OR_RETURN(storage::ListQuery query,
                   storage::ParseListQuery(absl::StrCat(request.parent(), "/delegations"),
                                           request.page_size(), request.page_token(),
                                           request.filter(), kFields));
  std::vector<v1::Delegation> delegations;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Event> event, store.FindEvent(event_id));
    if (!event.has_value()) return NotFoundError(request.parent());
    ASSIGN_OR_RETURN(delegations, store.ListDelegations(event_id, query.conditions, query.after_id,
                                                        query.fetch_limit()));
    return absl::OkStatus();
  }));
  v1::ListDelegationsResponse response;
  response.set_next_page_token(
      query.FinishPage(delegations));
  for (v1::Delegation& delegation : delegations) *response.add_delegations() = std::move(delegation);
  return response;
}

absl::StatusOr<v1::Delegation> Registry::UpdateDelegation(
    const Caller& caller, const v1::UpdateDelegationRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "change delegations"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.delegation().name(), kPattern, "delegation.name"));
  v1::Delegation updated;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Delegation> stored, store.FindDelegation(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(request.delegation().name());
    RETURN_IF_ERROR(api::CheckEtag(request.delegation().etag(), stored->etag(), stored->name()));
    updated = *stored;
    RETURN_IF_ERROR(api::ApplyFieldMask(request.delegation(), request.update_mask(),
                                        kUpdatableDelegationFields, &updated));
    RETURN_IF_ERROR(ToStatus(ValidateDelegation(updated, "delegation")));
    IncludeHead(updated);
    RETURN_IF_ERROR(CheckMembers(store, ids[0], ids[1], updated));
    api::StampUpdated(updated, clock_());
    return store.ReplaceDelegation(ids[0], ids[1], updated);
  }));
  return updated;
}

absl::Status Registry::DeleteDelegation(const Caller& caller,
                                        const v1::DeleteDelegationRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "delete delegations"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.name(), kPattern, "name"));
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Delegation> stored, store.FindDelegation(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(request.name());
    RETURN_IF_ERROR(api::CheckEtag(request.etag(), stored->etag(), stored->name()));
    return store.DeleteDelegation(ids[0], ids[1]);
  });
}

}  // namespace summit::registry
