#include "common/api/field_checks.h"

#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/error.h"
#include "common/text/utf8.h"

namespace summit::api {
namespace {

// ISO 3166-1 alpha-2, as Debian's iso-codes lists them (249 codes).
constexpr absl::string_view kCountryCodes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW ";

template <typename Predicate>
bool AllOf(absl::string_view text, Predicate predicate) {
  for (unsigned char c : text) {
    if (!predicate(c)) return false;
  }
  return true;
}

bool IsLowerAlnumOrHyphen(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// Characters that are not text a person means to type, or that make text
// display differently from what it holds: C0 and C1 controls, line and
// paragraph separators, and bidirectional overrides ("Trojan Source").
bool IsForbiddenInText(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

// Spaces and invisible characters: a name made only of these is blank.
bool IsBlank(char32_t c) {
  return c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF || c == 0xAD;
}

}  // namespace

std::string CountryCodeProblem(absl::string_view code) {
  if (code.empty()) return "required: an ISO 3166-1 alpha-2 country code such as \"UA\"";
  // Codes are two capitals and a space apart, so a match cannot straddle two.
  if (code.size() != 2 || !AllOf(code, absl::ascii_isupper) ||
      !absl::StrContains(kCountryCodes, absl::StrCat(code, " "))) {
    return absl::StrCat(EchoInput(code), " is not an ISO 3166-1 alpha-2 country code (e.g. \"UA\", \"US\")");
  }
  return "";
}

bool IsIanaZoneName(absl::string_view name) {
  // The longest name in tzdata has 32 characters ("America/Argentina/ComodRivadavia").
  if (name.empty() || name.size() > 64 || name == "localtime") return false;
  for (const char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return false;
    }
  }
  for (absl::string_view part : absl::StrSplit(name, '/')) {
    if (part.empty()) return false;  // a leading ("/etc/…"), trailing or doubled '/'
  }
  return true;
}

std::string TimeZoneProblem(absl::string_view zone) {
  if (zone.empty()) return "required: an IANA time zone such as \"America/New_York\"";
  absl::TimeZone ignored;
  // A zone name, never a path: the loader would open any file named. LoadTimeZone also
  // accepts fixed offsets like "UTC+3"; summits name places.
  if (!IsIanaZoneName(zone) || !absl::LoadTimeZone(std::string(zone), &ignored) ||
      (zone != "UTC" && !absl::StrContains(zone, '/'))) {
    return absl::StrCat(EchoInput(zone), " is not an IANA time zone (e.g. \"Europe/Kyiv\")");
  }
  return "";
}

std::string LanguageTagProblem(absl::string_view tag) {
  const std::vector<absl::string_view> parts = absl::StrSplit(tag, '-');
  bool ok = !tag.empty() && parts[0].size() >= 2 && parts[0].size() <= 3 &&
            AllOf(parts[0], absl::ascii_islower);
  for (size_t i = 1; ok && i < parts.size(); ++i) {
    const absl::string_view part = parts[i];
    const bool script = part.size() == 4 && absl::ascii_isupper(part[0]) &&
                        AllOf(part.substr(1), absl::ascii_islower);
    const bool region = (part.size() == 2 && AllOf(part, absl::ascii_isupper)) ||
                        (part.size() == 3 && AllOf(part, absl::ascii_isdigit));
    const bool variant = part.size() >= 5 && part.size() <= 8 && AllOf(part, absl::ascii_isalnum);
    ok = script || region || variant;
  }
  if (!ok) return absl::StrCat(EchoInput(tag), " is not a BCP-47 language tag (e.g. \"uk\", \"en-US\")");
  return "";
}

std::string EmailProblem(absl::string_view email) {
  const size_t at = email.find('@');
  const bool ok = email.size() <= kMaxEmailChars && at != absl::string_view::npos && at > 0 &&
                  email.find('@', at + 1) == absl::string_view::npos &&
                  email.find_first_of(" \t\r\n<>()[],;:\"") == absl::string_view::npos &&
                  email.find('.', at) != absl::string_view::npos && email.back() != '.' &&
                  email[at + 1] != '.';
  if (!ok) return absl::StrCat(EchoInput(email), " is not an e-mail address");
  return "";
}

std::string PhoneProblem(absl::string_view phone) {
  const bool ok = phone.size() >= 9 && phone.size() <= 16 && phone[0] == '+' &&
                  phone[1] != '0' && AllOf(phone.substr(1), absl::ascii_isdigit);
  if (!ok) return absl::StrCat(EchoInput(phone), " is not an E.164 number such as \"+380441234567\"");
  return "";
}

std::string WebUrlProblem(absl::string_view url) {
  absl::string_view rest = url;
  const bool scheme = absl::ConsumePrefix(&rest, "https://") || absl::ConsumePrefix(&rest, "http://");
  const absl::string_view host = rest.substr(0, rest.find('/'));
  const bool ok = scheme && url.size() <= kMaxWebUrlChars && !host.empty() &&
                  host.find_first_of(" \t\r\n\"<>\\") == absl::string_view::npos &&
                  url.find_first_of(" \t\r\n") == absl::string_view::npos;
  if (!ok) return absl::StrCat(EchoInput(url), " is not an http(s) URL");
  return "";
}

std::string TagProblem(absl::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagChars || !AllOf(tag, IsLowerAlnumOrHyphen) || tag.front() == '-' ||
      tag.back() == '-') {
    return absl::StrCat(EchoInput(tag), " is not a tag: 1 to 63 lowercase letters, digits and inner hyphens");
  }
  return "";
}

std::string DateProblem(const google::type::Date& date) {
  if (date.year() == 0 || date.month() == 0 || date.day() == 0) {
    return "required: a whole date with year, month and day";
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 1900 || date.year() > 9999 || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day()) {
    return absl::StrCat(date.year(), "-", date.month(), "-", date.day(), " is not a real date");
  }
  return "";
}

namespace {

std::string TextProblemAllowing(absl::string_view text, size_t max_chars, bool required,
                                bool line_breaks) {
  size_t characters = 0;
  bool blank = true;
  for (size_t i = 0; i < text.size();) {
    char32_t code_point = 0;
    const size_t length = text::DecodeOne(text.substr(i), &code_point);
    if (length == 0) return "is not valid UTF-8";
    i += length;
    const bool allowed_break = line_breaks && (code_point == '\n' || code_point == '\t');
    if (IsForbiddenInText(code_point) && !allowed_break) {
      return line_breaks ? "must not hold control (other than line feed and tab), line-separator "
                           "or text-direction characters"
                         : "must not hold control, line-separator or text-direction characters";
    }
    blank = blank && (IsBlank(code_point) || allowed_break);
    ++characters;
  }
  if (characters > max_chars) return absl::StrCat("must be at most ", max_chars, " characters");
  if (required && blank) return "required";
  return "";
}

}  // namespace

std::string TextProblem(absl::string_view text, size_t max_chars, bool required) {
  return TextProblemAllowing(text, max_chars, required, /*line_breaks=*/false);
}

std::string ParagraphsProblem(absl::string_view text, size_t max_chars, bool required) {
  return TextProblemAllowing(text, max_chars, required, /*line_breaks=*/true);
}

int CompareDates(const google::type::Date& a, const google::type::Date& b) {
  const auto key = [](const google::type::Date& d) {
    return std::make_tuple(d.year(), d.month(), d.day());
  };
  return key(a) < key(b) ? -1 : key(b) < key(a) ? 1 : 0;
}

}  // namespace summit::api
