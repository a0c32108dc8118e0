// A meeting request of any duration CreateMeetingRequest accepts is one the scheduler can place:
// on the real services loaded with the demo, on SQLite and on PostgreSQL, a 30-minute request
// on the default 20-minute grid is proposed on the grid, lasting 30 minutes, and committed as a
// 30-minute session; a duration the contract refuses is refused at creation, with a field
// violation, and nothing is made.
//
// Waits are bounded (kCallPatience) and are not measurements.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/resource_meta.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
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
using ::summit::testing::ContextAs;
using ::summit::testing::Newcomer;
using ::summit::testing::RpcInvalidOn;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::SuiteOptions;

constexpr char kEvent[] = "events/udib-2023";
const auth::Principal kOrganizer{"people/duty-officer", auth::Role::kOrganizer};

class MeetingDurationsTest : public testing::SharedSuiteTest<MeetingDurationsTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "meeting-durations";
    options.servers = {Server::kRegistry, Server::kScheduling, Server::kStatements};
    return options;
  }

 protected:
  static std::unique_ptr<sv1::SchedulingService::Stub> Scheduling() {
    return sv1::SchedulingService::NewStub(suite().Channel(Server::kScheduling));
  }
  // Two people of organizations of their own, accredited to the summit: nobody else's meeting
  // stands in their way.
  static absl::StatusOr<std::pair<rv1::Person, rv1::Person>> TwoNewcomers(const std::string& tag) {
    Newcomer asking;
    asking.id = absl::StrCat(tag, "-rep");
    asking.organization = absl::StrCat(tag, "-company");
    asking.event = kEvent;
    Newcomer asked = asking;
    asked.id = absl::StrCat(tag, "-official");
    asked.organization = absl::StrCat(tag, "-agency");
    asked.role = rv1::Participant::ROLE_HOST_GOVERNMENT;
    absl::StatusOr<rv1::Person> requester = AddNewcomer(suite(), asking);
    if (!requester.ok()) return requester.status();
    absl::StatusOr<rv1::Person> invitee = AddNewcomer(suite(), asked);
    if (!invitee.ok()) return invitee.status();
    return std::make_pair(*std::move(requester), *std::move(invitee));
  }

  static sv1::CreateMeetingRequestRequest Ask(const rv1::Person& requester,
                                              const rv1::Person& invitee, absl::Duration length) {
    sv1::CreateMeetingRequestRequest ask;
    ask.set_parent(kEvent);
    ask.mutable_meeting_request()->set_requester(requester.name());
    ask.mutable_meeting_request()->set_invitee(invitee.name());
    ask.mutable_meeting_request()->set_topic("Air-defense maintenance");
    ask.mutable_meeting_request()->mutable_duration()->set_seconds(absl::ToInt64Seconds(length));
    ask.mutable_meeting_request()->set_priority(10);
    return ask;
  }
};

TEST_F(MeetingDurationsTest, AThirtyMinuteRequestIsScheduledOnTheTwentyMinuteGrid) {
  ASSERT_OK_AND_ASSIGN(auto people, TwoNewcomers("half-hour"));
  const auto& [requester, invitee] = people;
  const auth::Principal asking{requester.name(), auth::Role::kDelegate};
  const auth::Principal asked{invitee.name(), auth::Role::kDelegate};
  sv1::MeetingRequest meeting;
  ASSERT_THAT(
      Scheduling()->CreateMeetingRequest(ContextAs(suite(), asking).get(),
                                         Ask(requester, invitee, absl::Minutes(30)), &meeting),
      RpcOk());
  sv1::AcceptMeetingRequestRequest accept;
  accept.set_name(meeting.name());
  ASSERT_THAT(Scheduling()->AcceptMeetingRequest(ContextAs(suite(), asked).get(), accept, &meeting),
              RpcOk());

  sv1::ProposeScheduleRequest propose;  // the default options: 09:00–18:00, 20-minute slots
  propose.set_event(kEvent);
  sv1::SchedulePlan plan;
  ASSERT_THAT(Scheduling()->ProposeSchedule(ContextAs(suite(), kOrganizer).get(), propose, &plan),
              RpcOk());
  EXPECT_EQ(plan.options().slot_duration().seconds(), 20 * 60);
  const sv1::PlannedMeeting* planned = nullptr;
  for (const sv1::PlannedMeeting& m : plan.meetings()) {
    if (m.meeting_request() == meeting.name()) planned = &m;
  }
  for (const sv1::UnplacedRequest& u : plan.unplaced()) {
    EXPECT_NE(u.meeting_request(), meeting.name()) << u.ShortDebugString();
  }
  ASSERT_NE(planned, nullptr);
  const absl::Time start = api::FromTimestamp(planned->start_time());
  EXPECT_EQ(api::FromTimestamp(planned->end_time()) - start, absl::Minutes(30));
  // On the grid: 09:00 in Washington is 14:00 UTC, and slots start every 20 minutes from it.
  const absl::CivilMinute local = absl::ToCivilMinute(start, absl::FixedTimeZone(-5 * 60 * 60));
  EXPECT_EQ(local.minute() % 20, 0) << local;
  EXPECT_GE(local.hour(), 9);

  sv1::CommitScheduleRequest commit;
  *commit.mutable_plan() = plan;
  sv1::CommitScheduleResponse committed;
  ASSERT_THAT(
      Scheduling()->CommitSchedule(ContextAs(suite(), kOrganizer).get(), commit, &committed),
      RpcOk());
  sv1::GetMeetingRequestRequest get;
  get.set_name(meeting.name());
  ASSERT_THAT(Scheduling()->GetMeetingRequest(ContextAs(suite(), asking).get(), get, &meeting),
              RpcOk());
  EXPECT_EQ(meeting.state(), sv1::MeetingRequest::STATE_SCHEDULED) << meeting.state_reason();
  sv1::GetSessionRequest get_session;
  get_session.set_name(meeting.session());
  sv1::Session session;
  ASSERT_THAT(Scheduling()->GetSession(ContextAs(suite(), asking).get(), get_session, &session),
              RpcOk());
  EXPECT_EQ(api::FromTimestamp(session.start_time()), start);
  EXPECT_EQ(api::FromTimestamp(session.end_time()) - start, absl::Minutes(30));
  EXPECT_THAT(session.participants(), ::testing::ElementsAre(requester.name(), invitee.name()));
}

// What the contract refuses is refused when asked, naming the field, and nothing is made.
TEST_F(MeetingDurationsTest, ADurationOutsideTheContractIsRefusedAtCreation) {
  ASSERT_OK_AND_ASSIGN(auto people, TwoNewcomers("odd-length"));
  const auto& [requester, invitee] = people;
  const auth::Principal asking{requester.name(), auth::Role::kDelegate};
  for (const absl::Duration length :
       {absl::Seconds(30 * 60 + 30), absl::Minutes(5), absl::Hours(4) + absl::Minutes(1)}) {
    const sv1::CreateMeetingRequestRequest ask = Ask(requester, invitee, length);
    sv1::MeetingRequest meeting;
    EXPECT_THAT(Scheduling()->CreateMeetingRequest(ContextAs(suite(), asking).get(), ask, &meeting),
                RpcInvalidOn("meeting_request.duration"))
        << absl::FormatDuration(length);
  }
  sv1::ListMeetingRequestsRequest list;
  list.set_parent(kEvent);
  list.set_filter(absl::StrCat("requester = ", requester.name()));
  sv1::ListMeetingRequestsResponse listed;
  ASSERT_THAT(
      Scheduling()->ListMeetingRequests(ContextAs(suite(), kOrganizer).get(), list, &listed),
      RpcOk());
  EXPECT_THAT(listed.meeting_requests(), ::testing::IsEmpty());
}

}  // namespace
}  // namespace summit
