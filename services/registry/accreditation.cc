#include "services/registry/accreditation.h"

#include "absl/strings/str_cat.h"
#include "common/status/error.h"

namespace summit::registry {

absl::Status CheckAccreditationTransition(const v1::Participant& participant,
                                          v1::Participant::State to) {
  using State = v1::Participant;
  const v1::Participant::State from = participant.state();
  const bool allowed = (from == State::STATE_PENDING &&
                        (to == State::STATE_APPROVED || to == State::STATE_REJECTED)) ||
                       (from == State::STATE_APPROVED && to == State::STATE_REVOKED);
  if (allowed) return absl::OkStatus();
  return ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "INVALID_ACCREDITATION_TRANSITION",
      absl::StrCat(participant.name(), " is ", v1::Participant::State_Name(from), " and cannot become ",
                   v1::Participant::State_Name(to),
                   " (PENDING → APPROVED | REJECTED; APPROVED → REVOKED)"),
      {{"participant", participant.name()},
       {"state", v1::Participant::State_Name(from)},
       {"requested_state", v1::Participant::State_Name(to)}});
}

}  // namespace summit::registry
