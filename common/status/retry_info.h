// When a refused caller may try again: a google.rpc.RetryInfo on the status, which gRPC clients
// read from the status details and the gateway turns into HTTP's Retry-After. One place, so
// that every refusal that asks a caller to wait (a rate limit, a cap on open feeds) says so the
// same way.
//
//   return WithRetryDelay(ErrorWithReason(absl::StatusCode::kResourceExhausted, "RATE_LIMITED",
//                                         "too many calls"),
//                         absl::Milliseconds(250));
//   ...
//   if (std::optional<absl::Duration> wait = RetryDelayOf(status)) { /* Retry-After */ }
#ifndef SUMMIT_COMMON_STATUS_RETRY_INFO_H_
#define SUMMIT_COMMON_STATUS_RETRY_INFO_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace summit {

// `status` with a RetryInfo of `delay`, rounded up to whole milliseconds and at least one:
// "retry after 0" would invite a storm.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// The RetryInfo's delay, or nullopt when the status carries none.
std::optional<absl::Duration> RetryDelayOf(const absl::Status& status);

// A delay as HTTP's Retry-After says it: whole seconds, rounded up, at least one.
int64_t RetryAfterSeconds(absl::Duration delay);

}  // namespace summit

#endif  // SUMMIT_COMMON_STATUS_RETRY_INFO_H_
