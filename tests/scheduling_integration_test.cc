// Integration tests of summit-scheduling: the real binary as a child process next to a real
// summit-registry (which it asks about the event, accreditations and organizations), each on
// its own SQLite file, called over real gRPC with the generated stubs and real signed tokens.
//
// What they prove, over the wire:
// - every SchedulingService RPC answers its happy path (rooms, sessions, meeting requests and
//   their life cycle, availability, pair rules, propose/commit, itineraries, iCalendar);
// - each invariant, attacked directly, is refused with FAILED_PRECONDITION and the ErrorInfo
//   reason naming it, and nothing is written (an organizer's view of everything is equal before
//   and after); a cancelled session frees its slot;
// - concurrent writers racing for one person or one room: exactly one wins, every round;
// - CommitSchedule refuses a stale plan (ABORTED) and an edited one, writing nothing;
// - a Registry that is down or hung makes a write fail with UNAVAILABLE or DEADLINE_EXCEEDED
//   inside the caller's deadline, and nothing is written, not even after the Registry is back;
// - the role matrix (organizers, delegates, the invitee, press, the public), and that the
//   caller's token travels to the Registry while bad tokens never get past Scheduling.
//
// Waits are bounded (kPatience, bounded polling loops) and never asserted on: they bound how
// long a test waits for something that may never happen. Seeds are fixed.
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <functional>
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
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/proto_values.h"
#include "tests/support/rpc_status.h"
#include "tests/support/start_line.h"
#include "tests/support/suite.h"
#include "tests/support/summit_state.h"

namespace summit::scheduling {
namespace {

namespace rv1 = ::summit::registry::v1;
using auth::Principal;
using auth::Role;
using ::summit::testing::Day;
using ::summit::testing::ChildProcess;
using ::summit::testing::Describe;
using ::summit::testing::DetailsOf;
using ::summit::testing::kPatience;
using ::summit::testing::StartLine;
using ::summit::testing::RpcCode;
using ::summit::testing::RpcDetails;
using ::summit::testing::RpcErrorWithReason;
using ::summit::testing::RpcInvalidOn;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::ServingProcess;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;
using ::summit::testing::Unchanged;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
using RegistryStub = rv1::RegistryService::Stub;
using SchedulingStub = v1::SchedulingService::Stub;
using Code = grpc::StatusCode;

constexpr char kEventId[] = "udib-2023";
constexpr char kEvent[] = "events/udib-2023";

std::string RoomName(absl::string_view id) { return absl::StrCat(kEvent, "/rooms/", id); }
std::string SessionName(absl::string_view id) { return absl::StrCat(kEvent, "/sessions/", id); }
std::string RequestName(absl::string_view id) {
  return absl::StrCat(kEvent, "/meetingRequests/", id);
}
std::string PersonName(absl::string_view id) { return absl::StrCat("people/", id); }
std::string ParticipantName(absl::string_view id) {
  return absl::StrCat(kEvent, "/participants/", id);
}

// ---------------------------------------------------------------------------------------------
// Times: the event is in Washington, December 6–7, 2023 (EST, UTC−5).

const absl::TimeZone& NewYork() {
  static const absl::TimeZone* const kZone = [] {
    auto* zone = new absl::TimeZone;
    if (!absl::LoadTimeZone("America/New_York", zone)) std::abort();
    return zone;
  }();
  return *kZone;
}

// December `day`, 2023, at hour:minute in Washington.
absl::Time NY(int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2023, 12, day, hour, minute), NewYork());
}

google::protobuf::Timestamp Ts(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

absl::Time FromTs(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

v1::TimeInterval Interval(absl::Time start, absl::Time end) {
  v1::TimeInterval interval;
  *interval.mutable_start_time() = Ts(start);
  *interval.mutable_end_time() = Ts(end);
  return interval;
}

// ---------------------------------------------------------------------------------------------
// Resources.

// A session; `people` are person ids, `room_id` "" for none.
v1::Session MakeSession(const std::string& title, absl::Time start, absl::Time end,
                        const std::string& room_id, const std::vector<std::string>& people,
                        v1::Session::Kind kind = v1::Session::KIND_BILATERAL,
                        v1::Session::Visibility visibility = v1::Session::VISIBILITY_UNSPECIFIED,
                        v1::Session::State state = v1::Session::STATE_UNSPECIFIED) {
  v1::Session session;
  session.set_title(title);
  session.set_kind(kind);
  *session.mutable_start_time() = Ts(start);
  *session.mutable_end_time() = Ts(end);
  if (!room_id.empty()) session.set_room(RoomName(room_id));
  for (const std::string& person : people) session.add_participants(PersonName(person));
  session.set_visibility(visibility);
  session.set_state(state);
  return session;
}

// Who the Registry knows. All are APPROVED participants of the summit but john-roe (PENDING)
// and outsider (a person with no accreditation).
struct SeedPerson {
  const char* id;
  const char* display_name;
  const char* title;
  const char* organization;  // id, or "" for none
  const char* country;
  rv1::Participant::Role role;
};
constexpr SeedPerson kSeedPeople[] = {
    {"umerov", "Rustem Umerov", "Minister of Defense of Ukraine", "ua-mod", "UA",
     rv1::Participant::ROLE_DELEGATE},
    {"yermak", "Andriy Yermak", "Head of the Office of the President", "ua-president-office",
     "UA", rv1::Participant::ROLE_DELEGATE},
    {"hill", "Dana Hill", "Under Secretary of Defense", "pentagon", "US",
     rv1::Participant::ROLE_HOST_GOVERNMENT},
    {"brooks", "Morgan Brooks", "Deputy National Security Advisor", "white-house", "US",
     rv1::Participant::ROLE_HOST_GOVERNMENT},
    {"acme-ceo", "Alice Carter", "Chief Executive Officer", "acme-defense", "US",
     rv1::Participant::ROLE_INDUSTRY},
    {"acme-cto", "Bob Miller", "Chief Technology Officer", "acme-defense", "US",
     rv1::Participant::ROLE_INDUSTRY},
    {"borealis-rep", "Carl Berg", "Sales Director", "borealis-arms", "US",
     rv1::Participant::ROLE_INDUSTRY},
    {"jane-doe", "Jane Doe", "Correspondent", "", "US", rv1::Participant::ROLE_PRESS},
};
constexpr int kGuests = 8;  // guest-0 … guest-7, approved industry visitors without organization

std::vector<std::string> AllPersonIds() {
  std::vector<std::string> ids;
  for (const SeedPerson& person : kSeedPeople) ids.push_back(person.id);
  for (int i = 0; i < kGuests; ++i) ids.push_back(absl::StrCat("guest-", i));
  ids.push_back("john-roe");
  ids.push_back("outsider");
  return ids;
}


// ---------------------------------------------------------------------------------------------
// The fixture: summit-registry and summit-scheduling processes (tests/support's Suite) on fresh
// databases, the Registry seeded over gRPC as an organizer, and stubs to call both.

class SchedulingIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    options.name = "scheduling_integration";
    options.servers = {Server::kRegistry, Server::kScheduling};
    options.load_demo = false;
    ASSERT_OK_AND_ASSIGN(suite_, Suite::Start(options));
    registry_stub_ = rv1::RegistryService::NewStub(suite_->Channel(Server::kRegistry));
    scheduling_stub_ = v1::SchedulingService::NewStub(suite_->Channel(Server::kScheduling));
    ASSERT_NO_FATAL_FAILURE(SeedRegistry());
  }

  ChildProcess& Registry() { return suite_->Process(Server::kRegistry); }

  // A stub on a channel of its own (its own connection): another client; of the replica on
  // `port` (0: the first one).
  std::unique_ptr<SchedulingStub> NewClient(int port = 0) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", port != 0 ? port : suite_->Port(Server::kScheduling)),
        grpc::InsecureChannelCredentials(), arguments);
    EXPECT_TRUE(channel->WaitForConnected(absl::ToChronoTime(absl::Now() + kPatience)));
    return v1::SchedulingService::NewStub(channel);
  }

  // Tokens.
  std::string Token(const Principal& principal, absl::Duration lifetime = absl::Hours(1)) {
    return suite_->Token(principal, lifetime);
  }
  std::string Organizer() { return Token({"people/secretariat-officer", Role::kOrganizer}); }
  std::string Delegate(const std::string& person_id) {
    return Token({PersonName(person_id), Role::kDelegate});
  }
  std::string Press(const std::string& person_id) {
    return Token({PersonName(person_id), Role::kPress});
  }
  static std::string Public() { return ""; }

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
  grpc::Status S(grpc::Status (SchedulingStub::*method)(grpc::ClientContext*, const Request&,
                                                        Response*),
                 const std::string& token, const Request& request, Response* response,
                 absl::Duration timeout = kPatience) {
    return CallStub(scheduling_stub_.get(), method, token, request, response, timeout);
  }
  template <typename Request, typename Response>
  grpc::Status R(grpc::Status (RegistryStub::*method)(grpc::ClientContext*, const Request&,
                                                      Response*),
                 const std::string& token, const Request& request, Response* response) {
    return CallStub(registry_stub_.get(), method, token, request, response);
  }

  // The seed, over the wire: the December 2023 summit in Washington, its organizations
  // (acme-defense and borealis-arms are the pair to rule apart), its people (all APPROVED but
  // john-roe, whose accreditation is PENDING, and outsider, who has none).
  void SeedRegistry() {
    const std::string organizer = Organizer();
    {
      rv1::CreateEventRequest request;
      request.set_event_id(kEventId);
      rv1::Event* event = request.mutable_event();
      event->set_display_name("Ukraine Defense Industrial Base Summit");
      event->set_kind(rv1::Event::KIND_SUMMIT);
      event->set_city("Washington");
      event->set_country("US");
      event->set_time_zone("America/New_York");
      *event->mutable_start_date() = Day(2023, 12, 6);
      *event->mutable_end_date() = Day(2023, 12, 7);
      rv1::Event out;
      ASSERT_THAT(R(&RegistryStub::CreateEvent, organizer, request, &out), RpcOk());
    }
    struct SeedOrganization {
      const char* id;
      const char* display_name;
      rv1::Organization::Kind kind;
      const char* country;
    };
    const SeedOrganization organizations[] = {
        {"ua-mod", "Ministry of Defence of Ukraine", rv1::Organization::KIND_GOVERNMENT_BODY,
         "UA"},
        {"ua-president-office", "Office of the President of Ukraine",
         rv1::Organization::KIND_GOVERNMENT_BODY, "UA"},
        {"pentagon", "U.S. Department of Defense", rv1::Organization::KIND_GOVERNMENT_BODY, "US"},
        {"white-house", "The White House", rv1::Organization::KIND_GOVERNMENT_BODY, "US"},
        {"acme-defense", "Acme Defense Systems", rv1::Organization::KIND_DEFENSE_COMPANY, "US"},
        {"borealis-arms", "Borealis Arms", rv1::Organization::KIND_DEFENSE_COMPANY, "US"},
    };
    for (const SeedOrganization& o : organizations) {
      rv1::CreateOrganizationRequest request;
      request.set_organization_id(o.id);
      request.mutable_organization()->set_display_name(o.display_name);
      request.mutable_organization()->set_kind(o.kind);
      request.mutable_organization()->set_country(o.country);
      rv1::Organization out;
      ASSERT_THAT(R(&RegistryStub::CreateOrganization, organizer, request, &out), RpcOk())
          << o.id;
    }
    auto create_person = [&](const std::string& id, const std::string& display_name,
                             const std::string& title, const std::string& organization,
                             const std::string& country) {
      rv1::CreatePersonRequest request;
      request.set_person_id(id);
      rv1::Person* person = request.mutable_person();
      person->set_display_name(display_name);
      person->set_title(title);
      if (!organization.empty()) person->set_organization("organizations/" + organization);
      person->set_country(country);
      person->add_languages("en");
      rv1::Person out;
      return R(&RegistryStub::CreatePerson, organizer, request, &out);
    };
    auto accredit = [&](const std::string& id, rv1::Participant::Role role, bool approve) {
      rv1::CreateParticipantRequest request;
      request.set_parent(kEvent);
      request.mutable_participant()->set_person(PersonName(id));
      request.mutable_participant()->set_role(role);
      rv1::Participant out;
      grpc::Status status = R(&RegistryStub::CreateParticipant, organizer, request, &out);
      if (!status.ok() || !approve) return status;
      rv1::ApproveParticipantRequest approval;
      approval.set_name(ParticipantName(id));
      return R(&RegistryStub::ApproveParticipant, organizer, approval, &out);
    };
    for (const SeedPerson& p : kSeedPeople) {
      ASSERT_THAT(create_person(p.id, p.display_name, p.title, p.organization, p.country),
                  RpcOk())
          << p.id;
      ASSERT_THAT(accredit(p.id, p.role, /*approve=*/true), RpcOk()) << p.id;
    }
    for (int i = 0; i < kGuests; ++i) {
      const std::string id = absl::StrCat("guest-", i);
      ASSERT_THAT(create_person(id, absl::StrCat("Visitor ", i), "Engineer", "", "US"), RpcOk());
      ASSERT_THAT(accredit(id, rv1::Participant::ROLE_INDUSTRY, /*approve=*/true), RpcOk());
    }
    ASSERT_THAT(create_person("john-roe", "John Roe", "Sales Director", "", "US"), RpcOk());
    ASSERT_THAT(accredit("john-roe", rv1::Participant::ROLE_INDUSTRY, /*approve=*/false),
                RpcOk());
    ASSERT_THAT(create_person("outsider", "Olga Outsider", "Consultant", "", "US"), RpcOk());
  }

  // ---- Short forms of Scheduling calls, as an organizer unless a token is given.

  grpc::Status CreateRoom(const std::string& id, const std::string& display_name,
                          v1::Room::Kind kind, int capacity, v1::Room* out = nullptr,
                          const std::string& token = "") {
    v1::CreateRoomRequest request;
    request.set_parent(kEvent);
    request.set_room_id(id);
    request.mutable_room()->set_display_name(display_name);
    request.mutable_room()->set_kind(kind);
    request.mutable_room()->set_capacity(capacity);
    v1::Room ignored;
    return S(&SchedulingStub::CreateRoom, token.empty() ? Organizer() : token, request,
             out != nullptr ? out : &ignored);
  }

  // The rooms most tests use: a meeting room for six, a table for two, a hall for 500.
  void CreateStandardRooms() {
    ASSERT_THAT(CreateRoom("east-room", "East Room", v1::Room::KIND_MEETING_ROOM, 6), RpcOk());
    ASSERT_THAT(CreateRoom("table-1", "Table 1", v1::Room::KIND_TABLE, 2), RpcOk());
    ASSERT_THAT(CreateRoom("plenary-hall", "Plenary Hall", v1::Room::KIND_PLENARY_HALL, 500),
                RpcOk());
  }

  grpc::Status CreateSession(const v1::Session& session, const std::string& id,
                             v1::Session* out, const std::string& token,
                             const std::string& request_id = "",
                             absl::Duration timeout = kPatience) {
    v1::CreateSessionRequest request;
    request.set_parent(kEvent);
    *request.mutable_session() = session;
    request.set_session_id(id);
    request.set_request_id(request_id);
    v1::Session ignored;
    return S(&SchedulingStub::CreateSession, token, request, out != nullptr ? out : &ignored,
             timeout);
  }

  grpc::Status GetSession(const std::string& name, const std::string& token,
                          v1::Session* out = nullptr) {
    v1::GetSessionRequest request;
    request.set_name(name);
    v1::Session ignored;
    return S(&SchedulingStub::GetSession, token, request, out != nullptr ? out : &ignored);
  }

  grpc::Status CancelSession(const std::string& name, const std::string& token,
                             v1::Session* out = nullptr) {
    v1::CancelSessionRequest request;
    request.set_name(name);
    v1::Session ignored;
    return S(&SchedulingStub::CancelSession, token, request, out != nullptr ? out : &ignored);
  }

  grpc::Status UpdateSession(const v1::Session& session, const std::vector<std::string>& paths,
                             const std::string& token, v1::Session* out = nullptr) {
    v1::UpdateSessionRequest request;
    *request.mutable_session() = session;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    v1::Session ignored;
    return S(&SchedulingStub::UpdateSession, token, request, out != nullptr ? out : &ignored);
  }

  // The names of the sessions ListSessions shows `token`, in its order.
  std::vector<std::string> SessionNames(const std::string& token, const std::string& filter = "") {
    v1::ListSessionsRequest request;
    request.set_parent(kEvent);
    request.set_page_size(1000);
    request.set_filter(filter);
    v1::ListSessionsResponse response;
    const grpc::Status status = S(&SchedulingStub::ListSessions, token, request, &response);
    EXPECT_THAT(status, RpcOk());
    EXPECT_EQ(response.next_page_token(), "");
    std::vector<std::string> names;
    for (const v1::Session& session : response.sessions()) names.push_back(session.name());
    return names;
  }

  // ListItinerary, every page (of `page_size`), as `token` sees it.
  std::vector<v1::Session> Itinerary(const std::string& token, const std::string& person,
                                     const std::string& room, int page_size = 1000,
                                     std::optional<absl::Time> from = std::nullopt,
                                     std::optional<absl::Time> to = std::nullopt) {
    std::vector<v1::Session> sessions;
    std::string page_token;
    for (int page = 0; page < 100; ++page) {  // bounded
      v1::ListItineraryRequest request;
      request.set_parent(kEvent);
      request.set_person(person);
      request.set_room(room);
      request.set_page_size(page_size);
      request.set_page_token(page_token);
      if (from.has_value()) *request.mutable_start_time() = Ts(*from);
      if (to.has_value()) *request.mutable_end_time() = Ts(*to);
      v1::ListItineraryResponse response;
      const grpc::Status status = S(&SchedulingStub::ListItinerary, token, request, &response);
      EXPECT_THAT(status, RpcOk());
      if (!status.ok()) break;
      for (const v1::Session& session : response.sessions()) sessions.push_back(session);
      page_token = response.next_page_token();
      if (page_token.empty()) break;
    }
    return sessions;
  }
  std::vector<std::string> ItineraryNames(const std::string& token, const std::string& person,
                                          const std::string& room, int page_size = 1000) {
    std::vector<std::string> names;
    for (const v1::Session& session : Itinerary(token, person, room, page_size)) {
      names.push_back(session.name());
    }
    return names;
  }

  grpc::Status CreateMeetingRequest(const std::string& requester_id, const std::string& invitee,
                                    int minutes, int priority, const std::string& id,
                                    const std::string& token, v1::MeetingRequest* out = nullptr,
                                    absl::Duration timeout = kPatience) {
    v1::CreateMeetingRequestRequest request;
    request.set_parent(kEvent);
    request.set_meeting_request_id(id);
    v1::MeetingRequest* meeting = request.mutable_meeting_request();
    meeting->set_requester(PersonName(requester_id));
    meeting->set_invitee(invitee);
    meeting->set_topic(absl::StrCat("Cooperation: ", requester_id, " and ", invitee));
    meeting->mutable_duration()->set_seconds(minutes * 60);
    meeting->set_priority(priority);
    v1::MeetingRequest ignored;
    return S(&SchedulingStub::CreateMeetingRequest, token, request,
             out != nullptr ? out : &ignored, timeout);
  }

  grpc::Status GetMeetingRequest(const std::string& id, const std::string& token,
                                 v1::MeetingRequest* out = nullptr) {
    v1::GetMeetingRequestRequest request;
    request.set_name(RequestName(id));
    v1::MeetingRequest ignored;
    return S(&SchedulingStub::GetMeetingRequest, token, request, out != nullptr ? out : &ignored);
  }

  grpc::Status Accept(const std::string& id, const std::string& token,
                      const std::string& attendee = "", v1::MeetingRequest* out = nullptr) {
    v1::AcceptMeetingRequestRequest request;
    request.set_name(RequestName(id));
    request.set_attendee(attendee);
    v1::MeetingRequest ignored;
    return S(&SchedulingStub::AcceptMeetingRequest, token, request,
             out != nullptr ? out : &ignored);
  }

  grpc::Status Decline(const std::string& id, const std::string& reason, const std::string& token,
                       v1::MeetingRequest* out = nullptr) {
    v1::DeclineMeetingRequestRequest request;
    request.set_name(RequestName(id));
    request.set_reason(reason);
    v1::MeetingRequest ignored;
    return S(&SchedulingStub::DeclineMeetingRequest, token, request,
             out != nullptr ? out : &ignored);
  }

  grpc::Status Withdraw(const std::string& id, const std::string& token,
                        v1::MeetingRequest* out = nullptr) {
    v1::WithdrawMeetingRequestRequest request;
    request.set_name(RequestName(id));
    v1::MeetingRequest ignored;
    return S(&SchedulingStub::WithdrawMeetingRequest, token, request,
             out != nullptr ? out : &ignored);
  }

  v1::MeetingRequest::State RequestState(const std::string& id) {
    v1::MeetingRequest meeting;
    EXPECT_THAT(GetMeetingRequest(id, Organizer(), &meeting), RpcOk());
    return meeting.state();
  }

  // The names of the meeting requests ListMeetingRequests shows `token`.
  std::vector<std::string> RequestNames(const std::string& token, const std::string& filter = "") {
    v1::ListMeetingRequestsRequest request;
    request.set_parent(kEvent);
    request.set_page_size(1000);
    request.set_filter(filter);
    v1::ListMeetingRequestsResponse response;
    EXPECT_THAT(S(&SchedulingStub::ListMeetingRequests, token, request, &response), RpcOk());
    std::vector<std::string> names;
    for (const v1::MeetingRequest& meeting : response.meeting_requests()) {
      names.push_back(meeting.name());
    }
    return names;
  }

  grpc::Status SetAvailability(const std::string& person_id,
                               const std::vector<v1::TimeInterval>& unavailable,
                               const std::string& token, v1::Availability* out = nullptr) {
    v1::SetAvailabilityRequest request;
    request.mutable_availability()->set_name(
        absl::StrCat(kEvent, "/availabilities/", person_id));
    for (const v1::TimeInterval& interval : unavailable) {
      *request.mutable_availability()->add_unavailable() = interval;
    }
    v1::Availability ignored;
    return S(&SchedulingStub::SetAvailability, token, request, out != nullptr ? out : &ignored);
  }

  grpc::Status GetAvailability(const std::string& person_id, const std::string& token,
                               v1::Availability* out = nullptr) {
    v1::GetAvailabilityRequest request;
    request.set_name(absl::StrCat(kEvent, "/availabilities/", person_id));
    v1::Availability ignored;
    return S(&SchedulingStub::GetAvailability, token, request, out != nullptr ? out : &ignored);
  }

  grpc::Status CreatePairRule(const std::string& organization_a,
                              const std::string& organization_b, const std::string& id,
                              const std::string& token, v1::PairRule* out = nullptr) {
    v1::CreatePairRuleRequest request;
    request.set_parent(kEvent);
    request.set_pair_rule_id(id);
    request.mutable_pair_rule()->set_organization_a("organizations/" + organization_a);
    request.mutable_pair_rule()->set_organization_b("organizations/" + organization_b);
    request.mutable_pair_rule()->set_reason("conflict of interest: competing bids");
    v1::PairRule ignored;
    return S(&SchedulingStub::CreatePairRule, token, request, out != nullptr ? out : &ignored);
  }

  grpc::Status Propose(const v1::ScheduleOptions& options, v1::SchedulePlan* plan,
                       const std::string& token = "") {
    v1::ProposeScheduleRequest request;
    request.set_event(kEvent);
    *request.mutable_options() = options;
    return S(&SchedulingStub::ProposeSchedule, token.empty() ? Organizer() : token, request,
             plan);
  }

  grpc::Status Commit(const v1::SchedulePlan& plan, v1::CommitScheduleResponse* out = nullptr,
                      const std::string& token = "", const std::string& request_id = "") {
    v1::CommitScheduleRequest request;
    *request.mutable_plan() = plan;
    request.set_request_id(request_id);
    v1::CommitScheduleResponse ignored;
    return S(&SchedulingStub::CommitSchedule, token.empty() ? Organizer() : token, request,
             out != nullptr ? out : &ignored);
  }

  grpc::Status ExportCalendar(const std::string& person, const std::string& room,
                              const std::string& token, v1::ExportCalendarResponse* out) {
    v1::ExportCalendarRequest request;
    request.set_parent(kEvent);
    request.set_person(person);
    request.set_room(room);
    return S(&SchedulingStub::ExportCalendar, token, request, out);
  }

  // Everything Scheduling holds for the event, as an organizer reads it through the read RPCs
  // that need no Registry: equal snapshots mean nothing was written.
  std::string Snapshot() {
    const std::string organizer = Organizer();
    std::string out;
    v1::ListRoomsRequest rooms_request;
    rooms_request.set_parent(kEvent);
    rooms_request.set_page_size(1000);
    v1::ListRoomsResponse rooms;
    EXPECT_THAT(S(&SchedulingStub::ListRooms, organizer, rooms_request, &rooms), RpcOk());
    for (const v1::Room& room : rooms.rooms()) absl::StrAppend(&out, room.ShortDebugString(), "\n");
    v1::ListSessionsRequest sessions_request;
    sessions_request.set_parent(kEvent);
    sessions_request.set_page_size(1000);
    v1::ListSessionsResponse sessions;
    EXPECT_THAT(S(&SchedulingStub::ListSessions, organizer, sessions_request, &sessions),
                RpcOk());
    for (const v1::Session& session : sessions.sessions()) {
      absl::StrAppend(&out, session.ShortDebugString(), "\n");
    }
    v1::ListMeetingRequestsRequest requests_request;
    requests_request.set_parent(kEvent);
    requests_request.set_page_size(1000);
    v1::ListMeetingRequestsResponse requests;
    EXPECT_THAT(
        S(&SchedulingStub::ListMeetingRequests, organizer, requests_request, &requests),
        RpcOk());
    for (const v1::MeetingRequest& request : requests.meeting_requests()) {
      absl::StrAppend(&out, request.ShortDebugString(), "\n");
    }
    v1::ListPairRulesRequest rules_request;
    rules_request.set_parent(kEvent);
    rules_request.set_page_size(1000);
    v1::ListPairRulesResponse rules;
    EXPECT_THAT(S(&SchedulingStub::ListPairRules, organizer, rules_request, &rules), RpcOk());
    for (const v1::PairRule& rule : rules.pair_rules()) {
      absl::StrAppend(&out, rule.ShortDebugString(), "\n");
    }
    for (const std::string& id : AllPersonIds()) {
      v1::Availability availability;
      EXPECT_THAT(GetAvailability(id, organizer, &availability), RpcOk());
      absl::StrAppend(&out, availability.ShortDebugString(), "\n");
    }
    return out;
  }

  // Waits (bounded) until the Registry has logged a call of `method` made as `principal`.
  bool RegistryLogged(absl::string_view method, absl::string_view principal) {
    const std::string who = absl::StrCat("\"principal\":\"", principal, "\"");
    for (int attempt = 0; attempt < 200; ++attempt) {  // at most ~10 s
      for (absl::string_view line : absl::StrSplit(Registry().AllStderr(), '\n')) {
        if (absl::StrContains(line, "\"message\":\"rpc\"") && absl::StrContains(line, method) &&
            absl::StrContains(line, who)) {
          return true;
        }
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  // Sends the registry `signal`; for SIGSTOP waits until it is stopped, for SIGKILL and SIGTERM
  // until it has exited.
  void SignalRegistry(int signal) {
    if (signal == SIGSTOP) {
      ASSERT_OK(Registry().Pause(kPatience));
      return;
    }
    ASSERT_OK(Registry().Signal(signal));
    if (signal == SIGKILL || signal == SIGTERM) {
      absl::StatusOr<int> exit_code = Registry().WaitForExit(kPatience);
      ASSERT_OK(exit_code.status()) << Registry().AllStderr();
      if (signal == SIGTERM) {
        EXPECT_EQ(*exit_code, 0) << Registry().AllStderr();
      }
    }
  }

  std::unique_ptr<Suite> suite_;  // a stopped process too is killed when it goes
  std::unique_ptr<RegistryStub> registry_stub_;
  std::unique_ptr<SchedulingStub> scheduling_stub_;
};

// ---------------------------------------------------------------------------------------------
// Happy paths, RPC by RPC.

TEST_F(SchedulingIntegrationTest, RoomsCanBeCreatedReadListedUpdatedAndDeleted) {
  const std::string organizer = Organizer();
  v1::Room east;
  ASSERT_THAT(CreateRoom("east-room", "East Room", v1::Room::KIND_MEETING_ROOM, 6, &east),
              RpcOk());
  EXPECT_EQ(east.name(), RoomName("east-room"));
  EXPECT_EQ(east.display_name(), "East Room");
  EXPECT_EQ(east.capacity(), 6);
  EXPECT_FALSE(east.etag().empty());
  EXPECT_GT(east.create_time().seconds(), 0);
  v1::Room chosen;
  ASSERT_THAT(CreateRoom("", "Table 12", v1::Room::KIND_TABLE, 2, &chosen), RpcOk());
  EXPECT_TRUE(absl::StartsWith(chosen.name(), RoomName(""))) << chosen.name();
  EXPECT_GT(chosen.name().size(), RoomName("").size());
  ASSERT_THAT(CreateRoom("plenary-hall", "Plenary Hall", v1::Room::KIND_PLENARY_HALL, 500),
              RpcOk());
  EXPECT_THAT(CreateRoom("east-room", "Another East Room", v1::Room::KIND_MEETING_ROOM, 4),
              RpcCode(Code::ALREADY_EXISTS));
  EXPECT_THAT(CreateRoom("bad-room", "", v1::Room::KIND_UNSPECIFIED, 0),
              RpcInvalidOn("room.capacity"));

  v1::GetRoomRequest get;
  get.set_name(RoomName("east-room"));
  v1::Room got;
  ASSERT_THAT(S(&SchedulingStub::GetRoom, organizer, get, &got), RpcOk());
  EXPECT_EQ(got.ShortDebugString(), east.ShortDebugString());

  // Listed in order of their ids, in pages, and filtered by kind.
  v1::ListRoomsRequest list;
  list.set_parent(kEvent);
  list.set_page_size(1);
  std::vector<std::string> names;
  for (int page = 0; page < 10; ++page) {
    v1::ListRoomsResponse response;
    ASSERT_THAT(S(&SchedulingStub::ListRooms, organizer, list, &response), RpcOk());
    for (const v1::Room& room : response.rooms()) names.push_back(room.name());
    if (response.next_page_token().empty()) break;
    list.set_page_token(response.next_page_token());
  }
  std::vector<std::string> sorted = {RoomName("east-room"), RoomName("plenary-hall"),
                                     chosen.name()};
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(names, sorted);
  v1::ListRoomsRequest tables;
  tables.set_parent(kEvent);
  tables.set_filter("kind = KIND_TABLE");
  v1::ListRoomsResponse table_list;
  ASSERT_THAT(S(&SchedulingStub::ListRooms, organizer, tables, &table_list), RpcOk());
  ASSERT_THAT(table_list.rooms(), SizeIs(1));
  EXPECT_EQ(table_list.rooms(0).name(), chosen.name());

  // Only the masked field changes; a stale etag is refused.
  v1::UpdateRoomRequest update;
  *update.mutable_room() = east;
  update.mutable_room()->set_capacity(8);
  update.mutable_room()->set_display_name("ignored: not in the mask");
  update.mutable_update_mask()->add_paths("capacity");
  v1::Room updated;
  ASSERT_THAT(S(&SchedulingStub::UpdateRoom, organizer, update, &updated), RpcOk());
  EXPECT_EQ(updated.capacity(), 8);
  EXPECT_EQ(updated.display_name(), "East Room");
  EXPECT_NE(updated.etag(), east.etag());
  EXPECT_THAT(S(&SchedulingStub::UpdateRoom, organizer, update, &updated),
              RpcCode(Code::ABORTED));  // east's etag is stale now

  // A room a session needs can neither shrink below it nor go.
  ASSERT_THAT(CreateSession(MakeSession("Working group on air defense", NY(6, 14), NY(6, 15),
                                        "east-room", {"umerov", "yermak", "hill"}),
                            "air-defense", nullptr, organizer),
              RpcOk());
  v1::UpdateRoomRequest shrink;
  shrink.mutable_room()->set_name(RoomName("east-room"));
  shrink.mutable_room()->set_capacity(2);
  shrink.mutable_update_mask()->add_paths("capacity");
  EXPECT_THAT(S(&SchedulingStub::UpdateRoom, organizer, shrink, &updated),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "ROOM_TOO_SMALL"));
  v1::DeleteRoomRequest remove;
  remove.set_name(RoomName("east-room"));
  google::protobuf::Empty empty;
  EXPECT_THAT(S(&SchedulingStub::DeleteRoom, organizer, remove, &empty),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "RESOURCE_IN_USE"));
  remove.set_name(chosen.name());
  ASSERT_THAT(S(&SchedulingStub::DeleteRoom, organizer, remove, &empty), RpcOk());
  get.set_name(chosen.name());
  EXPECT_THAT(S(&SchedulingStub::GetRoom, organizer, get, &got), RpcCode(Code::NOT_FOUND));

  // A room of an event the Registry does not know.
  v1::CreateRoomRequest elsewhere;
  elsewhere.set_parent("events/no-such-event");
  elsewhere.mutable_room()->set_display_name("Nowhere");
  elsewhere.mutable_room()->set_kind(v1::Room::KIND_TABLE);
  elsewhere.mutable_room()->set_capacity(2);
  EXPECT_THAT(S(&SchedulingStub::CreateRoom, organizer, elsewhere, &got),
              RpcCode(Code::NOT_FOUND));
}

TEST_F(SchedulingIntegrationTest, SessionsCanBeCreatedReadListedUpdatedAndCancelled) {
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  const std::string organizer = Organizer();
  // Created out of time order.
  v1::Session bilateral;
  ASSERT_THAT(CreateSession(MakeSession("Umerov and Hill", NY(6, 11), NY(6, 12), "east-room",
                                        {"umerov", "hill"}),
                            "umerov-hill", &bilateral, organizer),
              RpcOk());
  EXPECT_EQ(bilateral.name(), SessionName("umerov-hill"));
  EXPECT_EQ(bilateral.state(), v1::Session::STATE_TENTATIVE);       // the default
  EXPECT_EQ(bilateral.visibility(), v1::Session::VISIBILITY_PRIVATE);  // the default
  EXPECT_FALSE(bilateral.etag().empty());
  EXPECT_EQ(FromTs(bilateral.start_time()), NY(6, 11));
  v1::Session visit = MakeSession("Visit to Capitol Hill", NY(7, 14), NY(7, 16), "",
                                  {"umerov", "yermak"}, v1::Session::KIND_SITE_VISIT);
  visit.set_location("Capitol Hill");
  ASSERT_THAT(CreateSession(visit, "capitol-visit", &visit, organizer), RpcOk());
  EXPECT_EQ(visit.room(), "");
  v1::Session plenary;
  ASSERT_THAT(CreateSession(MakeSession("Opening plenary", NY(6, 9), NY(6, 10), "plenary-hall",
                                        {"umerov", "yermak", "hill", "brooks"},
                                        v1::Session::KIND_PLENARY,
                                        v1::Session::VISIBILITY_PUBLIC,
                                        v1::Session::STATE_CONFIRMED),
                            "", &plenary, organizer),
              RpcOk());
  EXPECT_TRUE(absl::StartsWith(plenary.name(), SessionName(""))) << plenary.name();
  EXPECT_EQ(plenary.state(), v1::Session::STATE_CONFIRMED);

  v1::Session got;
  ASSERT_THAT(GetSession(bilateral.name(), organizer, &got), RpcOk());
  EXPECT_EQ(got.ShortDebugString(), bilateral.ShortDebugString());

  EXPECT_THAT(SessionNames(organizer),
              ElementsAre(plenary.name(), bilateral.name(), visit.name()));
  EXPECT_THAT(SessionNames(organizer, "kind = KIND_BILATERAL"), ElementsAre(bilateral.name()));
  EXPECT_THAT(SessionNames(organizer, absl::StrCat("room = \"", RoomName("east-room"), "\"")),
              ElementsAre(bilateral.name()));
  // In pages of two.
  v1::ListSessionsRequest paged;
  paged.set_parent(kEvent);
  paged.set_page_size(2);
  v1::ListSessionsResponse first, second;
  ASSERT_THAT(S(&SchedulingStub::ListSessions, organizer, paged, &first), RpcOk());
  ASSERT_THAT(first.sessions(), SizeIs(2));
  ASSERT_FALSE(first.next_page_token().empty());
  paged.set_page_token(first.next_page_token());
  ASSERT_THAT(S(&SchedulingStub::ListSessions, organizer, paged, &second), RpcOk());
  ASSERT_THAT(second.sessions(), SizeIs(1));
  EXPECT_EQ(second.sessions(0).name(), visit.name());
  EXPECT_EQ(second.next_page_token(), "");

  // Update: confirmed, renamed and moved, with the etag; then that etag is stale.
  v1::Session change = bilateral;
  change.set_title("Umerov and Hill: air defense");
  change.set_state(v1::Session::STATE_CONFIRMED);
  *change.mutable_start_time() = Ts(NY(6, 13));
  *change.mutable_end_time() = Ts(NY(6, 14));
  v1::Session updated;
  ASSERT_THAT(UpdateSession(change, {"title", "state", "start_time", "end_time"}, organizer,
                            &updated),
              RpcOk());
  EXPECT_EQ(updated.title(), "Umerov and Hill: air defense");
  EXPECT_EQ(updated.state(), v1::Session::STATE_CONFIRMED);
  EXPECT_EQ(FromTs(updated.start_time()), NY(6, 13));
  EXPECT_NE(updated.etag(), bilateral.etag());
  EXPECT_THAT(UpdateSession(change, {"title"}, organizer), RpcCode(Code::ABORTED));
  ASSERT_THAT(GetSession(bilateral.name(), organizer, &got), RpcOk());
  EXPECT_EQ(got.ShortDebugString(), updated.ShortDebugString());
  v1::Session to_cancel = updated;
  to_cancel.set_state(v1::Session::STATE_CANCELLED);
  EXPECT_THAT(UpdateSession(to_cancel, {"state"}, organizer), RpcInvalidOn("session.state"));
  v1::Session backwards = MakeSession("Backwards", NY(6, 16), NY(6, 15), "east-room", {"umerov"});
  EXPECT_THAT(CreateSession(backwards, "", nullptr, organizer), RpcInvalidOn("session.end_time"));

  // Cancel: the session stays, CANCELLED, and cannot be cancelled or changed again.
  v1::Session cancelled;
  ASSERT_THAT(CancelSession(bilateral.name(), organizer, &cancelled), RpcOk());
  EXPECT_EQ(cancelled.state(), v1::Session::STATE_CANCELLED);
  ASSERT_THAT(GetSession(bilateral.name(), organizer, &got), RpcOk());
  EXPECT_EQ(got.state(), v1::Session::STATE_CANCELLED);
  EXPECT_THAT(CancelSession(bilateral.name(), organizer),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "SESSION_CANCELLED"));
  got.set_title("Revived");
  EXPECT_THAT(UpdateSession(got, {"title"}, organizer),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "SESSION_CANCELLED"));
  EXPECT_THAT(CancelSession(SessionName("no-such-session"), organizer), RpcCode(Code::NOT_FOUND));

  // A retried create (same request_id) makes the session once.
  v1::Session once, again;
  const v1::Session press_conference =
      MakeSession("Press conference", NY(7, 17), NY(7, 18), "plenary-hall", {"umerov"},
                  v1::Session::KIND_PRESS_CONFERENCE, v1::Session::VISIBILITY_PUBLIC);
  ASSERT_THAT(CreateSession(press_conference, "", &once, organizer, "6f1c2a52-press"), RpcOk());
  ASSERT_THAT(CreateSession(press_conference, "", &again, organizer, "6f1c2a52-press"), RpcOk());
  EXPECT_EQ(once.name(), again.name());
  const std::vector<std::string> all = SessionNames(organizer);
  EXPECT_EQ(std::count(all.begin(), all.end(), once.name()), 1);
}

TEST_F(SchedulingIntegrationTest, MeetingRequestsGoThroughTheirLifeCycle) {
  const std::string umerov = Delegate("umerov");
  // A delegate asks, for themself; the priority defaults to 5.
  v1::MeetingRequest created;
  ASSERT_THAT(CreateMeetingRequest("umerov", "people/hill", 30, 0, "umerov-hill", umerov,
                                   &created),
              RpcOk());
  EXPECT_EQ(created.name(), RequestName("umerov-hill"));
  EXPECT_EQ(created.state(), v1::MeetingRequest::STATE_PENDING);
  EXPECT_EQ(created.priority(), 5);
  EXPECT_EQ(created.requester(), "people/umerov");
  EXPECT_EQ(created.attendee(), "");
  v1::MeetingRequest got;
  ASSERT_THAT(GetMeetingRequest("umerov-hill", umerov, &got), RpcOk());
  EXPECT_EQ(got.ShortDebugString(), created.ShortDebugString());

  // The invitee accepts: they attend.
  v1::MeetingRequest accepted;
  ASSERT_THAT(Accept("umerov-hill", Delegate("hill"), "", &accepted), RpcOk());
  EXPECT_EQ(accepted.state(), v1::MeetingRequest::STATE_ACCEPTED);
  EXPECT_EQ(accepted.attendee(), "people/hill");
  EXPECT_THAT(Accept("umerov-hill", Delegate("hill")),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "INVALID_MEETING_REQUEST_TRANSITION"));

  // An organization is invited: a member of it accepts and attends.
  ASSERT_THAT(CreateMeetingRequest("umerov", "organizations/acme-defense", 60, 7, "umerov-acme",
                                   umerov),
              RpcOk());
  ASSERT_THAT(Accept("umerov-acme", Delegate("acme-cto"), "", &accepted), RpcOk());
  EXPECT_EQ(accepted.state(), v1::MeetingRequest::STATE_ACCEPTED);
  EXPECT_EQ(accepted.attendee(), "people/acme-cto");
  // The attendee now sees it too.
  EXPECT_THAT(GetMeetingRequest("umerov-acme", Delegate("acme-cto")), RpcOk());

  // An organizer accepts for an organization by naming who attends, a member of it.
  ASSERT_THAT(CreateMeetingRequest("yermak", "organizations/acme-defense", 30, 4, "yermak-acme",
                                   Delegate("yermak")),
              RpcOk());
  EXPECT_THAT(Accept("yermak-acme", Organizer(), "people/hill"), RpcInvalidOn("attendee"));
  EXPECT_THAT(Accept("yermak-acme", Organizer(), ""), RpcInvalidOn("attendee"));
  ASSERT_THAT(Accept("yermak-acme", Organizer(), "people/acme-ceo", &accepted), RpcOk());
  EXPECT_EQ(accepted.attendee(), "people/acme-ceo");

  // The invitee declines, with a reason the requester reads.
  ASSERT_THAT(CreateMeetingRequest("umerov", "people/brooks", 30, 3, "umerov-brooks", umerov),
              RpcOk());
  EXPECT_THAT(Decline("umerov-brooks", "", Delegate("brooks")), RpcInvalidOn("reason"));
  v1::MeetingRequest declined;
  ASSERT_THAT(Decline("umerov-brooks", "Travelling that week", Delegate("brooks"), &declined),
              RpcOk());
  EXPECT_EQ(declined.state(), v1::MeetingRequest::STATE_DECLINED);
  ASSERT_THAT(GetMeetingRequest("umerov-brooks", umerov, &got), RpcOk());
  EXPECT_EQ(got.state_reason(), "Travelling that week");
  EXPECT_THAT(Withdraw("umerov-brooks", umerov),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "INVALID_MEETING_REQUEST_TRANSITION"));

  // The requester withdraws, pending or accepted.
  ASSERT_THAT(CreateMeetingRequest("umerov", "people/yermak", 20, 2, "umerov-yermak", umerov),
              RpcOk());
  v1::MeetingRequest withdrawn;
  ASSERT_THAT(Withdraw("umerov-yermak", umerov, &withdrawn), RpcOk());
  EXPECT_EQ(withdrawn.state(), v1::MeetingRequest::STATE_WITHDRAWN);
  EXPECT_THAT(Accept("umerov-yermak", Delegate("yermak")),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "INVALID_MEETING_REQUEST_TRANSITION"));
  ASSERT_THAT(Withdraw("umerov-acme", umerov, &withdrawn), RpcOk());
  EXPECT_EQ(withdrawn.state(), v1::MeetingRequest::STATE_WITHDRAWN);

  // Listing: the requester sees theirs; filters by state and requester.
  EXPECT_THAT(RequestNames(umerov),
              UnorderedElementsAre(RequestName("umerov-acme"), RequestName("umerov-brooks"),
                                   RequestName("umerov-hill"), RequestName("umerov-yermak")));
  EXPECT_THAT(RequestNames(Organizer(), "state = STATE_ACCEPTED"),
              UnorderedElementsAre(RequestName("umerov-hill"), RequestName("yermak-acme")));
  EXPECT_THAT(RequestNames(Organizer(), "requester = \"people/yermak\""),
              ElementsAre(RequestName("yermak-acme")));

  // Malformed requests.
  EXPECT_THAT(CreateMeetingRequest("umerov", "people/umerov", 30, 5, "", umerov),
              RpcInvalidOn("meeting_request.invitee"));
  EXPECT_THAT(CreateMeetingRequest("umerov", "people/hill", 7, 5, "", umerov),
              RpcInvalidOn("meeting_request.duration"));
  EXPECT_THAT(CreateMeetingRequest("umerov", "people/hill", 30, 11, "", umerov),
              RpcInvalidOn("meeting_request.priority"));
  EXPECT_THAT(CreateMeetingRequest("umerov", "organizations/no-such-org", 30, 5, "", umerov),
              RpcInvalidOn("meeting_request.invitee"));
  // Only approved participants meet.
  EXPECT_THAT(CreateMeetingRequest("umerov", "people/john-roe", 30, 5, "", umerov),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "NOT_PARTICIPANT"));
}

TEST_F(SchedulingIntegrationTest, AvailabilityCanBeSetAndRead) {
  const std::string organizer = Organizer();
  // Nobody said anything yet: available all the time.
  v1::Availability availability;
  ASSERT_THAT(GetAvailability("umerov", organizer, &availability), RpcOk());
  EXPECT_EQ(availability.name(), absl::StrCat(kEvent, "/availabilities/umerov"));
  EXPECT_THAT(availability.unavailable(), IsEmpty());

  // Given in any order, kept in time order.
  ASSERT_THAT(SetAvailability("umerov",
                              {Interval(NY(7, 8), NY(7, 9)), Interval(NY(6, 14), NY(6, 16))},
                              organizer, &availability),
              RpcOk());
  ASSERT_THAT(availability.unavailable(), SizeIs(2));
  EXPECT_EQ(FromTs(availability.unavailable(0).start_time()), NY(6, 14));
  EXPECT_EQ(FromTs(availability.unavailable(1).start_time()), NY(7, 8));
  EXPECT_FALSE(availability.etag().empty());
  v1::Availability got;
  ASSERT_THAT(GetAvailability("umerov", Delegate("umerov"), &got), RpcOk());
  EXPECT_EQ(got.ShortDebugString(), availability.ShortDebugString());

  // The person sets their own; nobody else but organizers reads or sets it.
  ASSERT_THAT(SetAvailability("umerov", {Interval(NY(6, 15), NY(6, 17))}, Delegate("umerov"),
                              &availability),
              RpcOk());
  ASSERT_THAT(availability.unavailable(), SizeIs(1));
  EXPECT_THAT(GetAvailability("umerov", Delegate("yermak")), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(GetAvailability("umerov", Public()), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(SetAvailability("umerov", {}, Delegate("yermak")),
              RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(SetAvailability("umerov", {}, Public()), RpcCode(Code::UNAUTHENTICATED));
  ASSERT_THAT(GetAvailability("umerov", organizer, &got), RpcOk());
  EXPECT_EQ(got.ShortDebugString(), availability.ShortDebugString());

  // Overlapping intervals, inverted ones, and people who are not approved are refused.
  EXPECT_THAT(SetAvailability("yermak",
                              {Interval(NY(6, 9), NY(6, 11)), Interval(NY(6, 10), NY(6, 12))},
                              organizer),
              RpcInvalidOn("availability.unavailable"));
  EXPECT_THAT(SetAvailability("yermak", {Interval(NY(6, 11), NY(6, 10))}, organizer),
              RpcInvalidOn("availability.unavailable[0]"));
  EXPECT_THAT(SetAvailability("john-roe", {Interval(NY(6, 9), NY(6, 10))}, organizer),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "NOT_PARTICIPANT"));

  // Refused while a session the person is in falls into it.
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  ASSERT_THAT(CreateSession(MakeSession("Yermak and Brooks", NY(6, 10), NY(6, 11), "table-1",
                                        {"yermak", "brooks"}),
                            "yermak-brooks", nullptr, organizer),
              RpcOk());
  const std::string before = Snapshot();
  EXPECT_THAT(SetAvailability("brooks", {Interval(NY(6, 10, 30), NY(6, 12))}, organizer),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "PERSON_IN_SESSION"));
  EXPECT_TRUE(Unchanged(before, Snapshot()));
}

TEST_F(SchedulingIntegrationTest, PairRulesCanBeCreatedListedAndDeleted) {
  const std::string organizer = Organizer();
  v1::PairRule rule;
  // Given in either order, kept with organization_a < organization_b.
  ASSERT_THAT(CreatePairRule("borealis-arms", "acme-defense", "acme-borealis", organizer, &rule),
              RpcOk());
  EXPECT_EQ(rule.name(), absl::StrCat(kEvent, "/pairRules/acme-borealis"));
  EXPECT_EQ(rule.organization_a(), "organizations/acme-defense");
  EXPECT_EQ(rule.organization_b(), "organizations/borealis-arms");
  EXPECT_EQ(rule.reason(), "conflict of interest: competing bids");
  // One rule per pair.
  EXPECT_THAT(CreatePairRule("acme-defense", "borealis-arms", "again", organizer),
              RpcCode(Code::ALREADY_EXISTS));
  EXPECT_THAT(CreatePairRule("acme-defense", "no-such-org", "", organizer),
              RpcInvalidOn("pair_rule.organization_b"));
  EXPECT_THAT(CreatePairRule("acme-defense", "acme-defense", "", organizer),
              RpcInvalidOn("pair_rule.organization_b"));

  v1::ListPairRulesRequest list;
  list.set_parent(kEvent);
  v1::ListPairRulesResponse rules;
  ASSERT_THAT(S(&SchedulingStub::ListPairRules, organizer, list, &rules), RpcOk());
  ASSERT_THAT(rules.pair_rules(), SizeIs(1));
  EXPECT_EQ(rules.pair_rules(0).ShortDebugString(), rule.ShortDebugString());
  // Pair rules are the organizers' business.
  EXPECT_THAT(S(&SchedulingStub::ListPairRules, Delegate("acme-ceo"), list, &rules),
              RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(S(&SchedulingStub::ListPairRules, Public(), list, &rules),
              RpcCode(Code::UNAUTHENTICATED));

  v1::DeletePairRuleRequest remove;
  remove.set_name(rule.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(S(&SchedulingStub::DeletePairRule, Delegate("acme-ceo"), remove, &empty),
              RpcCode(Code::PERMISSION_DENIED));
  ASSERT_THAT(S(&SchedulingStub::DeletePairRule, organizer, remove, &empty), RpcOk());
  ASSERT_THAT(S(&SchedulingStub::ListPairRules, organizer, list, &rules), RpcOk());
  EXPECT_THAT(rules.pair_rules(), IsEmpty());
  EXPECT_THAT(S(&SchedulingStub::DeletePairRule, organizer, remove, &empty),
              RpcCode(Code::NOT_FOUND));

  // A rule that sessions already break is refused until they are cancelled.
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  ASSERT_THAT(CreateSession(MakeSession("Industry round table", NY(6, 15), NY(6, 16),
                                        "east-room", {"acme-ceo", "borealis-rep"}),
                            "round-table", nullptr, organizer),
              RpcOk());
  const std::string before = Snapshot();
  EXPECT_THAT(CreatePairRule("acme-defense", "borealis-arms", "late", organizer),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "PAIR_ALREADY_MEETS"));
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  ASSERT_THAT(CancelSession(SessionName("round-table"), organizer), RpcOk());
  EXPECT_THAT(CreatePairRule("acme-defense", "borealis-arms", "late", organizer), RpcOk());
}

// ---------------------------------------------------------------------------------------------
// Each invariant attacked directly: refused with FAILED_PRECONDITION and its reason, and
// nothing written.

class SchedulingInvariantTest : public SchedulingIntegrationTest {
 protected:
  // Rooms; acme-defense and borealis-arms ruled apart; Umerov unavailable on December 6 from
  // 14:00 to 16:00; and the Umerov–Hill bilateral on December 6, 10:00–11:00 in the East Room.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SchedulingIntegrationTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
    ASSERT_THAT(CreatePairRule("acme-defense", "borealis-arms", "acme-borealis", Organizer()),
                RpcOk());
    ASSERT_THAT(SetAvailability("umerov", {Interval(NY(6, 14), NY(6, 16))}, Organizer()),
                RpcOk());
    ASSERT_THAT(CreateSession(MakeSession("Umerov and Hill", NY(6, 10), NY(6, 11), "east-room",
                                          {"umerov", "hill"}),
                              "bilateral", nullptr, Organizer()),
                RpcOk());
  }

  // Creating `session` is refused with FAILED_PRECONDITION `reason` (and ErrorInfo `metadata`),
  // and nothing is written.
  void ExpectRefused(const v1::Session& session, absl::string_view reason,
                     const std::map<std::string, std::string>& metadata = {}) {
    const std::string before = Snapshot();
    const grpc::Status status = CreateSession(session, "attack", nullptr, Organizer());
    EXPECT_THAT(status, RpcErrorWithReason(Code::FAILED_PRECONDITION, reason))
        << session.ShortDebugString();
    const RpcDetails details = DetailsOf(status);
    for (const auto& [key, value] : metadata) {
      EXPECT_EQ(details.metadata.count(key) ? details.metadata.at(key) : "<missing>", value)
          << key << " of " << Describe(status);
    }
    EXPECT_TRUE(Unchanged(before, Snapshot())) << "a refused CreateSession wrote something";
  }
};

TEST_F(SchedulingInvariantTest, APersonIsNeverInTwoOverlappingSessions) {
  const std::map<std::string, std::string> clash = {{"person", "people/umerov"},
                                                    {"session", SessionName("bilateral")}};
  ExpectRefused(MakeSession("Overlaps its end", NY(6, 10, 30), NY(6, 11, 30), "table-1",
                            {"umerov", "yermak"}),
                "PERSON_DOUBLE_BOOKED", clash);
  ExpectRefused(MakeSession("Overlaps its start", NY(6, 9, 30), NY(6, 10, 1), "table-1",
                            {"yermak", "umerov"}),
                "PERSON_DOUBLE_BOOKED", clash);
  ExpectRefused(MakeSession("Contains it", NY(6, 9), NY(6, 12), "plenary-hall",
                            {"umerov", "yermak", "brooks"}, v1::Session::KIND_PLENARY),
                "PERSON_DOUBLE_BOOKED", clash);
  ExpectRefused(MakeSession("Inside it, no room", NY(6, 10, 15), NY(6, 10, 45), "", {"hill"},
                            v1::Session::KIND_SITE_VISIT),
                "PERSON_DOUBLE_BOOKED",
                {{"person", "people/hill"}, {"session", SessionName("bilateral")}});
  // Back to back is fine: intervals are half-open.
  EXPECT_THAT(CreateSession(MakeSession("Right after", NY(6, 11), NY(6, 12), "table-1",
                                        {"umerov", "yermak"}),
                            "right-after", nullptr, Organizer()),
              RpcOk());
  // Moving a session onto another is refused too, and leaves it where it was.
  v1::Session after;
  ASSERT_THAT(GetSession(SessionName("right-after"), Organizer(), &after), RpcOk());
  const std::string before = Snapshot();
  v1::Session moved = after;
  *moved.mutable_start_time() = Ts(NY(6, 10, 15));
  *moved.mutable_end_time() = Ts(NY(6, 11, 15));
  EXPECT_THAT(UpdateSession(moved, {"start_time", "end_time"}, Organizer()),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "PERSON_DOUBLE_BOOKED"));
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  // …and so is adding someone who is busy then.
  v1::Session joined = after;
  joined.add_participants("people/acme-ceo");
  ASSERT_THAT(CreateSession(MakeSession("Acme briefing", NY(6, 11, 30), NY(6, 12, 30), "",
                                        {"acme-ceo"}, v1::Session::KIND_SITE_VISIT),
                            "acme-briefing", nullptr, Organizer()),
              RpcOk());
  const std::string with_briefing = Snapshot();
  joined.set_room(RoomName("east-room"));
  EXPECT_THAT(UpdateSession(joined, {"participants", "room"}, Organizer()),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "PERSON_DOUBLE_BOOKED"));
  EXPECT_TRUE(Unchanged(with_briefing, Snapshot()));
}

TEST_F(SchedulingInvariantTest, ARoomNeverHoldsTwoOverlappingSessions) {
  ExpectRefused(MakeSession("Same room, later start", NY(6, 10, 59), NY(6, 11, 30), "east-room",
                            {"yermak"}),
                "ROOM_DOUBLE_BOOKED",
                {{"room", RoomName("east-room")}, {"session", SessionName("bilateral")}});
  ExpectRefused(MakeSession("Same room, nobody in it", NY(6, 9), NY(6, 12), "east-room", {}),
                "ROOM_DOUBLE_BOOKED", {{"session", SessionName("bilateral")}});
  EXPECT_THAT(CreateSession(MakeSession("Same room, right before", NY(6, 9), NY(6, 10),
                                        "east-room", {"yermak"}),
                            "right-before", nullptr, Organizer()),
              RpcOk());
}

TEST_F(SchedulingInvariantTest, ASessionLiesInsideItsParticipantsAvailability) {
  ExpectRefused(MakeSession("While Umerov is away", NY(6, 15), NY(6, 15, 30), "table-1",
                            {"yermak", "umerov"}),
                "PERSON_UNAVAILABLE", {{"person", "people/umerov"}});
  ExpectRefused(MakeSession("Across Umerov's absence", NY(6, 13), NY(6, 17), "table-1",
                            {"umerov"}),
                "PERSON_UNAVAILABLE", {{"person", "people/umerov"}});
  EXPECT_THAT(CreateSession(MakeSession("When Umerov is back", NY(6, 16), NY(6, 16, 30),
                                        "table-1", {"umerov"}),
                            "back", nullptr, Organizer()),
              RpcOk());
}

TEST_F(SchedulingInvariantTest, ARoomSeatsEveryParticipant) {
  ExpectRefused(MakeSession("Three at a table for two", NY(6, 12), NY(6, 13), "table-1",
                            {"yermak", "brooks", "acme-ceo"}),
                "ROOM_TOO_SMALL");
  EXPECT_THAT(CreateSession(MakeSession("Two at a table for two", NY(6, 12), NY(6, 13),
                                        "table-1", {"yermak", "brooks"}),
                            "two", nullptr, Organizer()),
              RpcOk());
}

TEST_F(SchedulingInvariantTest, ASessionLiesInsideTheEventsDatesInItsTimeZone) {
  const std::map<std::string, std::string> event = {{"event", kEvent}};
  ExpectRefused(MakeSession("The day after", NY(8, 10), NY(8, 11), "table-1", {"yermak"}),
                "OUTSIDE_EVENT", event);
  // December 6 in UTC, but still December 5 in Washington.
  ExpectRefused(MakeSession("The evening before", NY(5, 23), NY(5, 23, 30), "table-1",
                            {"yermak"}),
                "OUTSIDE_EVENT", event);
  ExpectRefused(MakeSession("Past midnight", NY(7, 23, 30), NY(8, 0, 30), "table-1",
                            {"yermak"}),
                "OUTSIDE_EVENT", event);
  // December 8 in UTC, but still December 7 in Washington.
  EXPECT_THAT(CreateSession(MakeSession("Late dinner", NY(7, 22), NY(7, 23, 59), "table-1",
                                        {"yermak"}),
                            "late-dinner", nullptr, Organizer()),
              RpcOk());
  EXPECT_THAT(CreateSession(MakeSession("Breakfast", NY(6, 0), NY(6, 1), "table-1",
                                        {"yermak"}),
                            "breakfast", nullptr, Organizer()),
              RpcOk());
}

TEST_F(SchedulingInvariantTest, EveryParticipantIsApprovedForTheEvent) {
  ExpectRefused(MakeSession("With a pending accreditation", NY(6, 12), NY(6, 13), "table-1",
                            {"yermak", "john-roe"}),
                "NOT_PARTICIPANT");
  ExpectRefused(MakeSession("With someone never accredited", NY(6, 12), NY(6, 13), "table-1",
                            {"outsider"}),
                "NOT_PARTICIPANT");
  ExpectRefused(MakeSession("With someone unknown", NY(6, 12), NY(6, 13), "table-1",
                            {"nobody-at-all"}),
                "NOT_PARTICIPANT");
  // Revoked after the fact: refused from then on.
  rv1::RevokeParticipantRequest revoke;
  revoke.set_name(ParticipantName("brooks"));
  revoke.set_reason("Recalled to Washington duties");
  rv1::Participant participant;
  ASSERT_THAT(R(&RegistryStub::RevokeParticipant, Organizer(), revoke, &participant), RpcOk());
  ExpectRefused(MakeSession("With a revoked accreditation", NY(6, 12), NY(6, 13), "table-1",
                            {"yermak", "brooks"}),
                "NOT_PARTICIPANT");
}

TEST_F(SchedulingInvariantTest, PeopleOfBlockedOrganizationsNeverMeet) {
  const std::map<std::string, std::string> rule = {
      {"pair_rule", absl::StrCat(kEvent, "/pairRules/acme-borealis")}};
  ExpectRefused(MakeSession("Acme meets Borealis", NY(6, 12), NY(6, 13), "table-1",
                            {"acme-ceo", "borealis-rep"}),
                "PAIR_RULE", rule);
  ExpectRefused(MakeSession("Industry panel", NY(6, 12), NY(6, 13), "east-room",
                            {"umerov", "borealis-rep", "hill", "acme-cto"},
                            v1::Session::KIND_PANEL),
                "PAIR_RULE", rule);
  // Nor may they ask to.
  const std::string before = Snapshot();
  EXPECT_THAT(CreateMeetingRequest("borealis-rep", "organizations/acme-defense", 30, 5, "",
                                   Delegate("borealis-rep")),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "PAIR_RULE"));
  EXPECT_THAT(CreateMeetingRequest("acme-cto", "people/borealis-rep", 30, 5, "",
                                   Delegate("acme-cto")),
              RpcErrorWithReason(Code::FAILED_PRECONDITION, "PAIR_RULE"));
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  // Each may meet someone else.
  EXPECT_THAT(CreateSession(MakeSession("Acme meets Umerov", NY(6, 12), NY(6, 13), "table-1",
                                        {"acme-ceo", "umerov"}),
                            "acme-umerov", nullptr, Organizer()),
              RpcOk());
}

TEST_F(SchedulingInvariantTest, ACancelledSessionFreesItsPeopleAndRoom) {
  ExpectRefused(MakeSession("Wanted slot", NY(6, 10), NY(6, 11), "table-1", {"umerov"}),
                "PERSON_DOUBLE_BOOKED");
  ExpectRefused(MakeSession("Wanted room", NY(6, 10), NY(6, 11), "east-room", {"yermak"}),
                "ROOM_DOUBLE_BOOKED");
  ASSERT_THAT(CancelSession(SessionName("bilateral"), Organizer()), RpcOk());
  v1::Session taken;
  ASSERT_THAT(CreateSession(MakeSession("Wanted slot", NY(6, 10), NY(6, 11), "east-room",
                                        {"umerov", "hill"}),
                            "wanted", &taken, Organizer()),
              RpcOk());
  EXPECT_THAT(ItineraryNames(Organizer(), "people/umerov", ""),
              ElementsAre(SessionName("wanted")));
  v1::Session cancelled;
  ASSERT_THAT(GetSession(SessionName("bilateral"), Organizer(), &cancelled), RpcOk());
  EXPECT_EQ(cancelled.state(), v1::Session::STATE_CANCELLED);
}

// ---------------------------------------------------------------------------------------------
// Racing writers: exactly one wins.

// Two replicas of summit-scheduling on one database, as a deployment runs them: the racing
// clients are split between them, so only the database can keep the invariants.
class SchedulingRaceTest : public SchedulingIntegrationTest {
 protected:
  static constexpr int kThreads = 8;
  static constexpr int kRounds = 10;

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SchedulingIntegrationTest::SetUp());
    ASSERT_OK_AND_ASSIGN(second_replica_, suite_->StartReplica(Server::kScheduling));
  }

  // Client `t`'s replica: the even ones the first, the odd ones the second.
  std::unique_ptr<SchedulingStub> ClientOfReplica(int t) {
    return NewClient(t % 2 == 0 ? 0 : second_replica_.port);
  }

  ServingProcess second_replica_;

  // Round after round, kThreads clients (each on its own connection) create
  // `session_for(round, thread)` all at once. Returns the statuses, by round and thread.
  std::vector<std::vector<grpc::Status>> Race(
      const std::function<v1::Session(int round, int thread)>& session_for) {
    std::vector<std::unique_ptr<SchedulingStub>> clients;
    for (int t = 0; t < kThreads; ++t) clients.push_back(ClientOfReplica(t));
    const std::string token = Organizer();
    std::vector<std::vector<grpc::Status>> results(kRounds,
                                                   std::vector<grpc::Status>(kThreads));
    for (int round = 0; round < kRounds; ++round) {
      StartLine start(kThreads);
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          v1::CreateSessionRequest request;
          request.set_parent(kEvent);
          *request.mutable_session() = session_for(round, t);
          request.set_session_id(absl::StrCat("race-", round, "-", t));
          grpc::ClientContext context;
          context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
          context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
          v1::Session response;
          start.ArriveAndWait();
          results[round][t] = clients[t]->CreateSession(&context, request, &response);
        });
      }
      for (std::thread& thread : threads) thread.join();
    }
    return results;
  }

  // Exactly one of each round's calls succeeded; the others were refused with
  // FAILED_PRECONDITION `reason`.
  void ExpectOneWinnerPerRound(const std::vector<std::vector<grpc::Status>>& results,
                               absl::string_view reason) {
    for (int round = 0; round < static_cast<int>(results.size()); ++round) {
      int winners = 0;
      for (int t = 0; t < static_cast<int>(results[round].size()); ++t) {
        const grpc::Status& status = results[round][t];
        if (status.ok()) {
          ++winners;
        } else {
          EXPECT_THAT(status, RpcErrorWithReason(Code::FAILED_PRECONDITION, reason))
              << "round " << round << ", client " << t;
        }
      }
      EXPECT_EQ(winners, 1) << "round " << round;
    }
  }

  // No two of `sessions` overlap.
  static void ExpectNoOverlap(const std::vector<v1::Session>& sessions) {
    for (size_t i = 0; i < sessions.size(); ++i) {
      for (size_t j = i + 1; j < sessions.size(); ++j) {
        const bool overlap = FromTs(sessions[i].start_time()) < FromTs(sessions[j].end_time()) &&
                             FromTs(sessions[j].start_time()) < FromTs(sessions[i].end_time());
        EXPECT_FALSE(overlap) << sessions[i].name() << " and " << sessions[j].name();
      }
    }
  }
};

TEST_F(SchedulingRaceTest, ClientsRacingForOnePersonAtOneTimeLetExactlyOneWin) {
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_THAT(CreateRoom(absl::StrCat("booth-", t), absl::StrCat("Booth ", t),
                           v1::Room::KIND_TABLE, 2),
                RpcOk());
  }
  // Round r: every client wants Umerov from 09:00 + 30 min × r, each in another booth and with
  // another guest.
  const auto results = Race([](int round, int thread) {
    const absl::Time start = NY(6, 9) + absl::Minutes(30 * round);
    return MakeSession(absl::StrCat("Meeting ", round, "/", thread), start,
                       start + absl::Minutes(30), absl::StrCat("booth-", thread),
                       {"umerov", absl::StrCat("guest-", thread)});
  });
  ExpectOneWinnerPerRound(results, "PERSON_DOUBLE_BOOKED");
  const std::vector<v1::Session> umerov = Itinerary(Organizer(), "people/umerov", "");
  EXPECT_THAT(umerov, SizeIs(kRounds));
  ExpectNoOverlap(umerov);
}

TEST_F(SchedulingRaceTest, ClientsRacingForOneRoomAtOneTimeLetExactlyOneWin) {
  ASSERT_THAT(CreateRoom("east-room", "East Room", v1::Room::KIND_MEETING_ROOM, 6), RpcOk());
  // Round r: every client wants the East Room from 09:00 + 30 min × r, each for another guest.
  const auto results = Race([](int round, int thread) {
    const absl::Time start = NY(7, 9) + absl::Minutes(30 * round);
    return MakeSession(absl::StrCat("Meeting ", round, "/", thread), start,
                       start + absl::Minutes(30), "east-room",
                       {absl::StrCat("guest-", thread)});
  });
  ExpectOneWinnerPerRound(results, "ROOM_DOUBLE_BOOKED");
  const std::vector<v1::Session> room = Itinerary(Organizer(), "", RoomName("east-room"));
  EXPECT_THAT(room, SizeIs(kRounds));
  ExpectNoOverlap(room);
}

// A pair rule and a session it forbids, made at the same time by two organizers: whichever
// order they take, the rule never ends up in force with the session still on. Round after
// round, both start together; in every round at most one of them may succeed.
TEST_F(SchedulingRaceTest, APairRuleAndASessionItForbidsRacingNeverBothWin) {
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  std::unique_ptr<SchedulingStub> sessions_client = ClientOfReplica(0);
  std::unique_ptr<SchedulingStub> rules_client = ClientOfReplica(1);
  const std::string token = Organizer();
  constexpr int kPairRounds = 40;  // each round catches the race only sometimes
  int broken = 0;
  for (int round = 0; round < kPairRounds; ++round) {
    const std::string session_id = absl::StrCat("acme-borealis-", round);
    const std::string rule_id = absl::StrCat("apart-", round);
    StartLine start(2);
    grpc::Status session_status, rule_status;
    std::thread session_thread([&] {
      v1::CreateSessionRequest request;
      request.set_parent(kEvent);
      const absl::Time at = NY(6, 8) + absl::Minutes(20 * round);
      *request.mutable_session() =
          MakeSession("Acme meets Borealis", at, at + absl::Minutes(10), "table-1",
                      {"acme-ceo", "borealis-rep"});
      request.set_session_id(session_id);
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
      context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
      v1::Session response;
      start.ArriveAndWait();
      session_status = sessions_client->CreateSession(&context, request, &response);
    });
    std::thread rule_thread([&] {
      v1::CreatePairRuleRequest request;
      request.set_parent(kEvent);
      request.set_pair_rule_id(rule_id);
      request.mutable_pair_rule()->set_organization_a("organizations/acme-defense");
      request.mutable_pair_rule()->set_organization_b("organizations/borealis-arms");
      request.mutable_pair_rule()->set_reason("conflict of interest: competing bids");
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
      context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
      v1::PairRule response;
      start.ArriveAndWait();
      rule_status = rules_client->CreatePairRule(&context, request, &response);
    });
    session_thread.join();
    rule_thread.join();
    if (session_status.ok() && rule_status.ok()) {
      ++broken;
    } else {
      EXPECT_TRUE(session_status.ok() || rule_status.ok())
          << "round " << round << ": " << Describe(session_status) << " / "
          << Describe(rule_status);
    }
    // Back to neither, for the next round.
    if (session_status.ok()) {
      ASSERT_THAT(CancelSession(SessionName(session_id), token), RpcOk());
    }
    if (rule_status.ok()) {
      v1::DeletePairRuleRequest remove;
      remove.set_name(absl::StrCat(kEvent, "/pairRules/", rule_id));
      google::protobuf::Empty empty;
      ASSERT_THAT(S(&SchedulingStub::DeletePairRule, token, remove, &empty), RpcOk());
    }
  }
  EXPECT_EQ(broken, 0) << "in " << broken << " of " << kPairRounds
                       << " rounds both the session and the pair rule forbidding it were "
                          "created, leaving a session that breaks a pair rule in force";
}

// ---------------------------------------------------------------------------------------------
// Propose and commit.

class SchedulingPlanTest : public SchedulingIntegrationTest {
 protected:
  // Two tables, a single seat and the plenary hall; the opening plenary (locked) on December 6,
  // 09:00–10:00 with Umerov, Yermak and Hill; Brooks away for the whole event; Acme's
  // CEO away on December 6 from 11:30. Accepted requests:
  //   umerov-hill   60 min, priority 9
  //   umerov-acme   30 min, priority 6 (to Acme Defense; its CTO accepted)
  //   yermak-ceo    30 min, priority 2
  //   yermak-brooks 30 min, priority 4 — Brooks is never free
  //   ceo-borealis  30 min, priority 3 — Acme and Borealis are ruled apart after it was accepted
  // and yermak-hill PENDING, ceo-yermak DECLINED.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SchedulingIntegrationTest::SetUp());
    const std::string organizer = Organizer();
    ASSERT_THAT(CreateRoom("table-1", "Table 1", v1::Room::KIND_TABLE, 2), RpcOk());
    ASSERT_THAT(CreateRoom("table-2", "Table 2", v1::Room::KIND_TABLE, 2), RpcOk());
    ASSERT_THAT(CreateRoom("single-seat", "Single seat", v1::Room::KIND_TABLE, 1), RpcOk());
    ASSERT_THAT(CreateRoom("plenary-hall", "Plenary Hall", v1::Room::KIND_PLENARY_HALL, 500),
                RpcOk());
    v1::Session plenary = MakeSession("Opening plenary", NY(6, 9), NY(6, 10), "plenary-hall",
                                      {"umerov", "yermak", "hill"},
                                      v1::Session::KIND_PLENARY, v1::Session::VISIBILITY_PUBLIC,
                                      v1::Session::STATE_CONFIRMED);
    plenary.set_locked(true);
    ASSERT_THAT(CreateSession(plenary, "opening-plenary", nullptr, organizer), RpcOk());
    ASSERT_THAT(SetAvailability("brooks", {Interval(NY(6, 0), NY(8, 0))}, organizer), RpcOk());
    ASSERT_THAT(SetAvailability("acme-ceo", {Interval(NY(6, 11, 30), NY(6, 12))}, organizer),
                RpcOk());
    struct Ask {
      const char* id;
      const char* requester;
      const char* invitee;
      int minutes;
      int priority;
      const char* accepter;  // "" to leave it pending
    };
    const Ask asks[] = {
        {"umerov-hill", "umerov", "people/hill", 60, 9, "hill"},
        {"umerov-acme", "umerov", "organizations/acme-defense", 30, 6, "acme-cto"},
        {"yermak-ceo", "yermak", "people/acme-ceo", 30, 2, "acme-ceo"},
        {"yermak-brooks", "yermak", "people/brooks", 30, 4, "brooks"},
        {"ceo-borealis", "acme-ceo", "people/borealis-rep", 30, 3, "borealis-rep"},
        {"yermak-hill", "yermak", "people/hill", 30, 5, ""},
        {"ceo-yermak", "acme-ceo", "people/yermak", 30, 5, ""},
    };
    for (const Ask& ask : asks) {
      ASSERT_THAT(CreateMeetingRequest(ask.requester, ask.invitee, ask.minutes, ask.priority,
                                       ask.id, Delegate(ask.requester)),
                  RpcOk())
          << ask.id;
      if (*ask.accepter != '\0') {
        ASSERT_THAT(Accept(ask.id, Delegate(ask.accepter)), RpcOk()) << ask.id;
      }
    }
    ASSERT_THAT(Decline("ceo-yermak", "No time", Delegate("yermak")), RpcOk());
    ASSERT_THAT(CreatePairRule("acme-defense", "borealis-arms", "acme-borealis", organizer),
                RpcOk());
  }

  // December 6, 09:00–12:00, on a 30-minute grid.
  static v1::ScheduleOptions Morning() {
    v1::ScheduleOptions options;
    *options.add_days() = Day(2023, 12, 6);
    options.mutable_daily_start()->set_hours(9);
    options.mutable_daily_end()->set_hours(12);
    options.mutable_slot_duration()->set_seconds(30 * 60);
    return options;
  }

  const v1::PlannedMeeting* Planned(const v1::SchedulePlan& plan, const std::string& id) {
    for (const v1::PlannedMeeting& meeting : plan.meetings()) {
      if (meeting.meeting_request() == RequestName(id)) return &meeting;
    }
    return nullptr;
  }

  // The plan, proposed; every test starts from it.
  void ProposeMorning(v1::SchedulePlan* plan) {
    ASSERT_THAT(Propose(Morning(), plan), RpcOk());
    ASSERT_NE(Planned(*plan, "umerov-hill"), nullptr) << plan->DebugString();
    ASSERT_NE(Planned(*plan, "yermak-ceo"), nullptr) << plan->DebugString();
  }

  // Commit of `plan` is refused with `code` and writes nothing.
  void ExpectCommitRefused(const v1::SchedulePlan& plan, Code code, const std::string& why) {
    const std::string before = Snapshot();
    const grpc::Status status = Commit(plan);
    EXPECT_THAT(status, RpcCode(code)) << why;
    EXPECT_TRUE(Unchanged(before, Snapshot())) << why << ": a refused commit wrote something";
  }
};

TEST_F(SchedulingPlanTest, ProposeThenCommitPlacesTheAcceptedRequestsAndExplainsTheRest) {
  v1::SchedulePlan plan;
  ASSERT_NO_FATAL_FAILURE(ProposeMorning(&plan));
  EXPECT_EQ(plan.event(), kEvent);
  EXPECT_FALSE(plan.basis_etag().empty());

  // Placed: the three that can be; explained: the two that cannot; not considered: the pending
  // and the declined.
  std::set<std::string> placed;
  for (const v1::PlannedMeeting& meeting : plan.meetings()) placed.insert(meeting.meeting_request());
  EXPECT_THAT(placed, UnorderedElementsAre(RequestName("umerov-hill"), RequestName("umerov-acme"),
                                           RequestName("yermak-ceo")));
  std::map<std::string, v1::UnplacedRequest::Reason> unplaced;
  for (const v1::UnplacedRequest& request : plan.unplaced()) {
    unplaced[request.meeting_request()] = request.reason();
    EXPECT_FALSE(request.explanation().empty()) << request.meeting_request();
  }
  EXPECT_EQ(unplaced,
            (std::map<std::string, v1::UnplacedRequest::Reason>{
                {RequestName("yermak-brooks"), v1::UnplacedRequest::REASON_NO_COMMON_FREE_SLOT},
                {RequestName("ceo-borealis"), v1::UnplacedRequest::REASON_PAIR_RULE}}));
  EXPECT_EQ(plan.objective(), 9 + 6 + 2);
  EXPECT_GE(plan.upper_bound(), plan.objective());

  // An independent check of every placement: on the grid inside the window, the request's
  // attendees and duration, a room that seats them, clear of the plenary and of each other.
  const std::map<std::string, std::pair<std::vector<std::string>, int>> requests = {
      {RequestName("umerov-hill"), {{"people/umerov", "people/hill"}, 60}},
      {RequestName("umerov-acme"), {{"people/umerov", "people/acme-cto"}, 30}},
      {RequestName("yermak-ceo"), {{"people/yermak", "people/acme-ceo"}, 30}},
  };
  for (const v1::PlannedMeeting& meeting : plan.meetings()) {
    const absl::Time start = FromTs(meeting.start_time());
    const absl::Time end = FromTs(meeting.end_time());
    EXPECT_GE(start, NY(6, 10)) << meeting.ShortDebugString();  // the plenary until 10:00
    EXPECT_LE(end, NY(6, 12)) << meeting.ShortDebugString();
    EXPECT_EQ((start - NY(6, 9)) % absl::Minutes(30), absl::ZeroDuration())
        << "off the grid: " << meeting.ShortDebugString();
    const auto& expected = requests.at(meeting.meeting_request());
    EXPECT_THAT(meeting.participants(), ElementsAreArray(expected.first));
    EXPECT_EQ(end - start, absl::Minutes(expected.second)) << meeting.ShortDebugString();
    EXPECT_THAT(meeting.room(), AnyOf(RoomName("table-1"), RoomName("table-2"),
                                      RoomName("plenary-hall")));
    if (meeting.meeting_request() == RequestName("yermak-ceo")) {
      EXPECT_LE(end, NY(6, 11, 30)) << "Acme's CEO is away from 11:30";
    }
  }
  for (int i = 0; i < plan.meetings_size(); ++i) {
    for (int j = i + 1; j < plan.meetings_size(); ++j) {
      const v1::PlannedMeeting& a = plan.meetings(i);
      const v1::PlannedMeeting& b = plan.meetings(j);
      if (!(FromTs(a.start_time()) < FromTs(b.end_time()) &&
            FromTs(b.start_time()) < FromTs(a.end_time()))) {
        continue;
      }
      EXPECT_NE(a.room(), b.room()) << a.ShortDebugString() << " / " << b.ShortDebugString();
      for (const std::string& person : a.participants()) {
        EXPECT_THAT(b.participants(), Not(Contains(person)))
            << a.ShortDebugString() << " / " << b.ShortDebugString();
      }
    }
  }

  // Deterministic: the same data gives the same plan.
  v1::SchedulePlan again;
  ASSERT_THAT(Propose(Morning(), &again), RpcOk());
  again.clear_create_time();
  v1::SchedulePlan first = plan;
  first.clear_create_time();
  EXPECT_EQ(again.ShortDebugString(), first.ShortDebugString());

  // Commit: one confirmed private B2B session per planned meeting; the requests SCHEDULED or
  // UNSCHEDULABLE (with the explanation); the pending and declined ones untouched.
  v1::CommitScheduleResponse committed;
  ASSERT_THAT(Commit(plan, &committed), RpcOk());
  ASSERT_THAT(committed.sessions(), SizeIs(3));
  EXPECT_EQ(committed.unschedulable_count(), 2);
  std::map<std::string, v1::Session> by_request;
  for (const v1::Session& session : committed.sessions()) {
    EXPECT_EQ(session.kind(), v1::Session::KIND_B2B);
    EXPECT_EQ(session.state(), v1::Session::STATE_CONFIRMED);
    EXPECT_EQ(session.visibility(), v1::Session::VISIBILITY_PRIVATE);
    by_request[session.meeting_request()] = session;
    v1::Session stored;
    ASSERT_THAT(GetSession(session.name(), Organizer(), &stored), RpcOk());
    EXPECT_EQ(stored.ShortDebugString(), session.ShortDebugString());
  }
  for (const char* id : {"umerov-hill", "umerov-acme", "yermak-ceo"}) {
    v1::MeetingRequest meeting;
    ASSERT_THAT(GetMeetingRequest(id, Organizer(), &meeting), RpcOk());
    EXPECT_EQ(meeting.state(), v1::MeetingRequest::STATE_SCHEDULED) << id;
    ASSERT_EQ(by_request.count(RequestName(id)), 1u) << id;
    EXPECT_EQ(meeting.session(), by_request[RequestName(id)].name()) << id;
    const v1::PlannedMeeting* planned = Planned(plan, id);
    ASSERT_NE(planned, nullptr);
    EXPECT_EQ(by_request[RequestName(id)].start_time().seconds(),
              planned->start_time().seconds());
    EXPECT_EQ(by_request[RequestName(id)].room(), planned->room());
  }
  for (const char* id : {"yermak-brooks", "ceo-borealis"}) {
    v1::MeetingRequest meeting;
    ASSERT_THAT(GetMeetingRequest(id, Organizer(), &meeting), RpcOk());
    EXPECT_EQ(meeting.state(), v1::MeetingRequest::STATE_UNSCHEDULABLE) << id;
    EXPECT_FALSE(meeting.state_reason().empty()) << id;
  }
  EXPECT_EQ(RequestState("yermak-hill"), v1::MeetingRequest::STATE_PENDING);
  EXPECT_EQ(RequestState("ceo-yermak"), v1::MeetingRequest::STATE_DECLINED);

  // Umerov's itinerary: the plenary and his two meetings, in time order; his counterpart sees
  // their meeting, others do not.
  const std::vector<v1::Session> umerov = Itinerary(Delegate("umerov"), "people/umerov", "");
  ASSERT_THAT(umerov, SizeIs(3));
  EXPECT_EQ(umerov[0].name(), SessionName("opening-plenary"));
  EXPECT_LT(FromTs(umerov[1].start_time()), FromTs(umerov[2].start_time()));
  const std::string hill_meeting = by_request[RequestName("umerov-hill")].name();
  EXPECT_THAT(GetSession(hill_meeting, Delegate("hill")), RpcOk());
  EXPECT_THAT(GetSession(hill_meeting, Delegate("yermak")), RpcCode(Code::NOT_FOUND));

  // A second proposal keeps what is committed and places nothing new.
  v1::SchedulePlan second;
  ASSERT_THAT(Propose(Morning(), &second), RpcOk());
  EXPECT_THAT(second.meetings(), IsEmpty());
  EXPECT_EQ(second.objective(), 0);

  // Cancelling a placed meeting sends its request back to ACCEPTED, and it is placed again.
  ASSERT_THAT(CancelSession(hill_meeting, Organizer()), RpcOk());
  EXPECT_EQ(RequestState("umerov-hill"), v1::MeetingRequest::STATE_ACCEPTED);
  v1::SchedulePlan third;
  ASSERT_THAT(Propose(Morning(), &third), RpcOk());
  EXPECT_NE(Planned(third, "umerov-hill"), nullptr) << third.DebugString();
}

TEST_F(SchedulingPlanTest, AStalePlanIsRefusedAndWritesNothing) {
  v1::SchedulePlan plan;
  ASSERT_NO_FATAL_FAILURE(ProposeMorning(&plan));
  // The data moves on: a room is added.
  ASSERT_THAT(CreateRoom("table-3", "Table 3", v1::Room::KIND_TABLE, 2), RpcOk());
  const std::string before = Snapshot();
  EXPECT_THAT(Commit(plan), RpcErrorWithReason(Code::ABORTED, "PLAN_STALE"));
  EXPECT_TRUE(Unchanged(before, Snapshot()));

  // Again, with availability changed after the proposal.
  ASSERT_NO_FATAL_FAILURE(ProposeMorning(&plan));
  ASSERT_THAT(SetAvailability("hill", {Interval(NY(6, 10), NY(6, 12))}, Organizer()), RpcOk());
  const std::string after_availability = Snapshot();
  EXPECT_THAT(Commit(plan), RpcErrorWithReason(Code::ABORTED, "PLAN_STALE"));
  EXPECT_TRUE(Unchanged(after_availability, Snapshot()));

  // A fresh proposal commits, once: the same plan again is stale.
  ASSERT_THAT(Propose(Morning(), &plan), RpcOk());
  ASSERT_THAT(Commit(plan), RpcOk());
  const std::string committed = Snapshot();
  EXPECT_THAT(Commit(plan), RpcErrorWithReason(Code::ABORTED, "PLAN_STALE"));
  EXPECT_TRUE(Unchanged(committed, Snapshot()));
}

TEST_F(SchedulingPlanTest, AnEditedPlanIsRefusedAndWritesNothing) {
  v1::SchedulePlan plan;
  ASSERT_NO_FATAL_FAILURE(ProposeMorning(&plan));
  auto edit = [&](const std::string& id, const std::function<void(v1::PlannedMeeting&)>& change) {
    v1::SchedulePlan edited = plan;
    for (v1::PlannedMeeting& meeting : *edited.mutable_meetings()) {
      if (meeting.meeting_request() == RequestName(id)) change(meeting);
    }
    return edited;
  };
  ExpectCommitRefused(edit("umerov-hill",
                           [](v1::PlannedMeeting& m) {
                             std::swap(*m.mutable_participants(0), *m.mutable_participants(1));
                           }),
                      Code::INVALID_ARGUMENT, "participants swapped");
  ExpectCommitRefused(edit("umerov-hill",
                           [](v1::PlannedMeeting& m) {
                             m.set_participants(1, "people/yermak");
                           }),
                      Code::INVALID_ARGUMENT, "someone else attends");
  ExpectCommitRefused(edit("umerov-hill",
                           [](v1::PlannedMeeting& m) { m.set_room(RoomName("single-seat")); }),
                      Code::FAILED_PRECONDITION, "a room too small (ROOM_TOO_SMALL, as for any session)");
  ExpectCommitRefused(edit("umerov-hill",
                           [](v1::PlannedMeeting& m) { m.set_room(RoomName("no-such-room")); }),
                      Code::INVALID_ARGUMENT, "a room that does not exist");
  ExpectCommitRefused(edit("umerov-hill",
                           [](v1::PlannedMeeting& m) {
                             m.mutable_end_time()->set_seconds(m.end_time().seconds() + 1800);
                           }),
                      Code::INVALID_ARGUMENT, "longer than asked");
  ExpectCommitRefused(edit("yermak-ceo",
                           [](v1::PlannedMeeting& m) {
                             *m.mutable_start_time() = Ts(NY(6, 11, 30));
                             *m.mutable_end_time() = Ts(NY(6, 12));
                           }),
                      Code::FAILED_PRECONDITION, "while Acme's CEO is away");
  // A request the scheduler left out, smuggled in.
  v1::SchedulePlan smuggled = plan;
  v1::PlannedMeeting* extra = smuggled.add_meetings();
  extra->set_meeting_request(RequestName("ceo-borealis"));
  extra->set_room(RoomName("table-2"));
  *extra->mutable_start_time() = Ts(NY(6, 9));
  *extra->mutable_end_time() = Ts(NY(6, 9, 30));
  extra->add_participants("people/acme-ceo");
  extra->add_participants("people/borealis-rep");
  ExpectCommitRefused(smuggled, Code::FAILED_PRECONDITION, "a pair rule broken");
  // A request still pending, smuggled in.
  v1::SchedulePlan pending = plan;
  extra = pending.add_meetings();
  extra->set_meeting_request(RequestName("yermak-hill"));
  extra->set_room(RoomName("table-2"));
  *extra->mutable_start_time() = Ts(NY(7, 9));
  *extra->mutable_end_time() = Ts(NY(7, 9, 30));
  extra->add_participants("people/yermak");
  extra->add_participants("people/hill");
  ExpectCommitRefused(pending, Code::INVALID_ARGUMENT, "a request not accepted");
  v1::SchedulePlan garbage = plan;
  garbage.set_basis_etag("not-an-etag");
  ExpectCommitRefused(garbage, Code::INVALID_ARGUMENT, "a made-up basis");

  // The refusals changed nothing: the plan as proposed still commits.
  EXPECT_THAT(Commit(plan), RpcOk());
}

// A commit retried with its request_id (the answer was lost) applies the plan once and answers
// with the same sessions.
TEST_F(SchedulingPlanTest, ACommitRetriedWithItsRequestIdAppliesOnce) {
  v1::SchedulePlan plan;
  ASSERT_NO_FATAL_FAILURE(ProposeMorning(&plan));
  v1::CommitScheduleResponse first, retried;
  ASSERT_THAT(Commit(plan, &first, "", "0d7a5c7e-commit"), RpcOk());
  const std::string after_first = Snapshot();
  ASSERT_THAT(Commit(plan, &retried, "", "0d7a5c7e-commit"), RpcOk());
  EXPECT_TRUE(Unchanged(after_first, Snapshot()));
  std::vector<std::string> first_names, retried_names;
  for (const v1::Session& session : first.sessions()) first_names.push_back(session.name());
  for (const v1::Session& session : retried.sessions()) retried_names.push_back(session.name());
  EXPECT_THAT(retried_names, UnorderedElementsAre(first_names[0], first_names[1], first_names[2]));
}

// An edited plan must not put anyone into two sessions at once, nor two sessions into one room:
// refused with FAILED_PRECONDITION naming the clash, as for any session.
TEST_F(SchedulingPlanTest, AnEditedPlanCannotDoubleBookAPersonOrARoom) {
  v1::SchedulePlan plan;
  ASSERT_NO_FATAL_FAILURE(ProposeMorning(&plan));
  v1::SchedulePlan onto_plenary = plan;
  for (v1::PlannedMeeting& meeting : *onto_plenary.mutable_meetings()) {
    if (meeting.meeting_request() == RequestName("umerov-hill")) {
      *meeting.mutable_start_time() = Ts(NY(6, 9));
      *meeting.mutable_end_time() = Ts(NY(6, 10));
    }
  }
  std::string before = Snapshot();
  grpc::Status status = Commit(onto_plenary);
  EXPECT_THAT(status, RpcErrorWithReason(Code::FAILED_PRECONDITION, "PERSON_DOUBLE_BOOKED"))
      << "umerov-hill moved onto the plenary Umerov and Hill attend";
  EXPECT_TRUE(Unchanged(before, Snapshot()));

  // Two meetings without a common attendee in one room at one time.
  v1::SchedulePlan shared_room = plan;
  for (v1::PlannedMeeting& meeting : *shared_room.mutable_meetings()) {
    if (meeting.meeting_request() == RequestName("umerov-hill")) {
      meeting.set_room(RoomName("table-1"));
      *meeting.mutable_start_time() = Ts(NY(6, 10));
      *meeting.mutable_end_time() = Ts(NY(6, 11));
    } else if (meeting.meeting_request() == RequestName("yermak-ceo")) {
      meeting.set_room(RoomName("table-1"));
      *meeting.mutable_start_time() = Ts(NY(6, 10));
      *meeting.mutable_end_time() = Ts(NY(6, 10, 30));
    } else {
      meeting.set_room(RoomName("table-2"));
      *meeting.mutable_start_time() = Ts(NY(6, 11));
      *meeting.mutable_end_time() = Ts(NY(6, 11, 30));
    }
  }
  before = Snapshot();
  status = Commit(shared_room);
  EXPECT_THAT(status, RpcErrorWithReason(Code::FAILED_PRECONDITION, "ROOM_DOUBLE_BOOKED"))
      << "umerov-hill and yermak-ceo both at Table 1 at 10:00";
  EXPECT_TRUE(Unchanged(before, Snapshot()));
}

// An edited plan must not place a meeting outside the event's dates: the invariant holds for
// every session, whoever writes it.
TEST_F(SchedulingPlanTest, AnEditedPlanCannotPlaceAMeetingOutsideTheEvent) {
  v1::SchedulePlan plan;
  ASSERT_NO_FATAL_FAILURE(ProposeMorning(&plan));
  for (v1::PlannedMeeting& meeting : *plan.mutable_meetings()) {
    if (meeting.meeting_request() == RequestName("yermak-ceo")) {
      *meeting.mutable_start_time() = Ts(NY(9, 10));  // December 9: after the event
      *meeting.mutable_end_time() = Ts(NY(9, 10, 30));
    }
  }
  const std::string before = Snapshot();
  const grpc::Status status = Commit(plan);
  EXPECT_THAT(status, AnyOf(RpcErrorWithReason(Code::FAILED_PRECONDITION, "OUTSIDE_EVENT"),
                            RpcCode(Code::INVALID_ARGUMENT)))
      << "yermak-ceo moved to December 9";
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  for (const std::string& name : SessionNames(Organizer())) {
    v1::Session session;
    ASSERT_THAT(GetSession(name, Organizer(), &session), RpcOk());
    EXPECT_LT(FromTs(session.start_time()), NY(8, 0)) << session.ShortDebugString();
  }
}

// Every participant of every session is APPROVED, also of the sessions a commit creates: an
// accreditation revoked between propose and commit keeps its meeting out.
TEST_F(SchedulingPlanTest, ACommitRefusesAParticipantNoLongerApproved) {
  v1::SchedulePlan plan;
  ASSERT_NO_FATAL_FAILURE(ProposeMorning(&plan));
  rv1::RevokeParticipantRequest revoke;
  revoke.set_name(ParticipantName("hill"));
  revoke.set_reason("Accreditation withdrawn");
  rv1::Participant participant;
  ASSERT_THAT(R(&RegistryStub::RevokeParticipant, Organizer(), revoke, &participant), RpcOk());
  const std::string before = Snapshot();
  EXPECT_THAT(Commit(plan), RpcErrorWithReason(Code::FAILED_PRECONDITION, "NOT_PARTICIPANT"))
      << "umerov-hill is planned with Hill, whose accreditation is revoked";
  EXPECT_TRUE(Unchanged(before, Snapshot()));
}

// ---------------------------------------------------------------------------------------------
// Itineraries and calendars.

TEST_F(SchedulingIntegrationTest, ItinerariesListSessionsInTimeOrder) {
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  const std::string organizer = Organizer();
  // Created out of time order.
  ASSERT_THAT(CreateSession(MakeSession("Site visit", NY(7, 14), NY(7, 15), "table-1",
                                        {"umerov", "yermak"}),
                            "c-visit", nullptr, organizer),
              RpcOk());
  ASSERT_THAT(CreateSession(MakeSession("Umerov and Hill", NY(6, 11), NY(6, 12), "east-room",
                                        {"umerov", "hill"}),
                            "b-bilateral", nullptr, organizer),
              RpcOk());
  ASSERT_THAT(CreateSession(MakeSession("Opening plenary", NY(6, 9), NY(6, 10), "plenary-hall",
                                        {"umerov", "yermak", "hill"}, v1::Session::KIND_PLENARY,
                                        v1::Session::VISIBILITY_PUBLIC,
                                        v1::Session::STATE_CONFIRMED),
                            "a-plenary", nullptr, organizer),
              RpcOk());
  ASSERT_THAT(CreateSession(MakeSession("Yermak and Brooks", NY(6, 10), NY(6, 10, 30),
                                        "table-1", {"yermak", "brooks"}),
                            "d-yermak-brooks", nullptr, organizer),
              RpcOk());
  ASSERT_THAT(CreateSession(MakeSession("Cancelled", NY(6, 13), NY(6, 14), "east-room",
                                        {"umerov"}),
                            "e-cancelled", nullptr, organizer),
              RpcOk());
  ASSERT_THAT(CancelSession(SessionName("e-cancelled"), organizer), RpcOk());

  EXPECT_THAT(ItineraryNames(organizer, "people/umerov", ""),
              ElementsAre(SessionName("a-plenary"), SessionName("b-bilateral"),
                          SessionName("c-visit")));
  EXPECT_THAT(ItineraryNames(organizer, "", RoomName("table-1")),
              ElementsAre(SessionName("d-yermak-brooks"), SessionName("c-visit")));
  const std::vector<std::string> event = {SessionName("a-plenary"),
                                          SessionName("d-yermak-brooks"),
                                          SessionName("b-bilateral"), SessionName("c-visit")};
  EXPECT_THAT(ItineraryNames(organizer, "", ""), ElementsAreArray(event));
  // In pages of one and of three, the same.
  EXPECT_THAT(ItineraryNames(organizer, "", "", 1), ElementsAreArray(event));
  EXPECT_THAT(ItineraryNames(organizer, "", "", 3), ElementsAreArray(event));
  // Only what ends after the start and starts before the end.
  std::vector<std::string> window;
  for (const v1::Session& session : Itinerary(organizer, "", "", 1000, NY(6, 10), NY(7, 0))) {
    window.push_back(session.name());
  }
  EXPECT_THAT(window, ElementsAre(SessionName("d-yermak-brooks"), SessionName("b-bilateral")));
  // A person sees their own.
  EXPECT_THAT(ItineraryNames(Delegate("yermak"), "people/yermak", ""),
              ElementsAre(SessionName("a-plenary"), SessionName("d-yermak-brooks"),
                          SessionName("c-visit")));
  v1::ListItineraryRequest bad;
  bad.set_parent(kEvent);
  bad.set_person("umerov");
  v1::ListItineraryResponse response;
  EXPECT_THAT(S(&SchedulingStub::ListItinerary, organizer, bad, &response),
              RpcInvalidOn("person"));
}

// RFC 5545 lines: unfolded (a CRLF followed by a space or tab continues the line).
std::vector<std::string> UnfoldedLines(const std::string& calendar) {
  const std::string unfolded =
      absl::StrReplaceAll(calendar, {{"\r\n ", ""}, {"\r\n\t", ""}});
  std::vector<std::string> lines = absl::StrSplit(unfolded, "\r\n");
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::vector<std::string> ValuesOf(const std::vector<std::string>& lines,
                                  absl::string_view property) {
  std::vector<std::string> values;
  for (const std::string& line : lines) {
    if (absl::StartsWith(line, absl::StrCat(property, ":")) ||
        absl::StartsWith(line, absl::StrCat(property, ";"))) {
      values.push_back(line);
    }
  }
  return values;
}

TEST_F(SchedulingIntegrationTest, CalendarsAreRfc5545InTheEventsTimeZone) {
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  const std::string organizer = Organizer();
  ASSERT_THAT(CreateSession(MakeSession("Opening plenary", NY(6, 9), NY(6, 10), "plenary-hall",
                                        {"umerov", "hill"}, v1::Session::KIND_PLENARY,
                                        v1::Session::VISIBILITY_PUBLIC,
                                        v1::Session::STATE_CONFIRMED),
                            "plenary", nullptr, organizer),
              RpcOk());
  v1::Session bilateral = MakeSession("Umerov, Hill; export controls", NY(6, 11), NY(6, 12, 30),
                                      "east-room", {"umerov", "hill"});
  bilateral.set_description(
      "Agenda: air defense, artillery ammunition, co-production of drones in Ukraine and the "
      "United States, and the export-control questions that come with it.");
  ASSERT_THAT(CreateSession(bilateral, "bilateral", nullptr, organizer), RpcOk());
  ASSERT_THAT(CreateSession(MakeSession("Site visit", NY(7, 14), NY(7, 15), "table-1",
                                        {"umerov", "yermak"}),
                            "visit", nullptr, organizer),
              RpcOk());

  v1::ExportCalendarResponse response;
  ASSERT_THAT(ExportCalendar("people/umerov", "", Delegate("umerov"), &response), RpcOk());
  EXPECT_EQ(response.content_type(), "text/calendar; charset=utf-8");
  EXPECT_TRUE(absl::EndsWith(response.file_name(), ".ics")) << response.file_name();
  const std::string& text = response.calendar();
  // CRLF everywhere, never a bare LF or CR.
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      EXPECT_TRUE(i > 0 && text[i - 1] == '\r') << "bare LF at " << i;
    }
    if (text[i] == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  EXPECT_TRUE(absl::StartsWith(text, "BEGIN:VCALENDAR\r\n")) << text;
  EXPECT_TRUE(absl::EndsWith(text, "END:VCALENDAR\r\n")) << text;
  // Folded: no physical line longer than 75 octets.
  for (absl::string_view line : absl::StrSplit(text, "\r\n")) {
    EXPECT_LE(line.size(), 75u) << line;
  }
  const std::vector<std::string> lines = UnfoldedLines(text);
  EXPECT_THAT(lines, Contains("VERSION:2.0"));
  EXPECT_THAT(lines, Contains("BEGIN:VTIMEZONE"));
  EXPECT_THAT(lines, Contains("TZID:America/New_York"));
  EXPECT_THAT(lines, Contains("END:VTIMEZONE"));
  EXPECT_THAT(lines, Contains("TZOFFSETTO:-0500"));  // EST, in force in December
  EXPECT_THAT(ValuesOf(lines, "BEGIN"), Contains("BEGIN:VEVENT"));
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "BEGIN:VEVENT"), 3);
  // Wall-clock times in the event's zone.
  EXPECT_THAT(lines, Contains("DTSTART;TZID=America/New_York:20231206T090000"));
  EXPECT_THAT(lines, Contains("DTEND;TZID=America/New_York:20231206T100000"));
  EXPECT_THAT(lines, Contains("DTSTART;TZID=America/New_York:20231206T110000"));
  EXPECT_THAT(lines, Contains("DTEND;TZID=America/New_York:20231206T123000"));
  EXPECT_THAT(lines, Contains("DTSTART;TZID=America/New_York:20231207T140000"));
  // Text escaped.
  EXPECT_THAT(lines, Contains("SUMMARY:Umerov\\, Hill\\; export controls"));
  // One UID per session, the same in every export.
  const std::vector<std::string> uids = ValuesOf(lines, "UID");
  EXPECT_THAT(uids, SizeIs(3));
  EXPECT_EQ(std::set<std::string>(uids.begin(), uids.end()).size(), 3u);
  v1::ExportCalendarResponse again;
  ASSERT_THAT(ExportCalendar("people/umerov", "", organizer, &again), RpcOk());
  EXPECT_EQ(ValuesOf(UnfoldedLines(again.calendar()), "UID"), uids);

  // A room's calendar, and the public's (only the public confirmed plenary).
  ASSERT_THAT(ExportCalendar("", RoomName("table-1"), organizer, &response), RpcOk());
  EXPECT_THAT(ValuesOf(UnfoldedLines(response.calendar()), "UID"), SizeIs(1));
  ASSERT_THAT(ExportCalendar("", "", Public(), &response), RpcOk());
  EXPECT_THAT(ValuesOf(UnfoldedLines(response.calendar()), "UID"), SizeIs(1));
  EXPECT_THAT(UnfoldedLines(response.calendar()),
              Contains("DTSTART;TZID=America/New_York:20231206T090000"));
}

// ---------------------------------------------------------------------------------------------
// The role matrix.

TEST_F(SchedulingIntegrationTest, SessionsAreVisibleAsTheirVisibilityAndStateSay) {
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  const std::string organizer = Organizer();
  ASSERT_THAT(CreateSession(MakeSession("Public and confirmed", NY(6, 9), NY(6, 10),
                                        "plenary-hall", {"umerov", "hill"},
                                        v1::Session::KIND_PLENARY,
                                        v1::Session::VISIBILITY_PUBLIC,
                                        v1::Session::STATE_CONFIRMED),
                            "public-confirmed", nullptr, organizer),
              RpcOk());
  ASSERT_THAT(CreateSession(MakeSession("Public but tentative", NY(6, 10), NY(6, 11),
                                        "plenary-hall", {"umerov"}, v1::Session::KIND_PANEL,
                                        v1::Session::VISIBILITY_PUBLIC,
                                        v1::Session::STATE_TENTATIVE),
                            "public-tentative", nullptr, organizer),
              RpcOk());
  ASSERT_THAT(CreateSession(MakeSession("Private bilateral", NY(6, 11), NY(6, 12), "east-room",
                                        {"umerov", "hill"}, v1::Session::KIND_BILATERAL,
                                        v1::Session::VISIBILITY_PRIVATE,
                                        v1::Session::STATE_CONFIRMED),
                            "private-umerov", nullptr, organizer),
              RpcOk());
  ASSERT_THAT(CreateSession(MakeSession("Another private bilateral", NY(6, 11), NY(6, 12),
                                        "table-1", {"yermak", "brooks"},
                                        v1::Session::KIND_BILATERAL,
                                        v1::Session::VISIBILITY_UNSPECIFIED,  // = PRIVATE
                                        v1::Session::STATE_CONFIRMED),
                            "private-yermak", nullptr, organizer),
              RpcOk());
  const std::string pc = SessionName("public-confirmed"), pt = SessionName("public-tentative"),
                    pu = SessionName("private-umerov"), py = SessionName("private-yermak");

  EXPECT_THAT(SessionNames(organizer), ElementsAre(pc, pt, pu, py));
  // The public, and press: public confirmed sessions only, in every read.
  for (const std::string& token : {Public(), Press("jane-doe")}) {
    EXPECT_THAT(SessionNames(token), ElementsAre(pc));
    EXPECT_THAT(GetSession(pc, token), RpcOk());
    EXPECT_THAT(GetSession(pt, token), RpcCode(Code::NOT_FOUND));
    EXPECT_THAT(GetSession(pu, token), RpcCode(Code::NOT_FOUND));
    EXPECT_THAT(ItineraryNames(token, "", ""), ElementsAre(pc));
    EXPECT_THAT(ItineraryNames(token, "people/umerov", ""), ElementsAre(pc));
    v1::ExportCalendarResponse calendar;
    ASSERT_THAT(ExportCalendar("", "", token, &calendar), RpcOk());
    EXPECT_THAT(ValuesOf(UnfoldedLines(calendar.calendar()), "UID"), SizeIs(1));
  }
  // Participants: also their own private and tentative sessions, never others'.
  EXPECT_THAT(SessionNames(Delegate("umerov")), ElementsAre(pc, pt, pu));
  EXPECT_THAT(SessionNames(Delegate("hill")), ElementsAre(pc, pu));
  EXPECT_THAT(SessionNames(Delegate("yermak")), ElementsAre(pc, py));
  EXPECT_THAT(GetSession(pu, Delegate("hill")), RpcOk());
  EXPECT_THAT(GetSession(py, Delegate("umerov")), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(ItineraryNames(Delegate("yermak"), "people/umerov", ""), ElementsAre(pc));
  EXPECT_THAT(ItineraryNames(Delegate("umerov"), "", ""), ElementsAre(pc, pt, pu));
  v1::ExportCalendarResponse calendar;
  ASSERT_THAT(ExportCalendar("people/umerov", "", Delegate("yermak"), &calendar), RpcOk());
  EXPECT_THAT(ValuesOf(UnfoldedLines(calendar.calendar()), "UID"), SizeIs(1));
}

TEST_F(SchedulingIntegrationTest, OnlyOrganizersWriteSessionsRoomsRulesAndSchedules) {
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  const std::string organizer = Organizer();
  v1::Session session;
  ASSERT_THAT(CreateSession(MakeSession("Bilateral", NY(6, 11), NY(6, 12), "east-room",
                                        {"umerov", "hill"}),
                            "bilateral", &session, organizer),
              RpcOk());
  v1::PairRule rule;
  ASSERT_THAT(CreatePairRule("acme-defense", "borealis-arms", "acme-borealis", organizer, &rule),
              RpcOk());
  v1::SchedulePlan plan;
  ASSERT_THAT(Propose(v1::ScheduleOptions(), &plan), RpcOk());

  const std::string before = Snapshot();
  // A delegate who takes part, press, and the public (UNAUTHENTICATED: they may have forgotten
  // their token).
  const std::vector<std::pair<std::string, Code>> callers = {
      {Delegate("umerov"), Code::PERMISSION_DENIED},
      {Press("jane-doe"), Code::PERMISSION_DENIED},
      {Public(), Code::UNAUTHENTICATED},
  };
  for (const auto& [token, code] : callers) {
    EXPECT_THAT(CreateSession(MakeSession("Mine", NY(6, 13), NY(6, 14), "east-room",
                                          {"umerov"}),
                              "", nullptr, token),
                RpcCode(code));
    v1::Session change = session;
    change.set_title("Renamed");
    EXPECT_THAT(UpdateSession(change, {"title"}, token), RpcCode(code));
    EXPECT_THAT(CancelSession(session.name(), token), RpcCode(code));
    v1::CreateRoomRequest create_room;
    create_room.set_parent(kEvent);
    create_room.mutable_room()->set_display_name("My room");
    create_room.mutable_room()->set_kind(v1::Room::KIND_TABLE);
    create_room.mutable_room()->set_capacity(2);
    v1::Room created_room;
    EXPECT_THAT(S(&SchedulingStub::CreateRoom, token, create_room, &created_room), RpcCode(code));
    v1::UpdateRoomRequest update;
    update.mutable_room()->set_name(RoomName("east-room"));
    update.mutable_room()->set_capacity(60);
    update.mutable_update_mask()->add_paths("capacity");
    v1::Room room;
    EXPECT_THAT(S(&SchedulingStub::UpdateRoom, token, update, &room), RpcCode(code));
    v1::DeleteRoomRequest remove_room;
    remove_room.set_name(RoomName("table-1"));
    google::protobuf::Empty empty;
    EXPECT_THAT(S(&SchedulingStub::DeleteRoom, token, remove_room, &empty), RpcCode(code));
    EXPECT_THAT(CreatePairRule("ua-mod", "pentagon", "", token), RpcCode(code));
    v1::DeletePairRuleRequest remove_rule;
    remove_rule.set_name(rule.name());
    EXPECT_THAT(S(&SchedulingStub::DeletePairRule, token, remove_rule, &empty), RpcCode(code));
    v1::ProposeScheduleRequest propose;
    propose.set_event(kEvent);
    v1::SchedulePlan proposed;
    EXPECT_THAT(S(&SchedulingStub::ProposeSchedule, token, propose, &proposed), RpcCode(code));
    v1::CommitScheduleRequest commit;
    *commit.mutable_plan() = plan;
    v1::CommitScheduleResponse committed;
    EXPECT_THAT(S(&SchedulingStub::CommitSchedule, token, commit, &committed), RpcCode(code));
  }
  EXPECT_TRUE(Unchanged(before, Snapshot()));
}

TEST_F(SchedulingIntegrationTest, DelegatesAskAndWithdrawForThemselvesAndInviteesAnswer) {
  const std::string umerov = Delegate("umerov");
  const std::string before = Snapshot();
  // Not for someone else, not as press or the public.
  EXPECT_THAT(CreateMeetingRequest("yermak", "people/hill", 30, 5, "", umerov),
              RpcErrorWithReason(Code::PERMISSION_DENIED, "NOT_REQUESTER"));
  EXPECT_THAT(CreateMeetingRequest("jane-doe", "people/hill", 30, 5, "", Press("jane-doe")),
              RpcCode(Code::PERMISSION_DENIED));
  EXPECT_THAT(CreateMeetingRequest("umerov", "people/hill", 30, 5, "", Public()),
              RpcCode(Code::UNAUTHENTICATED));
  EXPECT_TRUE(Unchanged(before, Snapshot()));

  ASSERT_THAT(CreateMeetingRequest("umerov", "people/hill", 30, 5, "to-hill", umerov), RpcOk());
  ASSERT_THAT(CreateMeetingRequest("umerov", "organizations/acme-defense", 30, 5, "to-acme",
                                   umerov),
              RpcOk());
  ASSERT_THAT(CreateMeetingRequest("yermak", "people/brooks", 30, 5, "yermaks",
                                   Delegate("yermak")),
              RpcOk());
  const std::string with_requests = Snapshot();

  // Someone else's request: not withdrawn, not seen — not even that it exists.
  EXPECT_THAT(Withdraw("yermaks", umerov), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(GetMeetingRequest("yermaks", umerov), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(RequestNames(umerov),
              UnorderedElementsAre(RequestName("to-hill"), RequestName("to-acme")));
  EXPECT_THAT(RequestNames(Delegate("jane-doe")), IsEmpty());
  // Answered only by the invitee (or a member of the invited organization).
  EXPECT_THAT(Accept("to-hill", umerov), RpcErrorWithReason(Code::PERMISSION_DENIED, "NOT_INVITEE"));
  EXPECT_THAT(Decline("to-hill", "No", umerov),
              RpcErrorWithReason(Code::PERMISSION_DENIED, "NOT_INVITEE"));
  EXPECT_THAT(Accept("to-hill", Delegate("brooks")), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(Accept("to-acme", Delegate("borealis-rep")), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(Accept("to-acme", Public()), AnyOf(RpcCode(Code::NOT_FOUND),
                                                  RpcCode(Code::UNAUTHENTICATED)));
  EXPECT_TRUE(Unchanged(with_requests, Snapshot()));

  // The invitee sees and answers it; the requester withdraws their own.
  EXPECT_THAT(GetMeetingRequest("to-hill", Delegate("hill")), RpcOk());
  EXPECT_THAT(RequestNames(Delegate("hill")), ElementsAre(RequestName("to-hill")));
  ASSERT_THAT(Accept("to-hill", Delegate("hill")), RpcOk());
  ASSERT_THAT(Decline("to-acme", "Our delegation is full", Delegate("acme-ceo")), RpcOk());
  ASSERT_THAT(Decline("yermaks", "Not this time", Delegate("brooks")), RpcOk());
  v1::MeetingRequest withdrawn;
  ASSERT_THAT(Withdraw("to-hill", umerov, &withdrawn), RpcOk());
  EXPECT_EQ(withdrawn.state(), v1::MeetingRequest::STATE_WITHDRAWN);
  // An organizer may withdraw anyone's.
  ASSERT_THAT(CreateMeetingRequest("yermak", "people/hill", 30, 5, "organizer-withdraws",
                                   Organizer()),
              RpcOk());
  EXPECT_THAT(Withdraw("organizer-withdraws", Organizer()), RpcOk());
}

// A member of an invited organization may answer for it, so they must be able to find what is
// addressed to it: the request reads and lists for them before anyone accepted it.
TEST_F(SchedulingIntegrationTest, MembersOfAnInvitedOrganizationSeeWhatIsAddressedToIt) {
  ASSERT_THAT(CreateMeetingRequest("umerov", "organizations/acme-defense", 30, 5, "to-acme",
                                   Delegate("umerov")),
              RpcOk());
  EXPECT_THAT(GetMeetingRequest("to-acme", Delegate("acme-ceo")), RpcOk())
      << "a member of organizations/acme-defense cannot read a request addressed to it";
  EXPECT_THAT(RequestNames(Delegate("acme-ceo"), "invitee = \"organizations/acme-defense\""),
              ElementsAre(RequestName("to-acme")))
      << "a member of organizations/acme-defense cannot list the requests addressed to it";
  // Others still do not.
  EXPECT_THAT(GetMeetingRequest("to-acme", Delegate("borealis-rep")), RpcCode(Code::NOT_FOUND));
  EXPECT_THAT(RequestNames(Delegate("borealis-rep")), IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// Credentials and deadlines.

TEST_F(SchedulingIntegrationTest, BadTokensAreUnauthenticatedNeverPublic) {
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  const std::string expired =
      auth::MintToken({"people/secretariat-officer", Role::kOrganizer}, absl::Hours(1),
                      suite_->key(), absl::Now() - absl::Hours(2));
  std::string other_key(48, 'k');
  const std::string wrongly_signed = auth::MintToken(
      {"people/secretariat-officer", Role::kOrganizer}, absl::Hours(1), other_key, absl::Now());
  const std::string before = Snapshot();
  const std::vector<std::pair<std::string, std::string>> tokens = {
      {expired, "TOKEN_EXPIRED"},
      {wrongly_signed, "TOKEN_BAD_SIGNATURE"},
      {"not-a-jwt", "TOKEN_MALFORMED"},
  };
  for (const auto& [token, reason] : tokens) {
    v1::ListSessionsRequest list;
    list.set_parent(kEvent);
    v1::ListSessionsResponse sessions;
    EXPECT_THAT(S(&SchedulingStub::ListSessions, token, list, &sessions),
                RpcErrorWithReason(Code::UNAUTHENTICATED, reason));
    v1::ListRoomsRequest rooms;
    rooms.set_parent(kEvent);
    v1::ListRoomsResponse room_list;
    EXPECT_THAT(S(&SchedulingStub::ListRooms, token, rooms, &room_list),
                RpcErrorWithReason(Code::UNAUTHENTICATED, reason));
    EXPECT_THAT(CreateSession(MakeSession("Sneaky", NY(6, 9), NY(6, 10), "east-room",
                                          {"umerov"}),
                              "", nullptr, token),
                RpcErrorWithReason(Code::UNAUTHENTICATED, reason));
    EXPECT_THAT(CreateMeetingRequest("umerov", "people/hill", 30, 5, "", token),
                RpcErrorWithReason(Code::UNAUTHENTICATED, reason));
  }
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  // They never reached the Registry.
  EXPECT_FALSE(absl::StrContains(Registry().AllStderr(), "\"principal\":\"invalid-token\""));
}

TEST_F(SchedulingIntegrationTest, TheCallersTokenTravelsToTheRegistry) {
  // A delegate's request is checked with the delegate's own token…
  ASSERT_THAT(CreateMeetingRequest("umerov", "people/hill", 30, 5, "umerov-hill",
                                   Delegate("umerov")),
              RpcOk());
  EXPECT_TRUE(
      RegistryLogged("/summit.registry.v1.RegistryService/BatchGetParticipants", "people/umerov"))
      << Registry().AllStderr();
  EXPECT_TRUE(RegistryLogged("/summit.registry.v1.RegistryService/BatchGetPeople", "people/umerov"))
      << Registry().AllStderr();
  // …and so is the acceptance by a member of an invited organization.
  ASSERT_THAT(CreateMeetingRequest("umerov", "organizations/acme-defense", 30, 5, "umerov-acme",
                                   Delegate("umerov")),
              RpcOk());
  ASSERT_THAT(Accept("umerov-acme", Delegate("acme-cto")), RpcOk());
  EXPECT_TRUE(
      RegistryLogged("/summit.registry.v1.RegistryService/BatchGetParticipants", "people/acme-cto"))
      << Registry().AllStderr();
  // An organizer's session with the organizer's.
  ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
  ASSERT_THAT(CreateSession(MakeSession("Bilateral", NY(6, 11), NY(6, 12), "east-room",
                                        {"umerov", "hill"}),
                            "bilateral", nullptr, Organizer()),
              RpcOk());
  EXPECT_TRUE(RegistryLogged("/summit.registry.v1.RegistryService/BatchGetParticipants",
                             "people/secretariat-officer"))
      << Registry().AllStderr();
  // Nothing reached the Registry as Scheduling itself or as the public.
  EXPECT_FALSE(absl::StrContains(Registry().AllStderr(), "\"principal\":\"services/"));
  EXPECT_FALSE(absl::StrContains(Registry().AllStderr(), "\"principal\":\"public\""));
}

class SchedulingRegistryDownTest : public SchedulingIntegrationTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SchedulingIntegrationTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(CreateStandardRooms());
    // One write that reached the Registry: Scheduling's channel to it is connected.
    ASSERT_THAT(CreateSession(MakeSession("Opening plenary", NY(6, 9), NY(6, 10),
                                          "plenary-hall", {"umerov", "hill"},
                                          v1::Session::KIND_PLENARY),
                              "plenary", nullptr, Organizer()),
                RpcOk());
  }

  // With the Registry unable to answer, writes that must ask it fail with UNAVAILABLE or
  // DEADLINE_EXCEEDED inside their 2 s deadline, and write nothing; reads that need no Registry
  // still answer.
  void ExpectWritesFailAndWriteNothing() {
    const std::string before = Snapshot();
    const absl::Duration deadline = absl::Seconds(2);
    const grpc::Status session = CreateSession(
        MakeSession("While the Registry is away", NY(6, 11), NY(6, 12), "east-room",
                    {"umerov", "yermak"}),
        "while-away", nullptr, Organizer(), "", deadline);
    EXPECT_THAT(session, AnyOf(RpcCode(Code::UNAVAILABLE), RpcCode(Code::DEADLINE_EXCEEDED)));
    const grpc::Status request = CreateMeetingRequest(
        "umerov", "people/hill", 30, 5, "while-away", Delegate("umerov"), nullptr, deadline);
    EXPECT_THAT(request, AnyOf(RpcCode(Code::UNAVAILABLE), RpcCode(Code::DEADLINE_EXCEEDED)));
    EXPECT_TRUE(Unchanged(before, Snapshot()));
    EXPECT_THAT(SessionNames(Organizer()), ElementsAre(SessionName("plenary")));
  }
};

TEST_F(SchedulingRegistryDownTest, ARegistryKilledMakesWritesUnavailableAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(SignalRegistry(SIGKILL));
  ASSERT_NO_FATAL_FAILURE(ExpectWritesFailAndWriteNothing());

  // The Registry back on its port and database: writes succeed again (a retried create with
  // one request_id makes the session once).
  ASSERT_OK(suite_->Restart(Server::kRegistry));
  grpc::Status status;
  for (int attempt = 0; attempt < 120; ++attempt) {  // at most about a minute
    status = CreateSession(MakeSession("After the Registry is back", NY(6, 11), NY(6, 12),
                                       "east-room", {"umerov", "yermak"}),
                           "after", nullptr, Organizer(), "b3d1e0c4-after", absl::Seconds(2));
    if (status.ok()) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  EXPECT_THAT(status, RpcOk());
  EXPECT_THAT(SessionNames(Organizer()),
              ElementsAre(SessionName("plenary"), SessionName("after")));
}

TEST_F(SchedulingRegistryDownTest, ARegistryTerminatedMakesWritesUnavailableAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(SignalRegistry(SIGTERM));
  ASSERT_NO_FATAL_FAILURE(ExpectWritesFailAndWriteNothing());
}

// A Registry that accepts the call and never answers (stopped): the caller's deadline, passed
// on to the Registry call, ends it; and nothing is written even when the Registry wakes up and
// answers the call it had queued.
TEST_F(SchedulingRegistryDownTest, AHungRegistryEndsAtTheCallersDeadlineAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(SignalRegistry(SIGSTOP));
  const std::string before = Snapshot();
  const grpc::Status status =
      CreateSession(MakeSession("While the Registry hangs", NY(6, 11), NY(6, 12), "east-room",
                                {"umerov", "yermak"}),
                    "while-hung", nullptr, Organizer(), "", absl::Seconds(2));
  EXPECT_THAT(status, AnyOf(RpcCode(Code::DEADLINE_EXCEEDED), RpcCode(Code::UNAVAILABLE)));
  ASSERT_NO_FATAL_FAILURE(SignalRegistry(SIGCONT));
  // Had Scheduling waited longer than its caller (its own default is 5 s), the Registry's late
  // answer would now let it write. Watch for a while (bounded; not a measurement).
  for (int check = 0; check < 14; ++check) {
    absl::SleepFor(absl::Milliseconds(500));
    EXPECT_THAT(GetSession(SessionName("while-hung"), Organizer()), RpcCode(Code::NOT_FOUND))
        << "written after its caller was told it failed";
  }
  EXPECT_TRUE(Unchanged(before, Snapshot()));
  // And the Registry, awake, serves again.
  EXPECT_THAT(CreateSession(MakeSession("After the Registry woke", NY(6, 11), NY(6, 12),
                                        "east-room", {"umerov", "yermak"}),
                            "after", nullptr, Organizer()),
              RpcOk());
}

}  // namespace
}  // namespace summit::scheduling
