// Calls from one Summit service to another: one long-lived channel per peer,
// and a ClientContext per call that carries the caller's deadline (capped by
// a default) and credentials.
//
//   // At start-up, once:
//   std::shared_ptr<grpc::Channel> registry =
//       MakePeerChannel(absl::GetFlag(FLAGS_registry_address),
//                       {.idempotent_methods = {"summit.registry.v1.RegistryService/BatchGetParticipants"}});
//   // In a handler:
//   std::unique_ptr<grpc::ClientContext> call = OutgoingContext(*server_context);
//   grpc::Status status = stub->BatchGetParticipants(call.get(), request, &response);
//
// The channel's service config retries UNAVAILABLE on the idempotent methods
// named, balances round_robin over every address DNS returns (a headless
// Kubernetes Service lists each replica) and keeps the connection alive.
#ifndef SUMMIT_COMMON_PEERS_PEER_CHANNEL_H_
#define SUMMIT_COMMON_PEERS_PEER_CHANNEL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server_context.h"

namespace summit::peers {

struct PeerChannelOptions {
  // Full method names, "package.Service/Method", safe to send twice.
  std::vector<std::string> idempotent_methods;
  // How to reach the peer: TLS or mutual TLS (tls::GrpcChannelCredentials),
  // or, when null, plaintext (loopback, or a network trusted otherwise).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  int max_attempts = 4;
  // A connection of this channel's own, shared with no other channel: gRPC
  // otherwise shares one connection among channels to the same address with
  // the same arguments (its global subchannel pool), and what is on one
  // channel's streams would wait behind another's.
  bool own_connection = false;
};

// The most response metadata (headers, trailers) a peer channel takes:
// eight times gRPC's default. Every Summit error fits in far less
// (common/status/error_size.h); should a peer's error still outgrow gRPC's
// 8 KiB, it fails that call alone rather than tearing down the connection
// that every other call to the peer shares (the gateway's, especially).
inline constexpr int kMaxPeerMetadataBytes = 64 << 10;

// The gRPC service config JSON MakePeerChannel uses (exposed for tests).
std::string PeerServiceConfig(const PeerChannelOptions& options);

std::shared_ptr<grpc::Channel> MakePeerChannel(const std::string& address,
                                               const PeerChannelOptions& options);

// Makes the context of one outgoing call (deadline, credentials): what a
// service's domain layer is given so it can call peers on a caller's behalf
// without knowing about gRPC server contexts.
using OutgoingContextFactory = std::function<std::unique_ptr<grpc::ClientContext>()>;

// The default deadline of a call to a peer when the caller has none shorter.
inline constexpr absl::Duration kDefaultPeerDeadline = absl::Seconds(5);

// How much of a caller's remaining time a call to a peer leaves for answering
// the caller: a tenth, at least 20 ms and at most 500 ms. A peer call allowed
// all of it ends just as the caller gives up, so a slow or unreachable peer
// reaches the caller as its own timer running out rather than as this
// service's answer saying which peer failed (found with the fault proxy,
// tests/fault_injection_test.cc).
absl::Duration AnswerReserve(absl::Duration remaining);

// A context for a call made while serving `incoming`: its deadline is the
// earlier of the incoming call's (less AnswerReserve) and now + `timeout`, it
// is cancelled when the incoming call is, and it carries what of the incoming
// metadata may travel on (forwarded_metadata.h: the authorization, a request id).
std::unique_ptr<grpc::ClientContext> OutgoingContext(
    const grpc::CallbackServerContext& incoming, absl::Duration timeout = kDefaultPeerDeadline);

// A context for a call made on a service's own behalf (no incoming call),
// with a bearer token (e.g. a `services/{name}` token) and a deadline.
std::unique_ptr<grpc::ClientContext> ServiceContext(const std::string& bearer_token,
                                                    absl::Duration timeout = kDefaultPeerDeadline);

}  // namespace summit::peers

#endif  // SUMMIT_COMMON_PEERS_PEER_CHANNEL_H_
