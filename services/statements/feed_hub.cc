#include "services/statements/feed_hub.h"

namespace summit::statements {

FeedHub::FeedHub(absl::Duration poll_interval)
    : poll_interval_(poll_interval), thread_([this] { Run(); }) {}

FeedHub::~FeedHub() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void FeedHub::PollVersion(std::function<absl::StatusOr<int64_t>()> version) {
  absl::MutexLock lock(&mu_);
  version_ = std::move(version);
}

int64_t FeedHub::Subscribe(std::function<void()> wake) {
  absl::MutexLock lock(&mu_);
  const int64_t id = next_id_++;
  subscribers_.emplace(id, std::move(wake));
  return id;
}

void FeedHub::Unsubscribe(int64_t id) {
  absl::MutexLock lock(&mu_);
  subscribers_.erase(id);
}

void FeedHub::Notify() {
  absl::MutexLock lock(&mu_);
  moved_ = true;
}

void FeedHub::Close() {
  closed_.store(true, std::memory_order_release);
  Notify();
}

void FeedHub::Run() {
  absl::MutexLock lock(&mu_);
  const auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return moved_ || stopping_; };
  while (!stopping_) {
    // Waiting releases the lock, so subscribers come and go meanwhile.
    const bool notified = mu_.AwaitWithTimeout(absl::Condition(&woken), poll_interval_);
    if (stopping_) break;
    if (!notified && version_) {
      // Read without the lock: subscribers come and go, and publishers
      // notify, meanwhile.
      const std::function<absl::StatusOr<int64_t>()> version = version_;
      mu_.Unlock();
      const absl::StatusOr<int64_t> now = version();
      mu_.Lock();
      if (stopping_) break;
      if (now.ok() && last_version_ == *now && !moved_) continue;
      last_version_ = now.ok() ? std::optional<int64_t>(*now) : std::nullopt;
    }
    moved_ = false;
    for (auto& [id, wake] : subscribers_) wake();
  }
}

}  // namespace summit::statements
