// Registry: accreditations (participants) and their life cycle.
#include <algorithm>

#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/list_query.h"
#include "services/registry/access_policy.h"
#include "services/registry/accreditation.h"
#include "services/registry/registry.h"
#include "services/registry/registry_internal.h"
#include "services/registry/registry_store.h"
#include "services/registry/registry_validation.h"

namespace summit::registry {
namespace {

constexpr absl::string_view kPattern = "events/*/participants/*";

// Takes a revoked person out of their delegation (as head too), so that a
// delegation only ever lists accredited people.
absl::Status LeaveDelegation(RegistryStore& store, const std::string& event_id,
                             const std::string& person_id, absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<std::string> delegation_id,
                   store.DelegationOfMember(event_id, person_id));
  if (!delegation_id.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<v1::Delegation> delegation,
                   store.FindDelegation(event_id, *delegation_id));
  if (!delegation.has_value()) return absl::OkStatus();
  const std::string person = internal::PersonName(person_id);
  auto* members = delegation->mutable_members();
  members->erase(std::remove(members->begin(), members->end(), person), members->end());
  if (delegation->head() == person) delegation->clear_head();
  api::StampUpdated(*delegation, now);
  return store.ReplaceDelegation(event_id, *delegation_id, *delegation);
}

}  // namespace

absl::StatusOr<v1::Participant> Registry::CreateParticipant(
    const Caller& caller, const v1::CreateParticipantRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "accredit people"));
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  std::vector<FieldViolation> violations = ValidateParticipant(request.participant(), "participant");
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  const std::string person_id(absl::StripPrefix(request.participant().person(), "people/"));
  v1::Participant participant;
  participant.set_name(absl::StrCat(request.parent(), "/participants/", person_id));
  participant.set_person(request.participant().person());
  participant.set_role(request.participant().role());
  participant.set_state(v1::Participant::STATE_PENDING);
  api::StampCreated(participant, clock_());

  // Every rule of a new accreditation is also a key of the schema (the
  // request id and the person's accreditation to the event unused, the
  // event and the person there); it starts pending, which no other rule
  // reads as a yes: see WriteIsolation::kReadCommitted.
  RETURN_IF_ERROR(database_.Write(
      storage::WriteIsolation::kReadCommitted, [&](storage::Transaction& tx) -> absl::Status {
        RegistryStore store(tx);
        return storage::CreateOnce<v1::Participant>(
            tx, request.request_id(),
            [&](const std::string& name) -> absl::StatusOr<std::optional<v1::Participant>> {
              ASSIGN_OR_RETURN(std::vector<std::string> ids,
                               api::ParseResourceName(name, kPattern, "name"));
              return store.FindParticipant(ids[0], ids[1]);
            },
            [&]() -> absl::Status {
              ASSIGN_OR_RETURN(std::optional<v1::Event> event, store.FindEvent(event_id));
              if (!event.has_value()) return NotFoundError(request.parent());
              ASSIGN_OR_RETURN(std::optional<v1::Person> person, store.FindPerson(person_id));
              if (!person.has_value()) {
                return MissingReferenceError("participant.person", participant.person());
              }
              ASSIGN_OR_RETURN(std::optional<v1::Participant> existing,
                               store.FindParticipant(event_id, person_id));
              if (existing.has_value()) return AlreadyExistsError(participant.name());
              return store.InsertParticipant(event_id, person_id, participant);
            },
            participant);
      }));
  return participant;
}

absl::StatusOr<v1::Participant> Registry::GetParticipant(const Caller& caller,
                                                         const v1::GetParticipantRequest& request) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.name(), kPattern, "name"));
  std::optional<v1::Participant> participant;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(participant, RegistryStore(tx).FindParticipant(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!participant.has_value() || !MayReadParticipant(caller, *participant)) {
    return NotFoundError(request.name());
  }
  return *std::move(participant);
}

absl::StatusOr<v1::BatchGetParticipantsResponse> Registry::BatchGetParticipants(
    const Caller& caller, const v1::BatchGetParticipantsRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  if (request.names_size() > kMaxBatchNames) {
    return InvalidArgumentError({{"names", absl::StrCat("at most ", kMaxBatchNames, " names")}});
  }
  std::vector<std::string> person_ids;
  for (int i = 0; i < request.names_size(); ++i) {
    const std::string field = absl::StrCat("names[", i, "]");
    ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.names(i), kPattern, field));
    if (ids[0] != event_id) {
      return InvalidArgumentError(
          {{field, absl::StrCat("belongs to events/", ids[0], ", not to ", request.parent())}});
    }
    person_ids.push_back(ids[1]);
  }
  v1::BatchGetParticipantsResponse response;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    for (size_t i = 0; i < person_ids.size(); ++i) {
      ASSIGN_OR_RETURN(std::optional<v1::Participant> participant,
                       store.FindParticipant(event_id, person_ids[i]));
      if (!participant.has_value() || !MayReadParticipant(caller, *participant)) {
        return NotFoundError(request.names(static_cast<int>(i)));
      }
      *response.add_participants() = *std::move(participant);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListParticipantsResponse> Registry::ListParticipants(
    const Caller& caller, const v1::ListParticipantsRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  const std::string delegation_prefix = absl::StrCat(request.parent(), "/delegations/");
  const storage::FilterField fields[] = {
      {"role", "role = ?", v1::Participant::Role_descriptor()},
      {"state", "state = ?", v1::Participant::State_descriptor()},
      {"delegation",
       "EXISTS (SELECT 1 FROM delegation_members m WHERE m.event_id = t.event_id "
       "AND m.person_id = t.id AND m.delegation_id = ?)",
       nullptr, delegation_prefix},
  };
  ASSIGN_OR_RETURN(storage::ListQuery query,
                   storage::ParseListQuery(absl::StrCat(request.parent(), "/participants"),
                                           request.page_size(), request.page_token(),
                                           request.filter(), fields));
  if (!SeesEverything(caller)) {
    // Everyone else sees approved accreditations, and their own.
    query.conditions.push_back(
        {absl::StrCat("state = ", v1::Participant::STATE_APPROVED, " OR id = ?"),
         std::string(absl::StripPrefix(caller.subject, "people/"))});
  }
  const bool with_people = request.view() == v1::PARTICIPANT_VIEW_WITH_PEOPLE;
  v1::ListParticipantsResponse response;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Event> event, store.FindEvent(event_id));
    if (!event.has_value()) return NotFoundError(request.parent());
    // The page's people, as BatchGetPeople finds them, read with the page.
    std::vector<v1::Person> people;
    ASSIGN_OR_RETURN(std::vector<v1::Participant> participants,
                     store.ListParticipants(event_id, query.conditions, query.after_id,
                                            query.fetch_limit(), with_people ? &people : nullptr));
    response.set_next_page_token(query.FinishPage(participants));
    for (v1::Participant& participant : participants) {
      *response.add_participants() = std::move(participant);
    }
    // One person for each participant of the page (the page may end early).
    people.resize(std::min(people.size(), static_cast<size_t>(response.participants_size())));
    for (v1::Person& person : people) *response.add_people() = std::move(person);
    return absl::OkStatus();
  }));
  for (v1::Person& person : *response.mutable_people()) RedactPerson(caller, person);
  return response;
}

absl::StatusOr<v1::Participant> Registry::ApproveParticipant(
    const Caller& caller, const v1::ApproveParticipantRequest& request) {
  return ChangeAccreditation(caller, request.name(), request.etag(),
                             v1::Participant::STATE_APPROVED, "");
}

absl::StatusOr<v1::Participant> Registry::RejectParticipant(
    const Caller& caller, const v1::RejectParticipantRequest& request) {
  return ChangeAccreditation(caller, request.name(), request.etag(),
                             v1::Participant::STATE_REJECTED, request.reason());
}

absl::StatusOr<v1::Participant> Registry::RevokeParticipant(
    const Caller& caller, const v1::RevokeParticipantRequest& request) {
  return ChangeAccreditation(caller, request.name(), request.etag(), v1::Participant::STATE_REVOKED,
                             request.reason());
}

absl::StatusOr<v1::Participant> Registry::ChangeAccreditation(const Caller& caller,
                                                              const std::string& name,
                                                              const std::string& etag,
                                                              v1::Participant::State to,
                                                              const std::string& reason) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "decide accreditations"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(name, kPattern, "name"));
  std::vector<FieldViolation> violations;
  if (to != v1::Participant::STATE_APPROVED) ValidateReason(reason, violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  v1::Participant updated;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Participant> stored, store.FindParticipant(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(name);
    RETURN_IF_ERROR(api::CheckEtag(etag, stored->etag(), stored->name()));
    RETURN_IF_ERROR(CheckAccreditationTransition(*stored, to));
    const absl::Time now = clock_();
    if (to == v1::Participant::STATE_REVOKED) {
      RETURN_IF_ERROR(LeaveDelegation(store, ids[0], ids[1], now));
    }
    updated = *std::move(stored);
    updated.clear_delegation();  // derived on read, not part of the stored resource
    updated.set_state(to);
    updated.set_state_reason(reason);
    api::StampUpdated(updated, now);
    RETURN_IF_ERROR(store.ReplaceParticipant(ids[0], ids[1], updated));
    ASSIGN_OR_RETURN(std::optional<v1::Participant> reread, store.FindParticipant(ids[0], ids[1]));
    updated = *std::move(reread);
    return absl::OkStatus();
  }));
  return updated;
}

}  // namespace summit::registry
