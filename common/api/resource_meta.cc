#include "common/api/resource_meta.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/error.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace summit::api {

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t nanos = absl::ToUnixNanos(time);
  timestamp.set_seconds(nanos / 1000000000);
  timestamp.set_nanos(static_cast<int32_t>(nanos % 1000000000));
  if (timestamp.nanos() < 0) {
    timestamp.set_seconds(timestamp.seconds() - 1);
    timestamp.set_nanos(timestamp.nanos() + 1000000000);
  }
  return timestamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

std::string ComputeEtag(const google::protobuf::Message& resource) {
  std::unique_ptr<google::protobuf::Message> copy(resource.New());
  copy->CopyFrom(resource);
  const google::protobuf::FieldDescriptor* etag = copy->GetDescriptor()->FindFieldByName("etag");
  if (etag != nullptr) copy->GetReflection()->ClearField(copy.get(), etag);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream output(&stream);
    output.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&output);
  }
  // FNV-1a, 64 bits: stable across processes and replicas.
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return absl::StrFormat("%016x", hash);
}

absl::Status CheckEtag(absl::string_view requested, absl::string_view stored,
                       absl::string_view resource_name) {
  if (requested.empty() || requested == stored) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kAborted, "ETAG_MISMATCH",
                         absl::StrCat(resource_name,
                                      " changed since it was read (etag \"", requested,
                                      "\" is stale); read it again and retry"),
                         {{"resource", std::string(resource_name)}, {"etag", std::string(stored)}});
}

}  // namespace summit::api
