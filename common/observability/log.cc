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
