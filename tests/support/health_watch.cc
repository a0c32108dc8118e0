#include "tests/support/health_watch.h"

#include <algorithm>
#include <utility>

#include "grpc/health/v1/health.grpc.pb.h"

namespace summit::testing {

HealthWatch::HealthWatch(std::shared_ptr<grpc::Channel> channel, std::string service) {
  // A watch lives as long as the test wants it; the destructor ends it.
  context_.set_wait_for_ready(true);
  thread_ = std::thread([this, channel = std::move(channel), service = std::move(service)] {
    Watch(channel, service);
  });
}

HealthWatch::~HealthWatch() {
  context_.TryCancel();
  thread_.join();
}

void HealthWatch::Watch(std::shared_ptr<grpc::Channel> channel, std::string service) {
  auto stub = grpc::health::v1::Health::NewStub(std::move(channel));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(std::move(service));
  std::unique_ptr<grpc::ClientReader<grpc::health::v1::HealthCheckResponse>> reader =
      stub->Watch(&context_, request);
  grpc::health::v1::HealthCheckResponse response;
  while (reader->Read(&response)) {
    absl::MutexLock lock(&mu_);
    seen_.push_back(response.status());
  }
  grpc::Status status = reader->Finish();
  absl::MutexLock lock(&mu_);
  ended_ = std::move(status);
}

bool HealthWatch::WaitFor(ServingStatus status, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto seen_or_ended = [this, status]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return ended_.has_value() || std::find(seen_.begin(), seen_.end(), status) != seen_.end();
  };
  mu_.AwaitWithTimeout(absl::Condition(&seen_or_ended), timeout);
  return std::find(seen_.begin(), seen_.end(), status) != seen_.end();
}

std::vector<HealthWatch::ServingStatus> HealthWatch::Seen() const {
  absl::MutexLock lock(&mu_);
  return seen_;
}

std::optional<grpc::Status> HealthWatch::Ended() const {
  absl::MutexLock lock(&mu_);
  return ended_;
}

}  // namespace summit::testing
