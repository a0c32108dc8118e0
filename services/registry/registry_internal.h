// Pieces the Registry's per-resource files share. Not part of its interface.
#ifndef SUMMIT_SERVICES_REGISTRY_REGISTRY_INTERNAL_H_
#define SUMMIT_SERVICES_REGISTRY_REGISTRY_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include <functional>
#include <optional>

#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/database.h"

namespace summit::registry::internal {

// The ids in a name of the form `pattern`, INVALID_ARGUMENT on `field` if it
// is not one.
absl::StatusOr<std::vector<std::string>> Ids(absl::string_view name, absl::string_view pattern,
                                             absl::string_view field);

// The id of a one-segment name such as `people/{person}`.
absl::StatusOr<std::string> Id(absl::string_view name, absl::string_view pattern,
                               absl::string_view field);

// The id to create a resource with: the one the caller chose, or a new one.
std::string ChosenOrNewId(const std::string& requested);

// FAILED_PRECONDITION RESOURCE_IN_USE: `name` cannot be deleted while
// `references` (non-empty) point at it.
absl::Status InUseError(absl::string_view name, const std::vector<std::string>& references);

// INVALID_ARGUMENT on `field` saying the referenced resource does not exist.
absl::Status MissingReferenceError(absl::string_view field, absl::string_view name);

inline std::string EventName(absl::string_view id) { return absl::StrCat("events/", id); }
inline std::string PersonName(absl::string_view id) { return absl::StrCat("people/", id); }

}  // namespace summit::registry::internal

#endif  // SUMMIT_SERVICES_REGISTRY_REGISTRY_INTERNAL_H_
