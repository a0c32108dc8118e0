#include "services/scheduling/scheduling_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/api/resource_meta.h"
#include "common/status/macros.h"

namespace summit::scheduling {
namespace {

using storage::ListCondition;
using storage::ProtoTable;
using storage::Row;
using storage::SqlValue;

std::string LastSegment(const std::string& name) { return name.substr(name.rfind('/') + 1); }

const ProtoTable<v1::Room>& Rooms() {
  static const auto* const kTable = new ProtoTable<v1::Room>(
      "rooms", {"event_id", "id"}, {"kind", "capacity"}, [](const v1::Room& room) {
        return std::vector<SqlValue>{int64_t{room.kind()}, int64_t{room.capacity()}};
      });
  return *kTable;
}

const ProtoTable<v1::Session>& Sessions() {
  static const auto* const kTable = new ProtoTable<v1::Session>(
      "sessions", {"event_id", "id"}, {"kind", "state", "visibility", "room_id", "start_us", "end_us"},
      [](const v1::Session& session) {
        return std::vector<SqlValue>{
            int64_t{session.kind()}, int64_t{session.state()}, int64_t{session.visibility()},
            session.room().empty() ? SqlValue(nullptr) : SqlValue(LastSegment(session.room())),
            ToMicros(session.start_time()), ToMicros(session.end_time())};
      });
  return *kTable;
}

const ProtoTable<v1::MeetingRequest>& MeetingRequests() {
  static const auto* const kTable = new ProtoTable<v1::MeetingRequest>(
      "meeting_requests", {"event_id", "id"}, {"state", "requester_id", "invitee", "attendee_id"},
      [](const v1::MeetingRequest& request) {
        return std::vector<SqlValue>{
            int64_t{request.state()},
            std::string(absl::StripPrefix(request.requester(), "people/")), request.invitee(),
            request.attendee().empty()
                ? SqlValue(nullptr)
                : SqlValue(std::string(absl::StripPrefix(request.attendee(), "people/")))};
      });
  return *kTable;
}

const ProtoTable<v1::PairRule>& PairRules() {
  static const auto* const kTable = new ProtoTable<v1::PairRule>(
      "pair_rules", {"event_id", "id"}, {"organization_a", "organization_b"},
      [](const v1::PairRule& rule) {
        return std::vector<SqlValue>{rule.organization_a(), rule.organization_b()};
      });
  return *kTable;
}

const ProtoTable<v1::Availability>& Availabilities() {
  static const auto* const kTable = new ProtoTable<v1::Availability>(
      "availabilities", {"event_id", "id"}, {}, [](const v1::Availability&) {
        return std::vector<SqlValue>{};
      });
  return *kTable;
}

template <typename Resource>
absl::StatusOr<std::vector<Resource>> ParseAll(const std::vector<Row>& rows) {
  std::vector<Resource> resources;
  resources.reserve(rows.size());
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(Resource resource, ProtoTable<Resource>::Parse(row));
    resources.push_back(std::move(resource));
  }
  return resources;
}

std::string Placeholders(size_t count) {
  std::vector<std::string> marks(count, "?");
  return absl::StrJoin(marks, ", ");
}

}  // namespace

int64_t ToMicros(absl::Time time) { return absl::ToUnixMicros(time); }
int64_t ToMicros(const google::protobuf::Timestamp& timestamp) {
  return ToMicros(api::FromTimestamp(timestamp));
}

// Rooms.

absl::StatusOr<std::optional<v1::Room>> SchedulingStore::FindRoom(const std::string& event_id,
                                                                  const std::string& id) {
  return Rooms().Find(tx_, {event_id, id});
}
absl::Status SchedulingStore::InsertRoom(const std::string& event_id, const std::string& id,
                                         const v1::Room& room) {
  return Rooms().Insert(tx_, {event_id, id}, room);
}
absl::Status SchedulingStore::ReplaceRoom(const std::string& event_id, const std::string& id,
                                          const v1::Room& room) {
  return Rooms().Replace(tx_, {event_id, id}, room);
}
absl::Status SchedulingStore::DeleteRoom(const std::string& event_id, const std::string& id) {
  return Rooms().Delete(tx_, {event_id, id});
}
absl::StatusOr<std::vector<v1::Room>> SchedulingStore::ListRooms(
    const std::string& event_id, const std::vector<ListCondition>& conditions,
    const std::string& after_id, int limit) {
  return Rooms().List(tx_, {event_id}, conditions, after_id, limit);
}
absl::StatusOr<std::vector<std::string>> SchedulingStore::SessionsInRoom(const std::string& event_id,
                                                                         const std::string& room_id) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT 'events/' || event_id || '/sessions/' || id FROM sessions "
                             "WHERE event_id = ? AND room_id = ? LIMIT 5",
                             {event_id, room_id}));
  std::vector<std::string> names;
  for (const Row& row : rows) names.push_back(row.Text(0));
  return names;
}
absl::StatusOr<int> SchedulingStore::LargestSessionInRoom(const std::string& event_id,
                                                          const std::string& room_id) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n "
                             "FROM person_bookings p JOIN room_bookings r "
                             "ON p.event_id = r.event_id AND p.session_id = r.session_id "
                             "WHERE r.event_id = ? AND r.room_id = ? GROUP BY r.session_id) AS per_session",
                             {event_id, room_id}));
  return rows.empty() ? 0 : static_cast<int>(rows.front().Int(0));
}

// Sessions.

absl::StatusOr<std::optional<v1::Session>> SchedulingStore::FindSession(
    const std::string& event_id, const std::string& id) {
  return Sessions().Find(tx_, {event_id, id});
}
absl::Status SchedulingStore::InsertSession(const std::string& event_id, const std::string& id,
                                            const v1::Session& session) {
  RETURN_IF_ERROR(Sessions().Insert(tx_, {event_id, id}, session));
  return WriteBookings(event_id, id, session);
}
absl::Status SchedulingStore::ReplaceSession(const std::string& event_id, const std::string& id,
                                             const v1::Session& session) {
  RETURN_IF_ERROR(Sessions().Replace(tx_, {event_id, id}, session));
  return WriteBookings(event_id, id, session);
}

absl::Status SchedulingStore::WriteBookings(const std::string& event_id, const std::string& id,
                                            const v1::Session& session) {
  RETURN_IF_ERROR(tx_.Execute("DELETE FROM person_bookings WHERE event_id = ? AND session_id = ?",
                              {event_id, id})
                      .status());
  RETURN_IF_ERROR(tx_.Execute("DELETE FROM room_bookings WHERE event_id = ? AND session_id = ?",
                              {event_id, id})
                      .status());
  if (session.state() == v1::Session::STATE_CANCELLED) return absl::OkStatus();
  const int64_t start = ToMicros(session.start_time());
  const int64_t end = ToMicros(session.end_time());
  for (const std::string& person : session.participants()) {
    RETURN_IF_ERROR(tx_.Execute("INSERT INTO person_bookings "
                                "(event_id, person_id, session_id, start_us, end_us) "
                                "VALUES (?, ?, ?, ?, ?)",
                                {event_id, std::string(absl::StripPrefix(person, "people/")), id,
                                 start, end})
                        .status());
  }
  if (!session.room().empty()) {
    RETURN_IF_ERROR(tx_.Execute("INSERT INTO room_bookings "
                                "(event_id, room_id, session_id, start_us, end_us) "
                                "VALUES (?, ?, ?, ?, ?)",
                                {event_id, LastSegment(session.room()), id, start, end})
                        .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Session>> SchedulingStore::ListSessionsByTime(
    const std::string& event_id, const std::vector<ListCondition>& conditions,
    int64_t after_start_us, const std::string& after_id, int limit) {
  std::vector<std::string> where = {"event_id = ?", "(start_us > ? OR (start_us = ? AND id > ?))"};
  std::vector<SqlValue> values = {event_id, after_start_us, after_start_us, after_id};
  for (const ListCondition& condition : conditions) {
    where.push_back("(" + condition.sql + ")");
    values.insert(values.end(), condition.values.begin(), condition.values.end());
  }
  values.emplace_back(int64_t{limit});
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query(absl::StrCat("SELECT data FROM sessions AS t WHERE ",
                                          absl::StrJoin(where, " AND "),
                                          " ORDER BY start_us, id LIMIT ?"),
                             values));
  return ParseAll<v1::Session>(rows);
}

absl::StatusOr<std::vector<v1::Session>> SchedulingStore::ActiveSessionsBetween(
    const std::string& event_id, absl::Time start, absl::Time end) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT data FROM sessions WHERE event_id = ? AND state <> ? "
                             "AND start_us < ? AND end_us > ? ORDER BY start_us, id",
                             {event_id, int64_t{v1::Session::STATE_CANCELLED}, ToMicros(end),
                              ToMicros(start)}));
  return ParseAll<v1::Session>(rows);
}

absl::StatusOr<std::optional<Clash>> SchedulingStore::FindPersonClash(
    const std::string& event_id, const std::vector<std::string>& person_ids, absl::Time start,
    absl::Time end, const std::string& except_id) {
  if (person_ids.empty()) return std::optional<Clash>();
  std::vector<SqlValue> values = {event_id, except_id, ToMicros(end), ToMicros(start)};
  for (const std::string& id : person_ids) values.emplace_back(id);
  ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx_.Query(absl::StrCat("SELECT session_id, person_id FROM person_bookings "
                             "WHERE event_id = ? AND session_id <> ? AND start_us < ? "
                             "AND end_us > ? AND person_id IN (",
                             Placeholders(person_ids.size()), ") ORDER BY start_us LIMIT 1"),
                values));
  if (rows.empty()) return std::optional<Clash>();
  return std::optional<Clash>(Clash{absl::StrCat("events/", event_id, "/sessions/", rows[0].Text(0)),
                                    absl::StrCat("people/", rows[0].Text(1))});
}

absl::StatusOr<std::optional<Clash>> SchedulingStore::FindRoomClash(
    const std::string& event_id, const std::string& room_id, absl::Time start, absl::Time end,
    const std::string& except_id) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT session_id FROM room_bookings WHERE event_id = ? "
                             "AND room_id = ? AND session_id <> ? AND start_us < ? AND end_us > ? "
                             "ORDER BY start_us LIMIT 1",
                             {event_id, room_id, except_id, ToMicros(end), ToMicros(start)}));
  if (rows.empty()) return std::optional<Clash>();
  return std::optional<Clash>(
      Clash{absl::StrCat("events/", event_id, "/sessions/", rows[0].Text(0)), ""});
}

absl::StatusOr<std::optional<std::string>> SchedulingStore::FindUnavailable(
    const std::string& event_id, const std::vector<std::string>& person_ids, absl::Time start,
    absl::Time end) {
  if (person_ids.empty()) return std::optional<std::string>();
  std::vector<SqlValue> values = {event_id, ToMicros(end), ToMicros(start)};
  for (const std::string& id : person_ids) values.emplace_back(id);
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query(absl::StrCat("SELECT person_id FROM unavailable_intervals "
                                          "WHERE event_id = ? AND start_us < ? AND end_us > ? "
                                          "AND person_id IN (",
                                          Placeholders(person_ids.size()), ") LIMIT 1"),
                             values));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(absl::StrCat("people/", rows[0].Text(0)));
}

// Meeting requests.

absl::StatusOr<std::optional<v1::MeetingRequest>> SchedulingStore::FindMeetingRequest(
    const std::string& event_id, const std::string& id) {
  return MeetingRequests().Find(tx_, {event_id, id});
}
absl::Status SchedulingStore::InsertMeetingRequest(const std::string& event_id,
                                                   const std::string& id,
                                                   const v1::MeetingRequest& request) {
  return MeetingRequests().Insert(tx_, {event_id, id}, request);
}
absl::Status SchedulingStore::ReplaceMeetingRequest(const std::string& event_id,
                                                    const std::string& id,
                                                    const v1::MeetingRequest& request) {
  return MeetingRequests().Replace(tx_, {event_id, id}, request);
}
absl::StatusOr<std::vector<v1::MeetingRequest>> SchedulingStore::ListMeetingRequests(
    const std::string& event_id, const std::vector<ListCondition>& conditions,
    const std::string& after_id, int limit) {
  return MeetingRequests().List(tx_, {event_id}, conditions, after_id, limit);
}

// Pair rules.

absl::StatusOr<std::optional<v1::PairRule>> SchedulingStore::FindPairRule(
    const std::string& event_id, const std::string& id) {
  return PairRules().Find(tx_, {event_id, id});
}
absl::Status SchedulingStore::InsertPairRule(const std::string& event_id, const std::string& id,
                                             const v1::PairRule& rule) {
  return PairRules().Insert(tx_, {event_id, id}, rule);
}
absl::Status SchedulingStore::DeletePairRule(const std::string& event_id, const std::string& id) {
  return PairRules().Delete(tx_, {event_id, id});
}
absl::StatusOr<std::vector<v1::PairRule>> SchedulingStore::ListPairRules(
    const std::string& event_id, const std::string& after_id, int limit) {
  return PairRules().List(tx_, {event_id}, {}, after_id, limit);
}

// Availability.

absl::StatusOr<std::optional<v1::Availability>> SchedulingStore::FindAvailability(
    const std::string& event_id, const std::string& person_id) {
  return Availabilities().Find(tx_, {event_id, person_id});
}

absl::Status SchedulingStore::SetAvailability(const std::string& event_id,
                                              const std::string& person_id,
                                              const v1::Availability& availability) {
  RETURN_IF_ERROR(Availabilities().Delete(tx_, {event_id, person_id}));
  RETURN_IF_ERROR(Availabilities().Insert(tx_, {event_id, person_id}, availability));
  for (const v1::TimeInterval& interval : availability.unavailable()) {
    RETURN_IF_ERROR(tx_.Execute("INSERT INTO unavailable_intervals "
                                "(event_id, person_id, start_us, end_us) VALUES (?, ?, ?, ?)",
                                {event_id, person_id, ToMicros(interval.start_time()),
                                 ToMicros(interval.end_time())})
                        .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Availability>> SchedulingStore::AllAvailabilities(
    const std::string& event_id) {
  return Availabilities().List(tx_, {event_id}, {}, "", 1 << 30);
}

// Revisions.

absl::StatusOr<int64_t> SchedulingStore::Revision(const std::string& event_id) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT revision FROM event_revisions WHERE event_id = ?", {event_id}));
  return rows.empty() ? 0 : rows.front().Int(0);
}

absl::Status SchedulingStore::BumpRevision(const std::string& event_id) {
  return tx_.Execute("INSERT INTO event_revisions (event_id, revision) VALUES (?, 1) "
                     "ON CONFLICT (event_id) DO UPDATE SET revision = event_revisions.revision + 1",
                     {event_id})
      .status();
}

}  // namespace summit::scheduling
