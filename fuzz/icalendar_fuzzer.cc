// The iCalendar writer (services/scheduling/icalendar.h) on calendars built from the input:
// any texts (summaries, names, e-mail addresses), any instants, real and made-up time zones.
// What RFC 5545 and icalendar.h promise is checked on every output: CRLF line endings, lines
// of at most 75 octets, never a UTF-8 character split across lines, valid UTF-8 throughout.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/text/utf8.h"
#include "services/scheduling/icalendar.h"

namespace {

constexpr const char* kZones[] = {"America/New_York",    "Europe/Kyiv",    "UTC",
                                  "Etc/GMT-14",          "Europe/Dublin",  "Africa/Casablanca",
                                  "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham",
                                  "America/St_Johns"};

bool ValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const size_t length = summit::text::DecodeOne(text.substr(i), &c);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

// Folded content lines: each ends in CRLF, holds at most 75 octets, and a continuation starts
// with one space. With `valid_input`, every physical line is valid UTF-8 on its own (no
// character was split).
void CheckFolded(absl::string_view text, bool valid_input) {
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find("\r\n", start);
    if (end == absl::string_view::npos) std::abort();
    const absl::string_view line = text.substr(start, end - start);
    if (line.size() > 75) std::abort();
    if (line.find('\n') != absl::string_view::npos) std::abort();
    if (valid_input && !ValidUtf8(line)) std::abort();
    start = end + 2;
  }
}

absl::Time AnyInstant(FuzzedDataProvider& input) {
  // Mostly near the summit, sometimes anywhere an int64 of seconds reaches.
  if (input.ConsumeBool()) {
    return absl::FromUnixSeconds(
        1701871200 + input.ConsumeIntegralInRange<int64_t>(-(int64_t{1} << 30), int64_t{1} << 30));
  }
  return absl::FromUnixSeconds(input.ConsumeIntegral<int64_t>());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace sc = summit::scheduling;
  FuzzedDataProvider input(data, size);

  // The building blocks on their own.
  const std::string raw = input.ConsumeRandomLengthString(300);
  const std::string escaped = sc::EscapeText(raw);
  const std::string parameter = sc::ParameterValue(raw);
  if (!ValidUtf8(escaped) || !ValidUtf8(parameter)) std::abort();
  if (escaped.find_first_of("\r\n") != std::string::npos) std::abort();
  if (parameter.find_first_of("\r\n") != std::string::npos) std::abort();
  CheckFolded(sc::FoldContentLine(absl::StrCat("SUMMARY:", escaped)), /*valid_input=*/true);
  // FoldContentLine takes one line: raw text only when it holds no line break.
  if (raw.find_first_of("\r\n") == std::string::npos) {
    CheckFolded(sc::FoldContentLine(raw), ValidUtf8(raw));
  }

  sc::Calendar calendar;
  calendar.name = input.ConsumeRandomLengthString(100);
  calendar.time_zone = input.ConsumeBool() ? kZones[input.ConsumeIntegralInRange<size_t>(0, 9)]
                                           : input.ConsumeRandomLengthString(40);
  const int events = input.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < events; ++i) {
    sc::CalendarEvent& event = calendar.events.emplace_back();
    event.session = input.ConsumeRandomLengthString(60);
    event.start = AnyInstant(input);
    event.end = event.start + absl::Seconds(input.ConsumeIntegralInRange<int64_t>(-10, 1 << 20));
    event.summary = input.ConsumeRandomLengthString(120);
    event.description = input.ConsumeRandomLengthString(200);
    event.location = input.ConsumeRandomLengthString(60);
    event.status = static_cast<sc::CalendarEventStatus>(input.ConsumeIntegralInRange(0, 2));
    event.sequence = input.ConsumeIntegralInRange(-1, 1000);
    if (input.ConsumeBool()) event.last_modified = AnyInstant(input);
    const int attendees = input.ConsumeIntegralInRange(0, 3);
    for (int a = 0; a < attendees; ++a) {
      sc::CalendarAttendee& attendee = event.attendees.emplace_back();
      attendee.display_name = input.ConsumeRandomLengthString(60);
      attendee.email = input.ConsumeRandomLengthString(40);
      attendee.person = input.ConsumeRandomLengthString(40);
    }
  }
  const absl::Time now = AnyInstant(input);
  absl::StatusOr<std::string> text = sc::WriteCalendar(calendar, now);
  if (!text.ok()) {
    if (text.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (!ValidUtf8(*text)) std::abort();
  CheckFolded(*text, /*valid_input=*/true);
  return 0;
}
