// iCalendar (RFC 5545) export of sessions: the text a person's phone, Google Calendar or
// Thunderbird imports or subscribes to, so that an itinerary shows at the right local times.
//
//   Calendar calendar;
//   calendar.name = "UDIB Summit 2023 — Rustem Umerov";
//   calendar.time_zone = "America/New_York";  // the event's IANA zone
//   CalendarEvent& plenary = calendar.events.emplace_back();
//   plenary.session = "events/udib-2023/sessions/s1";  // UID events/udib-2023/sessions/s1@summit
//   plenary.start = absl::FromCivil(absl::CivilMinute(2023, 12, 6, 14, 0), absl::UTCTimeZone());
//   plenary.end = plenary.start + absl::Hours(1);
//   plenary.summary = "Opening plenary";
//   absl::StatusOr<std::string> text = WriteCalendar(calendar, absl::Now());
//   // BEGIN:VCALENDAR … BEGIN:VTIMEZONE … DTSTART;TZID=America/New_York:20231206T090000 …
//
// What the output guarantees:
//   - Lines end in CRLF and are folded at 75 octets (CRLF and one space), never inside a UTF-8
//     character. Text is valid UTF-8: invalid input bytes and control characters other than tab
//     and line breaks are dropped, line breaks become "\n".
//   - Times are written in the calendar's zone (DTSTART;TZID=…), described by one VTIMEZONE
//     whose observances come from the zone data Abseil reads (the system's tzdata), covering
//     whole calendar years from the first event's to the last one's, so that a client needs no
//     zone database of its own. A local time that occurs twice (the hour repeated when clocks go
//     back) means its first occurrence in RFC 5545, so an instant in the second one is written
//     in UTC instead. A zone that is UTC in all its history gets UTC times ("…Z").
//   - The UID of a session's VEVENT is its resource name plus "@summit" (SessionUid), the same
//     in every export — a person's, a room's or the whole event's — so a client updates the
//     event it already has rather than adding a copy; SEQUENCE tells it which copy is newer.
//   - The output depends only on the arguments and the zone data: two exports of unchanged
//     sessions differ only in DTSTAMP, so a subscription that did not change looks unchanged.
//
// Thread-safety: every function is pure and may be called from any thread.
#ifndef SUMMIT_SERVICES_SCHEDULING_ICALENDAR_H_
#define SUMMIT_SERVICES_SCHEDULING_ICALENDAR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace summit::scheduling {

// A person taking part in a session, as the ATTENDEE property names them.
struct CalendarAttendee {
  std::string display_name;  // the CN parameter; "" for none
  std::string email;         // the calendar address "mailto:…" when not empty
  // "people/{person}": the address "urn:summit:people/{person}" when there is no email, so that
  // every attendee still has the address RFC 5545 requires. One of email and person is needed.
  std::string person;
};

enum class CalendarEventStatus { kTentative, kConfirmed, kCancelled };

// One session as a VEVENT.
struct CalendarEvent {
  std::string session;      // resource name "events/{event}/sessions/{session}"; makes the UID
  absl::Time start;         // instants; written in the calendar's zone, to the second (floored)
  absl::Time end;           // not before start; equal to start: no DTEND (an instant event)
  std::string summary;      // SUMMARY; each of these three is omitted when empty
  std::string description;  // DESCRIPTION; may hold line breaks
  std::string location;     // LOCATION, e.g. the room's display name
  std::vector<CalendarAttendee> attendees;
  // A cancelled session stays in the export as STATUS:CANCELLED, so that clients that already
  // have it remove or strike it out instead of keeping a stale copy.
  CalendarEventStatus status = CalendarEventStatus::kConfirmed;
  // Revision of the session, >= 0: increase it whenever the time, place or status changes, or
  // clients may keep the copy they have.
  int sequence = 0;
  absl::Time last_modified = absl::InfinitePast();  // LAST-MODIFIED; InfinitePast: omitted
};

// A calendar: one VCALENDAR of sessions shown in one time zone.
struct Calendar {
  std::string name;       // X-WR-CALNAME, the title clients give a subscription; "" for none
  std::string time_zone;  // IANA name, e.g. "America/New_York"; required
  std::vector<CalendarEvent> events;  // written in this order; one per session
};

// The UID of a session's VEVENT, its resource name and "@summit":
// "events/udib-2023/sessions/s1" → "events/udib-2023/sessions/s1@summit".
std::string SessionUid(absl::string_view session);

// The calendar as RFC 5545 text (UTF-8, CRLF line endings), `now` being its DTSTAMP.
// INVALID_ARGUMENT, naming the culprit, for: a time zone that is not an IANA name in the zone
// data; an event without a session, with a time not finite or outside years 1–2399, ending
// before it starts, with a negative sequence, or with an attendee having neither email nor
// person; two events of the same session; `now` or a last_modified not finite or outside years
// 1–9999.
absl::StatusOr<std::string> WriteCalendar(const Calendar& calendar, absl::Time now);

// The building blocks of the text, exposed for tests and for other writers of RFC 5545.

// `text` as a TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped with a
// backslash, each line break (CRLF, LF or CR) written "\n"; control characters other than tab
// and invalid UTF-8 bytes dropped. Colons are not escaped (the RFC does not allow it).
std::string EscapeText(absl::string_view text);

// `value` as a parameter value (RFC 5545 3.1, 3.2): parameter values cannot be escaped and
// cannot hold DQUOTE at all, so double quotes are removed, line breaks become spaces, other
// control characters (but tab) and invalid UTF-8 are dropped; the result is put in double
// quotes when it holds ':', ';' or ','.
std::string ParameterValue(absl::string_view value);

// One content line, without line ending, as it goes on the wire: folded into lines of at most
// 75 octets each (RFC 5545 3.1), continuation lines starting with one space (which counts),
// never splitting a UTF-8 sequence, every line ending in CRLF.
std::string FoldContentLine(absl::string_view line);

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_ICALENDAR_H_
