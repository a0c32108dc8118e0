// Scheduling: proposing and committing the matchmaking schedule. The pure
// scheduler (scheduler.h) does the placing; this file gathers its input from
// the database and the Registry, and applies a plan in one transaction.
#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/auth/access.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "services/scheduling/schedule_problem.h"
#include "services/scheduling/scheduler.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/scheduling_internal.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/scheduling_validation.h"
#include "services/scheduling/unschedulable_reason.h"

namespace summit::scheduling {
namespace {

bool Placeable(const v1::MeetingRequest& request) {
  return request.state() == v1::MeetingRequest::STATE_ACCEPTED ||
         request.state() == v1::MeetingRequest::STATE_UNSCHEDULABLE;
}

absl::Duration FromProto(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

v1::UnplacedRequest::Reason ToProto(UnplacedReason reason) {
  switch (reason) {
    case UnplacedReason::kPairRuleBlocked: return v1::UnplacedRequest::REASON_PAIR_RULE;
    case UnplacedReason::kNoRoomLargeEnough: return v1::UnplacedRequest::REASON_NO_ROOM_LARGE_ENOUGH;
    case UnplacedReason::kNoCommonFreeSlot: return v1::UnplacedRequest::REASON_NO_COMMON_FREE_SLOT;
    case UnplacedReason::kCrowdedOut: return v1::UnplacedRequest::REASON_CROWDED_OUT;
    case UnplacedReason::kInvalid: return v1::UnplacedRequest::REASON_INVALID;
  }
  return v1::UnplacedRequest::REASON_UNSPECIFIED;
}

// The options with their defaults filled in.
v1::ScheduleOptions WithDefaults(v1::ScheduleOptions options) {
  if (!options.has_daily_start()) options.mutable_daily_start()->set_hours(9);
  if (!options.has_daily_end()) options.mutable_daily_end()->set_hours(18);
  if (!options.has_slot_duration()) options.mutable_slot_duration()->set_seconds(20 * 60);
  return options;
}

// The daily windows of the options as instants, and OK only when every day
// lies within the event.
absl::StatusOr<std::vector<TimeInterval>> Windows(const EventFacts& event,
                                                  v1::ScheduleOptions& options) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(event.time_zone, &zone)) {
    return absl::FailedPreconditionError(absl::StrCat("unknown time zone ", event.time_zone));
  }
  const absl::CivilDay first(event.start_date.year(), event.start_date.month(), event.start_date.day());
  const absl::CivilDay last(event.end_date.year(), event.end_date.month(), event.end_date.day());
  if (options.days_size() == 0) {
    for (absl::CivilDay day = first; day <= last; ++day) {
      google::type::Date* date = options.add_days();
      date->set_year(static_cast<int>(day.year()));
      date->set_month(day.month());
      date->set_day(day.day());
    }
  }
  std::vector<TimeInterval> windows;
  for (int i = 0; i < options.days_size(); ++i) {
    const google::type::Date& date = options.days(i);
    const absl::CivilDay day(date.year(), date.month(), date.day());
    if (day < first || day > last) {
      return InvalidArgumentError({{absl::StrCat("options.days[", i, "]"),
                                    absl::StrCat("is not a day of ", event.name)}});
    }
    const auto at = [&](const google::type::TimeOfDay& time) {
      return absl::FromCivil(absl::CivilMinute(day) + time.hours() * 60 + time.minutes(), zone);
    };
    windows.push_back({at(options.daily_start()), at(options.daily_end())});
  }
  return windows;
}

}  // namespace

absl::StatusOr<v1::SchedulePlan> Scheduling::ProposeSchedule(
    const Caller& caller, const v1::ProposeScheduleRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "propose schedules"));
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.event(), "events/*", "event"));
  RETURN_IF_ERROR(ToStatus(ValidateScheduleOptions(request.options(), "options")));
  v1::ScheduleOptions options = WithDefaults(request.options());
  ASSIGN_OR_RETURN(EventFacts event, registry_.GetEvent(caller.outgoing, request.event()));
  ASSIGN_OR_RETURN(std::vector<TimeInterval> windows, Windows(event, options));

  // One snapshot of everything the plan depends on, and its revision.
  int64_t revision = 0;
  std::vector<v1::Room> rooms;
  std::vector<v1::Session> sessions;
  std::vector<v1::Availability> availabilities;
  std::vector<v1::PairRule> rules;
  std::vector<v1::MeetingRequest> requests;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    ASSIGN_OR_RETURN(revision, store.Revision(event_id));
    ASSIGN_OR_RETURN(rooms, store.ListRooms(event_id, {}, "", 1 << 30));
    ASSIGN_OR_RETURN(sessions, store.ActiveSessionsBetween(event_id, absl::InfinitePast(),
                                                           absl::InfiniteFuture()));
    ASSIGN_OR_RETURN(availabilities, store.AllAvailabilities(event_id));
    ASSIGN_OR_RETURN(rules, store.ListPairRules(event_id, "", 1 << 30));
    ASSIGN_OR_RETURN(requests, store.ListMeetingRequests(event_id, {}, "", 1 << 30));
    return absl::OkStatus();
  }));
  requests.erase(std::remove_if(requests.begin(), requests.end(),
                                [](const v1::MeetingRequest& r) { return !Placeable(r); }),
                 requests.end());

  // The organizations of everyone who would meet, for the pair rules.
  std::set<std::string> people;
  for (const v1::MeetingRequest& meeting : requests) {
    people.insert(meeting.requester());
    people.insert(meeting.attendee());
  }
  ASSIGN_OR_RETURN(auto organizations,
                   registry_.OrganizationsOf(caller.outgoing,
                                             std::vector<std::string>(people.begin(), people.end())));

  ScheduleProblem problem;
  problem.windows = windows;
  problem.slot_length = FromProto(options.slot_duration());
  problem.buffer = FromProto(options.buffer());
  std::map<std::string, std::vector<TimeInterval>> busy;
  std::map<std::string, std::vector<TimeInterval>> room_busy;
  for (const v1::Session& session : sessions) {
    const TimeInterval interval{api::FromTimestamp(session.start_time()),
                                api::FromTimestamp(session.end_time())};
    for (const std::string& person : session.participants()) busy[person].push_back(interval);
    if (!session.room().empty()) room_busy[session.room()].push_back(interval);
  }
  for (const v1::Availability& availability : availabilities) {
    const std::string person =
        absl::StrCat("people/", internal::LastSegment(availability.name()));
    for (const v1::TimeInterval& interval : availability.unavailable()) {
      busy[person].push_back(
          {api::FromTimestamp(interval.start_time()), api::FromTimestamp(interval.end_time())});
    }
  }
  for (const v1::Room& room : rooms) {
    problem.rooms.push_back({room.name(), room.capacity(), room_busy[room.name()]});
  }
  for (auto& [person, intervals] : busy) problem.people.push_back({person, std::move(intervals)});
  for (const v1::PairRule& rule : rules) {
    problem.pair_rules.push_back({rule.name(), rule.organization_a(), rule.organization_b()});
  }
  std::map<std::string, const v1::MeetingRequest*> by_name;
  for (const v1::MeetingRequest& meeting : requests) {
    by_name[meeting.name()] = &meeting;
    ScheduleRequest item;
    item.id = meeting.name();
    item.priority = meeting.priority();
    item.duration = FromProto(meeting.duration());
    item.attendees = {meeting.requester(), meeting.attendee()};
    item.organizations = {organizations[meeting.requester()],
                          absl::StartsWith(meeting.invitee(), "organizations/")
                              ? meeting.invitee()
                              : organizations[meeting.attendee()]};
    problem.requests.push_back(std::move(item));
  }
  ASSIGN_OR_RETURN(SchedulePlan plan, scheduling::ProposeSchedule(problem));

  v1::SchedulePlan result;
  result.set_event(request.event());
  *result.mutable_options() = options;
  for (const SchedulePlacement& placement : plan.placements) {
    v1::PlannedMeeting* meeting = result.add_meetings();
    meeting->set_meeting_request(placement.request_id);
    meeting->set_room(placement.room_id);
    *meeting->mutable_start_time() = api::ToTimestamp(placement.start);
    *meeting->mutable_end_time() = api::ToTimestamp(placement.end);
    const v1::MeetingRequest* source = by_name[placement.request_id];
    meeting->add_participants(source->requester());
    meeting->add_participants(source->attendee());
  }
  for (const UnplacedRequest& unplaced : plan.unplaced) {
    v1::UnplacedRequest* out = result.add_unplaced();
    out->set_meeting_request(unplaced.request_id);
    out->set_reason(ToProto(unplaced.reason));
    out->set_explanation(unplaced.explanation);
  }
  result.set_objective(plan.objective);
  result.set_upper_bound(plan.upper_bound);
  result.set_basis_etag(absl::StrCat(revision));
  *result.mutable_create_time() = api::ToTimestamp(clock_());
  return result;
}

absl::StatusOr<v1::CommitScheduleResponse> Scheduling::CommitSchedule(
    const Caller& caller, const v1::CommitScheduleRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "commit schedules"));
  const v1::SchedulePlan& plan = request.plan();
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(plan.event(), "events/*", "plan.event"));
  std::vector<FieldViolation> violations;
  ValidateRequestId(request.request_id(), violations);
  int64_t basis = 0;
  if (!absl::SimpleAtoi(plan.basis_etag(), &basis)) {
    violations.push_back({"plan.basis_etag", "is not one ProposeSchedule returned"});
  }
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  // A plan comes back from the client, and the Registry may have changed
  // since it was made: check it against every rule again, so that neither an
  // edited plan nor a revoked accreditation gets in.
  std::vector<std::string> people;
  for (const v1::PlannedMeeting& meeting : plan.meetings()) {
    people.insert(people.end(), meeting.participants().begin(), meeting.participants().end());
  }
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  ASSIGN_OR_RETURN(EventFacts event, registry_.GetEvent(caller.outgoing, plan.event()));
  RETURN_IF_ERROR(registry_.CheckApproved(caller.outgoing, plan.event(), people));
  ASSIGN_OR_RETURN(auto organizations, registry_.OrganizationsOf(caller.outgoing, people));

  v1::CommitScheduleResponse response;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    response.Clear();
    SchedulingStore store(tx);
    const std::string collection = absl::StrCat(plan.event(), "/schedules");
    ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                     storage::FindCreatedResource(tx, collection, request.request_id()));
    if (earlier.has_value()) {
      // A retried commit: answer with the sessions the first one made.
      for (const v1::PlannedMeeting& meeting : plan.meetings()) {
        ASSIGN_OR_RETURN(std::optional<v1::MeetingRequest> stored,
                         store.FindMeetingRequest(event_id, internal::LastSegment(meeting.meeting_request())));
        if (!stored.has_value() || stored->session().empty()) continue;
        ASSIGN_OR_RETURN(std::optional<v1::Session> session,
                         store.FindSession(event_id, internal::LastSegment(stored->session())));
        if (session.has_value()) *response.add_sessions() = *std::move(session);
      }
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(int64_t revision, store.Revision(event_id));
    if (revision != basis) {
      return ErrorWithReason(absl::StatusCode::kAborted, "PLAN_STALE",
                             absl::StrCat("the scheduling data of ", plan.event(),
                                          " changed since the plan was proposed; propose again"),
                             {{"event", plan.event()}});
    }
    const absl::Time now = clock_();
    for (int i = 0; i < plan.meetings_size(); ++i) {
      const v1::PlannedMeeting& planned = plan.meetings(i);
      const std::string field = absl::StrCat("plan.meetings[", i, "]");
      ASSIGN_OR_RETURN(std::vector<std::string> request_ids,
                       api::ParseResourceName(planned.meeting_request(), "events/*/meetingRequests/*",
                                              field + ".meeting_request"));
      ASSIGN_OR_RETURN(std::optional<v1::MeetingRequest> meeting,
                       store.FindMeetingRequest(event_id, request_ids[1]));
      if (!meeting.has_value() || request_ids[0] != event_id || !Placeable(*meeting) ||
          planned.participants_size() != 2 || planned.participants(0) != meeting->requester() ||
          planned.participants(1) != meeting->attendee() ||
          api::FromTimestamp(planned.end_time()) - api::FromTimestamp(planned.start_time()) !=
              FromProto(meeting->duration())) {
        return InvalidArgumentError({{field, "does not match an accepted meeting request"}});
      }
      v1::Session session;
      const std::string session_id = absl::StrCat("b2b-", request_ids[1]).substr(0, 63);
      session.set_name(absl::StrCat(plan.event(), "/sessions/", session_id));
      session.set_title(meeting->topic());
      session.set_kind(v1::Session::KIND_B2B);
      *session.mutable_start_time() = planned.start_time();
      *session.mutable_end_time() = planned.end_time();
      session.set_room(planned.room());
      *session.mutable_participants() = planned.participants();
      session.set_visibility(v1::Session::VISIBILITY_PRIVATE);
      session.set_state(v1::Session::STATE_CONFIRMED);
      session.set_meeting_request(meeting->name());
      api::StampCreated(session, now);
      // Every invariant, as for any session; the database's triggers stand
      // behind the clash checks.
      RETURN_IF_ERROR(internal::CheckInsideEvent(event, session));
      RETURN_IF_ERROR(internal::CheckSessionAgainstStore(store, event_id, session_id, session,
                                                         organizations));
      RETURN_IF_ERROR(store.InsertSession(event_id, session_id, session));
      meeting->set_state(v1::MeetingRequest::STATE_SCHEDULED);
      meeting->set_session(session.name());
      meeting->clear_state_reason();
      api::StampUpdated(*meeting, now);
      RETURN_IF_ERROR(store.ReplaceMeetingRequest(event_id, request_ids[1], *meeting));
      *response.add_sessions() = std::move(session);
    }
    for (const v1::UnplacedRequest& unplaced : plan.unplaced()) {
      ASSIGN_OR_RETURN(std::optional<v1::MeetingRequest> meeting,
                       store.FindMeetingRequest(event_id, internal::LastSegment(unplaced.meeting_request())));
      if (!meeting.has_value() || !Placeable(*meeting)) continue;
      meeting->set_state(v1::MeetingRequest::STATE_UNSCHEDULABLE);
      // Its people read this; the plan's explanation may name a pair rule or others' requests.
      meeting->set_state_reason(UnschedulableReason(unplaced.reason()));
      api::StampUpdated(*meeting, now);
      RETURN_IF_ERROR(store.ReplaceMeetingRequest(event_id, internal::LastSegment(meeting->name()), *meeting));
      response.set_unschedulable_count(response.unschedulable_count() + 1);
    }
    RETURN_IF_ERROR(storage::RememberCreatedResource(tx, collection, request.request_id(), plan.event()));
    return store.BumpRevision(event_id);
  }));
  return response;
}

}  // namespace summit::scheduling
