#include "services/registry/access_policy.h"

#include "absl/strings/str_cat.h"
#include "common/status/error.h"

namespace summit::registry {

absl::Status RequireOrganizer(const auth::Principal& caller, absl::string_view action) {
  if (caller.IsOrganizer()) return absl::OkStatus();
  if (caller.IsPublic() && caller.subject.empty()) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "CREDENTIALS_REQUIRED",
                           absl::StrCat("only organizers may ", action,
                                        "; send an organizer's bearer token"));
  }
  return ErrorWithReason(absl::StatusCode::kPermissionDenied, "ORGANIZER_ONLY",
                         absl::StrCat("only organizers may ", action),
                         {{"role", std::string(auth::RoleName(caller.role))}});
}

bool SeesEverything(const auth::Principal& caller) {
  return caller.IsOrganizer() || caller.IsService();
}

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
