// Scheduling: itineraries (a person's, a room's, the event's sessions in time
// order) and their iCalendar export.
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/page_token.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/auth/access.h"
#include "common/storage/list_query.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "services/scheduling/icalendar.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/scheduling_internal.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/scheduling_validation.h"

namespace summit::scheduling {
namespace {

absl::Time TimeOr(const google::protobuf::Timestamp& timestamp, absl::Time otherwise) {
  return timestamp.seconds() == 0 && timestamp.nanos() == 0 ? otherwise
                                                            : api::FromTimestamp(timestamp);
}

// An itinerary's person and room, when given, are names of theirs: INVALID_ARGUMENT otherwise,
// before any of it reaches a query.
absl::Status CheckWhoseSessions(const std::string& person, const std::string& room) {
  std::vector<FieldViolation> violations;
  if (!person.empty() && !api::ResourceIdOf(person, "people/*", "person").ok()) {
    violations.push_back({"person", "must be people/{person}"});
  }
  if (!room.empty() && !api::ResourceIdOf(room, "events/*/rooms/*", "room").ok()) {
    violations.push_back({"room", "must be events/{event}/rooms/{room}"});
  }
  if (!violations.empty()) return InvalidArgumentError(std::move(violations));
  return absl::OkStatus();
}

// Why a calendar cannot be exported: an answer holds the whole calendar or
// nothing, since a calendar missing sessions looks complete to the person
// who imports it. `how_large` says what is too much.
absl::Status CalendarTooLargeError(const v1::ExportCalendarRequest& request,
                                   absl::string_view how_large) {
  std::vector<std::string> whose;
  if (!request.person().empty()) whose.push_back(request.person());
  whose.push_back(request.room().empty() ? request.parent() : request.room());
  const bool whole_event = request.person().empty() && request.room().empty();
  return FailedPreconditionError(
      "CALENDAR_TOO_LARGE", request.parent(),
      absl::StrCat("the calendar of ", absl::StrJoin(whose, " in "),
                   " is too large for one answer (", how_large, "): ",
                   whole_event ? "export the calendar of each person or room instead, or " : "",
                   "list the sessions page by page with ListItinerary"));
}

}  // namespace

absl::StatusOr<std::vector<v1::Session>> Scheduling::Itinerary(
    const Caller& caller, const std::string& event_id, const std::string& person,
    const std::string& room, absl::Time from, absl::Time to, int64_t after_start_us,
    const std::string& after_id, int limit) {
  std::vector<storage::ListCondition> conditions = {
      {"state <> ?", int64_t{v1::Session::STATE_CANCELLED}},
      {"end_us > ?", ToMicros(from)},
      {"start_us < ?", ToMicros(to)}};
  if (!person.empty()) {
    conditions.push_back({"EXISTS (SELECT 1 FROM person_bookings b WHERE b.event_id = t.event_id "
                          "AND b.session_id = t.id AND b.person_id = ?)",
                          internal::PersonId(person)});
  }
  if (!room.empty()) conditions.push_back({"room_id = ?", internal::LastSegment(room)});
  if (!auth::SeesEverything(caller.principal)) {
    conditions.push_back(
        internal::VisibleSessionsCondition(caller.principal));
  }
  std::vector<v1::Session> sessions;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(sessions, SchedulingStore(tx).ListSessionsByTime(event_id, conditions,
                                                                      after_start_us, after_id,
                                                                      limit));
    return absl::OkStatus();
  }));
  return sessions;
}

absl::StatusOr<v1::ListItineraryResponse> Scheduling::ListItinerary(
    const Caller& caller, const v1::ListItineraryRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  RETURN_IF_ERROR(CheckWhoseSessions(request.person(), request.room()));
  ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string fingerprint =
      absl::StrCat(request.parent(), "/itinerary\n", request.person(), "\n", request.room(), "\n",
                   request.start_time().seconds(), "\n", request.end_time().seconds());
  ASSIGN_OR_RETURN(api::PageToken token, api::DecodePageToken(request.page_token(), fingerprint));
  int64_t after_start = std::numeric_limits<int64_t>::min();
  std::string after_id;
  if (!token.last_key.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(token.last_key, absl::MaxSplits('/', 1));
    if (!absl::SimpleAtoi(parts.first, &after_start)) {
      return InvalidArgumentError({{"page_token", "is not a token this service returned"}});
    }
    after_id = parts.second;
  }
  ASSIGN_OR_RETURN(std::vector<v1::Session> sessions,
                   Itinerary(caller, event_id, request.person(), request.room(),
                             TimeOr(request.start_time(), absl::InfinitePast()),
                             TimeOr(request.end_time(), absl::InfiniteFuture()), after_start,
                             after_id, page_size + 1));
  v1::ListItineraryResponse response;
  if (const size_t length = storage::PageLength(sessions, page_size); length < sessions.size()) {
    sessions.resize(length);
    const v1::Session& last = sessions.back();
    response.set_next_page_token(api::EncodePageToken(
        absl::StrCat(ToMicros(last.start_time()), "/", internal::LastSegment(last.name())),
        fingerprint));
  }
  for (v1::Session& session : sessions) *response.add_sessions() = std::move(session);
  return response;
}

absl::StatusOr<v1::ExportCalendarResponse> Scheduling::ExportCalendar(
    const Caller& caller, const v1::ExportCalendarRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  RETURN_IF_ERROR(CheckWhoseSessions(request.person(), request.room()));
  ASSIGN_OR_RETURN(EventFacts event, registry_.GetEvent(caller.outgoing, request.parent()));
  // One more than a calendar holds, to tell a full calendar from one that
  // would miss sessions.
  ASSIGN_OR_RETURN(std::vector<v1::Session> sessions,
                   Itinerary(caller, event_id, request.person(), request.room(),
                             absl::InfinitePast(), absl::InfiniteFuture(),
                             std::numeric_limits<int64_t>::min(), "", kMaxCalendarSessions + 1));
  if (sessions.size() > static_cast<size_t>(kMaxCalendarSessions)) {
    return CalendarTooLargeError(request,
                                 absl::StrCat("more than ", kMaxCalendarSessions, " sessions"));
  }
  // People by name and rooms by their display names: what a calendar shows.
  std::vector<std::string> people;
  for (const v1::Session& session : sessions) {
    people.insert(people.end(), session.participants().begin(), session.participants().end());
  }
  ASSIGN_OR_RETURN(auto display_names, registry_.DisplayNamesOf(caller.outgoing, people));
  std::map<std::string, std::string> room_names;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<v1::Room> rooms, SchedulingStore(tx).ListRooms(event_id, {}, "", 1 << 30));
    for (const v1::Room& room : rooms) room_names[room.name()] = room.display_name();
    return absl::OkStatus();
  }));
  Calendar calendar;
  calendar.time_zone = event.time_zone;
  calendar.name = absl::StrCat(event_id, request.person().empty() ? "" : " — ", request.person(),
                               request.room().empty() ? "" : " — ", request.room());
  for (const v1::Session& session : sessions) {
    CalendarEvent entry;
    entry.session = session.name();
    entry.start = api::FromTimestamp(session.start_time());
    entry.end = api::FromTimestamp(session.end_time());
    entry.summary = session.title();
    entry.description = session.description();
    entry.location = session.location().empty() ? room_names[session.room()] : session.location();
    entry.status = session.state() == v1::Session::STATE_CONFIRMED ? CalendarEventStatus::kConfirmed
                                                                    : CalendarEventStatus::kTentative;
    entry.last_modified = api::FromTimestamp(session.update_time());
    // The update time orders revisions: clients replace a copy with a
    // higher SEQUENCE.
    entry.sequence = static_cast<int>(session.update_time().seconds() - session.create_time().seconds());
    for (const std::string& person : session.participants()) {
      CalendarAttendee attendee;
      attendee.person = person;
      attendee.display_name = display_names[person];
      entry.attendees.push_back(std::move(attendee));
    }
    calendar.events.push_back(std::move(entry));
  }
  ASSIGN_OR_RETURN(std::string text, WriteCalendar(calendar, clock_()));
  // Past 4 MiB a client's gRPC library refuses the answer (and the gateway
  // too, reading it from here): the page limit of lists keeps it under that.
  if (text.size() > storage::kMaxPageBytes) {
    return CalendarTooLargeError(
        request, absl::StrCat(text.size(), " bytes of text, more than ", storage::kMaxPageBytes));
  }
  v1::ExportCalendarResponse response;
  response.set_content_type("text/calendar; charset=utf-8");
  std::string who = !request.person().empty() ? internal::PersonId(request.person())
                    : !request.room().empty() ? internal::LastSegment(request.room())
                                              : "all";
  response.set_file_name(absl::StrCat(event_id, "-", who, ".ics"));
  response.set_calendar(std::move(text));
  return response;
}

}  // namespace summit::scheduling
