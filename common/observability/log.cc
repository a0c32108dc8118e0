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

namespace {

// `value` as `width` decimal digits, zero-padded (the fields of a time).
void AppendDigits(int64_t value, int width, std::string* out) {
  char digits[8];
  for (int i = width - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(digits, static_cast<size_t>(width));
}

}  // namespace

std::string FormatLine(absl::string_view severity, absl::string_view message,
                       std::initializer_list<Field> fields, bool with_time) {
  // Built in one string, reserved once: a call log line is written on every
  // call, and each temporary piece would be an allocation.
  std::string line;
  size_t size = 64 + severity.size() + message.size();
  for (const Field& field : fields) size += field.key().size() + field.json().size() + 4;
  line.reserve(size);
  line += '{';
  if (with_time) {
    // Formatted by hand: absl::FormatTime costs more than the rest of a line.
    const absl::Time now = absl::Now();
    const absl::CivilSecond utc = absl::ToCivilSecond(now, absl::UTCTimeZone());
    const int64_t millis = absl::ToUnixMillis(now) % 1000;
    line += "\"time\":\"";
    // Years outside 0..9999 cannot be written in four digits; they never
    // occur on a working clock, so the general formatter is fine for them.
    if (utc.year() >= 0 && utc.year() <= 9999) {
      AppendDigits(utc.year(), 4, &line);
    } else {
      absl::StrAppendFormat(&line, "%04d", utc.year());
    }
    line += '-';
    AppendDigits(utc.month(), 2, &line);
    line += '-';
    AppendDigits(utc.day(), 2, &line);
    line += 'T';
    AppendDigits(utc.hour(), 2, &line);
    line += ':';
    AppendDigits(utc.minute(), 2, &line);
    line += ':';
    AppendDigits(utc.second(), 2, &line);
    line += '.';
    AppendDigits(millis, 3, &line);
    line += "Z\",";
  }
  absl::StrAppend(&line, "\"severity\":\"", severity, "\",\"message\":");
  text::AppendJsonQuoted(message, &line);
  for (const Field& field : fields) {
    line += ',';
    text::AppendJsonQuoted(field.key(), &line);
    line += ':';
    line += field.json();
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
