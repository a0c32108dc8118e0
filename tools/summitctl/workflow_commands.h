// summitctl's commands that are more than one call: following the live
// feed, writing a calendar file, proposing and committing a schedule, and
// importing people from a CSV file.
//
//   summitctl feed EVENT [--from_beginning] [--output=json]
//   summitctl calendar EVENT (person=people/ID | room=events/E/rooms/R) [FILE.ics]
//   summitctl schedule propose|commit EVENT
//   summitctl import people FILE.csv
#ifndef SUMMIT_TOOLS_SUMMITCTL_WORKFLOW_COMMANDS_H_
#define SUMMIT_TOOLS_SUMMITCTL_WORKFLOW_COMMANDS_H_

#include <string>
#include <vector>

namespace summit::ctl {

int RunFeed(const std::vector<std::string>& args);
int RunCalendar(const std::vector<std::string>& args);
int RunSchedule(const std::vector<std::string>& args);
int RunImport(const std::vector<std::string>& args);

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_WORKFLOW_COMMANDS_H_
