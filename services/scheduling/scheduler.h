// The matchmaking scheduler: places accepted meeting requests into slots and rooms around what
// is already fixed, maximising the total priority placed, then spreading each person's day;
// explains every request it leaves out; and bounds how much better any plan could do.
//
//   ScheduleProblem problem = ...;  // schedule_problem.h: windows, slots, rooms, busy, rules
//   absl::StatusOr<SchedulePlan> plan = ProposeSchedule(problem);
//   if (!plan.ok()) return plan.status();  // INVALID_ARGUMENT: the problem as a whole is bad
//   // plan->placements, plan->unplaced (with reasons), plan->objective <= plan->upper_bound
//
// Guarantees:
// - Every placement respects the problem (schedule_problem.h): on the slot grid inside one
//   window, a fitting room that is free, every attendee free with the buffer kept, no pair rule
//   broken. schedule_checker.h verifies this independently.
// - Deterministic: the same problem gives the same plan, whatever the order of its lists
//   (everything is indexed by id; every search limit is a count, not a clock).
// - `upper_bound` >= the objective of every feasible plan (scheduler_bound.h says why).
// - Every request not placed is in `unplaced` with its reason: INVALID, PAIR_RULE_BLOCKED,
//   NO_ROOM_LARGE_ENOUGH and NO_COMMON_FREE_SLOT are facts about the request alone; CROWDED_OUT
//   means it fits alone but lost its places to the requests the scheduler kept.
// - The objective is maximised first; spreading (scheduler_search.h) never trades priority.
//
// How: the problem is compiled onto the slot grid (scheduler_model.h), then a greedy by
// priority per slot of room time, an ejection-chain improvement and a spreading pass fill a
// timetable (scheduler_search.h). On the benchmark event (2,000 people, 20,000 requests, two
// 9-hour days, 60 rooms) this takes about a second on one core; see bench/scheduler_bench.cc.
//
// Thread-safety: pure; concurrent calls are safe.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULER_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULER_H_

#include "absl/status/statusor.h"
#include "services/scheduling/schedule_plan.h"
#include "services/scheduling/schedule_problem.h"

namespace summit::scheduling {

absl::StatusOr<SchedulePlan> ProposeSchedule(const ScheduleProblem& problem);

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULER_H_
