// A start line for threads: each caller of ArriveAndWait() waits there until `parties` have
// arrived, so that what the threads do next (the race a test names) starts together, every run.
//
//   StartLine start(kWriters);
//   ... in each writer: start.ArriveAndWait(); then race.
//
// Thread-safety: ArriveAndWait may be called from any thread.
#ifndef SUMMIT_TESTS_SUPPORT_START_LINE_H_
#define SUMMIT_TESTS_SUPPORT_START_LINE_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace summit::testing {

class StartLine {
 public:
  explicit StartLine(int parties) : waiting_(parties) {}

  void ArriveAndWait() {
    absl::MutexLock lock(&mu_);
    --waiting_;
    mu_.Await(absl::Condition(+[](int* waiting) { return *waiting <= 0; }, &waiting_));
  }

 private:
  absl::Mutex mu_;
  int waiting_ ABSL_GUARDED_BY(mu_);
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_START_LINE_H_
