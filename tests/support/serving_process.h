// A Summit binary of this build started as a child process and serving: where the binary is,
// and the ports it logged once it serves. What every integration test that runs real servers
// needs first.
//
//   absl::StatusOr<ServingProcess> registry =
//       StartServing(BinaryPath("services/registry/summit-registry"), {"--listen=127.0.0.1:0", …});
//   ... grpc::CreateChannel(absl::StrCat("127.0.0.1:", registry->port), …)
//   int health = PortInLine(registry->line, "\"health_port\":");
#ifndef SUMMIT_TESTS_SUPPORT_SERVING_PROCESS_H_
#define SUMMIT_TESTS_SUPPORT_SERVING_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/support/child_process.h"

namespace summit::testing {

// How long a test waits, at most, for a server to say it serves, to exit, or to answer. A bound
// on a wait, never a measurement.
inline constexpr absl::Duration kPatience = absl::Seconds(60);

// The path of a binary of this build, `relative` to the build tree (e.g.
// "services/registry/summit-registry"): under $SUMMIT_BINARY_DIR (CTest sets it), else beside
// the running test's own folder (a test run by hand from <build>/tests/).
std::string BinaryPath(absl::string_view relative);

struct ServingProcess {
  std::unique_ptr<ChildProcess> process;
  int port = 0;      // the gRPC port from its "serving" log line
  std::string line;  // that line, which names its other ports (`"health_port":`, `"admin_port":`)
};

// Starts `binary` with `args` and waits at most `patience` for its "serving" line.
// DEADLINE_EXCEEDED (with everything it wrote to stderr) when none came.
absl::StatusOr<ServingProcess> StartServing(const std::string& binary,
                                            const std::vector<std::string>& args,
                                            absl::Duration patience = kPatience);

// The port `process` logged in the first standard-error line holding `message`, after `key`:
// e.g. `"message":"serving"` and `"port":`, or the gateway's `"message":"http serving"` and
// `"http_port":`. Waits at most `patience` for the line; DEADLINE_EXCEEDED (with everything the
// process wrote) when none came, INTERNAL when the line holds no port.
absl::StatusOr<int> LoggedPort(ChildProcess& process, absl::string_view message,
                               absl::string_view key, absl::Duration patience = kPatience);

// The port a log line names after `key` (e.g. `"health_port":`); 0 when it names none.
int PortInLine(absl::string_view line, absl::string_view key);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_SERVING_PROCESS_H_
