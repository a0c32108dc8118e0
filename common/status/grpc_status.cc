#include "common/status/grpc_status.h"

#include <string>

#include "absl/random/random.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/observability/log.h"
#include "common/status/error.h"
#include "common/status/error_size.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/status.pb.h"

namespace summit {
namespace {

// Codes that mean "the server failed", not "the request cannot be done": their
// words come from the server's insides, so the caller gets a reference instead.
bool IsServerFault(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnknown ||
         code == absl::StatusCode::kDataLoss;
}

// A token that finds the full error in the server's log.
std::string NewErrorReference() {
  thread_local absl::BitGen random;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(random));
}

// What the caller reads: the status's own words, unless they (or a detail) are
// for the server's log only; then they are logged under a reference the caller
// can quote to an operator.
std::string MessageForCaller(const absl::Status& status) {
  const std::string detail = ServerDetailOf(status);
  const bool fault = IsServerFault(status.code());
  if (!fault && detail.empty()) return std::string(status.message());
  const std::string reference = NewErrorReference();
  const auto write_log = fault ? &log::Error : &log::Warning;
  write_log("error withheld from the caller",
      {{"reference", reference},
       {"code", absl::StatusCodeToString(status.code())},
       {"error", std::string(status.message())},
       {"detail", detail}});
  return fault ? absl::StrCat("internal error; the server logged it as reference ", reference)
               : absl::StrCat(status.message(), " (server log reference ", reference, ")");
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(MessageForCaller(status));
  status.ForEachPayload([&details](absl::string_view type_url,
                                   const absl::Cord& payload) {
    // Only google.rpc details travel; the server's own notes stay here.
    if (!absl::StartsWith(type_url, "type.googleapis.com/")) return;
    google::protobuf::Any* any = details.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  // Whatever made the error, it fits in the caller's response headers: one
  // too large would reach it as RESOURCE_EXHAUSTED and break its connection.
  const google::rpc::Status fitted = FitToHeaders(details);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), fitted.message(),
                      fitted.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      result.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return result;
}

}  // namespace summit
