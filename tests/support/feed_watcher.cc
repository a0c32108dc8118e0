#include "tests/support/feed_watcher.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace summit::testing {

namespace v1 = ::summit::statements::v1;

FeedWatcher::FeedWatcher(v1::StatementsService::Stub* stub, const std::string& token,
                         const v1::WatchStatementsRequest& request) {
  context_.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
  if (!token.empty()) context_.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  reader_ = stub->WatchStatements(&context_, request);
  thread_ = std::thread([this] { Run(); });
}

bool FeedWatcher::WaitForStart(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  const auto started_or_ended = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return started_ || ended_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&started_or_ended), timeout);
  return started_;
}

bool FeedWatcher::WaitForEvents(size_t count, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  wanted_ = count;
  mu_.AwaitWithTimeout(absl::Condition(this, &FeedWatcher::ReadyLocked), timeout);
  return events_.size() >= count;
}

grpc::Status FeedWatcher::Stop() {
  context_.TryCancel();
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&mu_);
  return status_;
}

std::vector<v1::StatementEvent> FeedWatcher::Events() {
  absl::MutexLock lock(&mu_);
  return events_;
}

std::optional<grpc::Status> FeedWatcher::EndedWith() {
  absl::MutexLock lock(&mu_);
  if (!ended_) return std::nullopt;
  return status_;
}

void FeedWatcher::Run() {
  reader_->WaitForInitialMetadata();
  {
    absl::MutexLock lock(&mu_);
    started_ = true;
  }
  v1::StatementEvent event;
  while (reader_->Read(&event)) {
    absl::MutexLock lock(&mu_);
    events_.push_back(event);
  }
  const grpc::Status status = reader_->Finish();
  absl::MutexLock lock(&mu_);
  status_ = status;
  ended_ = true;
}

}  // namespace summit::testing
