// The scheduling database's schema, as forward-only migrations.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULING_SCHEMA_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULING_SCHEMA_H_

#include <vector>

#include "common/storage/database.h"

namespace summit::scheduling {

const std::vector<storage::Migration>& SchedulingMigrations();

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULING_SCHEMA_H_
