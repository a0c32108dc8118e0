// The embedded default backend of Database: one SQLite file in WAL mode with
// synchronous=FULL (a commit is on disk before it is acknowledged) and foreign
// keys enforced. Writes go through one connection, one transaction at a time
// (SQLite allows one writer); reads use a pool of connections that run beside
// the writer on WAL snapshots. Prepared statements are cached per connection.
//
// Group commit: concurrent Writes share one transaction and one commit (one
// fsync) instead of waiting for an fsync each. One writer at a time, the
// leader, runs the bodies queued by all of them one after another, each in a
// savepoint of its own, then commits once; a failing body undoes only its own
// changes, and every write is acknowledged only once the commit is durable.
// Whenever the group cannot commit as one (a body made SQLite roll the whole
// transaction back, COMMIT failed), each of its writes is run again alone, so
// the outcome is always that of the writes run one by one.
//
// The flush of a group overlaps the next group: the writer commits with
// synchronous=NORMAL, and a WalFlusher (wal_flusher.h) flushes the WAL
// outside the writer's lock while the next group runs. A write is
// acknowledged once its commit is flushed, and a Read returns once every
// commit its snapshot may hold is: nothing anyone is told is lost when the
// machine crashes, as with FULL, without the writer waiting for the disk.
// Checkpoints (which flush the WAL and the database) run on a thread and
// connection of their own, not in the COMMIT that filled the WAL.
#ifndef SUMMIT_COMMON_STORAGE_SQLITE_DATABASE_H_
#define SUMMIT_COMMON_STORAGE_SQLITE_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/storage/database.h"

namespace summit::storage {

struct SqliteOptions {
  // Off, each Write commits alone (and pays its own fsync): for comparison.
  bool group_commit = true;
  // Off (synchronous=OFF), no commit waits for the disk, and a crash of the
  // machine may lose acknowledged writes or corrupt the file: never for
  // data anyone keeps. It exists as the bound a benchmark measures the
  // durable commit against (what publishing costs without any flush).
  bool synchronous = true;
};

// Opens (creating when missing) the SQLite database at `path`; ":memory:" for
// a private in-memory one.
absl::StatusOr<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path,
                                                             const SqliteOptions& options = {});

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_SQLITE_DATABASE_H_
