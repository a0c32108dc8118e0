// The statements database's schema, as forward-only migrations.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SCHEMA_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SCHEMA_H_

#include <vector>

#include "common/storage/database.h"

namespace summit::statements {

const std::vector<storage::Migration>& StatementsMigrations();

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SCHEMA_H_
