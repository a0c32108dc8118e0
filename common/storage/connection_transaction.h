// The Transaction a backend hands a body: its statements run on one of the
// backend's connections, whose Run(sql, params, rows) runs one statement and
// returns the rows it changed (filling `rows` when given). One template for
// both backends, so that Execute and Query mean the same on each.
#ifndef SUMMIT_COMMON_STORAGE_CONNECTION_TRANSACTION_H_
#define SUMMIT_COMMON_STORAGE_CONNECTION_TRANSACTION_H_

#include <vector>

#include "common/status/macros.h"
#include "common/storage/database.h"

namespace summit::storage {

template <typename Connection, SqlDialect kDialect>
class ConnectionTransaction final : public Transaction {
 public:
  explicit ConnectionTransaction(Connection& connection) : connection_(connection) {}

  absl::StatusOr<int64_t> Execute(absl::string_view sql,
                                  absl::Span<const SqlValue> params) override {
    return connection_.Run(sql, params, nullptr);
  }

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const SqlValue> params) override {
    std::vector<Row> rows;
    RETURN_IF_ERROR(connection_.Run(sql, params, &rows).status());
    return rows;
  }

  SqlDialect dialect() const override { return kDialect; }

 private:
  Connection& connection_;
};

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_CONNECTION_TRANSACTION_H_
