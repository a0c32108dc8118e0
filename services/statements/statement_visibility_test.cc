// Tests of the one visibility rule of statements (statement_visibility.h): what each audience
// reads, what the head of a signatory delegation reads besides, and that the rule's two forms —
// MayRead on a statement, VisibleStatementsCondition in a list's query — keep exactly the same
// statements, on a real (SQLite) database with the statements schema.
#include "services/statements/statement_visibility.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/status_matchers.h"
#include "common/storage/database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/statements/statements_schema.h"
#include "services/statements/statements_store.h"

namespace summit::statements {
namespace {

using S = v1::Statement;

constexpr char kUkraine[] = "events/udib-2023/delegations/ukraine";
constexpr char kUnitedStates[] = "events/udib-2023/delegations/united-states";

S Statement(const std::string& id, S::State state, bool embargoed,
            const std::vector<std::string>& signatories) {
  S statement;
  statement.set_name(absl::StrCat("events/udib-2023/statements/", id));
  statement.set_kind(signatories.empty() ? S::KIND_PRESS_RELEASE : S::KIND_JOINT_STATEMENT);
  statement.set_state(state);
  statement.set_embargoed(embargoed);
  for (const std::string& signatory : signatories) statement.add_signatories(signatory);
  statement.set_title(id);
  v1::StatementBody* body = statement.add_bodies();
  body->set_language_code("en");
  body->set_text(absl::StrCat("Text of ", id, "."));
  body->set_original(true);
  return statement;
}

// Every state, embargoed or not, signed by Ukraine, by both, or by nobody.
std::vector<S> EveryKindOfStatement() {
  std::vector<S> statements;
  for (int state = S::STATE_DRAFT; state <= S::STATE_RETRACTED; ++state) {
    if (!S::State_IsValid(state)) continue;
    for (bool embargoed : {false, true}) {
      const std::string at = absl::StrCat(S::State_Name(state), embargoed ? "-embargoed" : "");
      statements.push_back(Statement(at + "-alone", static_cast<S::State>(state), embargoed, {}));
      statements.push_back(
          Statement(at + "-ukraine", static_cast<S::State>(state), embargoed, {kUkraine}));
      statements.push_back(Statement(at + "-both", static_cast<S::State>(state), embargoed,
                                     {kUkraine, kUnitedStates}));
    }
  }
  return statements;
}

std::vector<Reader> EveryReader() {
  return {{Audience::kEverything, ""},
          {Audience::kPress, ""},
          {Audience::kPublic, ""},
          {Audience::kPublic, kUkraine},
          {Audience::kPublic, kUnitedStates},
          {Audience::kPress, kUkraine}};
}

std::string Describe(const Reader& reader) {
  return absl::StrCat("audience ", static_cast<int>(reader.audience), " heading \"", reader.heads,
                      "\"");
}

TEST(StatementVisibilityTest, EachAudienceReadsWhatItMay) {
  EXPECT_EQ(AudienceOf(auth::Principal::Public()), Audience::kPublic);
  EXPECT_EQ(AudienceOf({"people/umerov", auth::Role::kDelegate}), Audience::kPublic);
  EXPECT_EQ(AudienceOf({"people/reporter", auth::Role::kPress}), Audience::kPress);
  EXPECT_EQ(AudienceOf({"people/duty-officer", auth::Role::kOrganizer}), Audience::kEverything);
  EXPECT_EQ(AudienceOf({"services/scheduling", auth::Role::kService}), Audience::kEverything);
  EXPECT_TRUE(MayHeadADelegation({"people/yermak", auth::Role::kDelegate}));
  EXPECT_FALSE(MayHeadADelegation({"people/sam-rivera", auth::Role::kPress}));
  EXPECT_FALSE(MayHeadADelegation(auth::Principal::Public()));

  const Reader everything{Audience::kEverything, ""};
  const Reader press{Audience::kPress, ""};
  const Reader public_reader{Audience::kPublic, ""};
  EXPECT_TRUE(MayRead(everything, Statement("d", S::STATE_DRAFT, false, {})));
  EXPECT_FALSE(MayRead(press, Statement("a", S::STATE_APPROVED, false, {})));
  EXPECT_TRUE(MayRead(press, Statement("e", S::STATE_PUBLISHED, true, {})));
  EXPECT_FALSE(MayRead(public_reader, Statement("e", S::STATE_PUBLISHED, true, {})));
  EXPECT_TRUE(MayRead(public_reader, Statement("p", S::STATE_PUBLISHED, false, {})));
  EXPECT_TRUE(MayRead(public_reader, Statement("r", S::STATE_RETRACTED, false, {})));
  EXPECT_FALSE(IsPublicVisible(Statement("e", S::STATE_PUBLISHED, true, {})));
  EXPECT_TRUE(IsPublicVisible(Statement("p", S::STATE_PUBLISHED, false, {})));
  EXPECT_TRUE(FeedShowsEmbargoed(Audience::kPress));
  EXPECT_FALSE(FeedShowsEmbargoed(Audience::kPublic));
}

// Before publication a signatory's head reads the statement and all its revisions; after it,
// what everyone of their audience reads. A head of another delegation reads nothing more.
TEST(StatementVisibilityTest, ASignatorysHeadReadsWhatTheyAreAskedToApprove) {
  const Reader head_of_us{Audience::kPublic, kUnitedStates};
  for (S::State state : {S::STATE_DRAFT, S::STATE_IN_REVIEW, S::STATE_APPROVED}) {
    const S both = Statement("both", state, false, {kUkraine, kUnitedStates});
    EXPECT_TRUE(MayRead(head_of_us, both)) << S::State_Name(state);
    EXPECT_TRUE(MayReadUnpublishedRevisions(head_of_us, both)) << S::State_Name(state);
    const S ukraine_only = Statement("ukraine", state, false, {kUkraine});
    EXPECT_FALSE(MayRead(head_of_us, ukraine_only)) << S::State_Name(state);
    EXPECT_FALSE(MayReadUnpublishedRevisions(head_of_us, ukraine_only));
  }
  const S embargoed = Statement("both", S::STATE_PUBLISHED, true, {kUkraine, kUnitedStates});
  EXPECT_FALSE(MayRead(head_of_us, embargoed)) << "a head is no press";
  EXPECT_FALSE(MayReadUnpublishedRevisions(head_of_us, embargoed));
  const S published = Statement("both", S::STATE_PUBLISHED, false, {kUkraine, kUnitedStates});
  EXPECT_TRUE(MayRead(head_of_us, published));
  EXPECT_FALSE(MayReadUnpublishedRevisions(head_of_us, published));
  EXPECT_TRUE(MayReadUnpublishedRevisions({Audience::kEverything, ""}, published));
}

// The rule's two forms agree: for every reader, the statements a list's query keeps are
// exactly those MayRead keeps, among statements of every state, embargo and signatories.
TEST(StatementVisibilityTest, TheListConditionKeepsExactlyWhatMayReadKeeps) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Database> database,
                       storage::Database::Open("sqlite://:memory:"));
  ASSERT_OK(database->ApplyMigrations(StatementsMigrations()).status());
  const std::vector<S> statements = EveryKindOfStatement();
  ASSERT_OK(database->Write([&](storage::Transaction& tx) -> absl::Status {
    StatementsStore store(tx);
    for (const S& statement : statements) {
      const std::string id = statement.name().substr(statement.name().rfind('/') + 1);
      v1::StatementRevision revision;
      revision.set_revision_id("1");
      RETURN_IF_ERROR(store.Insert("udib-2023", id, statement, revision));
    }
    return absl::OkStatus();
  }));
  for (const Reader& reader : EveryReader()) {
    std::set<std::string> expected;
    for (const S& statement : statements) {
      if (MayRead(reader, statement)) expected.insert(statement.name());
    }
    std::vector<storage::ListCondition> conditions;
    if (auto visible = VisibleStatementsCondition(reader, "t")) conditions.push_back(*visible);
    std::vector<S> listed;
    ASSERT_OK(database->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(listed, StatementsStore(tx).List("udib-2023", conditions, "", 1000));
      return absl::OkStatus();
    }));
    std::set<std::string> kept;
    for (const S& statement : listed) kept.insert(statement.name());
    EXPECT_EQ(kept, expected) << Describe(reader);
    EXPECT_FALSE(expected.empty()) << Describe(reader);
  }
}

// Statements made before the signatories were indexed are indexed once, then never again.
TEST(StatementVisibilityTest, SignatoriesOfEarlierStatementsAreIndexedOnce) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Database> database,
                       storage::Database::Open("sqlite://:memory:"));
  std::vector<storage::Migration> before_the_index = StatementsMigrations();
  before_the_index.resize(2);
  ASSERT_OK(database->ApplyMigrations(before_the_index).status());
  const S joint = Statement("joint", S::STATE_IN_REVIEW, false, {kUkraine, kUnitedStates});
  ASSERT_OK(database->Write([&](storage::Transaction& tx) -> absl::Status {
    // As the code before the index wrote it: the statement row alone, signatories in its data.
    return tx
        .Execute(
            "INSERT INTO statements (event_id, id, kind, state, session, data) VALUES "
            "(?, ?, ?, ?, '', ?)",
            {"udib-2023", "joint", int64_t{joint.kind()}, int64_t{joint.state()},
             storage::Blob{joint.SerializeAsString()}})
        .status();
  }));
  ASSERT_OK(database->ApplyMigrations(StatementsMigrations()).status());
  const Reader head_of_us{Audience::kPublic, kUnitedStates};
  const auto listed = [&] {
    std::vector<S> found;
    std::vector<storage::ListCondition> conditions = {*VisibleStatementsCondition(head_of_us, "t")};
    EXPECT_OK(database->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(found, StatementsStore(tx).List("udib-2023", conditions, "", 1000));
      return absl::OkStatus();
    }));
    return found.size();
  };
  EXPECT_EQ(listed(), 0u) << "not indexed yet";
  ASSERT_OK(IndexEarlierSignatories(*database));
  EXPECT_EQ(listed(), 1u);
  ASSERT_OK(IndexEarlierSignatories(*database));  // nothing left to do
  EXPECT_EQ(listed(), 1u);
}

}  // namespace
}  // namespace summit::statements
