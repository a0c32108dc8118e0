// Who may see and change what in the registry — the role matrix:
//
//   | caller                     | reads                                   | writes |
//   |----------------------------|-----------------------------------------|--------|
//   | organizer                  | everything                              | all    |
//   | service (another Summit    | everything                              | none   |
//   |   service)                 |                                         |        |
//   | the person themself        | their own e-mail, phone, accreditations | none   |
//   | delegate, press, public    | events, organizations, people without   | none   |
//   |                            | e-mail and phone, delegations, APPROVED |        |
//   |                            | accreditations                          |        |
//
// Hidden accreditations are answered NOT_FOUND, so that a pending or
// rejected request is not disclosed by the error either.
#ifndef SUMMIT_SERVICES_REGISTRY_ACCESS_POLICY_H_
#define SUMMIT_SERVICES_REGISTRY_ACCESS_POLICY_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/access.h"
#include "common/auth/principal.h"
#include "summit/registry/v1/resources.pb.h"

namespace summit::registry {

using auth::RequireOrganizer;
using auth::SeesEverything;

// Clears e-mail and phone unless the caller may see them.
void RedactPerson(const auth::Principal& caller, v1::Person& person);

// Whether the caller may see this accreditation at all.
bool MayReadParticipant(const auth::Principal& caller, const v1::Participant& participant);

}  // namespace summit::registry

#endif  // SUMMIT_SERVICES_REGISTRY_ACCESS_POLICY_H_
