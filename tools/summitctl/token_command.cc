#include "tools/summitctl/token_command.h"

#include <iostream>

#include "absl/flags/flag.h"
#include "tools/summitctl/connection.h"

namespace summit::ctl {

int RunToken() {
  if (absl::GetFlag(FLAGS_role).empty()) {
    std::cerr << "usage: summitctl token --role=public|press|delegate|organizer|service "
                 "[--subject=people/ID] --auth_key_file=KEY\n";
    return 1;
  }
  absl::SetFlag(&FLAGS_token, "");  // mint, never echo a given one
  absl::StatusOr<std::string> token = BearerToken();
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace summit::ctl
