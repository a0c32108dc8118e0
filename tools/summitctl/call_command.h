// `summitctl call SERVICE/METHOD [JSON]`: a grpcurl-like call of any unary
// method of the contract, with the request and response in the protobuf JSON
// mapping. The method is found in the descriptors compiled into summitctl, so
// it needs neither reflection nor .proto files at hand.
//
//   summitctl call summit.registry.v1.RegistryService/SearchPeople '{"query":"zelensk"}'
#ifndef SUMMIT_TOOLS_SUMMITCTL_CALL_COMMAND_H_
#define SUMMIT_TOOLS_SUMMITCTL_CALL_COMMAND_H_

#include <string>
#include <vector>

namespace summit::ctl {

// Returns the process exit code: 0 on OK, 1 on a usage error, 2 + the gRPC
// code otherwise (so scripts can tell NOT_FOUND from UNAVAILABLE).
int RunCall(const std::vector<std::string>& args);

// `summitctl methods`: lists every callable method.
int RunListMethods();

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_CALL_COMMAND_H_
