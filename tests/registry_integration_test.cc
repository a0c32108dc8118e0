// Integration tests of summit-registry: the real binary as a child process on a real SQLite
// file, called over real gRPC with the generated stub and real signed tokens.
//
// They prove over the wire what registry_test.cc proves in-process, and what only a running
// server can show: errors travel with the right code and their google.rpc details (BadRequest
// field violations, ErrorInfo reasons) in grpc-status-details-bin; the authorization header is
// honoured (bad, expired and wrongly signed tokens are UNAUTHENTICATED, never public); and a
// SIGTERM'd server exits 0 and, started again on the same file, serves everything it stored.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/registry/registry_validation.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/proto_values.h"
#include "tests/support/rpc_status.h"
#include "tests/support/suite.h"

namespace summit::registry {
namespace {

using auth::Principal;
using auth::Role;
using ::summit::testing::Day;
using ::summit::testing::ChildProcess;
using ::summit::testing::Describe;
using ::summit::testing::kPatience;
using ::summit::testing::RpcCode;
using ::summit::testing::RpcErrorWithReason;
using ::summit::testing::RpcInvalidOnExactly;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::ServingProcess;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using Stub = v1::RegistryService::Stub;

// ---------------------------------------------------------------------------------------------
// Resources.

v1::Event WashingtonSummit() {
  v1::Event event;
  event.set_display_name("Ukraine Defense Industrial Base Summit");
  event.set_kind(v1::Event::KIND_SUMMIT);
  event.set_city("Washington");
  event.set_country("US");
  event.set_time_zone("America/New_York");
  *event.mutable_start_date() = Day(2023, 12, 6);
  *event.mutable_end_date() = Day(2023, 12, 7);
  event.set_predecessor("events/kyiv-forum-2023");
  return event;
}

v1::Event KyivForum() {
  v1::Event event;
  event.set_display_name("International Defense Industries Forum");
  event.set_kind(v1::Event::KIND_FORUM);
  event.set_city("Kyiv");
  event.set_country("UA");
  event.set_time_zone("Europe/Kyiv");
  *event.mutable_start_date() = Day(2023, 9, 29);
  *event.mutable_end_date() = Day(2023, 9, 29);
  event.set_state(v1::Event::STATE_CONCLUDED);
  return event;
}

v1::Organization Organization(const std::string& display_name, v1::Organization::Kind kind,
                              const std::string& country,
                              std::vector<std::string> capabilities = {}) {
  v1::Organization organization;
  organization.set_display_name(display_name);
  organization.set_kind(kind);
  organization.set_country(country);
  for (std::string& capability : capabilities) organization.add_capabilities(std::move(capability));
  return organization;
}

v1::Person Person(const std::string& display_name, const std::string& native_name,
                  const std::string& title, const std::string& organization,
                  const std::string& country, const std::string& email = "",
                  const std::string& phone = "") {
  v1::Person person;
  person.set_display_name(display_name);
  person.set_native_name(native_name);
  person.set_title(title);
  person.set_organization(organization);
  person.set_country(country);
  person.add_languages("uk");
  person.add_languages("en");
  person.set_email(email);
  person.set_phone(phone);
  return person;
}

constexpr char kSummit[] = "events/udib-2023";
constexpr char kForum[] = "events/kyiv-forum-2023";
constexpr char kUkraineDelegation[] = "events/udib-2023/delegations/ukraine";

std::string SummitParticipant(const std::string& id) {
  return absl::StrCat(kSummit, "/participants/", id);
}

// ---------------------------------------------------------------------------------------------
// The fixture: a summit-registry process on a fresh SQLite file, and a stub to call it.

class RegistryServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    options.name = "registry_integration";
    options.servers = {Server::kRegistry};
    options.load_demo = false;
    ASSERT_OK_AND_ASSIGN(suite_, Suite::Start(options));
    stub_ = v1::RegistryService::NewStub(suite_->Channel(Server::kRegistry));
  }

  // SIGTERM, then the exit code (expected 0).
  void StopServer() {
    ChildProcess& server = suite_->Process(Server::kRegistry);
    ASSERT_OK(server.Signal(SIGTERM));
    absl::StatusOr<int> exit_code = server.WaitForExit(kPatience);
    ASSERT_OK(exit_code.status()) << server.AllStderr();
    EXPECT_EQ(*exit_code, 0) << server.AllStderr();
  }

  // Starts summit-registry again on the test's database and key, where the stub finds it.
  void StartServer() { ASSERT_OK(suite_->Restart(Server::kRegistry)); }

  std::string Token(const Principal& principal, absl::Duration lifetime = absl::Hours(1)) {
    return suite_->Token(principal, lifetime);
  }
  std::string Organizer() { return Token({"people/secretariat-officer", Role::kOrganizer}); }
  std::string Service() { return Token({"services/scheduling", Role::kService}); }
  std::string Press() { return Token({"people/accredited-journalist", Role::kPress}); }
  std::string As(Role role, const std::string& person_id) {
    return Token({absl::StrCat("people/", person_id), role});
  }
  static std::string Anonymous() { return ""; }

  // One call with `token` ("" for none) as a bearer token.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
    return CallWithHeader(method, token.empty() ? "" : absl::StrCat("Bearer ", token), request,
                          response);
  }

  // One call with this `authorization` header value ("" for none).
  template <typename Request, typename Response>
  grpc::Status CallWithHeader(
      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const std::string& authorization, const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    return (stub_.get()->*method)(&context, request, response);
  }

  // Short forms, as an organizer unless a token is given.
  grpc::Status CreateEvent(const v1::Event& event, const std::string& id, v1::Event* out,
                           const std::string& token, const std::string& request_id = "") {
    v1::CreateEventRequest request;
    *request.mutable_event() = event;
    request.set_event_id(id);
    request.set_request_id(request_id);
    return Call(&Stub::CreateEvent, token, request, out);
  }
  grpc::Status CreateOrganization(const v1::Organization& organization, const std::string& id,
                                  const std::string& token) {
    v1::CreateOrganizationRequest request;
    *request.mutable_organization() = organization;
    request.set_organization_id(id);
    v1::Organization out;
    return Call(&Stub::CreateOrganization, token, request, &out);
  }
  grpc::Status CreatePerson(const v1::Person& person, const std::string& id, v1::Person* out,
                            const std::string& token, const std::string& request_id = "") {
    v1::CreatePersonRequest request;
    *request.mutable_person() = person;
    request.set_person_id(id);
    request.set_request_id(request_id);
    return Call(&Stub::CreatePerson, token, request, out);
  }
  grpc::Status GetPerson(const std::string& name, v1::Person* out, const std::string& token) {
    v1::GetPersonRequest request;
    request.set_name(name);
    return Call(&Stub::GetPerson, token, request, out);
  }
  grpc::Status Accredit(const std::string& parent, const std::string& person_id,
                        v1::Participant::Role role, const std::string& token) {
    v1::CreateParticipantRequest request;
    request.set_parent(parent);
    request.mutable_participant()->set_person(absl::StrCat("people/", person_id));
    request.mutable_participant()->set_role(role);
    v1::Participant out;
    return Call(&Stub::CreateParticipant, token, request, &out);
  }
  grpc::Status GetParticipant(const std::string& name, v1::Participant* out,
                              const std::string& token) {
    v1::GetParticipantRequest request;
    request.set_name(name);
    return Call(&Stub::GetParticipant, token, request, out);
  }
  grpc::Status Approve(const std::string& name, const std::string& token,
                       const std::string& etag = "") {
    v1::ApproveParticipantRequest request;
    request.set_name(name);
    request.set_etag(etag);
    v1::Participant out;
    return Call(&Stub::ApproveParticipant, token, request, &out);
  }
  grpc::Status Reject(const std::string& name, const std::string& reason,
                      const std::string& token) {
    v1::RejectParticipantRequest request;
    request.set_name(name);
    request.set_reason(reason);
    v1::Participant out;
    return Call(&Stub::RejectParticipant, token, request, &out);
  }
  grpc::Status Revoke(const std::string& name, const std::string& reason,
                      const std::string& token) {
    v1::RevokeParticipantRequest request;
    request.set_name(name);
    request.set_reason(reason);
    v1::Participant out;
    return Call(&Stub::RevokeParticipant, token, request, &out);
  }
  std::vector<std::string> ParticipantNames(const std::string& parent, const std::string& filter,
                                            const std::string& token) {
    v1::ListParticipantsRequest request;
    request.set_parent(parent);
    request.set_filter(filter);
    request.set_page_size(1000);
    v1::ListParticipantsResponse response;
    const grpc::Status status = Call(&Stub::ListParticipants, token, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    std::vector<std::string> names;
    for (const auto& participant : response.participants()) names.push_back(participant.name());
    return names;
  }
  int CountPeople() {
    v1::ListPeopleRequest request;
    request.set_page_size(1000);
    v1::ListPeopleResponse response;
    const grpc::Status status = Call(&Stub::ListPeople, Organizer(), request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(response.next_page_token(), "");
    return response.people_size();
  }

  // The seed, over the wire: the two events, some organizations and the Ukrainian delegation
  // of the December 2023 summit, a pending press accreditation and a rejected one.
  void Seed() {
    const std::string organizer = Organizer();
    v1::Event event;
    ASSERT_THAT(CreateEvent(KyivForum(), "kyiv-forum-2023", &event, organizer), RpcOk());
    ASSERT_THAT(CreateEvent(WashingtonSummit(), "udib-2023", &event, organizer), RpcOk());
    using O = v1::Organization;
    ASSERT_THAT(CreateOrganization(Organization("Ministry of Defence of Ukraine",
                                                O::KIND_GOVERNMENT_BODY, "UA"),
                                   "ua-mod", organizer),
                RpcOk());
    ASSERT_THAT(CreateOrganization(Organization("Office of the President of Ukraine",
                                                O::KIND_GOVERNMENT_BODY, "UA"),
                                   "ua-president-office", organizer),
                RpcOk());
    ASSERT_THAT(CreateOrganization(Organization("Verkhovna Rada of Ukraine", O::KIND_LEGISLATURE,
                                                "UA"),
                                   "verkhovna-rada", organizer),
                RpcOk());
    ASSERT_THAT(CreateOrganization(Organization("The Pentagon (U.S. Department of Defense)",
                                                O::KIND_GOVERNMENT_BODY, "US", {"air-defense"}),
                                   "pentagon", organizer),
                RpcOk());
    ASSERT_THAT(CreateOrganization(Organization("The White House", O::KIND_GOVERNMENT_BODY, "US"),
                                   "white-house", organizer),
                RpcOk());
    struct SeedPerson {
      const char* id;
      const char* display_name;
      const char* native_name;
      const char* title;
      const char* organization;
      const char* country;
    };
    const SeedPerson people[] = {
        {"zelensky", "Volodymyr Zelensky", "Володимир Зеленський", "President of Ukraine",
         "organizations/ua-president-office", "UA"},
        {"umerov", "Rustem Umerov", "Рустем Умєров", "Minister of Defense of Ukraine",
         "organizations/ua-mod", "UA"},
        {"yermak", "Andriy Yermak", "Андрій Єрмак", "Head of the Office of the President",
         "organizations/ua-president-office", "UA"},
        {"stefanchuk", "Ruslan Stefanchuk", "Руслан Стефанчук",
         "Speaker of the Verkhovna Rada", "organizations/verkhovna-rada", "UA"},
        {"jane-doe", "Jane Doe", "", "Correspondent", "", "US"},
        {"john-roe", "John Roe", "", "Sales Director", "", "US"},
    };
    int phone = 1000000;
    for (const SeedPerson& p : people) {
      v1::Person person;
      ASSERT_THAT(CreatePerson(Person(p.display_name, p.native_name, p.title, p.organization,
                                      p.country, absl::StrCat(p.id, "@example.org"),
                                      absl::StrCat("+38044", phone++)),
                               p.id, &person, organizer),
                  RpcOk());
    }
    for (const char* id : {"umerov", "yermak", "stefanchuk"}) {
      ASSERT_THAT(Accredit(kSummit, id, v1::Participant::ROLE_DELEGATE, organizer), RpcOk());
      ASSERT_THAT(Approve(SummitParticipant(id), organizer), RpcOk());
    }
    ASSERT_THAT(Accredit(kSummit, "jane-doe", v1::Participant::ROLE_PRESS, organizer), RpcOk());
    ASSERT_THAT(Accredit(kSummit, "john-roe", v1::Participant::ROLE_INDUSTRY, organizer), RpcOk());
    ASSERT_THAT(Reject(SummitParticipant("john-roe"), "No company registration", organizer),
                RpcOk());
    v1::CreateDelegationRequest delegation;
    delegation.set_parent(kSummit);
    delegation.set_delegation_id("ukraine");
    delegation.mutable_delegation()->set_display_name("Delegation of Ukraine");
    delegation.mutable_delegation()->set_country("UA");
    delegation.mutable_delegation()->set_head("people/yermak");
    delegation.mutable_delegation()->add_members("people/umerov");
    delegation.mutable_delegation()->add_members("people/stefanchuk");
    v1::Delegation created;
    ASSERT_THAT(Call(&Stub::CreateDelegation, organizer, delegation, &created), RpcOk());
  }

  // Everything the server holds, as an organizer reads it through every read RPC: equal
  // snapshots mean equal data.
  std::string Snapshot() {
    const std::string organizer = Organizer();
    std::string out;
    v1::ListEventsRequest events_request;
    events_request.set_page_size(1000);
    v1::ListEventsResponse events;
    EXPECT_THAT(Call(&Stub::ListEvents, organizer, events_request, &events), RpcOk());
    absl::StrAppend(&out, events.ShortDebugString(), "\n");
    v1::ListOrganizationsRequest organizations_request;
    organizations_request.set_page_size(1000);
    v1::ListOrganizationsResponse organizations;
    EXPECT_THAT(Call(&Stub::ListOrganizations, organizer, organizations_request, &organizations),
                RpcOk());
    absl::StrAppend(&out, organizations.ShortDebugString(), "\n");
    v1::ListPeopleRequest people_request;
    people_request.set_page_size(1000);
    v1::ListPeopleResponse people;
    EXPECT_THAT(Call(&Stub::ListPeople, organizer, people_request, &people), RpcOk());
    absl::StrAppend(&out, people.ShortDebugString(), "\n");
    v1::BatchGetPeopleRequest batch_request;
    for (const v1::Person& person : people.people()) batch_request.add_names(person.name());
    v1::BatchGetPeopleResponse batch;
    EXPECT_THAT(Call(&Stub::BatchGetPeople, organizer, batch_request, &batch), RpcOk());
    absl::StrAppend(&out, batch.ShortDebugString(), "\n");
    for (const v1::Event& event : events.events()) {
      v1::ListDelegationsRequest delegations_request;
      delegations_request.set_parent(event.name());
      delegations_request.set_page_size(1000);
      v1::ListDelegationsResponse delegations;
      EXPECT_THAT(Call(&Stub::ListDelegations, organizer, delegations_request, &delegations),
                  RpcOk());
      absl::StrAppend(&out, delegations.ShortDebugString(), "\n");
      v1::ListParticipantsRequest participants_request;
      participants_request.set_parent(event.name());
      participants_request.set_page_size(1000);
      v1::ListParticipantsResponse participants;
      EXPECT_THAT(Call(&Stub::ListParticipants, organizer, participants_request, &participants),
                  RpcOk());
      absl::StrAppend(&out, participants.ShortDebugString(), "\n");
    }
    for (const char* query : {"Zelensky", "Зеленськ", "Umerov", "Yermak"}) {
      v1::SearchPeopleRequest search_request;
      search_request.set_query(query);
      v1::SearchPeopleResponse search;
      EXPECT_THAT(Call(&Stub::SearchPeople, organizer, search_request, &search), RpcOk());
      absl::StrAppend(&out, search.ShortDebugString(), "\n");
    }
    return out;
  }

  // Starts a second summit-registry on the test's database: replicas_[0] calls the suite's,
  // replicas_[1] the second one, each over a connection of its own.
  void StartSecondReplica() {
    ASSERT_OK_AND_ASSIGN(second_replica_, suite_->StartReplica(Server::kRegistry));
    for (int port : {suite_->Port(Server::kRegistry), second_replica_.port}) {
      grpc::ChannelArguments arguments;
      arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      replicas_.push_back(v1::RegistryService::NewStub(grpc::CreateCustomChannel(
          absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials(), arguments)));
    }
  }

  // `attempts` calls made at once as an organizer, attempt `a` to replicas_[a % 2]; each
  // attempt's status. `call(a, stub, context)` makes attempt `a`.
  using AttemptCall = std::function<grpc::Status(int a, Stub& stub, grpc::ClientContext& context)>;
  std::vector<grpc::Status> AtOnceOnBothReplicas(int attempts, const AttemptCall& call) {
    const std::string authorization = absl::StrCat("Bearer ", Organizer());
    std::vector<grpc::Status> statuses(attempts);
    std::vector<std::thread> threads;
    for (int a = 0; a < attempts; ++a) {
      threads.emplace_back([&, a] {
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
        context.AddMetadata("authorization", authorization);
        statuses[a] = call(a, *replicas_[a % 2], context);
      });
    }
    for (std::thread& thread : threads) thread.join();
    return statuses;
  }

  // The one attempt that succeeded, when exactly one did and every other was refused with
  // `code` and `reason`; -1 (and a failure naming `what`) otherwise.
  static int OnlyWinner(const std::vector<grpc::Status>& statuses, grpc::StatusCode code,
                        const std::string& reason, const std::string& what) {
    int winner = -1;
    for (int a = 0; a < static_cast<int>(statuses.size()); ++a) {
      if (statuses[a].ok()) {
        EXPECT_EQ(winner, -1) << what << ": attempts " << winner << " and " << a << " both won";
        winner = a;
      } else {
        EXPECT_THAT(statuses[a], RpcErrorWithReason(code, reason)) << what << ", attempt " << a;
      }
    }
    EXPECT_NE(winner, -1) << what << ": no attempt won";
    return winner;
  }

  std::unique_ptr<Suite> suite_;
  std::unique_ptr<Stub> stub_;
  ServingProcess second_replica_;
  std::vector<std::unique_ptr<Stub>> replicas_;
};

// ---------------------------------------------------------------------------------------------
// Every RPC's happy path.

TEST_F(RegistryServerTest, EveryRpcAnswersOverTheWire) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string organizer = Organizer();

  // Events.
  v1::GetEventRequest get_event;
  get_event.set_name(kSummit);
  v1::Event summit;
  ASSERT_THAT(Call(&Stub::GetEvent, Anonymous(), get_event, &summit), RpcOk());
  EXPECT_EQ(summit.display_name(), "Ukraine Defense Industrial Base Summit");
  EXPECT_EQ(summit.time_zone(), "America/New_York");
  EXPECT_EQ(summit.predecessor(), kForum);
  EXPECT_EQ(summit.start_date().day(), 6);
  EXPECT_EQ(summit.end_date().day(), 7);
  EXPECT_FALSE(summit.etag().empty());
  EXPECT_GT(summit.create_time().seconds(), 0);
  v1::ListEventsRequest list_events;
  list_events.set_filter("kind = KIND_SUMMIT");
  v1::ListEventsResponse events;
  ASSERT_THAT(Call(&Stub::ListEvents, Anonymous(), list_events, &events), RpcOk());
  ASSERT_THAT(events.events(), SizeIs(1));
  EXPECT_EQ(events.events(0).name(), kSummit);
  v1::UpdateEventRequest update_event;
  update_event.mutable_event()->set_name(kSummit);
  update_event.mutable_event()->set_etag(summit.etag());
  update_event.mutable_event()->set_state(v1::Event::STATE_CONFIRMED);
  update_event.mutable_update_mask()->add_paths("state");
  v1::Event confirmed;
  ASSERT_THAT(Call(&Stub::UpdateEvent, organizer, update_event, &confirmed), RpcOk());
  EXPECT_EQ(confirmed.state(), v1::Event::STATE_CONFIRMED);
  EXPECT_EQ(confirmed.city(), "Washington");
  v1::Event scratch;
  v1::Event other = KyivForum();
  other.set_display_name("Scratch");
  ASSERT_THAT(CreateEvent(other, "scratch", &scratch, organizer), RpcOk());
  v1::DeleteEventRequest delete_event;
  delete_event.set_name("events/scratch");
  delete_event.set_etag(scratch.etag());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteEvent, organizer, delete_event, &empty), RpcOk());

  // Organizations.
  v1::GetOrganizationRequest get_organization;
  get_organization.set_name("organizations/pentagon");
  v1::Organization pentagon;
  ASSERT_THAT(Call(&Stub::GetOrganization, Anonymous(), get_organization, &pentagon), RpcOk());
  EXPECT_THAT(pentagon.capabilities(), ElementsAre("air-defense"));
  v1::ListOrganizationsRequest list_organizations;
  list_organizations.set_filter("capabilities = \"air-defense\"");
  v1::ListOrganizationsResponse organizations;
  ASSERT_THAT(Call(&Stub::ListOrganizations, Anonymous(), list_organizations, &organizations),
              RpcOk());
  ASSERT_THAT(organizations.organizations(), SizeIs(1));
  v1::UpdateOrganizationRequest update_organization;
  update_organization.mutable_organization()->set_name("organizations/pentagon");
  update_organization.mutable_organization()->set_website("https://www.defense.gov");
  update_organization.mutable_update_mask()->add_paths("website");
  v1::Organization updated_pentagon;
  ASSERT_THAT(Call(&Stub::UpdateOrganization, organizer, update_organization, &updated_pentagon),
              RpcOk());
  EXPECT_EQ(updated_pentagon.website(), "https://www.defense.gov");
  EXPECT_THAT(updated_pentagon.capabilities(), ElementsAre("air-defense"));
  v1::DeleteOrganizationRequest delete_organization;
  delete_organization.set_name("organizations/white-house");
  EXPECT_THAT(Call(&Stub::DeleteOrganization, organizer, delete_organization, &empty), RpcOk());

  // People.
  v1::Person umerov;
  ASSERT_THAT(GetPerson("people/umerov", &umerov, Anonymous()), RpcOk());
  EXPECT_EQ(umerov.native_name(), "Рустем Умєров");
  EXPECT_EQ(umerov.email(), "");  // personal data is not public
  v1::BatchGetPeopleRequest batch_people;
  batch_people.add_names("people/yermak");
  batch_people.add_names("people/zelensky");
  v1::BatchGetPeopleResponse people;
  ASSERT_THAT(Call(&Stub::BatchGetPeople, Anonymous(), batch_people, &people), RpcOk());
  ASSERT_THAT(people.people(), SizeIs(2));
  EXPECT_EQ(people.people(0).name(), "people/yermak");
  EXPECT_EQ(people.people(1).name(), "people/zelensky");
  v1::ListPeopleRequest list_people;
  list_people.set_filter("organization = \"organizations/ua-president-office\"");
  v1::ListPeopleResponse listed_people;
  ASSERT_THAT(Call(&Stub::ListPeople, Anonymous(), list_people, &listed_people), RpcOk());
  ASSERT_THAT(listed_people.people(), SizeIs(2));
  for (const char* query : {"zelensk", "Zelenskyy", "Zelenskiy", "Зеленськ"}) {
    v1::SearchPeopleRequest search;
    search.set_query(query);
    v1::SearchPeopleResponse found;
    ASSERT_THAT(Call(&Stub::SearchPeople, Anonymous(), search, &found), RpcOk());
    ASSERT_THAT(found.results(), Not(IsEmpty())) << query;
    EXPECT_EQ(found.results(0).person().name(), "people/zelensky") << query;
  }
  v1::SearchPeopleRequest search_umerov;
  search_umerov.set_query("Umerov");
  v1::SearchPeopleResponse found_umerov;
  ASSERT_THAT(Call(&Stub::SearchPeople, Anonymous(), search_umerov, &found_umerov), RpcOk());
  ASSERT_THAT(found_umerov.results(), SizeIs(1));
  EXPECT_EQ(found_umerov.results(0).person().native_name(), "Рустем Умєров");
  EXPECT_EQ(found_umerov.results(0).match_quality(),
            v1::SearchPeopleResponse::MATCH_QUALITY_EXACT);
  v1::UpdatePersonRequest update_person;
  update_person.mutable_person()->set_name("people/zelensky");
  update_person.mutable_person()->set_title("President of Ukraine, Supreme Commander-in-Chief");
  update_person.mutable_update_mask()->add_paths("title");
  v1::Person updated_zelensky;
  ASSERT_THAT(Call(&Stub::UpdatePerson, organizer, update_person, &updated_zelensky), RpcOk());
  EXPECT_EQ(updated_zelensky.title(), "President of Ukraine, Supreme Commander-in-Chief");
  EXPECT_EQ(updated_zelensky.email(), "zelensky@example.org");
  v1::DeletePersonRequest delete_person;
  delete_person.set_name("people/zelensky");
  delete_person.set_etag(updated_zelensky.etag());
  EXPECT_THAT(Call(&Stub::DeletePerson, organizer, delete_person, &empty), RpcOk());

  // Delegations.
  v1::GetDelegationRequest get_delegation;
  get_delegation.set_name(kUkraineDelegation);
  v1::Delegation ukraine;
  ASSERT_THAT(Call(&Stub::GetDelegation, Anonymous(), get_delegation, &ukraine), RpcOk());
  EXPECT_EQ(ukraine.head(), "people/yermak");
  EXPECT_THAT(ukraine.members(),
              ElementsAre("people/yermak", "people/umerov", "people/stefanchuk"));
  v1::ListDelegationsRequest list_delegations;
  list_delegations.set_parent(kSummit);
  v1::ListDelegationsResponse delegations;
  ASSERT_THAT(Call(&Stub::ListDelegations, Anonymous(), list_delegations, &delegations), RpcOk());
  ASSERT_THAT(delegations.delegations(), SizeIs(1));
  v1::UpdateDelegationRequest update_delegation;
  update_delegation.mutable_delegation()->set_name(kUkraineDelegation);
  update_delegation.mutable_delegation()->set_head("people/umerov");
  update_delegation.mutable_update_mask()->add_paths("head");
  v1::Delegation updated_delegation;
  ASSERT_THAT(Call(&Stub::UpdateDelegation, organizer, update_delegation, &updated_delegation),
              RpcOk());
  EXPECT_EQ(updated_delegation.head(), "people/umerov");

  // Accreditations.
  v1::Participant umerov_participant;
  ASSERT_THAT(GetParticipant(SummitParticipant("umerov"), &umerov_participant, Anonymous()),
              RpcOk());
  EXPECT_EQ(umerov_participant.state(), v1::Participant::STATE_APPROVED);
  EXPECT_EQ(umerov_participant.delegation(), kUkraineDelegation);
  v1::BatchGetParticipantsRequest batch_participants;
  batch_participants.set_parent(kSummit);
  batch_participants.add_names(SummitParticipant("stefanchuk"));
  batch_participants.add_names(SummitParticipant("yermak"));
  v1::BatchGetParticipantsResponse participants;
  ASSERT_THAT(Call(&Stub::BatchGetParticipants, Service(), batch_participants, &participants),
              RpcOk());
  ASSERT_THAT(participants.participants(), SizeIs(2));
  EXPECT_EQ(participants.participants(1).name(), SummitParticipant("yermak"));
  EXPECT_THAT(ParticipantNames(kSummit, "role = ROLE_DELEGATE", Anonymous()), SizeIs(3));
  ASSERT_THAT(Approve(SummitParticipant("jane-doe"), organizer), RpcOk());
  ASSERT_THAT(Revoke(SummitParticipant("stefanchuk"), "Recalled to Kyiv", organizer), RpcOk());
  v1::Participant revoked;
  ASSERT_THAT(GetParticipant(SummitParticipant("stefanchuk"), &revoked, organizer), RpcOk());
  EXPECT_EQ(revoked.state(), v1::Participant::STATE_REVOKED);
  EXPECT_EQ(revoked.state_reason(), "Recalled to Kyiv");
  EXPECT_EQ(revoked.delegation(), "");
  ASSERT_THAT(Accredit(kForum, "umerov", v1::Participant::ROLE_OBSERVER, organizer), RpcOk());
  ASSERT_THAT(Reject(absl::StrCat(kForum, "/participants/umerov"), "The forum is over", organizer),
              RpcOk());

  v1::DeleteDelegationRequest delete_delegation;
  delete_delegation.set_name(kUkraineDelegation);
  EXPECT_THAT(Call(&Stub::DeleteDelegation, organizer, delete_delegation, &empty), RpcOk());
  ASSERT_THAT(GetParticipant(SummitParticipant("umerov"), &umerov_participant, organizer), RpcOk());
  EXPECT_EQ(umerov_participant.delegation(), "");
  EXPECT_EQ(umerov_participant.state(), v1::Participant::STATE_APPROVED);
}

TEST_F(RegistryServerTest, PagingThousandPeopleInPagesOf37OverTheWire) {
  const std::string organizer = Organizer();
  std::set<std::string> created;
  for (int i = 0; i < 1000; ++i) {
    v1::Person person;
    ASSERT_THAT(CreatePerson(Person(absl::StrCat("Person ", i), "", "", "", i % 2 ? "US" : "UA"),
                             "", &person, organizer),
                RpcOk())
        << i;
    created.insert(person.name());
  }
  ASSERT_THAT(created, SizeIs(1000));
  std::vector<std::string> seen;
  v1::ListPeopleRequest request;
  request.set_page_size(37);
  int pages = 0;
  for (; pages < 100; ++pages) {
    v1::ListPeopleResponse response;
    ASSERT_THAT(Call(&Stub::ListPeople, Anonymous(), request, &response), RpcOk());
    for (const v1::Person& person : response.people()) seen.push_back(person.name());
    if (response.next_page_token().empty()) break;
    EXPECT_EQ(response.people_size(), 37);
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(pages + 1, 28);
  EXPECT_THAT(seen, SizeIs(1000));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);

  // The token is refused with another filter.
  request.set_filter("country = \"US\"");
  v1::ListPeopleResponse refused;
  EXPECT_THAT(Call(&Stub::ListPeople, Anonymous(), request, &refused),
              RpcInvalidOnExactly({"page_token"}));
}

// Past SearchPeople's candidate limit (registry_test.cc tries it in full): here for its second
// read, which only that limit brings about, to run on each backend.
TEST_F(RegistryServerTest, SearchPastItsCandidateLimitFindsTheExactMatchesOverTheWire) {
  const std::string organizer = Organizer();
  constexpr int kWriters = 8;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = w; i <= kMaxSearchCandidates; i += kWriters) {
        v1::Person person;
        EXPECT_THAT(CreatePerson(Person(absl::StrCat("Lina Number", i), "", "", "", "UA"),
                                 absl::StrCat("a", 10000 + i), &person, organizer),
                    RpcOk())
            << i;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  v1::Person person;
  ASSERT_THAT(CreatePerson(Person("Li Wei", "", "", "", "CN"), "zz-li-wei", &person, organizer),
              RpcOk());
  ASSERT_THAT(CreatePerson(Person("Lina Li", "", "", "", "CN"), "zz-lina-li", &person, organizer),
              RpcOk());
  auto found = [&](const std::string& query, int page_size) {
    v1::SearchPeopleRequest request;
    request.set_query(query);
    request.set_page_size(page_size);
    v1::SearchPeopleResponse response;
    EXPECT_THAT(Call(&Stub::SearchPeople, Anonymous(), request, &response), RpcOk()) << query;
    std::vector<std::pair<std::string, int>> names;
    for (const auto& result : response.results()) {
      names.emplace_back(result.person().name(), result.match_quality());
    }
    return names;
  };
  using Found = std::pair<std::string, int>;
  constexpr int kExact = v1::SearchPeopleResponse::MATCH_QUALITY_EXACT;
  EXPECT_THAT(found("Li", 2),
              ElementsAre(Found("people/zz-li-wei", kExact), Found("people/zz-lina-li", kExact)));
  EXPECT_THAT(found("Lina Li", 10), ElementsAre(Found("people/zz-lina-li", kExact)));
}

// ---------------------------------------------------------------------------------------------
// Errors: the right code with google.rpc details.

TEST_F(RegistryServerTest, ErrorsCarryTheirCodeAndGoogleRpcDetails) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string organizer = Organizer();
  const std::string before = Snapshot();

  // One violation per bad field.
  v1::Event bad = WashingtonSummit();
  bad.set_country("XX");
  bad.set_time_zone("Mars/Base");
  *bad.mutable_end_date() = Day(2023, 12, 1);
  v1::Event unused;
  EXPECT_THAT(CreateEvent(bad, "bad-event", &unused, organizer),
              RpcInvalidOnExactly({"event.country", "event.time_zone", "event.end_date"}));

  v1::GetPersonRequest get_person;
  get_person.set_name("people/nobody");
  v1::Person person;
  EXPECT_THAT(Call(&Stub::GetPerson, organizer, get_person, &person),
              RpcErrorWithReason(grpc::StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND"));
  get_person.set_name("people/Nobody");
  EXPECT_THAT(Call(&Stub::GetPerson, organizer, get_person, &person),
              RpcInvalidOnExactly({"name"}));

  v1::Event event;
  EXPECT_THAT(CreateEvent(KyivForum(), "kyiv-forum-2023", &event, organizer),
              RpcErrorWithReason(grpc::StatusCode::ALREADY_EXISTS, "RESOURCE_EXISTS"));

  EXPECT_THAT(Approve(SummitParticipant("john-roe"), organizer),
              RpcErrorWithReason(grpc::StatusCode::FAILED_PRECONDITION,
                                 "INVALID_ACCREDITATION_TRANSITION"));
  v1::DeleteOrganizationRequest delete_organization;
  delete_organization.set_name("organizations/ua-mod");
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteOrganization, organizer, delete_organization, &empty),
              RpcErrorWithReason(grpc::StatusCode::FAILED_PRECONDITION, "RESOURCE_IN_USE"));
  v1::DeleteEventRequest delete_event;
  delete_event.set_name(kSummit);
  EXPECT_THAT(Call(&Stub::DeleteEvent, organizer, delete_event, &empty),
              RpcErrorWithReason(grpc::StatusCode::FAILED_PRECONDITION, "RESOURCE_IN_USE"));
  v1::CreateDelegationRequest second;
  second.set_parent(kSummit);
  second.set_delegation_id("second");
  second.mutable_delegation()->set_display_name("Second");
  second.mutable_delegation()->set_country("UA");
  second.mutable_delegation()->add_members("people/jane-doe");
  v1::Delegation delegation;
  EXPECT_THAT(Call(&Stub::CreateDelegation, organizer, second, &delegation),
              RpcErrorWithReason(grpc::StatusCode::FAILED_PRECONDITION, "MEMBER_NOT_ACCREDITED"));
  second.mutable_delegation()->set_members(0, "people/umerov");
  EXPECT_THAT(Call(&Stub::CreateDelegation, organizer, second, &delegation),
              RpcErrorWithReason(grpc::StatusCode::FAILED_PRECONDITION,
                                 "MEMBER_OF_ANOTHER_DELEGATION"));

  // Etag conflict.
  v1::UpdatePersonRequest update;
  update.mutable_person()->set_name("people/umerov");
  update.mutable_person()->set_title("Changed");
  update.mutable_person()->set_etag("0123456789abcdef");
  update.mutable_update_mask()->add_paths("title");
  EXPECT_THAT(Call(&Stub::UpdatePerson, organizer, update, &person),
              RpcErrorWithReason(grpc::StatusCode::ABORTED, "ETAG_MISMATCH"));

  v1::ListEventsRequest list;
  list.set_filter("nationality = \"UA\"");
  v1::ListEventsResponse events;
  EXPECT_THAT(Call(&Stub::ListEvents, organizer, list, &events), RpcInvalidOnExactly({"filter"}));
  list.set_filter("kind = KIND_BOGUS");
  EXPECT_THAT(Call(&Stub::ListEvents, organizer, list, &events), RpcInvalidOnExactly({"filter"}));
  v1::UpdateEventRequest forbidden;
  forbidden.mutable_event()->set_name(kSummit);
  forbidden.mutable_update_mask()->add_paths("create_time");
  EXPECT_THAT(Call(&Stub::UpdateEvent, organizer, forbidden, &event),
              RpcInvalidOnExactly({"update_mask"}));
  EXPECT_THAT(Reject(SummitParticipant("jane-doe"), "", organizer),
              RpcInvalidOnExactly({"reason"}));

  v1::SearchPeopleRequest search;
  v1::SearchPeopleResponse found;
  EXPECT_THAT(Call(&Stub::SearchPeople, Anonymous(), search, &found),
              RpcInvalidOnExactly({"query"}));

  EXPECT_THAT(CreateEvent(KyivForum(), "other", &event, Anonymous()),
              RpcErrorWithReason(grpc::StatusCode::UNAUTHENTICATED, "CREDENTIALS_REQUIRED"));
  EXPECT_THAT(CreateEvent(KyivForum(), "other", &event, Press()),
              RpcErrorWithReason(grpc::StatusCode::PERMISSION_DENIED, "ORGANIZER_ONLY"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(RegistryServerTest, EachInvalidFieldIsOneViolationAndStoresNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string organizer = Organizer();
  const std::string before = Snapshot();
  struct EventCase {
    std::function<void(v1::Event&)> change;
    std::string field;
  };
  const std::vector<EventCase> event_cases = {
      {[](v1::Event& e) { e.set_country("XX"); }, "event.country"},
      {[](v1::Event& e) { e.set_country("ua"); }, "event.country"},
      {[](v1::Event& e) { e.set_time_zone("Mars/Base"); }, "event.time_zone"},
      {[](v1::Event& e) { *e.mutable_end_date() = Day(2023, 12, 5); }, "event.end_date"},
      {[](v1::Event& e) { e.set_display_name(std::string(201, 'x')); }, "event.display_name"},
      {[](v1::Event& e) { e.set_display_name("UDIB\x07Summit"); }, "event.display_name"},
      {[](v1::Event& e) { e.clear_city(); }, "event.city"},
      {[](v1::Event& e) { e.set_kind(v1::Event::KIND_UNSPECIFIED); }, "event.kind"},
      {[](v1::Event& e) { e.set_predecessor("events/nowhere"); }, "event.predecessor"},
  };
  for (const EventCase& c : event_cases) {
    v1::Event event = WashingtonSummit();
    c.change(event);
    v1::Event out;
    EXPECT_THAT(CreateEvent(event, "new-event", &out, organizer), RpcInvalidOnExactly({c.field}))
        << c.field;
  }
  v1::Event out_event;
  EXPECT_THAT(CreateEvent(WashingtonSummit(), "Bad_Id", &out_event, organizer),
              RpcInvalidOnExactly({"event_id"}));

  struct PersonCase {
    std::function<void(v1::Person&)> change;
    std::string field;
  };
  const std::vector<PersonCase> person_cases = {
      {[](v1::Person& p) { p.set_email("not-an-email"); }, "person.email"},
      {[](v1::Person& p) { p.set_phone("0441234567"); }, "person.phone"},
      {[](v1::Person& p) { p.set_languages(0, "Ukrainian"); }, "person.languages[0]"},
      {[](v1::Person& p) { p.set_country("ua"); }, "person.country"},
      {[](v1::Person& p) { p.clear_display_name(); }, "person.display_name"},
      {[](v1::Person& p) { p.set_native_name("Рустем\nУмєров"); }, "person.native_name"},
      {[](v1::Person& p) { p.set_organization("organizations/nowhere"); }, "person.organization"},
  };
  for (const PersonCase& c : person_cases) {
    v1::Person person = Person("Rustem Umerov", "Рустем Умєров", "Minister",
                               "organizations/ua-mod", "UA", "r@example.org", "+380441234567");
    c.change(person);
    v1::Person out;
    EXPECT_THAT(CreatePerson(person, "new-person", &out, organizer), RpcInvalidOnExactly({c.field}))
        << c.field;
  }

  v1::CreateOrganizationRequest organization;
  organization.set_organization_id("new-organization");
  *organization.mutable_organization() =
      Organization("Atlantic Council", v1::Organization::KIND_THINK_TANK, "US", {"Air Defense"});
  organization.mutable_organization()->set_website("ftp://example.org");
  v1::Organization out_organization;
  EXPECT_THAT(Call(&Stub::CreateOrganization, organizer, organization, &out_organization),
              RpcInvalidOnExactly({"organization.capabilities[0]", "organization.website"}));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(RegistryServerTest, EachInvalidTransitionIsFailedPreconditionAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string organizer = Organizer();
  ASSERT_THAT(Revoke(SummitParticipant("stefanchuk"), "Recalled", organizer), RpcOk());
  const std::string before = Snapshot();
  const std::string pending = SummitParticipant("jane-doe");
  const std::string approved = SummitParticipant("umerov");
  const std::string rejected = SummitParticipant("john-roe");
  const std::string revoked = SummitParticipant("stefanchuk");
  // PENDING→REVOKED; APPROVED→APPROVED, →REJECTED; REJECTED→*; REVOKED→*.
  for (const grpc::Status& status : {
           Revoke(pending, "r", organizer),
           Approve(approved, organizer),
           Reject(approved, "r", organizer),
           Approve(rejected, organizer),
           Reject(rejected, "r", organizer),
           Revoke(rejected, "r", organizer),
           Approve(revoked, organizer),
           Reject(revoked, "r", organizer),
           Revoke(revoked, "r", organizer),
       }) {
    EXPECT_THAT(status, RpcErrorWithReason(grpc::StatusCode::FAILED_PRECONDITION,
                                           "INVALID_ACCREDITATION_TRANSITION"));
  }
  EXPECT_EQ(Snapshot(), before);
}

// ---------------------------------------------------------------------------------------------
// Authentication and the role matrix.

TEST_F(RegistryServerTest, BadExpiredAndWronglySignedTokensAreUnauthenticated) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  const Principal organizer{"people/secretariat-officer", Role::kOrganizer};
  const std::string expired =
      auth::MintToken(organizer, absl::Hours(1), suite_->key(), absl::Now() - absl::Hours(2));
  const std::string other_key(48, 'k');
  const std::string wrongly_signed = auth::MintToken(organizer, absl::Hours(1), other_key,
                                                     absl::Now());
  std::string tampered = Organizer();
  // A character well inside the signature (the last one also holds padding bits).
  char& flipped = tampered[tampered.size() - 10];
  flipped = flipped == 'A' ? 'B' : 'A';

  struct Case {
    std::string header;
    absl::string_view reason;
  };
  const std::vector<Case> cases = {
      {absl::StrCat("Bearer ", expired), auth::kReasonTokenExpired},
      {absl::StrCat("Bearer ", wrongly_signed), auth::kReasonTokenBadSignature},
      {absl::StrCat("Bearer ", tampered), auth::kReasonTokenBadSignature},
      {"Bearer not.a.token", auth::kReasonTokenMalformed},
      {"Bearer garbage", auth::kReasonTokenMalformed},
      {"Basic c2VjcmV0YXJpYXQ6cGFzc3dvcmQ=", auth::kReasonAuthSchemeUnsupported},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    // A write is refused...
    v1::CreateEventRequest create;
    *create.mutable_event() = KyivForum();
    create.set_event_id("another-forum");
    v1::Event event;
    EXPECT_THAT(CallWithHeader(&Stub::CreateEvent, c.header, create, &event),
                RpcErrorWithReason(grpc::StatusCode::UNAUTHENTICATED, std::string(c.reason)));
    // ...and so is a read: a broken token is never quietly public.
    v1::GetEventRequest get;
    get.set_name(kSummit);
    EXPECT_THAT(CallWithHeader(&Stub::GetEvent, c.header, get, &event),
                RpcCode(grpc::StatusCode::UNAUTHENTICATED));
  }
  // "Bearer" with no token, and an empty bearer.
  v1::GetEventRequest get;
  get.set_name(kSummit);
  v1::Event event;
  EXPECT_THAT(CallWithHeader(&Stub::GetEvent, "Bearer", get, &event),
              RpcCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(Snapshot(), before);
  // A good token still works.
  EXPECT_THAT(Call(&Stub::GetEvent, Organizer(), get, &event), RpcOk());
}

TEST_F(RegistryServerTest, RoleMatrixOverTheWire) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();

  // Writes: organizers only.
  v1::Event event;
  EXPECT_THAT(CreateEvent(KyivForum(), "another", &event, Anonymous()),
              RpcCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(CreateEvent(KyivForum(), "another", &event, Press()),
              RpcCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(CreateEvent(KyivForum(), "another", &event, Service()),
              RpcCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Approve(SummitParticipant("jane-doe"), Service()),
              RpcCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Approve(SummitParticipant("jane-doe"), As(Role::kPress, "jane-doe")),
              RpcCode(grpc::StatusCode::PERMISSION_DENIED));
  v1::UpdatePersonRequest own;  // a delegate may read, not change, their own record
  own.mutable_person()->set_name("people/umerov");
  own.mutable_person()->set_title("Self-promoted");
  own.mutable_update_mask()->add_paths("title");
  v1::Person person;
  EXPECT_THAT(Call(&Stub::UpdatePerson, As(Role::kDelegate, "umerov"), own, &person),
              RpcCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Revoke(SummitParticipant("umerov"), "r", As(Role::kDelegate, "yermak")),
              RpcCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(Snapshot(), before);

  // E-mail and phone: organizers, services and the person.
  struct Reader {
    std::string token;
    bool sees;
  };
  for (const Reader& reader : std::vector<Reader>{{Organizer(), true},
                                                  {Service(), true},
                                                  {As(Role::kDelegate, "umerov"), true},
                                                  {As(Role::kDelegate, "yermak"), false},
                                                  {Press(), false},
                                                  {Anonymous(), false}}) {
    ASSERT_THAT(GetPerson("people/umerov", &person, reader.token), RpcOk());
    EXPECT_EQ(person.email(), reader.sees ? "umerov@example.org" : "") << reader.sees;
    EXPECT_EQ(person.phone().empty(), !reader.sees);
    EXPECT_EQ(person.display_name(), "Rustem Umerov");
  }

  // Accreditations other than APPROVED: organizers, services and the person.
  const std::string pending = SummitParticipant("jane-doe");
  const std::string rejected = SummitParticipant("john-roe");
  v1::Participant participant;
  for (const std::string& token : {Organizer(), Service(), As(Role::kPress, "jane-doe")}) {
    EXPECT_THAT(GetParticipant(pending, &participant, token), RpcOk());
    EXPECT_THAT(ParticipantNames(kSummit, "", token), Contains(pending));
  }
  for (const std::string& token : {Anonymous(), Press(), As(Role::kDelegate, "umerov")}) {
    EXPECT_THAT(GetParticipant(pending, &participant, token),
                RpcErrorWithReason(grpc::StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND"));
    EXPECT_THAT(GetParticipant(rejected, &participant, token),
                RpcCode(grpc::StatusCode::NOT_FOUND));
    const std::vector<std::string> listed = ParticipantNames(kSummit, "", token);
    EXPECT_THAT(listed, Not(Contains(pending)));
    EXPECT_THAT(listed, Not(Contains(rejected)));
    EXPECT_THAT(listed, SizeIs(3));  // the approved delegates
    v1::BatchGetParticipantsRequest batch;
    batch.set_parent(kSummit);
    batch.add_names(SummitParticipant("umerov"));
    batch.add_names(pending);
    v1::BatchGetParticipantsResponse response;
    EXPECT_THAT(Call(&Stub::BatchGetParticipants, token, batch, &response),
                RpcCode(grpc::StatusCode::NOT_FOUND));
  }
  EXPECT_THAT(GetParticipant(rejected, &participant, As(Role::kPublic, "john-roe")), RpcOk());
  EXPECT_EQ(participant.state_reason(), "No company registration");
}

// ---------------------------------------------------------------------------------------------
// Retries and restarts.

TEST_F(RegistryServerTest, RequestIdRetryOverTheWire) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string organizer = Organizer();
  const int people = CountPeople();
  v1::Person first;
  ASSERT_THAT(CreatePerson(Person("Oleksandr Kamyshin", "Олександр Камишін",
                                  "Minister of Strategic Industries", "", "UA"),
                           "", &first, organizer, "5f1c2a90-kamyshin"),
              RpcOk());
  v1::Person second;
  ASSERT_THAT(CreatePerson(Person("Oleksandr Kamyshin", "Олександр Камишін",
                                  "Minister of Strategic Industries", "", "UA"),
                           "", &second, organizer, "5f1c2a90-kamyshin"),
              RpcOk());
  EXPECT_EQ(second.name(), first.name());
  EXPECT_EQ(second.etag(), first.etag());
  EXPECT_EQ(CountPeople(), people + 1);

  v1::Event event_first, event_second;
  v1::Event scratch = KyivForum();
  ASSERT_THAT(CreateEvent(scratch, "", &event_first, organizer, "5f1c2a90-event"), RpcOk());
  ASSERT_THAT(CreateEvent(scratch, "", &event_second, organizer, "5f1c2a90-event"), RpcOk());
  EXPECT_EQ(event_second.name(), event_first.name());
  v1::ListEventsRequest list;
  v1::ListEventsResponse events;
  ASSERT_THAT(Call(&Stub::ListEvents, organizer, list, &events), RpcOk());
  EXPECT_THAT(events.events(), SizeIs(3));
}

// Two replicas on one database, and every create sent several times at once with one request
// id, half to each replica — what a client does whose first attempt timed out behind a load
// balancer. Each request id creates one person (the server names them, so a duplicate could
// not hide behind a taken id), and every attempt answers with that person.
TEST_F(RegistryServerTest, RetriedCreatesRacingOnTwoReplicasCreateEachPersonOnce) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_NO_FATAL_FAILURE(StartSecondReplica());
  const int people_before = CountPeople();
  constexpr int kCreates = 12;
  constexpr int kAttempts = 6;
  for (int c = 0; c < kCreates; ++c) {
    std::vector<std::string> names(kAttempts);
    const std::vector<grpc::Status> statuses =
        AtOnceOnBothReplicas(kAttempts, [&](int a, Stub& stub, grpc::ClientContext& context) {
          v1::CreatePersonRequest request;
          *request.mutable_person() =
              Person(absl::StrCat("Delegate Number ", c), "", "Industry representative", "", "UA");
          request.set_request_id(absl::StrCat("7d3e-retry-", c));
          v1::Person created;
          const grpc::Status status = stub.CreatePerson(&context, request, &created);
          names[a] = created.name();
          return status;
        });
    for (int a = 0; a < kAttempts; ++a) {
      EXPECT_THAT(statuses[a], RpcOk()) << "create " << c << ", attempt " << a;
      EXPECT_EQ(names[a], names[0]) << "create " << c << ", attempt " << a;
    }
  }
  EXPECT_EQ(CountPeople(), people_before + kCreates);
}

// Creates of one chosen name sent at once to two replicas (people, organizations and
// accreditations are written at READ COMMITTED, with their keys keeping them unique): exactly
// one creates it, with what it sent; every other hears RESOURCE_EXISTS, and leaves nothing
// behind (no search words of its own).
TEST_F(RegistryServerTest, CreatesOfOneNameRacingOnTwoReplicasLetExactlyOneWin) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_NO_FATAL_FAILURE(StartSecondReplica());
  const std::string organizer = Organizer();
  constexpr int kRounds = 4;
  const v1::Participant::Role kRoles[] = {
      v1::Participant::ROLE_DELEGATE,        v1::Participant::ROLE_INDUSTRY,
      v1::Participant::ROLE_HOST_GOVERNMENT, v1::Participant::ROLE_PRESS,
      v1::Participant::ROLE_ORGANIZER,       v1::Participant::ROLE_OBSERVER};
  constexpr int kAttempts = 6;  // one role each
  for (int r = 0; r < kRounds; ++r) {
    const std::string person_id = absl::StrCat("contested-", r);
    const int person_winner =
        OnlyWinner(AtOnceOnBothReplicas(kAttempts,
                                        [&](int a, Stub& stub, grpc::ClientContext& context) {
                                          v1::CreatePersonRequest request;
                                          *request.mutable_person() =
                                              Person(absl::StrCat("Contender Number ", a), "",
                                                     "Delegate", "organizations/ua-mod", "UA");
                                          request.set_person_id(person_id);
                                          v1::Person created;
                                          return stub.CreatePerson(&context, request, &created);
                                        }),
                   grpc::StatusCode::ALREADY_EXISTS, "RESOURCE_EXISTS", person_id);
    v1::Person person;
    ASSERT_THAT(GetPerson(absl::StrCat("people/", person_id), &person, organizer), RpcOk());
    EXPECT_EQ(person.display_name(), absl::StrCat("Contender Number ", person_winner));
    // Each round's winner is found by its name, once; no loser is.
    v1::SearchPeopleRequest search;
    search.set_query("Contender");
    search.set_page_size(100);
    v1::SearchPeopleResponse found;
    ASSERT_THAT(Call(&Stub::SearchPeople, organizer, search, &found), RpcOk());
    EXPECT_THAT(found.results(), SizeIs(r + 1));

    const std::string organization_id = absl::StrCat("contested-organization-", r);
    const int organization_winner = OnlyWinner(
        AtOnceOnBothReplicas(kAttempts,
                             [&](int a, Stub& stub, grpc::ClientContext& context) {
                               v1::CreateOrganizationRequest request;
                               *request.mutable_organization() =
                                   Organization(absl::StrCat("Contender Works ", a),
                                                v1::Organization::KIND_DEFENSE_COMPANY, "UA");
                               request.set_organization_id(organization_id);
                               v1::Organization created;
                               return stub.CreateOrganization(&context, request, &created);
                             }),
        grpc::StatusCode::ALREADY_EXISTS, "RESOURCE_EXISTS", organization_id);
    v1::GetOrganizationRequest get_organization;
    get_organization.set_name(absl::StrCat("organizations/", organization_id));
    v1::Organization organization;
    ASSERT_THAT(Call(&Stub::GetOrganization, organizer, get_organization, &organization), RpcOk());
    EXPECT_EQ(organization.display_name(), absl::StrCat("Contender Works ", organization_winner));

    const int accreditation_winner = OnlyWinner(
        AtOnceOnBothReplicas(kAttempts,
                             [&](int a, Stub& stub, grpc::ClientContext& context) {
                               v1::CreateParticipantRequest request;
                               request.set_parent(kSummit);
                               request.mutable_participant()->set_person(
                                   absl::StrCat("people/", person_id));
                               request.mutable_participant()->set_role(kRoles[a]);
                               v1::Participant created;
                               return stub.CreateParticipant(&context, request, &created);
                             }),
        grpc::StatusCode::ALREADY_EXISTS, "RESOURCE_EXISTS", "accreditation of " + person_id);
    v1::Participant participant;
    ASSERT_THAT(GetParticipant(SummitParticipant(person_id), &participant, organizer), RpcOk());
    if (accreditation_winner >= 0) {
      EXPECT_EQ(participant.role(), kRoles[accreditation_winner]);
    }
  }
}

// A create that refers to a resource, sent at once with that resource's delete to the other
// replica: whichever comes first, nothing ever refers to what is gone, and the other hears why
// (the reference missing, or the resource still in use) as it would have alone.
TEST_F(RegistryServerTest, CreatesRacingTheDeleteOfWhatTheyReferToNeverOutliveIt) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_NO_FATAL_FAILURE(StartSecondReplica());
  const std::string organizer = Organizer();
  // `race`: the create's status, then the delete's; `created`: the created resource read back.
  // Either the create came first (the delete hears RESOURCE_IN_USE) or the delete did (the
  // create hears that `field` names nothing, and made nothing).
  const auto expect_one_first = [](const std::vector<grpc::Status>& race,
                                   const std::string& field, const grpc::Status& created,
                                   int round) {
    if (race[0].ok()) {
      EXPECT_THAT(race[1],
                  RpcErrorWithReason(grpc::StatusCode::FAILED_PRECONDITION, "RESOURCE_IN_USE"))
          << field << ", round " << round;
      EXPECT_THAT(created, RpcOk()) << field << ", round " << round;
    } else {
      EXPECT_THAT(race[0], RpcInvalidOnExactly({field})) << field << ", round " << round;
      EXPECT_THAT(race[1], RpcOk()) << field << ", round " << round;
      EXPECT_THAT(created, RpcCode(grpc::StatusCode::NOT_FOUND)) << field << ", round " << round;
    }
  };
  constexpr int kRounds = 8;
  for (int r = 0; r < kRounds; ++r) {
    const std::string organization = absl::StrCat("organizations/fleeting-", r);
    ASSERT_THAT(CreateOrganization(
                    Organization("Fleeting Ltd", v1::Organization::KIND_DEFENSE_COMPANY, "UA"),
                    absl::StrCat("fleeting-", r), organizer),
                RpcOk());
    const std::vector<grpc::Status> person_race =
        AtOnceOnBothReplicas(2, [&](int a, Stub& stub, grpc::ClientContext& context) {
          google::protobuf::Empty empty;
          v1::Person created;
          if (a == 1) {
            v1::DeleteOrganizationRequest request;
            request.set_name(organization);
            return stub.DeleteOrganization(&context, request, &empty);
          }
          v1::CreatePersonRequest request;
          *request.mutable_person() = Person("Follower", "", "Engineer", organization, "UA");
          request.set_person_id(absl::StrCat("follower-", r));
          return stub.CreatePerson(&context, request, &created);
        });
    v1::Person follower;
    expect_one_first(person_race, "person.organization",
                     GetPerson(absl::StrCat("people/follower-", r), &follower, organizer), r);

    const std::string person_id = absl::StrCat("passing-", r);
    v1::Person passing;
    ASSERT_THAT(CreatePerson(Person("Passing Visitor", "", "Visitor", "", "US"), person_id,
                             &passing, organizer),
                RpcOk());
    const std::vector<grpc::Status> accreditation_race =
        AtOnceOnBothReplicas(2, [&](int a, Stub& stub, grpc::ClientContext& context) {
          google::protobuf::Empty empty;
          v1::Participant created;
          if (a == 1) {
            v1::DeletePersonRequest request;
            request.set_name(passing.name());
            return stub.DeletePerson(&context, request, &empty);
          }
          v1::CreateParticipantRequest request;
          request.set_parent(kSummit);
          request.mutable_participant()->set_person(passing.name());
          request.mutable_participant()->set_role(v1::Participant::ROLE_OBSERVER);
          return stub.CreateParticipant(&context, request, &created);
        });
    v1::Participant participant;
    expect_one_first(accreditation_race, "participant.person",
                     GetParticipant(SummitParticipant(person_id), &participant, organizer), r);
  }
}

// Updates sent at once to two replicas, all with the etag they read: exactly one is applied;
// every other hears ETAG_MISMATCH (read, check, write stays serializable).
TEST_F(RegistryServerTest, UpdatesWithOneEtagRacingOnTwoReplicasLetExactlyOneWin) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_NO_FATAL_FAILURE(StartSecondReplica());
  const std::string organizer = Organizer();
  constexpr int kRounds = 4;
  constexpr int kAttempts = 6;
  for (int r = 0; r < kRounds; ++r) {
    v1::Person read;
    ASSERT_THAT(GetPerson("people/umerov", &read, organizer), RpcOk());
    const int winner =
        OnlyWinner(AtOnceOnBothReplicas(kAttempts,
                                        [&](int a, Stub& stub, grpc::ClientContext& context) {
                                          v1::UpdatePersonRequest request;
                                          *request.mutable_person() = read;
                                          request.mutable_person()->set_title(
                                              absl::StrCat("Minister, round ", r, ", writer ", a));
                                          request.mutable_update_mask()->add_paths("title");
                                          v1::Person updated;
                                          return stub.UpdatePerson(&context, request, &updated);
                                        }),
                   grpc::StatusCode::ABORTED, "ETAG_MISMATCH", absl::StrCat("round ", r));
    v1::Person stored;
    ASSERT_THAT(GetPerson("people/umerov", &stored, organizer), RpcOk());
    EXPECT_EQ(stored.title(), absl::StrCat("Minister, round ", r, ", writer ", winner));
    EXPECT_NE(stored.etag(), read.etag());
  }
}

TEST_F(RegistryServerTest, RestartKeepsEverything) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string organizer = Organizer();  // minted before the restart
  const std::string before = Snapshot();
  ASSERT_THAT(before, ::testing::HasSubstr("people/umerov"));

  ASSERT_NO_FATAL_FAILURE(StopServer());
  EXPECT_FALSE(suite_->Process(Server::kRegistry).IsRunning());
  ASSERT_NO_FATAL_FAILURE(StartServer());

  EXPECT_EQ(Snapshot(), before);
  // Same key file: tokens minted before still work, and so do writes.
  ASSERT_THAT(Approve(SummitParticipant("jane-doe"), organizer), RpcOk());
  v1::Participant jane;
  ASSERT_THAT(GetParticipant(SummitParticipant("jane-doe"), &jane, Anonymous()), RpcOk());
  EXPECT_EQ(jane.state(), v1::Participant::STATE_APPROVED);
  // A request id remembered before the restart is still remembered.
  v1::Person retried;
  const int people = CountPeople();
  v1::Person created;
  ASSERT_THAT(CreatePerson(Person("Mykola Tochytskyi", "Микола Точицький", "Deputy Minister", "",
                                  "UA"),
                           "", &created, organizer, "c0ffee-tochytskyi"),
              RpcOk());
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer());
  ASSERT_THAT(CreatePerson(Person("Mykola Tochytskyi", "Микола Точицький", "Deputy Minister", "",
                                  "UA"),
                           "", &retried, organizer, "c0ffee-tochytskyi"),
              RpcOk());
  EXPECT_EQ(retried.name(), created.name());
  EXPECT_EQ(CountPeople(), people + 1);
  v1::SearchPeopleRequest search;
  search.set_query("Tochitsky");
  v1::SearchPeopleResponse found;
  ASSERT_THAT(Call(&Stub::SearchPeople, Anonymous(), search, &found), RpcOk());
  ASSERT_THAT(found.results(), SizeIs(1));
  EXPECT_EQ(found.results(0).person().name(), created.name());
}

}  // namespace
}  // namespace summit::registry
