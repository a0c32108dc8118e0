// The JSON objects of a JWT (its header and its claims), read strictly and
// cheaply: only the members a token check asks for are kept, the rest is
// checked for well-formedness and skipped. What protobuf's general JSON
// converter did here before, at a fraction of the cost and with no
// leniency (no single quotes, no unquoted names, no comments).
//
//   constexpr absl::string_view kHeaderFields[] = {"alg", "typ", "crit"};
//   std::optional<TokenJsonObject> header =
//       TokenJsonObject::Parse(decoded_header, kHeaderFields);
//   if (!header.has_value()) { /* not a JSON object: TOKEN_MALFORMED */ }
//   const TokenJsonValue* alg = header->Find("alg");  // nullptr: absent
//
// Accepted is exactly one JSON object (RFC 8259), optionally surrounded by
// whitespace, and refused (nullopt) is anything else, in particular:
// - another value at the root, trailing bytes, a byte-order mark;
// - a name given twice in one object, at any depth, compared after
//   unescaping ("exp" and "\u0065xp" are the same name): RFC 7519 section 4
//   lets a JWT parser refuse duplicate claims, and two readers that resolved
//   a duplicate differently would disagree about who the caller is;
// - a string with a control character, bytes that are not UTF-8 (RFC 3629),
//   an unknown escape, or a \u escape of a lone surrogate;
// - a number outside RFC 8259's grammar (leading zeros, "+1", "1.", ".5",
//   NaN, Infinity) or outside what a double holds (a range error of
//   from_chars: overflow or underflow; RFC 8259 section 6 lets a parser
//   limit the range);
// - nesting deeper than kMaxDepth.
//
// The input is at most a few KiB (kMaxTokenBytes), and every step consumes
// input, so the cost is linear in it (duplicate checks sort each object's
// names once). Pure and thread-safe.
#ifndef SUMMIT_COMMON_AUTH_TOKEN_JSON_H_
#define SUMMIT_COMMON_AUTH_TOKEN_JSON_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace summit::auth {

// A member's value as far as token checks care: a string (unescaped), a
// number, or something else (true, false, null, an object, an array), which
// no claim we read may be.
struct TokenJsonValue {
  enum class Type { kString, kNumber, kOther };
  Type type = Type::kOther;
  std::string string_value;   // when kString
  double number_value = 0.0;  // when kNumber; always finite
};

class TokenJsonObject {
 public:
  // Objects and arrays nest at most this deep, the root object being depth
  // 1. Ours nest at most 2; the bound keeps the recursion's stack small.
  static constexpr int kMaxDepth = 32;

  // The root object of `json`, keeping the members named in `wanted` (their
  // names must outlive the result: string literals); nullopt when `json` is
  // not exactly one well-formed JSON object (see above).
  static std::optional<TokenJsonObject> Parse(absl::string_view json,
                                              absl::Span<const absl::string_view> wanted);

  // The value of member `name` when the object has it and it was wanted;
  // nullptr otherwise.
  const TokenJsonValue* Find(absl::string_view name) const;

 private:
  absl::InlinedVector<std::pair<absl::string_view, TokenJsonValue>, 6> members_;
};

}  // namespace summit::auth

#endif  // SUMMIT_COMMON_AUTH_TOKEN_JSON_H_
