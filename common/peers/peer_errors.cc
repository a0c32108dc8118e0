#include "common/peers/peer_errors.h"

#include "absl/strings/str_cat.h"
#include "common/status/error.h"
#include "common/status/grpc_status.h"

namespace summit::peers {

absl::Status FromPeer(const grpc::Status& status, absl::string_view unavailable_reason,
                      absl::string_view peer, absl::string_view doing) {
  absl::Status converted = FromGrpcStatus(status);
  switch (converted.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kDeadlineExceeded:
      return converted;
    default:
      return ErrorWithReason(absl::StatusCode::kUnavailable, unavailable_reason,
                             absl::StrCat(peer, " could not be asked ", doing, ": ",
                                          converted.message()));
  }
}

}  // namespace summit::peers
