// The list filter of Summit's List methods: a small part of AIP-160 — a
// conjunction of equalities, each possibly a disjunction over one field
// (OR binds tighter than AND, as in AIP-160) — which is what people filter
// by here:
//
//   country = "UA" AND kind = KIND_DEFENSE_COMPANY
//   state = STATE_PUBLISHED AND speaker = "people/umerov" OR speaker = "people/yermak"
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

// One condition: `field` equals one of `values` (one value but for ORs).
struct FilterTerm {
  std::string field;
  std::vector<std::string> values;
};

inline constexpr size_t kMaxFilterLength = 8192;
inline constexpr size_t kMaxFilterAlternatives = 100;

// Parses `filter` (empty: no terms). `allowed_fields` are the names the list
// supports.
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(
    absl::string_view filter, absl::Span<const absl::string_view> allowed_fields);

}  // namespace summit::api

#endif  // SUMMIT_COMMON_API_FILTER_H_
