// Calling any RPC of the contract by its descriptor, the way a client in another language
// would: over gRPC with the serialized request (a generic call, unary or server-streaming), or
// over HTTP/JSON through the gateway, the request turned into a method, path, query string and
// body by the method's google.api.http annotation and the protobuf JSON mapping. Tests that
// run the same request through every way in (access_matrix_test, hostile_input_test) use it
// so that a new RPC needs a request, not a new call path.
//
//   const auto* method = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
//       "summit.registry.v1.RegistryService.GetPerson");
//   registry::v1::GetPersonRequest request;
//   request.set_name("people/umerov");
//   AnyCallResult over_grpc = CallOverGrpc(channel, *method, request, token);
//   AnyCallResult over_http = CallOverHttp(http_port, *method, request, token);
//
// A server-streaming call reads until `stop_after` says the last message read is enough, the
// stream ends, or the call's deadline (kCallPatience) passes; then it is cancelled.
//
// Thread-compatible: the functions share nothing.
#ifndef SUMMIT_TESTS_SUPPORT_ANY_CALL_H_
#define SUMMIT_TESTS_SUPPORT_ANY_CALL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace summit::testing {

// The deadline of every call: a bound on a wait, not a measurement.
inline constexpr absl::Duration kCallPatience = absl::Seconds(60);

struct AnyCallResult {
  // The outcome; over HTTP, the code and message of the google.rpc.Status body (OK for 200),
  // and UNKNOWN with the reason when the answer was not what the gateway promises (no answer,
  // a body that is not the method's response or a google.rpc.Status, a status code that does
  // not match the body's code).
  grpc::Status status;
  // The answers, when OK: one for a unary call, every message read for a stream.
  std::vector<std::unique_ptr<google::protobuf::Message>> responses;
  // Everything the caller was told, as text — the answers, the error's message and details,
  // the HTTP body: what a test searches for things the caller must not learn.
  std::string everything;
  int http_status = 0;  // over HTTP only
};

// Whether a stream has read enough (the message just read is the last one wanted).
using StopAfter = std::function<bool(const google::protobuf::Message& message)>;

// The method of the contract named `full_name` ("summit.registry.v1.RegistryService.GetPerson");
// a name the generated pool lacks fails the test.
const google::protobuf::MethodDescriptor& MethodNamed(const std::string& full_name);

// One call over gRPC with `token` ("" for none) as a bearer token.
AnyCallResult CallOverGrpc(const std::shared_ptr<grpc::Channel>& channel,
                           const google::protobuf::MethodDescriptor& method,
                           const google::protobuf::Message& request, const std::string& token,
                           const StopAfter& stop_after = nullptr);

// One unary call of any method path, the request as raw bytes: what a client that invents
// method names sends (CallOverGrpc calls the contract's). The status it got.
grpc::Status CallPathOverGrpc(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& path, const std::string& request_bytes,
                              const std::string& token);

// One call over HTTP/JSON to the gateway's HTTP port. A server-streaming method is read as
// Server-Sent Events.
AnyCallResult CallOverHttp(int port, const google::protobuf::MethodDescriptor& method,
                           const google::protobuf::Message& request, const std::string& token,
                           const StopAfter& stop_after = nullptr);

// An HTTP request for an RPC, by its google.api.http annotation: the fields bound in the path
// template fill it (percent-encoded, '/' kept), the body is the JSON of the whole request or
// of the named field, and every other field that is set goes into the query string (nested
// messages by dotted names, well-known types in their JSON string form).
struct HttpRequestFor {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query string
  std::string body;    // "" when the rule has no body
};
absl::StatusOr<HttpRequestFor> ToHttpRequest(const google::protobuf::MethodDescriptor& method,
                                             const google::protobuf::Message& request);

// The HTTP status the gateway answers a gRPC code with (google/rpc/code.proto).
int HttpStatusOf(grpc::StatusCode code);

// Every method of every Summit service (package summit.*) in the contract's descriptor set,
// compiled into the build: what tests that must cover every RPC enumerate. Full names, e.g.
// "summit.registry.v1.RegistryService.GetPerson".
std::vector<std::string> EveryMethodOfTheContract();

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_ANY_CALL_H_
