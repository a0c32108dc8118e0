// Values a caller reads that are derived from data it may not see must tell it nothing of that
// data (ARCHITECTURE.md: "every value derived from hidden data (etags, counts, errors) is hidden
// too"), checked on the four real processes loaded with the demo, directly and through the
// gateway (gRPC and HTTP/JSON), on SQLite and on PostgreSQL:
//
// - a person's etag: read by someone who may not see e-mail and phone, it confirms no guess of
//   them offline (it was a hash of the whole stored person), and tells a person with contact
//   details from one without none; yet every change, one of the hidden fields alone included,
//   still makes the etag read before it stale — on every replica of one database — so that
//   organizers' optimistic concurrency holds;
// - a meeting request's state_reason once a plan is committed: its requester and invitee learn
//   that a pair rule forbids the meeting, not which rule or why, and a request crowded out names
//   none of the requests that took its place. The organizer's plan still names them.
//
// Waits are bounded (kPatience, kCallPatience) and are not measurements.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tests/support/any_call.h"
#include "tests/support/newcomers.h"
#include "tests/support/rpc_status.h"
#include "tests/support/shared_suite_test.h"
#include "tests/support/suite.h"
#include "tests/support/ways_in.h"

namespace summit {
namespace {

namespace rv1 = registry::v1;
namespace sv1 = scheduling::v1;
using ::summit::testing::CallAs;
using ::summit::testing::CallerAndWay;
using ::summit::testing::ContextAs;
using ::summit::testing::kWaysIn;
using ::summit::testing::Newcomer;
using ::summit::testing::RpcErrorWithReason;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::SuiteOptions;
using ::summit::testing::WayIn;
using ::testing::HasSubstr;
using ::testing::Not;
using Code = grpc::StatusCode;

constexpr char kEvent[] = "events/udib-2023";
constexpr char kGetPerson[] = "summit.registry.v1.RegistryService.GetPerson";
constexpr char kUpdatePerson[] = "summit.registry.v1.RegistryService.UpdatePerson";
constexpr char kGetMeetingRequest[] = "summit.scheduling.v1.SchedulingService.GetMeetingRequest";
constexpr char kListMeetingRequests[] =
    "summit.scheduling.v1.SchedulingService.ListMeetingRequests";

const auth::Principal kOrganizer{"people/duty-officer", auth::Role::kOrganizer};

// Who may not see a person's e-mail and phone: the public, the press, a delegate.
std::vector<auth::Principal> Outsiders() {
  return {auth::Principal::Public(),
          {"people/sam-rivera", auth::Role::kPress},
          {"people/yermak", auth::Role::kDelegate}};
}

Newcomer Person(const std::string& id, const std::string& email, const std::string& phone) {
  Newcomer person;
  person.id = id;
  person.email = email;
  person.phone = phone;
  return person;
}

// What a person's etag used to be: FNV-1a (64 bits) of the deterministic serialization of the
// stored person without its etag. Whoever reads the person without e-mail and phone recomputes
// it for each guess of them, offline; a match confirms the guess.
std::string OldEtag(rv1::Person person) {
  person.clear_etag();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream output(&stream);
    output.SetSerializationDeterministic(true);
    person.SerializeToCodedStream(&output);
  }
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return absl::StrFormat("%016x", hash);
}

// The guesses of `seen`'s contact details that its etag confirms: none at all, `email` alone,
// and `email` with each number of +12025550100 to +12025550199.
std::vector<std::string> ConfirmedGuesses(const rv1::Person& seen, const std::string& email) {
  std::vector<std::pair<std::string, std::string>> guesses = {{"", ""}, {email, ""}};
  for (int n = 100; n < 200; ++n) guesses.emplace_back(email, absl::StrCat("+12025550", n));
  std::vector<std::string> confirmed;
  for (const auto& [guessed_email, guessed_phone] : guesses) {
    rv1::Person guess = seen;
    guess.set_email(guessed_email);
    guess.set_phone(guessed_phone);
    if (OldEtag(guess) == seen.etag()) {
      confirmed.push_back(
          absl::StrCat("e-mail \"", guessed_email, "\", phone \"", guessed_phone, "\""));
    }
  }
  return confirmed;
}

class DerivedValuesTest : public testing::SharedSuiteTest<DerivedValuesTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "derived-values";
    return options;
  }

 protected:
  static std::unique_ptr<sv1::SchedulingService::Stub> Scheduling() {
    return sv1::SchedulingService::NewStub(suite().Channel(Server::kScheduling));
  }
  static grpc::Status Call(WayIn way, absl::string_view method,
                           const google::protobuf::Message& request, const auth::Principal& caller,
                           google::protobuf::Message* response) {
    return CallAs(suite(), way, method, request, caller, response);
  }

  static rv1::UpdatePersonRequest ChangePhone(const rv1::Person& read, const std::string& phone) {
    rv1::UpdatePersonRequest update;
    *update.mutable_person() = read;
    update.mutable_person()->set_phone(phone);
    update.mutable_update_mask()->add_paths("phone");
    return update;
  }
};

// Two people alike but for their contact details, one with e-mail and phone and one with none:
// read by anyone who may not see those, neither etag confirms any guess of them.
TEST_F(DerivedValuesTest, APersonsEtagConfirmsNoGuessOfTheirHiddenContactDetails) {
  constexpr char kEmail[] = "etag.twin@example.com";
  ASSERT_OK_AND_ASSIGN(const rv1::Person with,
                       AddNewcomer(suite(), Person("etag-twin-with", kEmail, "+12025550123")));
  ASSERT_OK_AND_ASSIGN(const rv1::Person without,
                       AddNewcomer(suite(), Person("etag-twin-without", "", "")));
  for (const WayIn way : kWaysIn) {
    for (const auth::Principal& caller : Outsiders()) {
      for (const rv1::Person& person : {with, without}) {
        rv1::GetPersonRequest get;
        get.set_name(person.name());
        rv1::Person seen;
        ASSERT_THAT(Call(way, kGetPerson, get, caller, &seen), RpcOk())
            << CallerAndWay(caller, way);
        EXPECT_TRUE(seen.email().empty() && seen.phone().empty()) << CallerAndWay(caller, way);
        EXPECT_EQ(seen.etag(), person.etag()) << "one etag for every reader";
        EXPECT_THAT(ConfirmedGuesses(seen, kEmail), ::testing::IsEmpty())
            << person.name() << " read by " << CallerAndWay(caller, way);
      }
    }
  }
}

// The etag is one for every reader and changes with every change, so an organizer who changes
// only hidden fields still finds a concurrent writer's etag stale.
TEST_F(DerivedValuesTest, AChangeOfHiddenContactDetailsAloneMakesTheEtagReadBeforeStale) {
  int n = 0;
  for (const WayIn way : kWaysIn) {
    ASSERT_OK_AND_ASSIGN(const rv1::Person person,
                         AddNewcomer(suite(), Person(absl::StrCat("etag-writer-", ++n),
                                                     "w@example.com", "+12025550111")));
    rv1::GetPersonRequest get;
    get.set_name(person.name());
    rv1::Person public_read;
    ASSERT_THAT(Call(way, kGetPerson, get, auth::Principal::Public(), &public_read), RpcOk());

    rv1::Person updated;
    ASSERT_THAT(Call(way, kUpdatePerson, ChangePhone(person, "+12025550112"), kOrganizer, &updated),
                RpcOk())
        << testing::NameOf(way);
    EXPECT_NE(updated.etag(), person.etag()) << testing::NameOf(way);
    rv1::Person ignored;
    EXPECT_THAT(Call(way, kUpdatePerson, ChangePhone(person, "+12025550113"), kOrganizer, &ignored),
                RpcErrorWithReason(Code::ABORTED, "ETAG_MISMATCH"))
        << testing::NameOf(way);

    // The public sees the change of an etag as it sees the update time's, and nothing more.
    rv1::Person public_again;
    ASSERT_THAT(Call(way, kGetPerson, get, auth::Principal::Public(), &public_again), RpcOk());
    EXPECT_NE(public_again.etag(), public_read.etag());
    EXPECT_EQ(public_again.etag(), updated.etag());
    rv1::Person stored;
    ASSERT_THAT(Call(way, kGetPerson, get, kOrganizer, &stored), RpcOk());
    EXPECT_EQ(stored.phone(), "+12025550112") << "the stale write changed nothing";
  }
}

// The etag is stored with the person and compared in the write's transaction: a second replica
// on the same database refuses what the first made stale, and takes the fresh etag.
TEST_F(DerivedValuesTest, AStaleEtagIsRefusedByEveryReplicaOfOneDatabase) {
  ASSERT_OK_AND_ASSIGN(
      const rv1::Person person,
      AddNewcomer(suite(), Person("etag-replicas", "r@example.com", "+12025550131")));
  ASSERT_OK_AND_ASSIGN(testing::ServingProcess replica, suite().StartReplica(Server::kRegistry));
  auto on_replica = rv1::RegistryService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", replica.port), grpc::InsecureChannelCredentials()));
  auto on_first = rv1::RegistryService::NewStub(suite().Channel(Server::kRegistry));
  const auto context = [] { return ContextAs(suite(), kOrganizer); };
  rv1::GetPersonRequest get;
  get.set_name(person.name());
  rv1::Person read_on_replica;
  ASSERT_THAT(on_replica->GetPerson(context().get(), get, &read_on_replica), RpcOk());
  EXPECT_EQ(read_on_replica.etag(), person.etag());

  rv1::Person updated;
  ASSERT_THAT(on_first->UpdatePerson(context().get(), ChangePhone(read_on_replica, "+12025550132"),
                                     &updated),
              RpcOk());
  rv1::Person refused;
  EXPECT_THAT(on_replica->UpdatePerson(context().get(),
                                       ChangePhone(read_on_replica, "+12025550133"), &refused),
              RpcErrorWithReason(Code::ABORTED, "ETAG_MISMATCH"));
  rv1::Person fresh;
  ASSERT_THAT(on_replica->GetPerson(context().get(), get, &fresh), RpcOk());
  EXPECT_EQ(fresh.etag(), updated.etag());
  EXPECT_EQ(fresh.phone(), "+12025550132");
  EXPECT_THAT(
      on_replica->UpdatePerson(context().get(), ChangePhone(fresh, "+12025550134"), &updated),
      RpcOk());
}

// A meeting that a pair rule made after its acceptance forbids: the plan names the rule to the
// organizer; the requester and the invitee, reading the request any way they can, learn that a
// pair rule forbids it, and neither which one nor why.
TEST_F(DerivedValuesTest, ThePeopleOfAMeetingLearnThatAPairRuleForbidsItNotWhichOrWhy) {
  constexpr char kRuleId[] = "derived-values-rule";
  constexpr char kRuleReason[] = "Canary 5521: an export-control finding only organizers read";
  Newcomer rep_of = Person("derived-rep", "", "");
  rep_of.organization = "derived-values-company";
  rep_of.event = kEvent;
  Newcomer official_of = Person("derived-official", "", "");
  official_of.organization = "derived-values-agency";
  official_of.event = kEvent;
  official_of.role = rv1::Participant::ROLE_HOST_GOVERNMENT;
  ASSERT_OK_AND_ASSIGN(const rv1::Person rep, AddNewcomer(suite(), rep_of));
  ASSERT_OK_AND_ASSIGN(const rv1::Person official, AddNewcomer(suite(), official_of));
  const auth::Principal requester{rep.name(), auth::Role::kDelegate};
  const auth::Principal invitee{official.name(), auth::Role::kDelegate};

  sv1::CreateMeetingRequestRequest ask;
  ask.set_parent(kEvent);
  ask.set_meeting_request_id("derived-values-meeting");
  ask.mutable_meeting_request()->set_requester(rep.name());
  ask.mutable_meeting_request()->set_invitee(official.name());
  ask.mutable_meeting_request()->set_topic("Counter-battery radar exports");
  ask.mutable_meeting_request()->mutable_duration()->set_seconds(20 * 60);
  sv1::MeetingRequest meeting;
  ASSERT_THAT(
      Scheduling()->CreateMeetingRequest(ContextAs(suite(), requester).get(), ask, &meeting),
      RpcOk());
  sv1::AcceptMeetingRequestRequest accept;
  accept.set_name(meeting.name());
  ASSERT_THAT(
      Scheduling()->AcceptMeetingRequest(ContextAs(suite(), invitee).get(), accept, &meeting),
      RpcOk());
  sv1::CreatePairRuleRequest rule;
  rule.set_parent(kEvent);
  rule.set_pair_rule_id(kRuleId);
  rule.mutable_pair_rule()->set_organization_a(rep.organization());
  rule.mutable_pair_rule()->set_organization_b(official.organization());
  rule.mutable_pair_rule()->set_reason(kRuleReason);
  sv1::PairRule made;
  ASSERT_THAT(Scheduling()->CreatePairRule(ContextAs(suite(), kOrganizer).get(), rule, &made),
              RpcOk());

  sv1::ProposeScheduleRequest propose;
  propose.set_event(kEvent);
  sv1::SchedulePlan plan;
  ASSERT_THAT(Scheduling()->ProposeSchedule(ContextAs(suite(), kOrganizer).get(), propose, &plan),
              RpcOk());
  const sv1::UnplacedRequest* unplaced = nullptr;
  for (const sv1::UnplacedRequest& u : plan.unplaced()) {
    if (u.meeting_request() == meeting.name()) unplaced = &u;
  }
  ASSERT_NE(unplaced, nullptr) << plan.ShortDebugString().substr(0, 2000);
  EXPECT_EQ(unplaced->reason(), sv1::UnplacedRequest::REASON_PAIR_RULE);
  EXPECT_THAT(unplaced->explanation(), HasSubstr(made.name())) << "the organizer's plan names it";
  sv1::CommitScheduleRequest commit;
  *commit.mutable_plan() = plan;
  sv1::CommitScheduleResponse committed;
  ASSERT_THAT(
      Scheduling()->CommitSchedule(ContextAs(suite(), kOrganizer).get(), commit, &committed),
      RpcOk());

  sv1::GetMeetingRequestRequest get;
  get.set_name(meeting.name());
  sv1::ListMeetingRequestsRequest list;
  list.set_parent(kEvent);
  list.set_filter(absl::StrCat("requester = ", rep.name()));
  for (const WayIn way : kWaysIn) {
    for (const auth::Principal& caller : {requester, invitee, kOrganizer}) {
      sv1::MeetingRequest read;
      ASSERT_THAT(Call(way, kGetMeetingRequest, get, caller, &read), RpcOk())
          << CallerAndWay(caller, way);
      sv1::ListMeetingRequestsResponse listed;
      ASSERT_THAT(Call(way, kListMeetingRequests, list, caller, &listed), RpcOk())
          << CallerAndWay(caller, way);
      ASSERT_EQ(listed.meeting_requests_size(), 1) << CallerAndWay(caller, way);
      for (const sv1::MeetingRequest& told : {read, listed.meeting_requests(0)}) {
        EXPECT_EQ(told.state(), sv1::MeetingRequest::STATE_UNSCHEDULABLE);
        EXPECT_THAT(told.state_reason(), HasSubstr("a pair rule forbids it"))
            << CallerAndWay(caller, way);
        EXPECT_THAT(told.state_reason(), Not(HasSubstr(kRuleId))) << CallerAndWay(caller, way);
        EXPECT_THAT(told.state_reason(), Not(HasSubstr("pairRules"))) << CallerAndWay(caller, way);
        EXPECT_THAT(told.state_reason(), Not(HasSubstr("Canary 5521")))
            << CallerAndWay(caller, way);
      }
    }
  }
}

// The demo's plan left requests out (crowded out by others, for lack of a common free time):
// what their requesters read names none of the requests, rules, people or rooms involved.
TEST_F(DerivedValuesTest, ARequestLeftOutNamesNothingOfOthersToItsRequester) {
  sv1::ListMeetingRequestsRequest left_out;
  left_out.set_parent(kEvent);
  left_out.set_filter("state = STATE_UNSCHEDULABLE");
  left_out.set_page_size(1000);
  sv1::ListMeetingRequestsResponse listed;
  ASSERT_THAT(
      Scheduling()->ListMeetingRequests(ContextAs(suite(), kOrganizer).get(), left_out, &listed),
      RpcOk());
  ASSERT_FALSE(listed.meeting_requests().empty()) << "the demo's plan leaves some out";
  int read = 0;
  for (const sv1::MeetingRequest& request : listed.meeting_requests()) {
    if (request.state_reason().find("pair rule") != std::string::npos) continue;  // see above
    const auth::Principal requester{request.requester(), auth::Role::kDelegate};
    sv1::GetMeetingRequestRequest get;
    get.set_name(request.name());
    for (const WayIn way : kWaysIn) {
      sv1::MeetingRequest told;
      ASSERT_THAT(Call(way, kGetMeetingRequest, get, requester, &told), RpcOk())
          << CallerAndWay(requester, way);
      EXPECT_FALSE(told.state_reason().empty()) << request.name();
      EXPECT_THAT(told.state_reason(), Not(HasSubstr("/")))
          << request.name() << " told " << CallerAndWay(requester, way);
    }
    if (++read == 5) break;
  }
  EXPECT_GT(read, 0);
}

}  // namespace
}  // namespace summit
