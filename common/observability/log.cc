#include "common/observability/log.h"

#include <unistd.h>

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/text/utf8.h"

namespace summit::log {

std::string JsonQuote(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
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
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
  return out;
}

Field::Field(absl::string_view key, absl::string_view value)
    : key_(key), json_(JsonQuote(value)) {}
Field::Field(absl::string_view key, int64_t value) : key_(key), json_(absl::StrCat(value)) {}
Field::Field(absl::string_view key, double value)
    : key_(key), json_(std::isfinite(value) ? absl::StrCat(value) : "null") {}
Field::Field(absl::string_view key, bool value) : key_(key), json_(value ? "true" : "false") {}

std::string FormatLine(absl::string_view severity, absl::string_view message,
                       std::initializer_list<Field> fields, bool with_time) {
  std::string line = "{";
  if (with_time) {
    // Formatted by hand: absl::FormatTime costs more than the rest of a line.
    const absl::Time now = absl::Now();
    const absl::CivilSecond utc = absl::ToCivilSecond(now, absl::UTCTimeZone());
    const int64_t millis = absl::ToUnixMillis(now) % 1000;
    absl::StrAppend(&line, "\"time\":\"",
                    absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.year(), utc.month(),
                                    utc.day(), utc.hour(), utc.minute(), utc.second(), millis),
                    "\",");
  }
  absl::StrAppend(&line, "\"severity\":\"", severity, "\",\"message\":", JsonQuote(message));
  for (const Field& field : fields) {
    absl::StrAppend(&line, ",", JsonQuote(field.key()), ":", field.json());
  }
  line += "}\n";
  return line;
}

namespace {
void Write(absl::string_view severity, absl::string_view message,
           std::initializer_list<Field> fields) {
  const std::string line = FormatLine(severity, message, fields, /*with_time=*/true);
  // One write per line: POSIX keeps writes to a pipe of up to PIPE_BUF bytes
  // whole, and in practice a terminal or file write too.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}
}  // namespace

void Info(absl::string_view message, std::initializer_list<Field> fields) {
  Write("INFO", message, fields);
}
void Warning(absl::string_view message, std::initializer_list<Field> fields) {
  Write("WARNING", message, fields);
}
void Error(absl::string_view message, std::initializer_list<Field> fields) {
  Write("ERROR", message, fields);
}

}  // namespace summit::log
