#include "services/scheduling/scheduling_validation.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/api/violations.h"

namespace summit::scheduling {
namespace {

using api::Violations;

bool IsSet(const google::protobuf::Timestamp& time) {
  return time.seconds() != 0 || time.nanos() != 0;
}

}  // namespace

std::vector<FieldViolation> ValidateRoom(const v1::Room& room, absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Check("display_name", api::TextProblem(room.display_name(), kMaxRoomNameChars, /*required=*/true));
  if (room.kind() == v1::Room::KIND_UNSPECIFIED || !v1::Room::Kind_IsValid(room.kind())) {
    v.Add("kind", "required: KIND_PLENARY_HALL, KIND_MEETING_ROOM or KIND_TABLE");
  }
  if (room.capacity() < 1 || room.capacity() > kMaxRoomCapacity) {
    v.Add("capacity", absl::StrCat("must be 1 to ", kMaxRoomCapacity, " seats"));
  }
  return out;
}

std::vector<FieldViolation> ValidateSession(const v1::Session& session, absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Check("title", api::TextProblem(session.title(), kMaxSessionTitleChars, /*required=*/true));
  v.Check("description", api::TextProblem(session.description(), kMaxSessionDescriptionChars, false));
  v.Check("location", api::TextProblem(session.location(), kMaxSessionLocationChars, false));
  if (session.kind() == v1::Session::KIND_UNSPECIFIED || !v1::Session::Kind_IsValid(session.kind())) {
    v.Add("kind", "required: what kind of session it is, e.g. KIND_BILATERAL");
  }
  if (!v1::Session::Visibility_IsValid(session.visibility())) v.Add("visibility", "unknown value");
  if (!v1::Session::State_IsValid(session.state())) v.Add("state", "unknown value");
  if (!IsSet(session.start_time())) v.Add("start_time", "required");
  if (!IsSet(session.end_time())) v.Add("end_time", "required");
  if (IsSet(session.start_time()) && IsSet(session.end_time()) &&
      api::FromTimestamp(session.end_time()) <= api::FromTimestamp(session.start_time())) {
    v.Add("end_time", "must be after start_time");
  }
  const bool site_visit = session.kind() == v1::Session::KIND_SITE_VISIT;
  v.Reference("room", session.room(), "events/*/rooms/*", /*required=*/!site_visit);
  if (session.participants_size() > kMaxSessionParticipants) {
    v.Add("participants", absl::StrCat("at most ", kMaxSessionParticipants, " people"));
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < session.participants_size(); ++i) {
    v.Reference(absl::StrCat("participants[", i, "]"), session.participants(i), "people/*", true);
    if (!seen.insert(session.participants(i)).second) {
      v.Add("participants", absl::StrCat("lists ", session.participants(i), " twice"));
    }
  }
  return out;
}

std::vector<FieldViolation> ValidateMeetingRequest(const v1::MeetingRequest& request,
                                                   absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Reference("requester", request.requester(), "people/*", /*required=*/true);
  if (request.invitee().rfind("organizations/", 0) == 0) {
    v.Reference("invitee", request.invitee(), "organizations/*", true);
  } else {
    v.Reference("invitee", request.invitee(), "people/*", true);
  }
  if (!request.invitee().empty() && request.invitee() == request.requester()) {
    v.Add("invitee", "cannot be the requester");
  }
  v.Check("topic", api::TextProblem(request.topic(), kMaxTopicChars, /*required=*/true));
  const int64_t seconds = request.duration().seconds();
  if (request.duration().nanos() != 0 || seconds % 60 != 0 || seconds < 600 || seconds > 4 * 3600) {
    v.Add("duration", "must be a whole number of minutes from 10 minutes to 4 hours");
  }
  if (request.priority() != 0 && (request.priority() < 1 || request.priority() > 10)) {
    v.Add("priority", "must be 1 to 10");
  }
  return out;
}

std::vector<FieldViolation> ValidatePairRule(const v1::PairRule& rule, absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Reference("organization_a", rule.organization_a(), "organizations/*", true);
  v.Reference("organization_b", rule.organization_b(), "organizations/*", true);
  if (!rule.organization_a().empty() && rule.organization_a() == rule.organization_b()) {
    v.Add("organization_b", "must differ from organization_a");
  }
  v.Check("reason", api::TextProblem(rule.reason(), kMaxPairRuleReasonChars, /*required=*/true));
  return out;
}

std::vector<FieldViolation> ValidateAvailability(const v1::Availability& availability,
                                                 absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Reference("name", availability.name(), "events/*/availabilities/*", true);
  if (availability.unavailable_size() > kMaxUnavailableIntervals) {
    v.Add("unavailable", absl::StrCat("at most ", kMaxUnavailableIntervals, " intervals"));
  }
  for (int i = 0; i < availability.unavailable_size(); ++i) {
    const v1::TimeInterval& interval = availability.unavailable(i);
    if (!IsSet(interval.start_time()) || !IsSet(interval.end_time()) ||
        api::FromTimestamp(interval.end_time()) <= api::FromTimestamp(interval.start_time())) {
      v.Add(absl::StrCat("unavailable[", i, "]"), "needs a start_time before its end_time");
    }
  }
  return out;
}

std::vector<FieldViolation> ValidateScheduleOptions(const v1::ScheduleOptions& options,
                                                    absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  for (int i = 0; i < options.days_size(); ++i) {
    v.Check(absl::StrCat("days[", i, "]"), api::DateProblem(options.days(i)));
  }
  const auto whole_minutes = [](const google::type::TimeOfDay& t) {
    return t.hours() >= 0 && t.hours() <= 24 && t.minutes() >= 0 && t.minutes() <= 59 &&
           t.seconds() == 0 && t.nanos() == 0;
  };
  // Only of times that passed the check: hours come from the client as any int32, and
  // hours * 60 would overflow (found by fuzz/scheduling_validation_fuzzer).
  const auto minutes_of = [](const google::type::TimeOfDay& t) {
    return t.hours() * 60 + t.minutes();
  };
  for (const auto& [field, time] : {std::pair<const char*, const google::type::TimeOfDay*>{
                                        "daily_start", &options.daily_start()},
                                    {"daily_end", &options.daily_end()}}) {
    if (!whole_minutes(*time)) v.Add(field, "must be whole minutes of a day");
  }
  if (options.has_daily_start() && options.has_daily_end() &&
      whole_minutes(options.daily_start()) && whole_minutes(options.daily_end()) &&
      minutes_of(options.daily_end()) <= minutes_of(options.daily_start())) {
    v.Add("daily_end", "must be after daily_start");
  }
  const auto& slot = options.slot_duration();
  if (options.has_slot_duration() &&
      (slot.nanos() != 0 || slot.seconds() % 60 != 0 || slot.seconds() < 300 || slot.seconds() > 4 * 3600)) {
    v.Add("slot_duration", "must be whole minutes from 5 minutes to 4 hours");
  }
  const auto& buffer = options.buffer();
  if (buffer.nanos() != 0 || buffer.seconds() % 60 != 0 || buffer.seconds() < 0 || buffer.seconds() > 3600) {
    v.Add("buffer", "must be whole minutes, at most an hour");
  }
  return out;
}

}  // namespace summit::scheduling
