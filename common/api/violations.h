// Collects the field violations of one request, under the path of the
// message being checked ("person" → "person.email"), for one INVALID_ARGUMENT
// that names every bad field at once — up to kMaxListedViolations of them,
// then a count of the others (error_size.h's AppendViolation): a request of
// a million bad items costs the memory of a few dozen, and its error fits in
// response headers.
//
//   std::vector<FieldViolation> out;
//   Violations v("person", out);
//   v.Check("country", api::CountryCodeProblem(person.country()));
//   v.Reference("organization", person.organization(), "organizations/*", false);
//   return ToStatus(std::move(out));
#ifndef SUMMIT_COMMON_API_VIOLATIONS_H_
#define SUMMIT_COMMON_API_VIOLATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/error.h"

namespace summit::api {

class Violations {
 public:
  Violations(absl::string_view prefix, std::vector<FieldViolation>& out)
      : prefix_(prefix), out_(out) {}

  // Adds `problem` for `field` unless it is empty.
  void Check(absl::string_view field, std::string problem);
  void Add(absl::string_view field, std::string problem);
  // A reference to another resource: empty (when optional) or a well-formed
  // name of the form `pattern`.
  void Reference(absl::string_view field, absl::string_view name, absl::string_view pattern,
                 bool required);

 private:
  std::string prefix_;
  std::vector<FieldViolation>& out_;
};

// A client-chosen create id (`event_id`, …): empty, or a valid resource id.
void ValidateOptionalId(absl::string_view id, absl::string_view field,
                        std::vector<FieldViolation>& violations);
// The longest AIP-155 request id.
inline constexpr size_t kMaxRequestIdChars = 100;

// An AIP-155 request id: empty, or up to kMaxRequestIdChars printable ASCII
// characters.
void ValidateRequestId(absl::string_view request_id, std::vector<FieldViolation>& violations);

// OK, or INVALID_ARGUMENT carrying every violation.
absl::Status ToStatus(std::vector<FieldViolation> violations);

}  // namespace summit::api

#endif  // SUMMIT_COMMON_API_VIOLATIONS_H_
