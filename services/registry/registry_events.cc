// Registry: events.
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

using internal::EventName;

constexpr absl::string_view kUpdatableEventFields[] = {
    "display_name", "kind",     "city",        "country", "time_zone",
    "start_date",   "end_date", "predecessor", "state"};
constexpr int kMaxPredecessorChain = 100;

// The checks that need the database: the predecessor exists, and following
// predecessors from it never leads back to this event (a cycle would make
// "the event this one continues" meaningless and both undeletable).
absl::Status CheckEventReferences(RegistryStore& store, const v1::Event& event,
                                  absl::string_view field_prefix) {
  const std::string field = absl::StrCat(field_prefix, ".predecessor");
  std::string next = event.predecessor();
  for (int depth = 0; !next.empty(); ++depth) {
    if (next == event.name()) {
      return InvalidArgumentError(
          {{field, absl::StrCat(event.predecessor(), " already continues ", event.name(),
                                ", directly or through other events")}});
    }
    if (depth >= kMaxPredecessorChain) {
      return InvalidArgumentError(
          {{field, absl::StrCat("the chain of predecessors is longer than ", kMaxPredecessorChain)}});
    }
    ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(next, "events/*", field));
    ASSIGN_OR_RETURN(std::optional<v1::Event> predecessor, store.FindEvent(id));
    if (!predecessor.has_value()) {
      if (depth == 0) return MissingReferenceError(field, next);
      break;  // stored chains were checked when written
    }
    next = predecessor->predecessor();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Event> Registry::CreateEvent(const Caller& caller,
                                                const v1::CreateEventRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "create events"));
  std::vector<FieldViolation> violations = ValidateEvent(request.event(), "event");
  ValidateOptionalId(request.event_id(), "event_id", violations);
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  v1::Event event = request.event();
  const std::string id = api::ChosenOrNewId(request.event_id());
  event.set_name(EventName(id));
  if (event.state() == v1::Event::STATE_UNSPECIFIED) event.set_state(v1::Event::STATE_PLANNED);
  api::StampCreated(event, clock_());

  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    return storage::CreateOnce<v1::Event>(
        tx, request.request_id(),
        [&](const std::string& name) -> absl::StatusOr<std::optional<v1::Event>> {
          ASSIGN_OR_RETURN(std::string earlier_id, api::ResourceIdOf(name, "events/*", "name"));
          return store.FindEvent(earlier_id);
        },
        [&]() -> absl::Status {
          ASSIGN_OR_RETURN(std::optional<v1::Event> existing, store.FindEvent(id));
          if (existing.has_value()) return AlreadyExistsError(event.name());
          RETURN_IF_ERROR(CheckEventReferences(store, event, "event"));
          return store.InsertEvent(id, event);
        },
        event);
  }));
  return event;
}

absl::StatusOr<v1::Event> Registry::GetEvent(const Caller& caller,
                                             const v1::GetEventRequest& request) {
  ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(request.name(), "events/*", "name"));
  std::optional<v1::Event> event;
  RETURN_IF_ERROR(database_.ReadOneQuery([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(event, RegistryStore(tx).FindEvent(id));
    return absl::OkStatus();
  }));
  if (!event.has_value()) return NotFoundError(request.name());
  return *std::move(event);
}

absl::StatusOr<v1::ListEventsResponse> Registry::ListEvents(const Caller& caller,
                                                            const v1::ListEventsRequest& request) {
  static const storage::FilterField kFields[] = {
      {"country", "country = ?"},
      {"kind", "kind = ?", v1::Event::Kind_descriptor()},
      {"state", "state = ?", v1::Event::State_descriptor()},
  };
  ASSIGN_OR_RETURN(storage::ListQuery query, storage::ParseListQuery("events", request.page_size(),
                                                                     request.page_token(),
                                                                     request.filter(), kFields));
  std::vector<v1::Event> events;
  RETURN_IF_ERROR(database_.ReadOneQuery([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(events, RegistryStore(tx).ListEvents(query.conditions, query.after_id,
                                                          query.fetch_limit()));
    return absl::OkStatus();
  }));
  v1::ListEventsResponse response;
  response.set_next_page_token(query.FinishPage(events));
  for (v1::Event& event : events) *response.add_events() = std::move(event);
  return response;
}

absl::StatusOr<v1::Event> Registry::UpdateEvent(const Caller& caller,
                                                const v1::UpdateEventRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "change events"));
  ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(request.event().name(), "events/*", "event.name"));
  v1::Event updated;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Event> stored, store.FindEvent(id));
    if (!stored.has_value()) return NotFoundError(request.event().name());
    RETURN_IF_ERROR(api::CheckEtag(request.event().etag(), stored->etag(), stored->name()));
    updated = *stored;
    RETURN_IF_ERROR(api::ApplyFieldMask(request.event(), request.update_mask(),
                                        kUpdatableEventFields, &updated));
    RETURN_IF_ERROR(ToStatus(ValidateEvent(updated, "event")));
    RETURN_IF_ERROR(CheckEventReferences(store, updated, "event"));
    api::StampUpdated(updated, clock_());
    return store.ReplaceEvent(id, updated);
  }));
  return updated;
}

absl::Status Registry::DeleteEvent(const Caller& caller, const v1::DeleteEventRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "delete events"));
  ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(request.name(), "events/*", "name"));
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Event> stored, store.FindEvent(id));
    if (!stored.has_value()) return NotFoundError(request.name());
    RETURN_IF_ERROR(api::CheckEtag(request.etag(), stored->etag(), stored->name()));
    ASSIGN_OR_RETURN(std::vector<std::string> references,
                     store.EventReferences(id, /*successors_only=*/request.force()));
    if (!references.empty()) return InUseError(request.name(), references);
    if (request.force()) RETURN_IF_ERROR(store.DeleteEventChildren(id));
    return store.DeleteEvent(id);
  });
}

}  // namespace summit::registry
