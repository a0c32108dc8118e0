// AIP-158 pagination: page sizes with a default and a maximum, and opaque
// page tokens that resume after the last key of the previous page.
//
// A token is bound to the query it came from (a hash of the filter and any
// other request fields that shape the list): reusing it with another filter
// is INVALID_ARGUMENT rather than a silently wrong page.
#ifndef SUMMIT_COMMON_API_PAGE_TOKEN_H_
#define SUMMIT_COMMON_API_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace summit::api {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// The page size to use: `requested` if positive (capped at `max`), `fallback`
// if zero; INVALID_ARGUMENT on "page_size" if negative.
absl::StatusOr<int> EffectivePageSize(int requested, int fallback = kDefaultPageSize,
                                      int max = kMaxPageSize);

struct PageToken {
  std::string last_key;  // resume strictly after this key; "" for the first page
};

std::string EncodePageToken(absl::string_view last_key, absl::string_view query);

// Decodes `token` (empty: the first page) for a list with this `query`;
// INVALID_ARGUMENT on "page_token" if it is damaged or from another query.
absl::StatusOr<PageToken> DecodePageToken(absl::string_view token, absl::string_view query);

}  // namespace summit::api

#endif  // SUMMIT_COMMON_API_PAGE_TOKEN_H_
