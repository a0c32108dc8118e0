// What the matchmaking scheduler answers: where each placed request goes, why each other
// request is not placed, the total priority placed (the objective) and an upper bound on the
// best total any plan could reach, so organizers see how far the proposal is from the best.
// A proposal only: the caller commits it (or not) in its own transaction.
//
//   absl::StatusOr<SchedulePlan> plan = ProposeSchedule(problem);
//   for (const SchedulePlacement& p : plan->placements) store.CreateSession(p);  // caller's job
//   for (const UnplacedRequest& u : plan->unplaced) {
//     // e.g. "PAIR_RULE_BLOCKED", "pairRules/3", "organizations/a and organizations/b must ..."
//     std::cout << UnplacedReasonName(u.reason) << " " << u.pair_rule_id << " " << u.explanation;
//   }
//   double gap = 1.0 - double(plan->objective) / double(plan->upper_bound);
//
// Thread-safety: plain values.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULE_PLAN_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULE_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace summit::scheduling {

struct SchedulePlacement {
  std::string request_id;
  std::string room_id;
  absl::Time start;
  absl::Time end;  // start + the request's duration (it holds whole slots: HeldDuration)
};

// Why a request is not in the plan. Each reason is about the request itself, except
// kCrowdedOut, which is about the competition.
enum class UnplacedReason {
  // The request is malformed: priority or duration not positive, fewer than two attendees, an
  // attendee repeated or empty. (Any positive duration is placeable: it holds whole slots.)
  kInvalid,
  // Two of its organizations are forbidden to meet by a pair rule (`pair_rule_id`).
  kPairRuleBlocked,
  // Every room has fewer seats than the request has attendees.
  kNoRoomLargeEnough,
  // Even with no other request placed, there is no start on the slot grid where all attendees
  // (with their buffers) and some room that fits are free for the whole duration — or the
  // meeting is longer than every window.
  kNoCommonFreeSlot,
  // It could be placed on its own, but every place it fits is taken by requests the scheduler
  // kept (`competing_request_ids` names the cheapest set of them to displace).
  kCrowdedOut,
};

// "INVALID", "PAIR_RULE_BLOCKED", "NO_ROOM_LARGE_ENOUGH", "NO_COMMON_FREE_SLOT", "CROWDED_OUT":
// stable names for machines (APIs, logs, dashboards).
absl::string_view UnplacedReasonName(UnplacedReason reason);

struct UnplacedRequest {
  std::string request_id;
  UnplacedReason reason = UnplacedReason::kInvalid;
  std::string pair_rule_id;  // kPairRuleBlocked: the rule (the smallest id when several apply)
  // kCrowdedOut: the placed requests to displace for the cheapest place it fits (fewest
  // requests, then least priority), sorted by id.
  std::vector<std::string> competing_request_ids;
  std::string explanation;  // one sentence for people
};

// The quantities whose minimum is the upper bound; each is itself a valid bound (see
// scheduler_bound.h for why).
struct UpperBoundParts {
  int64_t placeable_priority = 0;  // sum over requests that could be placed on their own
  int64_t attendee_time = 0;       // per-person fractional knapsack, summed over people
  int64_t room_time = 0;           // room-slot fractional knapsack, by room size
  int64_t combined = 0;            // LP dual over attendee time and room time together
};

struct SchedulePlan {
  // Sorted by start, then room id.
  std::vector<SchedulePlacement> placements;
  // Sorted by request id.
  std::vector<UnplacedRequest> unplaced;
  int64_t objective = 0;    // sum of priorities of the placed requests
  int64_t upper_bound = 0;  // no plan for this problem has a larger objective
  UpperBoundParts bound_parts;
  // The secondary goal (spread each person's day), as measured after the search: the number of
  // pairs of one person's consecutive placed meetings with no free slot between them beyond
  // the buffer (fewer is better).
  int64_t back_to_back_pairs = 0;
};

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULE_PLAN_H_
