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
    mu_.AwaitWithTimeout(absl::Condition(&woken), poll_interval_);
    if (stopping_) break;
    moved_ = false;
    for (auto& [id, wake] : subscribers_) wake();
  }
}

}  // namespace summit::statements
