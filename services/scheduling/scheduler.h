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
// - Every placement respects the problem (schedule_problem.h): it starts on the slot grid and
//   lasts the request's duration, whatever that is, holding whole slots (HeldDuration) inside
//   one window; a fitting room free for all of them, every attendee free with the buffer kept,
//   no pair rule broken. schedule_checker.h verifies this independently.
// - Deterministic: the same problem gives the same plan, whatever the order of its lists
//   (everything is indexed by id; every search limit is a count, not a clock).
// - `upper_bound` >= the objective of every feasible plan (scheduler_bound.h says why).
// - Every request not placed is in `unplaced` with its reason: INVALID, PAIR_RULE_BLOCKED,
//   NO_ROOM_LARGE_ENOUGH and NO_COMMON_FREE_SLOT are facts about the request alone; CROWDED_OUT
//   means it fits alone but lost its places to the requests the scheduler kept.
// - The objective is maximised first; spreading (scheduler_search.h) never trades priority.
//
// How: the problem is compiled onto the slot grid (scheduler_model.h); a first greedy plan is
// made; the upper bound is computed (scheduler_bound.h), and its resource prices order a second
// greedy; ejection chains, exact region repair and a large neighbourhood search improve the
// better plan; a last pass spreads each person's day (scheduler_search.h); every request left
// out is explained (scheduler_explain.h). On the benchmark event (2,000 people, 20,000
// requests, two 9-hour days, 60 rooms; bench/scheduler_bench.cc) this takes under a second on
// one core and reaches 99.9% of the bound; on problems of a few hundred requests it spends up
// to about a second searching, unless it meets the bound sooner.
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
