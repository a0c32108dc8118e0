// The Transaction a backend hands a body: its statements run on one of the
// backend's connections, whose Run(sql, params, rows) runs one statement and
// returns the rows it changed (filling `rows` when given), and whose
// RunLater(sql, params) is Transaction::ExecuteLater. One template for
// both backends, so that Execute and Query mean the same on each; and what a
// body of Database::ReadOneQuery gets on either, OneQueryTransaction.
#ifndef SUMMIT_COMMON_STORAGE_CONNECTION_TRANSACTION_H_
#define SUMMIT_COMMON_STORAGE_CONNECTION_TRANSACTION_H_

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
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

  absl::Status ExecuteLater(absl::string_view sql, absl::Span<const SqlValue> params) override {
    return connection_.RunLater(sql, params);
  }

  SqlDialect dialect() const override { return kDialect; }

 private:
  Connection& connection_;
};

// `inner` for one query, and nothing else: what Database::ReadOneQuery
// hands its body, so that a body outgrowing it fails on either backend, in
// tests, rather than read two snapshots on PostgreSQL.
class OneQueryTransaction final : public Transaction {
 public:
  explicit OneQueryTransaction(Transaction& inner) : inner_(inner) {}

  absl::StatusOr<int64_t> Execute(absl::string_view sql,
                                  absl::Span<const SqlValue> /*params*/) override {
    return absl::InternalError(absl::StrCat("a change in a one-query read: ", sql));
  }

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const SqlValue> params) override {
    if (std::exchange(queried_, true)) {
      return absl::InternalError(absl::StrCat("a second query in a one-query read: ", sql));
    }
    return inner_.Query(sql, params);
  }

  SqlDialect dialect() const override { return inner_.dialect(); }

 private:
  Transaction& inner_;
  bool queried_ = false;
};

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_CONNECTION_TRANSACTION_H_
