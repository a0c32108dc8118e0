// Scheduling: rooms.
#include "common/api/field_mask.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/auth/access.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/list_query.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/scheduling_internal.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/scheduling_validation.h"

namespace summit::scheduling {
namespace {

constexpr absl::string_view kPattern = "events/*/rooms/*";
constexpr absl::string_view kUpdatableRoomFields[] = {"display_name", "kind", "capacity"};

}  // namespace

absl::StatusOr<v1::Room> Scheduling::CreateRoom(const Caller& caller,
                                                const v1::CreateRoomRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "create rooms"));
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  std::vector<FieldViolation> violations = ValidateRoom(request.room(), "room");
  ValidateOptionalId(request.room_id(), "room_id", violations);
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));
  RETURN_IF_ERROR(registry_.GetEvent(caller.outgoing, request.parent()).status());

  v1::Room room = request.room();
  const std::string id = api::ChosenOrNewId(request.room_id());
  room.set_name(absl::StrCat(request.parent(), "/rooms/", id));
  api::StampCreated(room, clock_());
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    return storage::CreateOnce<v1::Room>(
        tx, request.request_id(),
        [&](const std::string& name) -> absl::StatusOr<std::optional<v1::Room>> {
          ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(name, kPattern, "name"));
          return store.FindRoom(ids[0], ids[1]);
        },
        [&]() -> absl::Status {
          ASSIGN_OR_RETURN(std::optional<v1::Room> existing, store.FindRoom(event_id, id));
          if (existing.has_value()) return AlreadyExistsError(room.name());
          RETURN_IF_ERROR(store.InsertRoom(event_id, id, room));
          return store.BumpRevision(event_id);
        },
        room);
  }));
  return room;
}

absl::StatusOr<v1::Room> Scheduling::GetRoom(const Caller& caller,
                                             const v1::GetRoomRequest& request) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.name(), kPattern, "name"));
  std::optional<v1::Room> room;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(room, SchedulingStore(tx).FindRoom(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!room.has_value()) return NotFoundError(request.name());
  return *std::move(room);
}

absl::StatusOr<v1::ListRoomsResponse> Scheduling::ListRooms(const Caller& caller,
                                                            const v1::ListRoomsRequest& request) {
  static const storage::FilterField kFields[] = {
      {"kind", "kind = ?", v1::Room::Kind_descriptor()}};
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  ASSIGN_OR_RETURN(storage::ListQuery query,
                   storage::ParseListQuery(absl::StrCat(request.parent(), "/rooms"),
                                           request.page_size(), request.page_token(),
                                           request.filter(), kFields));
  std::vector<v1::Room> rooms;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(rooms, SchedulingStore(tx).ListRooms(event_id, query.conditions,
                                                          query.after_id, query.fetch_limit()));
    return absl::OkStatus();
  }));
  v1::ListRoomsResponse response;
  response.set_next_page_token(query.FinishPage(rooms));
  for (v1::Room& room : rooms) *response.add_rooms() = std::move(room);
  return response;
}

absl::StatusOr<v1::Room> Scheduling::UpdateRoom(const Caller& caller,
                                                const v1::UpdateRoomRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "change rooms"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.room().name(), kPattern, "room.name"));
  v1::Room updated;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Room> stored, store.FindRoom(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(request.room().name());
    RETURN_IF_ERROR(api::CheckEtag(request.room().etag(), stored->etag(), stored->name()));
    updated = *stored;
    RETURN_IF_ERROR(api::ApplyFieldMask(request.room(), request.update_mask(),
                                        kUpdatableRoomFields, &updated));
    RETURN_IF_ERROR(ToStatus(ValidateRoom(updated, "room")));
    ASSIGN_OR_RETURN(int largest, store.LargestSessionInRoom(ids[0], ids[1]));
    if (updated.capacity() < largest) {
      return FailedPreconditionError(
          "ROOM_TOO_SMALL", updated.name(),
          absl::StrCat(updated.name(), " holds a session of ", largest,
                       " people; it cannot shrink to ", updated.capacity(), " seats"));
    }
    api::StampUpdated(updated, clock_());
    RETURN_IF_ERROR(store.ReplaceRoom(ids[0], ids[1], updated));
    return store.BumpRevision(ids[0]);
  }));
  return updated;
}

absl::Status Scheduling::DeleteRoom(const Caller& caller, const v1::DeleteRoomRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "delete rooms"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.name(), kPattern, "name"));
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Room> stored, store.FindRoom(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(request.name());
    RETURN_IF_ERROR(api::CheckEtag(request.etag(), stored->etag(), stored->name()));
    ASSIGN_OR_RETURN(std::vector<std::string> sessions, store.SessionsInRoom(ids[0], ids[1]));
    if (!sessions.empty()) return InUseError(request.name(), sessions);
    RETURN_IF_ERROR(store.DeleteRoom(ids[0], ids[1]));
    return store.BumpRevision(ids[0]);
  });
}

}  // namespace summit::scheduling
