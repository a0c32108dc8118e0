#include "common/storage/wal_flusher.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/storage/database.h"

namespace summit::storage {
namespace {

absl::Status FlushError(absl::string_view doing, const std::string& path, int error) {
  return DatabaseError(absl::StatusCode::kUnavailable, "making a commit durable",
                       absl::StrCat(doing, " ", path, ": ", std::strerror(error)));
}

// fsync of the folder holding `path`, so that a file just created there
// stays there.
absl::Status SyncFolderOf(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  const int fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FlushError("opening the folder of", path, errno);
  const int rc = fsync(fd);
  const int error = errno;
  close(fd);
  if (rc != 0) return FlushError("syncing the folder of", path, error);
  return absl::OkStatus();
}

}  // namespace

WalFlusher::WalFlusher(std::string wal_path) : wal_path_(std::move(wal_path)) {}

WalFlusher::~WalFlusher() {
  if (fd_ >= 0) close(fd_);
}

int64_t WalFlusher::Committing() {
  return committing_.fetch_add(1, std::memory_order_acq_rel) + 1;
}

void WalFlusher::Committed(int64_t commit) {
  absl::MutexLock lock(&mu_);
  committed_ = std::max(committed_, commit);
}

absl::Status WalFlusher::WaitFlushed(int64_t commit) {
  if (flushed_fast_.load(std::memory_order_acquire) >= commit) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  while (true) {
    if (!failure_.ok()) return failure_;
    if (flushed_ >= commit) return absl::OkStatus();
    if (!flushing_ && committed_ >= commit) {
      // Lead a flush: it covers every commit written before it begins,
      // those of the callers that wait meanwhile too.
      flushing_ = true;
      const int64_t target = committed_;
      mu_.Unlock();
      const absl::Status synced = SyncWal();
      mu_.Lock();
      flushing_ = false;
      if (synced.ok()) {
        flushed_ = std::max(flushed_, target);
        flushed_fast_.store(flushed_, std::memory_order_release);
      } else {
        failure_ = synced;
      }
      continue;
    }
    // A flush under way, or the commit still being written: wait for either
    // to end.
    const auto can_go_on = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !failure_.ok() || flushed_ >= commit || (!flushing_ && committed_ >= commit);
    };
    mu_.Await(absl::Condition(&can_go_on));
  }
}

absl::Status WalFlusher::SyncWal() {
  // SQLite keeps one WAL file while the writer has the database open, but a
  // file replaced underneath must be the one flushed. A WAL that is gone
  // holds nothing to flush: SQLite deletes it only after a checkpoint has
  // copied it into the database and synced that.
  struct stat named, opened;
  if (stat(wal_path_.c_str(), &named) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return FlushError("finding", wal_path_, errno);
  }
  if (fd_ >= 0 && (fstat(fd_, &opened) != 0 || opened.st_ino != named.st_ino ||
                   opened.st_dev != named.st_dev)) {
    close(fd_);
    fd_ = -1;
  }
  if (fd_ < 0) {
    fd_ = open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return FlushError("opening", wal_path_, errno);
    if (absl::Status folder = SyncFolderOf(wal_path_); !folder.ok()) return folder;
  }
  // Flushes what any descriptor of the file wrote: the writer's commits.
  if (fdatasync(fd_) != 0) return FlushError("flushing", wal_path_, errno);
  return absl::OkStatus();
}

}  // namespace summit::storage
