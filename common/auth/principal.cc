#include "common/auth/principal.h"

namespace summit::auth {

std::optional<Role> RoleFromString(absl::string_view name) {
  if (name == "public") return Role::kPublic;
  if (name == "press") return Role::kPress;
  if (name == "delegate") return Role::kDelegate;
  if (name == "organizer") return Role::kOrganizer;
  if (name == "service") return Role::kService;
  return std::nullopt;
}

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPublic:
      return "public";
    case Role::kPress:
      return "press";
    case Role::kDelegate:
      return "delegate";
    case Role::kOrganizer:
      return "organizer";
    case Role::kService:
      return "service";
  }
  // Only reachable by casting an out-of-range integer to Role.
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, Role role) {
  return os << RoleName(role);
}

std::ostream& operator<<(std::ostream& os, const Principal& principal) {
  os << principal.role;
  if (!principal.subject.empty()) os << ' ' << principal.subject;
  return os;
}

}  // namespace summit::auth
