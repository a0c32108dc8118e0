// What the matchmaking scheduler is asked to solve: the event's daily windows, the slot grid,
// the rooms, who is already busy when, which organizations must never meet, and the accepted
// meeting requests to place. A plain value with no database, gRPC or time zone behind it: the
// caller (the scheduling service) gathers it from its store, so the scheduler stays pure and
// testable, and re-scheduling during the event is the caller's choice of what counts as busy
// (committed, locked and already-held meetings come in as busy intervals of people and rooms).
//
//   ScheduleProblem problem;
//   problem.windows = DailyWindowsInZone(absl::CivilDay(2023, 12, 6), absl::CivilDay(2023, 12, 7),
//                                        /*hour_from=*/9, /*hour_to=*/18, washington);
//   problem.slot_length = absl::Minutes(20);
//   problem.buffer = absl::Minutes(10);
//   problem.rooms.push_back({"rooms/salon-a", /*capacity=*/8, /*busy=*/{}});
//   problem.people.push_back({"people/umerov", {{plenary_start, plenary_end}}});
//   problem.pair_rules.push_back({"pairRules/1", "organizations/acme",
//   "organizations/sanctioned"}); problem.requests.push_back({"meetingRequests/7", /*priority=*/5,
//   absl::Minutes(40),
//                               {"people/umerov", "people/smith"},
//                               {"organizations/mod-ua", "organizations/acme"}});
//   absl::StatusOr<SchedulePlan> plan = ProposeSchedule(problem);  // scheduler.h
//
// Meaning of the fields, which the scheduler (scheduler.h) and the independent checker
// (schedule_checker.h) both follow:
// - Every interval is half-open, [start, end), in absolute time (UTC instants). An empty busy
//   interval blocks nothing.
// - Windows that overlap or touch are merged. Slots start at the window's start every
//   `slot_length`; a last slot that would end after the window's end is dropped.
// - A meeting starts on a slot and lasts its own duration, which need not be a whole number of
//   slots; it holds its room and its attendees for the whole slots it touches, from its start
//   to the end of the slot it ends in (HeldDuration: a 30-minute meeting on a 20-minute grid
//   holds two slots, and the rest of the second stays free of other meetings). Everything
//   below is about that held time: it lies inside one (merged) window, and is what must be
//   clear of busy intervals, other meetings and buffers.
// - `buffer` is the time a person needs between two engagements: between two meetings' held
//   times, and between a meeting's held time and any of the person's busy intervals (a
//   plenary, a committed meeting, an absence — the person is elsewhere and must get here).
//   Rooms need no buffer.
// - A room fits a meeting when its capacity is at least the number of attendees.
// - A pair rule forbids any meeting whose organizations include both of the rule's
//   organizations (export control, sanctions, conflict of interest).
//
// Thread-safety: a plain value; concurrent reads are safe.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULE_PROBLEM_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULE_PROBLEM_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace summit::scheduling {

// [start, end) in absolute time.
struct TimeInterval {
  absl::Time start;
  absl::Time end;
};

struct ScheduleRoom {
  std::string id;    // e.g. "events/udib-2023/rooms/salon-a"
  int capacity = 0;  // seats, at least 1
  // When the room is taken already: fixed sessions, committed or locked meetings, maintenance.
  std::vector<TimeInterval> busy;
};

// When one person cannot meet: fixed sessions they attend, committed or locked meetings,
// declared unavailability. People who appear only in requests are free all the time.
struct PersonBusy {
  std::string person_id;
  std::vector<TimeInterval> busy;
};

// Two organizations that must never meet. Unordered: (a, b) also forbids (b, a).
struct SchedulePairRule {
  std::string id;  // e.g. "events/udib-2023/pairRules/3", reported when the rule blocks a request
  std::string organization_a;
  std::string organization_b;
};

// One accepted meeting request to place.
struct ScheduleRequest {
  std::string id;           // e.g. "events/udib-2023/meetingRequests/7"
  int priority = 0;         // positive; the scheduler maximises the sum over placed requests
  absl::Duration duration;  // positive; any length (it holds whole slots: HeldDuration)
  std::vector<std::string> attendees;  // person ids, at least 2, no repeats
  // The organization of each side (requester's, invitee's, …), checked against pair rules.
  // May be empty when no pair rule can apply.
  std::vector<std::string> organizations;
};

struct ScheduleProblem {
  // The horizon: the event's daily windows as UTC instants (see DailyWindowsInZone).
  std::vector<TimeInterval> windows;
  absl::Duration slot_length = absl::Minutes(20);
  absl::Duration buffer = absl::ZeroDuration();
  std::vector<ScheduleRoom> rooms;
  std::vector<PersonBusy> people;
  std::vector<SchedulePairRule> pair_rules;
  std::vector<ScheduleRequest> requests;
};

// How long a meeting of `duration` holds its room and attendees on a grid of `slot_length`:
// its duration rounded up to a whole number of slots. `duration` itself when not positive.
absl::Duration HeldDuration(absl::Duration duration, absl::Duration slot_length);

// Largest horizon accepted, in slots (e.g. 14 days of 12 h in 5-minute slots is 2,016).
inline constexpr int kMaxHorizonSlots = 4096;

// OK, or INVALID_ARGUMENT naming the first thing that makes the problem as a whole unusable:
// a slot length that is not positive, a negative buffer, an empty or inverted window, an
// inverted busy interval, a horizon of more than kMaxHorizonSlots slots, a room without id or
// with capacity below 1, a repeated room id, a request without id or a repeated request id, a
// pair rule naming one organization twice. Faults of one request (its priority, duration or
// attendees) are not problem errors: the scheduler reports that request as INVALID and goes on.
absl::Status ValidateScheduleProblem(const ScheduleProblem& problem);

// The daily windows [hour_from:00, hour_to:00) local time in `zone` for every day from `first`
// to `last` inclusive, as UTC instants. On days when the local clock skips or repeats an hour
// (daylight saving), a wall-clock time that does not exist or exists twice is taken with the
// UTC offset in force before the change (absl::TimeZone::At(...).pre). Example:
// 9–18 in America/New_York on 6 December 2023 is [14:00Z, 23:00Z). Empty when first > last
// or hour_from >= hour_to.
std::vector<TimeInterval> DailyWindowsInZone(absl::CivilDay first, absl::CivilDay last,
                                             int hour_from, int hour_to, absl::TimeZone zone);

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULE_PROBLEM_H_
