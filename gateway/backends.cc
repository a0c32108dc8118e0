#include "gateway/backends.h"

#include <vector>

namespace summit::gateway {

void Backends::Add(const std::string& service, std::shared_ptr<grpc::Channel> channel) {
  Backend backend;
  backend.stub = std::make_unique<RawStub>(channel);
  backend.channel = std::move(channel);
  backends_[service] = std::move(backend);
}

RawStub* Backends::StubFor(absl::string_view grpc_path) const {
  // "/summit.registry.v1.RegistryService/GetPerson" → the service part.
  if (grpc_path.empty() || grpc_path[0] != '/') return nullptr;
  const size_t slash = grpc_path.find('/', 1);
  if (slash == absl::string_view::npos) return nullptr;
  const auto it = backends_.find(grpc_path.substr(1, slash - 1));
  return it == backends_.end() ? nullptr : it->second.stub.get();
}

std::shared_ptr<grpc::Channel> Backends::ChannelOf(const std::string& service) const {
  const auto it = backends_.find(service);
  return it == backends_.end() ? nullptr : it->second.channel;
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  bytes.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

}  // namespace summit::gateway
