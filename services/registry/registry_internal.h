// Names the Registry's per-resource files build. Not part of its interface.
#ifndef SUMMIT_SERVICES_REGISTRY_REGISTRY_INTERNAL_H_
#define SUMMIT_SERVICES_REGISTRY_REGISTRY_INTERNAL_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace summit::registry::internal {

inline std::string EventName(absl::string_view id) { return absl::StrCat("events/", id); }
inline std::string PersonName(absl::string_view id) { return absl::StrCat("people/", id); }

}  // namespace summit::registry::internal

#endif  // SUMMIT_SERVICES_REGISTRY_REGISTRY_INTERNAL_H_
