// The registry database's schema, as forward-only migrations. A shipped
// migration is never edited; a change is a new one with the next version.
#ifndef SUMMIT_SERVICES_REGISTRY_REGISTRY_SCHEMA_H_
#define SUMMIT_SERVICES_REGISTRY_REGISTRY_SCHEMA_H_

#include <vector>

#include "common/storage/database.h"

namespace summit::registry {

const std::vector<storage::Migration>& RegistryMigrations();

}  // namespace summit::registry

#endif  // SUMMIT_SERVICES_REGISTRY_REGISTRY_SCHEMA_H_
