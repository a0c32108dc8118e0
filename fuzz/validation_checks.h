// What every request validator promises, checked by the validator harnesses: it returns (no
// crash, no undefined behaviour), each violation names a field under the message's path and
// says what is wrong, the list is bounded (at most kMaxListedViolations, then one last note
// counting the rest: common/status/error_size.h), and ToStatus turns violations into
// INVALID_ARGUMENT.
#ifndef SUMMIT_FUZZ_VALIDATION_CHECKS_H_
#define SUMMIT_FUZZ_VALIDATION_CHECKS_H_

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/api/violations.h"
#include "common/status/error.h"
#include "common/status/error_size.h"
#include "google/protobuf/stubs/logging.h"

namespace summit::fuzz {

inline void CheckViolations(const std::vector<FieldViolation>& violations,
                            absl::string_view prefix) {
  if (violations.size() > kMaxListedViolations + 1) std::abort();
  for (size_t i = 0; i < violations.size(); ++i) {
    const FieldViolation& violation = violations[i];
    // The note counting the violations left out is about the request as a whole, and last.
    if (LeftOutCountOf(violation).has_value()) {
      if (i + 1 != violations.size() || i != kMaxListedViolations) std::abort();
      continue;
    }
    if (!absl::StartsWith(violation.field, absl::StrCat(prefix, ".")) ||
        violation.description.empty()) {
      std::abort();
    }
  }
  const absl::Status status = api::ToStatus(violations);
  if (violations.empty() != status.ok()) std::abort();
  if (!status.ok() && status.code() != absl::StatusCode::kInvalidArgument) std::abort();
}

// Protobuf logs every string field that is not UTF-8 as it refuses it: noise, not findings.
inline const bool kQuietProtobuf = (google::protobuf::SetLogHandler(nullptr), true);

// Parses `bytes` (protobuf wire format) into a `Message`; false when they are not one.
template <typename Message>
bool Parse(absl::string_view bytes, Message& message) {
  return message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

// Parses `bytes` as a `Message` and, when they are one, checks what `validate` (a validator
// taking the message and the field path prefix) returns for it.
template <typename Message, typename Validate>
void ParseAndValidate(absl::string_view bytes, absl::string_view prefix, Validate validate) {
  Message message;
  if (Parse(bytes, message)) CheckViolations(validate(message, prefix), prefix);
}

}  // namespace summit::fuzz

#endif  // SUMMIT_FUZZ_VALIDATION_CHECKS_H_
