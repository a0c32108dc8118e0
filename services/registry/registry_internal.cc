#include "services/registry/registry_internal.h"

#include "absl/strings/str_join.h"
#include "common/api/resource_name.h"
#include "common/status/error.h"
#include "common/status/macros.h"

namespace summit::registry::internal {

absl::StatusOr<std::vector<std::string>> Ids(absl::string_view name, absl::string_view pattern,
                                             absl::string_view field) {
  return api::ParseResourceName(name, pattern, field);
}

absl::StatusOr<std::string> Id(absl::string_view name, absl::string_view pattern,
                               absl::string_view field) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, Ids(name, pattern, field));
  return ids.back();
}

std::string ChosenOrNewId(const std::string& requested) {
  return requested.empty() ? api::NewResourceId() : requested;
}

absl::Status InUseError(absl::string_view name, const std::vector<std::string>& references) {
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "RESOURCE_IN_USE",
                         absl::StrCat(name, " is still referred to by ",
                                      absl::StrJoin(references, ", "),
                                      references.size() >= 5 ? " and maybe more" : "",
                                      "; remove those first (or delete with force, where the method has it)"),
                         {{"resource", std::string(name)}, {"referenced_by", references.front()}});
}

absl::Status MissingReferenceError(absl::string_view field, absl::string_view name) {
  return InvalidArgumentError({{std::string(field), absl::StrCat(name, " does not exist")}});
}

}  // namespace summit::registry::internal
