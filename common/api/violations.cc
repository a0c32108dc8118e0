#include "common/api/violations.h"

#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/error_size.h"

namespace summit::api {

void Violations::Check(absl::string_view field, std::string problem) {
  if (!problem.empty()) Add(field, std::move(problem));
}

void Violations::Add(absl::string_view field, std::string problem) {
  AppendViolation(out_, {prefix_.empty() ? std::string(field) : absl::StrCat(prefix_, ".", field),
                         std::move(problem)});
}

void Violations::Reference(absl::string_view field, absl::string_view name,
                           absl::string_view pattern, bool required) {
  if (name.empty()) {
    if (required) Add(field, absl::StrCat("required: a resource name of the form ", pattern));
    return;
  }
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName(name, pattern, field);
  if (!ids.ok()) {
    for (const FieldViolation& violation : FieldViolationsOf(ids.status())) {
      Add(field, violation.description);
    }
  }
}

void ValidateOptionalId(absl::string_view id, absl::string_view field,
                        std::vector<FieldViolation>& violations) {
  if (id.empty()) return;
  std::string problem = ResourceIdProblem(id);
  if (!problem.empty()) AppendViolation(violations, {std::string(field), std::move(problem)});
}

void ValidateRequestId(absl::string_view request_id, std::vector<FieldViolation>& violations) {
  bool printable = true;
  for (unsigned char c : request_id) printable = printable && c > 0x20 && c < 0x7F;
  if (request_id.size() > kMaxRequestIdChars || !printable) {
    AppendViolation(violations, {"request_id",
                                 absl::StrCat("must be at most ", kMaxRequestIdChars,
                                              " printable ASCII characters without spaces, "
                                              "e.g. a UUID")});
  }
}

absl::Status ToStatus(std::vector<FieldViolation> violations) {
  if (violations.empty()) return absl::OkStatus();
  return InvalidArgumentError(std::move(violations));
}

}  // namespace summit::api
