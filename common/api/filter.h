// The list filter of Summit's List methods: a small part of AIP-160 — a
// conjunction of equalities — which is what people filter by here:
//
//   country = "UA" AND kind = KIND_DEFENSE_COMPANY
//
// Values are double-quoted strings (with \" and \\ escapes) or bare words
// (letters, digits and _ - . / :). Field names are checked against the fields
// a list allows; anything else is INVALID_ARGUMENT on "filter" saying where
// and why. A store binds each value as a parameter, never as SQL text.
#ifndef SUMMIT_COMMON_API_FILTER_H_
#define SUMMIT_COMMON_API_FILTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace summit::api {

struct FilterTerm {
  std::string field;
  std::string value;
};

inline constexpr size_t kMaxFilterLength = 2048;

// Parses `filter` (empty: no terms). `allowed_fields` are the names the list
// supports.
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(
    absl::string_view filter, absl::Span<const absl::string_view> allowed_fields);

}  // namespace summit::api

#endif  // SUMMIT_COMMON_API_FILTER_H_
