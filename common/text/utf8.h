// UTF-8, strictly (RFC 3629): decoding that refuses overlong forms,
// surrogates and values above U+10FFFF, and encoding. What every check of
// typed text, the logs and the name search agree on.
//
//   for (size_t i = 0; i < text.size();) {
//     char32_t c;
//     size_t length = DecodeOne(text.substr(i), &c);
//     if (length == 0) { /* invalid byte at i */ ++i; continue; }
//     i += length;
//   }
#ifndef SUMMIT_COMMON_TEXT_UTF8_H_
#define SUMMIT_COMMON_TEXT_UTF8_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace summit::text {

// Decodes the UTF-8 sequence at the start of non-empty `bytes` into *cp and
// returns its length, or 0 if it is not a valid sequence.
size_t DecodeOne(absl::string_view bytes, char32_t* cp);

// The code points of `text`; invalid bytes are dropped one at a time,
// decoding resuming at the next byte.
std::vector<char32_t> DecodeUtf8(absl::string_view text);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string* out);

}  // namespace summit::text

#endif  // SUMMIT_COMMON_TEXT_UTF8_H_
