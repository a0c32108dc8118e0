#include "common/storage/create_requests.h"

#include "common/status/macros.h"

namespace summit::storage {

absl::StatusOr<std::optional<std::string>> FindCreatedResource(Transaction& tx,
                                                              absl::string_view collection,
                                                              absl::string_view request_id) {
  if (request_id.empty()) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx.Query("SELECT resource_name FROM create_requests "
                            "WHERE collection = ? AND request_id = ?",
                            {std::string(collection), std::string(request_id)}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows.front().Text(0));
}

absl::Status RememberCreatedResource(Transaction& tx, absl::string_view collection,
                                     absl::string_view request_id,
                                     absl::string_view resource_name) {
  if (request_id.empty()) return absl::OkStatus();
  // The last statement of every create, whose error (a request id taken by
  // a concurrent create) the create passes on: sent with the COMMIT.
  return tx.ExecuteLater(
      "INSERT INTO create_requests (collection, request_id, resource_name) VALUES (?, ?, ?)",
      {std::string(collection), std::string(request_id), std::string(resource_name)});
}

}  // namespace summit::storage
