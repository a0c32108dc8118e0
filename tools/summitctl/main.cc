// summitctl: the command-line client of Summit. Wiring only: each command
// lives in its own file.
#include <iostream>
#include <string>
#include <vector>

#include "common/config/flags.h"
#include "tools/summitctl/call_command.h"
#include "tools/summitctl/demo_command.h"
#include "tools/summitctl/token_command.h"

namespace {

constexpr char kUsage[] = R"(summitctl: the command-line client of Summit

  summitctl call SERVICE/METHOD [JSON]   call any method, JSON in and out
  summitctl methods                      list the methods call knows
  summitctl token --role=ROLE            mint a development token
  summitctl demo load                    load the demo data, idempotently

Common flags: --registry_address, --scheduling_address, --statements_address,
--token (or SUMMIT_TOKEN), --role with --auth_key_file to mint one, --timeout.
Exit codes: 0 OK, 1 usage, 2 + the gRPC status code of a failed call.)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> positional = summit::config::InitProcess(argc, argv, kUsage);
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
  std::cerr << "unknown command \"" << command << "\"\n\n" << kUsage << "\n";
  return 1;
}
