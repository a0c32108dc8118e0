// AIP-155 request ids: a create that carries a request_id is remembered, so
// that the same request_id again returns the first result and creates nothing.
// The record is written in the same transaction as the resource, so a crash
// can never leave one without the other.
//
// Every service's first migration includes kCreateRequestsTableSql.
#ifndef SUMMIT_COMMON_STORAGE_CREATE_REQUESTS_H_
#define SUMMIT_COMMON_STORAGE_CREATE_REQUESTS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"

namespace summit::storage {

inline constexpr absl::string_view kCreateRequestsTableSql =
    "CREATE TABLE create_requests ("
    " request_id TEXT PRIMARY KEY,"
    " resource_name TEXT NOT NULL)";

// The name of the resource an earlier create with `request_id` made, if any.
absl::StatusOr<std::optional<std::string>> FindCreatedResource(Transaction& tx,
                                                              absl::string_view request_id);

// Remembers that `request_id` created `resource_name`. Empty ids are not
// remembered.
absl::Status RememberCreatedResource(Transaction& tx, absl::string_view request_id,
                                     absl::string_view resource_name);

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_CREATE_REQUESTS_H_
