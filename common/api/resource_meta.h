// The fields every Summit resource carries for AIP-154 etags and AIP-148
// times, set the same way for all: `etag`, `create_time`, `update_time`.
//
//   StampCreated(person, now);          // on create
//   RETURN_IF_ERROR(CheckEtag(request_etag, stored.etag(), stored.name()));
//   StampUpdated(updated, now);         // on every change
#ifndef SUMMIT_COMMON_API_RESOURCE_META_H_
#define SUMMIT_COMMON_API_RESOURCE_META_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace summit::api {

google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

// A new etag: 128 random bits from OpenSSL's generator, in hex, drawn afresh
// on every change of a resource. An etag is a revision token, not a
// fingerprint: derived from nothing, it tells a reader nothing about fields
// hidden from them (a hash of the content would confirm a guessed e-mail or
// phone offline). Stored with the resource and compared inside the write's
// transaction, it serves optimistic concurrency across replicas; no two
// revisions share one, not even those of a resource deleted and made again.
std::string NewEtag();

// OK when `requested` is empty or equals `stored`; else ABORTED with reason
// ETAG_MISMATCH naming the resource.
absl::Status CheckEtag(absl::string_view requested, absl::string_view stored,
                       absl::string_view resource_name);

// Sets create_time and update_time to `now`, and a new etag.
template <typename Resource>
void StampCreated(Resource& resource, absl::Time now) {
  *resource.mutable_create_time() = ToTimestamp(now);
  *resource.mutable_update_time() = ToTimestamp(now);
  resource.set_etag(NewEtag());
}

// Sets update_time to `now`, and a new etag.
template <typename Resource>
void StampUpdated(Resource& resource, absl::Time now) {
  *resource.mutable_update_time() = ToTimestamp(now);
  resource.set_etag(NewEtag());
}

}  // namespace summit::api

#endif  // SUMMIT_COMMON_API_RESOURCE_META_H_
