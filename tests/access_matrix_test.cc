// Who may see and do what, as one table: every RPC of every Summit service, called by every
// role, directly on the service and through the gateway (its gRPC proxy and its HTTP/JSON
// transcoding), against the four real processes loaded with the demo (tests/support/suite.h).
//
// The roles: the public (no token), accredited press, the head of delegation A (Ukraine), the
// head of delegation B (the United States), an organizer, another Summit service, and two bad
// tokens — signed with another key, and expired. Each row of the table names an RPC, the object
// it is called on, and the outcome each role must get (OK, PERMISSION_DENIED, UNAUTHENTICATED,
// NOT_FOUND…); a bad or expired token is UNAUTHENTICATED everywhere, with its reason. A new RPC
// without a row fails EveryRpcOfEveryServiceHasARow.
//
// Beyond the outcome, every answer (its messages, an error's message and details, the raw HTTP
// body, a calendar's text) is searched for what the role must not learn, in two ways:
// - canaries: unique strings planted in private data (a private session's title, an
//   embargoed statement's text, a person's e-mail, a pair rule's reason…), each with the roles
//   that may read it; a canary in the answer of any other role is a leak, and a canary a row
//   `shows` must be in the answer of every role that may read it (so the check is not vacuous);
// - an oracle written from the design (README "Who may do what", the services' comments), not
//   from the code: every Person, Participant, Session, MeetingRequest, Availability, PairRule,
//   Statement, StatementRevision and EmbargoedRead anywhere in an answer must be one the role may
//   see, with only the fields it may see.
//
// The OWASP API Security Top 10 (2023) risks it covers, named in each row and failure:
// - API1 Broken Object Level Authorization: another delegation's private session, meeting
//   request, availability or communiqué; an unpublished or embargoed statement; a pending or
//   rejected accreditation — NOT_FOUND, never a hint that it exists;
// - API3 Broken Object Property Level Authorization: contact details, private sessions inside
//   lists, itineraries, calendars and the gateway's views, a pair rule's reason inside an error;
// - API5 Broken Function Level Authorization: every write by every role; organizer-only reads
//   (pair rules, who read embargoed text). Refused writes change nothing: the state of all three
//   services, read by an organizer before and after, is the same.
//
// Waits are bounded (kPatience, kCallPatience) and are not measurements.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/gateway/v1/gateway_service.grpc.pb.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/any_call.h"
#include "tests/support/rpc_status.h"
#include "tests/support/shared_suite_test.h"
#include "tests/support/suite.h"
#include "tests/support/summit_state.h"

namespace summit {
namespace {

namespace rv1 = ::summit::registry::v1;
namespace sv1 = ::summit::scheduling::v1;
namespace tv1 = ::summit::statements::v1;
namespace gv1 = ::summit::gateway::v1;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::MethodDescriptor;
using ::summit::testing::AnyCallResult;
using ::summit::testing::CallOverGrpc;
using ::summit::testing::CallOverHttp;
using ::summit::testing::Describe;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::StopAfter;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;
using Code = grpc::StatusCode;

// ---------------------------------------------------------------------------------------------
// The world: the demo, and who the roles are in it.

constexpr char kEvent[] = "events/udib-2023";
constexpr char kOtherEvent[] = "events/access-event";
constexpr char kDelegationA[] = "events/udib-2023/delegations/ukraine";
constexpr char kDelegationB[] = "events/udib-2023/delegations/united-states";
constexpr char kPressPerson[] = "people/sam-rivera";
constexpr char kHeadOfA[] = "people/yermak";
constexpr char kHeadOfB[] = "people/casey-morgan";
constexpr char kOrganizerPerson[] = "people/duty-officer";
constexpr char kServiceSubject[] = "services/access-matrix";

enum class Role {
  kPublic,
  kPress,
  kDelegateA,
  kDelegateB,
  kOrganizer,
  kService,
  kBadToken,
  kExpiredToken,
};
constexpr Role kRoles[] = {Role::kPublic,    Role::kPress,   Role::kDelegateA, Role::kDelegateB,
                           Role::kOrganizer, Role::kService, Role::kBadToken,  Role::kExpiredToken};

const char* NameOf(Role role) {
  switch (role) {
    case Role::kPublic:
      return "the public";
    case Role::kPress:
      return "press";
    case Role::kDelegateA:
      return "delegate A";
    case Role::kDelegateB:
      return "delegate B";
    case Role::kOrganizer:
      return "an organizer";
    case Role::kService:
      return "a service";
    case Role::kBadToken:
      return "a wrongly signed token";
    case Role::kExpiredToken:
      return "an expired token";
  }
  return "?";
}

// Who a role is, as the oracle needs it.
struct Identity {
  std::string subject;       // "people/…", "services/…", "" for the public
  std::string organization;  // the person's organization
  std::string heads;         // the delegation they head
  bool sees_everything = false;
  bool press = false;
};

Identity IdentityOf(Role role) {
  switch (role) {
    case Role::kPress:
      return {kPressPerson, "organizations/summit-press-pool", "", false, true};
    case Role::kDelegateA:
      return {kHeadOfA, "organizations/ua-presidential-office", kDelegationA, false, false};
    case Role::kDelegateB:
      return {kHeadOfB, "organizations/us-state-department", kDelegationB, false, false};
    case Role::kOrganizer:
      return {kOrganizerPerson, "organizations/summit-secretariat", "", true, false};
    case Role::kService:
      return {kServiceSubject, "", "", true, false};
    case Role::kPublic:
    case Role::kBadToken:
    case Role::kExpiredToken:
      break;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Canaries: unique strings planted in private data, and the roles that may read each.

constexpr char kEmailOfA[] = "yermak.canary@example.org";
constexpr char kEmailOfB[] = "casey.canary@example.org";
constexpr char kEmailOfAvery[] = "j.avery@example.com";  // the demo's industry representative
constexpr char kPhoneOfAvery[] = "+12025550142";
constexpr char kEmailOfPress[] = "s.rivera@example.com";
constexpr char kEmailOfOrganizer[] = "duty-officer@example.org";
constexpr char kSessionOfA[] = "CANARY-PRIVATE-SESSION-A";
constexpr char kSessionOfB[] = "CANARY-PRIVATE-SESSION-B";
constexpr char kTentativeSession[] = "CANARY-TENTATIVE-SESSION";
constexpr char kMeetingOfA[] = "CANARY-MEETING-A";
constexpr char kMeetingOfB[] = "CANARY-MEETING-B";
constexpr char kMeetingForOrganizationOfA[] = "CANARY-INVITATION-TO-ORGANIZATION-A";
constexpr char kPairRuleReason[] = "CANARY-PAIR-RULE-REASON";
constexpr char kDraftText[] = "CANARY-DRAFT-TEXT";
constexpr char kEmbargoedText[] = "CANARY-EMBARGOED-TEXT";
constexpr char kCommuniqueOfA[] = "CANARY-COMMUNIQUE-A-TEXT";
constexpr char kCommuniqueOfB[] = "CANARY-COMMUNIQUE-B-TEXT";
constexpr char kRejectionReason[] = "CANARY-REJECTION-REASON";

struct Canary {
  const char* text;
  std::set<Role> readers;
};

const std::vector<Canary>& Canaries() {
  static const auto* const kCanaries = new std::vector<Canary>{
      {kEmailOfA, {Role::kDelegateA, Role::kOrganizer, Role::kService}},
      {kEmailOfB, {Role::kDelegateB, Role::kOrganizer, Role::kService}},
      {kEmailOfAvery, {Role::kOrganizer, Role::kService}},
      {kPhoneOfAvery, {Role::kOrganizer, Role::kService}},
      {kEmailOfPress, {Role::kPress, Role::kOrganizer, Role::kService}},
      {kEmailOfOrganizer, {Role::kOrganizer, Role::kService}},
      {kSessionOfA, {Role::kDelegateA, Role::kOrganizer, Role::kService}},
      {kSessionOfB, {Role::kDelegateB, Role::kOrganizer, Role::kService}},
      {kTentativeSession, {Role::kOrganizer, Role::kService}},
      {kMeetingOfA, {Role::kDelegateA, Role::kOrganizer, Role::kService}},
      {kMeetingOfB, {Role::kDelegateB, Role::kOrganizer, Role::kService}},
      {kMeetingForOrganizationOfA, {Role::kDelegateA, Role::kOrganizer, Role::kService}},
      {kPairRuleReason, {Role::kOrganizer, Role::kService}},
      {kDraftText, {Role::kOrganizer, Role::kService}},
      {kEmbargoedText, {Role::kPress, Role::kOrganizer, Role::kService}},
      {kCommuniqueOfA, {Role::kDelegateA, Role::kOrganizer, Role::kService}},
      {kCommuniqueOfB, {Role::kDelegateB, Role::kOrganizer, Role::kService}},
      {kRejectionReason, {Role::kOrganizer, Role::kService}},
  };
  return *kCanaries;
}

const Canary& CanaryOf(absl::string_view text) {
  for (const Canary& canary : Canaries()) {
    if (canary.text == text) return canary;
  }
  ADD_FAILURE() << "no canary " << text;
  return Canaries().front();
}

// ---------------------------------------------------------------------------------------------
// The oracle: what each role may see of each resource, from the design alone.

// Whether `values` holds `value`.
template <typename Values>
bool Holds(const Values& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The statements of the world with signatories (World makes them; the demo made the joint
// one), by name, with their signatories: their heads read their revisions before publication,
// and none of them is published during the test.
const std::map<std::string, std::vector<std::string>>& SignedStatements() {
  static const auto* const kSigned = new std::map<std::string, std::vector<std::string>>{
      {absl::StrCat(kEvent, "/statements/canary-communique-a"), {kDelegationA}},
      {absl::StrCat(kEvent, "/statements/canary-communique-b"), {kDelegationB}},
      {absl::StrCat(kEvent, "/statements/canary-communique-b-draft"), {kDelegationB}},
      {absl::StrCat(kEvent, "/statements/joint-to-approve"), {kDelegationA, kDelegationB}},
      {absl::StrCat(kEvent, "/statements/joint-statement-co-production"),
       {kDelegationA, kDelegationB}},
  };
  return *kSigned;
}

// What of `resource` the role may not see ("" when nothing).
std::string ForbiddenPart(const Message& resource, const Identity& who) {
  const std::string type = resource.GetDescriptor()->full_name();
  if (who.sees_everything) {
    // Who read embargoed text is the press office's: organizers only.
    if (type == "summit.statements.v1.EmbargoedRead" && who.subject != kOrganizerPerson) {
      return "an embargoed read (organizers only)";
    }
    return "";
  }
  const bool self_known = !who.subject.empty();
  if (type == "summit.registry.v1.Person") {
    const auto& person = static_cast<const rv1::Person&>(resource);
    if (self_known && person.name() == who.subject) return "";
    if (!person.email().empty() || !person.phone().empty()) return "someone else's e-mail or phone";
  } else if (type == "summit.registry.v1.Participant") {
    const auto& participant = static_cast<const rv1::Participant&>(resource);
    if (participant.state() != rv1::Participant::STATE_APPROVED &&
        !(self_known && participant.person() == who.subject)) {
      return "someone else's accreditation that is not approved";
    }
  } else if (type == "summit.scheduling.v1.Session") {
    const auto& session = static_cast<const sv1::Session&>(resource);
    const bool public_one = session.visibility() == sv1::Session::VISIBILITY_PUBLIC &&
                            session.state() == sv1::Session::STATE_CONFIRMED;
    if (!public_one && !(self_known && Holds(session.participants(), who.subject))) {
      return "a session that is private or not confirmed, without the caller in it";
    }
  } else if (type == "summit.scheduling.v1.MeetingRequest") {
    const auto& request = static_cast<const sv1::MeetingRequest&>(resource);
    const bool takes_part =
        self_known && (request.requester() == who.subject || request.invitee() == who.subject ||
                       request.attendee() == who.subject);
    const bool to_their_organization =
        !who.organization.empty() && request.invitee() == who.organization;
    if (!takes_part && !to_their_organization) return "a meeting request of others";
  } else if (type == "summit.scheduling.v1.Availability") {
    const auto& availability = static_cast<const sv1::Availability&>(resource);
    const std::string person_id(absl::StripPrefix(who.subject, "people/"));
    if (!self_known ||
        !absl::EndsWith(availability.name(), absl::StrCat("/availabilities/", person_id))) {
      return "someone else's availability";
    }
  } else if (type == "summit.scheduling.v1.PairRule") {
    return "a pair rule (organizers and services only)";
  } else if (type == "summit.statements.v1.Statement") {
    const auto& statement = static_cast<const tv1::Statement&>(resource);
    const bool published = statement.state() == tv1::Statement::STATE_PUBLISHED ||
                           statement.state() == tv1::Statement::STATE_RETRACTED;
    if (published && !statement.embargoed()) return "";
    if (published && who.press) return "";
    if (!published && !who.heads.empty() && Holds(statement.signatories(), who.heads)) return "";
    return published ? "an embargoed statement" : "an unpublished statement";
  } else if (type == "summit.statements.v1.StatementRevision") {
    const auto& revision = static_cast<const tv1::StatementRevision&>(resource);
    const std::string statement = revision.name().substr(0, revision.name().find("/revisions/"));
    const auto signed_one = SignedStatements().find(statement);
    const bool heads_a_signatory = signed_one != SignedStatements().end() &&
                                   !who.heads.empty() && Holds(signed_one->second, who.heads);
    if (!revision.has_publish_time() && !heads_a_signatory) return "an unpublished revision";
  } else if (type == "summit.statements.v1.EmbargoedRead") {
    return "an embargoed read (organizers only)";
  }
  return "";
}

// Every resource inside `message` the role may not see, with where it is.
void FindForbidden(const Message& message, const Identity& who, const std::string& path,
                   std::vector<std::string>& found) {
  if (std::string part = ForbiddenPart(message, who); !part.empty()) {
    found.push_back(
        absl::StrCat(path, ": ", part, ": ", message.ShortDebugString().substr(0, 600)));
  }
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      const int count = message.GetReflection()->FieldSize(message, field);
      for (int i = 0; i < count; ++i) {
        FindForbidden(message.GetReflection()->GetRepeatedMessage(message, field, i), who,
                      absl::StrCat(path, ".", field->name(), "[", i, "]"), found);
      }
    } else {
      FindForbidden(message.GetReflection()->GetMessage(message, field), who,
                    absl::StrCat(path, ".", field->name()), found);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The world the table runs in: the demo, plus the private things the canaries sit in, created
// by an organizer once for the whole test binary; and fresh objects for calls that succeed.

struct Stubs {
  explicit Stubs(const Suite& suite)
      : registry(rv1::RegistryService::NewStub(suite.Channel(Server::kRegistry))),
        scheduling(sv1::SchedulingService::NewStub(suite.Channel(Server::kScheduling))),
        statements(tv1::StatementsService::NewStub(suite.Channel(Server::kStatements))) {}

  std::unique_ptr<rv1::RegistryService::Stub> registry;
  std::unique_ptr<sv1::SchedulingService::Stub> scheduling;
  std::unique_ptr<tv1::StatementsService::Stub> statements;
};

// Times on the summit's second day (7 December 2023, Washington, UTC-5), as UTC timestamps.
google::protobuf::Timestamp OnTheSecondDay(int hour, int minute) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(2023, 12, 7, hour + 5, minute), absl::UTCTimeZone())));
  return timestamp;
}

google::protobuf::Timestamp Later(google::protobuf::Timestamp time, int minutes) {
  time.set_seconds(time.seconds() + 60 * minutes);
  return time;
}

class World {
 public:
  explicit World(Suite& suite)
      : suite_(suite),
        stubs_(suite),
        organizer_(suite.Token({kOrganizerPerson, auth::Role::kOrganizer})) {}

  Suite& suite() { return suite_; }

  // A token for the role ("" for the public).
  std::string TokenOf(Role role) const {
    switch (role) {
      case Role::kPublic:
        return "";
      case Role::kPress:
        return suite_.Token({kPressPerson, auth::Role::kPress});
      case Role::kDelegateA:
        return suite_.Token({kHeadOfA, auth::Role::kDelegate});
      case Role::kDelegateB:
        return suite_.Token({kHeadOfB, auth::Role::kDelegate});
      case Role::kOrganizer:
        return organizer_;
      case Role::kService:
        return suite_.Token({kServiceSubject, auth::Role::kService});
      case Role::kBadToken:
        // An organizer's claims, signed with a key no Summit process has.
        return auth::MintToken({kOrganizerPerson, auth::Role::kOrganizer}, absl::Hours(1),
                               std::string(48, 'k'), absl::Now());
      case Role::kExpiredToken:
        return auth::MintToken({kOrganizerPerson, auth::Role::kOrganizer}, absl::Hours(1),
                               suite_.key(), absl::Now() - absl::Hours(2));
    }
    return "";
  }

  // A number no other call of this test binary uses, for fresh ids.
  int Fresh() { return ++fresh_; }
  std::string FreshId(absl::string_view prefix) { return absl::StrCat(prefix, "-", Fresh()); }

  // One call as an organizer, directly on the service; the test fails if it does.
  template <typename Stub, typename Request, typename Response>
  Response Organize(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + testing::kCallPatience));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", organizer_));
    Response response;
    EXPECT_THAT((stub.*method)(&context, request, &response), RpcOk())
        << Request::descriptor()->name() << " " << request.ShortDebugString();
    return response;
  }
  rv1::RegistryService::Stub& registry() { return *stubs_.registry; }
  sv1::SchedulingService::Stub& scheduling() { return *stubs_.scheduling; }
  tv1::StatementsService::Stub& statements() { return *stubs_.statements; }

  // ---- Fresh objects, each for one call that is to succeed.

  std::string NewEvent() {
    rv1::CreateEventRequest request = EventRequest(FreshId("made"));
    return Organize(registry(), &rv1::RegistryService::Stub::CreateEvent, request).name();
  }
  static rv1::CreateEventRequest EventRequest(const std::string& id) {
    rv1::CreateEventRequest request;
    request.set_event_id(id);
    rv1::Event* event = request.mutable_event();
    event->set_display_name("An event of the access test");
    event->set_kind(rv1::Event::KIND_FORUM);
    event->set_city("Kyiv");
    event->set_country("UA");
    event->set_time_zone("Europe/Kyiv");
    event->mutable_start_date()->set_year(2024);
    event->mutable_start_date()->set_month(3);
    event->mutable_start_date()->set_day(4);
    *event->mutable_end_date() = event->start_date();
    event->set_state(rv1::Event::STATE_PLANNED);
    return request;
  }

  std::string NewOrganization() {
    rv1::CreateOrganizationRequest request = OrganizationRequest(FreshId("org"));
    return Organize(registry(), &rv1::RegistryService::Stub::CreateOrganization, request).name();
  }
  static rv1::CreateOrganizationRequest OrganizationRequest(const std::string& id) {
    rv1::CreateOrganizationRequest request;
    request.set_organization_id(id);
    request.mutable_organization()->set_display_name("An organization of the access test");
    request.mutable_organization()->set_kind(rv1::Organization::KIND_DEFENSE_COMPANY);
    request.mutable_organization()->set_country("US");
    return request;
  }

  std::string NewPerson(const std::string& organization = "") {
    rv1::CreatePersonRequest request = PersonRequest(FreshId("person"));
    request.mutable_person()->set_organization(organization);
    return Organize(registry(), &rv1::RegistryService::Stub::CreatePerson, request).name();
  }
  static rv1::CreatePersonRequest PersonRequest(const std::string& id) {
    rv1::CreatePersonRequest request;
    request.set_person_id(id);
    request.mutable_person()->set_display_name("Pat Access");
    request.mutable_person()->set_country("US");
    return request;
  }

  // A fresh person's accreditation to `event`: PENDING, or APPROVED when `approve`.
  std::string NewParticipant(const std::string& event, bool approve,
                             const std::string& organization = "") {
    rv1::CreateParticipantRequest request;
    request.set_parent(event);
    request.mutable_participant()->set_person(NewPerson(organization));
    request.mutable_participant()->set_role(rv1::Participant::ROLE_INDUSTRY);
    const std::string name =
        Organize(registry(), &rv1::RegistryService::Stub::CreateParticipant, request).name();
    if (approve) {
      rv1::ApproveParticipantRequest approval;
      approval.set_name(name);
      Organize(registry(), &rv1::RegistryService::Stub::ApproveParticipant, approval);
    }
    return name;
  }

  std::string NewDelegation() {
    rv1::CreateDelegationRequest request;
    request.set_parent(kOtherEvent);
    request.set_delegation_id(FreshId("delegation"));
    request.mutable_delegation()->set_display_name("A delegation of the access test");
    request.mutable_delegation()->set_country("PL");
    return Organize(registry(), &rv1::RegistryService::Stub::CreateDelegation, request).name();
  }

  std::string NewRoom() {
    sv1::CreateRoomRequest request = RoomRequest(FreshId("room"));
    return Organize(scheduling(), &sv1::SchedulingService::Stub::CreateRoom, request).name();
  }
  static sv1::CreateRoomRequest RoomRequest(const std::string& id) {
    sv1::CreateRoomRequest request;
    request.set_parent(kEvent);
    request.set_room_id(id);
    request.mutable_room()->set_display_name("A room of the access test");
    request.mutable_room()->set_kind(sv1::Room::KIND_MEETING_ROOM);
    request.mutable_room()->set_capacity(8);
    return request;
  }

  std::string NewSession() {
    sv1::CreateSessionRequest request = SessionRequest(FreshId("session"));
    return Organize(scheduling(), &sv1::SchedulingService::Stub::CreateSession, request).name();
  }
  // A site visit without a room or people: it clashes with nothing.
  static sv1::CreateSessionRequest SessionRequest(const std::string& id) {
    sv1::CreateSessionRequest request;
    request.set_parent(kEvent);
    request.set_session_id(id);
    sv1::Session* session = request.mutable_session();
    session->set_title("A visit of the access test");
    session->set_kind(sv1::Session::KIND_SITE_VISIT);
    session->set_location("Union Station");
    *session->mutable_start_time() = OnTheSecondDay(21, 0);
    *session->mutable_end_time() = OnTheSecondDay(21, 30);
    session->set_visibility(sv1::Session::VISIBILITY_PUBLIC);
    session->set_state(sv1::Session::STATE_CONFIRMED);
    return request;
  }

  std::string NewMeetingRequest(const std::string& requester, const std::string& invitee,
                                const std::string& topic = "A meeting of the access test") {
    sv1::CreateMeetingRequestRequest request =
        MeetingRequestRequest(FreshId("meeting"), requester, invitee, topic);
    return Organize(scheduling(), &sv1::SchedulingService::Stub::CreateMeetingRequest, request)
        .name();
  }
  static sv1::CreateMeetingRequestRequest MeetingRequestRequest(const std::string& id,
                                                                const std::string& requester,
                                                                const std::string& invitee,
                                                                const std::string& topic) {
    sv1::CreateMeetingRequestRequest request;
    request.set_parent(kEvent);
    request.set_meeting_request_id(id);
    request.mutable_meeting_request()->set_requester(requester);
    request.mutable_meeting_request()->set_invitee(invitee);
    request.mutable_meeting_request()->set_topic(topic);
    request.mutable_meeting_request()->mutable_duration()->set_seconds(20 * 60);
    return request;
  }

  std::string NewPairRule(const std::string& reason = "A rule of the access test") {
    sv1::CreatePairRuleRequest request;
    request.set_parent(kEvent);
    request.set_pair_rule_id(FreshId("rule"));
    request.mutable_pair_rule()->set_organization_a(NewOrganization());
    request.mutable_pair_rule()->set_organization_b(NewOrganization());
    request.mutable_pair_rule()->set_reason(reason);
    return Organize(scheduling(), &sv1::SchedulingService::Stub::CreatePairRule, request).name();
  }

  sv1::SchedulePlan Propose() {
    sv1::ProposeScheduleRequest request;
    request.set_event(kEvent);
    return Organize(scheduling(), &sv1::SchedulingService::Stub::ProposeSchedule, request);
  }

  // A statement of the summit, taken through its life up to `state` (DRAFT, IN_REVIEW,
  // APPROVED or PUBLISHED). `statement` gives its kind and text; a press release by default.
  tv1::Statement NewStatement(tv1::Statement::State state, const std::string& id = "",
                              tv1::Statement statement = PressRelease("A statement of the test")) {
    tv1::CreateStatementRequest request;
    request.set_parent(kEvent);
    request.set_statement_id(id.empty() ? FreshId("statement") : id);
    *request.mutable_statement() = std::move(statement);
    tv1::Statement made =
        Organize(statements(), &tv1::StatementsService::Stub::CreateStatement, request);
    if (state == tv1::Statement::STATE_DRAFT) return made;
    tv1::SubmitStatementRequest submit;
    submit.set_name(made.name());
    made = Organize(statements(), &tv1::StatementsService::Stub::SubmitStatement, submit);
    if (state == tv1::Statement::STATE_IN_REVIEW) return made;
    tv1::ApproveStatementRequest approve;
    approve.set_name(made.name());
    approve.set_text_hash(made.text_hash());
    made = Organize(statements(), &tv1::StatementsService::Stub::ApproveStatement, approve);
    if (state == tv1::Statement::STATE_APPROVED) return made;
    tv1::PublishStatementRequest publish;
    publish.set_name(made.name());
    return Organize(statements(), &tv1::StatementsService::Stub::PublishStatement, publish);
  }
  static tv1::Statement PressRelease(const std::string& text) {
    tv1::Statement statement;
    statement.set_kind(tv1::Statement::KIND_PRESS_RELEASE);
    statement.set_title("A press release of the access test");
    tv1::StatementBody* body = statement.add_bodies();
    body->set_language_code("en");
    body->set_text(text);
    body->set_original(true);
    return statement;
  }
  static tv1::Statement Communique(const std::string& text,
                                   const std::vector<std::string>& signatories) {
    tv1::Statement statement = PressRelease(text);
    statement.set_kind(signatories.size() > 1 ? tv1::Statement::KIND_JOINT_STATEMENT
                                              : tv1::Statement::KIND_COMMUNIQUE);
    statement.set_title("A communiqué of the access test");
    for (const std::string& signatory : signatories) statement.add_signatories(signatory);
    return statement;
  }

  // ---- The private things of the table, once.

  void Build() {
    // Contact details of the heads of delegation A and B.
    for (const auto& [person, email] :
         {std::pair<std::string, std::string>{kHeadOfA, kEmailOfA}, {kHeadOfB, kEmailOfB}}) {
      rv1::UpdatePersonRequest update;
      update.mutable_person()->set_name(person);
      update.mutable_person()->set_email(email);
      update.mutable_update_mask()->add_paths("email");
      Organize(registry(), &rv1::RegistryService::Stub::UpdatePerson, update);
    }
    // Another event, for writes that must not touch the summit.
    Organize(registry(), &rv1::RegistryService::Stub::CreateEvent, EventRequest("access-event"));
    rv1::CreateDelegationRequest delegation;
    delegation.set_parent(kOtherEvent);
    delegation.set_delegation_id("access-delegation");
    delegation.mutable_delegation()->set_display_name("The access test's delegation");
    delegation.mutable_delegation()->set_country("PL");
    Organize(registry(), &rv1::RegistryService::Stub::CreateDelegation, delegation);
    // A company delegation A's office may not meet (a pair rule), with an approved
    // representative; and an accreditation rejected with a reason.
    Organize(registry(), &rv1::RegistryService::Stub::CreateOrganization,
             OrganizationRequest("canary-org"));
    rv1::CreatePersonRequest representative = PersonRequest("canary-rep");
    representative.mutable_person()->set_organization("organizations/canary-org");
    Organize(registry(), &rv1::RegistryService::Stub::CreatePerson, representative);
    Accredit("canary-rep");
    rv1::ApproveParticipantRequest approve;
    approve.set_name("events/udib-2023/participants/canary-rep");
    Organize(registry(), &rv1::RegistryService::Stub::ApproveParticipant, approve);
    Organize(registry(), &rv1::RegistryService::Stub::CreatePerson,
             PersonRequest("canary-rejected"));
    Accredit("canary-rejected");
    rv1::RejectParticipantRequest reject;
    reject.set_name("events/udib-2023/participants/canary-rejected");
    reject.set_reason(kRejectionReason);
    Organize(registry(), &rv1::RegistryService::Stub::RejectParticipant, reject);

    // Sessions: private ones of A's and B's heads, a tentative public one, and one to change.
    MakeSession("canary-session-a", kSessionOfA, {kHeadOfA}, sv1::Session::VISIBILITY_PRIVATE,
                sv1::Session::STATE_CONFIRMED);
    MakeSession("canary-session-b", kSessionOfB, {kHeadOfB}, sv1::Session::VISIBILITY_PRIVATE,
                sv1::Session::STATE_CONFIRMED);
    MakeSession("canary-tentative", kTentativeSession, {"people/jordan-avery"},
                sv1::Session::VISIBILITY_PUBLIC, sv1::Session::STATE_TENTATIVE);
    Organize(scheduling(), &sv1::SchedulingService::Stub::CreateSession,
             SessionRequest("access-session"));
    Organize(scheduling(), &sv1::SchedulingService::Stub::CreateRoom, RoomRequest("access-room"));
    // Meeting requests: A's, B's, one to A's organization, one to A.
    Organize(
        scheduling(), &sv1::SchedulingService::Stub::CreateMeetingRequest,
        MeetingRequestRequest("canary-meeting-a", kHeadOfA, "people/jordan-avery", kMeetingOfA));
    Organize(
        scheduling(), &sv1::SchedulingService::Stub::CreateMeetingRequest,
        MeetingRequestRequest("canary-meeting-b", kHeadOfB, "people/olena-kovalenko", kMeetingOfB));
    Organize(
        scheduling(), &sv1::SchedulingService::Stub::CreateMeetingRequest,
        MeetingRequestRequest("canary-meeting-org", "people/jordan-avery",
                              "organizations/ua-presidential-office", kMeetingForOrganizationOfA));
    Organize(scheduling(), &sv1::SchedulingService::Stub::CreateMeetingRequest,
             MeetingRequestRequest("invitation-of-a", "people/jordan-avery", kHeadOfA,
                                   "A question for the head of delegation A"));
    // Availabilities of A and B.
    for (const std::string& person : {"yermak", "casey-morgan"}) {
      sv1::SetAvailabilityRequest availability;
      availability.mutable_availability()->set_name(
          absl::StrCat(kEvent, "/availabilities/", person));
      sv1::TimeInterval* early = availability.mutable_availability()->add_unavailable();
      *early->mutable_start_time() = OnTheSecondDay(6, 0);
      *early->mutable_end_time() = OnTheSecondDay(7, 0);
      Organize(scheduling(), &sv1::SchedulingService::Stub::SetAvailability, availability);
    }
    // A pair rule: delegation A's office and the canary company.
    sv1::CreatePairRuleRequest rule;
    rule.set_parent(kEvent);
    rule.set_pair_rule_id("canary-rule");
    rule.mutable_pair_rule()->set_organization_a("organizations/ua-presidential-office");
    rule.mutable_pair_rule()->set_organization_b("organizations/canary-org");
    rule.mutable_pair_rule()->set_reason(kPairRuleReason);
    Organize(scheduling(), &sv1::SchedulingService::Stub::CreatePairRule, rule);

    // Statements: a draft; one published under an embargo a month long; communiqués of A and
    // of B in review, and B's in draft; a joint statement of both to approve; one approved and
    // one published, to be changed. The feed's sentinel last.
    NewStatement(tv1::Statement::STATE_DRAFT, "canary-draft", PressRelease(kDraftText));
    tv1::Statement embargoed = PressRelease(kEmbargoedText);
    embargoed.mutable_embargo_time()->set_seconds(
        absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 30)));
    NewStatement(tv1::Statement::STATE_PUBLISHED, "canary-embargoed", embargoed);
    NewStatement(tv1::Statement::STATE_IN_REVIEW, "canary-communique-a",
                 Communique(kCommuniqueOfA, {kDelegationA}));
    NewStatement(tv1::Statement::STATE_IN_REVIEW, "canary-communique-b",
                 Communique(kCommuniqueOfB, {kDelegationB}));
    draft_of_b_ = NewStatement(tv1::Statement::STATE_DRAFT, "canary-communique-b-draft",
                               Communique(kCommuniqueOfB, {kDelegationB}));
    to_approve_ =
        NewStatement(tv1::Statement::STATE_IN_REVIEW, "joint-to-approve",
                     Communique("Both delegations approve this.", {kDelegationA, kDelegationB}));
    NewStatement(tv1::Statement::STATE_APPROVED, "approved-to-publish");
    NewStatement(tv1::Statement::STATE_PUBLISHED, "published-to-change");
    NewStatement(tv1::Statement::STATE_PUBLISHED, "feed-sentinel",
                 PressRelease("The last publication of the access test's world."));
  }

  // The joint statement delegate A approves, and B's draft communiqué.
  const tv1::Statement& to_approve() const { return to_approve_; }
  const tv1::Statement& draft_of_b() const { return draft_of_b_; }

 private:
  void Accredit(const std::string& person_id) {
    rv1::CreateParticipantRequest request;
    request.set_parent(kEvent);
    request.mutable_participant()->set_person(absl::StrCat("people/", person_id));
    request.mutable_participant()->set_role(rv1::Participant::ROLE_INDUSTRY);
    Organize(registry(), &rv1::RegistryService::Stub::CreateParticipant, request);
  }

  // A session in the evening of the second day, after the programme.
  void MakeSession(const std::string& id, const std::string& title,
                   const std::vector<std::string>& people, sv1::Session::Visibility visibility,
                   sv1::Session::State state) {
    sv1::CreateSessionRequest request = SessionRequest(id);
    sv1::Session* session = request.mutable_session();
    session->set_title(title);
    *session->mutable_start_time() = OnTheSecondDay(19, 0);
    *session->mutable_end_time() = OnTheSecondDay(19, 30);
    for (const std::string& person : people) session->add_participants(person);
    session->set_visibility(visibility);
    session->set_state(state);
    Organize(scheduling(), &sv1::SchedulingService::Stub::CreateSession, request);
  }

  Suite& suite_;
  Stubs stubs_;
  const std::string organizer_;
  int fresh_ = 0;
  tv1::Statement to_approve_;
  tv1::Statement draft_of_b_;
};

// ---------------------------------------------------------------------------------------------
// The table.

enum class Risk { kApi1ObjectLevel, kApi3PropertyLevel, kApi5FunctionLevel };

const char* NameOf(Risk risk) {
  switch (risk) {
    case Risk::kApi1ObjectLevel:
      return "OWASP API1 (object level)";
    case Risk::kApi3PropertyLevel:
      return "OWASP API3 (property level)";
    case Risk::kApi5FunctionLevel:
      return "OWASP API5 (function level)";
  }
  return "?";
}

constexpr Code OK = Code::OK;
constexpr Code NF = Code::NOT_FOUND;
constexpr Code PD = Code::PERMISSION_DENIED;
constexpr Code UA = Code::UNAUTHENTICATED;
constexpr Code FP = Code::FAILED_PRECONDITION;

// What each role with a good token, or none, gets. A wrongly signed or expired token gets
// UNAUTHENTICATED everywhere: it is never taken for the public.
struct Outcomes {
  Code public_caller, press, delegate_a, delegate_b, organizer, service;

  Code For(Role role) const {
    switch (role) {
      case Role::kPublic:
        return public_caller;
      case Role::kPress:
        return press;
      case Role::kDelegateA:
        return delegate_a;
      case Role::kDelegateB:
        return delegate_b;
      case Role::kOrganizer:
        return organizer;
      case Role::kService:
        return service;
      case Role::kBadToken:
      case Role::kExpiredToken:
        break;
    }
    return UA;
  }
};

Outcomes Everyone(Code code) { return {code, code, code, code, code, code}; }
// Writes of the secretariat: a caller without a token is asked for one; any other role is
// refused, services included (they read everything and write nothing).
Outcomes OrganizerOnly() { return {UA, PD, PD, PD, OK, PD}; }

// One call of a row: who calls, and whether the table says it succeeds (then the request may
// need a fresh object, which the call may use up; a refused call is made on an existing one,
// which it must leave as it was).
struct Attempt {
  Role role;
  bool succeeds;
};

using BuildRequest = std::function<std::unique_ptr<Message>(World&, const Attempt&)>;

template <typename Request>
BuildRequest Req(std::function<void(Request&, World&, const Attempt&)> fill) {
  return [fill = std::move(fill)](World& world, const Attempt& attempt) {
    auto request = std::make_unique<Request>();
    fill(*request, world, attempt);
    return std::unique_ptr<Message>(std::move(request));
  };
}

struct Row {
  std::string method;  // full name, e.g. "summit.registry.v1.RegistryService.GetPerson"
  std::string object;  // what the call is on, in words
  Risk risk;
  Outcomes outcomes;
  BuildRequest request;
  // Canaries the answer shows to every role that may read them (when the call succeeds).
  std::vector<const char*> shows;
};

std::string R(absl::string_view method) {
  return absl::StrCat("summit.registry.v1.RegistryService.", method);
}
std::string S(absl::string_view method) {
  return absl::StrCat("summit.scheduling.v1.SchedulingService.", method);
}
std::string T(absl::string_view method) {
  return absl::StrCat("summit.statements.v1.StatementsService.", method);
}
std::string G(absl::string_view method) {
  return absl::StrCat("summit.gateway.v1.GatewayService.", method);
}

std::string In(absl::string_view collection, absl::string_view id) {
  return absl::StrCat(kEvent, "/", collection, "/", id);
}

constexpr char kSentinel[] = "events/udib-2023/statements/feed-sentinel";
constexpr Risk kApi1 = Risk::kApi1ObjectLevel;
constexpr Risk kApi3 = Risk::kApi3PropertyLevel;
constexpr Risk kApi5 = Risk::kApi5FunctionLevel;

std::vector<Row> RegistryRows() {
  using W = World;
  using A = Attempt;
  return {
      {R("CreateEvent"), "a new event", kApi5, OrganizerOnly(),
       Req<rv1::CreateEventRequest>(
           [](auto& r, W& w, const A&) { r = World::EventRequest(w.FreshId("made")); })},
      {R("GetEvent"), "the summit", kApi1, Everyone(OK),
       Req<rv1::GetEventRequest>([](auto& r, W&, const A&) { r.set_name(kEvent); })},
      {R("ListEvents"), "every event", kApi3, Everyone(OK),
       Req<rv1::ListEventsRequest>([](auto&, W&, const A&) {})},
      {R("UpdateEvent"), "the access test's event", kApi5, OrganizerOnly(),
       Req<rv1::UpdateEventRequest>([](auto& r, W& w, const A&) {
         r.mutable_event()->set_name(kOtherEvent);
         r.mutable_event()->set_display_name(absl::StrCat("Renamed ", w.Fresh()));
         r.mutable_update_mask()->add_paths("display_name");
       })},
      {R("DeleteEvent"), "an event", kApi5, OrganizerOnly(),
       Req<rv1::DeleteEventRequest>(
           [](auto& r, W& w, const A& a) { r.set_name(a.succeeds ? w.NewEvent() : kOtherEvent); })},
      {R("CreateOrganization"), "a new organization", kApi5, OrganizerOnly(),
       Req<rv1::CreateOrganizationRequest>(
           [](auto& r, W& w, const A&) { r = World::OrganizationRequest(w.FreshId("org")); })},
      {R("GetOrganization"), "a company", kApi1, Everyone(OK),
       Req<rv1::GetOrganizationRequest>(
           [](auto& r, W&, const A&) { r.set_name("organizations/canary-org"); })},
      {R("ListOrganizations"), "every organization", kApi3, Everyone(OK),
       Req<rv1::ListOrganizationsRequest>([](auto& r, W&, const A&) { r.set_page_size(1000); })},
      {R("UpdateOrganization"), "a company", kApi5, OrganizerOnly(),
       Req<rv1::UpdateOrganizationRequest>([](auto& r, W& w, const A&) {
         r.mutable_organization()->set_name("organizations/canary-org");
         r.mutable_organization()->set_display_name(absl::StrCat("Renamed ", w.Fresh()));
         r.mutable_update_mask()->add_paths("display_name");
       })},
      {R("DeleteOrganization"), "an organization", kApi5, OrganizerOnly(),
       Req<rv1::DeleteOrganizationRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewOrganization() : "organizations/canary-org");
       })},
      {R("CreatePerson"), "a new person", kApi5, OrganizerOnly(),
       Req<rv1::CreatePersonRequest>(
           [](auto& r, W& w, const A&) { r = World::PersonRequest(w.FreshId("person")); })},
      {R("GetPerson"),
       "the head of delegation A",
       kApi3,
       Everyone(OK),
       Req<rv1::GetPersonRequest>([](auto& r, W&, const A&) { r.set_name(kHeadOfA); }),
       {kEmailOfA}},
      {R("GetPerson"),
       "the head of delegation B",
       kApi3,
       Everyone(OK),
       Req<rv1::GetPersonRequest>([](auto& r, W&, const A&) { r.set_name(kHeadOfB); }),
       {kEmailOfB}},
      {R("GetPerson"),
       "an industry representative",
       kApi3,
       Everyone(OK),
       Req<rv1::GetPersonRequest>([](auto& r, W&, const A&) { r.set_name("people/jordan-avery"); }),
       {kEmailOfAvery, kPhoneOfAvery}},
      {R("BatchGetPeople"),
       "people with contact details",
       kApi3,
       Everyone(OK),
       Req<rv1::BatchGetPeopleRequest>([](auto& r, W&, const A&) {
         for (const char* person :
              {kHeadOfA, kHeadOfB, "people/jordan-avery", kPressPerson, kOrganizerPerson}) {
           r.add_names(person);
         }
       }),
       {kEmailOfA, kEmailOfB, kEmailOfAvery, kEmailOfPress, kEmailOfOrganizer}},
      {R("ListPeople"),
       "everyone",
       kApi3,
       Everyone(OK),
       Req<rv1::ListPeopleRequest>([](auto& r, W&, const A&) { r.set_page_size(1000); }),
       {kEmailOfA, kEmailOfB, kEmailOfAvery, kEmailOfPress, kEmailOfOrganizer}},
      {R("SearchPeople"),
       "\"morgan\"",
       kApi3,
       Everyone(OK),
       Req<rv1::SearchPeopleRequest>([](auto& r, W&, const A&) { r.set_query("morgan"); }),
       {kEmailOfB, kEmailOfOrganizer}},
      {R("UpdatePerson"), "a company's representative", kApi5, OrganizerOnly(),
       Req<rv1::UpdatePersonRequest>([](auto& r, W& w, const A&) {
         r.mutable_person()->set_name("people/canary-rep");
         r.mutable_person()->set_title(absl::StrCat("Director ", w.Fresh()));
         r.mutable_update_mask()->add_paths("title");
       })},
      {R("DeletePerson"), "a person", kApi5, OrganizerOnly(),
       Req<rv1::DeletePersonRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewPerson() : "people/canary-rep");
       })},
      {R("CreateDelegation"), "a new delegation", kApi5, OrganizerOnly(),
       Req<rv1::CreateDelegationRequest>([](auto& r, W& w, const A&) {
         r.set_parent(kOtherEvent);
         r.set_delegation_id(w.FreshId("delegation"));
         r.mutable_delegation()->set_display_name("A new delegation");
         r.mutable_delegation()->set_country("PL");
       })},
      {R("GetDelegation"), "delegation A", kApi1, Everyone(OK),
       Req<rv1::GetDelegationRequest>([](auto& r, W&, const A&) { r.set_name(kDelegationA); })},
      {R("ListDelegations"), "the summit's delegations", kApi3, Everyone(OK),
       Req<rv1::ListDelegationsRequest>([](auto& r, W&, const A&) { r.set_parent(kEvent); })},
      {R("UpdateDelegation"), "a delegation", kApi5, OrganizerOnly(),
       Req<rv1::UpdateDelegationRequest>([](auto& r, W& w, const A&) {
         r.mutable_delegation()->set_name("events/access-event/delegations/access-delegation");
         r.mutable_delegation()->set_display_name(absl::StrCat("Renamed ", w.Fresh()));
         r.mutable_update_mask()->add_paths("display_name");
       })},
      {R("DeleteDelegation"), "a delegation", kApi5, OrganizerOnly(),
       Req<rv1::DeleteDelegationRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewDelegation()
                               : "events/access-event/delegations/access-delegation");
       })},
      {R("CreateParticipant"), "a new accreditation", kApi5, OrganizerOnly(),
       Req<rv1::CreateParticipantRequest>([](auto& r, W& w, const A& a) {
         r.set_parent(kOtherEvent);
         r.mutable_participant()->set_person(a.succeeds ? w.NewPerson() : "people/canary-rep");
         r.mutable_participant()->set_role(rv1::Participant::ROLE_INDUSTRY);
       })},
      {R("GetParticipant"), "an approved accreditation", kApi1, Everyone(OK),
       Req<rv1::GetParticipantRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("participants", "umerov")); })},
      {R("GetParticipant"),
       "a pending accreditation",
       kApi1,
       {NF, NF, NF, NF, OK, OK},
       Req<rv1::GetParticipantRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("participants", "zelensky")); })},
      {R("GetParticipant"),
       "a rejected accreditation",
       kApi1,
       {NF, NF, NF, NF, OK, OK},
       Req<rv1::GetParticipantRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("participants", "canary-rejected")); }),
       {kRejectionReason}},
      {R("BatchGetParticipants"),
       "an approved and a pending accreditation",
       kApi1,
       {NF, NF, NF, NF, OK, OK},
       Req<rv1::BatchGetParticipantsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.add_names(In("participants", "umerov"));
         r.add_names(In("participants", "zelensky"));
       })},
      {R("ListParticipants"),
       "the summit's accreditations",
       kApi3,
       Everyone(OK),
       Req<rv1::ListParticipantsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_page_size(1000);
       }),
       {kRejectionReason}},
      {R("ApproveParticipant"), "a pending accreditation", kApi5, OrganizerOnly(),
       Req<rv1::ApproveParticipantRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewParticipant(kOtherEvent, false)
                               : In("participants", "zelensky"));
       })},
      {R("RejectParticipant"), "a pending accreditation", kApi5, OrganizerOnly(),
       Req<rv1::RejectParticipantRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewParticipant(kOtherEvent, false)
                               : In("participants", "zelensky"));
         r.set_reason("Not this time.");
       })},
      {R("RevokeParticipant"), "an approved accreditation", kApi5, OrganizerOnly(),
       Req<rv1::RevokeParticipantRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewParticipant(kOtherEvent, true)
                               : In("participants", "canary-rep"));
         r.set_reason("No longer.");
       })},
  };
}

std::vector<Row> SchedulingRows() {
  using W = World;
  using A = Attempt;
  return {
      {S("CreateRoom"), "a new room", kApi5, OrganizerOnly(),
       Req<sv1::CreateRoomRequest>(
           [](auto& r, W& w, const A&) { r = World::RoomRequest(w.FreshId("room")); })},
      {S("GetRoom"), "a room", kApi1, Everyone(OK),
       Req<sv1::GetRoomRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("rooms", "east-room")); })},
      {S("ListRooms"), "the summit's rooms", kApi3, Everyone(OK),
       Req<sv1::ListRoomsRequest>([](auto& r, W&, const A&) { r.set_parent(kEvent); })},
      {S("UpdateRoom"), "a room", kApi5, OrganizerOnly(),
       Req<sv1::UpdateRoomRequest>([](auto& r, W& w, const A&) {
         r.mutable_room()->set_name(In("rooms", "access-room"));
         r.mutable_room()->set_display_name(absl::StrCat("Renamed ", w.Fresh()));
         r.mutable_update_mask()->add_paths("display_name");
       })},
      {S("DeleteRoom"), "a room", kApi5, OrganizerOnly(),
       Req<sv1::DeleteRoomRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewRoom() : In("rooms", "access-room"));
       })},
      {S("CreateSession"), "a new session", kApi5, OrganizerOnly(),
       Req<sv1::CreateSessionRequest>(
           [](auto& r, W& w, const A&) { r = World::SessionRequest(w.FreshId("session")); })},
      {S("GetSession"), "the public opening plenary", kApi1, Everyone(OK),
       Req<sv1::GetSessionRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("sessions", "opening-plenary")); })},
      {S("GetSession"),
       "a private session of A's head",
       kApi1,
       {NF, NF, OK, NF, OK, OK},
       Req<sv1::GetSessionRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("sessions", "canary-session-a")); }),
       {kSessionOfA}},
      {S("GetSession"),
       "a private session of B's head",
       kApi1,
       {NF, NF, NF, OK, OK, OK},
       Req<sv1::GetSessionRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("sessions", "canary-session-b")); }),
       {kSessionOfB}},
      {S("GetSession"),
       "a public session not yet confirmed",
       kApi1,
       {NF, NF, NF, NF, OK, OK},
       Req<sv1::GetSessionRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("sessions", "canary-tentative")); }),
       {kTentativeSession}},
      {S("ListSessions"),
       "the summit's sessions",
       kApi3,
       Everyone(OK),
       Req<sv1::ListSessionsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_page_size(1000);
       }),
       {kSessionOfA, kSessionOfB, kTentativeSession}},
      {S("UpdateSession"), "a session", kApi5, OrganizerOnly(),
       Req<sv1::UpdateSessionRequest>([](auto& r, W& w, const A&) {
         r.mutable_session()->set_name(In("sessions", "access-session"));
         r.mutable_session()->set_title(absl::StrCat("Renamed ", w.Fresh()));
         r.mutable_update_mask()->add_paths("title");
       })},
      {S("CancelSession"), "a session", kApi5, OrganizerOnly(),
       Req<sv1::CancelSessionRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewSession() : In("sessions", "access-session"));
       })},
      {S("CreateMeetingRequest"),
       "a request by A's head",
       kApi5,
       {UA, PD, OK, PD, OK, PD},
       Req<sv1::CreateMeetingRequestRequest>([](auto& r, W& w, const A&) {
         r = World::MeetingRequestRequest(w.FreshId("meeting"), kHeadOfA, "people/jordan-avery",
                                          "Air defense co-production");
       })},
      {S("CreateMeetingRequest"),
       "a request a pair rule forbids",
       kApi3,
       {UA, PD, FP, PD, FP, PD},
       Req<sv1::CreateMeetingRequestRequest>([](auto& r, W& w, const A&) {
         r = World::MeetingRequestRequest(w.FreshId("meeting"), kHeadOfA, "people/canary-rep",
                                          "A meeting the rules forbid");
       })},
      {S("GetMeetingRequest"),
       "a request by A's head",
       kApi1,
       {NF, NF, OK, NF, OK, OK},
       Req<sv1::GetMeetingRequestRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("meetingRequests", "canary-meeting-a")); }),
       {kMeetingOfA}},
      {S("GetMeetingRequest"),
       "a request by B's head",
       kApi1,
       {NF, NF, NF, OK, OK, OK},
       Req<sv1::GetMeetingRequestRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("meetingRequests", "canary-meeting-b")); }),
       {kMeetingOfB}},
      {S("GetMeetingRequest"),
       "a request to A's organization",
       kApi1,
       {NF, NF, OK, NF, OK, OK},
       Req<sv1::GetMeetingRequestRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("meetingRequests", "canary-meeting-org")); }),
       {kMeetingForOrganizationOfA}},
      {S("ListMeetingRequests"),
       "the summit's meeting requests",
       kApi3,
       Everyone(OK),
       Req<sv1::ListMeetingRequestsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_page_size(1000);
       }),
       {kMeetingOfA, kMeetingOfB, kMeetingForOrganizationOfA}},
      {S("AcceptMeetingRequest"),
       "an invitation of A's head",
       kApi1,
       {NF, NF, OK, NF, OK, PD},
       Req<sv1::AcceptMeetingRequestRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewMeetingRequest("people/jordan-avery", kHeadOfA)
                               : In("meetingRequests", "invitation-of-a"));
       })},
      {S("DeclineMeetingRequest"),
       "an invitation of A's head",
       kApi1,
       {NF, NF, OK, NF, OK, PD},
       Req<sv1::DeclineMeetingRequestRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewMeetingRequest("people/jordan-avery", kHeadOfA)
                               : In("meetingRequests", "invitation-of-a"));
         r.set_reason("The agenda is full.");
       })},
      {S("WithdrawMeetingRequest"),
       "a request by A's head",
       kApi1,
       {NF, NF, OK, NF, OK, PD},
       Req<sv1::WithdrawMeetingRequestRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewMeetingRequest(kHeadOfA, "people/jordan-avery")
                               : In("meetingRequests", "canary-meeting-a"));
       })},
      {S("SetAvailability"),
       "the availability of A's head",
       kApi1,
       {UA, PD, OK, PD, OK, PD},
       Req<sv1::SetAvailabilityRequest>([](auto& r, W&, const A&) {
         r.mutable_availability()->set_name(In("availabilities", "yermak"));
         sv1::TimeInterval* early = r.mutable_availability()->add_unavailable();
         *early->mutable_start_time() = OnTheSecondDay(6, 0);
         *early->mutable_end_time() = OnTheSecondDay(7, 0);
       })},
      {S("GetAvailability"),
       "the availability of A's head",
       kApi1,
       {NF, NF, OK, NF, OK, OK},
       Req<sv1::GetAvailabilityRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("availabilities", "yermak")); })},
      {S("GetAvailability"),
       "the availability of B's head",
       kApi1,
       {NF, NF, NF, OK, OK, OK},
       Req<sv1::GetAvailabilityRequest>(
           [](auto& r, W&, const A&) { r.set_name(In("availabilities", "casey-morgan")); })},
      {S("CreatePairRule"), "a new pair rule", kApi5, OrganizerOnly(),
       Req<sv1::CreatePairRuleRequest>([](auto& r, W& w, const A& a) {
         r.set_parent(kEvent);
         r.mutable_pair_rule()->set_organization_a(a.succeeds ? w.NewOrganization()
                                                              : "organizations/canary-org");
         r.mutable_pair_rule()->set_organization_b(a.succeeds ? w.NewOrganization()
                                                              : "organizations/summit-press-pool");
         r.mutable_pair_rule()->set_reason("Conflict of interest.");
       })},
      {S("ListPairRules"),
       "the summit's pair rules",
       kApi5,
       {UA, PD, PD, PD, OK, OK},
       Req<sv1::ListPairRulesRequest>([](auto& r, W&, const A&) { r.set_parent(kEvent); }),
       {kPairRuleReason}},
      {S("DeletePairRule"), "a pair rule", kApi5, OrganizerOnly(),
       Req<sv1::DeletePairRuleRequest>([](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewPairRule() : In("pairRules", "canary-rule"));
       })},
      {S("ProposeSchedule"), "the summit", kApi5, OrganizerOnly(),
       Req<sv1::ProposeScheduleRequest>([](auto& r, W&, const A&) { r.set_event(kEvent); })},
      {S("CommitSchedule"), "a plan", kApi5, OrganizerOnly(),
       Req<sv1::CommitScheduleRequest>([](auto& r, W& w, const A& a) {
         if (a.succeeds) {
           *r.mutable_plan() = w.Propose();
         } else {
           r.mutable_plan()->set_event(kEvent);
           r.mutable_plan()->set_basis_etag("stale");
         }
       })},
      {S("ListItinerary"),
       "the whole summit",
       kApi3,
       Everyone(OK),
       Req<sv1::ListItineraryRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_page_size(1000);
       }),
       {kSessionOfA, kSessionOfB, kTentativeSession}},
      {S("ListItinerary"),
       "the head of delegation A's",
       kApi3,
       Everyone(OK),
       Req<sv1::ListItineraryRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_person(kHeadOfA);
       }),
       {kSessionOfA}},
      {S("ExportCalendar"),
       "the whole summit",
       kApi3,
       Everyone(OK),
       Req<sv1::ExportCalendarRequest>([](auto& r, W&, const A&) { r.set_parent(kEvent); }),
       {kSessionOfA, kSessionOfB, kTentativeSession}},
      {S("ExportCalendar"),
       "the head of delegation B's",
       kApi3,
       Everyone(OK),
       Req<sv1::ExportCalendarRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_person(kHeadOfB);
       }),
       {kSessionOfB}},
  };
}

std::vector<Row> StatementsRows() {
  using W = World;
  using A = Attempt;
  auto statement = [](const char* id) { return In("statements", id); };
  return {
      {T("CreateStatement"), "a new press release", kApi5, OrganizerOnly(),
       Req<tv1::CreateStatementRequest>([](auto& r, W& w, const A&) {
         r.set_parent(kEvent);
         r.set_statement_id(w.FreshId("statement"));
         *r.mutable_statement() = World::PressRelease("A new press release.");
       })},
      {T("GetStatement"), "a published quote", kApi1, Everyone(OK),
       Req<tv1::GetStatementRequest>([statement](auto& r, W&, const A&) {
         r.set_name(statement("zelensky-new-level-of-unity"));
       })},
      {T("GetStatement"),
       "a draft",
       kApi1,
       {NF, NF, NF, NF, OK, OK},
       Req<tv1::GetStatementRequest>(
           [statement](auto& r, W&, const A&) { r.set_name(statement("canary-draft")); }),
       {kDraftText}},
      {T("GetStatement"),
       "a publication under embargo",
       kApi1,
       {NF, OK, NF, NF, OK, OK},
       Req<tv1::GetStatementRequest>(
           [statement](auto& r, W&, const A&) { r.set_name(statement("canary-embargoed")); }),
       {kEmbargoedText}},
      {T("GetStatement"),
       "delegation A's communiqué in review",
       kApi1,
       {NF, NF, OK, NF, OK, OK},
       Req<tv1::GetStatementRequest>(
           [statement](auto& r, W&, const A&) { r.set_name(statement("canary-communique-a")); }),
       {kCommuniqueOfA}},
      {T("GetStatement"),
       "delegation B's communiqué in review",
       kApi1,
       {NF, NF, NF, OK, OK, OK},
       Req<tv1::GetStatementRequest>(
           [statement](auto& r, W&, const A&) { r.set_name(statement("canary-communique-b")); }),
       {kCommuniqueOfB}},
      {T("ListStatements"),
       "the summit's statements",
       kApi3,
       Everyone(OK),
       Req<tv1::ListStatementsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_page_size(1000);
       }),
       {kDraftText, kEmbargoedText, kCommuniqueOfA, kCommuniqueOfB}},
      {T("ListStatements"),
       "the statements in review",
       kApi3,
       Everyone(OK),
       Req<tv1::ListStatementsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_page_size(1000);
         r.set_filter("state = STATE_IN_REVIEW");
       }),
       {kCommuniqueOfA, kCommuniqueOfB}},
      {T("ListStatements"),
       "the latest publications",
       kApi3,
       Everyone(OK),
       Req<tv1::ListStatementsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_page_size(1000);
         r.set_order_by("publish_time desc");
       }),
       {kEmbargoedText}},
      {T("UpdateStatement"), "a draft", kApi5, OrganizerOnly(),
       Req<tv1::UpdateStatementRequest>([statement](auto& r, W& w, const A&) {
         r.mutable_statement()->set_name(statement("canary-draft"));
         r.mutable_statement()->set_title(absl::StrCat("Draft ", w.Fresh()));
         r.mutable_update_mask()->add_paths("title");
       })},
      {T("DeleteStatement"), "a draft", kApi5, OrganizerOnly(),
       Req<tv1::DeleteStatementRequest>([statement](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewStatement(tv1::Statement::STATE_DRAFT).name()
                               : statement("canary-draft"));
       })},
      {T("SubmitStatement"), "a draft", kApi5, OrganizerOnly(),
       Req<tv1::SubmitStatementRequest>([statement](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewStatement(tv1::Statement::STATE_DRAFT).name()
                               : statement("canary-draft"));
       })},
      {T("ApproveStatement"),
       "a joint statement, for delegation A",
       kApi5,
       {UA, PD, OK, PD, OK, PD},
       Req<tv1::ApproveStatementRequest>([](auto& r, W& w, const A&) {
         r.set_name(w.to_approve().name());
         r.set_text_hash(w.to_approve().text_hash());
         r.set_delegation(kDelegationA);
       })},
      {T("ApproveStatement"),
       "delegation B's draft communiqué, for B",
       kApi1,
       {UA, PD, NF, FP, FP, PD},
       Req<tv1::ApproveStatementRequest>([](auto& r, W& w, const A&) {
         r.set_name(w.draft_of_b().name());
         r.set_text_hash(w.draft_of_b().text_hash());
         r.set_delegation(kDelegationB);
       })},
      {T("PublishStatement"), "an approved statement", kApi5, OrganizerOnly(),
       Req<tv1::PublishStatementRequest>([statement](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewStatement(tv1::Statement::STATE_APPROVED).name()
                               : statement("approved-to-publish"));
       })},
      {T("CorrectStatement"), "a publication", kApi5, OrganizerOnly(),
       Req<tv1::CorrectStatementRequest>([statement](auto& r, W& w, const A&) {
         r.set_name(statement("published-to-change"));
         *r.add_bodies() =
             World::PressRelease(absl::StrCat("Corrected, ", w.Fresh(), " times.")).bodies(0);
         r.set_correction_note("A figure was wrong.");
       })},
      {T("RetractStatement"), "a publication", kApi5, OrganizerOnly(),
       Req<tv1::RetractStatementRequest>([statement](auto& r, W& w, const A& a) {
         r.set_name(a.succeeds ? w.NewStatement(tv1::Statement::STATE_PUBLISHED).name()
                               : statement("published-to-change"));
         r.set_reason("Published in error.");
       })},
      {T("ListStatementRevisions"),
       "a publication under embargo",
       kApi1,
       {NF, OK, NF, NF, OK, OK},
       Req<tv1::ListStatementRevisionsRequest>(
           [statement](auto& r, W&, const A&) { r.set_name(statement("canary-embargoed")); }),
       {kEmbargoedText}},
      {T("ListStatementRevisions"),
       "a draft",
       kApi1,
       {NF, NF, NF, NF, OK, OK},
       Req<tv1::ListStatementRevisionsRequest>(
           [statement](auto& r, W&, const A&) { r.set_name(statement("canary-draft")); }),
       {kDraftText}},
      {T("ListStatementRevisions"),
       "delegation A's communiqué in review",
       kApi1,
       {NF, NF, OK, NF, OK, OK},
       Req<tv1::ListStatementRevisionsRequest>([statement](auto& r, W&, const A&) {
         r.set_name(statement("canary-communique-a"));
       }),
       {kCommuniqueOfA}},
      {T("SearchStatements"),
       "\"canary\"",
       kApi3,
       Everyone(OK),
       Req<tv1::SearchStatementsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_query("canary");
         r.set_page_size(100);
       }),
       {kDraftText, kEmbargoedText, kCommuniqueOfA, kCommuniqueOfB}},
      {T("WatchStatements"),
       "the feed from its beginning",
       kApi3,
       Everyone(OK),
       Req<tv1::WatchStatementsRequest>([](auto& r, W&, const A&) {
         r.set_parent(kEvent);
         r.set_from_beginning(true);
       }),
       {kEmbargoedText}},
      {T("ListEmbargoedReads"),
       "who read embargoed text",
       kApi5,
       {UA, PD, PD, PD, OK, PD},
       Req<tv1::ListEmbargoedReadsRequest>([](auto& r, W&, const A&) { r.set_parent(kEvent); })},
  };
}

std::vector<Row> GatewayRows() {
  using W = World;
  using A = Attempt;
  return {
      {G("GetEventOverview"),
       "the summit's second day",
       kApi3,
       Everyone(OK),
       Req<gv1::GetEventOverviewRequest>([](auto& r, W&, const A&) {
         r.set_event(kEvent);
         r.mutable_day()->set_year(2023);
         r.mutable_day()->set_month(12);
         r.mutable_day()->set_day(7);
       }),
       {kSessionOfA, kSessionOfB, kTentativeSession}},
      {G("GetPersonBriefing"),
       "the head of delegation A",
       kApi3,
       Everyone(OK),
       Req<gv1::GetPersonBriefingRequest>([](auto& r, W&, const A&) {
         r.set_person(kHeadOfA);
         r.set_event(kEvent);
       }),
       {kEmailOfA, kSessionOfA}},
      {G("GetPersonBriefing"),
       "the head of delegation B",
       kApi3,
       Everyone(OK),
       Req<gv1::GetPersonBriefingRequest>([](auto& r, W&, const A&) {
         r.set_person(kHeadOfB);
         r.set_event(kEvent);
       }),
       {kEmailOfB, kSessionOfB}},
      {G("GetDelegationBriefing"),
       "delegation A",
       kApi3,
       Everyone(OK),
       Req<gv1::GetDelegationBriefingRequest>(
           [](auto& r, W&, const A&) { r.set_delegation(kDelegationA); }),
       {kSessionOfA, kCommuniqueOfA}},
      {G("GetDelegationBriefing"),
       "delegation B",
       kApi3,
       Everyone(OK),
       Req<gv1::GetDelegationBriefingRequest>(
           [](auto& r, W&, const A&) { r.set_delegation(kDelegationB); }),
       {kSessionOfB, kCommuniqueOfB}},
  };
}

const std::vector<Row>& Table() {
  static const auto* const kTable = [] {
    auto* table = new std::vector<Row>();
    for (auto rows : {RegistryRows(), SchedulingRows(), StatementsRows(), GatewayRows()}) {
      for (Row& row : rows) table->push_back(std::move(row));
    }
    return table;
  }();
  return *kTable;
}

// ---------------------------------------------------------------------------------------------
// Running the table.

enum class Way { kDirect, kGatewayGrpc, kGatewayHttp };

const char* NameOf(Way way) {
  switch (way) {
    case Way::kDirect:
      return "directly on the service";
    case Way::kGatewayGrpc:
      return "through the gateway over gRPC";
    case Way::kGatewayHttp:
      return "through the gateway over HTTP/JSON";
  }
  return "?";
}

// Which rows and roles a test runs.
enum class Part {
  kReads,            // methods that change nothing, every role
  kRefusedWrites,    // writes, the roles the table refuses
  kSucceedingWrites  // writes, the roles the table lets through
};

bool ChangesNothing(const MethodDescriptor& method) {
  for (absl::string_view read :
       {"Get", "List", "BatchGet", "Search", "Watch", "Export", "Propose"}) {
    if (absl::StartsWith(method.name(), read)) return true;
  }
  return false;
}

// The part of `text` around `needle`, for a failure message.
std::string Around(const std::string& text, const std::string& needle) {
  const size_t at = text.find(needle);
  const size_t from = at == std::string::npos || at < 300 ? 0 : at - 300;
  return text.substr(from, 700);
}

class AccessMatrixTest : public testing::SharedSuiteTest<AccessMatrixTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "access_matrix";
    return options;
  }
  static absl::Status Prepare(Suite& suite) {
    world_ = new World(suite);
    world_->Build();
    if (::testing::Test::HasFailure()) {
      return absl::InternalError("the table's world could not be built");
    }
    return absl::OkStatus();
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
    SharedSuiteTest::TearDownTestSuite();
  }

 protected:
  // What an organizer reads of every service: equal before and after calls that must change
  // nothing.
  static std::string State() {
    absl::StatusOr<std::string> state = testing::ReadSummitState(
        suite(), {kEvent, kOtherEvent},
        {In("availabilities", "yermak"), In("availabilities", "casey-morgan")});
    EXPECT_TRUE(state.ok()) << state.status();
    return state.ok() ? *state : "";
  }

  // Every (row, role, way) of `part`; returns how many calls it made.
  static int RunTable(Part part) {
    int calls = 0;
    for (const Row& row : Table()) {
      const MethodDescriptor* method =
          google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(row.method);
      if (method == nullptr) {
        ADD_FAILURE() << row.method << " is not a method of the contract";
        continue;
      }
      const bool reads = ChangesNothing(*method);
      if (reads != (part == Part::kReads)) continue;
      for (Role role : kRoles) {
        const bool succeeds = row.outcomes.For(role) == OK;
        if (part == Part::kRefusedWrites && succeeds) continue;
        if (part == Part::kSucceedingWrites && !succeeds) continue;
        for (Way way : {Way::kDirect, Way::kGatewayGrpc, Way::kGatewayHttp}) {
          if (way == Way::kDirect &&
              testing::ServerOf(method->service()->full_name()) == Server::kGateway) {
            continue;
          }
          Run(row, *method, role, way);
          ++calls;
        }
      }
    }
    return calls;
  }

  // One call, and every check of its answer.
  static void Run(const Row& row, const MethodDescriptor& method, Role role, Way way) {
    const Code expected = row.outcomes.For(role);
    const std::string where = absl::StrCat(NameOf(row.risk), ": ", method.name(), " on ",
                                           row.object, ", as ", NameOf(role), ", ", NameOf(way));
    SCOPED_TRACE(where);
    std::unique_ptr<Message> request = row.request(*world_, {role, expected == OK});
    const std::string token = world_->TokenOf(role);
    const StopAfter until_sentinel = [](const Message& event) {
      return absl::StrContains(event.ShortDebugString(), kSentinel);
    };
    const StopAfter stop = method.server_streaming() ? until_sentinel : nullptr;
    AnyCallResult result =
        way == Way::kGatewayHttp
            ? CallOverHttp(suite().http_port(), method, *request, token, stop)
            : CallOverGrpc(suite().Channel(way == Way::kGatewayGrpc
                                               ? Server::kGateway
                                               : testing::ServerOf(method.service()->full_name())),
                           method, *request, token, stop);

    // The outcome the table gives.
    EXPECT_EQ(result.status.error_code(), expected)
        << where << ": expected code " << static_cast<int>(expected) << ", got "
        << Describe(result.status) << "\nrequest: " << request->ShortDebugString();
    if (!result.status.ok()) {
      EXPECT_FALSE(result.status.error_message().empty()) << where << ": an error without words";
      // Over HTTP, an error is its HTTP status too, also for a stream that never began.
      if (way == Way::kGatewayHttp && result.responses.empty()) {
        EXPECT_EQ(result.http_status, testing::HttpStatusOf(result.status.error_code())) << where;
      }
    }
    if (role == Role::kBadToken || role == Role::kExpiredToken) {
      EXPECT_EQ(testing::DetailsOf(result.status).reason,
                role == Role::kBadToken ? auth::kReasonTokenBadSignature
                                        : auth::kReasonTokenExpired)
          << where << ": " << Describe(result.status);
    }
    // Nothing the role may not read, anywhere in what it was told.
    for (const Canary& canary : Canaries()) {
      if (canary.readers.count(role) > 0) continue;
      if (absl::StrContains(result.everything, canary.text)) {
        ADD_FAILURE() << where << " leaks " << canary.text << ":\n"
                      << Around(result.everything, canary.text);
      }
    }
    std::vector<std::string> forbidden;
    for (const auto& response : result.responses) {
      FindForbidden(*response, IdentityOf(role), response->GetDescriptor()->name(), forbidden);
    }
    for (const std::string& found : forbidden) ADD_FAILURE() << where << " shows " << found;
    // And what it may read is there.
    if (result.status.ok()) {
      for (const char* shown : row.shows) {
        if (CanaryOf(shown).readers.count(role) == 0) continue;
        EXPECT_TRUE(absl::StrContains(result.everything, shown))
            << where << ": " << shown << " is missing from " << result.everything.substr(0, 3000);
      }
    }
  }

  static inline World* world_ = nullptr;
};

TEST_F(AccessMatrixTest, EveryRpcOfEveryServiceHasARow) {
  std::set<std::string> in_table;
  for (const Row& row : Table()) in_table.insert(row.method);
  const std::vector<std::string> methods = testing::EveryMethodOfTheContract();
  // Registry, Scheduling, Statements and the gateway's views: the contract as it is read.
  ASSERT_GE(methods.size(), 70u) << "the descriptor set holds fewer methods than the contract";
  for (const std::string& method : methods) {
    EXPECT_EQ(in_table.count(method), 1u)
        << method << " has no row in the access table: say who may call it, and test it";
  }
  for (const std::string& method : in_table) {
    EXPECT_NE(std::find(methods.begin(), methods.end(), method), methods.end())
        << method << " is in the table but not in the contract";
  }
}

// API1 and API3: every read, by every role, every way in, shows only what the role may see,
// and changes nothing.
TEST_F(AccessMatrixTest, Api1Api3EveryReadShowsEachRoleOnlyWhatItMaySee) {
  const std::string before = State();
  const int calls = RunTable(Part::kReads);
  EXPECT_GT(calls, 0);
  const std::string after = State();
  EXPECT_TRUE(testing::Unchanged(before, after)) << "reads changed the services";
}

// API5 and API1: every write the table refuses is refused, each way in, and changes nothing.
TEST_F(AccessMatrixTest, Api5Api1RefusedWritesAreRefusedAndChangeNothing) {
  const std::string before = State();
  const int calls = RunTable(Part::kRefusedWrites);
  EXPECT_GT(calls, 0);
  const std::string after = State();
  EXPECT_TRUE(testing::Unchanged(before, after)) << "refused writes changed the services";
}

// API5: every write the table allows succeeds, each way in, for each role it allows.
TEST_F(AccessMatrixTest, Api5AllowedWritesSucceed) {
  EXPECT_GT(RunTable(Part::kSucceedingWrites), 0);
}

// Every way press can read embargoed text leaves a record an organizer reads: each read method
// that shows the embargoed canary to press, called as press, adds a read by press of it.
TEST_F(AccessMatrixTest, EveryPressReadOfEmbargoedTextIsRecorded) {
  const MethodDescriptor* list_reads =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(T("ListEmbargoedReads"));
  ASSERT_NE(list_reads, nullptr);
  auto reads_by_method = [&] {
    tv1::ListEmbargoedReadsRequest request;
    request.set_parent(kEvent);
    request.set_statement(In("statements", "canary-embargoed"));
    request.set_page_size(1000);
    const tv1::ListEmbargoedReadsResponse response = world_->Organize(
        world_->statements(), &tv1::StatementsService::Stub::ListEmbargoedReads, request);
    EXPECT_TRUE(response.next_page_token().empty()) << "more reads than a page";
    std::map<std::string, int> counts;
    for (const tv1::EmbargoedRead& read : response.reads()) {
      EXPECT_EQ(read.reader(), kPressPerson) << read.ShortDebugString();
      ++counts[read.method()];
    }
    return counts;
  };
  int methods = 0;
  for (const Row& row : Table()) {
    const MethodDescriptor* method =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(row.method);
    ASSERT_NE(method, nullptr) << row.method;
    if (method->service()->name() != "StatementsService" ||
        std::find(row.shows.begin(), row.shows.end(), std::string(kEmbargoedText)) ==
            row.shows.end()) {
      continue;
    }
    SCOPED_TRACE(absl::StrCat(method->name(), " on ", row.object));
    const std::map<std::string, int> before = reads_by_method();
    std::unique_ptr<Message> request = row.request(*world_, {Role::kPress, true});
    const AnyCallResult result =
        CallOverGrpc(suite().Channel(Server::kStatements), *method, *request,
                     world_->TokenOf(Role::kPress), [](const Message& event) {
                       return absl::StrContains(event.ShortDebugString(), kSentinel);
                     });
    ASSERT_THAT(result.status, RpcOk());
    std::map<std::string, int> after = reads_by_method();
    EXPECT_GT(after[method->name()], before.count(method->name()) ? before.at(method->name()) : 0)
        << "press read embargoed text with " << method->name() << " and no record says so";
    ++methods;
  }
  EXPECT_GE(methods, 5);
}

}  // namespace
}  // namespace summit
