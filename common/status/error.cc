#include "common/status/error.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"

namespace summit {
namespace {

constexpr absl::string_view kBadRequestUrl =
    "type.googleapis.com/google.rpc.BadRequest";
constexpr absl::string_view kErrorInfoUrl =
    "type.googleapis.com/google.rpc.ErrorInfo";
// Not a google.rpc type: ToGrpcStatus never sends it (see grpc_status.cc).
constexpr absl::string_view kServerDetailUrl = "summit.example.org/server-detail";

// Errors travel in response headers, which clients cap (gRPC: 8 KiB by
// default; the message percent-encoded, the details in base64). Whatever a
// request put into an error's words is cut to these sizes, so that a client
// always receives the error rather than RESOURCE_EXHAUSTED instead of it.
constexpr size_t kMaxMessageChars = 1000;
constexpr size_t kMaxDescriptionChars = 300;
constexpr size_t kMaxMetadataValueChars = 300;

// `text` cut to its first `max_characters` characters, with "…" when cut.
// Characters are counted by their UTF-8 lead bytes, so a cut never splits one.
std::string Cut(absl::string_view text, size_t max_characters) {
  size_t end = 0;
  size_t characters = 0;
  while (end < text.size() && characters < max_characters) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    ++characters;
  }
  return end < text.size() ? absl::StrCat(text.substr(0, end), "…") : std::string(text);
}

void AttachErrorInfo(absl::Status& status, absl::string_view reason,
                     const std::map<std::string, std::string>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = Cut(value, kMaxMetadataValueChars);
  }
  status.SetPayload(kErrorInfoUrl, absl::Cord(info.SerializeAsString()));
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
  for (const FieldViolation& violation : violations) {
    const std::string description = Cut(violation.description, kMaxDescriptionChars);
    parts.push_back(absl::StrCat(violation.field, ": ", description));
    google::rpc::BadRequest::FieldViolation* out =
        bad_request.add_field_violations();
    out->set_field(violation.field);
    out->set_description(description);
  }
  absl::Status status(
      absl::StatusCode::kInvalidArgument,
      Cut(absl::StrCat("invalid request: ", absl::StrJoin(parts, "; ")), kMaxMessageChars));
  status.SetPayload(kBadRequestUrl, absl::Cord(bad_request.SerializeAsString()));
  AttachErrorInfo(status, "INVALID_ARGUMENT", {});
  return status;
}

absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view reason,
                             absl::string_view message,
                             std::map<std::string, std::string> metadata) {
  absl::Status status(code, Cut(message, kMaxMessageChars));
  AttachErrorInfo(status, reason, metadata);
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> violations;
  google::rpc::BadRequest bad_request;
  if (!ReadPayload(status, kBadRequestUrl, bad_request)) return violations;
  for (const auto& violation : bad_request.field_violations()) {
    violations.push_back({violation.field(), violation.description()});
  }
  return violations;
}

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return ReadPayload(status, kErrorInfoUrl, info) ? info.reason() : "";
}

std::map<std::string, std::string> ErrorMetadataOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (!ReadPayload(status, kErrorInfoUrl, info)) return {};
  return {info.metadata().begin(), info.metadata().end()};
}

}  // namespace summit

namespace summit {

std::string EchoInput(absl::string_view input) {
  constexpr size_t kMaxEchoedChars = 64;
  return absl::StrCat("\"", Cut(input, kMaxEchoedChars), "\"");
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
