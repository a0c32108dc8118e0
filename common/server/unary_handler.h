// The shape of every unary handler of a Summit service (callback API): find
// out who calls, run the domain operation, and finish the call with its
// result converted once to a grpc::Status with google.rpc details.
//
//   grpc::ServerUnaryReactor* RegistryService::GetPerson(
//       grpc::CallbackServerContext* context, const v1::GetPersonRequest* request,
//       v1::Person* response) {
//     return Answer(context, authenticator_, response, [&](const auth::Principal& caller) {
//       return registry_.GetPerson(caller, *request);
//     });
//   }
//
// The operation runs on the gRPC callback thread; it must not block for
// long (a database transaction is fine, a call to a peer should use its own
// deadline, which OutgoingContext gives).
#ifndef SUMMIT_COMMON_SERVER_UNARY_HANDLER_H_
#define SUMMIT_COMMON_SERVER_UNARY_HANDLER_H_

#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/authenticator.h"
#include "common/status/grpc_status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace summit::server {

// `operation(caller)` returns absl::StatusOr<Response> (moved into
// `response`) or absl::Status (for methods answering google.protobuf.Empty).
template <typename Response, typename Operation>
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context,
                                 const auth::Authenticator& authenticator, Response* response,
                                 Operation&& operation) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<auth::Principal> caller = authenticator.Authenticate(*context);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  auto result = std::forward<Operation>(operation)(*caller);
  if constexpr (std::is_same_v<decltype(result), absl::Status>) {
    reactor->Finish(ToGrpcStatus(result));
  } else {
    if (result.ok()) *response = *std::move(result);
    reactor->Finish(ToGrpcStatus(result.status()));
  }
  return reactor;
}

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_UNARY_HANDLER_H_
