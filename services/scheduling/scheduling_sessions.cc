// Scheduling: sessions, and the invariants every session keeps.
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/api/field_mask.h"
#include "common/api/page_token.h"
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

using internal::LastSegment;
using internal::PersonId;

constexpr absl::string_view kPattern = "events/*/sessions/*";
constexpr absl::string_view kUpdatableSessionFields[] = {
    "title", "description", "kind",       "start_time", "end_time", "room",
    "location", "participants", "visibility", "state", "locked"};

}  // namespace

namespace internal {

absl::Status CheckInsideEvent(const EventFacts& event, const v1::Session& session) {
  ASSIGN_OR_RETURN(auto bounds, internal::EventBounds(event));
  const absl::Time start = api::FromTimestamp(session.start_time());
  const absl::Time end = api::FromTimestamp(session.end_time());
  if (start < bounds.first || end > bounds.second) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "OUTSIDE_EVENT",
        absl::StrCat("the session must lie within ", event.name, " (",
                     absl::FormatTime("%Y-%m-%d", bounds.first, absl::UTCTimeZone()),
                     " to the end of its last day, ", event.time_zone, ")"),
        {{"event", event.name}});
  }
  return absl::OkStatus();
}

absl::Status CheckSessionAgainstStore(SchedulingStore& store, const std::string& event_id,
                                      const std::string& session_id, const v1::Session& session,
                                      const std::map<std::string, std::string>& organizations) {
  if (session.state() == v1::Session::STATE_CANCELLED) return absl::OkStatus();
  const absl::Time start = api::FromTimestamp(session.start_time());
  const absl::Time end = api::FromTimestamp(session.end_time());
  const std::vector<std::string> people = internal::PersonIds(session.participants());
  if (!session.room().empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     api::ParseResourceName(session.room(), "events/*/rooms/*", "session.room"));
    ASSIGN_OR_RETURN(std::optional<v1::Room> room, store.FindRoom(ids[0], ids[1]));
    if (!room.has_value() || ids[0] != event_id) {
      return MissingReferenceError("session.room", session.room());
    }
    if (room->capacity() < session.participants_size()) {
      return FailedPreconditionError("ROOM_TOO_SMALL", session.room(),
                                     absl::StrCat(session.room(), " seats ", room->capacity(),
                                                  ", not ", session.participants_size()));
    }
    ASSIGN_OR_RETURN(std::optional<Clash> clash,
                     store.FindRoomClash(event_id, ids[1], start, end, session_id));
    if (clash.has_value()) {
      return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "ROOM_DOUBLE_BOOKED",
                             absl::StrCat(session.room(), " is taken then by ", clash->session),
                             {{"room", session.room()}, {"session", clash->session}});
    }
  }
  ASSIGN_OR_RETURN(std::optional<Clash> clash,
                   store.FindPersonClash(event_id, people, start, end, session_id));
  if (clash.has_value()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "PERSON_DOUBLE_BOOKED",
                           absl::StrCat(clash->person, " is in ", clash->session, " then"),
                           {{"person", clash->person}, {"session", clash->session}});
  }
  ASSIGN_OR_RETURN(std::optional<std::string> unavailable,
                   store.FindUnavailable(event_id, people, start, end));
  if (unavailable.has_value()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "PERSON_UNAVAILABLE",
                           absl::StrCat(*unavailable, " is unavailable then"),
                           {{"person", *unavailable}});
  }
  ASSIGN_OR_RETURN(std::vector<v1::PairRule> rules, store.ListPairRules(event_id, "", 1 << 30));
  for (const v1::PairRule& rule : rules) {
    std::string side_a, side_b;
    for (const std::string& person : session.participants()) {
      auto it = organizations.find(person);
      if (it == organizations.end()) continue;
      if (it->second == rule.organization_a()) side_a = person;
      if (it->second == rule.organization_b()) side_b = person;
    }
    if (!side_a.empty() && !side_b.empty()) {
      return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "PAIR_RULE",
                             absl::StrCat(side_a, " and ", side_b, " may not meet: ", rule.name(),
                                          " (", rule.reason(), ")"),
                             {{"pair_rule", rule.name()}});
    }
  }
  return absl::OkStatus();
}

}  // namespace internal

namespace {

// The (start, id) key of a time-ordered page token.
std::string TimeKey(const v1::Session& session) {
  return absl::StrCat(ToMicros(session.start_time()), "/", LastSegment(session.name()));
}

absl::StatusOr<std::pair<int64_t, std::string>> ParseTimeKey(const std::string& key) {
  if (key.empty()) return std::make_pair(std::numeric_limits<int64_t>::min(), std::string());
  std::pair<std::string, std::string> parts = absl::StrSplit(key, absl::MaxSplits('/', 1));
  int64_t start = 0;
  if (!absl::SimpleAtoi(parts.first, &start)) {
    return InvalidArgumentError({{"page_token", "is not a token this service returned"}});
  }
  return std::make_pair(start, parts.second);
}

}  // namespace

absl::Status Scheduling::CheckAndWriteSession(const std::string& event_id,
                                              const std::string& session_id,
                                              const v1::Session& session, bool create,
                                              const std::map<std::string, std::string>& organizations,
                                              const std::string& request_id,
                                              const std::string& expected_etag,
                                              v1::Session& result) {
  result = session;
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    auto write = [&]() -> absl::Status {
      ASSIGN_OR_RETURN(std::optional<v1::Session> existing, store.FindSession(event_id, session_id));
      if (create && existing.has_value()) return AlreadyExistsError(session.name());
      if (!create) {
        // The session may have changed since the caller's change was made
        // from it.
        if (!existing.has_value()) return NotFoundError(session.name());
        RETURN_IF_ERROR(api::CheckEtag(expected_etag, existing->etag(), existing->name()));
      }
      RETURN_IF_ERROR(
          internal::CheckSessionAgainstStore(store, event_id, session_id, session, organizations));
      RETURN_IF_ERROR(create ? store.InsertSession(event_id, session_id, session)
                             : store.ReplaceSession(event_id, session_id, session));
      return store.BumpRevision(event_id);
    };
    if (!create) return write();
    return storage::CreateOnce<v1::Session>(
        tx, request_id,
        [&](const std::string& name) -> absl::StatusOr<std::optional<v1::Session>> {
          ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(name, kPattern, "name"));
          return store.FindSession(ids[0], ids[1]);
        },
        write, result);
  });
}

absl::StatusOr<v1::Session> Scheduling::CreateSession(const Caller& caller,
                                                      const v1::CreateSessionRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "create sessions"));
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  std::vector<FieldViolation> violations = ValidateSession(request.session(), "session");
  ValidateOptionalId(request.session_id(), "session_id", violations);
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  v1::Session session = request.session();
  const std::string id = api::ChosenOrNewId(request.session_id());
  session.set_name(absl::StrCat(request.parent(), "/sessions/", id));
  session.clear_meeting_request();
  if (session.state() == v1::Session::STATE_UNSPECIFIED) session.set_state(v1::Session::STATE_TENTATIVE);
  if (session.visibility() == v1::Session::VISIBILITY_UNSPECIFIED) {
    session.set_visibility(v1::Session::VISIBILITY_PRIVATE);
  }
  api::StampCreated(session, clock_());

  // Ask the Registry before the transaction: no network call holds the lock.
  const std::vector<std::string> people(session.participants().begin(), session.participants().end());
  ASSIGN_OR_RETURN(EventFacts event, registry_.GetEvent(caller.outgoing, request.parent()));
  RETURN_IF_ERROR(internal::CheckInsideEvent(event, session));
  RETURN_IF_ERROR(registry_.CheckApproved(caller.outgoing, request.parent(), people));
  ASSIGN_OR_RETURN(auto organizations, registry_.OrganizationsOf(caller.outgoing, people));
  v1::Session result;
  RETURN_IF_ERROR(CheckAndWriteSession(event_id, id, session, /*create=*/true, organizations,
                                       request.request_id(), /*expected_etag=*/"", result));
  return result;
}

absl::StatusOr<v1::Session> Scheduling::GetSession(const Caller& caller,
                                                   const v1::GetSessionRequest& request) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.name(), kPattern, "name"));
  std::optional<v1::Session> session;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(session, SchedulingStore(tx).FindSession(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!session.has_value() || !internal::MayReadSession(caller.principal, *session)) {
    return NotFoundError(request.name());
  }
  return *std::move(session);
}

absl::StatusOr<v1::ListSessionsResponse> Scheduling::ListSessions(
    const Caller& caller, const v1::ListSessionsRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  const std::string room_prefix = absl::StrCat(request.parent(), "/rooms/");
  const storage::FilterField fields[] = {
      {"kind", "kind = ?", v1::Session::Kind_descriptor()},
      {"state", "state = ?", v1::Session::State_descriptor()},
      {"visibility", "visibility = ?", v1::Session::Visibility_descriptor()},
      {"room", "room_id = ?", nullptr, room_prefix},
  };
  ASSIGN_OR_RETURN(storage::ListQuery query,
                   storage::ParseListQuery(absl::StrCat(request.parent(), "/sessions"),
                                           request.page_size(), request.page_token(),
                                           request.filter(), fields));
  ASSIGN_OR_RETURN(auto after, ParseTimeKey(query.after_id));
  if (!auth::SeesEverything(caller.principal)) {
    query.conditions.push_back(
        internal::VisibleSessionsCondition(caller.principal));
  }
  std::vector<v1::Session> sessions;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(sessions, SchedulingStore(tx).ListSessionsByTime(
                                   event_id, query.conditions, after.first, after.second,
                                   query.fetch_limit()));
    return absl::OkStatus();
  }));
  v1::ListSessionsResponse response;
  if (const size_t length = storage::PageLength(sessions, query.page_size);
      length < sessions.size()) {
    sessions.resize(length);
    response.set_next_page_token(api::EncodePageToken(TimeKey(sessions.back()), query.fingerprint));
  }
  for (v1::Session& session : sessions) *response.add_sessions() = std::move(session);
  return response;
}

absl::StatusOr<v1::Session> Scheduling::UpdateSession(const Caller& caller,
                                                      const v1::UpdateSessionRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "change sessions"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.session().name(), kPattern, "session.name"));
  std::optional<v1::Session> stored;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(stored, SchedulingStore(tx).FindSession(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!stored.has_value()) return NotFoundError(request.session().name());
  RETURN_IF_ERROR(api::CheckEtag(request.session().etag(), stored->etag(), stored->name()));
  if (stored->state() == v1::Session::STATE_CANCELLED) {
    return FailedPreconditionError("SESSION_CANCELLED", stored->name(),
                                   absl::StrCat(stored->name(), " is cancelled"));
  }
  v1::Session updated = *stored;
  RETURN_IF_ERROR(api::ApplyFieldMask(request.session(), request.update_mask(),
                                      kUpdatableSessionFields, &updated));
  RETURN_IF_ERROR(ToStatus(ValidateSession(updated, "session")));
  if (updated.state() == v1::Session::STATE_CANCELLED) {
    return InvalidArgumentError({{"session.state", "cancel a session with CancelSession"}});
  }
  api::StampUpdated(updated, clock_());

  const std::string event = internal::EventName(ids[0]);
  const std::vector<std::string> people(updated.participants().begin(), updated.participants().end());
  ASSIGN_OR_RETURN(EventFacts facts, registry_.GetEvent(caller.outgoing, event));
  RETURN_IF_ERROR(internal::CheckInsideEvent(facts, updated));
  RETURN_IF_ERROR(registry_.CheckApproved(caller.outgoing, event, people));
  ASSIGN_OR_RETURN(auto organizations, registry_.OrganizationsOf(caller.outgoing, people));
  v1::Session result;
  RETURN_IF_ERROR(CheckAndWriteSession(ids[0], ids[1], updated, /*create=*/false, organizations, "",
                                       /*expected_etag=*/stored->etag(), result));
  return result;
}

absl::StatusOr<v1::Session> Scheduling::CancelSession(const Caller& caller,
                                                      const v1::CancelSessionRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "cancel sessions"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.name(), kPattern, "name"));
  v1::Session cancelled;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Session> stored, store.FindSession(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(request.name());
    RETURN_IF_ERROR(api::CheckEtag(request.etag(), stored->etag(), stored->name()));
    if (stored->state() == v1::Session::STATE_CANCELLED) {
      return FailedPreconditionError("SESSION_CANCELLED", stored->name(),
                                     absl::StrCat(stored->name(), " is already cancelled"));
    }
    const absl::Time now = clock_();
    cancelled = *std::move(stored);
    cancelled.set_state(v1::Session::STATE_CANCELLED);
    api::StampUpdated(cancelled, now);
    RETURN_IF_ERROR(store.ReplaceSession(ids[0], ids[1], cancelled));
    // A meeting that was placed goes back to waiting for a place.
    if (!cancelled.meeting_request().empty()) {
      const std::string request_id = LastSegment(cancelled.meeting_request());
      ASSIGN_OR_RETURN(std::optional<v1::MeetingRequest> meeting,
                       store.FindMeetingRequest(ids[0], request_id));
      if (meeting.has_value() && meeting->state() == v1::MeetingRequest::STATE_SCHEDULED) {
        meeting->set_state(v1::MeetingRequest::STATE_ACCEPTED);
        meeting->clear_session();
        meeting->set_state_reason(absl::StrCat(cancelled.name(), " was cancelled"));
        api::StampUpdated(*meeting, now);
        RETURN_IF_ERROR(store.ReplaceMeetingRequest(ids[0], request_id, *meeting));
      }
    }
    return store.BumpRevision(ids[0]);
  }));
  return cancelled;
}

}  // namespace summit::scheduling
