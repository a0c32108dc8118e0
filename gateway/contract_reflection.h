// gRPC server reflection for the gateway's gRPC port, answered from the contract: the port
// serves every Summit service (its own views, and Registry, Scheduling and Statements through
// the proxy), so `grpcurl … list` must name them all and `describe` must work for each. gRPC's
// built-in reflection lists only services registered with generated code, which the proxy's
// generic service is not: it named the gateway's own service, health and reflection alone.
//
// Both versions of the protocol (grpc.reflection.v1 and v1alpha, the same messages under two
// package names) are read and written at the wire level, so no generated code of either is
// needed (gRPC's library carries v1alpha's without its headers).
//
//   ContractReflection reflection(contract.pool(), {"summit.registry.v1.RegistryService", …});
//   if (ContractReflection::IsReflectionMethod(context->method()))
//     return reflection.NewStream(context);  // a bidi reactor answering each request
//
// Thread-safe: immutable after construction.
#ifndef SUMMIT_GATEWAY_CONTRACT_REFLECTION_H_
#define SUMMIT_GATEWAY_CONTRACT_REFLECTION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/async_generic_service.h"

namespace grpc {
class GenericCallbackServerContext;
}  // namespace grpc

namespace summit::gateway {

class ContractReflection {
 public:
  // `pool` holds the contract's files (it must outlive this); `services` are the full names
  // listed, besides grpc.health.v1.Health and the reflection service itself, whose files come
  // from the generated pool.
  ContractReflection(const google::protobuf::DescriptorPool& pool,
                     std::vector<std::string> services);

  // Whether `method` ("/pkg.Service/Method") is ServerReflectionInfo, of either version.
  static bool IsReflectionMethod(absl::string_view method);

  // The serialized ServerReflectionResponse to one serialized ServerReflectionRequest: the
  // services, a file by name, the file defining a symbol or an extension, a type's extension
  // numbers; NOT_FOUND (in an ErrorResponse) for what the contract does not hold,
  // INVALID_ARGUMENT for a request it cannot read. A file comes with every file it imports,
  // each once a stream (`sent_files` remembers which).
  std::string Answer(absl::string_view request, std::vector<std::string>& sent_files) const;

  // A reactor answering one ServerReflectionInfo stream; it deletes itself when done.
  grpc::ServerGenericBidiReactor* NewStream() const;

 private:
  const google::protobuf::FileDescriptor* FindFile(const std::string& name) const;
  const google::protobuf::FileDescriptor* FindFileOfSymbol(const std::string& symbol) const;

  const google::protobuf::DescriptorPool& pool_;
  std::vector<std::string> services_;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_CONTRACT_REFLECTION_H_
