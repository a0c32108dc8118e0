// The services behind the gateway: one long-lived channel per backend, and
// a generic stub that calls any of its methods with raw bytes, so that
// forwarding needs no backend's generated code.
#ifndef SUMMIT_GATEWAY_BACKENDS_H_
#define SUMMIT_GATEWAY_BACKENDS_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace summit::gateway {

using RawStub = grpc::TemplatedGenericStub<grpc::ByteBuffer, grpc::ByteBuffer>;

class Backends {
 public:
  // `service` is a full service name, e.g. "summit.registry.v1.RegistryService".
  void Add(const std::string& service, std::shared_ptr<grpc::Channel> channel);

  // The stub of the service a method path ("/pkg.Service/Method") belongs
  // to, or nullptr.
  RawStub* StubFor(absl::string_view grpc_path) const;
  std::shared_ptr<grpc::Channel> ChannelOf(const std::string& service) const;

 private:
  struct Backend {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<RawStub> stub;
  };
  absl::flat_hash_map<std::string, Backend> backends_;
};

// Bytes ⇄ ByteBuffer.
grpc::ByteBuffer ToByteBuffer(const std::string& bytes);
std::string FromByteBuffer(const grpc::ByteBuffer& buffer);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_BACKENDS_H_
