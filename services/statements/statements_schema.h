// The statements database's schema, as forward-only migrations.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SCHEMA_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SCHEMA_H_

#include <vector>

#include "absl/status/status.h"
#include "common/storage/database.h"

namespace summit::statements {

const std::vector<storage::Migration>& StatementsMigrations();

// The channel on which PostgreSQL tells every listening replica that the live feed grew: each
// entry of statement_feed notifies it in the transaction that adds the entry (migration 5), so
// replicas hear of it once it is committed (Database::ListenForNotifications).
inline constexpr char kFeedChannel[] = "summit_statement_feed";

// What migration 3 cannot do in SQL: indexes the signatory delegations of the statements made
// before it, which are inside each statement's serialized data. Run after the migrations and
// before serving (main.cc); it does nothing once done, and replicas starting at once may all
// run it.
absl::Status IndexEarlierSignatories(storage::Database& database);

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SCHEMA_H_
