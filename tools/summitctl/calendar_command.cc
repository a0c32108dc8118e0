// summitctl calendar: writes a person's or a room's sessions as an
// iCalendar file their calendar application imports.
#include <fstream>
#include <iostream>

#include "absl/strings/match.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/summitctl/connection.h"
#include "tools/summitctl/raw_call.h"
#include "tools/summitctl/workflow_commands.h"

namespace summit::ctl {

namespace sv1 = ::summit::scheduling::v1;

int RunCalendar(const std::vector<std::string>& args) {
  if (args.size() < 2 || args.size() > 3) {
    std::cerr << "usage: summitctl calendar events/EVENT (person=people/ID | room=ROOM) [FILE.ics]\n";
    return 1;
  }
  sv1::ExportCalendarRequest request;
  request.set_parent(args[0]);
  if (absl::StartsWith(args[1], "person=")) {
    request.set_person(args[1].substr(7));
  } else if (absl::StartsWith(args[1], "room=")) {
    request.set_room(args[1].substr(5));
  } else {
    std::cerr << "say whose calendar: person=people/ID or room=events/E/rooms/R\n";
    return 1;
  }
  absl::StatusOr<std::string> token = BearerToken();
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 1;
  }
  auto stub = sv1::SchedulingService::NewStub(ChannelFor("summit.scheduling.v1.SchedulingService"));
  sv1::ExportCalendarResponse response;
  const grpc::Status status = stub->ExportCalendar(CallContext(*token).get(), request, &response);
  if (!status.ok()) {
    PrintError(status);
    return ExitCodeOf(status);
  }
  const std::string path = args.size() == 3 ? args[2] : response.file_name();
  std::ofstream file(path, std::ios::binary);
  file << response.calendar();
  if (!file) {
    std::cerr << "cannot write " << path << "\n";
    return 1;
  }
  std::cout << "wrote " << path << "\n";
  return 0;
}

}  // namespace summit::ctl
