#include "common/api/field_mask.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/error.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"

namespace summit::api {

using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;

absl::Status ApplyFieldMask(const google::protobuf::Message& patch, const FieldMask& mask,
                            absl::Span<const absl::string_view> updatable,
                            google::protobuf::Message* target) {
  FieldMask effective;
  const bool everything = mask.paths_size() == 1 && mask.paths(0) == "*";
  if (everything) {
    for (absl::string_view path : updatable) effective.add_paths(std::string(path));
  } else if (mask.paths_size() == 0) {
    const google::protobuf::Reflection* reflection = patch.GetReflection();
    for (absl::string_view path : updatable) {
      const FieldDescriptor* field = patch.GetDescriptor()->FindFieldByName(std::string(path));
      if (field == nullptr) continue;
      const bool set = field->is_repeated() ? reflection->FieldSize(patch, field) > 0
                                            : reflection->HasField(patch, field);
      if (set) effective.add_paths(std::string(path));
    }
  } else {
    std::vector<std::string> bad;
    for (const std::string& path : mask.paths()) {
      if (std::find(updatable.begin(), updatable.end(), path) == updatable.end()) {
        bad.push_back(path);
      }
    }
    if (!bad.empty()) {
      return InvalidArgumentError(
          {{"update_mask", absl::StrCat("cannot update ", absl::StrJoin(bad, ", "),
                                        "; updatable fields: ", absl::StrJoin(updatable, ", "))}});
    }
    effective = mask;
  }
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, effective, options, target);
  return absl::OkStatus();
}

}  // namespace summit::api
