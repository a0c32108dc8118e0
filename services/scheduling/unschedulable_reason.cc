#include "services/scheduling/unschedulable_reason.h"

namespace summit::scheduling {

std::string UnschedulableReason(v1::UnplacedRequest::Reason reason) {
  switch (reason) {
    case v1::UnplacedRequest::REASON_PAIR_RULE:
      return "The organizations of its two sides may not meet at this event: a pair rule "
             "forbids it.";
    case v1::UnplacedRequest::REASON_NO_ROOM_LARGE_ENOUGH:
      return "No room of the event seats everyone who would attend.";
    case v1::UnplacedRequest::REASON_NO_COMMON_FREE_SLOT:
      return "Its attendees are never free together for as long as it lasts in the hours "
             "meetings are scheduled.";
    case v1::UnplacedRequest::REASON_CROWDED_OUT:
      return "It fits on its own, but meetings that matter more took every time and room it "
             "fits.";
    case v1::UnplacedRequest::REASON_INVALID:
      return "The scheduler cannot place it as it is.";
    default:
      break;
  }
  return "The scheduler could not place it.";
}

}  // namespace summit::scheduling
