// One unary call by method path with serialized bytes, as summitctl's
// generic commands make them, and the way a failure is shown.
#ifndef SUMMIT_TOOLS_SUMMITCTL_RAW_CALL_H_
#define SUMMIT_TOOLS_SUMMITCTL_RAW_CALL_H_

#include <memory>
#include <string>

#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace summit::ctl {

// Calls `grpc_path` ("/pkg.Service/Method") on the service's address with
// `token` and --timeout; fills `response` on success.
grpc::Status CallRaw(const std::string& grpc_path, const std::string& request,
                     const std::string& token, std::string& response);

// Writes the code, the message and the google.rpc details as JSON to stderr.
void PrintError(const grpc::Status& status);

// A new message of a generated type, and a message as indented JSON.
std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type);
std::string ToJson(const google::protobuf::Message& message);

// The exit code for a failed call: 2 + its gRPC code.
inline int ExitCodeOf(const grpc::Status& status) { return 2 + static_cast<int>(status.error_code()); }

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_RAW_CALL_H_
