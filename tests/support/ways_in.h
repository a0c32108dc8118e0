// Calling Summit as a principal (its token minted with the suite's key; none for the public):
// a context for a generated stub, or one call by any of the three ways a client reaches an RPC —
// directly on its service, through the gateway's gRPC port, through the gateway's HTTP/JSON — so
// that a test of what a caller may see checks all three with one loop. The answer is parsed into
// the response when OK.
//
//   stub->GetPerson(ContextAs(suite, organizer).get(), request, &person);
//
//   for (WayIn way : kWaysIn) {
//     registry::v1::Person read;
//     ASSERT_THAT(CallAs(suite, way, "summit.registry.v1.RegistryService.GetPerson", request,
//                        auth::Principal::Public(), &read),
//                 RpcOk()) << NameOf(way);
//   }
//
// Thread-compatible: the calls share nothing.
#ifndef SUMMIT_TESTS_SUPPORT_WAYS_IN_H_
#define SUMMIT_TESTS_SUPPORT_WAYS_IN_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "tests/support/suite.h"

namespace summit::testing {

enum class WayIn { kDirect, kGatewayGrpc, kGatewayHttp };
inline constexpr WayIn kWaysIn[] = {WayIn::kDirect, WayIn::kGatewayGrpc, WayIn::kGatewayHttp};

// "directly", "through the gateway's gRPC port", "through the gateway's HTTP/JSON".
absl::string_view NameOf(WayIn way);

// "delegate people/yermak through the gateway's gRPC port": who called how, for failures.
std::string CallerAndWay(const auth::Principal& caller, WayIn way);

// The token `caller` presents: "" for the public, else one minted with the suite's key.
std::string TokenOf(const Suite& suite, const auth::Principal& caller);

// A context carrying `caller`'s token and a deadline kCallPatience (any_call.h) from now.
std::unique_ptr<grpc::ClientContext> ContextAs(const Suite& suite, const auth::Principal& caller);

// Calls `method` (its full name, e.g. "summit.registry.v1.RegistryService.GetPerson") with
// `request` as `caller`, the way `way` says; fills `response` (of the method's response type)
// when the answer is OK. Over HTTP the status is the google.rpc.Status body's.
grpc::Status CallAs(const Suite& suite, WayIn way, absl::string_view method,
                    const google::protobuf::Message& request, const auth::Principal& caller,
                    google::protobuf::Message* response);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_WAYS_IN_H_
