// One WatchStatements call: a server stream that sends the caller every feed
// entry they may see after their cursor, in commit order, one write at a
// time, and then waits for the feed hub to say the feed moved. It ends only
// when the client cancels (or the server shuts down); a client reconnects
// with the resume_token of the last event it received. A feed past the caps
// on open feeds (common/server/open_feeds.h; the caller is its token's
// subject, or its address for the public) is refused RESOURCE_EXHAUSTED
// before it reads anything.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENT_FEED_STREAM_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENT_FEED_STREAM_H_

#include <cstdint>
#include <deque>
#include <optional>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/server/call_gate.h"
#include "common/server/open_feeds.h"
#include "common/server/unary_handler.h"
#include "grpcpp/support/server_callback.h"
#include "services/statements/feed_hub.h"
#include "services/statements/statements.h"

namespace summit::statements {

class StatementFeedStream final : public grpc::ServerWriteReactor<v1::StatementEvent> {
 public:
  // Deletes itself when the call is done.
  StatementFeedStream(Statements& statements, FeedHub& feed, server::OpenFeeds& open_feeds,
                      server::ServiceCalls& calls, grpc::CallbackServerContext* context,
                      const v1::WatchStatementsRequest& request);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // Finds where the watch starts and sends what the feed holds after it; on
  // the service's work queue.
  void Begin(v1::WatchStatementsRequest request);
  // Sends the next event when none is being sent, reading more from the
  // feed when none is waiting.
  void Pump() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the call: the answer is kept in finish_ for FinishIfEnded, which
  // sends it once the lock is released.
  void End(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sends the answer End kept, if any. Called without the lock, and as the
  // last thing a thread does with this stream: OnDone, which deletes it, may
  // run on another thread as soon as Finish is called (found by
  // sql_injection_test: a feed refused on the work queue finished under the
  // lock, and OnDone destroyed the mutex its thread still held).
  void FinishIfEnded() ABSL_LOCKS_EXCLUDED(mu_);

  Statements& statements_;
  FeedHub& feed_;
  server::ServiceCalls& calls_;
  const absl::Time start_;
  std::string caller_description_;
  Caller caller_;
  FeedCursor cursor_;

  absl::Mutex mu_;
  std::deque<v1::StatementEvent> waiting_ ABSL_GUARDED_BY(mu_);
  v1::StatementEvent sending_ ABSL_GUARDED_BY(mu_);
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_ ABSL_GUARDED_BY(mu_);
  // Set when the stream should end once the write in flight completes.
  std::optional<absl::Status> end_after_write_ ABSL_GUARDED_BY(mu_);
  // Set while Begin runs, and then how the stream should end when it is done.
  bool starting_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<absl::Status> end_after_start_ ABSL_GUARDED_BY(mu_);
  int64_t subscription_ = 0;
  // In flight for the process's CallGate until the stream is done.
  server::CallGate::Admission admission_;
  // The feed's place under the caps on open feeds, until the stream is done.
  server::OpenFeeds::Admission open_feed_;
};

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENT_FEED_STREAM_H_
