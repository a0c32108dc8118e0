#include "gateway/backends.h"

#include <algorithm>
#include <utility>

namespace summit::gateway {

StreamLease::StreamLease(StreamLease&& other) noexcept
    : stub_(other.stub_), pool_(std::exchange(other.pool_, nullptr)), index_(other.index_) {}

StreamLease::~StreamLease() {
  if (pool_ != nullptr) pool_->Release(index_);
}

StreamChannels::StreamChannels(std::vector<std::shared_ptr<grpc::Channel>> channels)
    : channels_(std::move(channels)), open_(channels_.size(), 0) {
  for (const std::shared_ptr<grpc::Channel>& channel : channels_) {
    stubs_.push_back(std::make_unique<RawStub>(channel));
  }
}

int StreamChannels::CountFor(int max_streams, int per_connection) {
  if (max_streams <= 0 || per_connection <= 0) return 1;
  return std::max(1, (max_streams + per_connection - 1) / per_connection);
}

StreamLease StreamChannels::Lease() {
  absl::MutexLock lock(&mu_);
  const int index =
      static_cast<int>(std::min_element(open_.begin(), open_.end()) - open_.begin());
  ++open_[index];
  return StreamLease(stubs_[index].get(), this, index);
}

std::vector<int> StreamChannels::open() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

void StreamChannels::Release(int index) {
  absl::MutexLock lock(&mu_);
  --open_[index];
}

void Backends::Add(const std::string& service, std::shared_ptr<grpc::Channel> channel) {
  Backend& backend = backends_[service];
  backend.stub = std::make_unique<RawStub>(channel);
  backend.channel = std::move(channel);
}

void Backends::AddStreamChannels(const std::string& service,
                                 std::unique_ptr<StreamChannels> channels) {
  backends_[service].streams = std::move(channels);
}

const Backends::Backend* Backends::BackendOf(absl::string_view grpc_path) const {
  // "/summit.registry.v1.RegistryService/GetPerson" → the service part.
  if (grpc_path.empty() || grpc_path[0] != '/') return nullptr;
  const size_t slash = grpc_path.find('/', 1);
  if (slash == absl::string_view::npos) return nullptr;
  const auto it = backends_.find(grpc_path.substr(1, slash - 1));
  return it == backends_.end() || it->second.stub == nullptr ? nullptr : &it->second;
}

RawStub* Backends::StubFor(absl::string_view grpc_path) const {
  const Backend* backend = BackendOf(grpc_path);
  return backend == nullptr ? nullptr : backend->stub.get();
}

std::optional<StreamLease> Backends::StreamStubFor(absl::string_view grpc_path) const {
  const Backend* backend = BackendOf(grpc_path);
  if (backend == nullptr) return std::nullopt;
  if (backend->streams == nullptr) return StreamLease(backend->stub.get(), nullptr, 0);
  return backend->streams->Lease();
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
