#include "common/text/json_quote.h"

#include "absl/strings/str_format.h"
#include "common/text/utf8.h"

namespace summit::text {

std::string JsonQuote(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonQuoted(text, &out);
  return out;
}

void AppendJsonQuoted(absl::string_view text, std::string* out_ptr) {
  std::string& out = *out_ptr;
  out.push_back('"');
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    if (c >= 0x80) {
      // Valid UTF-8 passes through; anything else becomes U+FFFD, so that a
      // line stays valid JSON whatever bytes a client sent.
      char32_t code_point = 0;
      const size_t length = text::DecodeOne(text.substr(i), &code_point);
      if (length == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text.data() + i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

}  // namespace summit::text
