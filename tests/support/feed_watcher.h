// A WatchStatements call read on a thread of its own into a list, until it is stopped: what a
// test of the live feed holds to see what a watcher was sent, in order.
//
//   FeedWatcher watcher(stub.get(), token, request);  // request: parent, from_beginning, …
//   ASSERT_TRUE(watcher.WaitForEvents(3));            // bounded by kPatience, never asserted on
//   EXPECT_THAT(watcher.Events(), SizeIs(3));
//   EXPECT_THAT(watcher.Stop(), …);                   // CANCELLED: the client went away
//
// The call carries a deadline kPatience from its start.
//
// Thread-safety: every method may be called from any thread.
#ifndef SUMMIT_TESTS_SUPPORT_FEED_WATCHER_H_
#define SUMMIT_TESTS_SUPPORT_FEED_WATCHER_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/serving_process.h"

namespace summit::testing {

class FeedWatcher {
 public:
  // Watches as the bearer of `token` ("" for the public).
  FeedWatcher(statements::v1::StatementsService::Stub* stub, const std::string& token,
              const statements::v1::WatchStatementsRequest& request);
  ~FeedWatcher() { (void)Stop(); }
  FeedWatcher(const FeedWatcher&) = delete;
  FeedWatcher& operator=(const FeedWatcher&) = delete;

  // Waits (bounded) until the server's headers came (it has begun the watch: a watch that is
  // not from the beginning and not resumed holds everything the feed gets from then on) or the
  // stream ended; true when they came.
  bool WaitForStart(absl::Duration timeout = kPatience);

  // Waits (bounded) until at least `count` events have come or the stream ended; true when
  // they came.
  bool WaitForEvents(size_t count, absl::Duration timeout = kPatience);

  // Cancels the call (the client disconnects) and returns how it ended.
  grpc::Status Stop();

  std::vector<statements::v1::StatementEvent> Events();

  // How the stream ended by itself (before Stop), if it did.
  std::optional<grpc::Status> EndedWith();

 private:
  bool ReadyLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return ended_ || events_.size() >= wanted_;
  }
  void Run();

  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<statements::v1::StatementEvent>> reader_;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<statements::v1::StatementEvent> events_ ABSL_GUARDED_BY(mu_);
  size_t wanted_ ABSL_GUARDED_BY(mu_) = 0;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_FEED_WATCHER_H_
