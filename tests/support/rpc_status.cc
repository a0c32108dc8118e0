#include "tests/support/rpc_status.h"

#include "google/rpc/status.pb.h"

namespace summit::testing {

std::string Describe(const grpc::Status& status) {
  std::string details;
  google::rpc::Status rpc_status;
  if (!status.error_details().empty() && rpc_status.ParseFromString(status.error_details())) {
    details = absl::StrCat(" details ", rpc_status.ShortDebugString());
  }
  return absl::StrCat("code ", static_cast<int>(status.error_code()), " \"", status.error_message(),
                      "\"", details);
}

}  // namespace summit::testing
