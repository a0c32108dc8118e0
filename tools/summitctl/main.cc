// summitctl: the command-line client of Summit. Wiring only: each command
// lives in its own file.
#include <iostream>
#include <string>
#include <vector>

#include "common/config/flags.h"
#include "tools/summitctl/call_command.h"
#include "tools/summitctl/demo_command.h"
#include "tools/summitctl/resource_command.h"
#include "tools/summitctl/token_command.h"
#include "tools/summitctl/workflow_commands.h"

namespace {

constexpr char kUsage[] = R"(summitctl: the command-line client of Summit

Resources (any of every service, routed by name through the contract):
  summitctl get NAME                              e.g. people/umerov
  summitctl list COLLECTION [key=value…]          e.g. events/udib-2023/statements filter='kind = KIND_QUOTE'
  summitctl create COLLECTION JSON|@FILE [id=ID]  a fresh request id makes it safe to retry
  summitctl update NAME JSON|@FILE [updateMask=a,b]
  summitctl delete NAME
  summitctl VERB NAME [JSON|@FILE] [key=value…]   approve, reject, revoke, accept, decline, withdraw,
                                                  cancel, submit, publish, correct, retract, search,
                                                  listRevisions, batchGet…
  (--output=table|json; list prints a table, the rest JSON)

Workflows:
  summitctl feed events/EVENT [--from_beginning]  follow the statements feed (resumes after drops)
  summitctl calendar events/EVENT person=people/ID [FILE.ics]
  summitctl schedule propose|commit events/EVENT  the matchmaking scheduler's plan, readably
  summitctl import people FILE.csv                bulk import with progress and a per-row report
  summitctl demo load                             load the demo data, idempotently

Tools:
  summitctl call SERVICE/METHOD [JSON]   call any method, JSON in and out
  summitctl methods                      list the methods call knows
  summitctl token --role=ROLE            mint a development token

Common flags: --registry_address, --scheduling_address, --statements_address,
--token (or SUMMIT_TOKEN), --role with --auth_key_file to mint one, --timeout.
Exit codes: 0 OK, 1 usage, 2 + the gRPC status code of a failed call.)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> positional = summit::config::InitTool(argc, argv, kUsage);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.empty()) {
    std::cerr << kUsage << "\n";
    return 1;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "call") return summit::ctl::RunCall(args);
  if (command == "methods") return summit::ctl::RunListMethods();
  if (command == "token") return summit::ctl::RunToken();
  if (command == "demo") return summit::ctl::RunDemo(args);
  if (command == "feed") return summit::ctl::RunFeed(args);
  if (command == "calendar") return summit::ctl::RunCalendar(args);
  if (command == "schedule") return summit::ctl::RunSchedule(args);
  if (command == "import") return summit::ctl::RunImport(args);
  if (command == "help") {
    std::cout << kUsage << "\n";
    return 0;
  }
  if (summit::ctl::IsResourceCommand(command)) return summit::ctl::RunResourceCommand(command, args);
  std::cerr << "unknown command \"" << command << "\"\n\n" << kUsage << "\n";
  return 1;
}
