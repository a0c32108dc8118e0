#include "gateway/live_streams.h"

#include <utility>

namespace summit::gateway {

int64_t LiveStreams::Add(std::function<void()> end) {
  absl::MutexLock lock(&mu_);
  if (draining_) end();
  const int64_t id = next_id_++;
  ends_.emplace(id, std::move(end));
  return id;
}

void LiveStreams::Remove(int64_t id) {
  absl::MutexLock lock(&mu_);
  ends_.erase(id);
}

void LiveStreams::EndAll() {
  absl::MutexLock lock(&mu_);
  if (draining_) return;
  draining_ = true;
  for (auto& [id, end] : ends_) end();
}

grpc::Status LiveStreams::DrainedStatus() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the gateway is shutting down; reconnect with the last resume_token");
}

}  // namespace summit::gateway
