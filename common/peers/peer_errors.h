// How a failed call to a peer service looks to the caller of this one.
//
//   const grpc::Status status = stub_->GetEvent(call.get(), request, &event);
//   if (!status.ok()) {
//     return peers::FromPeer(status, "REGISTRY_UNAVAILABLE", "the Registry", "about the event");
//   }
#ifndef SUMMIT_COMMON_PEERS_PEER_ERRORS_H_
#define SUMMIT_COMMON_PEERS_PEER_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace summit::peers {

// NOT_FOUND, INVALID_ARGUMENT, PERMISSION_DENIED, UNAUTHENTICATED and
// DEADLINE_EXCEEDED are about the request or its deadline and pass through
// with their details. Anything else means this service could not check what
// it must: UNAVAILABLE with reason `unavailable_reason` (e.g.
// "REGISTRY_UNAVAILABLE"), so the client retries later; nothing was written.
absl::Status FromPeer(const grpc::Status& status, absl::string_view unavailable_reason,
                      absl::string_view peer, absl::string_view doing);

}  // namespace summit::peers

#endif  // SUMMIT_COMMON_PEERS_PEER_ERRORS_H_
