// What a gRPC tool (grpcurl, grpc_cli) asks a server's reflection service, for tests: the
// services it lists, and the files that describe a symbol. The messages are read and written at
// the wire level (grpc.reflection.v1alpha, whose generated code gRPC's library keeps to itself),
// over one ServerReflectionInfo stream a question.
//
//   EXPECT_THAT(ListServicesByReflection(channel), Contains("summit.registry.v1.RegistryService"));
//   EXPECT_THAT(FilesDescribing(channel, "summit.registry.v1.RegistryService"),
//               Contains("summit/registry/v1/registry_service.proto"));
#ifndef SUMMIT_TESTS_SUPPORT_REFLECTION_CLIENT_H_
#define SUMMIT_TESTS_SUPPORT_REFLECTION_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"

namespace summit::testing {

// The service names the server lists (empty when the stream failed, with a test failure).
std::vector<std::string> ListServicesByReflection(const std::shared_ptr<grpc::Channel>& channel);

// The names of the files the server sends for `symbol` (a service, method or message): the
// file that defines it and those it imports. Empty when it answers an error.
std::vector<std::string> FilesDescribing(const std::shared_ptr<grpc::Channel>& channel,
                                         const std::string& symbol);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_REFLECTION_CLIENT_H_
