// What the people of a meeting request are told when the scheduler could not place it: the
// kind of obstacle, in words, and nothing that only organizers may see. The plan an organizer
// proposes explains each request it leaves out by name (the pair rule that forbids it, the
// requests that took its place: UnplacedRequest.explanation); a requester, an invitee or a
// member of an invited organization reads the request's state_reason instead, which must tell
// them that a pair rule forbids it, not which rule or why — as CreateMeetingRequest does
// (scheduling_internal.h, PairRuleRefusal) — and never name other people's requests.
//
//   meeting.set_state_reason(UnschedulableReason(unplaced.reason()));
//
// Thread-safety: a pure function.
#ifndef SUMMIT_SERVICES_SCHEDULING_UNSCHEDULABLE_REASON_H_
#define SUMMIT_SERVICES_SCHEDULING_UNSCHEDULABLE_REASON_H_

#include <string>

#include "summit/scheduling/v1/resources.pb.h"

namespace summit::scheduling {

// One sentence for each reason, the same for every request: it depends on the reason's code
// alone, so it cannot carry a name (the plan's explanation, which does, is not used).
std::string UnschedulableReason(v1::UnplacedRequest::Reason reason);

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_UNSCHEDULABLE_REASON_H_
