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
#include "common/storage/create_requests.h"
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

// An AIP-155 create inside `tx`: when `request_id` already created a
// resource, `result` becomes that resource (read with `find`) and nothing is
// written; otherwise `insert` runs and the request id is remembered for
// `result.name()`.
template <typename Resource>
absl::Status CreateOnce(
    storage::Transaction& tx, const std::string& request_id,
    const std::function<absl::StatusOr<std::optional<Resource>>(const std::string& name)>& find,
    const std::function<absl::Status()>& insert, Resource& result) {
  ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                   storage::FindCreatedResource(tx, request_id));
  if (earlier.has_value()) {
    ASSIGN_OR_RETURN(std::optional<Resource> first, find(*earlier));
    if (!first.has_value()) return NotFoundError(*earlier);  // created, then deleted
    result = *std::move(first);
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(insert());
  return storage::RememberCreatedResource(tx, request_id, result.name());
}

inline std::string EventName(absl::string_view id) { return absl::StrCat("events/", id); }
inline std::string PersonName(absl::string_view id) { return absl::StrCat("people/", id); }

}  // namespace summit::registry::internal

#endif  // SUMMIT_SERVICES_REGISTRY_REGISTRY_INTERNAL_H_
