// `summitctl demo load`: creates the demo data (demo_data.h) in the running
// suite, idempotently: what exists already is left as it is.
#ifndef SUMMIT_TOOLS_SUMMITCTL_DEMO_COMMAND_H_
#define SUMMIT_TOOLS_SUMMITCTL_DEMO_COMMAND_H_

#include <string>
#include <vector>

namespace summit::ctl {

int RunDemo(const std::vector<std::string>& args);

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_DEMO_COMMAND_H_
