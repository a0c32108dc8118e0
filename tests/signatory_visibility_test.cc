// The heads of a statement's signatory delegations read it before publication — what they are
// asked to approve — and every way of reading statements agrees: GetStatement, ListStatements
// (with and without a filter), SearchStatements, ListStatementRevisions and the gateway's
// delegation briefing, directly and through the gateway (gRPC and HTTP/JSON), on SQLite and on
// PostgreSQL, against the four real processes loaded with the demo, whose joint statement of
// Ukraine and the United States awaits the United States' approval. A member who heads nothing
// reads none of it, and pages hold exactly what their reader may read.
//
// Waits are bounded (kCallPatience) and are not measurements.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/gateway/v1/gateway_service.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/rpc_status.h"
#include "tests/support/shared_suite_test.h"
#include "tests/support/suite.h"
#include "tests/support/ways_in.h"

namespace summit {
namespace {

namespace gv1 = gateway::v1;
namespace tv1 = statements::v1;
using ::summit::testing::CallAs;
using ::summit::testing::CallerAndWay;
using ::summit::testing::ContextAs;
using ::summit::testing::kWaysIn;
using ::summit::testing::RpcCode;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::SuiteOptions;
using ::summit::testing::WayIn;
using ::testing::Contains;
using ::testing::Not;

constexpr char kEvent[] = "events/udib-2023";
constexpr char kJoint[] = "events/udib-2023/statements/joint-statement-co-production";
constexpr char kUkraine[] = "events/udib-2023/delegations/ukraine";
constexpr char kUnitedStates[] = "events/udib-2023/delegations/united-states";
constexpr char kUkrainesOwn[] = "events/udib-2023/statements/signatory-visibility-ukraine";

const auth::Principal kOrganizer{"people/duty-officer", auth::Role::kOrganizer};
// The head of the United States' delegation, which has not approved the joint statement yet.
const auth::Principal kHeadOfUs{"people/casey-morgan", auth::Role::kDelegate};
// The head of Ukraine's, which has.
const auth::Principal kHeadOfUkraine{"people/yermak", auth::Role::kDelegate};
// A member of Ukraine's delegation who heads nothing.
const auth::Principal kMember{"people/umerov", auth::Role::kDelegate};

template <typename Statements>
std::vector<std::string> NamesOf(const Statements& statements) {
  std::vector<std::string> names;
  for (const auto& statement : statements) names.push_back(statement.name());
  return names;
}

class SignatoryVisibilityTest : public testing::SharedSuiteTest<SignatoryVisibilityTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "signatory-visibility";
    return options;
  }

  // A communiqué of Ukraine alone, in draft: its head reads it, the United States' does not.
  static absl::Status Prepare(testing::Suite& suite) {
    tv1::CreateStatementRequest create;
    create.set_parent(kEvent);
    create.set_statement_id("signatory-visibility-ukraine");
    tv1::Statement* statement = create.mutable_statement();
    statement->set_kind(tv1::Statement::KIND_COMMUNIQUE);
    statement->add_signatories(kUkraine);
    statement->set_title("Communiqué on drone co-production (draft)");
    tv1::StatementBody* body = statement->add_bodies();
    body->set_language_code("en");
    body->set_text("Ukraine will co-produce drone components with its partners.");
    body->set_original(true);
    auto stub = tv1::StatementsService::NewStub(suite.Channel(Server::kStatements));
    tv1::Statement created;
    const grpc::Status status =
        stub->CreateStatement(ContextAs(suite, kOrganizer).get(), create, &created);
    if (!status.ok()) return absl::InternalError("CreateStatement: " + status.error_message());
    return absl::OkStatus();
  }

 protected:
  static grpc::Status Call(WayIn way, absl::string_view method,
                           const google::protobuf::Message& request, const auth::Principal& caller,
                           google::protobuf::Message* response) {
    return CallAs(suite(), way, method, request, caller, response);
  }

  // Every statement `caller` lists, page by page (`page_size` a page), and how many pages.
  static std::vector<std::string> ListAll(WayIn way, const auth::Principal& caller,
                                          const std::string& filter, int page_size,
                                          int* pages = nullptr) {
    std::vector<std::string> names;
    tv1::ListStatementsRequest list;
    list.set_parent(kEvent);
    list.set_filter(filter);
    list.set_page_size(page_size);
    int count = 0;
    do {
      tv1::ListStatementsResponse page;
      const grpc::Status status =
          Call(way, "summit.statements.v1.StatementsService.ListStatements", list, caller, &page);
      EXPECT_THAT(status, RpcOk()) << CallerAndWay(caller, way);
      if (!status.ok()) break;
      ++count;
      for (const std::string& name : NamesOf(page.statements())) names.push_back(name);
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty() && count < 1000);
    if (pages != nullptr) *pages = count;
    return names;
  }

  static grpc::Status Get(WayIn way, const auth::Principal& caller, const std::string& name,
                          tv1::Statement* read) {
    tv1::GetStatementRequest get;
    get.set_name(name);
    return Call(way, "summit.statements.v1.StatementsService.GetStatement", get, caller, read);
  }

  // The delegation's briefing as `caller` sees it (the gateway's view, by any way in).
  static gv1::DelegationBriefing Briefing(WayIn way, const auth::Principal& caller,
                                          const std::string& delegation) {
    gv1::GetDelegationBriefingRequest request;
    request.set_delegation(delegation);
    gv1::DelegationBriefing briefing;
    EXPECT_THAT(Call(way, "summit.gateway.v1.GatewayService.GetDelegationBriefing", request, caller,
                     &briefing),
                RpcOk())
        << CallerAndWay(caller, way);
    EXPECT_FALSE(briefing.has_statements_error()) << CallerAndWay(caller, way);
    return briefing;
  }

  static std::vector<std::string> Search(WayIn way, const auth::Principal& caller,
                                         const std::string& query) {
    tv1::SearchStatementsRequest search;
    search.set_parent(kEvent);
    search.set_query(query);
    search.set_page_size(100);
    tv1::SearchStatementsResponse found;
    EXPECT_THAT(Call(way, "summit.statements.v1.StatementsService.SearchStatements", search, caller,
                     &found),
                RpcOk())
        << CallerAndWay(caller, way);
    std::vector<std::string> names;
    for (const tv1::SearchResult& result : found.results()) {
      names.push_back(result.statement().name());
    }
    return names;
  }
};

// What the United States' head is asked to approve is in every way they read statements.
TEST_F(SignatoryVisibilityTest, AHeadFindsWhatAwaitsTheirApprovalEveryWay) {
  for (const WayIn way : kWaysIn) {
    const std::string who = CallerAndWay(kHeadOfUs, way);
    tv1::Statement read;
    ASSERT_THAT(Get(way, kHeadOfUs, kJoint, &read), RpcOk()) << who;
    EXPECT_EQ(read.state(), tv1::Statement::STATE_IN_REVIEW);
    EXPECT_THAT(ListAll(way, kHeadOfUs, "", 100), Contains(kJoint)) << who;
    EXPECT_THAT(ListAll(way, kHeadOfUs, "state = STATE_IN_REVIEW", 100), Contains(kJoint)) << who;
    EXPECT_THAT(ListAll(way, kHeadOfUs, "kind = KIND_JOINT_STATEMENT", 100), Contains(kJoint))
        << who;
    EXPECT_THAT(Search(way, kHeadOfUs, "co-production"), Contains(kJoint)) << who;

    tv1::ListStatementRevisionsRequest revisions;
    revisions.set_name(kJoint);
    tv1::ListStatementRevisionsResponse history;
    ASSERT_THAT(Call(way, "summit.statements.v1.StatementsService.ListStatementRevisions",
                     revisions, kHeadOfUs, &history),
                RpcOk())
        << who;
    ASSERT_FALSE(history.revisions().empty()) << who;
    EXPECT_EQ(history.revisions(history.revisions_size() - 1).text_hash(), read.text_hash());

    EXPECT_THAT(NamesOf(Briefing(way, kHeadOfUs, kUnitedStates).pending_approvals()),
                Contains(kJoint))
        << who;
  }
}

// Ukraine's head approved the joint statement: it no longer waits for them, yet they still
// read it, and their own delegation's draft; the United States' head does not read that draft.
TEST_F(SignatoryVisibilityTest, EachHeadReadsTheirOwnDelegationsStatementsOnly) {
  for (const WayIn way : kWaysIn) {
    const std::string who = CallerAndWay(kHeadOfUkraine, way);
    EXPECT_THAT(ListAll(way, kHeadOfUkraine, "", 100), Contains(kJoint)) << who;
    EXPECT_THAT(ListAll(way, kHeadOfUkraine, "state = STATE_DRAFT", 100), Contains(kUkrainesOwn))
        << who;
    EXPECT_THAT(Search(way, kHeadOfUkraine, "drone components"), Contains(kUkrainesOwn)) << who;
    EXPECT_THAT(NamesOf(Briefing(way, kHeadOfUkraine, kUkraine).pending_approvals()),
                Not(Contains(kJoint)))
        << who;

    const std::string other = CallerAndWay(kHeadOfUs, way);
    EXPECT_THAT(ListAll(way, kHeadOfUs, "", 100), Not(Contains(kUkrainesOwn))) << other;
    EXPECT_THAT(Search(way, kHeadOfUs, "drone components"), Not(Contains(kUkrainesOwn))) << other;
    tv1::Statement read;
    EXPECT_THAT(Get(way, kHeadOfUs, kUkrainesOwn, &read), RpcCode(grpc::StatusCode::NOT_FOUND))
        << other;
  }
}

// A member who heads nothing, the public and the press read neither unpublished statement, in
// any way; and a list read one item a page holds exactly what it holds in one page, so neither
// a page nor a page token stands for a statement its reader may not read.
TEST_F(SignatoryVisibilityTest, OthersReadNoneOfItAndPagesHoldOnlyWhatTheirReaderMayRead) {
  const std::vector<auth::Principal> others = {
      kMember, auth::Principal::Public(), {"people/sam-rivera", auth::Role::kPress}};
  for (const WayIn way : kWaysIn) {
    for (const auth::Principal& caller : others) {
      const std::string who = CallerAndWay(caller, way);
      const std::vector<std::string> listed = ListAll(way, caller, "", 100);
      EXPECT_THAT(listed, Not(Contains(kJoint))) << who;
      EXPECT_THAT(listed, Not(Contains(kUkrainesOwn))) << who;
      EXPECT_THAT(Search(way, caller, "co-production"), Not(Contains(kJoint))) << who;
      tv1::GetStatementRequest get;
      get.set_name(kJoint);
      tv1::Statement read;
      EXPECT_THAT(
          Call(way, "summit.statements.v1.StatementsService.GetStatement", get, caller, &read),
          RpcCode(grpc::StatusCode::NOT_FOUND))
          << who;
    }
    for (const auth::Principal& caller :
         {kMember, auth::Principal::Public(), kHeadOfUs, kHeadOfUkraine, kOrganizer}) {
      const std::string who = CallerAndWay(caller, way);
      const std::vector<std::string> whole = ListAll(way, caller, "", 1000);
      int pages = 0;
      EXPECT_EQ(ListAll(way, caller, "", 1, &pages), whole) << who;
      // One statement a page, and a last page that may be empty: never a page for a hidden one.
      EXPECT_LE(pages, static_cast<int>(whole.size()) + 1) << who;
    }
  }
}

}  // namespace
}  // namespace summit
