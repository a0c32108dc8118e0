// The checks every service makes of a caller before a write, worded the
// same everywhere.
//
//   RETURN_IF_ERROR(auth::RequireOrganizer(caller, "create rooms"));
#ifndef SUMMIT_COMMON_AUTH_ACCESS_H_
#define SUMMIT_COMMON_AUTH_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace summit::auth {

// OK for organizers. UNAUTHENTICATED for a caller without a token (they may
// be an organizer who forgot it), PERMISSION_DENIED for anyone else.
absl::Status RequireOrganizer(const Principal& caller, absl::string_view action);

// UNAUTHENTICATED (CREDENTIALS_REQUIRED) for a caller without a token, or
// PERMISSION_DENIED with `reason` for anyone else: what an action the caller
// may not take answers.
absl::Status Refuse(const Principal& caller, absl::string_view reason, absl::string_view message);

// True for organizers and Summit services: they may read everything.
bool SeesEverything(const Principal& caller);

}  // namespace summit::auth

#endif  // SUMMIT_COMMON_AUTH_ACCESS_H_
