// One WatchStatements call held open, for tests of how many feeds a server holds and what they
// do to other calls: it notes when the server took it (its headers came) and reads the feed's
// first event, then nothing more until cancelled (the stream stays open), and it tells how it
// ended. (The gateway's gRPC proxy passes headers on with the first event only.) Also a channel of a test's own, so that a
// test's streams do not share a connection (and its stream limit) with the suite's calls.
//
//   auto stub = statements::v1::StatementsService::NewStub(OwnChannel(port));
//   HeldFeed feed(*stub, token, "events/udib-2023");
//   ASSERT_TRUE(feed.WaitForFirstEvent(kPatience));
//   ...
//   feed.Cancel();
//   EXPECT_TRUE(feed.WaitForDone(kPatience));
//
// Thread-safety: the Wait… methods and Cancel may be called from any thread.
#ifndef SUMMIT_TESTS_SUPPORT_HELD_FEED_H_
#define SUMMIT_TESTS_SUPPORT_HELD_FEED_H_

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/client_callback.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"

namespace summit::testing {

// A plaintext channel to 127.0.0.1:`port` with a connection of its own, not shared with the
// suite's channels (gRPC shares connections among channels with equal arguments).
std::shared_ptr<grpc::Channel> OwnChannel(int port);

class HeldFeed final : public grpc::ClientReadReactor<statements::v1::StatementEvent> {
 public:
  // Watches `parent`'s feed from its beginning as the bearer of `token` ("" for the public).
  HeldFeed(statements::v1::StatementsService::Stub& stub, const std::string& token,
           const std::string& parent);
  ~HeldFeed() override;

  void OnReadInitialMetadataDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

  // The server took the feed: its headers came.
  bool WaitForStart(absl::Duration timeout);
  bool WaitForFirstEvent(absl::Duration timeout);
  bool has_first_event() const { return first_event_.HasBeenNotified(); }
  // Whether the first event came, waiting until it does or the call ends (refused, say).
  bool FirstEventOrEnd(absl::Duration timeout);
  void Cancel() { context_.TryCancel(); }
  bool WaitForDone(absl::Duration timeout);
  // How the call ended; valid once WaitForDone returned true.
  const grpc::Status& status() const { return status_; }

 private:
  grpc::ClientContext context_;
  statements::v1::WatchStatementsRequest request_;
  statements::v1::StatementEvent event_;
  absl::Notification started_;
  absl::Notification first_event_;
  absl::Notification done_;
  absl::Mutex mu_;
  bool answered_ ABSL_GUARDED_BY(mu_) = false;  // the first event came, or the call ended
  grpc::Status status_;
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_HELD_FEED_H_
