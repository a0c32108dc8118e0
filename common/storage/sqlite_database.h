// The embedded default backend of Database: one SQLite file in WAL mode with
// synchronous=FULL (a commit is on disk before it is acknowledged) and foreign
// keys enforced. Writes go through one connection, one transaction at a time
// (SQLite allows one writer); reads use a pool of connections that run beside
// the writer on WAL snapshots. Prepared statements are cached per connection.
#ifndef SUMMIT_COMMON_STORAGE_SQLITE_DATABASE_H_
#define SUMMIT_COMMON_STORAGE_SQLITE_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/storage/database.h"

namespace summit::storage {

// Opens (creating when missing) the SQLite database at `path`; ":memory:" for
// a private in-memory one.
absl::StatusOr<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path);

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_SQLITE_DATABASE_H_
