#include "tests/support/rpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace summit::testing {

RpcDetails DetailsOf(const grpc::Status& status) {
  RpcDetails details;
  google::rpc::Status rpc_status;
  if (status.error_details().empty() || !rpc_status.ParseFromString(status.error_details())) {
    return details;
  }
  details.parsed = true;
  details.code = rpc_status.code();
  for (const google::protobuf::Any& any : rpc_status.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    google::rpc::RetryInfo retry;
    if (any.Is<google::rpc::RetryInfo>() && any.UnpackTo(&retry)) {
      details.retry_delay = absl::Seconds(retry.retry_delay().seconds()) +
                            absl::Nanoseconds(retry.retry_delay().nanos());
    } else if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        details.fields.push_back(violation.field());
        details.descriptions.push_back(violation.description());
      }
    } else if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
      details.reason = info.reason();
      details.domain = info.domain();
      details.metadata.insert(info.metadata().begin(), info.metadata().end());
    }
  }
  return details;
}

std::string Describe(const grpc::Status& status) {
  std::string details = " without google.rpc.Status details";
  google::rpc::Status rpc_status;
  if (!status.error_details().empty() && rpc_status.ParseFromString(status.error_details())) {
    details = absl::StrCat(" details ", rpc_status.ShortDebugString());
  }
  return absl::StrCat("code ", static_cast<int>(status.error_code()), " \"", status.error_message(),
                      "\"", status.ok() ? "" : details);
}

}  // namespace summit::testing

namespace grpc {
void PrintTo(const Status& status, std::ostream* os) { *os << summit::testing::Describe(status); }
}  // namespace grpc
