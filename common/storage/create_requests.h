// AIP-155 request ids: a create that carries a request_id is remembered, so
// that the same request_id again returns the first result and creates nothing.
// Ids are remembered per collection (e.g. "events/udib-2023/participants"):
// the same id sent to another collection is another request.
// The record is written in the same transaction as the resource, so a crash
// can never leave one without the other.
//
// Every service's first migration includes kCreateRequestsTableSql.
#ifndef SUMMIT_COMMON_STORAGE_CREATE_REQUESTS_H_
#define SUMMIT_COMMON_STORAGE_CREATE_REQUESTS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/database.h"

namespace summit::storage {

inline constexpr absl::string_view kCreateRequestsTableSql =
    "CREATE TABLE create_requests ("
    " collection TEXT NOT NULL,"
    " request_id TEXT NOT NULL,"
    " resource_name TEXT NOT NULL,"
    " PRIMARY KEY (collection, request_id))";

// The name of the resource an earlier create with `request_id` made in
// `collection`, if any.
absl::StatusOr<std::optional<std::string>> FindCreatedResource(Transaction& tx,
                                                              absl::string_view collection,
                                                              absl::string_view request_id);

// Remembers that `request_id` created `resource_name` in `collection`. Empty
// ids are not remembered. Sent with Transaction::ExecuteLater: a caller
// passes its error on (ALREADY_EXISTS: a concurrent create took the id).
absl::Status RememberCreatedResource(Transaction& tx, absl::string_view collection,
                                     absl::string_view request_id,
                                     absl::string_view resource_name);

// An AIP-155 create inside `tx`: when `request_id` already created a
// resource in the collection `result.name()` belongs to, `result` becomes
// that resource (read with `find`) and nothing is written; otherwise
// `insert` runs and the request id is remembered.
template <typename Resource>
absl::Status CreateOnce(
    Transaction& tx, const std::string& request_id,
    const std::function<absl::StatusOr<std::optional<Resource>>(const std::string& name)>& find,
    const std::function<absl::Status()>& insert, Resource& result) {
  const std::string collection = result.name().substr(0, result.name().rfind('/'));
  ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                   FindCreatedResource(tx, collection, request_id));
  if (earlier.has_value()) {
    ASSIGN_OR_RETURN(std::optional<Resource> first, find(*earlier));
    if (!first.has_value()) return NotFoundError(*earlier);  // created, then deleted
    result = *std::move(first);
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(insert());
  return RememberCreatedResource(tx, collection, request_id, result.name());
}

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_CREATE_REQUESTS_H_
