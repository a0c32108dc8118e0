#include "common/api/page_token.h"

#include "absl/hash/hash.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/status/error.h"

namespace summit::api {
namespace {

// Stable across processes and replicas (unlike absl::Hash, which is seeded
// per process): FNV-1a, 64 bits.
uint64_t QueryFingerprint(absl::string_view query) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : query) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

absl::Status BadToken(absl::string_view why) {
  return InvalidArgumentError({{"page_token", std::string(why)}});
}

}  // namespace

absl::StatusOr<int> EffectivePageSize(int requested, int fallback, int max) {
  if (requested < 0) return InvalidArgumentError({{"page_size", "must not be negative"}});
  if (requested == 0) return fallback;
  return requested > max ? max : requested;
}

std::string EncodePageToken(absl::string_view last_key, absl::string_view query) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("1:", QueryFingerprint(query), ":", last_key));
}

absl::StatusOr<PageToken> DecodePageToken(absl::string_view token, absl::string_view query) {
  if (token.empty()) return PageToken{};
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return BadToken("is not a token this service returned");
  }
  // "1:<fingerprint>:<last key>"
  const size_t first = raw.find(':');
  const size_t second = first == std::string::npos ? first : raw.find(':', first + 1);
  uint64_t fingerprint = 0;
  if (second == std::string::npos || raw.substr(0, first) != "1" ||
      !absl::SimpleAtoi(absl::string_view(raw).substr(first + 1, second - first - 1),
                        &fingerprint)) {
    return BadToken("is not a token this service returned");
  }
  if (fingerprint != QueryFingerprint(query)) {
    return BadToken("belongs to a list with another filter; start again without a token");
  }
  // The key goes to the database as text: a token changed by hand into one
  // whose key is not (invalid UTF-8, a NUL, another control character) is
  // refused here, whatever the database would make of it.
  std::string last_key = raw.substr(second + 1);
  if (!TextProblem(last_key, last_key.size(), /*required=*/false).empty()) {
    return BadToken("is not a token this service returned");
  }
  return PageToken{std::move(last_key)};
}

}  // namespace summit::api
