// The services behind the gateway: one long-lived channel per backend for
// unary calls, and a generic stub that calls any of its methods with raw
// bytes, so that forwarding needs no backend's generated code.
//
// Long-lived streams (the statements feed) go over channels of their own,
// never over the unary channel: each open stream holds one of a connection's
// few concurrent streams (ServerOptions::max_concurrent_streams), so feeds on
// the unary channel would make every other call to that backend wait behind
// them once a few hundred are open. A backend's stream channels are a pool
// (StreamChannels) sized for the most streams the gateway holds open.
//
//   backends.Add(service, unary_channel);
//   backends.AddStreamChannels(service, std::make_unique<StreamChannels>(channels));
//   RawStub* unary = backends.StubFor("/summit.statements.v1.StatementsService/ListStatements");
//   std::optional<StreamLease> lease =
//       backends.StreamStubFor("/summit.statements.v1.StatementsService/WatchStatements");
//   lease->stub().PrepareBidiStreamingCall(...);  // the lease lives as long as the stream
//
// Thread-safety: set up (Add…) before use; then every method may be called from any thread.
#ifndef SUMMIT_GATEWAY_BACKENDS_H_
#define SUMMIT_GATEWAY_BACKENDS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace summit::gateway {

using RawStub = grpc::TemplatedGenericStub<grpc::ByteBuffer, grpc::ByteBuffer>;

// The most long-lived streams the gateway puts on one connection to a backend: the backends
// allow 256 at once (server::ServerOptions::max_concurrent_streams); the connection's health
// watch takes one, and the margin leaves room for a backend configured a little lower.
inline constexpr int kStreamsPerConnection = 200;

class StreamChannels;

// One stream's use of a stub: the stream channel it counts against until
// destroyed (or none, for a backend without stream channels). Movable.
class StreamLease {
 public:
  StreamLease(RawStub* stub, StreamChannels* pool, int index)
      : stub_(stub), pool_(pool), index_(index) {}
  StreamLease(StreamLease&& other) noexcept;
  StreamLease& operator=(StreamLease&&) = delete;
  StreamLease(const StreamLease&) = delete;
  StreamLease& operator=(const StreamLease&) = delete;
  ~StreamLease();

  RawStub& stub() const { return *stub_; }

 private:
  RawStub* stub_;
  StreamChannels* pool_;
  int index_;
};

// A backend's channels for long-lived streams, each its own connection
// (peers::PeerChannelOptions::own_connection). A new stream goes to the
// channel with the fewest open, so no channel carries more than
// ceil(streams / channels) of them.
class StreamChannels {
 public:
  explicit StreamChannels(std::vector<std::shared_ptr<grpc::Channel>> channels);

  // How many channels hold `max_streams` with at most `per_connection` on each (at least one).
  static int CountFor(int max_streams, int per_connection);

  StreamLease Lease();
  // Streams open on each channel.
  std::vector<int> open() const;

 private:
  friend class StreamLease;
  void Release(int index);

  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<RawStub>> stubs_;
  mutable absl::Mutex mu_;
  std::vector<int> open_ ABSL_GUARDED_BY(mu_);
};

class Backends {
 public:
  // `service` is a full service name, e.g. "summit.registry.v1.RegistryService".
  void Add(const std::string& service, std::shared_ptr<grpc::Channel> channel);
  // The channels the service's streams go over; without them, its unary channel.
  void AddStreamChannels(const std::string& service, std::unique_ptr<StreamChannels> channels);

  // The stub of the service a method path ("/pkg.Service/Method") belongs
  // to, or nullptr.
  RawStub* StubFor(absl::string_view grpc_path) const;
  // The stub a long-lived stream of that method goes over, or nullopt.
  std::optional<StreamLease> StreamStubFor(absl::string_view grpc_path) const;
  std::shared_ptr<grpc::Channel> ChannelOf(const std::string& service) const;

 private:
  struct Backend {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<RawStub> stub;
    std::unique_ptr<StreamChannels> streams;  // null: streams use `stub`
  };
  const Backend* BackendOf(absl::string_view grpc_path) const;

  absl::flat_hash_map<std::string, Backend> backends_;
};

// Bytes ⇄ ByteBuffer.
grpc::ByteBuffer ToByteBuffer(const std::string& bytes);
std::string FromByteBuffer(const grpc::ByteBuffer& buffer);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_BACKENDS_H_
