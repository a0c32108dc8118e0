// AIP-122 resource names and ids: parsing `events/{event}/participants/{person}`
// into its ids, checking user-chosen ids, and making new ones.
//
//   absl::StatusOr<std::vector<std::string>> ids =
//       ParseResourceName(request.name(), "events/*/participants/*", "name");
//   // ids = {"udib-2023", "umerov"}
#ifndef SUMMIT_COMMON_API_RESOURCE_NAME_H_
#define SUMMIT_COMMON_API_RESOURCE_NAME_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace summit::api {

// The longest resource id (an RFC 1034 label).
inline constexpr size_t kMaxResourceIdChars = 63;

// True for a valid id: 1 to kMaxResourceIdChars characters of lowercase
// letters, digits and hyphens, starting with a letter and not ending with a
// hyphen (RFC 1034 labels, as AIP-122 recommends).
bool IsValidResourceId(absl::string_view id);

// Why `id` is not valid, in words for a field violation; "" when it is.
std::string ResourceIdProblem(absl::string_view id);

// Splits `name` along `pattern` ("collection/*/collection/*") and returns the
// ids in order. INVALID_ARGUMENT naming `field` when it does not fit.
absl::StatusOr<std::vector<std::string>> ParseResourceName(absl::string_view name,
                                                           absl::string_view pattern,
                                                           absl::string_view field);

// The last id of a name of the form `pattern` (e.g. "people/*" gives the
// person's id); INVALID_ARGUMENT on `field` when it does not fit.
absl::StatusOr<std::string> ResourceIdOf(absl::string_view name, absl::string_view pattern,
                                         absl::string_view field);

// The id to create a resource with: the one the caller chose, or a new one.
std::string ChosenOrNewId(const std::string& requested);

// A fresh random id (20 lowercase letters and digits, starting with a letter)
// for a resource created without one.
std::string NewResourceId();

}  // namespace summit::api

#endif  // SUMMIT_COMMON_API_RESOURCE_NAME_H_
