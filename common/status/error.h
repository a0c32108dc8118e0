// Errors that cross the RPC boundary: an absl::Status carrying the google.rpc
// details a client needs to act on it.
//
// Domain code returns these; the RPC boundary turns them into a grpc::Status
// once (see grpc_status.h). The details ride in absl::Status payloads keyed by
// their google.rpc type URL, so they survive being passed around and compared.
//
//   if (!bad.empty()) return summit::InvalidArgumentError(std::move(bad));
//   return summit::ErrorWithReason(absl::StatusCode::kFailedPrecondition,
//                                  "PARTICIPANT_NOT_PENDING",
//                                  "only a PENDING accreditation can be approved");
#ifndef SUMMIT_COMMON_STATUS_ERROR_H_
#define SUMMIT_COMMON_STATUS_ERROR_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace summit {

// The domain every ErrorInfo of ours names, as AIP-193 asks.
inline constexpr absl::string_view kErrorDomain = "summit.example.org";

// The payload keys of the google.rpc details an error carries.
inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kErrorInfoTypeUrl = "type.googleapis.com/google.rpc.ErrorInfo";

// One bad field of a request: `field` is the path in the request message
// (e.g. "person.email"), `description` says what is wrong in words a caller
// can show to a person.
struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT with one google.rpc.BadRequest field violation per bad
// field and ErrorInfo reason "INVALID_ARGUMENT". `violations` must not be empty.
// Errors travel in response headers, so what a request put into them is cut
// (error_size.h): the first kMaxListedViolations violations are listed and
// one more counts the others; a description longer than 300 characters, or a
// message longer than 1000, is cut (with "…"), here and in ErrorWithReason
// (and its metadata values).
absl::Status InvalidArgumentError(std::vector<FieldViolation> violations);

// A status of `code` with a google.rpc.ErrorInfo: `reason` is an
// UPPER_SNAKE_CASE constant clients may switch on, `metadata` names the
// resources involved (e.g. {"session": "events/udib-2023/sessions/s1"}).
absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view reason,
                             absl::string_view message,
                             std::map<std::string, std::string> metadata = {});

// What a status carries, read back (for tests and for the RPC boundary).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);
std::string ReasonOf(const absl::Status& status);  // "" when none
std::map<std::string, std::string> ErrorMetadataOf(const absl::Status& status);

// `input` in double quotes for an error message, cut to its first 64
// characters (with "…"): errors travel in response headers, and a client's
// megabyte of garbage must not come back to it, nor break the headers' limit.
std::string EchoInput(absl::string_view input);

// NOT_FOUND with reason RESOURCE_NOT_FOUND naming the resource.
absl::Status NotFoundError(absl::string_view resource_name);

// ALREADY_EXISTS with reason RESOURCE_EXISTS naming the resource.
absl::Status AlreadyExistsError(absl::string_view resource_name);

// FAILED_PRECONDITION RESOURCE_IN_USE: `name` cannot be deleted while
// `references` (non-empty, at most a few) point at it.
absl::Status InUseError(absl::string_view name, const std::vector<std::string>& references);

// INVALID_ARGUMENT on `field`: the resource `name` it refers to does not
// exist.
absl::Status MissingReferenceError(absl::string_view field, absl::string_view name);

// FAILED_PRECONDITION with `reason`, naming the resource and, in `message`,
// what stands in the way.
absl::Status FailedPreconditionError(absl::string_view reason, absl::string_view resource_name,
                                     absl::string_view message);

// `status` with `detail` kept for the server's log only: text from below the
// service (a database's own error, the SQL it ran) that helps an operator and
// must not reach a caller, since it shows the schema, hosts and versions. The
// RPC boundary (ToGrpcStatus) logs it under a reference and sends the caller
// the status's message and that reference instead. A second detail is
// appended to the first.
absl::Status WithServerDetail(absl::Status status, absl::string_view detail);
std::string ServerDetailOf(const absl::Status& status);  // "" when none

// `status` with its message replaced by `message`, everything it carries kept:
// what a layer uses to say what it was doing when a lower layer failed.
absl::Status WithMessage(const absl::Status& status, absl::StatusCode code,
                         absl::string_view message);

}  // namespace summit

#endif  // SUMMIT_COMMON_STATUS_ERROR_H_
