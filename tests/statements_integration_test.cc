// Integration tests of summit-statements: the real binary as a child process next to a real
// summit-registry (speakers, signatory delegations and their heads) and a real
// summit-scheduling (sessions and when they end), each on its own SQLite file, called over real
// gRPC with the generated stubs and real signed tokens.
//
// What they prove, over the wire:
// - the lifecycle DRAFT → IN_REVIEW → APPROVED → PUBLISHED → RETRACTED, and that every wrong
//   transition is FAILED_PRECONDITION (reason WRONG_STATE) and changes nothing;
// - joint statements: each signatory delegation approves one exact text (its head or an
//   organizer), an edit voids the approvals, a stale text_hash is ABORTED (TEXT_CHANGED);
// - corrections keep every revision (the public sees the published ones), retraction keeps the
//   statement readable and marked; provenance is the speaker as they were;
// - embargo visibility per role in Get, List, Search and Watch, the audit of press reads, the
//   lift at the embargo time, and a session embargo that follows its session when it moves;
// - the live feed resumed after a disconnect misses nothing and repeats nothing (1,000
//   publications);
// - full-text search in Cyrillic and Latin, with filters and pages;
// - a Registry that is down or hung makes CreateStatement UNAVAILABLE or DEADLINE_EXCEEDED,
//   writing nothing; every bad field is INVALID_ARGUMENT naming it, writing nothing.
//
// Waits are bounded (kPatience, bounded polling loops) and never asserted on. Where a check is
// only meaningful before a deadline (an embargo still holding), the test asserts it only when
// the answer demonstrably came before that deadline.
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/feed_watcher.h"
#include "tests/support/rpc_status.h"
#include "tests/support/suite.h"
#include "tests/support/summit_state.h"

namespace summit::statements {
namespace {

namespace rv1 = ::summit::registry::v1;
namespace sv1 = ::summit::scheduling::v1;
using auth::Principal;
using auth::Role;
using ::summit::testing::ChildProcess;
using ::summit::testing::Describe;
using ::summit::testing::FeedWatcher;
using ::summit::testing::kPatience;
using ::summit::testing::RpcCode;
using ::summit::testing::RpcErrorWithReason;
using ::summit::testing::RpcInvalidOn;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::ServingProcess;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;
using ::summit::testing::Unchanged;
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
using RegistryStub = rv1::RegistryService::Stub;
using SchedulingStub = sv1::SchedulingService::Stub;
using StatementsStub = v1::StatementsService::Stub;
using Code = grpc::StatusCode;

constexpr char kEventId[] = "dib-summit";
constexpr char kEvent[] = "events/dib-summit";

std::string StatementName(absl::string_view id) {
  return absl::StrCat(kEvent, "/statements/", id);
}
std::string SessionName(absl::string_view id) { return absl::StrCat(kEvent, "/sessions/", id); }
std::string DelegationName(absl::string_view id) {
  return absl::StrCat(kEvent, "/delegations/", id);
}
std::string PersonName(absl::string_view id) { return absl::StrCat("people/", id); }
std::string ParticipantName(absl::string_view id) {
  return absl::StrCat(kEvent, "/participants/", id);
}

// A transition the statement's state does not allow.
auto RpcWrongState() { return RpcErrorWithReason(Code::FAILED_PRECONDITION, "WRONG_STATE"); }

// ---------------------------------------------------------------------------------------------
// Times: the event is held in UTC from yesterday to tomorrow, so sessions can be "now".

google::protobuf::Timestamp Ts(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const absl::Duration since_epoch = time - absl::UnixEpoch();
  timestamp.set_seconds(absl::ToInt64Seconds(since_epoch));
  timestamp.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(since_epoch - absl::Seconds(timestamp.seconds()))));
  return timestamp;
}

absl::Time FromTs(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

google::type::Date Day(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// ---------------------------------------------------------------------------------------------
// Statements as the tests write them.

v1::StatementBody Body(const std::string& language, const std::string& text,
                       bool original = false) {
  v1::StatementBody body;
  body.set_language_code(language);
  body.set_text(text);
  body.set_original(original);
  return body;
}

v1::Statement MakeStatement(v1::Statement::Kind kind, const std::string& title,
                            const std::vector<v1::StatementBody>& bodies,
                            const std::vector<std::string>& speakers = {},
                            const std::vector<std::string>& signatories = {}) {
  v1::Statement statement;
  statement.set_kind(kind);
  statement.set_title(title);
  for (const v1::StatementBody& body : bodies) *statement.add_bodies() = body;
  for (const std::string& speaker : speakers) statement.add_speakers(PersonName(speaker));
  for (const std::string& signatory : signatories) {
    statement.add_signatories(DelegationName(signatory));
  }
  return statement;
}

// A press release in English: no speakers, no signatories.
v1::Statement PressRelease(const std::string& title, const std::string& text) {
  return MakeStatement(v1::Statement::KIND_PRESS_RELEASE, title, {Body("en", text, true)});
}

// The joint statement of Ukraine and the United States, in English and Ukrainian.
v1::Statement JointStatement() {
  return MakeStatement(
      v1::Statement::KIND_JOINT_STATEMENT, "Joint statement on defense industrial cooperation",
      {Body("en", "Ukraine and the United States will co-produce air defense systems.", true),
       Body("uk", "Україна та Сполучені Штати спільно вироблятимуть системи ППО.")},
      {}, {"ukraine", "united-states"});
}

std::vector<std::string> NamesOf(const std::vector<v1::Statement>& statements) {
  std::vector<std::string> names;
  for (const v1::Statement& statement : statements) names.push_back(statement.name());
  return names;
}

// Says that a check bound to a deadline was left out because the machine was too slow to make
// it before the deadline (a fact to know, not a failure).
void NoteSkipped(absl::string_view check) {
  std::cerr << "[   NOTE   ] not checked (too late on this machine): " << check << "\n";
}

// "KIND_PUBLISHED events/…/statements/x" for each event: what a feed said, comparable.
std::vector<std::string> FeedLines(const std::vector<v1::StatementEvent>& events) {
  std::vector<std::string> lines;
  for (const v1::StatementEvent& event : events) {
    lines.push_back(absl::StrCat(v1::StatementEvent::Kind_Name(event.kind()), " ",
                                 event.statement().name()));
  }
  return lines;
}

std::string FeedLine(v1::StatementEvent::Kind kind, const std::string& name) {
  return absl::StrCat(v1::StatementEvent::Kind_Name(kind), " ", name);
}

// ---------------------------------------------------------------------------------------------
// The fixture: summit-registry, summit-scheduling and summit-statements processes
// (tests/support's Suite) on fresh databases sharing one key, the Registry seeded over gRPC as an
// organizer, and stubs to call all three.

class StatementsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    options.name = "statements_integration";
    options.servers = {Server::kRegistry, Server::kScheduling, Server::kStatements};
    options.load_demo = false;
    ASSERT_OK_AND_ASSIGN(suite_, Suite::Start(options));
    registry_stub_ = rv1::RegistryService::NewStub(suite_->Channel(Server::kRegistry));
    scheduling_stub_ = sv1::SchedulingService::NewStub(suite_->Channel(Server::kScheduling));
    statements_stub_ = v1::StatementsService::NewStub(suite_->Channel(Server::kStatements));
    ASSERT_NO_FATAL_FAILURE(SeedRegistry());
  }

  ChildProcess& Registry() { return suite_->Process(Server::kRegistry); }

  // Tokens.
  std::string Token(const Principal& principal) { return suite_->Token(principal); }
  std::string Organizer() { return Token({"people/press-officer", Role::kOrganizer}); }
  std::string Delegate(const std::string& person_id) {
    return Token({PersonName(person_id), Role::kDelegate});
  }
  std::string Press(const std::string& person_id = "jane-doe") {
    return Token({PersonName(person_id), Role::kPress});
  }
  static std::string Public() { return ""; }
  // What the statement helpers take for "as an organizer" (their default), since "" is the
  // public.
  static constexpr char kAsOrganizer[] = "<organizer>";
  std::string As(const std::string& token) {
    return token == kAsOrganizer ? Organizer() : token;
  }

  // One call with `token` ("" for none) as a bearer token, and a deadline `timeout` from now.
  template <typename Stub, typename Request, typename Response>
  static grpc::Status CallStub(Stub* stub,
                               grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                            Response*),
                               const std::string& token, const Request& request,
                               Response* response, absl::Duration timeout = kPatience) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return (stub->*method)(&context, request, response);
  }
  template <typename Request, typename Response>
  grpc::Status St(grpc::Status (StatementsStub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
                  const std::string& token, const Request& request, Response* response,
                  absl::Duration timeout = kPatience) {
    return CallStub(statements_stub_.get(), method, token, request, response, timeout);
  }
  template <typename Request, typename Response>
  grpc::Status R(grpc::Status (RegistryStub::*method)(grpc::ClientContext*, const Request&,
                                                      Response*),
                 const std::string& token, const Request& request, Response* response) {
    return CallStub(registry_stub_.get(), method, token, request, response);
  }
  template <typename Request, typename Response>
  grpc::Status S(grpc::Status (SchedulingStub::*method)(grpc::ClientContext*, const Request&,
                                                        Response*),
                 const std::string& token, const Request& request, Response* response) {
    return CallStub(scheduling_stub_.get(), method, token, request, response);
  }

  // The seed, over the wire: the summit (UTC, yesterday to tomorrow), its organizations, its
  // people (all APPROVED), and two delegations: Ukraine (head zelensky, member umerov) and the
  // United States (head hill, member brooks). jane-doe is accredited press.
  void SeedRegistry() {
    const std::string organizer = Organizer();
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
    {
      rv1::CreateEventRequest request;
      request.set_event_id(kEventId);
      rv1::Event* event = request.mutable_event();
      event->set_display_name("Ukraine Defense Industrial Base Summit");
      event->set_kind(rv1::Event::KIND_SUMMIT);
      event->set_city("Washington");
      event->set_country("US");
      event->set_time_zone("UTC");
      *event->mutable_start_date() = Day(today - 1);
      *event->mutable_end_date() = Day(today + 1);
      rv1::Event out;
      ASSERT_THAT(R(&RegistryStub::CreateEvent, organizer, request, &out), RpcOk());
    }
    const std::pair<const char*, const char*> organizations[] = {
        {"ua-president-office", "Office of the President of Ukraine"},
        {"ua-mod", "Ministry of Defence of Ukraine"},
        {"pentagon", "U.S. Department of Defense"},
        {"white-house", "The White House"},
    };
    for (const auto& [id, display_name] : organizations) {
      rv1::CreateOrganizationRequest request;
      request.set_organization_id(id);
      request.mutable_organization()->set_display_name(display_name);
      request.mutable_organization()->set_kind(rv1::Organization::KIND_GOVERNMENT_BODY);
      request.mutable_organization()->set_country(absl::StartsWith(id, "ua-") ? "UA" : "US");
      rv1::Organization out;
      ASSERT_THAT(R(&RegistryStub::CreateOrganization, organizer, request, &out), RpcOk()) << id;
    }
    struct SeedPerson {
      const char* id;
      const char* display_name;
      const char* native_name;
      const char* title;
      const char* organization;
      const char* country;
      rv1::Participant::Role role;
    };
    const SeedPerson people[] = {
        {"zelensky", "Volodymyr Zelensky", "Володимир Зеленський", "President of Ukraine",
         "ua-president-office", "UA", rv1::Participant::ROLE_DELEGATE},
        {"umerov", "Rustem Umerov", "Рустем Умєров", "Minister of Defense of Ukraine", "ua-mod",
         "UA", rv1::Participant::ROLE_DELEGATE},
        {"hill", "Dana Hill", "", "Under Secretary of Defense", "pentagon", "US",
         rv1::Participant::ROLE_HOST_GOVERNMENT},
        {"brooks", "Morgan Brooks", "", "Deputy National Security Advisor", "white-house", "US",
         rv1::Participant::ROLE_HOST_GOVERNMENT},
        {"jane-doe", "Jane Doe", "", "Correspondent", "", "US", rv1::Participant::ROLE_PRESS},
    };
    for (const SeedPerson& p : people) {
      rv1::CreatePersonRequest create;
      create.set_person_id(p.id);
      rv1::Person* person = create.mutable_person();
      person->set_display_name(p.display_name);
      person->set_native_name(p.native_name);
      person->set_title(p.title);
      if (*p.organization != '\0') {
        person->set_organization(absl::StrCat("organizations/", p.organization));
      }
      person->set_country(p.country);
      person->add_languages("en");
      rv1::Person created;
      ASSERT_THAT(R(&RegistryStub::CreatePerson, organizer, create, &created), RpcOk()) << p.id;
      rv1::CreateParticipantRequest accredit;
      accredit.set_parent(kEvent);
      accredit.mutable_participant()->set_person(PersonName(p.id));
      accredit.mutable_participant()->set_role(p.role);
      rv1::Participant participant;
      ASSERT_THAT(R(&RegistryStub::CreateParticipant, organizer, accredit, &participant),
                  RpcOk())
          << p.id;
      rv1::ApproveParticipantRequest approve;
      approve.set_name(ParticipantName(p.id));
      ASSERT_THAT(R(&RegistryStub::ApproveParticipant, organizer, approve, &participant),
                  RpcOk())
          << p.id;
    }
    const struct {
      const char* id;
      const char* display_name;
      const char* country;
      const char* head;
      const char* member;
    } delegations[] = {
        {"ukraine", "Delegation of Ukraine", "UA", "zelensky", "umerov"},
        {"united-states", "Delegation of the United States", "US", "hill", "brooks"},
    };
    for (const auto& d : delegations) {
      rv1::CreateDelegationRequest request;
      request.set_parent(kEvent);
      request.set_delegation_id(d.id);
      rv1::Delegation* delegation = request.mutable_delegation();
      delegation->set_display_name(d.display_name);
      delegation->set_country(d.country);
      delegation->set_head(PersonName(d.head));
      delegation->add_members(PersonName(d.head));
      delegation->add_members(PersonName(d.member));
      rv1::Delegation out;
      ASSERT_THAT(R(&RegistryStub::CreateDelegation, organizer, request, &out), RpcOk()) << d.id;
    }
  }

  // A session of the event in Scheduling (a site visit: it needs no room), as an organizer.
  void CreateSession(const std::string& id, absl::Time start, absl::Time end,
                     sv1::Session* out = nullptr) {
    sv1::CreateSessionRequest request;
    request.set_parent(kEvent);
    request.set_session_id(id);
    sv1::Session* session = request.mutable_session();
    session->set_title(absl::StrCat("Session ", id));
    session->set_kind(sv1::Session::KIND_SITE_VISIT);
    session->set_location("Capitol Hill");
    *session->mutable_start_time() = Ts(start);
    *session->mutable_end_time() = Ts(end);
    sv1::Session ignored;
    ASSERT_THAT(S(&SchedulingStub::CreateSession, Organizer(), request,
                  out != nullptr ? out : &ignored),
                RpcOk())
        << id;
  }

  // ---- Short forms of Statements calls.

  grpc::Status Create(const v1::Statement& statement, const std::string& id,
                      v1::Statement* out = nullptr, const std::string& token = kAsOrganizer,
                      const std::string& request_id = "", absl::Duration timeout = kPatience) {
    v1::CreateStatementRequest request;
    request.set_parent(kEvent);
    *request.mutable_statement() = statement;
    request.set_statement_id(id);
    request.set_request_id(request_id);
    v1::Statement ignored;
    return St(&StatementsStub::CreateStatement, As(token), request,
              out != nullptr ? out : &ignored, timeout);
  }

  grpc::Status Get(const std::string& name, const std::string& token,
                   v1::Statement* out = nullptr) {
    v1::GetStatementRequest request;
    request.set_name(name);
    v1::Statement ignored;
    return St(&StatementsStub::GetStatement, token, request, out != nullptr ? out : &ignored);
  }

  grpc::Status Update(const v1::Statement& statement, const std::vector<std::string>& paths,
                      v1::Statement* out = nullptr, const std::string& token = kAsOrganizer) {
    v1::UpdateStatementRequest request;
    *request.mutable_statement() = statement;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    v1::Statement ignored;
    return St(&StatementsStub::UpdateStatement, As(token), request,
              out != nullptr ? out : &ignored);
  }

  grpc::Status Delete(const std::string& name, const std::string& token = kAsOrganizer) {
    v1::DeleteStatementRequest request;
    request.set_name(name);
    google::protobuf::Empty empty;
    return St(&StatementsStub::DeleteStatement, As(token), request,
              &empty);
  }

  grpc::Status Submit(const std::string& name, v1::Statement* out = nullptr,
                      const std::string& token = kAsOrganizer) {
    v1::SubmitStatementRequest request;
    request.set_name(name);
    v1::Statement ignored;
    return St(&StatementsStub::SubmitStatement, As(token), request,
              out != nullptr ? out : &ignored);
  }

  grpc::Status Approve(const std::string& name, const std::string& text_hash,
                       const std::string& delegation = "", v1::Statement* out = nullptr,
                       const std::string& token = kAsOrganizer) {
    v1::ApproveStatementRequest request;
    request.set_name(name);
    request.set_text_hash(text_hash);
    request.set_delegation(delegation.empty() ? "" : DelegationName(delegation));
    v1::Statement ignored;
    return St(&StatementsStub::ApproveStatement, As(token), request,
              out != nullptr ? out : &ignored);
  }

  grpc::Status Publish(const std::string& name, v1::Statement* out = nullptr,
                       const std::string& token = kAsOrganizer) {
    v1::PublishStatementRequest request;
    request.set_name(name);
    v1::Statement ignored;
    return St(&StatementsStub::PublishStatement, As(token), request,
              out != nullptr ? out : &ignored);
  }

  grpc::Status Correct(const std::string& name, const std::string& title,
                       const std::vector<v1::StatementBody>& bodies, const std::string& note,
                       v1::Statement* out = nullptr, const std::string& token = kAsOrganizer) {
    v1::CorrectStatementRequest request;
    request.set_name(name);
    request.set_title(title);
    for (const v1::StatementBody& body : bodies) *request.add_bodies() = body;
    request.set_correction_note(note);
    v1::Statement ignored;
    return St(&StatementsStub::CorrectStatement, As(token), request,
              out != nullptr ? out : &ignored);
  }

  grpc::Status Retract(const std::string& name, const std::string& reason,
                       v1::Statement* out = nullptr, const std::string& token = kAsOrganizer) {
    v1::RetractStatementRequest request;
    request.set_name(name);
    request.set_reason(reason);
    v1::Statement ignored;
    return St(&StatementsStub::RetractStatement, As(token), request,
              out != nullptr ? out : &ignored);
  }

  // Creates, submits, approves (as an organizer) and publishes a statement without
  // signatories; `out` is the published statement.
  void CreateAndPublish(const v1::Statement& statement, const std::string& id,
                        v1::Statement* out = nullptr) {
    v1::Statement created, published;
    ASSERT_THAT(Create(statement, id, &created), RpcOk()) << id;
    ASSERT_THAT(Submit(created.name()), RpcOk()) << id;
    ASSERT_THAT(Approve(created.name(), created.text_hash()), RpcOk()) << id;
    ASSERT_THAT(Publish(created.name(), &published), RpcOk()) << id;
    ASSERT_EQ(published.state(), v1::Statement::STATE_PUBLISHED) << id;
    if (out != nullptr) *out = published;
  }

  // ListStatements, every page (of `page_size`), as `token` sees it.
  std::vector<v1::Statement> List(const std::string& token, const std::string& filter = "",
                                  int page_size = 1000) {
    std::vector<v1::Statement> statements;
    std::string page_token;
    for (int page = 0; page < 100; ++page) {  // bounded
      v1::ListStatementsRequest request;
      request.set_parent(kEvent);
      request.set_page_size(page_size);
      request.set_page_token(page_token);
      request.set_filter(filter);
      v1::ListStatementsResponse response;
      const grpc::Status status = St(&StatementsStub::ListStatements, token, request, &response);
      EXPECT_THAT(status, RpcOk()) << filter;
      if (!status.ok()) break;
      EXPECT_LE(response.statements_size(), page_size);
      for (const v1::Statement& statement : response.statements()) {
        statements.push_back(statement);
      }
      page_token = response.next_page_token();
      if (page_token.empty()) break;
    }
    return statements;
  }
  std::vector<std::string> ListNames(const std::string& token, const std::string& filter = "",
                                     int page_size = 1000) {
    return NamesOf(List(token, filter, page_size));
  }

  // SearchStatements, every page, as `token` sees it.
  std::vector<v1::SearchResult> Search(const std::string& token, const std::string& query,
                                       const std::string& filter = "", int page_size = 100,
                                       std::optional<absl::Time> from = std::nullopt,
                                       std::optional<absl::Time> to = std::nullopt) {
    std::vector<v1::SearchResult> results;
    std::string page_token;
    for (int page = 0; page < 100; ++page) {  // bounded
      v1::SearchStatementsRequest request;
      request.set_parent(kEvent);
      request.set_query(query);
      request.set_filter(filter);
      request.set_page_size(page_size);
      request.set_page_token(page_token);
      if (from.has_value()) *request.mutable_publish_time_start() = Ts(*from);
      if (to.has_value()) *request.mutable_publish_time_end() = Ts(*to);
      v1::SearchStatementsResponse response;
      const grpc::Status status =
          St(&StatementsStub::SearchStatements, token, request, &response);
      EXPECT_THAT(status, RpcOk()) << query << " / " << filter;
      if (!status.ok()) break;
      EXPECT_LE(response.results_size(), page_size);
      for (const v1::SearchResult& result : response.results()) results.push_back(result);
      page_token = response.next_page_token();
      if (page_token.empty()) break;
    }
    return results;
  }
  std::vector<std::string> SearchNames(const std::string& token, const std::string& query,
                                       const std::string& filter = "", int page_size = 100,
                                       std::optional<absl::Time> from = std::nullopt,
                                       std::optional<absl::Time> to = std::nullopt) {
    std::vector<std::string> names;
    for (const v1::SearchResult& result : Search(token, query, filter, page_size, from, to)) {
      names.push_back(result.statement().name());
    }
    return names;
  }

  // ListStatementRevisions, every page, as `token` sees it.
  std::vector<v1::StatementRevision> Revisions(const std::string& name, const std::string& token,
                                               int page_size = 1000) {
    std::vector<v1::StatementRevision> revisions;
    std::string page_token;
    for (int page = 0; page < 100; ++page) {  // bounded
      v1::ListStatementRevisionsRequest request;
      request.set_name(name);
      request.set_page_size(page_size);
      request.set_page_token(page_token);
      v1::ListStatementRevisionsResponse response;
      const grpc::Status status =
          St(&StatementsStub::ListStatementRevisions, token, request, &response);
      EXPECT_THAT(status, RpcOk()) << name;
      if (!status.ok()) break;
      for (const v1::StatementRevision& revision : response.revisions()) {
        revisions.push_back(revision);
      }
      page_token = response.next_page_token();
      if (page_token.empty()) break;
    }
    return revisions;
  }

  grpc::Status EmbargoedReads(const std::string& token, const std::string& statement,
                              v1::ListEmbargoedReadsResponse* out) {
    v1::ListEmbargoedReadsRequest request;
    request.set_parent(kEvent);
    request.set_statement(statement);
    request.set_page_size(1000);
    return St(&StatementsStub::ListEmbargoedReads, token, request, out);
  }

  // A watcher of the feed, on `replica` (default: the first one).
  std::unique_ptr<FeedWatcher> Watch(const std::string& token, bool from_beginning,
                                     const std::string& resume_token = "",
                                     StatementsStub* replica = nullptr) {
    v1::WatchStatementsRequest request;
    request.set_parent(kEvent);
    request.set_from_beginning(from_beginning);
    request.set_resume_token(resume_token);
    return std::make_unique<FeedWatcher>(replica != nullptr ? replica : statements_stub_.get(),
                                         token, request);
  }

  // Everything an organizer can read: every statement and every revision of it. Equal
  // snapshots mean nothing was written.
  std::string Snapshot() {
    const std::string organizer = Organizer();
    std::string out;
    for (const v1::Statement& statement : List(organizer)) {
      absl::StrAppend(&out, statement.ShortDebugString(), "\n");
      for (const v1::StatementRevision& revision : Revisions(statement.name(), organizer)) {
        absl::StrAppend(&out, revision.ShortDebugString(), "\n");
      }
    }
    return out;
  }

  // Polls (bounded) until `token` can read the statement; true when it could.
  bool WaitUntilReadable(const std::string& name, const std::string& token,
                         v1::Statement* out = nullptr, absl::Duration patience = absl::Seconds(30)) {
    const absl::Time give_up = absl::Now() + patience;
    while (absl::Now() < give_up) {
      if (Get(name, token, out).ok()) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  // Sends the registry `signal`; for SIGSTOP waits until it is stopped, for SIGKILL until it
  // has exited.
  void SignalRegistry(int signal) {
    if (signal == SIGSTOP) {
      ASSERT_OK(Registry().Pause(kPatience));
    } else {
      ASSERT_OK(Registry().Signal(signal));
    }
    if (signal == SIGKILL) {
      absl::StatusOr<int> exit_code = Registry().WaitForExit(kPatience);
      ASSERT_OK(exit_code.status()) << Registry().AllStderr();
    }
  }

  std::unique_ptr<Suite> suite_;  // a stopped process too is killed when it goes
  std::unique_ptr<RegistryStub> registry_stub_;
  std::unique_ptr<SchedulingStub> scheduling_stub_;
  std::unique_ptr<StatementsStub> statements_stub_;
};

// ---------------------------------------------------------------------------------------------
// 1. The lifecycle, and every wrong transition refused without a change.

TEST_F(StatementsIntegrationTest, AStatementGoesThroughItsLifecycleAndRefusesWrongTransitions) {
  const std::string organizer = Organizer();
  const std::string name = StatementName("closing-release");

  // Every transition a statement in its current state does not allow: WRONG_STATE, and the
  // stored statement (and everything else) unchanged.
  enum Transition { kSubmit, kApprove, kPublish, kCorrect, kRetract, kUpdate, kDelete };
  const auto refuse = [&](std::initializer_list<Transition> transitions) {
    const std::string before = Snapshot();
    v1::Statement current;
    ASSERT_THAT(Get(name, organizer, &current), RpcOk());
    for (Transition transition : transitions) {
      grpc::Status status;
      switch (transition) {
        case kSubmit:
          status = Submit(name);
          break;
        case kApprove:
          status = Approve(name, current.text_hash());
          break;
        case kPublish:
          status = Publish(name);
          break;
        case kCorrect:
          status = Correct(name, "Corrected title", {}, "Title corrected.");
          break;
        case kRetract:
          status = Retract(name, "Issued in error.");
          break;
        case kUpdate: {
          v1::Statement change = current;
          change.set_title("Edited after publication");
          status = Update(change, {"title"});
          break;
        }
        case kDelete:
          status = Delete(name);
          break;
      }
      EXPECT_THAT(status, RpcWrongState())
          << "transition " << transition << " from "
          << v1::Statement::State_Name(current.state());
      EXPECT_TRUE(Unchanged(before, Snapshot()))
          << "transition " << transition << " from "
          << v1::Statement::State_Name(current.state());
    }
  };

  // Created as a DRAFT, revision 1; a retried create (same request_id) makes it once.
  v1::Statement created, again;
  const v1::Statement release = PressRelease(
      "Summit closes", "The summit closed with new agreements on joint production.");
  ASSERT_THAT(Create(release, "closing-release", &created, organizer, "5d7c0e6a-closing"),
              RpcOk());
  EXPECT_EQ(created.name(), name);
  EXPECT_EQ(created.state(), v1::Statement::STATE_DRAFT);
  EXPECT_EQ(created.revision_id(), "1");
  EXPECT_FALSE(created.text_hash().empty());
  EXPECT_FALSE(created.etag().empty());
  EXPECT_FALSE(created.embargoed());
  EXPECT_FALSE(created.has_publish_time());
  ASSERT_THAT(Create(release, "closing-release", &again, organizer, "5d7c0e6a-closing"), RpcOk());
  EXPECT_EQ(again.ShortDebugString(), created.ShortDebugString());
  EXPECT_THAT(ListNames(organizer), ElementsAre(name));
  EXPECT_THAT(Create(release, "closing-release"), RpcCode(Code::ALREADY_EXISTS));

  // Only organizers see it before publication; only organizers write.
  EXPECT_THAT(Get(name, Public()), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(Get(name, Press()), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(Get(name, Delegate("umerov")), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(ListNames(Public()), IsEmpty());
  EXPECT_THAT(ListNames(Press()), IsEmpty());
  EXPECT_THAT(Create(release, "by-press", nullptr, Press()), RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(Create(release, "by-delegate", nullptr, Delegate("zelensky")),
              RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(Create(release, "by-public", nullptr, Public()), RpcCode(Code::UNAUTHENTICATED));
  EXPECT_THAT(Create(release, "by-forger", nullptr, "not-a-jwt"), RpcCode(Code::UNAUTHENTICATED));
  EXPECT_THAT(Get(name, "not-a-jwt"), RpcCode(Code::UNAUTHENTICATED));  // never silently public
  EXPECT_THAT(Submit(name, nullptr, Delegate("zelensky")), RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(Submit(name, nullptr, Press()), RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(Submit(name, nullptr, Public()), RpcCode(Code::UNAUTHENTICATED));

  ASSERT_NO_FATAL_FAILURE(refuse({kApprove, kPublish, kCorrect, kRetract}));

  // Edited in DRAFT: a new revision.
  v1::Statement edited;
  v1::Statement change = created;
  change.set_title("Summit closes with agreements");
  ASSERT_THAT(Update(change, {"title"}, &edited), RpcOk());
  EXPECT_EQ(edited.revision_id(), "2");
  EXPECT_NE(edited.text_hash(), created.text_hash());
  EXPECT_EQ(edited.state(), v1::Statement::STATE_DRAFT);
  EXPECT_THAT(Update(change, {"title"}), RpcCode(Code::ABORTED));  // created's etag is stale

  v1::Statement submitted;
  ASSERT_THAT(Submit(name, &submitted), RpcOk());
  EXPECT_EQ(submitted.state(), v1::Statement::STATE_IN_REVIEW);
  ASSERT_NO_FATAL_FAILURE(refuse({kSubmit, kPublish, kCorrect, kRetract, kDelete}));

  // An approval of a text that is no longer current is ABORTED, and changes nothing.
  {
    const std::string before = Snapshot();
    EXPECT_THAT(Approve(name, created.text_hash()),
                RpcErrorWithReason(Code::ABORTED, "TEXT_CHANGED"));
    EXPECT_THAT(Approve(name, ""), RpcInvalidOn("text_hash"));
    EXPECT_THAT(Approve(name, edited.text_hash(), "ukraine"), RpcInvalidOn("delegation"));
    EXPECT_THAT(Approve(name, edited.text_hash(), "", nullptr, Press()),
                RpcCode(Code::PERMISSION_DENIED));
    EXPECT_TRUE(Unchanged(before, Snapshot()));
  }
  v1::Statement approved;
  ASSERT_THAT(Approve(name, edited.text_hash(), "", &approved), RpcOk());
  EXPECT_EQ(approved.state(), v1::Statement::STATE_APPROVED);
  ASSERT_NO_FATAL_FAILURE(refuse({kSubmit, kApprove, kCorrect, kRetract, kDelete}));

  // An edit of the text of an APPROVED statement sends it back to review, as revision 3.
  change = approved;
  change.mutable_bodies(0)->set_text(
      "The summit closed with new agreements on joint production and repair.");
  v1::Statement reopened;
  ASSERT_THAT(Update(change, {"bodies"}, &reopened), RpcOk());
  EXPECT_EQ(reopened.state(), v1::Statement::STATE_IN_REVIEW);
  EXPECT_EQ(reopened.revision_id(), "3");
  EXPECT_THAT(Approve(name, edited.text_hash()),
              RpcErrorWithReason(Code::ABORTED, "TEXT_CHANGED"));
  ASSERT_THAT(Approve(name, reopened.text_hash(), "", &approved), RpcOk());
  EXPECT_EQ(approved.state(), v1::Statement::STATE_APPROVED);

  EXPECT_THAT(Publish(name, nullptr, Press()), RpcCode(Code::PERMISSION_DENIED));
  v1::Statement published;
  ASSERT_THAT(Publish(name, &published), RpcOk());
  EXPECT_EQ(published.state(), v1::Statement::STATE_PUBLISHED);
  EXPECT_TRUE(published.has_publish_time());
  EXPECT_FALSE(published.embargoed());
  EXPECT_EQ(published.revision_id(), "3");
  EXPECT_EQ(published.text_hash(), reopened.text_hash());
  ASSERT_NO_FATAL_FAILURE(refuse({kSubmit, kApprove, kPublish, kUpdate, kDelete}));

  // Published: everyone reads it.
  v1::Statement read;
  ASSERT_THAT(Get(name, Public(), &read), RpcOk());
  EXPECT_EQ(read.ShortDebugString(), published.ShortDebugString());
  EXPECT_THAT(ListNames(Public()), ElementsAre(name));
  EXPECT_THAT(ListNames(Delegate("umerov")), ElementsAre(name));

  EXPECT_THAT(Retract(name, "", nullptr), RpcInvalidOn("reason"));
  EXPECT_THAT(Retract(name, "Issued in error.", nullptr, Press()),
              RpcCode(Code::PERMISSION_DENIED));
  v1::Statement retracted;
  ASSERT_THAT(Retract(name, "Issued in error.", &retracted), RpcOk());
  EXPECT_EQ(retracted.state(), v1::Statement::STATE_RETRACTED);
  ASSERT_NO_FATAL_FAILURE(
      refuse({kSubmit, kApprove, kPublish, kCorrect, kRetract, kUpdate, kDelete}));

  // Only a DRAFT is deleted, and with it its searchable text.
  v1::Statement draft;
  ASSERT_THAT(Create(PressRelease("Draft", "To be deleted: zanzibar."), "to-delete", &draft),
              RpcOk());
  EXPECT_THAT(SearchNames(organizer, "zanzibar"), ElementsAre(draft.name()));
  EXPECT_THAT(Delete(draft.name(), Press()), RpcCode(Code::PERMISSION_DENIED));
  ASSERT_THAT(Delete(draft.name()), RpcOk());
  EXPECT_THAT(Get(draft.name(), organizer), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(SearchNames(organizer, "zanzibar"), IsEmpty());
  EXPECT_THAT(Delete(draft.name()), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(ListNames(organizer), ElementsAre(name));
}

// ---------------------------------------------------------------------------------------------
// 2. Joint statements: every signatory approves the exact text.

TEST_F(StatementsIntegrationTest, AJointStatementIsApprovedByEverySignatoryOfTheExactText) {
  const std::string organizer = Organizer();
  const std::string zelensky = Delegate("zelensky");  // head of Ukraine
  const std::string hill = Delegate("hill");          // head of the United States
  const std::string umerov = Delegate("umerov");      // member of Ukraine, not its head
  const std::string name = StatementName("joint-ua-us");

  v1::Statement created;
  ASSERT_THAT(Create(JointStatement(), "joint-ua-us", &created), RpcOk());
  EXPECT_THAT(created.signatories(),
              ElementsAre(DelegationName("ukraine"), DelegationName("united-states")));
  EXPECT_THAT(created.speakers(), IsEmpty());
  ASSERT_THAT(Submit(name), RpcOk());

  // The heads of the signatory delegations read it before publication; no one else but
  // organizers does.
  v1::Statement read;
  EXPECT_THAT(Get(name, zelensky, &read), RpcOk());
  EXPECT_EQ(read.state(), v1::Statement::STATE_IN_REVIEW);
  EXPECT_THAT(Get(name, hill), RpcOk());
  EXPECT_THAT(Get(name, umerov), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(Get(name, Delegate("brooks")), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(Get(name, Press()), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(Get(name, Public()), RpcCode(Code::NOT_FOUND));

  // Refused approvals change nothing.
  {
    const std::string before = Snapshot();
    // A member who is not the head: the unpublished statement is not even visible to them, so
    // it is NOT_FOUND (as for a Get), which does not disclose that it exists.
    EXPECT_THAT(Approve(name, created.text_hash(), "ukraine", nullptr, umerov),
                RpcCode(Code::NOT_FOUND));
    // The head of another signatory approving for Ukraine.
    EXPECT_THAT(Approve(name, created.text_hash(), "ukraine", nullptr, hill),
                RpcErrorWithReason(Code::PERMISSION_DENIED, "NOT_DELEGATION_HEAD"));
    EXPECT_THAT(Approve(name, created.text_hash(), "", nullptr, zelensky),
                RpcInvalidOn("delegation"));
    EXPECT_THAT(Approve(name, created.text_hash(), "poland", nullptr, organizer),
                RpcInvalidOn("delegation"));
    EXPECT_THAT(Approve(name, created.text_hash(), "ukraine", nullptr, Press()),
                RpcCode(Code::PERMISSION_DENIED));
    EXPECT_THAT(Approve(name, created.text_hash(), "ukraine", nullptr, Public()),
                RpcCode(Code::UNAUTHENTICATED));
    EXPECT_TRUE(Unchanged(before, Snapshot()));
  }

  // Ukraine's head approves revision 1; still IN_REVIEW.
  v1::Statement one;
  ASSERT_THAT(Approve(name, created.text_hash(), "ukraine", &one, zelensky), RpcOk());
  EXPECT_EQ(one.state(), v1::Statement::STATE_IN_REVIEW);
  ASSERT_THAT(one.approvals(), SizeIs(1));
  EXPECT_EQ(one.approvals(0).delegation(), DelegationName("ukraine"));
  EXPECT_EQ(one.approvals(0).approver(), PersonName("zelensky"));
  EXPECT_EQ(one.approvals(0).text_hash(), created.text_hash());

  // An edit of the text voids it.
  v1::Statement change = one;
  change.mutable_bodies(0)->set_text(
      "Ukraine and the United States will co-produce air defense systems and ammunition.");
  v1::Statement edited;
  ASSERT_THAT(Update(change, {"bodies"}, &edited), RpcOk());
  EXPECT_EQ(edited.revision_id(), "2");
  EXPECT_NE(edited.text_hash(), created.text_hash());
  EXPECT_THAT(edited.approvals(), IsEmpty());
  EXPECT_EQ(edited.state(), v1::Statement::STATE_IN_REVIEW);

  // The head who read revision 1 approves it: ABORTED, nothing changes.
  {
    const std::string before = Snapshot();
    EXPECT_THAT(Approve(name, created.text_hash(), "ukraine", nullptr, zelensky),
                RpcErrorWithReason(Code::ABORTED, "TEXT_CHANGED"));
    EXPECT_TRUE(Unchanged(before, Snapshot()));
  }

  // Ukraine's head and, for the United States, an organizer approve revision 2: APPROVED.
  ASSERT_THAT(Approve(name, edited.text_hash(), "ukraine", nullptr, zelensky), RpcOk());
  v1::Statement both;
  ASSERT_THAT(Approve(name, edited.text_hash(), "united-states", &both, organizer), RpcOk());
  EXPECT_EQ(both.state(), v1::Statement::STATE_APPROVED);
  ASSERT_THAT(both.approvals(), SizeIs(2));
  std::map<std::string, std::string> approvers;
  for (const v1::SignatoryApproval& approval : both.approvals()) {
    approvers[approval.delegation()] = approval.approver();
    EXPECT_EQ(approval.text_hash(), edited.text_hash());
    EXPECT_GT(approval.approve_time().seconds(), 0);
  }
  EXPECT_EQ(approvers[DelegationName("ukraine")], PersonName("zelensky"));
  EXPECT_EQ(approvers[DelegationName("united-states")], "people/press-officer");

  // An edit of an APPROVED joint statement voids every approval and sends it back to review.
  change = both;
  change.set_title("Joint statement on defense industrial co-production");
  v1::Statement reopened;
  ASSERT_THAT(Update(change, {"title"}, &reopened), RpcOk());
  EXPECT_EQ(reopened.state(), v1::Statement::STATE_IN_REVIEW);
  EXPECT_THAT(reopened.approvals(), IsEmpty());
  EXPECT_EQ(reopened.revision_id(), "3");
  EXPECT_THAT(Publish(name), RpcWrongState());

  // Both heads approve revision 3 themselves, and it is published.
  v1::Statement half;
  ASSERT_THAT(Approve(name, reopened.text_hash(), "united-states", &half, hill), RpcOk());
  EXPECT_EQ(half.state(), v1::Statement::STATE_IN_REVIEW);
  v1::Statement approved;
  ASSERT_THAT(Approve(name, reopened.text_hash(), "ukraine", &approved, zelensky), RpcOk());
  EXPECT_EQ(approved.state(), v1::Statement::STATE_APPROVED);
  EXPECT_THAT(Approve(name, reopened.text_hash(), "ukraine", nullptr, zelensky),
              RpcWrongState());
  // Heads approve; they do not publish.
  EXPECT_THAT(Publish(name, nullptr, zelensky), RpcCode(Code::PERMISSION_DENIED));
  v1::Statement published;
  ASSERT_THAT(Publish(name, &published), RpcOk());
  EXPECT_EQ(published.state(), v1::Statement::STATE_PUBLISHED);
  EXPECT_THAT(Get(name, Public()), RpcOk());
  EXPECT_THAT(Get(name, umerov), RpcOk());
}

// ---------------------------------------------------------------------------------------------
// 3. Corrections keep every revision; retraction keeps the statement, marked.

TEST_F(StatementsIntegrationTest, CorrectionsKeepHistoryAndRetractionKeepsTheStatementMarked) {
  const std::string organizer = Organizer();
  const std::string name = StatementName("umerov-quote");
  v1::Statement created;
  ASSERT_THAT(Create(MakeStatement(v1::Statement::KIND_QUOTE, "Umerov on ammunition",
                                   {Body("uk", "Ми збільшимо виробництво снарядів.", true),
                                    Body("en", "We will increase shell production.")},
                                   {"umerov"}),
                     "umerov-quote", &created),
              RpcOk());
  // Revision 2 before publication: never published, so only organizers see it.
  v1::Statement change = created;
  change.mutable_bodies(1)->set_text("We will increase the production of shells.");
  v1::Statement edited;
  ASSERT_THAT(Update(change, {"bodies"}, &edited), RpcOk());
  ASSERT_THAT(Submit(name), RpcOk());
  ASSERT_THAT(Approve(name, edited.text_hash()), RpcOk());
  v1::Statement published;
  ASSERT_THAT(Publish(name, &published), RpcOk());
  EXPECT_EQ(published.revision_id(), "2");
  EXPECT_EQ(published.correction_note(), "");

  auto feed = Watch(Public(), /*from_beginning=*/true);

  // Bad corrections change nothing.
  {
    const std::string before = Snapshot();
    EXPECT_THAT(Correct(name, "", {}, ""), RpcInvalidOn("correction_note"));
    EXPECT_THAT(Correct(name, "", {}, "Nothing changed."), RpcInvalidOn("bodies"));
    EXPECT_THAT(Correct(name, "", {Body("en", "Two originals.", true), Body("uk", "Два.", true)},
                        "Bad."),
                RpcInvalidOn("bodies"));
    EXPECT_THAT(Correct(name, "", {}, "By the press.", nullptr, Press()),
                RpcCode(Code::PERMISSION_DENIED));
    EXPECT_TRUE(Unchanged(before, Snapshot()));
  }

  // The correction: revision 3 with its public note; the earlier text stays readable.
  const std::vector<v1::StatementBody> corrected = {
      Body("uk", "Ми подвоїмо виробництво снарядів.", true),
      Body("en", "We will double the production of shells.")};
  v1::Statement correction;
  ASSERT_THAT(Correct(name, "", corrected, "The minister said \"double\", not \"increase\".",
                      &correction),
              RpcOk());
  EXPECT_EQ(correction.state(), v1::Statement::STATE_PUBLISHED);
  EXPECT_EQ(correction.revision_id(), "3");
  EXPECT_EQ(correction.title(), "Umerov on ammunition");
  EXPECT_EQ(correction.bodies(0).text(), "Ми подвоїмо виробництво снарядів.");
  EXPECT_EQ(correction.correction_note(), "The minister said \"double\", not \"increase\".");
  EXPECT_EQ(FromTs(correction.publish_time()), FromTs(published.publish_time()));
  v1::Statement read;
  ASSERT_THAT(Get(name, Public(), &read), RpcOk());
  EXPECT_EQ(read.revision_id(), "3");
  EXPECT_EQ(read.correction_note(), correction.correction_note());

  // The public sees the published revisions (2 and 3), the organizer every one, oldest first.
  const std::vector<v1::StatementRevision> seen = Revisions(name, Public());
  ASSERT_THAT(seen, SizeIs(2));
  EXPECT_EQ(seen[0].revision_id(), "2");
  EXPECT_EQ(seen[0].name(), absl::StrCat(name, "/revisions/2"));
  EXPECT_EQ(seen[0].bodies(1).text(), "We will increase the production of shells.");
  EXPECT_EQ(seen[0].correction_note(), "");
  EXPECT_TRUE(seen[0].has_publish_time());
  EXPECT_EQ(seen[1].revision_id(), "3");
  EXPECT_EQ(seen[1].correction_note(), correction.correction_note());
  EXPECT_EQ(seen[1].text_hash(), correction.text_hash());
  EXPECT_TRUE(seen[1].has_publish_time());
  const std::vector<v1::StatementRevision> all = Revisions(name, organizer);
  ASSERT_THAT(all, SizeIs(3));
  EXPECT_EQ(all[0].revision_id(), "1");
  EXPECT_EQ(all[0].bodies(1).text(), "We will increase shell production.");
  EXPECT_FALSE(all[0].has_publish_time());
  EXPECT_EQ(all[0].text_hash(), created.text_hash());
  // In pages of one, the same.
  std::vector<std::string> paged;
  for (const v1::StatementRevision& revision : Revisions(name, organizer, 1)) {
    paged.push_back(revision.revision_id());
  }
  EXPECT_THAT(paged, ElementsAre("1", "2", "3"));
  EXPECT_THAT(Revisions(name, Press()), SizeIs(2));

  // Retraction: still readable, marked, with its reason; its revisions stay.
  v1::Statement retracted;
  ASSERT_THAT(Retract(name, "The quote was attributed to the wrong speaker.", &retracted),
              RpcOk());
  EXPECT_EQ(retracted.state(), v1::Statement::STATE_RETRACTED);
  EXPECT_EQ(retracted.retraction_reason(), "The quote was attributed to the wrong speaker.");
  ASSERT_THAT(Get(name, Public(), &read), RpcOk());
  EXPECT_EQ(read.state(), v1::Statement::STATE_RETRACTED);
  EXPECT_EQ(read.retraction_reason(), retracted.retraction_reason());
  EXPECT_EQ(read.revision_id(), "3");
  EXPECT_THAT(ListNames(Public(), "state = STATE_RETRACTED"), ElementsAre(name));
  EXPECT_THAT(ListNames(Public(), "state = STATE_PUBLISHED"), IsEmpty());
  EXPECT_THAT(Revisions(name, Public()), SizeIs(2));
  EXPECT_THAT(Correct(name, "", {Body("en", "Again.", true)}, "Again."), RpcWrongState());

  // The public feed: published, corrected, retracted, in that order.
  ASSERT_TRUE(feed->WaitForEvents(3)) << FeedLines(feed->Events()).size();
  const std::vector<v1::StatementEvent> events = feed->Events();
  EXPECT_THAT(FeedLines(events),
              ElementsAre(FeedLine(v1::StatementEvent::KIND_PUBLISHED, name),
                          FeedLine(v1::StatementEvent::KIND_CORRECTED, name),
                          FeedLine(v1::StatementEvent::KIND_RETRACTED, name)));
  EXPECT_EQ(events[1].statement().correction_note(), correction.correction_note());
  EXPECT_EQ(events[2].statement().retraction_reason(), retracted.retraction_reason());
}

// Provenance is the speaker as the Registry knew them when the statement was created.
TEST_F(StatementsIntegrationTest, ProvenanceKeepsTheSpeakerAsTheyWereWhenItWasSaid) {
  v1::Statement before;
  ASSERT_THAT(Create(MakeStatement(v1::Statement::KIND_QUOTE, "Umerov on air defense",
                                   {Body("en", "Air defense is our first priority.", true)},
                                   {"umerov", "hill"}),
                     "umerov-air-defense", &before),
              RpcOk());
  ASSERT_THAT(before.provenance(), SizeIs(2));
  EXPECT_EQ(before.provenance(0).person(), PersonName("umerov"));
  EXPECT_EQ(before.provenance(0).display_name(), "Rustem Umerov");
  EXPECT_EQ(before.provenance(0).native_name(), "Рустем Умєров");
  EXPECT_EQ(before.provenance(0).title(), "Minister of Defense of Ukraine");
  EXPECT_EQ(before.provenance(0).organization(), "organizations/ua-mod");
  EXPECT_EQ(before.provenance(1).person(), PersonName("hill"));
  EXPECT_EQ(before.provenance(1).title(), "Under Secretary of Defense");

  // The Registry changes Umerov's title and organization.
  rv1::UpdatePersonRequest update;
  update.mutable_person()->set_name(PersonName("umerov"));
  update.mutable_person()->set_title("Secretary of the National Security and Defense Council");
  update.mutable_person()->set_organization("organizations/ua-president-office");
  update.mutable_update_mask()->add_paths("title");
  update.mutable_update_mask()->add_paths("organization");
  rv1::Person person;
  ASSERT_THAT(R(&RegistryStub::UpdatePerson, Organizer(), update, &person), RpcOk());

  v1::Statement read;
  ASSERT_THAT(Get(before.name(), Organizer(), &read), RpcOk());
  EXPECT_EQ(read.provenance(0).title(), "Minister of Defense of Ukraine");
  EXPECT_EQ(read.provenance(0).organization(), "organizations/ua-mod");
  // An edit that keeps the speaker keeps the provenance too.
  v1::Statement change = read;
  change.set_title("Umerov on air defense, again");
  v1::Statement edited;
  ASSERT_THAT(Update(change, {"title"}, &edited), RpcOk());
  EXPECT_EQ(edited.provenance(0).title(), "Minister of Defense of Ukraine");
  ASSERT_THAT(Submit(before.name()), RpcOk());
  ASSERT_THAT(Approve(before.name(), edited.text_hash()), RpcOk());
  ASSERT_THAT(Publish(before.name(), &read), RpcOk());
  EXPECT_EQ(read.provenance(0).title(), "Minister of Defense of Ukraine");
  ASSERT_THAT(Get(before.name(), Public(), &read), RpcOk());
  EXPECT_EQ(read.provenance(0).title(), "Minister of Defense of Ukraine");

  // A statement made now records the new title.
  v1::Statement after;
  ASSERT_THAT(Create(MakeStatement(v1::Statement::KIND_QUOTE, "Umerov in his new role",
                                   {Body("en", "Security comes first.", true)}, {"umerov"}),
                     "umerov-new-role", &after),
              RpcOk());
  ASSERT_THAT(after.provenance(), SizeIs(1));
  EXPECT_EQ(after.provenance(0).title(), "Secretary of the National Security and Defense Council");
  EXPECT_EQ(after.provenance(0).organization(), "organizations/ua-president-office");
}

// A statement keeps when it was said apart from when Summit published it: a quote from the
// summit's first day, published later, reads as said that day (the web page showed the demo's
// December 2023 quotes dated the day the demo was loaded).
TEST_F(StatementsIntegrationTest, WhenItWasSaidIsKeptApartFromWhenItWasPublished) {
  v1::Statement quote = MakeStatement(v1::Statement::KIND_QUOTE, "Umerov on the first day",
                                      {Body("en", "We came to build together.", true)}, {"umerov"});
  quote.mutable_said_time()->set_seconds(1701873600);  // 2023-12-06T14:40:00Z
  v1::Statement created;
  ASSERT_THAT(Create(quote, "umerov-first-day", &created), RpcOk());
  EXPECT_EQ(created.said_time().seconds(), 1701873600);
  // Editable while the statement may be edited.
  v1::Statement change = created;
  change.mutable_said_time()->set_seconds(1701874200);
  v1::Statement edited;
  ASSERT_THAT(Update(change, {"said_time"}, &edited), RpcOk());
  EXPECT_EQ(edited.said_time().seconds(), 1701874200);
  ASSERT_THAT(Submit(created.name()), RpcOk());
  ASSERT_THAT(Approve(created.name(), edited.text_hash()), RpcOk());
  v1::Statement published;
  ASSERT_THAT(Publish(created.name(), &published), RpcOk());
  v1::Statement read;
  ASSERT_THAT(Get(created.name(), Public(), &read), RpcOk());
  EXPECT_EQ(read.said_time().seconds(), 1701874200);
  EXPECT_GT(read.publish_time().seconds(), read.said_time().seconds());
  // Not a time at all: refused, nothing made.
  v1::Statement bad = quote;
  bad.mutable_said_time()->set_nanos(-1);
  v1::Statement refused;
  EXPECT_THAT(Create(bad, "umerov-bad-time", &refused), RpcInvalidOn("statement.said_time"));
  EXPECT_THAT(Get(StatementName("umerov-bad-time"), Organizer(), &read),
              RpcCode(grpc::StatusCode::NOT_FOUND));
}

// ---------------------------------------------------------------------------------------------
// 4. Embargoes: who sees what, in every read, and the audit of the press's reads.

TEST_F(StatementsIntegrationTest, AnEmbargoedStatementIsSeenByPressAndOrganizersOnlyAndAudited) {
  const std::string organizer = Organizer();
  const std::string press = Press("jane-doe");
  const std::string delegate = Delegate("umerov");
  // One published statement without embargo, one under an embargo an hour away.
  const std::string open = StatementName("open-release");
  const std::string embargoed = StatementName("embargoed-release");
  ASSERT_NO_FATAL_FAILURE(CreateAndPublish(
      PressRelease("Opening", "The summit opened with a call for solidarity."), "open-release"));
  v1::Statement statement =
      PressRelease("Agreement", "Partners signed an agreement on solidarity in production.");
  *statement.mutable_embargo_time() = Ts(absl::Now() + absl::Hours(1));
  v1::Statement published;
  ASSERT_NO_FATAL_FAILURE(CreateAndPublish(statement, "embargoed-release", &published));
  EXPECT_TRUE(published.embargoed());
  // A third publication after both: once a feed shows it, it has shown everything before it.
  const std::string last = StatementName("last-release");
  ASSERT_NO_FATAL_FAILURE(CreateAndPublish(
      PressRelease("Closing", "The summit closed with solidarity."), "last-release"));

  // The public and delegates: NOT_FOUND, and absent from lists, search and the feed.
  for (const std::string& token : {Public(), delegate}) {
    const std::string who = token.empty() ? "public" : "delegate";
    EXPECT_THAT(Get(embargoed, token), RpcCode(Code::NOT_FOUND)) << who;
    EXPECT_THAT(ListNames(token), ElementsAre(last, open)) << who;  // in order of ids
    EXPECT_THAT(SearchNames(token, "solidarity"), UnorderedElementsAre(open, last)) << who;
    EXPECT_THAT(SearchNames(token, "agreement"), IsEmpty()) << who;
    auto feed = Watch(token, /*from_beginning=*/true);
    ASSERT_TRUE(feed->WaitForEvents(2)) << who;
    EXPECT_THAT(FeedLines(feed->Events()),
                ElementsAre(FeedLine(v1::StatementEvent::KIND_PUBLISHED, open),
                            FeedLine(v1::StatementEvent::KIND_PUBLISHED, last)))
        << who;
  }
  // Organizers see it, and their reads are not recorded.
  v1::Statement read;
  ASSERT_THAT(Get(embargoed, organizer, &read), RpcOk());
  EXPECT_TRUE(read.embargoed());
  EXPECT_THAT(ListNames(organizer), ElementsAre(embargoed, last, open));
  EXPECT_THAT(SearchNames(organizer, "agreement"), ElementsAre(embargoed));
  {
    auto feed = Watch(organizer, /*from_beginning=*/true);
    ASSERT_TRUE(feed->WaitForEvents(3));
    EXPECT_THAT(FeedLines(feed->Events()),
                ElementsAre(FeedLine(v1::StatementEvent::KIND_PUBLISHED, open),
                            FeedLine(v1::StatementEvent::KIND_PUBLISHED, embargoed),
                            FeedLine(v1::StatementEvent::KIND_PUBLISHED, last)));
  }
  v1::ListEmbargoedReadsResponse reads;
  ASSERT_THAT(EmbargoedReads(organizer, "", &reads), RpcOk());
  EXPECT_THAT(reads.reads(), IsEmpty());

  // The press sees it everywhere, and every read is recorded.
  ASSERT_THAT(Get(embargoed, press, &read), RpcOk());
  EXPECT_TRUE(read.embargoed());
  EXPECT_EQ(read.state(), v1::Statement::STATE_PUBLISHED);
  EXPECT_THAT(ListNames(press), ElementsAre(embargoed, last, open));
  EXPECT_THAT(SearchNames(press, "agreement"), ElementsAre(embargoed));
  {
    auto feed = Watch(press, /*from_beginning=*/true);
    ASSERT_TRUE(feed->WaitForEvents(3));
    const std::vector<v1::StatementEvent> events = feed->Events();
    EXPECT_THAT(FeedLines(events),
                ElementsAre(FeedLine(v1::StatementEvent::KIND_PUBLISHED, open),
                            FeedLine(v1::StatementEvent::KIND_PUBLISHED, embargoed),
                            FeedLine(v1::StatementEvent::KIND_PUBLISHED, last)));
    EXPECT_TRUE(events[1].statement().embargoed());
  }
  // Reads of statements without embargo are not recorded.
  ASSERT_THAT(Get(open, press), RpcOk());

  // Organizers list the records, newest first.
  ASSERT_THAT(EmbargoedReads(organizer, "", &reads), RpcOk());
  std::vector<std::string> methods;
  for (const v1::EmbargoedRead& record : reads.reads()) {
    methods.push_back(record.method());
    EXPECT_EQ(record.statement(), embargoed);
    EXPECT_EQ(record.reader(), PersonName("jane-doe"));
    EXPECT_EQ(record.revision_id(), "1");
    EXPECT_GT(record.read_time().seconds(), 0);
  }
  EXPECT_THAT(methods, ElementsAre("WatchStatements", "SearchStatements", "ListStatements",
                                   "GetStatement"));
  for (int i = 1; i < reads.reads_size(); ++i) {
    EXPECT_GE(FromTs(reads.reads(i - 1).read_time()), FromTs(reads.reads(i).read_time()));
  }
  v1::ListEmbargoedReadsResponse of_one;
  ASSERT_THAT(EmbargoedReads(organizer, embargoed, &of_one), RpcOk());
  EXPECT_THAT(of_one.reads(), SizeIs(4));
  ASSERT_THAT(EmbargoedReads(organizer, open, &of_one), RpcOk());
  EXPECT_THAT(of_one.reads(), IsEmpty());
  // In pages of one.
  {
    v1::ListEmbargoedReadsRequest request;
    request.set_parent(kEvent);
    request.set_page_size(1);
    std::vector<std::string> paged;
    for (int page = 0; page < 10; ++page) {
      v1::ListEmbargoedReadsResponse response;
      ASSERT_THAT(St(&StatementsStub::ListEmbargoedReads, organizer, request, &response),
                  RpcOk());
      for (const v1::EmbargoedRead& record : response.reads()) paged.push_back(record.method());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    EXPECT_EQ(paged, methods);
  }
  // Nobody else may see the records.
  EXPECT_THAT(EmbargoedReads(press, "", &reads), RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(EmbargoedReads(delegate, "", &reads), RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(EmbargoedReads(Public(), "", &reads), RpcCode(Code::UNAUTHENTICATED));
}

// The embargo lifts at its time: the public then reads the statement, and its feed announces it.
TEST_F(StatementsIntegrationTest, AStatementRetractedUnderEmbargoNeverReachesThePublic) {
  const std::string name = StatementName("withdrawn-release");
  const absl::Time embargo = absl::Now() + absl::Seconds(2);
  v1::Statement statement =
      PressRelease("Withdrawn release", "Figures that were wrong and were withdrawn.");
  *statement.mutable_embargo_time() = Ts(embargo);
  v1::Statement published;
  ASSERT_NO_FATAL_FAILURE(CreateAndPublish(statement, "withdrawn-release", &published));
  if (!published.embargoed()) {
    NoteSkipped("a retraction under embargo (published after the embargo time)");
    return;
  }
  ASSERT_THAT(Retract(name, "The figures were wrong."), RpcOk());
  // Well past the embargo time, and past a lifter pass after it (bounded).
  while (absl::Now() < embargo + absl::Seconds(3)) absl::SleepFor(absl::Milliseconds(200));
  EXPECT_THAT(Get(name, Public()), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(ListNames(Public()), ::testing::Not(::testing::Contains(name)));
  EXPECT_THAT(SearchNames(Public(), "withdrawn"), ::testing::Not(::testing::Contains(name)));
  v1::Statement read;
  ASSERT_THAT(Get(name, Organizer(), &read), RpcOk());
  EXPECT_EQ(read.state(), v1::Statement::STATE_RETRACTED);
  EXPECT_TRUE(read.embargoed());
}

TEST_F(StatementsIntegrationTest, AnEmbargoLiftsAtItsTimeAndThePublicFeedAnnouncesIt) {
  const std::string name = StatementName("timed-release");
  auto public_feed = Watch(Public(), /*from_beginning=*/true);
  auto press_feed = Watch(Press(), /*from_beginning=*/true);

  const absl::Time embargo = absl::Now() + absl::Seconds(2);
  v1::Statement statement =
      PressRelease("Timed release", "New air defense deliveries were announced today.");
  *statement.mutable_embargo_time() = Ts(embargo);
  v1::Statement published;
  ASSERT_NO_FATAL_FAILURE(CreateAndPublish(statement, "timed-release", &published));
  // Published before the embargo time (not asserted: a slow machine may publish after it).
  if (absl::Now() < embargo) {
    EXPECT_TRUE(published.embargoed());
    const grpc::Status early = Get(name, Public());
    // Only meaningful when the answer came before the embargo time.
    if (absl::Now() < embargo) {
      EXPECT_THAT(early, RpcCode(Code::NOT_FOUND));
    } else {
      NoteSkipped("the public's read before the embargo time");
    }
  } else {
    NoteSkipped("the statement published before its embargo time");
  }

  // Bounded wait until the public reads it.
  v1::Statement read;
  ASSERT_TRUE(WaitUntilReadable(name, Public(), &read)) << "the embargo never lifted";
  EXPECT_GE(absl::Now(), embargo);
  EXPECT_FALSE(read.embargoed());
  EXPECT_EQ(read.state(), v1::Statement::STATE_PUBLISHED);
  EXPECT_THAT(ListNames(Public()), ElementsAre(name));
  EXPECT_THAT(SearchNames(Public(), "deliveries"), ElementsAre(name));
  EXPECT_THAT(Get(name, Delegate("umerov")), RpcOk());

  if (published.embargoed()) {
    // For the public the lift is the first time the statement appears.
    ASSERT_TRUE(public_feed->WaitForEvents(1));
    const std::vector<v1::StatementEvent> events = public_feed->Events();
    EXPECT_THAT(FeedLines(events),
                ElementsAre(FeedLine(v1::StatementEvent::KIND_EMBARGO_LIFTED, name)));
    EXPECT_FALSE(events[0].statement().embargoed());
    // The press saw the publication, then the lift.
    ASSERT_TRUE(press_feed->WaitForEvents(2));
    EXPECT_THAT(FeedLines(press_feed->Events()),
                ElementsAre(FeedLine(v1::StatementEvent::KIND_PUBLISHED, name),
                            FeedLine(v1::StatementEvent::KIND_EMBARGO_LIFTED, name)));
    // A public watcher joining now finds the lift too.
    auto late = Watch(Public(), /*from_beginning=*/true);
    ASSERT_TRUE(late->WaitForEvents(1));
    EXPECT_THAT(FeedLines(late->Events()),
                ElementsAre(FeedLine(v1::StatementEvent::KIND_EMBARGO_LIFTED, name)));
  } else {
    NoteSkipped("the feeds of an embargo that held at publication");
  }
}

// ---------------------------------------------------------------------------------------------
// 5. An embargo tied to a session follows the session when it moves.

TEST_F(StatementsIntegrationTest, ASessionEmbargoFollowsItsSessionWhenTheSessionMoves) {
  const std::string name = StatementName("bilateral-readout");
  const std::string session = SessionName("bilateral");
  const absl::Time start = absl::Now() - absl::Minutes(30);
  const absl::Time first_end = absl::Now() + absl::Seconds(2);
  ASSERT_NO_FATAL_FAILURE(CreateSession("bilateral", start, first_end));
  auto public_feed = Watch(Public(), /*from_beginning=*/true);

  v1::Statement statement = MakeStatement(
      v1::Statement::KIND_QUOTE, "Readout of the bilateral",
      {Body("en", "The ministers agreed on winter deliveries.", true)}, {"umerov"});
  statement.set_session(session);
  statement.set_embargo_session(session);
  v1::Statement published;
  ASSERT_NO_FATAL_FAILURE(CreateAndPublish(statement, "bilateral-readout", &published));
  EXPECT_EQ(published.embargo_session(), session);
  EXPECT_FALSE(published.has_embargo_time());

  // The bilateral runs late: it now ends three seconds after it was to end.
  sv1::Session moved;
  {
    sv1::GetSessionRequest get;
    get.set_name(session);
    ASSERT_THAT(S(&SchedulingStub::GetSession, Organizer(), get, &moved), RpcOk());
  }
  const absl::Time second_end = first_end + absl::Seconds(3);
  *moved.mutable_end_time() = Ts(second_end);
  sv1::UpdateSessionRequest update;
  *update.mutable_session() = moved;
  update.mutable_update_mask()->add_paths("end_time");
  ASSERT_THAT(S(&SchedulingStub::UpdateSession, Organizer(), update, &moved), RpcOk());
  // Whether the embargo demonstrably held when the session moved: only then must it follow.
  const bool held = published.embargoed() && absl::Now() < first_end;

  // After the original end, before the new one: still embargoed.
  absl::SleepFor(first_end + absl::Milliseconds(1500) - absl::Now());
  v1::Statement read;
  const grpc::Status public_read = Get(name, Public());
  ASSERT_THAT(Get(name, Organizer(), &read), RpcOk());
  if (held && absl::Now() < second_end) {  // only meaningful before the new end
    EXPECT_THAT(public_read, RpcCode(Code::NOT_FOUND));
    EXPECT_TRUE(read.embargoed());
    EXPECT_THAT(ListNames(Public()), IsEmpty());
  } else {
    NoteSkipped("the embargo after the session's first end and before its new one");
  }

  // After the new end it lifts.
  ASSERT_TRUE(WaitUntilReadable(name, Public(), &read)) << "the embargo never lifted";
  EXPECT_FALSE(read.embargoed());
  if (held) {
    EXPECT_GE(absl::Now(), second_end);
    ASSERT_TRUE(public_feed->WaitForEvents(1));
    EXPECT_THAT(FeedLines(public_feed->Events()),
                ElementsAre(FeedLine(v1::StatementEvent::KIND_EMBARGO_LIFTED, name)));
  } else {
    NoteSkipped("that the lift came after the session's new end");
  }
}

// ---------------------------------------------------------------------------------------------
// 6. The feed, resumed after a disconnect on another replica, misses nothing and repeats
// nothing: two replicas of summit-statements on one database, as a deployment runs them,
// publishers on both, and a watcher that drops from one and resumes on the other.

TEST_F(StatementsIntegrationTest, AResumedFeedMissesNothingAndRepeatsNothing) {
  constexpr int kStatements = 1000;
  constexpr int kPublishers = 4;
  ASSERT_OK_AND_ASSIGN(ServingProcess second_replica, suite_->StartReplica(Server::kStatements));
  const std::unique_ptr<StatementsStub> second = v1::StatementsService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", second_replica.port), grpc::InsecureChannelCredentials()));
  auto first = Watch(Public(), /*from_beginning=*/true);

  std::atomic<int> published{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> publishers;
  const std::string organizer = Organizer();
  for (int p = 0; p < kPublishers; ++p) {
    publishers.emplace_back([&, p] {
      StatementsStub* replica = p % 2 == 0 ? statements_stub_.get() : second.get();
      const auto call = [&](auto method, const auto& request, auto* response) {
        return CallStub(replica, method, organizer, request, response, kPatience);
      };
      for (int i = p; i < kStatements && !failed; i += kPublishers) {
        const std::string id = absl::StrFormat("release-%04d", i);
        v1::CreateStatementRequest create;
        create.set_parent(kEvent);
        create.set_statement_id(id);
        *create.mutable_statement() =
            PressRelease(absl::StrCat("Release ", i), absl::StrCat("Update number ", i, "."));
        v1::Statement created, ignored;
        v1::SubmitStatementRequest submit;
        submit.set_name(StatementName(id));
        v1::PublishStatementRequest publish;
        publish.set_name(StatementName(id));
        // What this test checks is the feed, not how fast a loaded machine answers: a step
        // that ended DEADLINE_EXCEEDED or UNAVAILABLE (a peer Statements asked did not answer
        // in time; seen under the sanitizers at a load average of 7-10) is retried as a client
        // would, once the statement read back shows it was not done (the create by its
        // request id). Bounded; every other answer counts as it is.
        const auto step = [&](const std::function<grpc::Status()>& attempt,
                              v1::Statement::State done) {
          grpc::Status status;
          for (int tries = 0; tries < 5; ++tries) {
            status = attempt();
            if (status.error_code() != Code::DEADLINE_EXCEEDED &&
                status.error_code() != Code::UNAVAILABLE) {
              return status;
            }
            v1::GetStatementRequest get;
            get.set_name(StatementName(id));
            v1::Statement read;
            if (done != v1::Statement::STATE_UNSPECIFIED &&
                call(&StatementsStub::GetStatement, get, &read).ok() && read.state() >= done) {
              return grpc::Status::OK;
            }
          }
          return status;
        };
        create.set_request_id(id);
        grpc::Status status = step(
            [&] { return call(&StatementsStub::CreateStatement, create, &created); },
            v1::Statement::STATE_UNSPECIFIED);
        if (status.ok()) {
          status = step([&] { return call(&StatementsStub::SubmitStatement, submit, &ignored); },
                        v1::Statement::STATE_IN_REVIEW);
        }
        if (status.ok()) {
          v1::ApproveStatementRequest approve;
          approve.set_name(created.name());
          approve.set_text_hash(created.text_hash());
          status = step([&] { return call(&StatementsStub::ApproveStatement, approve, &ignored); },
                        v1::Statement::STATE_APPROVED);
        }
        if (status.ok()) {
          status = step([&] { return call(&StatementsStub::PublishStatement, publish, &ignored); },
                        v1::Statement::STATE_PUBLISHED);
        }
        EXPECT_THAT(status, RpcOk()) << id;
        if (!status.ok()) {
          failed = true;
          return;
        }
        ++published;
      }
    });
  }
  const auto join = [&] {
    for (std::thread& publisher : publishers) {
      if (publisher.joinable()) publisher.join();
    }
  };

  // The first watcher disconnects midway.
  EXPECT_TRUE(first->WaitForEvents(kStatements * 3 / 10));
  const grpc::Status first_end = first->Stop();
  EXPECT_THAT(first_end, AnyOf(RpcCode(Code::CANCELLED), RpcOk()));
  const std::vector<v1::StatementEvent> before = first->Events();
  ASSERT_FALSE(before.empty());
  const int published_at_disconnect = published;

  // Some are published while it is away; then it comes back with its last token.
  for (int wait = 0; wait < 600 && published < std::min(kStatements, published_at_disconnect +
                                                                         kStatements / 10) &&
                     !failed;
       ++wait) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  auto resumed = Watch(Public(), /*from_beginning=*/false, before.back().resume_token(),
                       second.get());
  const bool all_came = resumed->WaitForEvents(kStatements - before.size());
  join();
  ASSERT_FALSE(failed);
  ASSERT_EQ(published, kStatements);
  EXPECT_TRUE(all_came);
  const grpc::Status resumed_end = resumed->Stop();
  EXPECT_THAT(resumed_end, AnyOf(RpcCode(Code::CANCELLED), RpcOk()));
  const std::vector<v1::StatementEvent> after = resumed->Events();
  std::cerr << "[   INFO   ] " << before.size() << " events before the disconnect (with "
            << published_at_disconnect << " published), " << after.size() << " after\n";

  // The union, in order, is exactly the feed as a fresh watcher reads it from the beginning.
  auto reference = Watch(Organizer(), /*from_beginning=*/true);
  ASSERT_TRUE(reference->WaitForEvents(kStatements));
  const std::vector<v1::StatementEvent> expected = reference->Events();
  ASSERT_THAT(expected, SizeIs(kStatements));
  std::vector<v1::StatementEvent> received = before;
  received.insert(received.end(), after.begin(), after.end());
  EXPECT_EQ(received.size(), static_cast<size_t>(kStatements))
      << before.size() << " before the disconnect, " << after.size() << " after";
  std::vector<std::string> received_tokens, expected_tokens;
  for (const v1::StatementEvent& event : received) received_tokens.push_back(event.resume_token());
  for (const v1::StatementEvent& event : expected) expected_tokens.push_back(event.resume_token());
  EXPECT_EQ(received_tokens, expected_tokens);
  EXPECT_EQ(FeedLines(received), FeedLines(expected));
  // Every publication exactly once.
  std::set<std::string> names;
  for (const v1::StatementEvent& event : received) {
    EXPECT_EQ(event.kind(), v1::StatementEvent::KIND_PUBLISHED);
    EXPECT_TRUE(names.insert(event.statement().name()).second)
        << event.statement().name() << " twice";
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kStatements));
  for (int i = 0; i < kStatements; ++i) {
    EXPECT_EQ(names.count(StatementName(absl::StrFormat("release-%04d", i))), 1u) << i;
  }
  // Commit order: commit times never go backwards.
  for (size_t i = 1; i < received.size(); ++i) {
    EXPECT_LE(FromTs(received[i - 1].commit_time()), FromTs(received[i].commit_time())) << i;
  }

  // A watcher without a token starts from now: it never sees the 1,000 earlier publications.
  // When the server has registered it is not observable, so publish until it sees one (bounded).
  auto from_now = Watch(Public(), /*from_beginning=*/false);
  for (int i = 0; i < 20 && !from_now->WaitForEvents(1, absl::Milliseconds(250)); ++i) {
    ASSERT_NO_FATAL_FAILURE(CreateAndPublish(
        PressRelease("Later", absl::StrCat("Later update ", i, ".")), absl::StrCat("later-", i)));
  }
  ASSERT_TRUE(from_now->WaitForEvents(1));
  const std::vector<v1::StatementEvent> now_events = from_now->Events();
  EXPECT_TRUE(absl::StartsWith(now_events.front().statement().name(), StatementName("later-")))
      << now_events.front().statement().name();

  // A token not made by the feed is refused; so is a forged bearer token.
  auto bad = Watch(Public(), /*from_beginning=*/false, "not-a-token");
  bad->WaitForEvents(1, absl::Seconds(10));
  EXPECT_THAT(bad->EndedWith().value_or(grpc::Status::OK), RpcInvalidOn("resume_token"));
  auto forged = Watch("not-a-jwt", /*from_beginning=*/true);
  forged->WaitForEvents(1, absl::Seconds(10));
  EXPECT_THAT(forged->EndedWith().value_or(grpc::Status::OK), RpcCode(Code::UNAUTHENTICATED));
}

// ---------------------------------------------------------------------------------------------
// 7. Search in Cyrillic and Latin; lists with filters and pages.

class StatementsSearchTest : public StatementsIntegrationTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StatementsIntegrationTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(CreateSession("plenary", absl::Now() - absl::Hours(2),
                                          absl::Now() - absl::Hours(1)));
    // Published in this order (each with its own publish_time).
    v1::Statement zelensky = MakeStatement(
        v1::Statement::KIND_QUOTE, "Zelensky at the opening plenary",
        {Body("uk", "Володимир Зеленський: «Ми досягли нового рівня нашої єдності».", true),
         Body("en", "Volodymyr Zelensky: \"We have reached a new level of our unity.\"")},
        {"zelensky"});
    zelensky.set_session(SessionName("plenary"));
    ASSERT_NO_FATAL_FAILURE(CreateAndPublish(zelensky, "zelensky-opening", &zelensky_));
    ASSERT_NO_FATAL_FAILURE(CreateAndPublish(
        MakeStatement(
            v1::Statement::KIND_QUOTE, "Umerov on joint production",
            {Body("uk", "Спільне виробництво зброї — основа нашої єдності та безпеки.", true),
             Body("en", "Joint production of weapons is the basis of our unity and security.")},
            {"umerov"}),
        "umerov-production", &umerov_));
    ASSERT_NO_FATAL_FAILURE(CreateAndPublish(
        PressRelease("Summit closing statement",
                     "The summit closed with a call for unity at the Café Milano reception."),
        "closing-statement", &closing_));
    // Zelensky in English only: found by his name in either script (the speakers' names).
    ASSERT_NO_FATAL_FAILURE(CreateAndPublish(
        MakeStatement(v1::Statement::KIND_QUOTE, "Thanks to the Congress",
                      {Body("en", "Thank you, America, for standing with us.", true)},
                      {"zelensky"}),
        "zelensky-thanks"));
    ASSERT_NO_FATAL_FAILURE(CreateAndPublish(
        MakeStatement(v1::Statement::KIND_QUOTE, "Hill on air defense",
                      {Body("en", "Air defense remains our priority.", true)}, {"hill"}),
        "hill-air-defense", &hill_));
    // A draft that speaks of unity too: only organizers find it.
    ASSERT_THAT(Create(PressRelease("Draft communiqué", "A draft about unity and resolve."),
                       "draft-communique"),
                RpcOk());
  }

  v1::Statement zelensky_, umerov_, closing_, hill_;
};

TEST_F(StatementsSearchTest, SearchFindsCyrillicAndLatinWordsByPrefixInAnyCase) {
  const std::string z = StatementName("zelensky-opening");
  const std::string u = StatementName("umerov-production");
  const std::string c = StatementName("closing-statement");
  const std::string d = StatementName("draft-communique");

  const std::string t = StatementName("zelensky-thanks");
  for (const char* query : {"Зеленський", "зеленський", "ЗЕЛЕНСЬКИЙ", "Зелен"}) {
    EXPECT_THAT(SearchNames(Public(), query), UnorderedElementsAre(z, t)) << query;
  }
  EXPECT_THAT(SearchNames(Public(), "Зеленський America"), ElementsAre(t));
  EXPECT_THAT(SearchNames(Public(), "unity"), UnorderedElementsAre(z, u, c));
  EXPECT_THAT(SearchNames(Public(), "UNIT"), UnorderedElementsAre(z, u, c));
  EXPECT_THAT(SearchNames(Organizer(), "unity"), UnorderedElementsAre(z, u, c, d));
  EXPECT_THAT(SearchNames(Public(), "єдн"), UnorderedElementsAre(z, u));
  EXPECT_THAT(SearchNames(Public(), "ЄДНОСТІ"), UnorderedElementsAre(z, u));
  EXPECT_THAT(SearchNames(Public(), "unity security"), ElementsAre(u));  // every word
  EXPECT_THAT(SearchNames(Public(), "cafe"), ElementsAre(c));            // diacritics folded
  EXPECT_THAT(SearchNames(Public(), "Zelensky"), UnorderedElementsAre(z, t));  // title, speaker
  EXPECT_THAT(SearchNames(Public(), "opening plenary"), ElementsAre(z));     // the title
  EXPECT_THAT(SearchNames(Public(), "nothing-like-this"), IsEmpty());

  // Snippets: one per matching body, the match highlighted.
  const std::vector<v1::SearchResult> results = Search(Public(), "єдн");
  ASSERT_THAT(results, SizeIs(2));
  for (const v1::SearchResult& result : results) {
    ASSERT_THAT(result.snippets(), SizeIs(1)) << result.statement().name();
    const v1::Snippet& snippet = result.snippets(0);
    EXPECT_EQ(snippet.language_code(), "uk");
    std::vector<std::string> highlighted;
    std::string whole;
    for (const v1::SnippetPart& part : snippet.parts()) {
      if (part.highlighted()) highlighted.push_back(part.text());
      whole += part.text();
    }
    EXPECT_THAT(highlighted, ElementsAre("єдності")) << whole;
    EXPECT_TRUE(absl::StrContains(whole, "нашої єдності")) << whole;
  }
  // A match in the title only: the title, highlighted, once.
  const std::vector<v1::SearchResult> titled = Search(Public(), "plenary");
  ASSERT_THAT(titled, SizeIs(1));
  ASSERT_THAT(titled[0].snippets(), SizeIs(1));
  bool any = false;
  for (const v1::SnippetPart& part : titled[0].snippets(0).parts()) any = any || part.highlighted();
  EXPECT_TRUE(any) << titled[0].snippets(0).ShortDebugString();
  // Scores: best first.
  const std::vector<v1::SearchResult> ranked = Search(Public(), "unity");
  for (size_t i = 1; i < ranked.size(); ++i) {
    EXPECT_GE(ranked[i - 1].score(), ranked[i].score());
  }

  // Bad queries.
  v1::SearchStatementsRequest request;
  request.set_parent(kEvent);
  v1::SearchStatementsResponse response;
  EXPECT_THAT(St(&StatementsStub::SearchStatements, Public(), request, &response),
              RpcInvalidOn("query"));
  request.set_query("!!! ...");
  EXPECT_THAT(St(&StatementsStub::SearchStatements, Public(), request, &response),
              RpcInvalidOn("query"));
}

TEST_F(StatementsSearchTest, SearchFiltersByKindStateSessionSpeakerLanguageAndTime) {
  const std::string z = StatementName("zelensky-opening");
  const std::string u = StatementName("umerov-production");
  const std::string c = StatementName("closing-statement");
  const std::string d = StatementName("draft-communique");

  EXPECT_THAT(SearchNames(Public(), "unity", "kind = KIND_QUOTE"), UnorderedElementsAre(z, u));
  EXPECT_THAT(SearchNames(Public(), "unity", "kind = KIND_PRESS_RELEASE"), ElementsAre(c));
  EXPECT_THAT(SearchNames(Organizer(), "unity", "state = STATE_DRAFT"), ElementsAre(d));
  EXPECT_THAT(SearchNames(Public(), "unity", "state = STATE_DRAFT"), IsEmpty());
  EXPECT_THAT(SearchNames(Public(), "unity",
                          absl::StrCat("session = \"", SessionName("plenary"), "\"")),
              ElementsAre(z));
  EXPECT_THAT(SearchNames(Public(), "unity", "speaker = \"people/umerov\""), ElementsAre(u));
  EXPECT_THAT(SearchNames(Public(), "unity", "kind = KIND_QUOTE AND speaker = \"people/zelensky\""),
              ElementsAre(z));
  EXPECT_THAT(SearchNames(Public(), "unity", "language = \"en\""), UnorderedElementsAre(z, u, c));
  EXPECT_THAT(SearchNames(Public(), "unity", "language = \"uk\""), IsEmpty());
  EXPECT_THAT(SearchNames(Public(), "єдн", "language = \"uk\""), UnorderedElementsAre(z, u));
  EXPECT_THAT(SearchNames(Public(), "єдн", "language = \"en\""), IsEmpty());
  // First published at or after umerov's publication, before the closing statement's.
  const absl::Time umerov_time = FromTs(umerov_.publish_time());
  const absl::Time closing_time = FromTs(closing_.publish_time());
  ASSERT_LT(FromTs(zelensky_.publish_time()), umerov_time);
  ASSERT_LT(umerov_time, closing_time);
  EXPECT_THAT(SearchNames(Public(), "unity", "", 100, umerov_time, closing_time), ElementsAre(u));
  EXPECT_THAT(SearchNames(Public(), "unity", "", 100, umerov_time, std::nullopt),
              UnorderedElementsAre(u, c));
  EXPECT_THAT(SearchNames(Public(), "unity", "", 100, std::nullopt, umerov_time), ElementsAre(z));

  // A bad filter.
  v1::SearchStatementsRequest request;
  request.set_parent(kEvent);
  request.set_query("unity");
  request.set_filter("colour = \"red\"");
  v1::SearchStatementsResponse response;
  EXPECT_THAT(St(&StatementsStub::SearchStatements, Public(), request, &response),
              RpcInvalidOn("filter"));
}

TEST_F(StatementsSearchTest, SearchAndListPageWithPageTokens) {
  const std::string z = StatementName("zelensky-opening");
  const std::string u = StatementName("umerov-production");
  const std::string c = StatementName("closing-statement");
  const std::string d = StatementName("draft-communique");
  const std::string h = StatementName("hill-air-defense");

  // Search in pages of one: the same results, in the same order, none twice.
  const std::vector<std::string> whole = SearchNames(Organizer(), "unity");
  EXPECT_THAT(whole, UnorderedElementsAre(z, u, c, d));
  EXPECT_EQ(SearchNames(Organizer(), "unity", "", 1), whole);
  EXPECT_EQ(SearchNames(Organizer(), "unity", "", 3), whole);
  // A token belongs to its search.
  v1::SearchStatementsRequest request;
  request.set_parent(kEvent);
  request.set_query("unity");
  request.set_page_size(1);
  v1::SearchStatementsResponse first;
  ASSERT_THAT(St(&StatementsStub::SearchStatements, Organizer(), request, &first), RpcOk());
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_query("єдн");
  request.set_page_token(first.next_page_token());
  v1::SearchStatementsResponse other;
  EXPECT_THAT(St(&StatementsStub::SearchStatements, Organizer(), request, &other),
              RpcInvalidOn("page_token"));

  // Lists: in order of ids, in pages, filtered.
  const std::string t = StatementName("zelensky-thanks");
  const std::vector<std::string> all = {c, d, h, u, z, t};
  EXPECT_EQ(ListNames(Organizer()), all);
  EXPECT_EQ(ListNames(Organizer(), "", 2), all);
  EXPECT_EQ(ListNames(Public(), "", 1), (std::vector<std::string>{c, h, u, z, t}));
  EXPECT_THAT(ListNames(Public(), "kind = KIND_QUOTE"), ElementsAre(h, u, z, t));
  EXPECT_THAT(ListNames(Organizer(), "state = STATE_DRAFT"), ElementsAre(d));
  EXPECT_THAT(ListNames(Public(), "speaker = \"people/zelensky\""), ElementsAre(z, t));
  EXPECT_THAT(ListNames(Public(), absl::StrCat("session = \"", SessionName("plenary"), "\"")),
              ElementsAre(z));
  EXPECT_THAT(ListNames(Public(), "kind = KIND_QUOTE AND speaker = \"people/hill\""),
              ElementsAre(h));
  v1::ListStatementsRequest list;
  list.set_parent(kEvent);
  list.set_page_size(2);
  v1::ListStatementsResponse page;
  ASSERT_THAT(St(&StatementsStub::ListStatements, Public(), list, &page), RpcOk());
  ASSERT_FALSE(page.next_page_token().empty());
  list.set_page_token(page.next_page_token());
  list.set_filter("kind = KIND_QUOTE");
  EXPECT_THAT(St(&StatementsStub::ListStatements, Public(), list, &page),
              RpcInvalidOn("page_token"));
}

// ---------------------------------------------------------------------------------------------
// 8. A Registry that is down or hung: CreateStatement fails and writes nothing.

class StatementsRegistryDownTest : public StatementsIntegrationTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StatementsIntegrationTest::SetUp());
    // One create that reached the Registry: the channel to it is connected.
    ASSERT_THAT(Create(MakeStatement(v1::Statement::KIND_QUOTE, "Before",
                                     {Body("en", "Said before.", true)}, {"umerov"}),
                       "before"),
                RpcOk());
  }

  grpc::Status CreateWhileDown(absl::Duration deadline) {
    return Create(MakeStatement(v1::Statement::KIND_QUOTE, "While the Registry is away",
                                {Body("en", "Never stored.", true)}, {"umerov"}),
                  "while-away", nullptr, Organizer(), "", deadline);
  }
};

TEST_F(StatementsRegistryDownTest, ARegistryKilledMakesCreateUnavailableAndWritesNothing) {
  const std::string before = Snapshot();
  ASSERT_NO_FATAL_FAILURE(SignalRegistry(SIGKILL));
  EXPECT_THAT(CreateWhileDown(absl::Seconds(2)),
              AnyOf(RpcErrorWithReason(Code::UNAVAILABLE, "REGISTRY_UNAVAILABLE"),
                    RpcCode(Code::DEADLINE_EXCEEDED)));
  // A press release names no speaker, but the event is still asked about.
  EXPECT_THAT(Create(PressRelease("Also away", "Never stored."), "also-away", nullptr,
                     Organizer(), "", absl::Seconds(2)),
              AnyOf(RpcErrorWithReason(Code::UNAVAILABLE, "REGISTRY_UNAVAILABLE"),
                    RpcCode(Code::DEADLINE_EXCEEDED)));
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  EXPECT_THAT(ListNames(Organizer()), ElementsAre(StatementName("before")));
  // Reads that need no Registry still answer.
  EXPECT_THAT(Get(StatementName("before"), Organizer()), RpcOk());
}

TEST_F(StatementsRegistryDownTest, AHungRegistryEndsAtTheCallersDeadlineAndWritesNothing) {
  const std::string before = Snapshot();
  ASSERT_NO_FATAL_FAILURE(SignalRegistry(SIGSTOP));
  EXPECT_THAT(CreateWhileDown(absl::Seconds(1)),
              AnyOf(RpcCode(Code::DEADLINE_EXCEEDED),
                    RpcErrorWithReason(Code::UNAVAILABLE, "REGISTRY_UNAVAILABLE")));
  ASSERT_NO_FATAL_FAILURE(SignalRegistry(SIGCONT));
  // Had Statements waited longer than its caller, the Registry's late answer would now let it
  // write. Watch for a while (bounded; not a measurement).
  for (int check = 0; check < 4; ++check) {
    absl::SleepFor(absl::Milliseconds(500));
    EXPECT_THAT(Get(StatementName("while-away"), Organizer()), RpcCode(Code::NOT_FOUND))
        << "written after its caller was told it failed";
  }
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  // And with the Registry awake, creates succeed again.
  EXPECT_THAT(CreateWhileDown(kPatience), RpcOk());
}

// ---------------------------------------------------------------------------------------------
// 9. Bad input: INVALID_ARGUMENT naming the field, and nothing written.

TEST_F(StatementsIntegrationTest, EachBadFieldIsInvalidArgumentNamingItAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(
      CreateSession("panel", absl::Now() - absl::Hours(2), absl::Now() - absl::Hours(1)));
  const v1::Statement good = MakeStatement(v1::Statement::KIND_QUOTE, "A good quote",
                                           {Body("en", "Good words.", true)}, {"umerov"});
  const std::string before = Snapshot();
  EXPECT_EQ(before, "");

  struct Case {
    std::string what;
    std::function<void(v1::Statement&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"no title", [](v1::Statement& s) { s.clear_title(); }, "statement.title"},
      {"no kind", [](v1::Statement& s) { s.clear_kind(); }, "statement.kind"},
      {"no bodies", [](v1::Statement& s) { s.clear_bodies(); }, "statement.bodies"},
      {"two originals",
       [](v1::Statement& s) { *s.add_bodies() = Body("uk", "Добрі слова.", true); },
       "statement.bodies"},
      {"no original", [](v1::Statement& s) { s.mutable_bodies(0)->set_original(false); },
       "statement.bodies"},
      {"bad language tag",
       [](v1::Statement& s) { s.mutable_bodies(0)->set_language_code("English"); },
       "statement.bodies[0].language_code"},
      {"one language twice", [](v1::Statement& s) { *s.add_bodies() = Body("en", "Again."); },
       "statement.bodies[1].language_code"},
      {"empty text", [](v1::Statement& s) { s.mutable_bodies(0)->clear_text(); },
       "statement.bodies[0].text"},
      {"quote without speakers", [](v1::Statement& s) { s.clear_speakers(); },
       "statement.speakers"},
      {"bad speaker name", [](v1::Statement& s) { s.set_speakers(0, "umerov"); },
       "statement.speakers[0]"},
      {"speaker the Registry does not know",
       [](v1::Statement& s) { s.add_speakers("people/nobody"); }, "statement.speakers"},
      {"joint statement with one signatory",
       [](v1::Statement& s) {
         s.set_kind(v1::Statement::KIND_JOINT_STATEMENT);
         s.clear_speakers();
         s.add_signatories(DelegationName("ukraine"));
       },
       "statement.signatories"},
      {"joint statement with speakers",
       [](v1::Statement& s) {
         s.set_kind(v1::Statement::KIND_JOINT_STATEMENT);
         s.add_signatories(DelegationName("ukraine"));
         s.add_signatories(DelegationName("united-states"));
       },
       "statement.speakers"},
      {"signatories on a quote",
       [](v1::Statement& s) {
         s.add_signatories(DelegationName("ukraine"));
         s.add_signatories(DelegationName("united-states"));
       },
       "statement.signatories"},
      {"signatory of another event",
       [](v1::Statement& s) {
         s.set_kind(v1::Statement::KIND_JOINT_STATEMENT);
         s.clear_speakers();
         s.add_signatories("events/other/delegations/ukraine");
         s.add_signatories(DelegationName("united-states"));
       },
       "statement.signatories[0]"},
      {"signatory the Registry does not know",
       [](v1::Statement& s) {
         s.set_kind(v1::Statement::KIND_JOINT_STATEMENT);
         s.clear_speakers();
         s.add_signatories(DelegationName("ukraine"));
         s.add_signatories(DelegationName("atlantis"));
       },
       "statement.signatories"},
      {"session Scheduling does not know",
       [](v1::Statement& s) { s.set_session(SessionName("no-such-session")); },
       "statement.session"},
      {"session of another event",
       [](v1::Statement& s) { s.set_session("events/other/sessions/panel"); },
       "statement.session"},
      {"embargo session Scheduling does not know",
       [](v1::Statement& s) { s.set_embargo_session(SessionName("no-such-session")); },
       "statement.embargo_session"},
      {"both embargo_time and embargo_session",
       [](v1::Statement& s) {
         *s.mutable_embargo_time() = Ts(absl::Now() + absl::Hours(1));
         s.set_embargo_session(SessionName("panel"));
       },
       "statement.embargo_session"},
  };
  for (const Case& c : cases) {
    v1::Statement bad = good;
    c.spoil(bad);
    EXPECT_THAT(Create(bad, "bad"), RpcInvalidOn(c.field)) << c.what;
  }
  // The request's own fields.
  EXPECT_THAT(Create(good, "Bad_Id"), RpcInvalidOn("statement_id")) << "bad id";
  v1::CreateStatementRequest request;
  request.set_parent("dib-summit");
  *request.mutable_statement() = good;
  v1::Statement ignored;
  EXPECT_THAT(St(&StatementsStub::CreateStatement, Organizer(), request, &ignored),
              RpcInvalidOn("parent"));
  // A parent event the Registry does not know.
  request.set_parent("events/no-such-event");
  EXPECT_THAT(St(&StatementsStub::CreateStatement, Organizer(), request, &ignored),
              RpcCode(Code::NOT_FOUND));
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  EXPECT_THAT(ListNames(Organizer()), IsEmpty());

  // The good statement is accepted, with the panel both as session and as embargo session.
  v1::Statement fine = good;
  fine.set_session(SessionName("panel"));
  fine.set_embargo_session(SessionName("panel"));
  v1::Statement created;
  ASSERT_THAT(Create(fine, "good", &created), RpcOk());

  // Bad updates change nothing either.
  const std::string after_create = Snapshot();
  v1::Statement change = created;
  change.clear_title();
  EXPECT_THAT(Update(change, {"title"}), RpcInvalidOn("statement.title"));
  change = created;
  change.add_speakers("people/nobody");
  EXPECT_THAT(Update(change, {"speakers"}), RpcInvalidOn("statement.speakers"));
  change = created;
  change.mutable_bodies(0)->set_language_code("e");
  EXPECT_THAT(Update(change, {"bodies"}), RpcInvalidOn("statement.bodies[0].language_code"));
  change = created;
  *change.mutable_embargo_time() = Ts(absl::Now() + absl::Hours(1));
  EXPECT_THAT(Update(change, {"embargo_time"}), RpcInvalidOn("statement.embargo_session"));
  change = created;
  change.set_title("Unknown field in the mask");
  EXPECT_THAT(Update(change, {"colour"}), RpcCode(Code::INVALID_ARGUMENT));
  EXPECT_TRUE(Unchanged(after_create, Snapshot()));
}

}  // namespace
}  // namespace summit::statements
