#include "services/scheduling/icalendar.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/status_matchers.h"
#include "common/text/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::scheduling {
namespace {

using ::summit::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

absl::Time Utc(int year, int month, int day, int hour, int minute, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

// When the calendar is written: the evening before the summit.
const absl::Time kNow = Utc(2023, 12, 5, 23, 0);

// The December 2023 Ukraine Defense Industrial Base Summit in Washington, D.C.
Calendar SummitCalendar() {
  Calendar calendar;
  calendar.name = "UDIB Summit 2023 — Rustem Umerov";
  calendar.time_zone = "America/New_York";

  CalendarEvent& plenary = calendar.events.emplace_back();
  plenary.session = "events/udib-2023/sessions/s1";
  plenary.start = Utc(2023, 12, 6, 14, 0);  // 09:00 EST
  plenary.end = Utc(2023, 12, 6, 15, 0);
  plenary.summary = "Opening plenary";
  plenary.location = "Walter E. Washington Convention Center, Hall A";
  plenary.last_modified = Utc(2023, 11, 20, 9, 30);

  CalendarEvent& bilateral = calendar.events.emplace_back();
  bilateral.session = "events/udib-2023/sessions/s7";
  bilateral.start = Utc(2023, 12, 6, 16, 30);  // 11:30 EST
  bilateral.end = Utc(2023, 12, 6, 17, 15);
  bilateral.summary = "Зустріч з Пентагоном";
  bilateral.description =
      "Agenda: air defense; artillery, 155 mm; drones.\nBriefing book: C:\\udib\\dod.docx";
  bilateral.location = "The Pentagon, Arlington, VA";
  bilateral.status = CalendarEventStatus::kTentative;
  bilateral.sequence = 2;
  bilateral.last_modified = Utc(2023, 12, 1, 10, 15);
  bilateral.attendees = {
      {"Рустем Умєров", "", "people/umerov"},
      {"Austin, Lloyd \"Lloyd\" J.", "secdef@example.mil", "people/austin"},
  };
  return calendar;
}

std::string Write(const Calendar& calendar, absl::Time now = kNow) {
  absl::StatusOr<std::string> text = WriteCalendar(calendar, now);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *std::move(text) : "";
}

// The physical lines of `text`, without their CRLF. Fails the test unless every line ends in
// CRLF (the last one too) and no CR or LF stands alone.
std::vector<std::string> PhysicalLines(absl::string_view text) {
  EXPECT_TRUE(absl::EndsWith(text, "\r\n")) << "text does not end in CRLF";
  std::vector<std::string> lines = absl::StrSplit(text, "\r\n");
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "bare CR or LF in: " << line;
  }
  return lines;
}

// The content lines of `text`: folded lines joined again (RFC 5545 3.1, "unfolding").
std::vector<std::string> ContentLines(absl::string_view text) {
  std::vector<std::string> content;
  for (std::string& line : PhysicalLines(text)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      EXPECT_FALSE(content.empty()) << "the text starts with a continuation line";
      if (!content.empty()) content.back() += line.substr(1);
    } else {
      content.push_back(std::move(line));
    }
  }
  return content;
}

// The whole of `line` is valid UTF-8: no character is split across a fold.
bool IsUtf8(absl::string_view line) {
  for (size_t i = 0; i < line.size();) {
    char32_t c = 0;
    const size_t length = text::DecodeOne(line.substr(i), &c);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

// What every output must be on the wire: CRLF lines of at most 75 octets, each valid UTF-8.
void ExpectWellFormed(absl::string_view text) {
  for (const std::string& line : PhysicalLines(text)) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_TRUE(IsUtf8(line)) << "not UTF-8 on its own: " << line;
  }
  const std::vector<std::string> content = ContentLines(text);
  ASSERT_FALSE(content.empty());
  EXPECT_EQ(content.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(content.back(), "END:VCALENDAR");
}

// The value of a TEXT property read back (RFC 5545 3.3.11), to check that escaping loses
// nothing.
std::string UnescapeText(absl::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      ++i;
      out.push_back(value[i] == 'n' || value[i] == 'N' ? '\n' : value[i]);
    } else {
      out.push_back(value[i]);
    }
  }
  return out;
}

// The content lines starting with `prefix`.
std::vector<std::string> LinesStartingWith(const std::vector<std::string>& content,
                                           absl::string_view prefix) {
  std::vector<std::string> out;
  for (const std::string& line : content) {
    if (absl::StartsWith(line, prefix)) out.push_back(line);
  }
  return out;
}

// The content lines inside VEVENTs.
std::vector<std::string> EventLines(const std::vector<std::string>& content) {
  std::vector<std::string> out;
  bool inside = false;
  for (const std::string& line : content) {
    if (line == "BEGIN:VEVENT") inside = true;
    if (inside) out.push_back(line);
    if (line == "END:VEVENT") inside = false;
  }
  return out;
}

// The content lines of the VTIMEZONE, BEGIN and END included.
std::vector<std::string> TimeZoneLines(const std::vector<std::string>& content) {
  auto begin = std::find(content.begin(), content.end(), "BEGIN:VTIMEZONE");
  auto end = std::find(content.begin(), content.end(), "END:VTIMEZONE");
  if (begin == content.end() || end == content.end()) return {};
  return std::vector<std::string>(begin, end + 1);
}

// A VTIMEZONE read back the way a calendar client reads it: each observance's onset as an
// instant (its local DTSTART in its TZOFFSETFROM) and the offset it sets.
struct ParsedObservance {
  absl::Time onset;
  int offset_to = 0;  // seconds
};

int ParseOffset(absl::string_view text) {
  // [+-]HHMM[SS]
  EXPECT_TRUE(text.size() == 5 || text.size() == 7) << text;
  int hours = 0, minutes = 0, seconds = 0;
  EXPECT_TRUE(absl::SimpleAtoi(text.substr(1, 2), &hours)) << text;
  EXPECT_TRUE(absl::SimpleAtoi(text.substr(3, 2), &minutes)) << text;
  if (text.size() == 7) {
    EXPECT_TRUE(absl::SimpleAtoi(text.substr(5, 2), &seconds)) << text;
  }
  const int magnitude = hours * 3600 + minutes * 60 + seconds;
  EXPECT_FALSE(text[0] == '-' && magnitude == 0) << "-0000 is not allowed";
  return text[0] == '-' ? -magnitude : magnitude;
}

absl::CivilSecond ParseLocal(absl::string_view text) {
  // YYYYMMDDTHHMMSS
  EXPECT_EQ(text.size(), 15u) << text;
  int v[6] = {};
  const size_t at[6] = {0, 4, 6, 9, 11, 13};
  const size_t width[6] = {4, 2, 2, 2, 2, 2};
  for (int k = 0; k < 6; ++k) EXPECT_TRUE(absl::SimpleAtoi(text.substr(at[k], width[k]), &v[k]));
  return absl::CivilSecond(v[0], v[1], v[2], v[3], v[4], v[5]);
}

std::vector<ParsedObservance> ParseTimeZone(const std::vector<std::string>& vtimezone) {
  std::vector<ParsedObservance> observances;
  absl::CivilSecond dtstart;
  int from = 0, to = 0;
  for (const std::string& line : vtimezone) {
    const std::pair<std::string, std::string> property = absl::StrSplit(line, ':');
    if (property.first == "DTSTART") dtstart = ParseLocal(property.second);
    if (property.first == "TZOFFSETFROM") from = ParseOffset(property.second);
    if (property.first == "TZOFFSETTO") to = ParseOffset(property.second);
    if (line == "END:STANDARD" || line == "END:DAYLIGHT") {
      observances.push_back(
          {absl::FromCivil(dtstart, absl::UTCTimeZone()) - absl::Seconds(from), to});
    }
  }
  std::sort(observances.begin(), observances.end(),
            [](const ParsedObservance& a, const ParsedObservance& b) { return a.onset < b.onset; });
  return observances;
}

// The offset the VTIMEZONE gives at instant `t`: that of the last onset at or before `t`;
// nullopt before the first onset.
std::optional<int> OffsetAt(const std::vector<ParsedObservance>& observances, absl::Time t) {
  std::optional<int> offset;
  for (const ParsedObservance& observance : observances) {
    if (observance.onset > t) break;
    offset = observance.offset_to;
  }
  return offset;
}

// The instant a client reads from a local DTSTART;TZID=… value by the VTIMEZONE: the earliest
// instant whose local time it is (RFC 5545 3.3.5: a repeated time means its first occurrence).
absl::Time ResolveLocal(const std::vector<ParsedObservance>& observances, absl::CivilSecond local) {
  const absl::Time as_utc = absl::FromCivil(local, absl::UTCTimeZone());
  absl::Time best = absl::InfiniteFuture();
  for (const ParsedObservance& observance : observances) {
    const absl::Time candidate = as_utc - absl::Seconds(observance.offset_to);
    if (OffsetAt(observances, candidate) == std::optional<int>(observance.offset_to)) {
      best = std::min(best, candidate);
    }
  }
  EXPECT_NE(best, absl::InfiniteFuture()) << "local time " << local << " does not exist";
  return best;
}

// The instant a client reads from a DTSTART or DTEND content line.
absl::Time ReadDateTime(const std::vector<ParsedObservance>& observances, absl::string_view line) {
  const std::pair<absl::string_view, absl::string_view> property =
      absl::StrSplit(line, absl::MaxSplits(':', 1));
  if (absl::EndsWith(property.second, "Z")) {
    return absl::FromCivil(ParseLocal(property.second.substr(0, 15)), absl::UTCTimeZone());
  }
  EXPECT_THAT(property.first, HasSubstr(";TZID="));
  return ResolveLocal(observances, ParseLocal(property.second));
}

TEST(WriteCalendarTest, GoldenSummitCalendar) {
  const std::string text = Write(SummitCalendar());
  // One content line per source line.
  // clang-format off
  const std::string expected = absl::StrCat(
      "BEGIN:VCALENDAR\r\n",
      "VERSION:2.0\r\n",
      "PRODID:-//Summit//Summit Scheduling//EN\r\n",
      "CALSCALE:GREGORIAN\r\n",
      "METHOD:PUBLISH\r\n",
      "X-WR-CALNAME:UDIB Summit 2023 — Rustem Umerov\r\n",
      "X-WR-TIMEZONE:America/New_York\r\n",
      "BEGIN:VTIMEZONE\r\n",
      "TZID:America/New_York\r\n",
      "BEGIN:STANDARD\r\n",
      "DTSTART:20221106T020000\r\n",
      "TZOFFSETFROM:-0400\r\n",
      "TZOFFSETTO:-0500\r\n",
      "TZNAME:EST\r\n",
      "END:STANDARD\r\n",
      "BEGIN:DAYLIGHT\r\n",
      "DTSTART:20230312T020000\r\n",
      "TZOFFSETFROM:-0500\r\n",
      "TZOFFSETTO:-0400\r\n",
      "TZNAME:EDT\r\n",
      "END:DAYLIGHT\r\n",
      "BEGIN:STANDARD\r\n",
      "DTSTART:20231105T020000\r\n",
      "TZOFFSETFROM:-0400\r\n",
      "TZOFFSETTO:-0500\r\n",
      "TZNAME:EST\r\n",
      "END:STANDARD\r\n",
      "END:VTIMEZONE\r\n",
      "BEGIN:VEVENT\r\n",
      "UID:events/udib-2023/sessions/s1@summit\r\n",
      "DTSTAMP:20231205T230000Z\r\n",
      "DTSTART;TZID=America/New_York:20231206T090000\r\n",
      "DTEND;TZID=America/New_York:20231206T100000\r\n",
      "SUMMARY:Opening plenary\r\n",
      "LOCATION:Walter E. Washington Convention Center\\, Hall A\r\n",
      "STATUS:CONFIRMED\r\n",
      "SEQUENCE:0\r\n",
      "LAST-MODIFIED:20231120T093000Z\r\n",
      "END:VEVENT\r\n",
      "BEGIN:VEVENT\r\n",
      "UID:events/udib-2023/sessions/s7@summit\r\n",
      "DTSTAMP:20231205T230000Z\r\n",
      "DTSTART;TZID=America/New_York:20231206T113000\r\n",
      "DTEND;TZID=America/New_York:20231206T121500\r\n",
      "SUMMARY:Зустріч з Пентагоном\r\n",
      // Folded after 75 octets; the continuation line starts with one space.
      "DESCRIPTION:Agenda: air defense\\; artillery\\, 155 mm\\; drones.\\nBriefing bo\r\n",
      " ok: C:\\\\udib\\\\dod.docx\r\n",
      "LOCATION:The Pentagon\\, Arlington\\, VA\r\n",
      "STATUS:TENTATIVE\r\n",
      "SEQUENCE:2\r\n",
      "LAST-MODIFIED:20231201T101500Z\r\n",
      "ATTENDEE;CN=Рустем Умєров:urn:summit:people/umerov\r\n",
      "ATTENDEE;CN=\"Austin, Lloyd Lloyd J.\":mailto:secdef@example.mil\r\n",
      "END:VEVENT\r\n",
      "END:VCALENDAR\r\n");
  // clang-format on
  EXPECT_EQ(text, expected);
  ExpectWellFormed(text);
}

TEST(WriteCalendarTest, LinesEndInCrLfAndFitIn75Octets) {
  const std::string text = Write(SummitCalendar());
  ExpectWellFormed(text);
  // No LF without its CR, anywhere.
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ASSERT_TRUE(i > 0 && text[i - 1] == '\r') << "bare LF at " << i;
    }
  }
}

TEST(WriteCalendarTest, UnfoldingRestoresContentLines) {
  const Calendar calendar = SummitCalendar();
  const std::vector<std::string> content = ContentLines(Write(calendar));
  EXPECT_THAT(content, Contains("DESCRIPTION:" + EscapeText(calendar.events[1].description)));
  EXPECT_THAT(content, Contains("SUMMARY:Зустріч з Пентагоном"));
  // And unescaping the unfolded value gives back what was put in.
  const std::vector<std::string> descriptions = LinesStartingWith(content, "DESCRIPTION:");
  ASSERT_EQ(descriptions.size(), 1u);
  EXPECT_EQ(UnescapeText(absl::string_view(descriptions[0]).substr(12)),
            calendar.events[1].description);
}

TEST(WriteCalendarTest, EventTimesAreLocalWithTzid) {
  const std::vector<std::string> content = ContentLines(Write(SummitCalendar()));
  EXPECT_THAT(LinesStartingWith(content, "DTSTART;"),
              ElementsAre("DTSTART;TZID=America/New_York:20231206T090000",
                          "DTSTART;TZID=America/New_York:20231206T113000"));
  EXPECT_THAT(LinesStartingWith(content, "DTEND;"),
              ElementsAre("DTEND;TZID=America/New_York:20231206T100000",
                          "DTEND;TZID=America/New_York:20231206T121500"));
  EXPECT_THAT(LinesStartingWith(content, "DTSTAMP:"),
              ElementsAre("DTSTAMP:20231205T230000Z", "DTSTAMP:20231205T230000Z"));
  // A client reading them through the VTIMEZONE gets the instants back: 09:00 EST is 14:00Z.
  const std::vector<ParsedObservance> zone = ParseTimeZone(TimeZoneLines(content));
  EXPECT_EQ(ReadDateTime(zone, LinesStartingWith(content, "DTSTART;")[0]), Utc(2023, 12, 6, 14, 0));
  EXPECT_EQ(ReadDateTime(zone, LinesStartingWith(content, "DTEND;")[1]), Utc(2023, 12, 6, 17, 15));
}

TEST(WriteCalendarTest, NewYorkTimeZoneFollowsThe2023Rules) {
  const std::vector<std::string> vtimezone = TimeZoneLines(ContentLines(Write(SummitCalendar())));
  // EST in effect on 1 January 2023 (since 6 November 2022); EDT from 12 March 02:00 EST;
  // EST again from 5 November 02:00 EDT.
  EXPECT_THAT(vtimezone,
              ElementsAre("BEGIN:VTIMEZONE", "TZID:America/New_York",  //
                          "BEGIN:STANDARD", "DTSTART:20221106T020000", "TZOFFSETFROM:-0400",
                          "TZOFFSETTO:-0500", "TZNAME:EST", "END:STANDARD",  //
                          "BEGIN:DAYLIGHT", "DTSTART:20230312T020000", "TZOFFSETFROM:-0500",
                          "TZOFFSETTO:-0400", "TZNAME:EDT", "END:DAYLIGHT",  //
                          "BEGIN:STANDARD", "DTSTART:20231105T020000", "TZOFFSETFROM:-0400",
                          "TZOFFSETTO:-0500", "TZNAME:EST", "END:STANDARD",  //
                          "END:VTIMEZONE"));
  const std::vector<ParsedObservance> zone = ParseTimeZone(vtimezone);
  EXPECT_EQ(*OffsetAt(zone, Utc(2023, 3, 12, 6, 59, 59)), -5 * 3600);  // 01:59:59 EST
  EXPECT_EQ(*OffsetAt(zone, Utc(2023, 3, 12, 7, 0)), -4 * 3600);       // 03:00 EDT
  EXPECT_EQ(*OffsetAt(zone, Utc(2023, 11, 5, 5, 59, 59)), -4 * 3600);  // 01:59:59 EDT
  EXPECT_EQ(*OffsetAt(zone, Utc(2023, 11, 5, 6, 0)), -5 * 3600);       // 01:00 EST
}

TEST(WriteCalendarTest, KyivInSeptember2023) {
  Calendar calendar;
  calendar.name = "Departure";
  calendar.time_zone = "Europe/Kyiv";
  CalendarEvent& event = calendar.events.emplace_back();
  event.session = "events/udib-2023/sessions/kyiv-briefing";
  event.start = Utc(2023, 9, 20, 7, 0);  // 10:00 EEST
  event.end = Utc(2023, 9, 20, 8, 30);
  event.summary = "Брифінг делегації";
  const std::string text = Write(calendar);
  ExpectWellFormed(text);
  const std::vector<std::string> content = ContentLines(text);
  EXPECT_THAT(content, Contains("X-WR-TIMEZONE:Europe/Kyiv"));
  EXPECT_THAT(content, Contains("DTSTART;TZID=Europe/Kyiv:20230920T100000"));
  EXPECT_THAT(content, Contains("DTEND;TZID=Europe/Kyiv:20230920T113000"));
  // EET (+0200) in winter, EEST (+0300) from the last Sunday of March 03:00 local to the last
  // Sunday of October 04:00 local (01:00 UTC both times).
  EXPECT_THAT(TimeZoneLines(content),
              ElementsAre("BEGIN:VTIMEZONE", "TZID:Europe/Kyiv",  //
                          "BEGIN:STANDARD", "DTSTART:20221030T040000", "TZOFFSETFROM:+0300",
                          "TZOFFSETTO:+0200", "TZNAME:EET", "END:STANDARD",  //
                          "BEGIN:DAYLIGHT", "DTSTART:20230326T030000", "TZOFFSETFROM:+0200",
                          "TZOFFSETTO:+0300", "TZNAME:EEST", "END:DAYLIGHT",  //
                          "BEGIN:STANDARD", "DTSTART:20231029T040000", "TZOFFSETFROM:+0300",
                          "TZOFFSETTO:+0200", "TZNAME:EET", "END:STANDARD",  //
                          "END:VTIMEZONE"));
}

TEST(WriteCalendarTest, ZoneWithoutDaylightTimeHasOneStandardObservance) {
  Calendar calendar;
  calendar.time_zone = "Asia/Tokyo";
  CalendarEvent& event = calendar.events.emplace_back();
  event.session = "events/dsei-japan-2023/sessions/s1";
  event.start = Utc(2023, 3, 15, 1, 0);  // 10:00 JST
  event.end = Utc(2023, 3, 15, 2, 0);
  const std::vector<std::string> content = ContentLines(Write(calendar));
  // Japan last changed its clocks in September 1951; that observance is still in effect.
  EXPECT_THAT(TimeZoneLines(content),
              ElementsAre("BEGIN:VTIMEZONE", "TZID:Asia/Tokyo",  //
                          "BEGIN:STANDARD", "DTSTART:19510909T010000", "TZOFFSETFROM:+1000",
                          "TZOFFSETTO:+0900", "TZNAME:JST", "END:STANDARD",  //
                          "END:VTIMEZONE"));
  EXPECT_THAT(content, Contains("DTSTART;TZID=Asia/Tokyo:20230315T100000"));
  EXPECT_THAT(content, Not(Contains("BEGIN:DAYLIGHT")));
}

// tzdata gives Ireland a negative daylight saving (winter GMT is its "DST"); the VTIMEZONE
// calls the summer's IST DAYLIGHT, as people and most calendar software do.
TEST(WriteCalendarTest, NegativeDaylightSavingIsWrittenTheUsualWayRound) {
  Calendar calendar;
  calendar.time_zone = "Europe/Dublin";
  CalendarEvent& event = calendar.events.emplace_back();
  event.session = "events/e/sessions/s";
  event.start = Utc(2023, 6, 1, 9, 0);
  event.end = Utc(2023, 6, 1, 10, 0);
  const std::vector<std::string> content = ContentLines(Write(calendar));
  EXPECT_THAT(TimeZoneLines(content),
              ElementsAre("BEGIN:VTIMEZONE", "TZID:Europe/Dublin",  //
                          "BEGIN:STANDARD", "DTSTART:20221030T020000", "TZOFFSETFROM:+0100",
                          "TZOFFSETTO:+0000", "TZNAME:GMT", "END:STANDARD",  //
                          "BEGIN:DAYLIGHT", "DTSTART:20230326T010000", "TZOFFSETFROM:+0000",
                          "TZOFFSETTO:+0100", "TZNAME:IST", "END:DAYLIGHT",  //
                          "BEGIN:STANDARD", "DTSTART:20231029T020000", "TZOFFSETFROM:+0100",
                          "TZOFFSETTO:+0000", "TZNAME:GMT", "END:STANDARD",  //
                          "END:VTIMEZONE"));
  EXPECT_THAT(content, Contains("DTSTART;TZID=Europe/Dublin:20230601T100000"));
}

TEST(WriteCalendarTest, ZoneThatNeverChangedHasOneObservanceFromTheSpan) {
  Calendar calendar;
  calendar.time_zone = "Etc/GMT-3";  // POSIX sign: three hours east of UTC
  CalendarEvent& event = calendar.events.emplace_back();
  event.session = "events/e/sessions/s";
  event.start = Utc(2023, 6, 1, 9, 0);
  event.end = Utc(2023, 6, 1, 10, 0);
  const std::vector<std::string> content = ContentLines(Write(calendar));
  EXPECT_THAT(TimeZoneLines(content),
              ElementsAre("BEGIN:VTIMEZONE", "TZID:Etc/GMT-3",  //
                          "BEGIN:STANDARD", "DTSTART:20230101T000000", "TZOFFSETFROM:+0300",
                          "TZOFFSETTO:+0300", "TZNAME:+03", "END:STANDARD",  //
                          "END:VTIMEZONE"));
  EXPECT_THAT(content, Contains("DTSTART;TZID=Etc/GMT-3:20230601T120000"));
}

// Before 18 November 1883 New York kept local mean time, 4:56:02 behind UTC: an offset with
// seconds, and no change before it to describe.
TEST(WriteCalendarTest, SpanBeforeTheZonesFirstChangeUsesTheOffsetThen) {
  Calendar calendar;
  calendar.time_zone = "America/New_York";
  CalendarEvent& event = calendar.events.emplace_back();
  event.session = "events/e/sessions/s";
  event.start = Utc(1880, 6, 1, 16, 56, 2);  // 12:00 LMT
  event.end = Utc(1880, 6, 1, 17, 56, 2);
  const std::vector<std::string> content = ContentLines(Write(calendar));
  EXPECT_THAT(TimeZoneLines(content),
              ElementsAre("BEGIN:VTIMEZONE", "TZID:America/New_York",  //
                          "BEGIN:STANDARD", "DTSTART:18800101T000000", "TZOFFSETFROM:-045602",
                          "TZOFFSETTO:-045602", "TZNAME:LMT", "END:STANDARD",  //
                          "END:VTIMEZONE"));
  EXPECT_THAT(content, Contains("DTSTART;TZID=America/New_York:18800601T120000"));
}

// For zones of every kind, the VTIMEZONE gives the offset Abseil gives at every quarter hour
// and around every onset of the span, and every DTSTART/DTEND read through it is the instant
// that was written: what a client without its own zone data would show.
TEST(WriteCalendarTest, TimeZoneAgreesWithZoneDataEverywhereInTheSpan) {
  for (const char* name :
       {"America/New_York", "Europe/Kyiv", "Asia/Tokyo", "Australia/Lord_Howe" /* 30 min DST */,
        "Pacific/Chatham" /* +1245 */, "Asia/Kathmandu" /* +0545 */,
        "Europe/Dublin" /* DST in winter in tzdata */, "America/Sao_Paulo" /* DST dropped 2019 */,
        "Africa/Casablanca" /* clocks back for Ramadan */, "America/St_Johns" /* -0330 */}) {
    SCOPED_TRACE(name);
    absl::TimeZone zone;
    ASSERT_TRUE(absl::LoadTimeZone(name, &zone));
    Calendar calendar;
    calendar.time_zone = name;
    // Sessions at every hour of one day in each month of 2018-2020, to hit both sides of DST.
    for (int month = 1; month <= 36; ++month) {
      CalendarEvent& event = calendar.events.emplace_back();
      event.session = absl::StrCat("events/e/sessions/m", month);
      event.start = absl::FromCivil(absl::CivilHour(2018, month, 10, month % 24), zone);
      event.end = event.start + absl::Minutes(50);
    }
    const std::string text = Write(calendar);
    ExpectWellFormed(text);
    const std::vector<std::string> content = ContentLines(text);
    const std::vector<ParsedObservance> observances = ParseTimeZone(TimeZoneLines(content));
    ASSERT_FALSE(observances.empty());

    const absl::Time span_start = absl::FromCivil(absl::CivilYear(2018), zone);
    const absl::Time span_end = absl::FromCivil(absl::CivilYear(2021), zone);
    EXPECT_LE(observances.front().onset, span_start);
    for (absl::Time t = span_start; t < span_end; t += absl::Minutes(15)) {
      ASSERT_EQ(OffsetAt(observances, t), std::optional<int>(zone.At(t).offset)) << t;
    }
    for (const ParsedObservance& observance : observances) {
      for (absl::Time t : {observance.onset - absl::Seconds(1), observance.onset}) {
        if (t < span_start || t >= span_end) continue;
        EXPECT_EQ(OffsetAt(observances, t), std::optional<int>(zone.At(t).offset)) << t;
      }
    }
    const std::vector<std::string> starts = LinesStartingWith(EventLines(content), "DTSTART");
    const std::vector<std::string> ends = LinesStartingWith(EventLines(content), "DTEND");
    ASSERT_EQ(starts.size(), calendar.events.size());
    ASSERT_EQ(ends.size(), calendar.events.size());
    for (size_t i = 0; i < calendar.events.size(); ++i) {
      EXPECT_EQ(ReadDateTime(observances, starts[i]), calendar.events[i].start) << starts[i];
      EXPECT_EQ(ReadDateTime(observances, ends[i]), calendar.events[i].end) << ends[i];
    }
  }
}

TEST(WriteCalendarTest, SpanOfSeveralYearsCoversEveryOnset) {
  Calendar calendar = SummitCalendar();
  CalendarEvent& follow_up = calendar.events.emplace_back();
  follow_up.session = "events/udib-2023/sessions/follow-up";
  follow_up.start = Utc(2024, 6, 4, 13, 0);
  follow_up.end = Utc(2024, 6, 4, 14, 0);
  const std::vector<std::string> vtimezone = TimeZoneLines(ContentLines(Write(calendar)));
  EXPECT_THAT(
      LinesStartingWith(vtimezone, "DTSTART:"),
      ElementsAre("DTSTART:20221106T020000", "DTSTART:20230312T020000", "DTSTART:20231105T020000",
                  "DTSTART:20240310T020000", "DTSTART:20241103T020000"));
}

// 5 November 2023, New York: 01:00-01:59 happens twice (EDT, then EST). RFC 5545 reads such a
// local time as the first one, so only that one may be written with TZID.
TEST(WriteCalendarTest, RepeatedLocalTimeIsWrittenInUtcWhenItIsTheSecondOne) {
  Calendar calendar;
  calendar.time_zone = "America/New_York";
  CalendarEvent& first = calendar.events.emplace_back();
  first.session = "events/e/sessions/first";
  first.start = Utc(2023, 11, 5, 5, 30);  // 01:30 EDT
  first.end = Utc(2023, 11, 5, 6, 15);    // 01:15 EST
  CalendarEvent& second = calendar.events.emplace_back();
  second.session = "events/e/sessions/second";
  second.start = Utc(2023, 11, 5, 6, 30);  // 01:30 EST
  second.end = Utc(2023, 11, 5, 7, 30);    // 02:30 EST
  const std::vector<std::string> content = ContentLines(Write(calendar));
  EXPECT_THAT(
      LinesStartingWith(EventLines(content), "DTSTART"),
      ElementsAre("DTSTART;TZID=America/New_York:20231105T013000", "DTSTART:20231105T063000Z"));
  EXPECT_THAT(LinesStartingWith(EventLines(content), "DTEND"),
              ElementsAre("DTEND:20231105T061500Z", "DTEND;TZID=America/New_York:20231105T023000"));
}

TEST(WriteCalendarTest, UtcCalendarUsesUtcTimesAndNoTimeZone) {
  Calendar calendar = SummitCalendar();
  calendar.time_zone = "UTC";
  const std::string text = Write(calendar);
  ExpectWellFormed(text);
  const std::vector<std::string> content = ContentLines(text);
  EXPECT_THAT(content, Not(Contains("BEGIN:VTIMEZONE")));
  EXPECT_THAT(content, Contains("X-WR-TIMEZONE:UTC"));
  EXPECT_THAT(LinesStartingWith(content, "DTSTART"),
              ElementsAre("DTSTART:20231206T140000Z", "DTSTART:20231206T163000Z"));
  EXPECT_THAT(LinesStartingWith(content, "DTEND"),
              ElementsAre("DTEND:20231206T150000Z", "DTEND:20231206T171500Z"));
}

// RFC 5545 3.6: a VCALENDAR holds at least one component.
TEST(WriteCalendarTest, EmptyCalendarStillHasAComponent) {
  for (const char* name : {"America/New_York", "UTC"}) {
    Calendar calendar;
    calendar.name = "Nothing yet";
    calendar.time_zone = name;
    const std::vector<std::string> content = ContentLines(Write(calendar));
    EXPECT_THAT(content, Contains("BEGIN:VTIMEZONE")) << name;
    EXPECT_THAT(content, Contains(absl::StrCat("TZID:", name)));
    EXPECT_THAT(content, Not(Contains("BEGIN:VEVENT")));
  }
}

TEST(WriteCalendarTest, LongCyrillicDescriptionIsFoldedBetweenCharacters) {
  Calendar calendar = SummitCalendar();
  // Two-, three- and four-octet characters (Cyrillic, "—" and "’", the flag's regional
  // indicators), so folds fall at every position within a character if they are allowed to.
  std::string description;
  for (int i = 0; i < 12; ++i) {
    absl::StrAppend(&description,
                    "Обговорення спільного виробництва боєприпасів — в Україні та США; "
                    "пам’ятка, пункт ",
                    i, " 🇺🇦\n");
  }
  calendar.events[1].description = description;
  const std::string text = Write(calendar);
  ExpectWellFormed(text);  // every physical line decodes as UTF-8 on its own
  const std::vector<std::string> physical = PhysicalLines(text);
  const size_t continuations =
      std::count_if(physical.begin(), physical.end(),
                    [](const std::string& line) { return absl::StartsWith(line, " "); });
  EXPECT_GT(continuations, 20u);
  // Lines are filled: a fold comes only where the next character would not fit.
  for (size_t i = 0; i + 1 < physical.size(); ++i) {
    if (!absl::StartsWith(physical[i + 1], " ")) continue;
    char32_t next = 0;
    const size_t next_length = text::DecodeOne(absl::string_view(physical[i + 1]).substr(1), &next);
    EXPECT_GT(physical[i].size() + next_length, 75u) << physical[i];
  }
  const std::vector<std::string> descriptions =
      LinesStartingWith(ContentLines(text), "DESCRIPTION:");
  ASSERT_EQ(descriptions.size(), 1u);
  EXPECT_EQ(UnescapeText(absl::string_view(descriptions[0]).substr(12)), description);
}

TEST(WriteCalendarTest, UidIsStableAcrossWrites) {
  const Calendar calendar = SummitCalendar();
  const std::string monday = Write(calendar, Utc(2023, 12, 4, 8, 0));
  const std::string tuesday = Write(calendar, Utc(2023, 12, 5, 8, 0));
  EXPECT_THAT(LinesStartingWith(ContentLines(monday), "UID:"),
              ElementsAre("UID:events/udib-2023/sessions/s1@summit",
                          "UID:events/udib-2023/sessions/s7@summit"));
  EXPECT_EQ(LinesStartingWith(ContentLines(monday), "UID:"),
            LinesStartingWith(ContentLines(tuesday), "UID:"));
  // Nothing but DTSTAMP differs, so an unchanged subscription looks unchanged.
  EXPECT_EQ(absl::StrReplaceAll(monday, {{"DTSTAMP:20231204T080000Z", "DTSTAMP:X"}}),
            absl::StrReplaceAll(tuesday, {{"DTSTAMP:20231205T080000Z", "DTSTAMP:X"}}));
  // A session's UID does not depend on which calendar lists it: the same in a room's export.
  Calendar room;
  room.time_zone = "America/New_York";
  room.events.push_back(calendar.events[1]);
  EXPECT_THAT(ContentLines(Write(room)), Contains("UID:events/udib-2023/sessions/s7@summit"));
  EXPECT_EQ(SessionUid("events/udib-2023/sessions/s1"), "events/udib-2023/sessions/s1@summit");
}

TEST(WriteCalendarTest, CancelledSessionStaysWithStatusAndNewSequence) {
  Calendar calendar = SummitCalendar();
  calendar.events[1].status = CalendarEventStatus::kCancelled;
  calendar.events[1].sequence = 3;
  const std::vector<std::string> content = ContentLines(Write(calendar));
  EXPECT_THAT(LinesStartingWith(content, "STATUS:"),
              ElementsAre("STATUS:CONFIRMED", "STATUS:CANCELLED"));
  EXPECT_THAT(LinesStartingWith(content, "SEQUENCE:"), ElementsAre("SEQUENCE:0", "SEQUENCE:3"));
}

TEST(WriteCalendarTest, InstantEventHasNoEndAndEmptyTextIsLeftOut) {
  Calendar calendar;
  calendar.time_zone = "America/New_York";
  CalendarEvent& event = calendar.events.emplace_back();
  event.session = "events/e/sessions/doors";
  event.start = event.end = Utc(2023, 12, 6, 13, 0);
  const std::vector<std::string> content = ContentLines(Write(calendar));
  EXPECT_THAT(content, Contains("DTSTART;TZID=America/New_York:20231206T080000"));
  EXPECT_TRUE(LinesStartingWith(content, "DTEND").empty());
  EXPECT_TRUE(LinesStartingWith(content, "SUMMARY").empty());
  EXPECT_TRUE(LinesStartingWith(content, "DESCRIPTION").empty());
  EXPECT_TRUE(LinesStartingWith(content, "LAST-MODIFIED").empty());
  EXPECT_TRUE(LinesStartingWith(content, "X-WR-CALNAME").empty());
}

TEST(WriteCalendarTest, HostileTextCannotBreakTheStructure) {
  Calendar calendar = SummitCalendar();
  calendar.name = "Evil\r\nEND:VCALENDAR\r\n";
  calendar.events[0].summary = "x\nBEGIN:VEVENT\x01\x7f\xff\xfe";
  calendar.events[0].attendees = {{"a\r\nATTENDEE:mailto:spy@example.com", "b\r\n@x.org", ""}};
  const std::string text = Write(calendar);
  ExpectWellFormed(text);
  const std::vector<std::string> content = ContentLines(text);
  EXPECT_THAT(content, Contains("X-WR-CALNAME:Evil\\nEND:VCALENDAR\\n"));
  EXPECT_THAT(content, Contains("SUMMARY:x\\nBEGIN:VEVENT"));
  EXPECT_THAT(content,
              Contains("ATTENDEE;CN=\"a ATTENDEE:mailto:spy@example.com\":mailto:b%0D%0A@x.org"));
  EXPECT_EQ(std::count(content.begin(), content.end(), "END:VCALENDAR"), 1);
}

TEST(WriteCalendarTest, UnknownTimeZoneIsInvalidArgument) {
  for (const char* name :
       {"Mars/Olympus_Mons", "", "localtime", "/usr/share/zoneinfo/UTC", "../zoneinfo/UTC",
        "America//New_York", "Fixed/UTC+03:00:00", "America/New York"}) {
    Calendar calendar = SummitCalendar();
    calendar.time_zone = name;
    EXPECT_THAT(WriteCalendar(calendar, kNow),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("time zone")))
        << name;
  }
}

TEST(WriteCalendarTest, MalformedEventsAreInvalidArgument) {
  const auto expect_invalid = [](Calendar calendar, absl::string_view why) {
    EXPECT_THAT(WriteCalendar(calendar, kNow),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(std::string(why))));
  };
  Calendar calendar = SummitCalendar();
  calendar.events[1].end = calendar.events[1].start - absl::Minutes(1);
  expect_invalid(calendar, "ends before it starts");

  calendar = SummitCalendar();
  calendar.events[1].session = calendar.events[0].session;
  expect_invalid(calendar, "twice");

  calendar = SummitCalendar();
  calendar.events[0].session.clear();
  expect_invalid(calendar, "no session");

  calendar = SummitCalendar();
  calendar.events[0].sequence = -1;
  expect_invalid(calendar, "sequence");

  calendar = SummitCalendar();
  calendar.events[0].start = absl::InfinitePast();
  expect_invalid(calendar, "finite");

  calendar = SummitCalendar();
  calendar.events[0].end = Utc(2400, 1, 1, 0, 0);
  expect_invalid(calendar, "years 1-2399");

  calendar = SummitCalendar();
  calendar.events[1].attendees.push_back({"Nobody", "", ""});
  expect_invalid(calendar, "neither email nor person");

  EXPECT_THAT(WriteCalendar(SummitCalendar(), absl::InfiniteFuture()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(EscapeTextTest, EscapesBackslashSemicolonCommaAndLineBreaks) {
  EXPECT_EQ(EscapeText("a\\b;c,d"), "a\\\\b\\;c\\,d");
  EXPECT_EQ(EscapeText("one\r\ntwo\nthree\rfour"), "one\\ntwo\\nthree\\nfour");
  EXPECT_EQ(EscapeText("\n\n"), "\\n\\n");
  EXPECT_EQ(EscapeText("Note: 09:00"), "Note: 09:00");  // colons stay as they are
  EXPECT_EQ(EscapeText("tab\there"), "tab\there");
  EXPECT_EQ(EscapeText("bell\a nul"), "bell nul");
  EXPECT_EQ(EscapeText(absl::string_view("nul\0byte", 8)), "nulbyte");
  EXPECT_EQ(EscapeText("bad \xC0\xAF utf-8 \xED\xA0\x80"), "bad  utf-8 ");
  EXPECT_EQ(EscapeText("Зустріч, 10:00; «Пентагон»"), "Зустріч\\, 10:00\\; «Пентагон»");
}

TEST(ParameterValueTest, QuotesOnlyWhenNeededAndDropsDoubleQuotes) {
  EXPECT_EQ(ParameterValue("Rustem Umerov"), "Rustem Umerov");
  EXPECT_EQ(ParameterValue("Рустем Умєров"), "Рустем Умєров");
  EXPECT_EQ(ParameterValue("Austin, Lloyd"), "\"Austin, Lloyd\"");
  EXPECT_EQ(ParameterValue("Dr. Who: Time Lord"), "\"Dr. Who: Time Lord\"");
  EXPECT_EQ(ParameterValue("a;b"), "\"a;b\"");
  EXPECT_EQ(ParameterValue("Lloyd \"Sasha\" Austin"), "Lloyd Sasha Austin");
  EXPECT_EQ(ParameterValue("\"quoted, once\""), "\"quoted, once\"");
  EXPECT_EQ(ParameterValue("two\r\nlines"), "two lines");
  EXPECT_EQ(ParameterValue(""), "");
}

TEST(FoldContentLineTest, FoldsAt75OctetsWithOneSpace) {
  EXPECT_EQ(FoldContentLine("SUMMARY:short"), "SUMMARY:short\r\n");
  const std::string exactly_75(75, 'a');
  EXPECT_EQ(FoldContentLine(exactly_75), exactly_75 + "\r\n");
  EXPECT_EQ(FoldContentLine(std::string(76, 'a')), std::string(75, 'a') + "\r\n a\r\n");
  // 75 + 74 + 74 octets fill three lines exactly (the space counts).
  EXPECT_EQ(FoldContentLine(std::string(75 + 74 + 74, 'b')), std::string(75, 'b') + "\r\n " +
                                                                 std::string(74, 'b') + "\r\n " +
                                                                 std::string(74, 'b') + "\r\n");
}

TEST(FoldContentLineTest, NeverSplitsACharacter) {
  // "X" then two-octet letters: the first line holds 1 + 37 * 2 = 75 octets, each further
  // line the space and 37 letters; a three-octet character that does not fit moves down whole.
  std::string line = "X";
  for (int i = 0; i < 80; ++i) line += "Ж";
  const std::vector<std::string> physical = PhysicalLines(FoldContentLine(line));
  ASSERT_EQ(physical.size(), 3u);
  EXPECT_EQ(physical[0].size(), 75u);
  EXPECT_EQ(physical[1].size(), 75u);
  EXPECT_EQ(physical[2].size(), 1u + 6 * 2);
  for (const std::string& part : physical) EXPECT_TRUE(IsUtf8(part)) << part;

  const std::string dashes = std::string(74, 'a') + "—b";  // "—" is three octets
  EXPECT_EQ(FoldContentLine(dashes), std::string(74, 'a') + "\r\n —b\r\n");
}

}  // namespace
}  // namespace summit::scheduling
