// A few threads that run views: a view waits on its backend calls, which
// must not happen on gRPC's own callback threads.
#ifndef SUMMIT_GATEWAY_VIEWS_WORK_QUEUE_H_
#define SUMMIT_GATEWAY_VIEWS_WORK_QUEUE_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace summit::gateway {

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

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_VIEWS_WORK_QUEUE_H_
