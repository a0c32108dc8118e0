// summitctl schedule: asks the matchmaking scheduler for a plan and shows it
// readably (propose), or proposes and applies it at once (commit).
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/summitctl/connection.h"
#include "tools/summitctl/raw_call.h"
#include "tools/summitctl/workflow_commands.h"

namespace summit::ctl {

namespace sv1 = ::summit::scheduling::v1;

namespace {

void PrintPlan(const sv1::SchedulePlan& plan) {
  std::cout << plan.meetings_size() << " meetings placed, " << plan.unplaced_size()
            << " not placed; total priority " << plan.objective() << " of at most "
            << plan.upper_bound();
  if (plan.upper_bound() > 0) {
    std::cout << " (" << absl::StrFormat("%.1f", 100.0 * plan.objective() / plan.upper_bound())
              << "% of the bound)";
  }
  std::cout << "\n";
  for (const sv1::PlannedMeeting& meeting : plan.meetings()) {
    std::cout << "  " << absl::FormatTime("%a %H:%M", absl::FromUnixSeconds(meeting.start_time().seconds()),
                                          absl::UTCTimeZone())
              << "Z  " << meeting.room() << "  " << meeting.meeting_request() << "\n";
  }
  for (const sv1::UnplacedRequest& unplaced : plan.unplaced()) {
    std::cout << "  not placed: " << unplaced.meeting_request() << ": " << unplaced.explanation() << "\n";
  }
}

}  // namespace

int RunSchedule(const std::vector<std::string>& args) {
  if (args.size() != 2 || (args[0] != "propose" && args[0] != "commit")) {
    std::cerr << "usage: summitctl schedule propose|commit events/EVENT\n";
    return 1;
  }
  absl::StatusOr<std::string> token = BearerToken();
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 1;
  }
  auto stub = sv1::SchedulingService::NewStub(ChannelFor("summit.scheduling.v1.SchedulingService"));
  sv1::ProposeScheduleRequest propose;
  propose.set_event(args[1]);
  sv1::SchedulePlan plan;
  grpc::Status status = stub->ProposeSchedule(CallContext(*token).get(), propose, &plan);
  if (!status.ok()) {
    PrintError(status);
    return ExitCodeOf(status);
  }
  PrintPlan(plan);
  if (args[0] == "propose") return 0;
  sv1::CommitScheduleRequest commit;
  *commit.mutable_plan() = plan;
  sv1::CommitScheduleResponse committed;
  status = stub->CommitSchedule(CallContext(*token).get(), commit, &committed);
  if (!status.ok()) {
    PrintError(status);
    return ExitCodeOf(status);
  }
  std::cout << "committed: " << committed.sessions_size() << " sessions created\n";
  return 0;
}

}  // namespace summit::ctl
