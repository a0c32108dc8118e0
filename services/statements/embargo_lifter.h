// Lifts embargoes when they are due, in the background: it sleeps until the
// next embargo is due (waking whenever the feed moves, since a publication
// may bring an earlier one), lets Statements lift what is due, and every
// `refresh_interval` asks Scheduling again when embargo sessions end, so an
// embargo follows its session when the session is moved.
#ifndef SUMMIT_SERVICES_STATEMENTS_EMBARGO_LIFTER_H_
#define SUMMIT_SERVICES_STATEMENTS_EMBARGO_LIFTER_H_

#include <cstdint>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/statements/feed_hub.h"
#include "services/statements/statements.h"

namespace summit::statements {

class EmbargoLifter {
 public:
  // Starts at once. `statements` and `feed` must outlive this.
  EmbargoLifter(Statements& statements, FeedHub& feed, OutgoingContextFactory own_calls,
                absl::Duration refresh_interval = absl::Seconds(30));
  // Stops and waits for the background thread.
  ~EmbargoLifter();

  EmbargoLifter(const EmbargoLifter&) = delete;
  EmbargoLifter& operator=(const EmbargoLifter&) = delete;

 private:
  void Run();
  // One round: refresh when due, lift what is due; returns when to look
  // again.
  absl::Time Round(absl::Time& next_refresh);

  Statements& statements_;
  FeedHub& feed_;
  const OutgoingContextFactory own_calls_;
  const absl::Duration refresh_interval_;
  absl::Mutex mu_;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t subscription_ = 0;
  std::thread thread_;
};

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_EMBARGO_LIFTER_H_
