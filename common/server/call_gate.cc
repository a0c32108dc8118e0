#include "common/server/call_gate.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace summit::server {

CallGate::Admission& CallGate::Admission::operator=(Admission&& other) noexcept {
  if (this != &other) {
    Leave();
    gate_ = other.gate_;
    other.gate_ = nullptr;
  }
  return *this;
}

void CallGate::Admission::Leave() {
  if (gate_ == nullptr) return;
  absl::MutexLock lock(&gate_->mu_);
  --gate_->in_flight_;
  gate_ = nullptr;
}

CallGate& CallGate::Process() {
  static CallGate* const gate = new CallGate();
  return *gate;
}

CallGate::Admission CallGate::Admit() {
  absl::MutexLock lock(&mu_);
  last_arrival_ = absl::Now();
  if (closed_) return Admission();
  ++in_flight_;
  return Admission(this);
}

grpc::Status CallGate::Refusal() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the server is shutting down; the call did nothing, retry it");
}

bool CallGate::CloseAndDrain(absl::Time deadline, absl::Duration quiet) {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  const auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; };
  mu_.AwaitWithDeadline(absl::Condition(&done), deadline);
  // Calls still arriving are refused here; wait for them to stop (each arrival restarts the
  // quiet period), within the deadline.
  while (in_flight_ == 0) {
    const absl::Time calm_at = std::min(last_arrival_ + quiet, deadline);
    if (absl::Now() >= calm_at) break;
    const absl::Time seen = last_arrival_;
    const auto arrived = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return last_arrival_ != seen;
    };
    mu_.AwaitWithDeadline(absl::Condition(&arrived), calm_at);
  }
  return in_flight_ == 0;
}

bool CallGate::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

}  // namespace summit::server
