#include "services/statements/statement_rules.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::statements {
namespace {

using ::summit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

v1::Statement Quote() {
  v1::Statement statement;
  statement.set_kind(v1::Statement::KIND_QUOTE);
  statement.add_speakers("people/zelensky");
  statement.set_session("events/udib-2023/sessions/opening");
  statement.set_title("A new level of our unity");
  v1::StatementBody* en = statement.add_bodies();
  en->set_language_code("en");
  en->set_text("This is a new level of our unity.\nWe thank our partners.");
  en->set_original(true);
  v1::StatementBody* uk = statement.add_bodies();
  uk->set_language_code("uk");
  uk->set_text("Це новий рівень нашої єдності.");
  return statement;
}

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : violations) fields.push_back(violation.field);
  return fields;
}

TEST(ValidateStatementTest, AcceptsAQuoteWithParagraphs) {
  EXPECT_THAT(ValidateStatement(Quote(), "udib-2023", "statement"), IsEmpty());
}

TEST(ValidateStatementTest, NamesEveryBadField) {
  v1::Statement statement = Quote();
  statement.set_title("");
  statement.mutable_bodies(1)->set_original(true);          // two originals
  statement.mutable_bodies(1)->set_language_code("en");      // a second "en"
  statement.add_speakers("people/zelensky");                 // twice
  statement.set_session("events/other/sessions/opening");    // another event
  statement.mutable_embargo_time()->set_seconds(1700000000);
  statement.set_embargo_session("events/udib-2023/sessions/bilateral");  // both embargoes
  EXPECT_THAT(Fields(ValidateStatement(statement, "udib-2023", "statement")),
              UnorderedElementsAre("statement.title", "statement.bodies",
                                   "statement.bodies[1].language_code", "statement.speakers",
                                   "statement.session", "statement.embargo_session"));
}

TEST(ValidateStatementTest, TimesMustBeTimes) {
  v1::Statement statement = Quote();
  statement.mutable_said_time()->set_seconds(1701873600);
  statement.mutable_embargo_time()->set_seconds(1701880000);
  EXPECT_THAT(ValidateStatement(statement, "udib-2023", "s"), IsEmpty());
  statement.mutable_said_time()->set_nanos(1000000000);
  statement.mutable_embargo_time()->set_seconds(-5);
  EXPECT_THAT(Fields(ValidateStatement(statement, "udib-2023", "s")),
              UnorderedElementsAre("s.said_time", "s.embargo_time"));
}

TEST(ValidateStatementTest, RefusesControlCharactersButKeepsLineBreaks) {
  v1::Statement statement = Quote();
  statement.mutable_bodies(0)->set_text("first line\nsecond\tline");
  EXPECT_THAT(ValidateStatement(statement, "udib-2023", "s"), IsEmpty());
  statement.mutable_bodies(0)->set_text(std::string("marker \x01 inside"));
  EXPECT_THAT(Fields(ValidateStatement(statement, "udib-2023", "s")), ElementsAre("s.bodies[0].text"));
}

TEST(ValidateStatementTest, JointStatementsHaveTwoSignatoriesAndNoSpeakers) {
  v1::Statement joint = Quote();
  joint.set_kind(v1::Statement::KIND_JOINT_STATEMENT);
  joint.add_signatories("events/udib-2023/delegations/ukraine");
  EXPECT_THAT(Fields(ValidateStatement(joint, "udib-2023", "s")),
              UnorderedElementsAre("s.speakers", "s.signatories"));
  joint.clear_speakers();
  joint.add_signatories("events/udib-2023/delegations/united-states");
  EXPECT_THAT(ValidateStatement(joint, "udib-2023", "s"), IsEmpty());
  joint.set_signatories(1, "events/kyiv-2023/delegations/united-states");
  EXPECT_THAT(Fields(ValidateStatement(joint, "udib-2023", "s")), ElementsAre("s.signatories[1]"));
}

TEST(ValidateStatementTest, QuotesNeedSpeakersAndPressReleasesNoSignatories) {
  v1::Statement quote = Quote();
  quote.clear_speakers();
  EXPECT_THAT(Fields(ValidateStatement(quote, "udib-2023", "s")), ElementsAre("s.speakers"));
  v1::Statement release = Quote();
  release.set_kind(v1::Statement::KIND_PRESS_RELEASE);
  release.add_signatories("events/udib-2023/delegations/ukraine");
  EXPECT_THAT(Fields(ValidateStatement(release, "udib-2023", "s")), ElementsAre("s.signatories"));
}

TEST(TextHashTest, BindsTheExactTextButNotTheOrderOfLanguages) {
  const v1::Statement statement = Quote();
  const std::string hash = TextHash(statement.title(), statement.bodies());
  EXPECT_EQ(hash.size(), 64u);
  v1::Statement reordered = statement;
  reordered.mutable_bodies()->SwapElements(0, 1);
  EXPECT_EQ(TextHash(reordered.title(), reordered.bodies()), hash);
  v1::Statement edited = statement;
  edited.mutable_bodies(1)->set_text("Це новий рівень нашої єдності!");
  EXPECT_NE(TextHash(edited.title(), edited.bodies()), hash);
  v1::Statement retitled = statement;
  retitled.set_title("A new level of our unity.");
  EXPECT_NE(TextHash(retitled.title(), retitled.bodies()), hash);
  // Moving text between fields is a different text, however it concatenates.
  v1::Statement shifted = statement;
  shifted.set_title("A new level of our unit");
  shifted.mutable_bodies(0)->set_text("y" + statement.bodies(0).text());
  EXPECT_NE(TextHash(shifted.title(), shifted.bodies()), hash);
}

TEST(RequireStateTest, NamesTheStateAndWhatIsAllowed) {
  v1::Statement statement = Quote();
  statement.set_name("events/udib-2023/statements/unity");
  statement.set_state(v1::Statement::STATE_DRAFT);
  EXPECT_OK(RequireState(statement, {v1::Statement::STATE_DRAFT}, "submit"));
  const absl::Status refused = RequireState(
      statement, {v1::Statement::STATE_APPROVED}, "publish");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(refused), "WRONG_STATE");
  EXPECT_EQ(ErrorMetadataOf(refused).at("state"), "STATE_DRAFT");
}

TEST(ApprovalsTest, EverySignatoryMustApproveTheCurrentText) {
  v1::Statement joint;
  joint.add_signatories("events/e/delegations/a");
  joint.add_signatories("events/e/delegations/b");
  joint.set_text_hash("h2");
  EXPECT_FALSE(AllSignatoriesApproved(joint));
  v1::SignatoryApproval* a = joint.add_approvals();
  a->set_delegation("events/e/delegations/a");
  a->set_text_hash("h2");
  v1::SignatoryApproval* b = joint.add_approvals();
  b->set_delegation("events/e/delegations/b");
  b->set_text_hash("h1");  // an older text
  EXPECT_FALSE(AllSignatoriesApproved(joint));
  b->set_text_hash("h2");
  EXPECT_TRUE(AllSignatoriesApproved(joint));
}

TEST(SearchWordsTest, QuotesEveryWordAsAPrefixInAnyScript) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> words,
                       SearchWords("Zelensky «єдність» unity-2023", "query"));
  EXPECT_EQ(Fts5Query(words), "\"Zelensky\"* \"єдність\"* \"unity\"* \"2023\"*");
  EXPECT_EQ(PostgresTsQuery(words), "'Zelensky':* & 'єдність':* & 'unity':* & '2023':*");
}

TEST(SearchWordsTest, NeverPassesSearchSyntaxThrough) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> words,
                       SearchWords("unity\" OR NEAR(a b) * 'x' & !y:*", "query"));
  EXPECT_EQ(Fts5Query(words), "\"unity\"* \"OR\"* \"NEAR\"* \"a\"* \"b\"* \"x\"* \"y\"*");
  EXPECT_EQ(PostgresTsQuery(words),
            "'unity':* & 'OR':* & 'NEAR':* & 'a':* & 'b':* & 'x':* & 'y':*");
  EXPECT_THAT(SearchWords("  ...  ", "query"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(SearchWords("", "query"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(SearchWords(std::string(201, 'a'), "query"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SearchWordsTest, NothingTheDatabaseFoldsIntoTsquerySyntaxStaysInALexeme) {
  // PostgreSQL's unaccent folds these into ' \ 'n ! & | ( ) : * < > — after the tsquery is built.
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> words,
                       SearchWords("a＇b ʼc ＼d ∖e ŉf ！＆｜（）：＊＜＞ ×g Зеленськ ﬀ", "query"));
  EXPECT_EQ(PostgresTsQuery(words),
            "'a':* & 'b':* & 'c':* & 'd':* & 'e':* & 'f':* & 'g':* & 'Зеленськ':*");
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> only_symbols, SearchWords("＇＇", "query"));
  EXPECT_EQ(PostgresTsQuery(only_symbols), "");
}

TEST(SnippetTest, HighlightsEveryWordStartingWithAQueryWordInAnyCaseOrScript) {
  const v1::Snippet snippet = MakeSnippet("uk", "Це новий рівень нашої Єдності.", {"єдн"});
  EXPECT_EQ(snippet.language_code(), "uk");
  ASSERT_EQ(snippet.parts_size(), 3);
  EXPECT_EQ(snippet.parts(0).text(), "…новий рівень нашої ");  // three words before
  EXPECT_FALSE(snippet.parts(0).highlighted());
  EXPECT_EQ(snippet.parts(1).text(), "Єдності");
  EXPECT_TRUE(snippet.parts(1).highlighted());
  EXPECT_EQ(snippet.parts(2).text(), ".");
  const v1::Snippet latin = MakeSnippet("en", "Défense and DEFENCE, defended.", {"defen"});
  int highlighted = 0;
  for (const auto& part : latin.parts()) highlighted += part.highlighted() ? 1 : 0;
  EXPECT_EQ(highlighted, 3);
  EXPECT_TRUE(MentionsAny("Зеленський сказав", {"зеленськ"}));
  EXPECT_FALSE(MentionsAny("Zelensky said", {"зеленськ"}));
}

TEST(SnippetTest, CutsLongTextsAroundTheFirstMatch) {
  std::string text;
  for (int i = 0; i < 100; ++i) absl::StrAppend(&text, "word", i, " ");
  absl::StrAppend(&text, "unity and more words after it");
  const v1::Snippet snippet = MakeSnippet("en", text, {"unity"}, 8);
  std::string joined;
  for (const auto& part : snippet.parts()) joined += part.text();
  EXPECT_EQ(joined, "…word97 word98 word99 unity and more words after…");
  const v1::Snippet unmatched = MakeSnippet("en", "Short text.", {"nothing"});
  ASSERT_EQ(unmatched.parts_size(), 1);
  EXPECT_EQ(unmatched.parts(0).text(), "Short text.");
}

TEST(SnippetTest, CutsAWordLongerThanASnippetAtACharacter) {
  // Scripts written without spaces make one long "word" of a line.
  std::string line;
  for (int i = 0; i < 1000; ++i) line += "统一";
  for (const std::string& text : {line, "unity " + line, line + " unity"}) {
    const v1::Snippet snippet = MakeSnippet("zh", text, {"unity"});
    std::string joined;
    for (const auto& part : snippet.parts()) joined += part.text();
    EXPECT_TRUE(absl::EndsWith(joined, "…")) << joined.substr(0, 40);
    EXPECT_EQ(api::TextProblem(joined, kMaxSnippetChars + 2, true), "") << joined.substr(0, 40);
    EXPECT_LE(joined.size(), 3 * (kMaxSnippetChars + 2));
  }
}

TEST(SnippetTest, AHighlightCutShorterThanItsWordIsNoLongerHighlighted) {
  // The cut falls one character into the match (found by search_query_fuzzer).
  const std::string text = std::string(kMaxSnippetChars - 2, 'a') + " unity";
  const v1::Snippet snippet = MakeSnippet("en", text, {"unity"});
  for (const auto& part : snippet.parts()) {
    EXPECT_FALSE(part.highlighted() && !MentionsAny(part.text(), {"unity"})) << part.text();
  }
}

TEST(QueryWordsTest, SplitsOnAnythingButLettersAndDigits) {
  EXPECT_THAT(QueryWords("Zelensky, «єдність»; unity-2023"),
              ElementsAre("Zelensky", "єдність", "unity", "2023"));
}

TEST(ResumeTokenTest, RoundTripsAndRefusesForgeries) {
  ASSERT_OK_AND_ASSIGN(int64_t seq, SeqOfResumeToken(ResumeToken(1234)));
  EXPECT_EQ(seq, 1234);
  EXPECT_THAT(SeqOfResumeToken("1234"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(SeqOfResumeToken("feed--5"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(SeqOfResumeToken("feed-12x"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace summit::statements
