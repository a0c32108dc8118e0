// Who is calling: the subject and role a verified token (or its absence)
// stands for. Services decide what a caller may read and write from this
// alone, so a backend reached directly is no weaker than through the gateway.
//
//   absl::StatusOr<auth::Principal> caller = authenticator.Authenticate(*ctx);
//   if (!caller.ok()) return caller.status();  // UNAUTHENTICATED
//   if (!caller->IsOrganizer() && !caller->Is(person_name)) {
//     return summit::ErrorWithReason(absl::StatusCode::kPermissionDenied, ...);
//   }
//
// A Principal is a plain value; copies are independent and thread-compatible.
#ifndef SUMMIT_COMMON_AUTH_PRINCIPAL_H_
#define SUMMIT_COMMON_AUTH_PRINCIPAL_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"

namespace summit::auth {

// The roles a token may carry (the `role` claim). They are not a ladder:
// an organizer is not a superset of a service or of press, so code asks for
// the roles it allows rather than comparing ranks.
enum class Role {
  kPublic,     // no token: reads only what is public
  kPress,      // accredited press: also sees embargoed statements
  kDelegate,   // a member of a delegation
  kOrganizer,  // the summit secretariat
  kService,    // another Summit service calling on its own behalf
};

// The claim spelling of `role` ("public", "press", "delegate", "organizer",
// "service"). Exact, lower-case match only: a token is either one of ours or
// rejected, so there is nothing to be lenient about.
std::optional<Role> RoleFromString(absl::string_view name);
absl::string_view RoleName(Role role);

struct Principal {
  // The resource the caller is: "people/{person}" or "services/{name}".
  // Empty only for the public (no token).
  std::string subject;
  Role role = Role::kPublic;

  // The caller who presented no token.
  static Principal Public() { return Principal{}; }

  bool IsPublic() const { return role == Role::kPublic; }
  bool IsPress() const { return role == Role::kPress; }
  bool IsDelegate() const { return role == Role::kDelegate; }
  bool IsOrganizer() const { return role == Role::kOrganizer; }
  bool IsService() const { return role == Role::kService; }

  // True when the caller is the resource `resource_name` (e.g. a person
  // reading their own record). Never true for an empty name or an empty
  // subject, so an unset owner field cannot match the public.
  bool Is(absl::string_view resource_name) const {
    return !subject.empty() && subject == resource_name;
  }

  friend bool operator==(const Principal& a, const Principal& b) {
    return a.role == b.role && a.subject == b.subject;
  }
  friend bool operator!=(const Principal& a, const Principal& b) {
    return !(a == b);
  }
};

// "organizer people/jane-doe", "public" — for logs and test failures.
std::ostream& operator<<(std::ostream& os, Role role);
std::ostream& operator<<(std::ostream& os, const Principal& principal);

}  // namespace summit::auth

#endif  // SUMMIT_COMMON_AUTH_PRINCIPAL_H_
