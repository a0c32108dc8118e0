#include "common/server/health_service.h"

#include <optional>
#include <utility>

namespace summit::server {

namespace hv1 = ::grpc::health::v1;

// One Watch: sends the status now and on every change, one write at a time (the latest status
// waits while one is being sent), until the client cancels or the service ends the watches.
class HealthService::WatchReactor final : public grpc::ServerWriteReactor<hv1::HealthCheckResponse> {
 public:
  WatchReactor(HealthService& service, std::string name) : name(std::move(name)), service_(service) {}

  const std::string name;  // the service watched

  // Called with the service's lock held.
  void Send(ServingStatus status) {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    waiting_ = status;
    Pump();
  }

  // Called with the service's lock held: ends the watch once what it owes is sent.
  void End() {
    absl::MutexLock lock(&mu_);
    ending_ = true;
    Pump();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) return FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher left"));
    Pump();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher left"));
  }

  void OnDone() override {
    service_.Forget(this);
    delete this;
  }

 private:
  void Pump() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || writing_) return;
    if (waiting_.has_value()) {
      sending_.set_status(*waiting_);
      waiting_.reset();
      writing_ = true;
      StartWrite(&sending_);
      return;
    }
    if (ending_) {
      FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                "the server is shutting down; watch another replica"));
    }
  }

  void FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  HealthService& service_;
  absl::Mutex mu_;
  hv1::HealthCheckResponse sending_ ABSL_GUARDED_BY(mu_);
  std::optional<ServingStatus> waiting_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool ending_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

HealthService::~HealthService() {
  // The server is stopped before its services are destroyed: every watch is done by now.
  absl::MutexLock lock(&mu_);
  const auto forgotten = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return watches_.empty(); };
  mu_.Await(absl::Condition(&forgotten));
}

HealthService::ServingStatus HealthService::StatusLocked(const std::string& service) const {
  const auto it = serving_.find(service);
  if (it == serving_.end()) return hv1::HealthCheckResponse::SERVICE_UNKNOWN;
  return it->second && !draining_ ? hv1::HealthCheckResponse::SERVING
                                  : hv1::HealthCheckResponse::NOT_SERVING;
}

void HealthService::SetServing(const std::string& service, bool serving) {
  absl::MutexLock lock(&mu_);
  const ServingStatus before = StatusLocked(service);
  serving_[service] = serving;
  const ServingStatus after = StatusLocked(service);
  if (after == before) return;
  for (WatchReactor* watch : watches_) {
    if (watch->name == service) watch->Send(after);
  }
}

void HealthService::Drain() {
  absl::MutexLock lock(&mu_);
  draining_ = true;
  for (WatchReactor* watch : watches_) watch->Send(StatusLocked(watch->name));
}

void HealthService::EndWatches() {
  absl::MutexLock lock(&mu_);
  watches_ended_ = true;
  for (WatchReactor* watch : watches_) watch->End();
}

void HealthService::Forget(WatchReactor* watch) {
  absl::MutexLock lock(&mu_);
  watches_.erase(watch);
}

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context,
                                               const hv1::HealthCheckRequest* request,
                                               hv1::HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  ServingStatus status;
  {
    absl::MutexLock lock(&mu_);
    status = StatusLocked(request->service());
  }
  if (status == hv1::HealthCheckResponse::SERVICE_UNKNOWN) {
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
  } else {
    response->set_status(status);
    reactor->Finish(grpc::Status::OK);
  }
  return reactor;
}

grpc::ServerWriteReactor<hv1::HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* /*context*/, const hv1::HealthCheckRequest* request) {
  auto* watch = new WatchReactor(*this, request->service());
  absl::MutexLock lock(&mu_);
  watches_.insert(watch);
  watch->Send(StatusLocked(watch->name));
  if (watches_ended_) watch->End();
  return watch;
}

}  // namespace summit::server
