#include "common/status/error.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/error_size.h"
#include "google/rpc/error_details.pb.h"

namespace summit {
namespace {

// Not a google.rpc type: ToGrpcStatus never sends it (see grpc_status.cc).
constexpr absl::string_view kServerDetailUrl = "summit.example.org/server-detail";

void AttachErrorInfo(absl::Status& status, absl::string_view reason,
                     const std::map<std::string, std::string>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[CutText(key, kMaxMetadataKeyChars)] =
        CutText(value, kMaxMetadataValueChars);
  }
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
}

template <typename Message>
bool ReadPayload(const absl::Status& status, absl::string_view url,
                 Message& message) {
  absl::optional<absl::Cord> payload = status.GetPayload(url);
  return payload.has_value() && message.ParseFromString(std::string(*payload));
}

}  // namespace

absl::Status InvalidArgumentError(std::vector<FieldViolation> violations) {
  std::vector<std::string> parts;
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& violation : ListViolations(std::move(violations))) {
    // A note counting the violations left out is about no one field.
    parts.push_back(violation.field.empty()
                        ? violation.description
                        : absl::StrCat(violation.field, ": ", violation.description));
    google::rpc::BadRequest::FieldViolation* out =
        bad_request.add_field_violations();
    out->set_field(violation.field);
    out->set_description(violation.description);
  }
  absl::Status status(
      absl::StatusCode::kInvalidArgument,
      CutText(absl::StrCat("invalid request: ", absl::StrJoin(parts, "; ")), kMaxMessageChars));
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(bad_request.SerializeAsString()));
  AttachErrorInfo(status, "INVALID_ARGUMENT", {});
  return status;
}

absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view reason,
                             absl::string_view message,
                             std::map<std::string, std::string> metadata) {
  absl::Status status(code, CutText(message, kMaxMessageChars));
  AttachErrorInfo(status, reason, metadata);
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> violations;
  google::rpc::BadRequest bad_request;
  if (!ReadPayload(status, kBadRequestTypeUrl, bad_request)) return violations;
  for (const auto& violation : bad_request.field_violations()) {
    violations.push_back({violation.field(), violation.description()});
  }
  return violations;
}

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return ReadPayload(status, kErrorInfoTypeUrl, info) ? info.reason() : "";
}

std::map<std::string, std::string> ErrorMetadataOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (!ReadPayload(status, kErrorInfoTypeUrl, info)) return {};
  return {info.metadata().begin(), info.metadata().end()};
}

}  // namespace summit

namespace summit {

std::string EchoInput(absl::string_view input) {
  constexpr size_t kMaxEchoedChars = 64;
  return absl::StrCat("\"", CutText(input, kMaxEchoedChars), "\"");
}

absl::Status NotFoundError(absl::string_view resource_name) {
  return ErrorWithReason(absl::StatusCode::kNotFound, "RESOURCE_NOT_FOUND",
                         absl::StrCat(resource_name, " does not exist"),
                         {{"resource", std::string(resource_name)}});
}

absl::Status AlreadyExistsError(absl::string_view resource_name) {
  return ErrorWithReason(absl::StatusCode::kAlreadyExists, "RESOURCE_EXISTS",
                         absl::StrCat(resource_name, " already exists"),
                         {{"resource", std::string(resource_name)}});
}

absl::Status FailedPreconditionError(absl::string_view reason, absl::string_view resource_name,
                                     absl::string_view message) {
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, reason, message,
                         {{"resource", std::string(resource_name)}});
}

absl::Status InUseError(absl::string_view name, const std::vector<std::string>& references) {
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "RESOURCE_IN_USE",
                         absl::StrCat(name, " is still referred to by ",
                                      absl::StrJoin(references, ", "),
                                      references.size() >= 5 ? " and maybe more" : "",
                                      "; remove those first (or delete with force, where the "
                                      "method has it)"),
                         {{"resource", std::string(name)},
                          {"referenced_by", references.empty() ? "" : references.front()}});
}

absl::Status MissingReferenceError(absl::string_view field, absl::string_view name) {
  return InvalidArgumentError({{std::string(field), absl::StrCat(name, " does not exist")}});
}

absl::Status WithServerDetail(absl::Status status, absl::string_view detail) {
  if (status.ok() || detail.empty()) return status;
  const std::string earlier = ServerDetailOf(status);
  status.SetPayload(kServerDetailUrl,
                    absl::Cord(earlier.empty() ? std::string(detail)
                                               : absl::StrCat(earlier, "; ", detail)));
  return status;
}

std::string ServerDetailOf(const absl::Status& status) {
  const absl::optional<absl::Cord> detail = status.GetPayload(kServerDetailUrl);
  return detail.has_value() ? std::string(*detail) : "";
}

absl::Status WithMessage(const absl::Status& status, absl::StatusCode code,
                         absl::string_view message) {
  absl::Status result(code, message);
  status.ForEachPayload([&result](absl::string_view type_url, const absl::Cord& payload) {
    result.SetPayload(type_url, payload);
  });
  return result;
}

}  // namespace summit
