#include "common/auth/access.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/error.h"

namespace summit::auth {

absl::Status Refuse(const Principal& caller, absl::string_view reason, absl::string_view message) {
  if (caller.IsPublic() && caller.subject.empty()) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "CREDENTIALS_REQUIRED",
                           absl::StrCat(message, "; send a bearer token"));
  }
  return ErrorWithReason(absl::StatusCode::kPermissionDenied, reason, message,
                         {{"role", std::string(RoleName(caller.role))}});
}

absl::Status RequireOrganizer(const Principal& caller, absl::string_view action) {
  if (caller.IsOrganizer()) return absl::OkStatus();
  return Refuse(caller, "ORGANIZER_ONLY", absl::StrCat("only organizers may ", action));
}

bool SeesEverything(const Principal& caller) { return caller.IsOrganizer() || caller.IsService(); }

}  // namespace summit::auth
