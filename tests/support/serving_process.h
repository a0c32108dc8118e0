// A Summit binary of this build started as a child process and serving: where the binary is,
// and the port it logged once it serves. What every integration test that runs real servers
// needs first.
//
//   ASSIGN_OR_RETURN(ServingProcess registry,
//                    StartServing(SummitBinary("services/registry/summit-registry"),
//                                 {"--listen=127.0.0.1:0", …}, absl::Seconds(60)));
//   ... grpc::CreateChannel(absl::StrCat("127.0.0.1:", registry.port), …)
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

// The path of a binary of this build, `relative` to the build tree (e.g.
// "services/registry/summit-registry"): under $SUMMIT_BINARY_DIR (CTest sets it), else beside
// the running test's own folder (a test run by hand from <build>/tests/).
std::string SummitBinary(absl::string_view relative);

struct ServingProcess {
  std::unique_ptr<ChildProcess> process;
  int port = 0;  // the gRPC port from its "serving" log line
};

// The port `process` logged in the first standard-error line holding `message`, after `key`:
// e.g. `"message":"serving"` and `"port":`, or the gateway's `"message":"http serving"` and
// `"http_port":`. Waits at most `patience` for the line; DEADLINE_EXCEEDED (with everything the
// process wrote) when none came, INTERNAL when the line holds no port.
absl::StatusOr<int> LoggedPort(ChildProcess& process, absl::string_view message,
                               absl::string_view key, absl::Duration patience);

// Starts `binary` with `args` and waits at most `patience` for its "serving" line.
// DEADLINE_EXCEEDED (with everything it wrote to stderr) when none came.
absl::StatusOr<ServingProcess> StartServing(const std::string& binary,
                                            const std::vector<std::string>& args,
                                            absl::Duration patience);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_SERVING_PROCESS_H_
