// RFC 5545 writing; see icalendar.h. The VTIMEZONE is derived here from Abseil's zone data
// rather than kept as text, so that it always agrees with the offsets the rest of Summit uses
// (daily windows, itineraries) and follows tzdata updates.
#include "services/scheduling/icalendar.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/api/field_checks.h"
#include "common/text/utf8.h"

namespace summit::scheduling {
namespace {

// RFC 5545 3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break."
constexpr size_t kMaxLineOctets = 75;

constexpr absl::string_view kUidSuffix = "@summit";

// CONTROL in RFC 5545 3.1: all of US-ASCII 0x00-0x1F and 0x7F except HTAB.
bool IsControl(char32_t c) { return (c < 0x20 && c != '\t') || c == 0x7F; }

// Calls `visit(code_point, bytes)` for each valid UTF-8 character of `text`, skipping invalid
// bytes one at a time (the shared codec's rule), so no writer passes on broken UTF-8.
template <typename Visit>
void ForEachCharacter(absl::string_view text, Visit visit) {
  for (size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const size_t length = text::DecodeOne(text.substr(i), &c);
    if (length == 0) {
      ++i;
      continue;
    }
    visit(c, text.substr(i, length));
    i += length;
  }
}

// Drops a CR that a LF follows, so that a CRLF line break is seen as one LF.
std::string JoinCrLf(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

// `text` percent-encoded for the path of a URI, keeping letters, digits, "-._~" (RFC 3986
// unreserved) and the characters in `keep`. Non-ASCII characters are encoded byte by byte.
std::string PercentEncode(absl::string_view text, absl::string_view keep) {
  std::string out;
  for (const char ch : text) {
    const unsigned char byte = static_cast<unsigned char>(ch);
    if (absl::ascii_isalnum(byte) || ch == '-' || ch == '.' || ch == '_' || ch == '~' ||
        keep.find(ch) != absl::string_view::npos) {
      out.push_back(ch);
    } else {
      absl::StrAppendFormat(&out, "%%%02X", byte);
    }
  }
  return out;
}

// The calendar address (CAL-ADDRESS, a URI) of an attendee.
std::string CalendarAddress(const CalendarAttendee& attendee) {
  if (!attendee.email.empty()) return absl::StrCat("mailto:", PercentEncode(attendee.email, "@+"));
  return absl::StrCat("urn:summit:", PercentEncode(attendee.person, "/"));
}

// "20231206T090000": a DATE-TIME's date and time part (RFC 5545 3.3.5).
std::string FormatCivil(absl::CivilSecond t) {
  return absl::StrFormat("%04d%02d%02dT%02d%02d%02d", t.year(), t.month(), t.day(), t.hour(),
                         t.minute(), t.second());
}

std::string FormatUtc(absl::Time t) {
  return absl::StrCat(FormatCivil(absl::ToCivilSecond(t, absl::UTCTimeZone())), "Z");
}

// A UTC-OFFSET value (RFC 5545 3.3.14): "+0200", "-0500", "-045602"; never "-0000".
std::string FormatOffset(int seconds) {
  const char sign = seconds < 0 ? '-' : '+';
  const int magnitude = std::abs(seconds);
  std::string out = absl::StrFormat("%c%02d%02d", sign, magnitude / 3600, magnitude / 60 % 60);
  if (magnitude % 60 != 0) absl::StrAppendFormat(&out, "%02d", magnitude % 60);
  return out;
}

// `t` floored to the second: iCalendar has no fractions, and flooring matches the civil time
// absl::ToCivilSecond gives, so the written local and UTC forms of one instant agree.
absl::Time FloorToSecond(absl::Time t) { return absl::FromUnixSeconds(absl::ToUnixSeconds(t)); }

// Whether `t` can be written as a DATE-TIME: four-digit years, and year 0 is not a date clients
// accept.
bool IsWritable(absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return false;
  const absl::civil_year_t year = absl::ToCivilYear(t, absl::UTCTimeZone()).year();
  return year >= 1 && year <= 9999;
}

// The last year an event may fall in. Abseil enumerates a zone's changes only about 400 years
// past its data's last explicit one (2037 in today's tzdata), though it keeps applying the
// rules beyond: a VTIMEZONE built for later years would miss changes.
constexpr absl::civil_year_t kLastEventYear = 2399;

bool IsEventTime(absl::Time t) {
  return IsWritable(t) && absl::ToCivilYear(t, absl::UTCTimeZone()).year() <= kLastEventYear;
}

// One STANDARD or DAYLIGHT sub-component of a VTIMEZONE: from `onset` on, the zone's offset is
// `offset_to` and its abbreviation `name`.
struct Observance {
  bool daylight = false;
  absl::CivilSecond onset;  // local time, in the offset before the change (RFC 5545 3.6.5)
  int offset_from = 0;      // seconds east of UTC
  int offset_to = 0;
  std::string name;
};

// The observance that begins at the transition `change`.
Observance ObservanceAt(const absl::TimeZone& zone, const absl::TimeZone::CivilTransition& change) {
  // `to` is unique when clocks go forward and the repeated time when they go back; its
  // `trans` is the instant of the change either way (as in absl::TimeZone's own example).
  const absl::Time instant = zone.At(change.to).trans;
  const absl::TimeZone::CivilInfo before = zone.At(instant - absl::Seconds(1));
  const absl::TimeZone::CivilInfo after = zone.At(instant);
  Observance observance;
  // DAYLIGHT when the change sets clocks forward, STANDARD when it sets them back; tzdata's
  // is_dst decides only a change that keeps the offset. Not is_dst alone: tzdata models Irish
  // winter time and Morocco's Ramadan time as negative daylight saving (is_dst with the lower
  // offset), which readers that take TZOFFSETTO - TZOFFSETFROM of a DAYLIGHT observance as its
  // saving get wrong (dateutil's tzical does). By direction, Dublin's IST is DAYLIGHT and GMT
  // STANDARD, as in tzdata's "rearguard" form. Offsets, the part that places events, are
  // the same either way.
  observance.daylight = after.offset != before.offset ? after.offset > before.offset : after.is_dst;
  observance.onset = change.from;
  observance.offset_from = before.offset;
  observance.offset_to = after.offset;
  observance.name = after.zone_abbr;
  return observance;
}

// The observances of `zone` in effect from the start of `first_year` to the end of
// `last_year`, local time: the one already in effect when the span begins and every one that
// begins inside it. Whole years rather than just the events' span, so that a December
// calendar still shows both the zone's standard and its daylight time, and the VTIMEZONE
// stays the same while sessions are added within the year.
//
// RFC 5545 3.6.5 requires the onsets covering the events; writing each onset as its own
// sub-component (rather than guessing an RRULE) describes any history exactly: rule changes,
// zones that stopped observing DST, offsets with seconds.
std::vector<Observance> ObservancesCovering(const absl::TimeZone& zone,
                                            absl::civil_year_t first_year,
                                            absl::civil_year_t last_year) {
  const absl::CivilSecond span_start(first_year, 1, 1);
  const absl::Time start = zone.At(span_start).pre;
  const absl::Time end = zone.At(absl::CivilSecond(last_year + 1, 1, 1)).pre;
  std::vector<Observance> observances;
  absl::TimeZone::CivilTransition change;
  absl::Time cursor = start;
  // PrevTransition finds changes strictly before its argument; one at `start` is in effect.
  if (zone.PrevTransition(start + absl::Seconds(1), &change) && zone.At(change.to).trans <= start) {
    observances.push_back(ObservanceAt(zone, change));
    cursor = zone.At(change.to).trans;
  } else {
    // No recorded change before the span (a zone that never changed, such as Etc/GMT-3, or a
    // span before its first): the offset then, said to begin with the span.
    const absl::TimeZone::CivilInfo info = zone.At(start);
    Observance observance;
    observance.daylight = info.is_dst;
    observance.onset = span_start;
    observance.offset_from = info.offset;
    observance.offset_to = info.offset;
    observance.name = info.zone_abbr;
    observances.push_back(std::move(observance));
  }
  while (zone.NextTransition(cursor, &change)) {
    const absl::Time instant = zone.At(change.to).trans;
    if (instant >= end || instant <= cursor) break;  // the second: never loop on bad data
    observances.push_back(ObservanceAt(zone, change));
    cursor = instant;
  }
  return observances;
}

// A zone that has always been UTC (UTC, Etc/UTC, Etc/GMT): its times are written "…Z".
bool IsUtc(const absl::TimeZone& zone) {
  absl::TimeZone::CivilTransition change;
  return !zone.NextTransition(absl::InfinitePast(), &change) &&
         zone.At(absl::UnixEpoch()).offset == 0;
}

// The text being written: content lines, each folded as it is added.
class ContentLines {
 public:
  void Add(absl::string_view line) { text_ += FoldContentLine(line); }
  void Add(absl::string_view name, absl::string_view value) { Add(absl::StrCat(name, ":", value)); }
  // A TEXT property, left out when empty.
  void AddText(absl::string_view name, absl::string_view text) {
    if (!text.empty()) Add(name, EscapeText(text));
  }
  std::string Release() && { return std::move(text_); }

 private:
  std::string text_;
};

class CalendarWriter {
 public:
  CalendarWriter(const Calendar& calendar, absl::TimeZone zone)
      : calendar_(calendar), zone_(zone), utc_(IsUtc(zone)) {}

  std::string Write(absl::Time now) && {
    lines_.Add("BEGIN", "VCALENDAR");
    lines_.Add("VERSION", "2.0");
    lines_.Add("PRODID", "-//Summit//Summit Scheduling//EN");
    lines_.Add("CALSCALE", "GREGORIAN");
    // PUBLISH: a calendar to add, not an invitation to answer. iTIP (RFC 5546 3.2.1) would
    // have a PUBLISH carry an ORGANIZER and no ATTENDEE; we list attendees anyway, as Google
    // Calendar's own exports do, because whom a meeting is with is what a delegate looks for,
    // and importers treat the file as data, not as a scheduling message.
    lines_.Add("METHOD", "PUBLISH");
    // Not in RFC 5545, but the de facto names of a subscription's title and default zone.
    lines_.AddText("X-WR-CALNAME", calendar_.name);
    lines_.AddText("X-WR-TIMEZONE", calendar_.time_zone);
    // RFC 5545 3.6 requires at least one component, so an empty calendar (a person with no
    // sessions yet) still carries its zone, for the current year.
    if (!utc_ || calendar_.events.empty()) WriteTimeZone(now);
    const std::string stamp = FormatUtc(now);
    for (const CalendarEvent& event : calendar_.events) WriteEvent(event, stamp);
    lines_.Add("END", "VCALENDAR");
    return std::move(lines_).Release();
  }

 private:
  void WriteTimeZone(absl::Time now) {
    absl::civil_year_t first_year = std::min(absl::ToCivilYear(now, zone_).year(), kLastEventYear);
    absl::civil_year_t last_year = first_year;
    if (!calendar_.events.empty()) {
      first_year = last_year = absl::ToCivilYear(calendar_.events.front().start, zone_).year();
      for (const CalendarEvent& event : calendar_.events) {
        first_year = std::min(first_year, absl::ToCivilYear(event.start, zone_).year());
        last_year = std::max(last_year, absl::ToCivilYear(event.end, zone_).year());
      }
    }
    lines_.Add("BEGIN", "VTIMEZONE");
    lines_.Add("TZID", EscapeText(calendar_.time_zone));
    for (const Observance& observance : ObservancesCovering(zone_, first_year, last_year)) {
      const absl::string_view kind = observance.daylight ? "DAYLIGHT" : "STANDARD";
      lines_.Add("BEGIN", kind);
      lines_.Add("DTSTART", FormatCivil(observance.onset));
      lines_.Add("TZOFFSETFROM", FormatOffset(observance.offset_from));
      lines_.Add("TZOFFSETTO", FormatOffset(observance.offset_to));
      lines_.AddText("TZNAME", observance.name);
      lines_.Add("END", kind);
    }
    lines_.Add("END", "VTIMEZONE");
  }

  // "DTSTART;TZID=America/New_York:20231206T090000", or in UTC when the local time would not
  // name `t` (see icalendar.h).
  std::string DateTime(absl::string_view name, absl::Time t) const {
    t = FloorToSecond(t);
    if (!utc_) {
      const absl::CivilSecond local = absl::ToCivilSecond(t, zone_);
      // FromCivil reads a repeated local time as its first occurrence, as RFC 5545 3.3.5 does.
      if (absl::FromCivil(local, zone_) == t) {
        return absl::StrCat(name, ";TZID=", ParameterValue(calendar_.time_zone), ":",
                            FormatCivil(local));
      }
    }
    return absl::StrCat(name, ":", FormatUtc(t));
  }

  void WriteEvent(const CalendarEvent& event, absl::string_view stamp) {
    lines_.Add("BEGIN", "VEVENT");
    lines_.Add("UID", EscapeText(SessionUid(event.session)));
    lines_.Add("DTSTAMP", stamp);
    lines_.Add(DateTime("DTSTART", event.start));
    // RFC 5545 3.8.2.2: DTEND must be later than DTSTART; without it the event is an instant.
    if (FloorToSecond(event.end) > FloorToSecond(event.start)) {
      lines_.Add(DateTime("DTEND", event.end));
    }
    lines_.AddText("SUMMARY", event.summary);
    lines_.AddText("DESCRIPTION", event.description);
    lines_.AddText("LOCATION", event.location);
    switch (event.status) {
      case CalendarEventStatus::kTentative:
        lines_.Add("STATUS", "TENTATIVE");
        break;
      case CalendarEventStatus::kConfirmed:
        lines_.Add("STATUS", "CONFIRMED");
        break;
      case CalendarEventStatus::kCancelled:
        lines_.Add("STATUS", "CANCELLED");
        break;
    }
    lines_.Add("SEQUENCE", absl::StrCat(event.sequence));
    if (event.last_modified != absl::InfinitePast()) {
      lines_.Add("LAST-MODIFIED", FormatUtc(event.last_modified));
    }
    for (const CalendarAttendee& attendee : event.attendees) {
      std::string line = "ATTENDEE";
      const std::string cn = ParameterValue(attendee.display_name);
      if (!cn.empty()) absl::StrAppend(&line, ";CN=", cn);
      absl::StrAppend(&line, ":", CalendarAddress(attendee));
      lines_.Add(line);
    }
    lines_.Add("END", "VEVENT");
  }

  const Calendar& calendar_;
  const absl::TimeZone zone_;
  const bool utc_;
  ContentLines lines_;
};

absl::Status CheckEvent(const CalendarEvent& event, size_t index) {
  const std::string which = absl::StrCat("events[", index, "] (", event.session, ")");
  if (event.session.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("events[", index, "] has no session"));
  }
  if (!IsEventTime(event.start) || !IsEventTime(event.end)) {
    return absl::InvalidArgumentError(
        absl::StrCat(which, ": start and end must be finite and in years 1-", kLastEventYear));
  }
  if (event.end < event.start) {
    return absl::InvalidArgumentError(absl::StrCat(which, ": ends before it starts"));
  }
  if (event.sequence < 0) {
    return absl::InvalidArgumentError(absl::StrCat(which, ": negative sequence"));
  }
  if (event.last_modified != absl::InfinitePast() && !IsWritable(event.last_modified)) {
    return absl::InvalidArgumentError(
        absl::StrCat(which, ": last_modified must be finite and in years 1-9999"));
  }
  for (const CalendarAttendee& attendee : event.attendees) {
    if (attendee.email.empty() && attendee.person.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(which, ": attendee \"", attendee.display_name,
                                                     "\" has neither email nor person"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string SessionUid(absl::string_view session) { return absl::StrCat(session, kUidSuffix); }

std::string EscapeText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachCharacter(JoinCrLf(text), [&out](char32_t c, absl::string_view bytes) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
      case '\r':
        out += "\\n";
        break;
      default:
        if (!IsControl(c)) out.append(bytes.data(), bytes.size());
    }
  });
  return out;
}

std::string ParameterValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool needs_quotes = false;
  ForEachCharacter(JoinCrLf(value), [&](char32_t c, absl::string_view bytes) {
    if (c == '\n' || c == '\r') {
      out.push_back(' ');
    } else if (c != '"' && !IsControl(c)) {
      needs_quotes = needs_quotes || c == ':' || c == ';' || c == ',';
      out.append(bytes.data(), bytes.size());
    }
  });
  if (needs_quotes) return absl::StrCat("\"", out, "\"");
  return out;
}

std::string FoldContentLine(absl::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / (kMaxLineOctets - 1) * 3 + 2);
  size_t width = 0;  // octets on the current physical line
  for (size_t i = 0; i < line.size();) {
    char32_t c = 0;
    size_t length = text::DecodeOne(line.substr(i), &c);
    // The writers above pass valid UTF-8 only; a stray byte from another caller is moved as
    // one unit rather than dropped, since this function changes layout, not content.
    if (length == 0) length = 1;
    if (width + length > kMaxLineOctets) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line.data() + i, length);
    width += length;
    i += length;
  }
  out += "\r\n";
  return out;
}

absl::StatusOr<std::string> WriteCalendar(const Calendar& calendar, absl::Time now) {
  absl::TimeZone zone;
  if (!api::IsIanaZoneName(calendar.time_zone) || !absl::LoadTimeZone(calendar.time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone \"", absl::CEscape(calendar.time_zone.substr(0, 64)),
                     "\"; expected an IANA name such as America/New_York"));
  }
  if (!IsWritable(now)) {
    return absl::InvalidArgumentError("now must be finite and in years 1-9999");
  }
  std::set<absl::string_view> sessions;
  for (size_t i = 0; i < calendar.events.size(); ++i) {
    const CalendarEvent& event = calendar.events[i];
    if (absl::Status status = CheckEvent(event, i); !status.ok()) return status;
    if (!sessions.insert(event.session).second) {
      // Two VEVENTs with one UID and no RECURRENCE-ID are one event twice (RFC 5545 3.8.4.7).
      return absl::InvalidArgumentError(
          absl::StrCat("events[", i, "] (", event.session, "): session listed twice"));
    }
  }
  return CalendarWriter(calendar, zone).Write(now);
}

}  // namespace summit::scheduling
