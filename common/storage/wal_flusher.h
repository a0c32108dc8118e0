// Makes SQLite's commits durable outside the writer's lock, so that the
// flush of one group commit overlaps the next group's transaction instead of
// holding it up.
//
// The writer connection runs synchronous=NORMAL: a COMMIT writes its frames
// to the write-ahead log (WAL) without waiting for the disk, and SQLite
// still syncs the WAL and the database around every checkpoint, so the file
// is never corrupt. What NORMAL gives up — that a commit is on disk when it
// returns — WalFlusher gives back: every commit takes a number (Committing,
// Committed, in commit order, on the one writer), and whoever must not go on
// before commit N is on disk waits for it (WaitFlushed). One fdatasync of
// the WAL, begun after commit N was written, makes every commit up to N
// durable; callers waiting meanwhile share it, and a flush in progress never
// stops the writer from committing the next group.
//
// Used by SqliteDatabase (sqlite_database.cc), which acknowledges a Write
// only after WaitFlushed for its commit, and lets a Read return only after
// WaitForVisible: nothing a caller is told, by its own write or by a read of
// someone else's, is lost when the machine crashes.
//
//   WalFlusher flusher("/var/lib/summit/statements.db-wal");
//   const int64_t commit = flusher.Committing();   // on the writer, before COMMIT
//   ... COMMIT ...
//   flusher.Committed(commit);
//   RETURN_IF_ERROR(flusher.WaitFlushed(commit));  // outside the writer's lock
//
// A failed flush is final: the data written since the last good one may be
// gone from the disk whatever later flushes report (Linux forgets the error
// once it has reported it), so every later wait fails as well, and with it
// every Write and Read, until the process restarts and SQLite recovers what
// the disk holds — as PostgreSQL stops on a failed fsync.
//
// Thread-safety: Committing and Committed are called by the holder of the
// writer (one thread at a time); the rest from any thread.
#ifndef SUMMIT_COMMON_STORAGE_WAL_FLUSHER_H_
#define SUMMIT_COMMON_STORAGE_WAL_FLUSHER_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace summit::storage {

class WalFlusher {
 public:
  // `wal_path`: the database file's path with "-wal" appended. The file is
  // opened at the first flush (SQLite creates it at the first write).
  explicit WalFlusher(std::string wal_path);
  ~WalFlusher();

  WalFlusher(const WalFlusher&) = delete;
  WalFlusher& operator=(const WalFlusher&) = delete;

  // Called right before a COMMIT on the writer: its number.
  int64_t Committing();
  // Called once that COMMIT returned, whether it succeeded or not.
  void Committed(int64_t commit);
  // The number of the last COMMIT begun (every one before it has returned).
  int64_t last_committing() const { return committing_.load(std::memory_order_acquire); }

  // Returns once every commit up to `commit` is on disk, flushing the WAL
  // when no flush that covers it is under way; or the flush's error.
  absl::Status WaitFlushed(int64_t commit);
  // WaitFlushed for every COMMIT begun so far: what a reader waits for
  // before it returns what it read, since its snapshot may hold any of them.
  absl::Status WaitForVisible() { return WaitFlushed(last_committing()); }

 private:
  // fdatasync of the WAL, (re)opening it when SQLite made a new one.
  absl::Status SyncWal();

  const std::string wal_path_;
  std::atomic<int64_t> committing_{0};
  // Lets waiters that need no flush skip the lock.
  std::atomic<int64_t> flushed_fast_{0};

  absl::Mutex mu_;
  int64_t committed_ ABSL_GUARDED_BY(mu_) = 0;  // the last COMMIT returned
  int64_t flushed_ ABSL_GUARDED_BY(mu_) = 0;    // durable up to here
  bool flushing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  int fd_ = -1;  // used only by the one flushing (flushing_)
};

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_WAL_FLUSHER_H_
