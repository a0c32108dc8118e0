// Checks of the values people type into Summit's resources, shared by every
// service's validation: each returns "" when the value is fine, otherwise
// what is wrong in words a field violation can carry.
//
//   if (std::string problem = CountryCodeProblem(person.country()); !problem.empty())
//     violations.push_back({"person.country", problem});
#ifndef SUMMIT_COMMON_API_FIELD_CHECKS_H_
#define SUMMIT_COMMON_API_FIELD_CHECKS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/type/date.pb.h"

namespace summit::api {

// The longest values the checks below accept, in bytes (they are ASCII).
inline constexpr size_t kMaxEmailChars = 254;     // RFC 5321's path limit
inline constexpr size_t kMaxWebUrlChars = 2048;
inline constexpr size_t kMaxTagChars = 63;

// An ISO 3166-1 alpha-2 code in upper case, e.g. "UA".
std::string CountryCodeProblem(absl::string_view code);
// An IANA time zone the tz database knows, e.g. "America/New_York".
std::string TimeZoneProblem(absl::string_view zone);
// Whether `name` has the shape of an IANA zone name ("America/New_York", "Etc/GMT+5",
// "EST5EDT"): letters, digits and "/_-+", no empty part. Checked before a name reaches
// absl::LoadTimeZone, which also opens absolute paths ("/dev/…", "file:…"), "localtime" (the
// server's own zone) and fixed offsets ("Fixed/UTC+03:00:00").
bool IsIanaZoneName(absl::string_view name);
// A BCP-47 language tag of the common shape: language[-Script][-REGION],
// e.g. "uk", "en-US", "sr-Latn".
std::string LanguageTagProblem(absl::string_view tag);
// An e-mail address of the shape local@domain.tld (not deliverability), at
// most kMaxEmailChars.
std::string EmailProblem(absl::string_view email);
// An E.164 telephone number: "+" then 8 to 15 digits.
std::string PhoneProblem(absl::string_view phone);
// An absolute http or https URL of at most kMaxWebUrlChars.
std::string WebUrlProblem(absl::string_view url);
// A lowercase tag of letters, digits and hyphens, e.g. "air-defense", of at
// most kMaxTagChars.
std::string TagProblem(absl::string_view tag);
// A whole calendar date (year, month and day all set and real).
std::string DateProblem(const google::type::Date& date);
// Text a person types: valid UTF-8 without control, line-separator or
// text-direction characters, at most `max_chars` characters; `required` also
// forbids text that is empty or only spaces and invisible characters.
std::string TextProblem(absl::string_view text, size_t max_chars, bool required);
// The same for text in paragraphs (a statement's body): line feeds and
// tabs are allowed too.
std::string ParagraphsProblem(absl::string_view text, size_t max_chars, bool required);

// Compares whole dates: negative, zero or positive like strcmp.
int CompareDates(const google::type::Date& a, const google::type::Date& b);

}  // namespace summit::api

#endif  // SUMMIT_COMMON_API_FIELD_CHECKS_H_
