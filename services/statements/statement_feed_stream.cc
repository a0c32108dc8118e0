#include "services/statements/statement_feed_stream.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/peers/peer_channel.h"
#include "common/server/caller_key.h"
#include "common/status/grpc_status.h"

namespace summit::statements {
namespace {

// Events read from the feed at a time; the stream sends them one by one.
constexpr int kFeedBatch = 100;

}  // namespace

StatementFeedStream::StatementFeedStream(Statements& statements, FeedHub& feed,
                                         server::OpenFeeds& open_feeds,
                                         server::ServiceCalls& calls,
                                         grpc::CallbackServerContext* context,
                                         const v1::WatchStatementsRequest& request)
    : statements_(statements),
      feed_(feed),
      calls_(calls),
      start_(absl::Now()),
      admission_(server::CallGate::Process().Admit()) {
  const absl::StatusOr<auth::Principal> principal = calls_.authenticator.Authenticate(*context);
  caller_description_ = server::DescribeCaller(principal);
  bool refused = false;
  {
    absl::MutexLock lock(&mu_);
    absl::Status refusal;
    if (!admission_.admitted()) {
      refusal = absl::UnavailableError(std::string(server::CallGate::Refusal().error_message()));
    } else if (!principal.ok()) {
      refusal = principal.status();
    } else {
      absl::StatusOr<server::OpenFeeds::Admission> open_feed =
          open_feeds.Admit(server::CallerKey(principal->subject, context->peer()));
      if (open_feed.ok()) open_feed_ = *std::move(open_feed);
      refusal = open_feed.status();
    }
    if (!refusal.ok()) {
      End(refusal);
      refused = true;
    } else {
      caller_ = Caller{*principal, [context] { return peers::OutgoingContext(*context); }};
      starting_ = true;
    }
  }
  if (refused) {
    FinishIfEnded();
    return;
  }
  // Where the watch starts may ask the Registry, and its first events are a
  // database read: work for the service's own threads, never for gRPC's few
  // callback threads, which every other call needs too.
  if (calls_.work != nullptr) {
    calls_.work->Run([this, request] { Begin(request); });
  } else {
    Begin(request);
  }
}

void StatementFeedStream::Begin(v1::WatchStatementsRequest request) {
  // Without the lock: a cancellation meanwhile is held back until this is done (End).
  absl::StatusOr<FeedCursor> cursor = statements_.StartWatching(caller_, request);
  {
    absl::MutexLock lock(&mu_);
    starting_ = false;
    if (end_after_start_.has_value()) {
      End(*end_after_start_);
    } else if (!cursor.ok()) {
      End(cursor.status());
    } else {
      cursor_ = *std::move(cursor);
      // Headers go out now, so a client (or the gateway's event stream) knows
      // the watch has begun even before the first event.
      StartSendInitialMetadata();
      subscription_ = feed_.Subscribe([this] {
        {
          absl::MutexLock lock(&mu_);
          Pump();
        }
        FinishIfEnded();
      });
      Pump();
    }
  }
  FinishIfEnded();
}

void StatementFeedStream::Pump() {
  if (finished_ || write_in_flight_) return;
  if (feed_.closed()) {
    return End(absl::UnavailableError(
        "the server is shutting down; reconnect with the last resume_token"));
  }
  if (waiting_.empty()) {
    absl::StatusOr<std::vector<v1::StatementEvent>> events =
        statements_.NextFeedEvents(caller_, cursor_, kFeedBatch);
    if (!events.ok()) return End(events.status());
    for (v1::StatementEvent& event : *events) waiting_.push_back(std::move(event));
  }
  if (waiting_.empty()) return;  // the hub wakes us when the feed moves
  sending_ = std::move(waiting_.front());
  waiting_.pop_front();
  write_in_flight_ = true;
  StartWrite(&sending_);
}

void StatementFeedStream::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    write_in_flight_ = false;
    if (end_after_write_.has_value()) {
      End(*end_after_write_);
    } else if (!ok) {
      End(absl::CancelledError("the client went away"));
    } else {
      Pump();
    }
  }
  FinishIfEnded();
}

void StatementFeedStream::OnCancel() {
  {
    absl::MutexLock lock(&mu_);
    End(absl::CancelledError("the client cancelled the feed"));
  }
  FinishIfEnded();
}

void StatementFeedStream::FinishIfEnded() {
  std::optional<grpc::Status> reply;
  {
    absl::MutexLock lock(&mu_);
    reply = std::exchange(finish_, std::nullopt);
  }
  if (reply.has_value()) Finish(*reply);
}

void StatementFeedStream::End(const absl::Status& status) {
  if (finished_) return;
  if (starting_) {
    // Begin still runs and refers to this stream: it ends it when done.
    if (!end_after_start_.has_value()) end_after_start_ = status;
    return;
  }
  if (write_in_flight_) {
    end_after_write_ = status;
    return;
  }
  finished_ = true;
  const grpc::Status reply = ToGrpcStatus(status);
  calls_.observer.Record(absl::StrCat("/", calls_.service_name, "/WatchStatements"),
                         reply.error_code(), absl::Now() - start_, caller_description_);
  finish_ = reply;
}

void StatementFeedStream::OnDone() {
  // After Unsubscribe returns the hub never calls Pump again.
  if (subscription_ != 0) feed_.Unsubscribe(subscription_);
  delete this;
}

}  // namespace summit::statements
