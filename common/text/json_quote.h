// A text as a JSON string literal, the one way every part of Summit writes
// one (log lines, tokens, the gateway's errors and OpenAPI document):
// quotes, backslashes and control characters escaped, and any byte that is
// not well-formed UTF-8 replaced by U+FFFD, so the output is valid JSON
// whatever a client sent.
#ifndef SUMMIT_COMMON_TEXT_JSON_QUOTE_H_
#define SUMMIT_COMMON_TEXT_JSON_QUOTE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace summit::text {

std::string JsonQuote(absl::string_view text);

// The same, appended to `*out`: what a writer building a longer text (a log
// line) uses, without a string of its own for each piece.
void AppendJsonQuoted(absl::string_view text, std::string* out);

}  // namespace summit::text

#endif  // SUMMIT_COMMON_TEXT_JSON_QUOTE_H_
