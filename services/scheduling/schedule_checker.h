// An independent check of a schedule plan against its problem: lists every broken constraint
// and every false claim, so that tests and benchmarks catch the scheduler's mistakes instead of
// trusting it. It shares nothing with the scheduler but the problem's definition
// (schedule_problem.h): it works on time intervals, not on the scheduler's slot grid or
// bitsets, and rebuilds windows, grid and pair rules itself.
//
//   absl::StatusOr<SchedulePlan> plan = ProposeSchedule(problem);
//   std::vector<std::string> violations = CheckPlan(problem, *plan);
//   EXPECT_THAT(violations, IsEmpty());  // each entry is one sentence naming what is wrong
//
// What it checks:
// - Each placement: a known request, placed once, valid (priority, duration, attendees), in a
//   known room that seats all attendees, lasting exactly the request's duration, starting on
//   the slot grid, and holding (its duration rounded up to whole slots: HeldDuration) a time
//   inside one (merged) window, clear of the room's busy intervals, of each attendee's busy
//   intervals widened by the buffer, and of every pair rule.
// - Between placements: no room holds two meetings at once; no person has two meetings whose
//   held times are closer than the buffer.
// - Accounting: every request is either placed or unplaced, exactly once; the objective is the
//   sum of placed priorities; the objective does not exceed the upper bound.
// - Each unplaced reason is true: INVALID requests are invalid; the named pair rule blocks the
//   request; no room is large enough; no grid start has all attendees and a fitting room free
//   for the time it holds (NO_COMMON_FREE_SLOT); a CROWDED_OUT request fits on its own but
//   fits nowhere beside the plan's placements, and its competitors are placed.
//
// Cost: about (requests × grid starts × rooms) interval look-ups of O(log n); well under a
// second or two for the 20,000-request benchmark.
//
// Thread-safety: pure.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULE_CHECKER_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULE_CHECKER_H_

#include <string>
#include <vector>

#include "services/scheduling/schedule_plan.h"
#include "services/scheduling/schedule_problem.h"

namespace summit::scheduling {

// Every violation found, in a stable order; empty when the plan is sound.
std::vector<std::string> CheckPlan(const ScheduleProblem& problem, const SchedulePlan& plan);

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULE_CHECKER_H_
