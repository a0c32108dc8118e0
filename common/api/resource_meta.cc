#include "common/api/resource_meta.h"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status/error.h"

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

std::string NewEtag() {
  unsigned char bits[16];
  // RAND_bytes fails only when the generator cannot be seeded at all; no
  // etag may then be made, since a predictable one could repeat: an
  // impossible state, so the process stops loudly.
  if (RAND_bytes(bits, sizeof bits) != 1) {
    std::fputs("OpenSSL's random generator failed; cannot make an etag\n", stderr);
    std::abort();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bits), sizeof bits));
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
