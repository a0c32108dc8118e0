// The one conversion between absl::Status (used everywhere inside Summit) and
// grpc::Status (used only at the RPC boundary).
//
// The google.rpc details attached by error.h travel as a serialized
// google.rpc.Status in grpc::Status::error_details(), which gRPC sends as the
// standard `grpc-status-details-bin` trailer, so any gRPC client library can
// read the BadRequest and ErrorInfo.
#ifndef SUMMIT_COMMON_STATUS_GRPC_STATUS_H_
#define SUMMIT_COMMON_STATUS_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace summit {

// absl::Status → grpc::Status, with every google.rpc payload as a detail.
//
// Every error fits in the caller's response headers whatever a domain put
// in it: its message, violations and other details are cut as
// error_size.h's FitToHeaders says, the one bound of every error.
//
// What a caller must not read stays on the server: a server fault (INTERNAL,
// UNKNOWN, DATA_LOSS) reaches the caller as "internal error" with a reference,
// and a status with a server detail (error.h WithServerDetail) keeps its
// message but not the detail; the full error is logged under the reference.
grpc::Status ToGrpcStatus(const absl::Status& status);

// grpc::Status → absl::Status, payloads restored: what a client of another
// Summit service uses to pass a peer's error on, or to inspect it in tests.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace summit

#endif  // SUMMIT_COMMON_STATUS_GRPC_STATUS_H_
