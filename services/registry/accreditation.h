// The accreditation life cycle of a participant:
//
//   PENDING ──approve──▶ APPROVED ──revoke──▶ REVOKED
//      └─────reject───▶ REJECTED
//
// Every other move is refused with FAILED_PRECONDITION and changes nothing.
#ifndef SUMMIT_SERVICES_REGISTRY_ACCREDITATION_H_
#define SUMMIT_SERVICES_REGISTRY_ACCREDITATION_H_

#include "absl/status/status.h"
#include "summit/registry/v1/resources.pb.h"

namespace summit::registry {

// OK when a participant in state `from` may move to `to`.
absl::Status CheckAccreditationTransition(const v1::Participant& participant,
                                          v1::Participant::State to);

}  // namespace summit::registry

#endif  // SUMMIT_SERVICES_REGISTRY_ACCREDITATION_H_
