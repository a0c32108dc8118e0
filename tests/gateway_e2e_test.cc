// End-to-end tests of summit-gateway: the four real binaries as child processes (Registry,
// Scheduling and Statements on fresh databases, and the gateway in front of them;
// tests/support/suite.h), loaded with the demo by the real `summitctl demo load`, called over real
// gRPC with the generated stubs and over real HTTP/1.1 with a small blocking client
// (tests/support/http_client.h, POSIX sockets to 127.0.0.1).
//
// What they prove, over the wire:
// - every service's representative RPCs over HTTP/JSON answer exactly what the same call over
//   gRPC answers (the JSON parsed back into the generated message and compared field by field),
//   and each class of error comes back as the right HTTP status with a google.rpc.Status body;
// - the statements feed as Server-Sent Events (ids are resume tokens; Last-Event-ID resumes
//   exactly after the last event seen) and as newline-delimited JSON;
// - the three aggregated views are complete, over gRPC and, identically, over HTTP;
// - a backend that is hung (SIGSTOP) or gone (killed) costs its sections only, and the view still
//   answers within its deadline; only the core resource's backend fails the whole call;
// - the public never sees an embargoed statement, a private session or a contact detail through
//   the gateway;
// - thousands of malformed HTTP requests (fixed seed) each get a 4xx (or a closed connection when
//   they are not HTTP), never a 5xx; no malformed body reaches Statements and nothing is
//   written; the gateway stays up.
//
// Waits are bounded (kPatience, bounded polling loops) and are not measurements. A view's
// answer under a failed backend must come inside its deadline: over gRPC the client's own
// deadline holds it to that (an answer too late is DEADLINE_EXCEEDED, not OK); over HTTP the
// answer must come well before twice the deadline.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/gateway/v1/gateway_service.grpc.pb.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/reflection_client.h"
#include "tests/support/rpc_status.h"
#include "tests/support/suite.h"

namespace summit::gateway {
namespace {

namespace rv1 = ::summit::registry::v1;
namespace sv1 = ::summit::scheduling::v1;
namespace tv1 = ::summit::statements::v1;
namespace gv1 = ::summit::gateway::v1;
using auth::Principal;
using auth::Role;
using ::summit::testing::ChildProcess;
using ::summit::testing::Describe;
using ::summit::testing::ErrorBody;
using ::summit::testing::Escape;
using ::summit::testing::Exchange;
using ::summit::testing::Headers;
using ::summit::testing::Http;
using ::summit::testing::HttpConnection;
using ::summit::testing::HttpResponse;
using ::summit::testing::HttpStream;
using ::summit::testing::IsHttpError;
using ::summit::testing::kPatience;
using ::summit::testing::ParseJson;
using ::summit::testing::RequestBytes;
using ::summit::testing::RpcCode;
using ::summit::testing::RpcOk;
using ::summit::testing::SameAsGrpc;
using ::summit::testing::Server;
using ::summit::testing::ServerName;
using ::summit::testing::SseEvent;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;
using ::summit::testing::ToJson;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;
using Code = grpc::StatusCode;
using RegistryStub = rv1::RegistryService::Stub;
using SchedulingStub = sv1::SchedulingService::Stub;
using StatementsStub = tv1::StatementsService::Stub;
using GatewayStub = gv1::GatewayService::Stub;

// The deadline of a view called while a backend is down. The gateway keeps a fifth of it to
// assemble and send what it has (gateway/views/fan_out.h); with 1 s that was 200 ms, which a
// machine at load average 20 did not always give it. What is checked — a hung backend costs its
// section, not the view — holds at any deadline; 4 s leaves 800 ms for the assembly.
constexpr absl::Duration kViewDeadline = absl::Seconds(4);
// How long the gateway under test reuses an event and the organizations (its
// --view_facts_max_age; the contract allows up to 5 s).
constexpr absl::Duration kViewFactsAge = absl::Seconds(1);

constexpr char kEventId[] = "udib-2023";
constexpr char kEvent[] = "events/udib-2023";
constexpr char kUkraine[] = "events/udib-2023/delegations/ukraine";
constexpr char kUnitedStates[] = "events/udib-2023/delegations/united-states";
constexpr char kJointStatement[] = "events/udib-2023/statements/joint-statement-co-production";

std::string StatementName(absl::string_view id) {
  return absl::StrCat(kEvent, "/statements/", id);
}
std::string SessionName(absl::string_view id) { return absl::StrCat(kEvent, "/sessions/", id); }

// ---------------------------------------------------------------------------------------------
// What a view's section errors carry.

// A view's section error: set, and a code of a backend that failed or was too slow.
MATCHER(IsBackendFailure, "is a section error UNAVAILABLE or DEADLINE_EXCEEDED") {
  *result_listener << "which is " << arg.ShortDebugString();
  return arg.code() == static_cast<int>(Code::UNAVAILABLE) ||
         arg.code() == static_cast<int>(Code::DEADLINE_EXCEEDED);
}

MATCHER(IsNoError, "is no section error") {
  *result_listener << "which is " << arg.ShortDebugString();
  return arg.code() == 0 && arg.message().empty() && arg.details_size() == 0;
}

// ---------------------------------------------------------------------------------------------
// Short forms of resources.

tv1::StatementBody Body(const std::string& language, const std::string& text, bool original) {
  tv1::StatementBody body;
  body.set_language_code(language);
  body.set_text(text);
  body.set_original(original);
  return body;
}

// A quote of `speaker` (a person id) at the opening plenary.
tv1::Statement Quote(const std::string& speaker, const std::string& title,
                     const std::string& text) {
  tv1::Statement statement;
  statement.set_kind(tv1::Statement::KIND_QUOTE);
  statement.add_speakers(absl::StrCat("people/", speaker));
  statement.set_session(SessionName("opening-plenary"));
  statement.set_title(title);
  *statement.add_bodies() = Body("en", text, true);
  return statement;
}

const gv1::DelegationSummary* FindDelegation(const gv1::EventOverview& overview,
                                             const std::string& name) {
  for (const auto& summary : overview.delegations()) {
    if (summary.delegation().name() == name) return &summary;
  }
  return nullptr;
}

template <typename Summaries>
const gv1::SessionSummary* FindSession(const Summaries& summaries, const std::string& name) {
  for (const gv1::SessionSummary& summary : summaries) {
    if (summary.session().name() == name) return &summary;
  }
  return nullptr;
}

template <typename Statements>
std::vector<std::string> NamesOf(const Statements& statements) {
  std::vector<std::string> names;
  for (const tv1::Statement& statement : statements) names.push_back(statement.name());
  return names;
}

// ---------------------------------------------------------------------------------------------
// The fixture: the four processes (tests/support/suite.h), started once for the test binary
// with the demo loaded, and stubs for the backends (direct) and the gateway.

struct Stubs {
  explicit Stubs(const Suite& suite)
      : registry(rv1::RegistryService::NewStub(suite.Channel(Server::kRegistry))),
        scheduling(sv1::SchedulingService::NewStub(suite.Channel(Server::kScheduling))),
        statements(tv1::StatementsService::NewStub(suite.Channel(Server::kStatements))),
        gateway(gv1::GatewayService::NewStub(suite.Channel(Server::kGateway))) {}

  std::unique_ptr<RegistryStub> registry;
  std::unique_ptr<SchedulingStub> scheduling;
  std::unique_ptr<StatementsStub> statements;
  std::unique_ptr<GatewayStub> gateway;
};

class GatewayE2eTest : public ::testing::Test {
 public:
  // The processes are started once, by the first test suite that needs them, and stopped after
  // the last (SuiteCleanup).
  static void SetUpTestSuite() {
    if (suite_ != nullptr || !setup_failure_.empty()) return;
    SuiteOptions options;
    options.name = "gateway_e2e";
    options.gateway_flags = {"--cors_origins=https://summit.example.org",
                             absl::StrCat("--view_facts_max_age=", absl::FormatDuration(kViewFactsAge))};
    absl::StatusOr<std::unique_ptr<Suite>> started = Suite::Start(options);
    if (!started.ok()) {
      setup_failure_ = started.status().ToString();
      return;
    }
    suite_ = started->release();
    stubs_ = new Stubs(*suite_);
  }
  static void DeleteSuite() {
    delete stubs_;
    stubs_ = nullptr;
    delete suite_;
    suite_ = nullptr;
  }

 protected:
  void SetUp() override { ASSERT_EQ(suite_ != nullptr, true) << setup_failure_; }

  // A failure after a server died says why it died (a sanitizer's report, an abort message),
  // once.
  void TearDown() override {
    if (!HasFailure() || suite_ == nullptr) return;
    const std::string stopped = suite_->NewlyStoppedServers();
    if (!stopped.empty()) ADD_FAILURE() << stopped;
  }

  static Suite& S() { return *suite_; }
  static int HttpPort() { return suite_->http_port(); }

  // Tokens.
  static std::string Token(const Principal& principal) { return suite_->Token(principal); }
  static std::string Organizer() { return Token({"people/duty-officer", Role::kOrganizer}); }
  static std::string Delegate(const std::string& person) {
    return Token({absl::StrCat("people/", person), Role::kDelegate});
  }
  static std::string Press(const std::string& person) {
    return Token({absl::StrCat("people/", person), Role::kPress});
  }
  static std::string Public() { return ""; }

  // One gRPC call with `token` ("" for none) and a deadline `timeout` from now.
  template <typename Stub, typename Request, typename Response>
  static grpc::Status Call(Stub* stub,
                           grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                        Response*),
                           const std::string& token, const Request& request, Response* response,
                           absl::Duration timeout = kPatience) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return (stub->*method)(&context, request, response);
  }
  template <typename Request, typename Response>
  static grpc::Status R(grpc::Status (RegistryStub::*method)(grpc::ClientContext*,
                                                             const Request&, Response*),
                        const std::string& token, const Request& request, Response* response) {
    return Call(stubs_->registry.get(), method, token, request, response);
  }
  template <typename Request, typename Response>
  static grpc::Status Sc(grpc::Status (SchedulingStub::*method)(grpc::ClientContext*,
                                                                const Request&, Response*),
                         const std::string& token, const Request& request, Response* response) {
    return Call(stubs_->scheduling.get(), method, token, request, response);
  }
  template <typename Request, typename Response>
  static grpc::Status T(grpc::Status (StatementsStub::*method)(grpc::ClientContext*,
                                                               const Request&, Response*),
                        const std::string& token, const Request& request, Response* response) {
    return Call(stubs_->statements.get(), method, token, request, response);
  }
  template <typename Request, typename Response>
  static grpc::Status G(grpc::Status (GatewayStub::*method)(grpc::ClientContext*, const Request&,
                                                            Response*),
                        const std::string& token, const Request& request, Response* response,
                        absl::Duration timeout = kPatience) {
    return Call(stubs_->gateway.get(), method, token, request, response, timeout);
  }

  // ---- Statements, as an organizer over gRPC.

  static grpc::Status CreateStatement(const std::string& id, const tv1::Statement& statement,
                                      tv1::Statement* out, const std::string& request_id = "") {
    tv1::CreateStatementRequest request;
    request.set_parent(kEvent);
    request.set_statement_id(id);
    request.set_request_id(request_id);
    *request.mutable_statement() = statement;
    return T(&StatementsStub::CreateStatement, Organizer(), request, out);
  }

  static tv1::Statement GetStatement(const std::string& name,
                                     const std::string& token = Organizer()) {
    tv1::GetStatementRequest request;
    request.set_name(name);
    tv1::Statement statement;
    EXPECT_THAT(T(&StatementsStub::GetStatement, token, request, &statement), RpcOk()) << name;
    return statement;
  }

  // Creates, submits, approves and publishes a statement; returns it published.
  static tv1::Statement Publish(const std::string& id, const tv1::Statement& draft) {
    tv1::Statement statement;
    EXPECT_THAT(CreateStatement(id, draft, &statement), RpcOk()) << id;
    tv1::SubmitStatementRequest submit;
    submit.set_name(statement.name());
    EXPECT_THAT(T(&StatementsStub::SubmitStatement, Organizer(), submit, &statement), RpcOk());
    tv1::ApproveStatementRequest approve;
    approve.set_name(statement.name());
    approve.set_text_hash(statement.text_hash());
    EXPECT_THAT(T(&StatementsStub::ApproveStatement, Organizer(), approve, &statement), RpcOk());
    tv1::PublishStatementRequest publish;
    publish.set_name(statement.name());
    EXPECT_THAT(T(&StatementsStub::PublishStatement, Organizer(), publish, &statement), RpcOk());
    EXPECT_EQ(statement.state(), tv1::Statement::STATE_PUBLISHED) << statement.ShortDebugString();
    return statement;
  }

  // Every statement `token` may list, all pages, in order.
  static std::vector<tv1::Statement> AllStatements(const std::string& token,
                                                   const std::string& filter = "") {
    std::vector<tv1::Statement> all;
    std::string page_token;
    for (int page = 0; page < 100; ++page) {  // bounded
      tv1::ListStatementsRequest request;
      request.set_parent(kEvent);
      request.set_page_size(1000);
      request.set_page_token(page_token);
      request.set_filter(filter);
      tv1::ListStatementsResponse response;
      const grpc::Status status = T(&StatementsStub::ListStatements, token, request, &response);
      EXPECT_THAT(status, RpcOk());
      if (!status.ok()) break;
      all.insert(all.end(), response.statements().begin(), response.statements().end());
      page_token = response.next_page_token();
      if (page_token.empty()) break;
    }
    return all;
  }

  // ---- The views over gRPC, through the gateway.

  static grpc::Status Overview(const std::string& token, gv1::EventOverview* overview,
                               absl::Duration timeout = kPatience, int day = 6) {
    gv1::GetEventOverviewRequest request;
    request.set_event(kEvent);
    request.mutable_day()->set_year(2023);
    request.mutable_day()->set_month(12);
    request.mutable_day()->set_day(day);
    return G(&GatewayStub::GetEventOverview, token, request, overview, timeout);
  }
  static grpc::Status PersonBriefing(const std::string& token, const std::string& person,
                                     gv1::PersonBriefing* briefing,
                                     absl::Duration timeout = kPatience) {
    gv1::GetPersonBriefingRequest request;
    request.set_person(absl::StrCat("people/", person));
    request.set_event(kEvent);
    return G(&GatewayStub::GetPersonBriefing, token, request, briefing, timeout);
  }
  static grpc::Status DelegationBriefing(const std::string& token, const std::string& delegation,
                                         gv1::DelegationBriefing* briefing,
                                         absl::Duration timeout = kPatience) {
    gv1::GetDelegationBriefingRequest request;
    request.set_delegation(delegation);
    return G(&GatewayStub::GetDelegationBriefing, token, request, briefing, timeout);
  }

  // The same views over HTTP.
  static HttpResponse OverviewOverHttp(const std::string& token, int day = 6) {
    return Http(HttpPort(), "GET",
                absl::StrCat("/v1/events/udib-2023:overview?day.year=2023&day.month=12&day.day=",
                             day),
                token);
  }
  static HttpResponse PersonBriefingOverHttp(const std::string& token, const std::string& person) {
    return Http(HttpPort(), "GET",
                absl::StrCat("/v1/people/", person, ":briefing?event=", Escape(kEvent)), token);
  }
  static HttpResponse DelegationBriefingOverHttp(const std::string& token,
                                                 const std::string& delegation) {
    return Http(HttpPort(), "GET", absl::StrCat("/v1/", delegation, ":briefing"), token);
  }

  // Waits (bounded) until every backend answers through the gateway and each other: the views
  // complete with no section error, and idempotent writes (fixed request ids) that make
  // Scheduling and Statements ask their peers.
  static ::testing::AssertionResult WaitUntilHealthy() {
    std::string last;
    const absl::Time deadline = absl::Now() + kPatience;
    while (absl::Now() < deadline) {
      bool transient = true;
      last = HealthProblem(&transient);
      if (last.empty()) return ::testing::AssertionSuccess();
      if (!transient) break;
      absl::SleepFor(absl::Milliseconds(200));
    }
    return ::testing::AssertionFailure() << "the suite did not recover: " << last;
  }

  // What is not well yet, "" when all is; `*transient` is cleared for a failure that waiting
  // cannot cure.
  static std::string HealthProblem(bool* transient) {
    const absl::Duration timeout = absl::Seconds(5);
    auto cured_by_waiting = [](const grpc::Status& status) {
      return status.error_code() == Code::UNAVAILABLE ||
             status.error_code() == Code::DEADLINE_EXCEEDED;
    };
    gv1::EventOverview overview;
    grpc::Status status = Overview(Organizer(), &overview, timeout);
    if (!status.ok()) return absl::StrCat("overview: ", Describe(status));
    if (overview.has_delegations_error() || overview.has_sessions_error() ||
        overview.has_statements_error()) {
      return absl::StrCat("overview sections: ", overview.delegations_error().ShortDebugString(),
                          overview.sessions_error().ShortDebugString(),
                          overview.statements_error().ShortDebugString());
    }
    gv1::PersonBriefing person;
    status = PersonBriefing(Organizer(), "umerov", &person, timeout);
    if (!status.ok() || person.has_organization_error() || person.has_itinerary_error() ||
        person.has_statements_error()) {
      return absl::StrCat("person briefing: ", Describe(status), person.ShortDebugString());
    }
    gv1::DelegationBriefing delegation;
    status = DelegationBriefing(Organizer(), kUkraine, &delegation, timeout);
    if (!status.ok() || delegation.has_members_error() ||
        delegation.has_open_meeting_requests_error() || delegation.has_statements_error()) {
      return absl::StrCat("delegation briefing: ", Describe(status),
                          delegation.members_error().ShortDebugString(),
                          delegation.statements_error().ShortDebugString());
    }
    // Scheduling → Registry: a session create that asks the Registry first, answered like the
    // first one on every later call (its request id).
    sv1::CreateSessionRequest session;
    session.set_parent(kEvent);
    session.set_session_id("e2e-probe");
    session.set_request_id("e2e-probe-session");
    session.mutable_session()->set_title("Probe: a private debrief");
    session.mutable_session()->set_kind(sv1::Session::KIND_BILATERAL);
    session.mutable_session()->mutable_start_time()->set_seconds(
        absl::ToUnixSeconds(absl::FromCivil(absl::CivilMinute(2023, 12, 7, 20 + 5, 0),
                                            absl::UTCTimeZone())));
    session.mutable_session()->mutable_end_time()->set_seconds(
        session.session().start_time().seconds() + 15 * 60);
    session.mutable_session()->set_room(absl::StrCat(kEvent, "/rooms/table-10"));
    session.mutable_session()->add_participants("people/jordan-avery");
    session.mutable_session()->set_visibility(sv1::Session::VISIBILITY_PRIVATE);
    sv1::Session created_session;
    status = Call(stubs_->scheduling.get(), &SchedulingStub::CreateSession, Organizer(), session,
                  &created_session, timeout);
    if (!status.ok()) {
      *transient = cured_by_waiting(status);
      return absl::StrCat("scheduling → registry: ", Describe(status));
    }
    // Statements → Registry and Scheduling: the same, for a draft naming a speaker and a
    // session.
    tv1::CreateStatementRequest statement;
    statement.set_parent(kEvent);
    statement.set_statement_id("e2e-probe");
    statement.set_request_id("e2e-probe-statement");
    *statement.mutable_statement() = Quote("umerov", "Probe", "A draft that is never published.");
    tv1::Statement created_statement;
    status = Call(stubs_->statements.get(), &StatementsStub::CreateStatement, Organizer(),
                  statement, &created_statement, timeout);
    if (!status.ok()) {
      *transient = cured_by_waiting(status);
      return absl::StrCat("statements → peers: ", Describe(status));
    }
    return "";
  }

  static inline Suite* suite_ = nullptr;
  static inline Stubs* stubs_ = nullptr;
  static inline std::string setup_failure_;
};

class SuiteCleanup : public ::testing::Environment {
 public:
  void TearDown() override { GatewayE2eTest::DeleteSuite(); }
};
::testing::Environment* const kSuiteCleanup =
    ::testing::AddGlobalTestEnvironment(new SuiteCleanup);

// ---------------------------------------------------------------------------------------------
// 0. The gateway's gRPC port says what it serves: server reflection lists every Summit service
// (its own and the three it proxies), health and reflection, and describes each, as
// `grpcurl 127.0.0.1:50050 list` and `describe` need. gRPC's own reflection listed only the
// gateway's service, health and reflection.

TEST_F(GatewayE2eTest, ReflectionOnTheGatewayListsAndDescribesEveryService) {
  const std::shared_ptr<grpc::Channel> channel = suite_->Channel(Server::kGateway);
  const std::vector<std::string> services = testing::ListServicesByReflection(channel);
  const std::vector<std::string> summit_services = {
      "summit.gateway.v1.GatewayService", "summit.registry.v1.RegistryService",
      "summit.scheduling.v1.SchedulingService", "summit.statements.v1.StatementsService"};
  for (const std::string& service : summit_services) {
    EXPECT_THAT(services, ::testing::Contains(service));
  }
  EXPECT_THAT(services, ::testing::Contains("grpc.health.v1.Health"));
  EXPECT_THAT(services, ::testing::Contains("grpc.reflection.v1alpha.ServerReflection"));
  for (const std::string& service : summit_services) {
    const std::vector<std::string> files = testing::FilesDescribing(channel, service);
    // The service's own file first, then what it imports (resources, google.api annotations).
    ASSERT_FALSE(files.empty()) << service;
    EXPECT_THAT(files, ::testing::Contains(::testing::HasSubstr("_service.proto"))) << service;
    EXPECT_THAT(files, ::testing::Contains("google/api/annotations.proto")) << service;
  }
  // A method and a message are symbols too; what the contract lacks is not found.
  EXPECT_FALSE(
      testing::FilesDescribing(channel, "summit.registry.v1.RegistryService.GetPerson").empty());
  EXPECT_FALSE(testing::FilesDescribing(channel, "summit.statements.v1.Statement").empty());
  EXPECT_FALSE(testing::FilesDescribing(channel, "grpc.health.v1.Health").empty());
  EXPECT_TRUE(testing::FilesDescribing(channel, "summit.nothing.v1.Nothing").empty());
}

// ---------------------------------------------------------------------------------------------
// 1. HTTP/JSON equals gRPC, service by service.

TEST_F(GatewayE2eTest, RegistryOverHttpEqualsGrpc) {
  for (const std::string& token : {Organizer(), Public()}) {
    SCOPED_TRACE(token.empty() ? "public" : "organizer");
    {
      rv1::GetPersonRequest request;
      request.set_name("people/jordan-avery");
      rv1::Person person;
      ASSERT_THAT(R(&RegistryStub::GetPerson, token, request, &person), RpcOk());
      EXPECT_EQ(person.display_name(), "Jordan Avery");
      EXPECT_TRUE(SameAsGrpc(Http(HttpPort(), "GET", "/v1/people/jordan-avery", token), person));
    }
    {
      // Two pages of five, the second through the first's token as HTTP gave it.
      rv1::ListPeopleRequest request;
      request.set_page_size(5);
      rv1::ListPeopleResponse first;
      ASSERT_THAT(R(&RegistryStub::ListPeople, token, request, &first), RpcOk());
      EXPECT_EQ(first.people_size(), 5);
      ASSERT_FALSE(first.next_page_token().empty());
      const HttpResponse http_first = Http(HttpPort(), "GET", "/v1/people?pageSize=5", token);
      EXPECT_TRUE(SameAsGrpc(http_first, first));
      rv1::ListPeopleResponse parsed_first;
      ASSERT_TRUE(ParseJson(http_first.body, &parsed_first));
      request.set_page_token(parsed_first.next_page_token());
      rv1::ListPeopleResponse second;
      ASSERT_THAT(R(&RegistryStub::ListPeople, token, request, &second), RpcOk());
      EXPECT_EQ(second.people_size(), 5);
      EXPECT_NE(second.people(0).name(), first.people(0).name());
      EXPECT_TRUE(SameAsGrpc(
          Http(HttpPort(), "GET",
               absl::StrCat("/v1/people?pageSize=5&pageToken=",
                            Escape(parsed_first.next_page_token())),
               token),
          second));
    }
    {
      rv1::SearchPeopleRequest request;
      request.set_query("umerov");
      request.set_page_size(5);
      rv1::SearchPeopleResponse response;
      ASSERT_THAT(R(&RegistryStub::SearchPeople, token, request, &response), RpcOk());
      ASSERT_GE(response.results_size(), 1);
      EXPECT_EQ(response.results(0).person().name(), "people/umerov");
      EXPECT_TRUE(SameAsGrpc(
          Http(HttpPort(), "GET", "/v1/people:search?query=umerov&pageSize=5", token), response));
    }
  }
}

TEST_F(GatewayE2eTest, SchedulingOverHttpEqualsGrpc) {
  for (const std::string& token : {Organizer(), Public()}) {
    SCOPED_TRACE(token.empty() ? "public" : "organizer");
    {
      sv1::ListSessionsRequest request;
      request.set_parent(kEvent);
      request.set_filter("kind = KIND_PLENARY");
      request.set_page_size(100);
      sv1::ListSessionsResponse response;
      ASSERT_THAT(Sc(&SchedulingStub::ListSessions, token, request, &response), RpcOk());
      ASSERT_GE(response.sessions_size(), 1);
      EXPECT_EQ(response.sessions(0).name(), SessionName("opening-plenary"));
      EXPECT_TRUE(SameAsGrpc(
          Http(HttpPort(), "GET",
               absl::StrCat("/v1/events/udib-2023/sessions?filter=", Escape(request.filter()),
                            "&pageSize=100"),
               token),
          response));
    }
    {
      sv1::GetRoomRequest request;
      request.set_name(absl::StrCat(kEvent, "/rooms/plenary-hall"));
      sv1::Room room;
      ASSERT_THAT(Sc(&SchedulingStub::GetRoom, token, request, &room), RpcOk());
      EXPECT_EQ(room.capacity(), 300);
      EXPECT_TRUE(SameAsGrpc(
          Http(HttpPort(), "GET", "/v1/events/udib-2023/rooms/plenary-hall", token), room));
    }
  }
  // The organizer's view of the site visits, private ones included.
  sv1::ListSessionsRequest request;
  request.set_parent(kEvent);
  request.set_filter("kind = KIND_SITE_VISIT AND visibility = VISIBILITY_PRIVATE");
  sv1::ListSessionsResponse response;
  ASSERT_THAT(Sc(&SchedulingStub::ListSessions, Organizer(), request, &response), RpcOk());
  EXPECT_EQ(response.sessions_size(), 5);
  EXPECT_TRUE(SameAsGrpc(Http(HttpPort(), "GET",
                              absl::StrCat("/v1/events/udib-2023/sessions?filter=",
                                           Escape(request.filter())),
                              Organizer()),
                         response));
}

TEST_F(GatewayE2eTest, StatementsOverHttpEqualsGrpc) {
  const std::string organizer = Organizer();
  const std::string name = StatementName("e2e-http-quote");

  // Create: the body is the statement, the id a query parameter.
  const tv1::Statement draft =
      Quote("umerov", "Umerov on air defense", "Air defense is our first priority together.");
  const HttpResponse created =
      Http(HttpPort(), "POST", "/v1/events/udib-2023/statements?statementId=e2e-http-quote",
           organizer, ToJson(draft));
  tv1::Statement stored = GetStatement(name);
  EXPECT_EQ(stored.state(), tv1::Statement::STATE_DRAFT);
  EXPECT_EQ(stored.title(), draft.title());
  EXPECT_EQ(stored.speakers(0), "people/umerov");
  EXPECT_TRUE(SameAsGrpc(created, stored));

  // Get.
  EXPECT_TRUE(SameAsGrpc(Http(HttpPort(), "GET", "/v1/" + name, organizer), stored));

  // Update: PATCH with the mask as a query parameter and the etag in the body.
  tv1::Statement change;
  change.set_title("Umerov: air defense first");
  change.set_etag(stored.etag());
  const HttpResponse updated = Http(HttpPort(), "PATCH", absl::StrCat("/v1/", name, "?updateMask=title"),
                                    organizer, ToJson(change));
  stored = GetStatement(name);
  EXPECT_EQ(stored.title(), "Umerov: air defense first");
  EXPECT_EQ(stored.revision_id(), "2");
  EXPECT_TRUE(SameAsGrpc(updated, stored));

  // A custom method: :submit, the whole request in the body.
  const HttpResponse submitted =
      Http(HttpPort(), "POST", absl::StrCat("/v1/", name, ":submit"), organizer,
           absl::StrCat("{\"etag\":\"", stored.etag(), "\"}"));
  stored = GetStatement(name);
  EXPECT_EQ(stored.state(), tv1::Statement::STATE_IN_REVIEW);
  EXPECT_TRUE(SameAsGrpc(submitted, stored));

  // List with a filter and an order.
  for (const std::string& token : {organizer, Public()}) {
    SCOPED_TRACE(token.empty() ? "public" : "organizer");
    tv1::ListStatementsRequest request;
    request.set_parent(kEvent);
    request.set_filter("speaker = \"people/zelensky\"");
    request.set_order_by("publish_time desc");
    tv1::ListStatementsResponse response;
    ASSERT_THAT(T(&StatementsStub::ListStatements, token, request, &response), RpcOk());
    EXPECT_EQ(response.statements_size(), 2);
    EXPECT_TRUE(SameAsGrpc(
        Http(HttpPort(), "GET",
             absl::StrCat("/v1/events/udib-2023/statements?filter=", Escape(request.filter()),
                          "&orderBy=", Escape(request.order_by())),
             token),
        response));

    // Search.
    tv1::SearchStatementsRequest search;
    search.set_parent(kEvent);
    search.set_query("industrial base");
    tv1::SearchStatementsResponse results;
    ASSERT_THAT(T(&StatementsStub::SearchStatements, token, search, &results), RpcOk());
    std::vector<tv1::Statement> found;
    for (const auto& result : results.results()) found.push_back(result.statement());
    EXPECT_THAT(NamesOf(found), Contains(StatementName("zelensky-new-level-of-unity")));
    EXPECT_TRUE(SameAsGrpc(Http(HttpPort(), "GET",
                                "/v1/events/udib-2023/statements:search?query=industrial+base",
                                token),
                           results));
  }
}

// An error of each class, over HTTP: the status, and a google.rpc.Status body.
TEST_F(GatewayE2eTest, ErrorsOverHttpAreStatusBodies) {
  const std::string organizer = Organizer();
  ErrorBody details;

  // 400 INVALID_ARGUMENT from the backend: a statement without text.
  tv1::Statement empty;
  empty.set_kind(tv1::Statement::KIND_QUOTE);
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "POST",
                               "/v1/events/udib-2023/statements?statementId=e2e-empty", organizer,
                               ToJson(empty)),
                          400, Code::INVALID_ARGUMENT, &details));
  EXPECT_THAT(details.bad_fields, Contains("statement.title"));
  EXPECT_THAT(details.bad_fields, Contains("statement.bodies"));
  // … and from the gateway itself: a parameter of the wrong type, never sent on.
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "GET", "/v1/people?pageSize=many", organizer), 400,
                          Code::INVALID_ARGUMENT, &details));
  EXPECT_THAT(details.bad_fields, Contains("pageSize"));

  // 401: a token that is not one.
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "GET", "/v1/people/umerov", "not-a-token"), 401,
                          Code::UNAUTHENTICATED));
  // … nor one signed with another key.
  EXPECT_TRUE(IsHttpError(
      Http(HttpPort(), "GET", "/v1/people/umerov",
           auth::MintToken({"people/duty-officer", Role::kOrganizer}, absl::Hours(1),
                           std::string(48, 'x'), absl::Now())),
      401, Code::UNAUTHENTICATED));

  // 403: a delegate may not create statements.
  EXPECT_TRUE(IsHttpError(
      Http(HttpPort(), "POST", "/v1/events/udib-2023/statements?statementId=e2e-by-delegate",
           Delegate("umerov"), ToJson(Quote("umerov", "Mine", "I say so."))),
      403, Code::PERMISSION_DENIED));

  // 404.
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "GET", "/v1/events/udib-2023/statements/no-such-thing",
                               organizer),
                          404, Code::NOT_FOUND));

  // 409 ALREADY_EXISTS: the same id twice.
  const std::string body = ToJson(Quote("kamyshin", "Kamyshin on drones", "Drones, at scale."));
  const HttpResponse first = Http(
      HttpPort(), "POST", "/v1/events/udib-2023/statements?statementId=e2e-twice", organizer, body);
  ASSERT_EQ(first.status, 200) << first.Describe();
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "POST",
                               "/v1/events/udib-2023/statements?statementId=e2e-twice", organizer,
                               body),
                          409, Code::ALREADY_EXISTS));

  // 409 ABORTED: an edit with a stale etag.
  tv1::Statement stale;
  ASSERT_TRUE(ParseJson(first.body, &stale));
  tv1::Statement edit;
  edit.set_title("Kamyshin: drones at scale");
  edit.set_etag(stale.etag());
  const HttpResponse edited = Http(
      HttpPort(), "PATCH", "/v1/events/udib-2023/statements/e2e-twice?updateMask=title",
      organizer, ToJson(edit));
  ASSERT_EQ(edited.status, 200) << edited.Describe();
  edit.set_title("Kamyshin: drones, and more drones");
  EXPECT_TRUE(IsHttpError(
      Http(HttpPort(), "PATCH", "/v1/events/udib-2023/statements/e2e-twice?updateMask=title",
           organizer, ToJson(edit)),
      409, Code::ABORTED));

  // 400 FAILED_PRECONDITION: publishing a draft.
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "POST",
                               "/v1/events/udib-2023/statements/e2e-twice:publish", organizer,
                               "{}"),
                          400, Code::FAILED_PRECONDITION, &details));
  EXPECT_EQ(details.reason, "WRONG_STATE");
  EXPECT_EQ(GetStatement(StatementName("e2e-twice")).state(), tv1::Statement::STATE_DRAFT);

  // No such route: 404 (NOT_FOUND), and a route that exists under other methods: 405.
  const HttpResponse unknown = Http(HttpPort(), "GET", "/v1/no/such/route", organizer);
  EXPECT_TRUE(IsHttpError(unknown, 404, Code::NOT_FOUND) ||
              IsHttpError(unknown, 501, Code::UNIMPLEMENTED))
      << unknown.Describe();
  EXPECT_TRUE(
      IsHttpError(Http(HttpPort(), "PUT", "/v1/people/umerov", organizer, "{}"), 405,
                  Code::UNIMPLEMENTED));
}

// ---------------------------------------------------------------------------------------------
// 2. The statements feed over HTTP.

// The statements the public may read now, as the feed must deliver them.
std::set<std::string> PubliclyPublished(const std::vector<tv1::Statement>& statements) {
  std::set<std::string> names;
  for (const tv1::Statement& statement : statements) {
    if (statement.state() == tv1::Statement::STATE_PUBLISHED && !statement.embargoed()) {
      names.insert(statement.name());
    }
  }
  return names;
}

TEST_F(GatewayE2eTest, FeedAsServerSentEventsResumesFromLastEventId) {
  const std::set<std::string> published = PubliclyPublished(AllStatements(Public()));
  ASSERT_GE(published.size(), 3u);  // the demo's three quotes at least

  const std::string target = "/v1/events/udib-2023/statements:watch?fromBeginning=true";
  std::string last_id;
  {
    HttpStream stream(HttpPort(), target, {{"Accept", "text/event-stream"}});
    ASSERT_TRUE(stream.head().answered);
    ASSERT_EQ(stream.head().status, 200);
    EXPECT_EQ(stream.head().Header("content-type"), "text/event-stream");
    // Everything published so far, each event's id its resume token.
    std::set<std::string> seen;
    for (int i = 0; i < 1000 && seen != published; ++i) {  // bounded
      std::optional<SseEvent> event = stream.NextEvent(absl::Now() + kPatience);
      ASSERT_TRUE(event.has_value()) << "seen " << seen.size() << " of " << published.size();
      ASSERT_EQ(event->event, "");
      tv1::StatementEvent parsed;
      ASSERT_TRUE(ParseJson(event->data, &parsed));
      EXPECT_FALSE(event->id.empty());
      EXPECT_EQ(event->id, parsed.resume_token());
      if (parsed.kind() == tv1::StatementEvent::KIND_PUBLISHED) {
        seen.insert(parsed.statement().name());
      }
      last_id = event->id;
    }
    EXPECT_EQ(seen, published);

    // Published while connected: it arrives.
    const tv1::Statement live = Publish(
        "e2e-feed-live", Quote("kamyshin", "Kamyshin: the feed is live", "Said while watched."));
    std::optional<SseEvent> event = stream.NextEvent(absl::Now() + kPatience);
    ASSERT_TRUE(event.has_value());
    tv1::StatementEvent parsed;
    ASSERT_TRUE(ParseJson(event->data, &parsed));
    EXPECT_EQ(parsed.kind(), tv1::StatementEvent::KIND_PUBLISHED);
    EXPECT_EQ(parsed.statement().name(), live.name());
    EXPECT_EQ(event->id, parsed.resume_token());
    last_id = event->id;
  }  // disconnected

  // Published while away.
  const tv1::Statement missed =
      Publish("e2e-feed-missed", Quote("kamyshin", "Kamyshin: said while away", "Missed it?"));

  // Back with the last id seen: exactly the missed event, nothing repeated.
  HttpStream resumed(HttpPort(), "/v1/events/udib-2023/statements:watch",
                     {{"Accept", "text/event-stream"}, {"Last-Event-ID", last_id}});
  ASSERT_TRUE(resumed.head().answered);
  ASSERT_EQ(resumed.head().status, 200);
  std::optional<SseEvent> event = resumed.NextEvent(absl::Now() + kPatience);
  ASSERT_TRUE(event.has_value());
  tv1::StatementEvent parsed;
  ASSERT_TRUE(ParseJson(event->data, &parsed));
  EXPECT_EQ(parsed.statement().name(), missed.name());
  EXPECT_EQ(parsed.kind(), tv1::StatementEvent::KIND_PUBLISHED);
  EXPECT_NE(event->id, last_id);
  // Nothing else is waiting (a bounded wait for something that must not come).
  std::optional<SseEvent> extra = resumed.NextEvent(absl::Now() + absl::Milliseconds(1500));
  EXPECT_FALSE(extra.has_value()) << extra->data;
}

TEST_F(GatewayE2eTest, FeedAsNewlineDelimitedJson) {
  const std::set<std::string> published = PubliclyPublished(AllStatements(Public()));
  HttpStream stream(HttpPort(), "/v1/events/udib-2023/statements:watch?fromBeginning=true",
                    {{"Accept", "application/x-ndjson"}});
  ASSERT_TRUE(stream.head().answered);
  ASSERT_EQ(stream.head().status, 200);
  EXPECT_EQ(stream.head().Header("content-type"), "application/x-ndjson");
  std::set<std::string> seen;
  std::set<std::string> tokens;
  for (int i = 0; i < 1000 && seen != published; ++i) {  // bounded
    std::optional<std::string> line = stream.NextLine(absl::Now() + kPatience);
    ASSERT_TRUE(line.has_value()) << "seen " << seen.size() << " of " << published.size();
    tv1::StatementEvent event;
    ASSERT_TRUE(ParseJson(*line, &event));
    EXPECT_TRUE(tokens.insert(event.resume_token()).second) << "repeated: " << *line;
    if (event.kind() == tv1::StatementEvent::KIND_PUBLISHED) {
      seen.insert(event.statement().name());
    }
  }
  EXPECT_EQ(seen, published);
}

// A feed that cannot start answers with an error status, not a stream.
TEST_F(GatewayE2eTest, FeedErrorsAreStatusBodies) {
  EXPECT_TRUE(IsHttpError(
      Http(HttpPort(), "GET", "/v1/events/no-such-event/statements:watch?fromBeginning=true"), 404,
      Code::NOT_FOUND));
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "GET", "/v1/events/udib-2023/statements:watch",
                               Public(), "", {{"Last-Event-ID", "not-a-token"}}),
                          400, Code::INVALID_ARGUMENT));
}

// ---------------------------------------------------------------------------------------------
// 3. The aggregated views, complete, over gRPC and identically over HTTP.

TEST_F(GatewayE2eTest, EventOverviewIsComplete) {
  gv1::EventOverview overview;
  ASSERT_THAT(Overview(Organizer(), &overview), RpcOk());
  EXPECT_EQ(overview.event().name(), kEvent);
  EXPECT_EQ(overview.event().time_zone(), "America/New_York");
  EXPECT_EQ(overview.day().day(), 6);
  EXPECT_FALSE(overview.has_delegations_error());
  EXPECT_FALSE(overview.has_sessions_error());
  EXPECT_FALSE(overview.has_statements_error());

  // Delegations with their members, the head first, by name and title.
  const gv1::DelegationSummary* ukraine = FindDelegation(overview, kUkraine);
  ASSERT_NE(ukraine, nullptr);
  ASSERT_EQ(ukraine->members_size(), 7);
  EXPECT_EQ(ukraine->members(0).person(), "people/yermak");
  EXPECT_EQ(ukraine->members(0).display_name(), "Andriy Yermak");
  EXPECT_EQ(ukraine->members(0).title(), "Head of the Office of the President of Ukraine");
  EXPECT_EQ(ukraine->members(0).organization_display_name(), "Office of the President of Ukraine");
  for (const gv1::PersonSummary& member : ukraine->members()) {
    EXPECT_FALSE(member.display_name().empty()) << member.person();
    EXPECT_FALSE(member.title().empty()) << member.person();
  }
  ASSERT_NE(FindDelegation(overview, kUnitedStates), nullptr);

  // The day's sessions in Washington's time: the opening plenary at 09:00–10:00 on December 6.
  const gv1::SessionSummary* plenary =
      FindSession(overview.sessions(), SessionName("opening-plenary"));
  ASSERT_NE(plenary, nullptr);
  EXPECT_EQ(plenary->local_start_time().hours(), 9);
  EXPECT_EQ(plenary->local_start_time().minutes(), 0);
  EXPECT_EQ(plenary->local_end_time().hours(), 10);
  EXPECT_EQ(plenary->local_date().year(), 2023);
  EXPECT_EQ(plenary->local_date().month(), 12);
  EXPECT_EQ(plenary->local_date().day(), 6);
  ASSERT_EQ(plenary->participants_size(), 7);
  for (const gv1::PersonSummary& participant : plenary->participants()) {
    EXPECT_FALSE(participant.display_name().empty()) << participant.person();
  }
  const gv1::SessionSummary* pentagon = FindSession(overview.sessions(), SessionName("pentagon"));
  ASSERT_NE(pentagon, nullptr);  // private, and the caller is an organizer
  EXPECT_EQ(pentagon->local_start_time().hours(), 14);
  EXPECT_EQ(pentagon->local_start_time().minutes(), 30);
  // Only that day's, in time order.
  EXPECT_EQ(FindSession(overview.sessions(), SessionName("press-conference")), nullptr);
  for (int i = 0; i < overview.sessions_size(); ++i) {
    EXPECT_EQ(overview.sessions(i).local_date().day(), 6);
    if (i > 0) {
      EXPECT_LE(overview.sessions(i - 1).session().start_time().seconds(),
                overview.sessions(i).session().start_time().seconds());
    }
  }

  // The latest statements, newest first.
  EXPECT_THAT(NamesOf(overview.latest_statements()),
              Contains(StatementName("zelensky-new-level-of-unity")));
  for (int i = 1; i < overview.latest_statements_size(); ++i) {
    EXPECT_GE(overview.latest_statements(i - 1).publish_time().seconds(),
              overview.latest_statements(i).publish_time().seconds());
  }

  // Over HTTP: the same view.
  EXPECT_TRUE(SameAsGrpc(OverviewOverHttp(Organizer()), overview));
  // The public's, too.
  gv1::EventOverview public_overview;
  ASSERT_THAT(Overview(Public(), &public_overview), RpcOk());
  EXPECT_TRUE(SameAsGrpc(OverviewOverHttp(Public()), public_overview));
}

// The overview reuses the event it read for a while (gateway_service.proto states how long):
// a change shows once that age has passed, never later, and a reused event never stands in for
// the Registry's word on the caller.
TEST_F(GatewayE2eTest, EventOverviewShowsAChangedEventOnceItsStatedStalenessHasPassed) {
  gv1::EventOverview before;
  ASSERT_THAT(Overview(Organizer(), &before), RpcOk());  // the event is now a recent answer
  // A token the Registry refuses is refused, the event reused or not.
  gv1::EventOverview refused;
  EXPECT_THAT(Overview("not-a-token", &refused), RpcCode(Code::UNAUTHENTICATED));

  const auto rename = [](const std::string& display_name) {
    rv1::UpdateEventRequest update;
    update.mutable_event()->set_name(kEvent);
    update.mutable_event()->set_display_name(display_name);
    update.mutable_update_mask()->add_paths("display_name");
    rv1::Event updated;
    EXPECT_THAT(R(&RegistryStub::UpdateEvent, Organizer(), update, &updated), RpcOk());
  };
  const std::string renamed = absl::StrCat(before.event().display_name(), " (renamed)");
  rename(renamed);
  // Any answer read before the change is past its age now.
  absl::SleepFor(kViewFactsAge);
  gv1::EventOverview after;
  ASSERT_THAT(Overview(Organizer(), &after), RpcOk());
  EXPECT_EQ(after.event().display_name(), renamed);
  gv1::EventOverview public_after;
  ASSERT_THAT(Overview(Public(), &public_after), RpcOk());
  EXPECT_EQ(public_after.event().display_name(), renamed);

  // Back as it was, and no later test sees the renamed event.
  rename(before.event().display_name());
  absl::SleepFor(kViewFactsAge);
  gv1::EventOverview restored;
  ASSERT_THAT(Overview(Organizer(), &restored), RpcOk());
  EXPECT_EQ(restored.event().display_name(), before.event().display_name());
}

TEST_F(GatewayE2eTest, PersonBriefingIsComplete) {
  gv1::PersonBriefing briefing;
  ASSERT_THAT(PersonBriefing(Organizer(), "umerov", &briefing), RpcOk());
  EXPECT_EQ(briefing.person().display_name(), "Rustem Umerov");
  EXPECT_EQ(briefing.organization().name(), "organizations/ua-mod");
  EXPECT_EQ(briefing.organization().display_name(), "Ministry of Defence of Ukraine");
  EXPECT_FALSE(briefing.has_organization_error());
  EXPECT_FALSE(briefing.has_itinerary_error());
  EXPECT_FALSE(briefing.has_statements_error());

  // The itinerary, each session with its counterparts by name (never the person themself).
  for (const char* id : {"opening-plenary", "white-house", "pentagon", "press-conference"}) {
    EXPECT_NE(FindSession(briefing.itinerary(), SessionName(id)), nullptr) << id;
  }
  const gv1::SessionSummary* pentagon = FindSession(briefing.itinerary(), SessionName("pentagon"));
  ASSERT_NE(pentagon, nullptr);
  ASSERT_EQ(pentagon->participants_size(), 1);
  EXPECT_EQ(pentagon->participants(0).person(), "people/kamyshin");
  EXPECT_EQ(pentagon->participants(0).display_name(), "Oleksandr Kamyshin");
  EXPECT_EQ(pentagon->participants(0).title(), "Minister of Strategic Industries of Ukraine");
  EXPECT_EQ(pentagon->local_start_time().hours(), 14);
  for (const gv1::SessionSummary& entry : briefing.itinerary()) {
    for (const gv1::PersonSummary& counterpart : entry.participants()) {
      EXPECT_NE(counterpart.person(), "people/umerov");
      EXPECT_FALSE(counterpart.display_name().empty()) << counterpart.person();
    }
  }
  EXPECT_TRUE(SameAsGrpc(PersonBriefingOverHttp(Organizer(), "umerov"), briefing));

  // Someone with statements: Markarova said one at the press conference.
  gv1::PersonBriefing markarova;
  ASSERT_THAT(PersonBriefing(Public(), "markarova", &markarova), RpcOk());
  EXPECT_THAT(NamesOf(markarova.statements()),
              Contains(StatementName("markarova-unprecedented-format")));
  EXPECT_TRUE(SameAsGrpc(PersonBriefingOverHttp(Public(), "markarova"), markarova));
}

TEST_F(GatewayE2eTest, DelegationBriefingIsComplete) {
  gv1::DelegationBriefing briefing;
  ASSERT_THAT(DelegationBriefing(Organizer(), kUkraine, &briefing), RpcOk());
  EXPECT_EQ(briefing.delegation().name(), kUkraine);
  EXPECT_FALSE(briefing.has_members_error());
  EXPECT_FALSE(briefing.has_open_meeting_requests_error());
  EXPECT_FALSE(briefing.has_statements_error());
  ASSERT_EQ(briefing.members_size(), 7);
  EXPECT_EQ(briefing.members(0).member().display_name(), "Andriy Yermak");
  for (const gv1::MemberBriefing& member : briefing.members()) {
    EXPECT_FALSE(member.member().display_name().empty()) << member.member().person();
    EXPECT_FALSE(member.meetings().empty()) << member.member().person();
  }
  const gv1::MemberBriefing& umerov = briefing.members(1);
  EXPECT_EQ(umerov.member().person(), "people/umerov");
  EXPECT_NE(FindSession(umerov.meetings(), SessionName("opening-plenary")), nullptr);
  EXPECT_NE(FindSession(umerov.meetings(), SessionName("pentagon")), nullptr);
  EXPECT_EQ(FindSession(umerov.meetings(), SessionName("congress")), nullptr);
  // What its members said.
  EXPECT_THAT(NamesOf(briefing.statements()),
              Contains(StatementName("markarova-unprecedented-format")));
  // Ukraine approved the joint statement already: nothing waits for it.
  EXPECT_THAT(NamesOf(briefing.pending_approvals()), Not(Contains(kJointStatement)));
  EXPECT_TRUE(SameAsGrpc(DelegationBriefingOverHttp(Organizer(), kUkraine), briefing));

  // The United States has not: the joint statement waits for its approval.
  gv1::DelegationBriefing united_states;
  ASSERT_THAT(DelegationBriefing(Organizer(), kUnitedStates, &united_states), RpcOk());
  EXPECT_THAT(NamesOf(united_states.pending_approvals()), Contains(kJointStatement));
  EXPECT_EQ(united_states.members_size(), 1);
  EXPECT_EQ(united_states.members(0).member().display_name(), "Casey Morgan");
  EXPECT_TRUE(SameAsGrpc(DelegationBriefingOverHttp(Organizer(), kUnitedStates), united_states));
}

// ---------------------------------------------------------------------------------------------
// 5. What the public sees through the gateway: no embargoed statement, no private session, no
// contact detail.

TEST_F(GatewayE2eTest, PublicSeesNoEmbargoedStatementPrivateSessionOrContactDetail) {
  // A statement published under embargo for another hour, then a sentinel published without.
  tv1::Statement embargoed_draft =
      Quote("umerov", "Umerov: under embargo", "Embargoed words about zeppelins.");
  embargoed_draft.mutable_embargo_time()->set_seconds(
      absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  const tv1::Statement embargoed = Publish("e2e-embargoed", embargoed_draft);
  ASSERT_TRUE(embargoed.embargoed());
  const tv1::Statement sentinel =
      Publish("e2e-after-embargo", Quote("umerov", "Umerov: open words", "Open words."));
  const std::string path = absl::StrCat("/v1/", embargoed.name());

  // The organizer and the press read it: the checks below are not vacuous.
  EXPECT_EQ(Http(HttpPort(), "GET", path, Organizer()).status, 200);
  EXPECT_EQ(Http(HttpPort(), "GET", path, Press("sam-rivera")).status, 200);

  // The public: NOT_FOUND, and nowhere in a list, a search, the feed or a view.
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "GET", path), 404, Code::NOT_FOUND));
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "GET", path, Delegate("umerov")), 404,
                          Code::NOT_FOUND));
  std::vector<std::pair<std::string, HttpResponse>> answers = {
      {"list", Http(HttpPort(), "GET", "/v1/events/udib-2023/statements?pageSize=1000")},
      {"list by speaker",
       Http(HttpPort(), "GET",
            "/v1/events/udib-2023/statements?filter=" + Escape("speaker = \"people/umerov\""))},
      {"search", Http(HttpPort(), "GET", "/v1/events/udib-2023/statements:search?query=zeppelins")},
      {"overview", OverviewOverHttp(Public())},
      {"overview of day 2", OverviewOverHttp(Public(), 7)},
      {"person briefing", PersonBriefingOverHttp(Public(), "umerov")},
      {"delegation briefing", DelegationBriefingOverHttp(Public(), kUkraine)},
  };
  for (const auto& [what, answer] : answers) {
    EXPECT_EQ(answer.status, 200) << what << ": " << answer.Describe();
    EXPECT_FALSE(absl::StrContains(answer.body, "e2e-embargoed")) << what;
    EXPECT_FALSE(absl::StrContains(answer.body, "zeppelins")) << what;
  }
  EXPECT_TRUE(absl::StrContains(answers[0].second.body, sentinel.name()));
  // The feed, from the beginning up to the sentinel published after it.
  {
    HttpStream stream(HttpPort(), "/v1/events/udib-2023/statements:watch?fromBeginning=true",
                      {{"Accept", "application/x-ndjson"}});
    ASSERT_EQ(stream.head().status, 200);
    bool sentinel_seen = false;
    for (int i = 0; i < 1000 && !sentinel_seen; ++i) {  // bounded
      std::optional<std::string> line = stream.NextLine(absl::Now() + kPatience);
      ASSERT_TRUE(line.has_value());
      EXPECT_FALSE(absl::StrContains(*line, "e2e-embargoed")) << *line;
      sentinel_seen = absl::StrContains(*line, sentinel.name());
    }
    EXPECT_TRUE(sentinel_seen);
  }
  // … and the same over gRPC.
  gv1::EventOverview overview;
  ASSERT_THAT(Overview(Public(), &overview), RpcOk());
  EXPECT_THAT(NamesOf(overview.latest_statements()), Not(Contains(embargoed.name())));
  EXPECT_THAT(NamesOf(overview.latest_statements()), Contains(sentinel.name()));
  gv1::PersonBriefing umerov;
  ASSERT_THAT(PersonBriefing(Public(), "umerov", &umerov), RpcOk());
  EXPECT_THAT(NamesOf(umerov.statements()), Not(Contains(embargoed.name())));
  EXPECT_THAT(NamesOf(umerov.statements()), Contains(sentinel.name()));
  // The organizer's overview has it: the view is not simply missing statements.
  gv1::PersonBriefing organizer_umerov;
  ASSERT_THAT(PersonBriefing(Organizer(), "umerov", &organizer_umerov), RpcOk());
  EXPECT_THAT(NamesOf(organizer_umerov.statements()), Contains(embargoed.name()));

  // Private sessions: the site visits and every B2B meeting the scheduler placed.
  std::set<std::string> private_sessions;
  {
    sv1::ListSessionsRequest request;
    request.set_parent(kEvent);
    request.set_filter("visibility = VISIBILITY_PRIVATE");
    request.set_page_size(1000);
    sv1::ListSessionsResponse response;
    ASSERT_THAT(Sc(&SchedulingStub::ListSessions, Organizer(), request, &response), RpcOk());
    for (const sv1::Session& session : response.sessions()) private_sessions.insert(session.name());
  }
  ASSERT_THAT(private_sessions, Contains(SessionName("white-house")));
  ASSERT_GT(private_sessions.size(), 5u);  // the scheduler placed meetings too
  std::vector<std::pair<std::string, HttpResponse>> views = {
      {"sessions", Http(HttpPort(), "GET", "/v1/events/udib-2023/sessions?pageSize=1000")},
      {"overview", OverviewOverHttp(Public())},
      {"overview of day 2", OverviewOverHttp(Public(), 7)},
      {"person briefing", PersonBriefingOverHttp(Public(), "umerov")},
      {"delegation briefing", DelegationBriefingOverHttp(Public(), kUkraine)},
  };
  for (const auto& [what, answer] : views) {
    ASSERT_EQ(answer.status, 200) << what << ": " << answer.Describe();
    for (const std::string& name : private_sessions) {
      EXPECT_FALSE(absl::StrContains(answer.body, absl::StrCat("\"", name, "\""))) << what << ": " << name;
    }
    EXPECT_FALSE(absl::StrContains(answer.body, "VISIBILITY_PRIVATE")) << what;
  }
  EXPECT_TRUE(absl::StrContains(views[0].second.body, SessionName("opening-plenary")));
  EXPECT_TRUE(IsHttpError(Http(HttpPort(), "GET", "/v1/" + SessionName("white-house")), 404,
                          Code::NOT_FOUND));
  gv1::DelegationBriefing ukraine;
  ASSERT_THAT(DelegationBriefing(Public(), kUkraine, &ukraine), RpcOk());
  for (const gv1::MemberBriefing& member : ukraine.members()) {
    for (const gv1::SessionSummary& meeting : member.meetings()) {
      EXPECT_EQ(meeting.session().visibility(), sv1::Session::VISIBILITY_PUBLIC)
          << meeting.session().name();
    }
  }

  // Contact details: the organizer sees Jordan Avery's e-mail and phone; the public, a delegate
  // and the press see neither, anywhere.
  const HttpResponse organizer_view = Http(HttpPort(), "GET", "/v1/people/jordan-avery", Organizer());
  ASSERT_TRUE(absl::StrContains(organizer_view.body, "j.avery@example.com"));
  ASSERT_TRUE(absl::StrContains(organizer_view.body, "+12025550142"));
  // (Press and delegate tokens of people without contact details of their own: a person sees
  // their own.)
  for (const std::string& token : {Public(), Delegate("umerov"), Press("jane-doe")}) {
    const std::vector<std::pair<std::string, HttpResponse>> people = {
        {"person", Http(HttpPort(), "GET", "/v1/people/jordan-avery", token)},
        {"duty officer", Http(HttpPort(), "GET", "/v1/people/duty-officer", token)},
        {"people", Http(HttpPort(), "GET", "/v1/people?pageSize=1000", token)},
        {"search", Http(HttpPort(), "GET", "/v1/people:search?query=avery", token)},
        {"briefing", PersonBriefingOverHttp(token, "jordan-avery")},
        {"briefing of the officer", PersonBriefingOverHttp(token, "duty-officer")},
        {"overview", OverviewOverHttp(token)},
        {"delegation briefing", DelegationBriefingOverHttp(token, kUkraine)},
    };
    for (const auto& [what, answer] : people) {
      EXPECT_EQ(answer.status, 200) << what << ": " << answer.Describe();
      EXPECT_FALSE(absl::StrContains(answer.body, "\"email\"")) << what;
      EXPECT_FALSE(absl::StrContains(answer.body, "\"phone\"")) << what;
      EXPECT_FALSE(absl::StrContains(answer.body, "@example.")) << what;
      EXPECT_FALSE(absl::StrContains(answer.body, "+1202555")) << what;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Malformed HTTP: thousands of cases from a fixed seed, each answered 4xx (or the connection
// closed, when it is not HTTP), none reaching a backend's write; the gateway stays up.

struct FuzzCase {
  std::string what;   // the kind of case, for messages and the tally
  std::string bytes;  // what is sent
  // Well-formed HTTP of a size the server reads whole: an answer is required. Otherwise (bytes
  // that are not HTTP, or more than the server reads) closing the connection is an answer too.
  bool must_answer = true;
};

class FuzzCases {
 public:
  FuzzCases(int port, std::string organizer, std::vector<std::string> statement_json)
      : port_(port), organizer_(std::move(organizer)), valid_json_(std::move(statement_json)) {}

  FuzzCase Next() {
    switch (Below(10)) {
      case 0: return UnroutedMethod();
      case 1: return BadPath();
      case 2: return BadQuery();
      case 3: return BodyWhereNoneIsTaken();
      case 4:
      case 5: return BadBody();
      case 6: return BadHeader();
      case 7: return TooLarge();
      case 8: return BrokenFraming();
      default: return Garbage();
    }
  }

 private:
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) { return items[Below(items.size())]; }

  std::string RandomText(size_t max_length, absl::string_view alphabet) {
    std::string text;
    const size_t length = 1 + Below(max_length);
    for (size_t i = 0; i < length; ++i) text.push_back(alphabet[Below(alphabet.size())]);
    return text;
  }
  std::string RandomBytes(size_t max_length) {
    std::string bytes;
    const size_t length = 1 + Below(max_length);
    for (size_t i = 0; i < length; ++i) bytes.push_back(static_cast<char>(Below(256)));
    return bytes;
  }

  // Headers that may ride along with any case without making it well-formed.
  Headers Noise() {
    Headers headers;
    if (Below(3) == 0) headers.emplace_back("Authorization", absl::StrCat("Bearer ", organizer_));
    if (Below(4) == 0) headers.emplace_back("X-Request-Id", RandomText(80, "abc-_.%$ \x7f"));
    if (Below(5) == 0) headers.emplace_back("Accept", Pick<std::string>({"*/*", "application/x-ndjson", "text/html"}));
    if (Below(5) == 0) headers.emplace_back("Origin", "https://summit.example.org");
    if (Below(6) == 0) headers.emplace_back("X-Custom", RandomText(200, "abcdefghij0123456789 ;,=\t"));
    return headers;
  }

  // Well-formed routes to start from.
  std::string AnyRoute() {
    return Pick<std::string>({"/v1/people", "/v1/people/umerov", "/v1/people:search?query=umerov",
                              "/v1/events/udib-2023", "/v1/events/udib-2023/statements",
                              "/v1/events/udib-2023/sessions", "/v1/organizations/ua-mod",
                              "/v1/events/udib-2023:overview", "/v1/people/umerov:briefing",
                              "/v1/events/udib-2023/delegations/ukraine:briefing",
                              "/v1/events/udib-2023/statements/zelensky-new-level-of-unity"});
  }

  FuzzCase Case(std::string what, absl::string_view method, absl::string_view target,
                Headers headers, absl::string_view body) {
    return {std::move(what), RequestBytes(method, target, port_, headers, body)};
  }

  // Methods no route has on that path (or at all).
  FuzzCase UnroutedMethod() {
    const std::string method =
        Pick<std::string>({"PUT", "FOO", "get", "TRACE", "PROPFIND", "MKCOL", "LINK", "Get"});
    return Case("unrouted method", method, AnyRoute(), Noise(), Below(2) == 0 ? "" : "{}");
  }

  // Paths that name no route: unknown collections, %-escapes good and bad, "..", unicode,
  // control bytes, very long ones.
  FuzzCase BadPath() {
    std::string path;
    switch (Below(6)) {
      case 0:
        path = absl::StrCat("/v1/", RandomText(30, "xyzq"), "/", RandomText(20, "abc%2F.-_~"));
        break;
      case 1:
        path = Pick<std::string>({"/v1/people/../../etc/passwd", "/v1/people/%2e%2e/%2e%2e",
                                  "/v1//people", "/v1/people/umerov/..", "/../v1/people",
                                  "/v1/events/udib-2023/statements/..%2F..%2Fpeople",
                                  "/v1/events/%ZZ/statements", "/v1/people/%",
                                  "/v1/people/%G0", "/v1/people/%FF%FE", "/v1/people/%00",
                                  "/v1/people/\xce\xa9\xd0\x96", "/v1/people/\xff\xfe",
                                  "/v1/events/udib-2023/statements/%C0%AF", "*",  // "/" is the web page
                                  "/v2/people", "/V1/PEOPLE", "/v1/people/umerov:",
                                  "/v1/people/umerov:explode", "/v1/events/udib-2023:overview:x"});
        break;
      case 2:
        path = absl::StrCat("/v1/events/", RandomText(2000 + Below(8000), "abc/%.-"), "/x");
        break;
      case 3:
        path = absl::StrCat("/v1/", RandomText(40, "\xd0\x96\xce\xa9\xe2\x82\xac%/.:"));
        break;
      case 4:
        path = absl::StrCat("/v1/zz", RandomText(100, "abcdefghijklmnopqrstuvwxyz0123456789/:"));
        break;
      default:
        path = absl::StrCat(AnyRoute(), "/", RandomText(5, "./%"), RandomText(10, "abc"));
        break;
    }
    return Case("bad path", Below(4) == 0 ? "POST" : "GET", path, Noise(), "");
  }

  // Real routes with a query no route takes: unknown parameters, malformed escapes, values of
  // the wrong type.
  FuzzCase BadQuery() {
    const std::string route = Pick<std::string>(
        {"/v1/people", "/v1/events/udib-2023/statements", "/v1/events/udib-2023/sessions",
         "/v1/people/umerov", "/v1/events/udib-2023:overview", "/v1/events/udib-2023/rooms"});
    std::vector<std::string> parameters;
    const std::string bad = Pick<std::string>(
        {absl::StrCat("zz", RandomText(10, "abc"), "=1"), "pageSize=many", "pageSize=%G1",
         "pageSize=1e999", "pageSize=99999999999", "pageSize=1.5", "pageSize=true",
         "page_size=%", "%=%", "day.year=x", "day.zz=1", "event.name=x", "pageToken=%ZZ",
         "filter=%E0%A4%A", "pageSize[]=1", "a%00b=1", "pageSize=0x10",
         absl::StrCat("zz=", std::string(3000, 'a'))});
    parameters.push_back(bad);
    for (size_t i = Below(3); i > 0; --i) {
      parameters.push_back(absl::StrCat(RandomText(8, "pagesizetokn"), "=", RandomText(8, "ab1%+=")));
    }
    std::shuffle(parameters.begin(), parameters.end(), random_);
    return Case("bad query", "GET", absl::StrCat(route, "?", absl::StrJoin(parameters, "&")),
                Noise(), "");
  }

  FuzzCase BodyWhereNoneIsTaken() {
    const std::string body = Pick<std::string>({"{}", "{\"name\":\"people/umerov\"}", "x", "null"});
    return Case("body on a GET", "GET", AnyRoute(), Noise(), body);
  }

  // POST and PATCH bodies that are not the JSON of the request: truncated, of the wrong types,
  // nested too deep, random bytes, unknown fields, not UTF-8.
  FuzzCase BadBody() {
    std::string body;
    std::string what;
    const std::string& valid = Pick(valid_json_);
    switch (Below(7)) {
      case 0:
        what = "truncated JSON";
        body = valid.substr(0, 1 + Below(valid.size() - 1));
        break;
      case 1:
        what = "wrong types";
        body = Pick<std::string>(
            {"{\"title\":{}}", "{\"title\":[\"x\"]}", "{\"title\":true}", "{\"bodies\":7}",
             "{\"bodies\":[5]}", "{\"kind\":\"KIND_NOPE\"}", "{\"kind\":{}}",
             "{\"embargoTime\":\"tomorrow\"}", "{\"embargoTime\":5}", "{\"etag\":1.5}",
             "{\"approvals\":\"x\"}", "{\"bodies\":[{\"original\":{}}]}",
             "{\"speakers\":[{}]}", "[]", "\"statement\"", "42"});
        break;
      case 2: {
        what = "deep nesting";
        const size_t depth = 50 + Below(20000);
        body = absl::StrCat("{\"title\":", std::string(depth, '['), std::string(depth, ']'), "}");
        if (Below(2) == 0) {
          body = absl::StrCat(std::string(depth, '{'), "\"a\":1", std::string(depth, '}'));
        }
        break;
      }
      case 3:
        what = "random bytes";
        body = RandomBytes(300);
        // Not '{', not blank and not "null": never a message.
        if (body[0] == '{' || body[0] == 'n' || absl::ascii_isspace(static_cast<unsigned char>(body[0]))) {
          body[0] = '#';
        }
        break;
      case 4:
        what = "unknown field";
        body = absl::StrCat("{\"", RandomText(12, "zqxw"), "\":1,", valid.substr(1));
        break;
      case 5:
        what = "not UTF-8";
        body = absl::StrCat("{\"title\":\"", RandomBytes(20), "\xff\xfe\xc0\"}");
        break;
      default:
        what = "duplicate and broken keys";
        body = Pick<std::string>({"{\"title\":\"a\",\"title\":}", "{title:\"a\"}",
                                  "{\"title\":\"a\",}", "{\"title\":\"a\"}}",
                                  "{\"title\":\"\\uD800\"}", "{\"title\":\"\\x41\"}",
                                  "{\"bodies\":[{\"text\":\"a\"},]}"});
        break;
    }
    // Where: creating a statement, editing one, or a custom method on one.
    const size_t where = Below(4);
    const std::string id = absl::StrCat("fuzz-", Below(1000000));
    Headers headers = Noise();
    headers.emplace_back("Authorization", absl::StrCat("Bearer ", organizer_));
    if (where == 0 || where == 1) {
      return Case(what, "POST",
                  absl::StrCat("/v1/events/udib-2023/statements?statementId=", id), headers, body);
    }
    if (where == 2) {
      return Case(what, "PATCH",
                  "/v1/events/udib-2023/statements/e2e-http-quote?updateMask=title", headers,
                  body);
    }
    return Case(what, "POST",
                absl::StrCat("/v1/events/udib-2023/statements/e2e-http-quote:",
                             Pick<std::string>({"submit", "approve", "publish", "retract"})),
                headers, body);
  }

  // Well-formed requests with a header the gateway refuses.
  FuzzCase BadHeader() {
    Headers headers = Noise();
    std::string what = "bad grpc-timeout";
    switch (Below(3)) {
      case 0:
        headers.emplace_back("grpc-timeout",
                             Pick<std::string>({"abc", "S", "-1S", "1X", "9999999999S", "1.5S",
                                                "1 S", "1s", "0x10S", "\xff\xfeS", "1SS"}));
        break;
      case 1:
        what = "bad token";
        headers.emplace_back("Authorization",
                             Pick<std::string>({"Bearer not-a-token", "Bearer a.b.c", "Basic dXNlcg==",
                                                "Bearer", absl::StrCat("Bearer ", RandomText(500, "abcXYZ012.-_"))}));
        break;
      default:
        what = "bad grpc-timeout and token";
        headers.emplace_back("grpc-timeout", "forever");
        headers.emplace_back("Authorization", "Bearer x");
        break;
    }
    return Case(what, "GET",
                Pick<std::string>({"/v1/people/umerov", "/v1/people", "/v1/events/udib-2023",
                                   "/v1/events/udib-2023:overview"}),
                headers, "");
  }

  // More than the server reads: a huge header, a huge declared body.
  FuzzCase TooLarge() {
    FuzzCase c;
    c.must_answer = false;
    if (Below(2) == 0) {
      c.what = "huge header";
      Headers headers = Noise();
      headers.emplace_back("X-Huge", std::string(17000 + Below(30000), 'h'));
      c.bytes = RequestBytes("GET", "/v1/people/umerov", port_, headers, "");
    } else {
      c.what = "huge declared body";
      c.bytes = absl::StrCat("POST /v1/events/udib-2023/statements HTTP/1.1\r\nHost: x\r\n"
                             "Content-Type: application/json\r\nContent-Length: ",
                             Pick<std::string>({"99999999999", "5000000", "18446744073709551616"}),
                             "\r\n\r\n{\"title\":");
    }
    return c;
  }

  // HTTP whose framing is wrong: bad Content-Length, bad chunks, a request cut short.
  FuzzCase BrokenFraming() {
    FuzzCase c;
    c.what = "broken framing";
    c.must_answer = false;
    c.bytes = Pick<std::string>(
        {"POST /v1/people HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
         "POST /v1/people HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
         "POST /v1/people HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
         "POST /v1/people HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
         "POST /v1/people HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{}",
         "POST /v1/people HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}",
         "GET /v1/people HTTP/1.1\r\nHost: x\r\n",
         "GET /v1/people HTTP/1.1\r\nBad Header\r\n\r\n",
         "GET /v1/people HTTP/1.1\r\n: empty-name\r\n\r\n",
         "GET /v1/people HTTP/2.0\r\nHost: x\r\n\r\n",
         "GET /v1/people HTTP/9.9\r\n\r\n",
         "GET /v1/people\r\n\r\n",
         "GET  /v1/people  HTTP/1.1\r\n\r\n",
         "GET /v1/peo ple HTTP/1.1\r\n\r\n",
         "GET /v1/people HTTP/1.1\nHost: x\n\n",
         "G\x01T /v1/people HTTP/1.1\r\n\r\n",
         "GET /v1/people HTTP/1.1\r\nHost: \x01\x02\r\n\r\n"});
    return c;
  }

  // Bytes that are not HTTP, or a request with bytes flipped.
  FuzzCase Garbage() {
    FuzzCase c;
    c.must_answer = false;
    if (Below(2) == 0) {
      c.what = "garbage";
      c.bytes = RandomBytes(2000);
    } else {
      c.what = "mutated request";
      // A request the gateway refuses anyway (an unknown parameter), with bytes changed.
      c.bytes = RequestBytes("GET", "/v1/people?zz=1", port_, Noise(), "");
      for (size_t i = 1 + Below(4); i > 0; --i) {
        c.bytes[Below(c.bytes.size())] = static_cast<char>(Below(256));
      }
    }
    return c;
  }

  const int port_;
  const std::string organizer_;
  const std::vector<std::string> valid_json_;
  std::mt19937 random_{20231207};
};

// How many times the Statements process logged a call of `method`.
int CallsLogged(ChildProcess& process, absl::string_view method) {
  const std::string all = process.AllStderr();
  int count = 0;
  const std::string needle = absl::StrCat("StatementsService/", method, "\"");
  for (size_t at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST_F(GatewayE2eTest, MalformedHttpIsRefusedAndTheGatewayStaysUp) {
  constexpr int kCases = 2000;
  const std::vector<std::string> writes = {"CreateStatement", "UpdateStatement", "SubmitStatement",
                                           "ApproveStatement", "PublishStatement",
                                           "RetractStatement"};
  const std::vector<tv1::Statement> statements_before = AllStatements(Organizer());
  std::map<std::string, int> writes_before;
  for (const std::string& method : writes)
    writes_before[method] = CallsLogged(S().Process(Server::kStatements), method);

  tv1::Statement full = Quote("umerov", "A valid statement", "Valid words.");
  full.mutable_embargo_time()->set_seconds(1702000000);
  full.add_bodies()->CopyFrom(Body("uk", "Слова.", false));
  FuzzCases cases(HttpPort(), Organizer(),
                  {ToJson(full), ToJson(Quote("kamyshin", "Short", "Words.")),
                   "{\"etag\":\"abc\"}"});
  std::map<std::string, std::map<std::string, int>> tally;  // what → status (or "closed") → count
  int failures = 0;
  for (int i = 0; i < kCases && failures < 20; ++i) {
    const FuzzCase c = cases.Next();
    const HttpResponse answer = Exchange(HttpPort(), c.bytes, absl::Seconds(30));
    ++tally[c.what][answer.answered ? absl::StrCat(answer.status) : "closed"];
    const bool four_xx = answer.answered && answer.status >= 400 && answer.status < 500;
    const bool acceptable = four_xx || (!answer.answered && !c.must_answer);
    if (!acceptable) {
      ++failures;
      ADD_FAILURE() << "case " << i << " (" << c.what << "): " << answer.Describe()
                    << "\nrequest: " << absl::CHexEscape(c.bytes.substr(0, 600));
    }
  }
  for (const auto& [what, statuses] : tally) {
    std::vector<std::string> counts;
    for (const auto& [status, count] : statuses) counts.push_back(absl::StrCat(status, "×", count));
    std::cerr << "[   FUZZ   ] " << what << ": " << absl::StrJoin(counts, ", ") << "\n";
  }

  // Still up: the process runs and answers.
  ASSERT_TRUE(S().Process(Server::kGateway).IsRunning())
      << S().Process(Server::kGateway).AllStderr().substr(0, 5000);
  rv1::GetPersonRequest request;
  request.set_name("people/umerov");
  rv1::Person person;
  ASSERT_THAT(R(&RegistryStub::GetPerson, Public(), request, &person), RpcOk());
  EXPECT_TRUE(SameAsGrpc(Http(HttpPort(), "GET", "/v1/people/umerov"), person));

  // Nothing malformed reached a write: no statement changed, and Statements logged no new call
  // of a writing method.
  const std::vector<tv1::Statement> statements_after = AllStatements(Organizer());
  ASSERT_EQ(statements_after.size(), statements_before.size());
  for (size_t i = 0; i < statements_before.size(); ++i) {
    EXPECT_EQ(statements_after[i].name(), statements_before[i].name());
    EXPECT_EQ(statements_after[i].etag(), statements_before[i].etag()) << statements_before[i].name();
  }
  for (const std::string& method : writes) {
    EXPECT_EQ(CallsLogged(S().Process(Server::kStatements), method), writes_before[method])
        << method;
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Partial failure: each backend hung (SIGSTOP) and gone (killed), in turn. Each view answers
// within its deadline with the failed backend's sections marked; the view's core resource's
// backend (the Registry) fails the whole call. Last, because it restarts the backends.

class PartialFailureTest : public GatewayE2eTest {
 protected:
  // Calls one view with the deadline and checks it answered in time; returns its status.
  template <typename View>
  grpc::Status TimedView(const char* what, View view) {
    const absl::Time start = absl::Now();
    const grpc::Status status = view(kViewDeadline);
    const absl::Duration took = absl::Now() - start;
    std::cerr << "[   VIEW   ] " << what << ": " << absl::FormatDuration(took) << ", code "
              << static_cast<int>(status.error_code()) << "\n";
    return status;
  }

  // The three views while `down` does not answer.
  void CheckViews(Server down) {
    const std::string organizer = Organizer();
    // The three views at once: each waits out the hung backend's share of its deadline.
    gv1::EventOverview overview;
    gv1::PersonBriefing person;
    gv1::DelegationBriefing delegation;
    grpc::Status overview_status, person_status, delegation_status;
    {
      std::thread overview_view([&] {
        overview_status = TimedView("overview", [&](absl::Duration timeout) {
          return Overview(organizer, &overview, timeout);
        });
      });
      std::thread person_view([&] {
        person_status = TimedView("person briefing", [&](absl::Duration timeout) {
          return PersonBriefing(organizer, "umerov", &person, timeout);
        });
      });
      delegation_status = TimedView("delegation briefing", [&](absl::Duration timeout) {
        return DelegationBriefing(organizer, kUkraine, &delegation, timeout);
      });
      overview_view.join();
      person_view.join();
    }

    if (down == Server::kRegistry) {
      // The core resource of every view is the Registry's.
      for (const grpc::Status& status : {overview_status, person_status, delegation_status}) {
        EXPECT_THAT(status, AnyOf(RpcCode(Code::UNAVAILABLE), RpcCode(Code::DEADLINE_EXCEEDED)));
      }
      return;
    }
    ASSERT_THAT(overview_status, RpcOk());
    ASSERT_THAT(person_status, RpcOk());
    ASSERT_THAT(delegation_status, RpcOk());
    // The core resources are whole whichever other backend is down.
    EXPECT_EQ(overview.event().name(), kEvent);
    EXPECT_EQ(person.person().display_name(), "Rustem Umerov");
    EXPECT_EQ(delegation.delegation().name(), kUkraine);

    if (down == Server::kScheduling) {
      EXPECT_THAT(overview.sessions_error(), IsBackendFailure());
      EXPECT_THAT(overview.sessions(), IsEmpty());
      EXPECT_THAT(person.itinerary_error(), IsBackendFailure());
      EXPECT_THAT(person.itinerary(), IsEmpty());
      EXPECT_THAT(delegation.members_error(), IsBackendFailure());
      EXPECT_THAT(delegation.open_meeting_requests_error(), IsBackendFailure());
      for (const gv1::MemberBriefing& member : delegation.members()) {
        EXPECT_THAT(member.meetings(), IsEmpty());
      }
      // What the other backends hold is all there.
      EXPECT_THAT(overview.delegations_error(), IsNoError());
      EXPECT_THAT(overview.statements_error(), IsNoError());
      EXPECT_THAT(NamesOf(overview.latest_statements()),
                  Contains(StatementName("zelensky-new-level-of-unity")));
      EXPECT_THAT(person.organization_error(), IsNoError());
      EXPECT_EQ(person.organization().display_name(), "Ministry of Defence of Ukraine");
      EXPECT_THAT(person.statements_error(), IsNoError());
      EXPECT_THAT(delegation.statements_error(), IsNoError());
      EXPECT_THAT(NamesOf(delegation.statements()),
                  Contains(StatementName("markarova-unprecedented-format")));
    } else {
      EXPECT_THAT(overview.statements_error(), IsBackendFailure());
      EXPECT_THAT(overview.latest_statements(), IsEmpty());
      EXPECT_THAT(person.statements_error(), IsBackendFailure());
      EXPECT_THAT(person.statements(), IsEmpty());
      EXPECT_THAT(delegation.statements_error(), IsBackendFailure());
      EXPECT_THAT(delegation.statements(), IsEmpty());
      EXPECT_THAT(delegation.pending_approvals(), IsEmpty());
      // What the other backends hold is all there.
      EXPECT_THAT(overview.sessions_error(), IsNoError());
      EXPECT_NE(FindSession(overview.sessions(), SessionName("opening-plenary")), nullptr);
      EXPECT_THAT(person.itinerary_error(), IsNoError());
      EXPECT_NE(FindSession(person.itinerary(), SessionName("pentagon")), nullptr);
      EXPECT_THAT(person.organization_error(), IsNoError());
      EXPECT_EQ(person.organization().display_name(), "Ministry of Defence of Ukraine");
      EXPECT_THAT(delegation.members_error(), IsNoError());
      EXPECT_THAT(delegation.open_meeting_requests_error(), IsNoError());
    }
    // The Registry answered: every person named has a name.
    EXPECT_THAT(overview.delegations_error(), IsNoError());
    const gv1::DelegationSummary* ukraine = FindDelegation(overview, kUkraine);
    ASSERT_NE(ukraine, nullptr);
    for (const gv1::PersonSummary& member : ukraine->members()) {
      EXPECT_FALSE(member.display_name().empty()) << member.person();
    }
    for (const gv1::MemberBriefing& member : delegation.members()) {
      EXPECT_FALSE(member.member().display_name().empty()) << member.member().person();
    }
    for (const gv1::SessionSummary& entry : person.itinerary()) {
      for (const gv1::PersonSummary& counterpart : entry.participants()) {
        EXPECT_FALSE(counterpart.display_name().empty()) << counterpart.person();
      }
    }
  }
};

TEST_F(PartialFailureTest, ViewsAnswerWithinTheirDeadlineWhenABackendHangsOrIsGone) {
  ASSERT_TRUE(WaitUntilHealthy());
  for (Server backend : {Server::kStatements, Server::kScheduling, Server::kRegistry}) {
    {
      SCOPED_TRACE(absl::StrCat(ServerName(backend), " hung"));
      ASSERT_OK(S().Process(backend).Pause(kPatience));
      CheckViews(backend);
      if (backend == Server::kStatements) {
        // Over HTTP, with the deadline as grpc-timeout: the same partial answer.
        const absl::Time start = absl::Now();
        const HttpResponse answer =
            Http(HttpPort(), "GET", "/v1/events/udib-2023:overview", Organizer(), "",
                 {{"grpc-timeout", absl::StrCat(absl::ToInt64Milliseconds(kViewDeadline), "m")}});
        const absl::Duration took = absl::Now() - start;
        EXPECT_LT(took, 2 * kViewDeadline) << absl::FormatDuration(took);
        ASSERT_EQ(answer.status, 200) << answer.Describe();
        gv1::EventOverview overview;
        ASSERT_TRUE(ParseJson(answer.body, &overview));
        EXPECT_THAT(overview.statements_error(), IsBackendFailure());
        EXPECT_THAT(overview.latest_statements(), IsEmpty());
        EXPECT_FALSE(overview.sessions().empty());
      }
      ASSERT_OK(S().Process(backend).Resume());
      ASSERT_TRUE(WaitUntilHealthy());
    }
    {
      SCOPED_TRACE(absl::StrCat(ServerName(backend), " gone"));
      ASSERT_OK(S().Process(backend).Signal(SIGKILL));
      ASSERT_OK(S().Process(backend).WaitForExit(kPatience).status());
      CheckViews(backend);
      ASSERT_OK(S().Restart(backend));
      ASSERT_TRUE(WaitUntilHealthy());
    }
  }
}

}  // namespace
}  // namespace summit::gateway
