#include "services/scheduling/schedule_plan.h"

namespace summit::scheduling {

absl::string_view UnplacedReasonName(UnplacedReason reason) {
  switch (reason) {
    case UnplacedReason::kInvalid:
      return "INVALID";
    case UnplacedReason::kPairRuleBlocked:
      return "PAIR_RULE_BLOCKED";
    case UnplacedReason::kNoRoomLargeEnough:
      return "NO_ROOM_LARGE_ENOUGH";
    case UnplacedReason::kNoCommonFreeSlot:
      return "NO_COMMON_FREE_SLOT";
    case UnplacedReason::kCrowdedOut:
      return "CROWDED_OUT";
  }
  return "UNKNOWN";
}

}  // namespace summit::scheduling
