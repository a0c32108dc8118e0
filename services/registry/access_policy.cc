#include "services/registry/access_policy.h"

#include "absl/strings/str_cat.h"
#include "common/status/error.h"

namespace summit::registry {

void RedactPerson(const auth::Principal& caller, v1::Person& person) {
  if (SeesEverything(caller) || caller.Is(person.name())) return;
  person.clear_email();
  person.clear_phone();
}

bool MayReadParticipant(const auth::Principal& caller, const v1::Participant& participant) {
  return SeesEverything(caller) || caller.Is(participant.person()) ||
         participant.state() == v1::Participant::STATE_APPROVED;
}

}  // namespace summit::registry
