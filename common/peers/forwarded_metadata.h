// What of a caller's metadata travels on when Summit calls a service on the
// caller's behalf — the gateway's HTTP/JSON path, its gRPC proxy and views,
// and every service-to-service call — and the one check that it can.
//
// Two values travel: the caller's `authorization` (so that each service
// decides what the caller may do) and a request id (so that one call can be
// followed through the logs). Nothing else a caller sends is copied onto an
// outgoing call. The authorization must appear at most once and be sendable
// as it is (text/header_value.h: gRPC aborts the process on a call started
// with a byte it would not send); otherwise the call is refused as
// UNAUTHENTICATED here, before any outgoing call exists. A request id that is
// not plain is not passed on (the HTTP path makes its own).
//
//   absl::StatusOr<peers::ForwardedMetadata> forwarded = peers::ForwardedFrom(*server_context);
//   if (!forwarded.ok()) return Finish(ToGrpcStatus(forwarded.status()));
//   grpc::ClientContext outgoing;
//   forwarded->ApplyTo(outgoing);
//
// Thread-safe: functions of their arguments only.
#ifndef SUMMIT_COMMON_PEERS_FORWARDED_METADATA_H_
#define SUMMIT_COMMON_PEERS_FORWARDED_METADATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grpc {
class ClientContext;
class ServerContextBase;
}  // namespace grpc

namespace summit::peers {

// The metadata key of a request id, on gRPC calls and as an HTTP header.
inline constexpr char kRequestIdKey[] = "x-request-id";

// Whether `id` may be passed on and echoed as a request id: 1 to 64
// letters, digits, '-', '_' or '.'.
bool IsPlainRequestId(absl::string_view id);

struct ForwardedMetadata {
  std::string authorization;  // exactly as the caller sent it; "" for none
  std::string request_id;     // a plain id, or "" for none

  // Adds what there is to an outgoing call's metadata.
  void ApplyTo(grpc::ClientContext& outgoing) const;
};

// What travels on, from the values a caller sent: its `authorization` values
// (none, one, or — refused — several) and its request id ("" for none).
// UNAUTHENTICATED with reason AUTH_HEADER_REPEATED for several
// authorization values, AUTH_HEADER_MALFORMED for one gRPC cannot send.
absl::StatusOr<ForwardedMetadata> ForwardedFromValues(int authorization_count,
                                                      absl::string_view authorization,
                                                      absl::string_view request_id);

// The same, from an incoming gRPC call's metadata.
absl::StatusOr<ForwardedMetadata> ForwardedFrom(const grpc::ServerContextBase& incoming);

}  // namespace summit::peers

#endif  // SUMMIT_COMMON_PEERS_FORWARDED_METADATA_H_
