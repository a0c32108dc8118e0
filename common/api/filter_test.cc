// Tests of the AIP-160 subset List methods accept: conjunctions of
// field = value, with clear INVALID_ARGUMENT errors for everything else and
// values returned verbatim (a store binds them as parameters).
#include "common/api/filter.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/error.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::api {
namespace {

using ::summit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr absl::string_view kAllowed[] = {"country", "kind", "organization", "display_name",
                                          "start_time"};

auto Term(const std::string& field, const std::string& value) {
  return AllOf(Field(&FilterTerm::field, field),
               Field(&FilterTerm::values, std::vector<std::string>{value}));
}

absl::StatusOr<std::vector<FilterTerm>> Parse(absl::string_view filter) {
  return ParseFilter(filter, kAllowed);
}

// The one field violation a bad filter carries: on "filter", saying why.
std::string FilterProblem(absl::string_view filter) {
  absl::StatusOr<std::vector<FilterTerm>> terms = Parse(filter);
  if (terms.ok()) return "<parsed>";
  EXPECT_THAT(terms, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<FieldViolation> violations = FieldViolationsOf(terms.status());
  EXPECT_THAT(violations, SizeIs(1));
  if (violations.size() != 1) return "<no single violation>";
  EXPECT_EQ(violations[0].field, "filter");
  EXPECT_EQ(ReasonOf(terms.status()), "INVALID_ARGUMENT");
  return violations[0].description;
}

// --- What parses ----------------------------------------------------------

TEST(ParseFilterTest, EmptyOrBlankFilterHasNoTerms) {
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> empty, Parse(""));
  EXPECT_THAT(empty, IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> blank, Parse("  \t\n "));
  EXPECT_THAT(blank, IsEmpty());
}

TEST(ParseFilterTest, OneEquality) {
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms, Parse("country = \"UA\""));
  EXPECT_THAT(terms, ElementsAre(Term("country", "UA")));
}

TEST(ParseFilterTest, ConjunctionOfQuotedAndBareValues) {
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms,
                       Parse("country = \"UA\" AND kind = KIND_DEFENSE_COMPANY"));
  EXPECT_THAT(terms, ElementsAre(Term("country", "UA"), Term("kind", "KIND_DEFENSE_COMPANY")));
}

TEST(ParseFilterTest, SpacingIsFree) {
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms,
                       Parse("\tcountry=UA   AND\nkind\t=\t\"KIND_MEDIA\"  "));
  EXPECT_THAT(terms, ElementsAre(Term("country", "UA"), Term("kind", "KIND_MEDIA")));
}

TEST(ParseFilterTest, BareWordsHoldNamesAndTimes) {
  ASSERT_OK_AND_ASSIGN(
      std::vector<FilterTerm> terms,
      Parse("organization = organizations/ukroboronprom AND start_time = 2023-12-06T10:00:00.5"));
  EXPECT_THAT(terms, ElementsAre(Term("organization", "organizations/ukroboronprom"),
                                 Term("start_time", "2023-12-06T10:00:00.5")));
}

TEST(ParseFilterTest, QuotedValuesUnescapeQuoteAndBackslash) {
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms,
                       Parse(R"(display_name = "The \"Iron\" Lady \\ PM")"));
  EXPECT_THAT(terms, ElementsAre(Term("display_name", R"(The "Iron" Lady \ PM)")));
}

TEST(ParseFilterTest, QuotedValuesKeepUtf8AndSpacesAndEmpty) {
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms,
                       Parse("display_name = \"Володимир  Зеленський 🇺🇦\" AND country = \"\""));
  EXPECT_THAT(terms, ElementsAre(Term("display_name", "Володимир  Зеленський 🇺🇦"),
                                 Term("country", "")));
}

TEST(ParseFilterTest, TheSameFieldTwiceGivesTwoTerms) {
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms, Parse("country = UA AND country = PL"));
  EXPECT_THAT(terms, ElementsAre(Term("country", "UA"), Term("country", "PL")));
}

// Values that look like SQL, format strings or filter syntax come back as
// exactly the value the caller quoted; nothing in them is interpreted.
TEST(ParseFilterTest, InjectionLookingValuesComeBackVerbatim) {
  const std::vector<std::string> hostile = {
      "x' OR '1'='1",
      "'; DROP TABLE people; --",
      "UA AND kind = KIND_MEDIA",
      "UA\" OR country = \"PL",
      ") OR (1=1",
      "%s%n%x",
      "?; ?1; :name",
      "\\",
      "line\nbreak\ttab",
      "Зеленський ＇ʼ 🇺🇦",
  };
  for (const std::string& value : hostile) {
    SCOPED_TRACE(value);
    std::string quoted;
    for (char c : value) {
      if (c == '"' || c == '\\') quoted.push_back('\\');
      quoted.push_back(c);
    }
    ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms,
                         Parse(absl::StrCat("display_name = \"", quoted, "\" AND kind = X")));
    EXPECT_THAT(terms, ElementsAre(Term("display_name", value), Term("kind", "X")));
  }
}

TEST(ParseFilterTest, ControlAndDirectionCharactersAreRefused) {
  // No stored text holds one, so no value with one can match; and PostgreSQL refuses a NUL in
  // a text parameter outright.
  for (const std::string& value : {std::string("nul\0byte", 8), std::string("carriage\rreturn"),
                                   std::string("bell\a"), std::string("\u202egnp.exe")}) {
    SCOPED_TRACE(value);
    EXPECT_THAT(FilterProblem(absl::StrCat("display_name = \"", value, "\"")),
                HasSubstr("must not hold control"));
  }
}

TEST(ParseFilterTest, LongestAllowedFilterParses) {
  const std::string prefix = "display_name = \"";
  const std::string value(kMaxFilterLength - prefix.size() - 1, 'a');
  const std::string filter = absl::StrCat(prefix, value, "\"");
  ASSERT_EQ(filter.size(), kMaxFilterLength);
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms, Parse(filter));
  EXPECT_THAT(terms, ElementsAre(Term("display_name", value)));
}

TEST(ParseFilterTest, ManyTermsWithinTheLimitParse) {
  std::string filter = "country = UA";
  int count = 1;
  while (filter.size() + 18 <= kMaxFilterLength) {
    filter += " AND country = UA";
    ++count;
  }
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms, Parse(filter));
  EXPECT_THAT(terms, SizeIs(count));
}

// --- What is refused, and how ---------------------------------------------

TEST(ParseFilterTest, UnknownFieldIsRefusedWithItsPositionAndTheAllowedFields) {
  const std::string problem = FilterProblem("country = \"UA\" AND colour = red");
  EXPECT_THAT(problem, HasSubstr("\"colour\""));
  EXPECT_THAT(problem, HasSubstr("country, kind, organization, display_name, start_time"));
  EXPECT_THAT(problem, HasSubstr("at character 20"));
}

TEST(ParseFilterTest, FieldNamesAreCaseSensitiveAndExact) {
  EXPECT_THAT(FilterProblem("Country = UA"), HasSubstr("cannot filter on \"Country\""));
  EXPECT_THAT(FilterProblem("countr = UA"), HasSubstr("cannot filter on"));
  EXPECT_THAT(FilterProblem("country_code = UA"), HasSubstr("cannot filter on"));
}

TEST(ParseFilterTest, NoAllowedFieldsRefusesEveryField) {
  EXPECT_THAT(ParseFilter("country = UA", {}), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> none, ParseFilter("", {}));
  EXPECT_THAT(none, IsEmpty());
}

TEST(ParseFilterTest, UnterminatedQuoteIsRefused) {
  EXPECT_THAT(FilterProblem("country = \"UA"), HasSubstr("unterminated"));
  EXPECT_THAT(FilterProblem("country = \""), HasSubstr("unterminated"));
  EXPECT_THAT(FilterProblem("country = \"UA\\\""), HasSubstr("unterminated"));  // escaped quote
  EXPECT_THAT(FilterProblem("country = \"UA\\"), HasSubstr("unterminated"));    // lone backslash
  EXPECT_THAT(FilterProblem("country = \"UA\" AND kind = \"X"), HasSubstr("unterminated"));
}

TEST(ParseFilterTest, MissingPiecesAreRefused) {
  EXPECT_THAT(FilterProblem("country"), HasSubstr("expected ="));
  EXPECT_THAT(FilterProblem("country UA"), HasSubstr("expected ="));
  EXPECT_THAT(FilterProblem("country ="), HasSubstr("expected a value"));
  EXPECT_THAT(FilterProblem("country =   "), HasSubstr("expected a value"));
  EXPECT_THAT(FilterProblem("= UA"), HasSubstr("expected a field name"));
  EXPECT_THAT(FilterProblem("country = UA AND"), HasSubstr("expected a field name"));
  EXPECT_THAT(FilterProblem("AND country = UA"), HasSubstr("cannot filter on \"AND\""));
  EXPECT_THAT(FilterProblem("country = UA AND AND kind = X"), HasSubstr("cannot filter on"));
}

TEST(ParseFilterTest, OnlyAndOfEqualitiesIsSupported) {
  EXPECT_THAT(FilterProblem("country = UA OR kind = X"), HasSubstr("OR joins conditions on one field"));
  EXPECT_THAT(FilterProblem("country = UA OR"), HasSubstr("expected a field name"));
  EXPECT_THAT(FilterProblem("country = UA and kind = X"), HasSubstr("expected AND"));
  EXPECT_THAT(FilterProblem("country = UA ANDkind = X"), HasSubstr("expected AND"));
  EXPECT_THAT(FilterProblem("country = UA kind = X"), HasSubstr("expected AND"));
  EXPECT_THAT(FilterProblem("country != UA"), HasSubstr("expected ="));
  EXPECT_THAT(FilterProblem("country : UA"), HasSubstr("expected ="));
  EXPECT_THAT(FilterProblem("country = UA*"), HasSubstr("expected AND"));
  EXPECT_THAT(FilterProblem("NOT country = UA"), HasSubstr("cannot filter on \"NOT\""));
  EXPECT_THAT(FilterProblem("(country = UA)"), HasSubstr("expected a field name"));
  EXPECT_THAT(FilterProblem("-country = UA"), HasSubstr("expected a field name"));
}

TEST(ParseFilterTest, BareValuesRefuseWhatMustBeQuoted) {
  EXPECT_THAT(FilterProblem("display_name = Зеленський"), HasSubstr("expected a value"));
  EXPECT_THAT(FilterProblem("country = 'UA'"), HasSubstr("expected a value"));
  EXPECT_THAT(FilterProblem("country = UA; DROP TABLE people"), HasSubstr("expected AND"));
  EXPECT_THAT(FilterProblem("country = UA' OR '1'='1"), HasSubstr("expected AND"));
}

TEST(ParseFilterTest, InjectionInFieldPositionIsRefused) {
  EXPECT_THAT(FilterProblem("country; DROP TABLE people; -- = UA"), HasSubstr("expected ="));
  EXPECT_THAT(FilterProblem("1=1"), HasSubstr("cannot filter on \"1\""));
  EXPECT_THAT(FilterProblem("\"country\" = UA"), HasSubstr("expected a field name"));
}

TEST(ParseFilterTest, NulBytesOutsideQuotesAreRefused) {
  EXPECT_THAT(FilterProblem(std::string("country = UA\0 AND kind = X", 26)),
              HasSubstr("must not hold control"));
  EXPECT_THAT(FilterProblem(std::string("coun\0try = UA", 13)),
              HasSubstr("must not hold control"));
}

TEST(ParseFilterTest, OverlongFilterIsRefusedBeforeParsing) {
  const std::string just_over = absl::StrCat("country = \"", std::string(kMaxFilterLength, 'a'),
                                             "\"");
  EXPECT_THAT(FilterProblem(just_over), HasSubstr(absl::StrCat("at most ", kMaxFilterLength, " characters")));
  const std::string huge(10 << 20, '(');  // 10 MiB of hostile nesting
  EXPECT_THAT(FilterProblem(huge), HasSubstr(absl::StrCat("at most ", kMaxFilterLength, " characters")));
}

TEST(ParseFilterTest, DeepNestingAndQuoteStormsWithinTheLimitFailCleanly) {
  EXPECT_THAT(FilterProblem(std::string(kMaxFilterLength, '(')), HasSubstr("expected a field name"));
  EXPECT_THAT(FilterProblem(std::string(kMaxFilterLength, '"')), HasSubstr("expected a field name"));
  EXPECT_THAT(FilterProblem(absl::StrCat("country = ", std::string(kMaxFilterLength - 10, '"'))),
              HasSubstr("expected AND or OR"));  // "" "" "" ... : one empty value, then junk
  EXPECT_THAT(FilterProblem(absl::StrCat("country = \"", std::string(kMaxFilterLength - 11, '\\'))),
              HasSubstr("unterminated"));
}

TEST(ParseFilterTest, ErrorsDoNotEchoTheWholeFilter) {
  // The description names a position, so a long hostile filter does not
  // come back (in logs or in a trailer) at full length.
  const std::string filter = absl::StrCat("country = ", std::string(2000, 'x'), " OR");
  EXPECT_LT(FilterProblem(filter).size(), 200u);
}

}  // namespace
TEST(ParseFilterTest, OrJoinsAlternativesOfOneFieldAndBindsTighterThanAnd) {
  const std::vector<absl::string_view> fields = {"country", "kind"};
  ASSERT_OK_AND_ASSIGN(std::vector<FilterTerm> terms,
                       ParseFilter("kind = X AND country = UA OR country = \"PL\"", fields));
  EXPECT_THAT(terms, ElementsAre(Term("kind", "X"),
                                 AllOf(Field(&FilterTerm::field, "country"),
                                       Field(&FilterTerm::values,
                                             std::vector<std::string>{"UA", "PL"}))));
}

}  // namespace summit::api
