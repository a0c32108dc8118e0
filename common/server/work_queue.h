// Threads of a server's own for work that blocks — a write waiting for its
// fsync, a search, a view waiting for its backend calls — so that it never
// occupies gRPC's few callback threads (two on a two-core machine), and so
// that many writers can reach the database at once and share its commits.
#ifndef SUMMIT_COMMON_SERVER_WORK_QUEUE_H_
#define SUMMIT_COMMON_SERVER_WORK_QUEUE_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace summit::server {

class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  // Runs what is queued, then stops the threads.
  ~WorkQueue();

  void Run(std::function<void()> work);

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_WORK_QUEUE_H_
