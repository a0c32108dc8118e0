// The demo data: the Ukraine Defense Industrial Base Summit (Washington, 6–7
// December 2023) and the Kyiv Defense Industries Forum it extended, with the
// people and organizations named in ../shared/seed/summit-article.txt. The
// companies, think tank and newsroom are fictional stand-ins for "the
// defense industry, think tanks and the media" the article mentions.
//
// Pure data: the requests that create it, with fixed ids and request ids so
// that loading twice changes nothing.
#ifndef SUMMIT_TOOLS_SUMMITCTL_DEMO_DATA_H_
#define SUMMIT_TOOLS_SUMMITCTL_DEMO_DATA_H_

#include <string>
#include <vector>

#include "summit/registry/v1/registry_service.pb.h"
#include "summit/scheduling/v1/scheduling_service.pb.h"
#include "summit/statements/v1/statements_service.pb.h"

namespace summit::ctl {

struct RegistryDemo {
  std::vector<registry::v1::CreateEventRequest> events;
  std::vector<registry::v1::CreateOrganizationRequest> organizations;
  std::vector<registry::v1::CreatePersonRequest> people;
  std::vector<registry::v1::CreateParticipantRequest> participants;
  // Names of the accreditations to approve (the rest stay PENDING).
  std::vector<std::string> approvals;
  std::vector<registry::v1::CreateDelegationRequest> delegations;
};

// The two days in Washington: rooms, the fixed programme (opening plenary,
// the delegation's meetings at the White House, Congress, the Pentagon, the
// State and Commerce departments, a think-tank panel, a press conference),
// and industry meeting requests for the scheduler to place.
struct SchedulingDemo {
  std::vector<scheduling::v1::CreateRoomRequest> rooms;
  std::vector<scheduling::v1::CreateSessionRequest> sessions;
  std::vector<scheduling::v1::CreateMeetingRequestRequest> meeting_requests;
};

// What was said: the article's quotes, published, and a joint statement of
// the two delegations, embargoed until the press conference ends, approved
// by one signatory and awaiting the other.
struct StatementsDemo {
  std::vector<statements::v1::CreateStatementRequest> published;
  statements::v1::CreateStatementRequest joint;
  std::string joint_approved_by;  // the signatory that has approved
};

// The demo's main event, `events/{kDemoEventId}`.
inline constexpr char kDemoEventId[] = "udib-2023";

// Includes the generated industry representatives who ask for meetings.
RegistryDemo MakeRegistryDemo();
SchedulingDemo MakeSchedulingDemo();
StatementsDemo MakeStatementsDemo();

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_DEMO_DATA_H_
