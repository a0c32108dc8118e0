// AIP-134 partial updates: applying the fields an update mask names from a
// request's resource onto the stored one.
#ifndef SUMMIT_COMMON_API_FIELD_MASK_H_
#define SUMMIT_COMMON_API_FIELD_MASK_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace summit::api {

// Copies onto `target` the top-level fields of `patch` that `mask` names
// (a named field unset in `patch` is cleared; repeated fields are replaced).
// `*` names every field in `updatable`; an empty mask names the updatable
// fields that `patch` sets. A path outside `updatable` is INVALID_ARGUMENT on
// "update_mask".
absl::Status ApplyFieldMask(const google::protobuf::Message& patch,
                            const google::protobuf::FieldMask& mask,
                            absl::Span<const absl::string_view> updatable,
                            google::protobuf::Message* target);

}  // namespace summit::api

#endif  // SUMMIT_COMMON_API_FIELD_MASK_H_
