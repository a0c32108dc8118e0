// Calls to backends made in parallel: a view starts every call whose inputs
// it has, waits for just the calls its next step reads (WaitFor), starts
// the calls that step makes, and finally waits for all (Wait). Each call
// carries the caller's token and request id and a deadline a little before
// the caller's own, so that a slow backend costs its section, not the view —
// and never the sections of the backends that did answer: a step that waits
// only for what it reads is not held up by a hung backend it does not need.
//
//   GetEventRequest get_event;  // requests outlive the wave's calls
//   Wave wave(caller);
//   auto event = wave.Call<rv1::Event>([&](auto* context, auto* response, auto done) {
//     registry.async()->GetEvent(context, &get_event, response, std::move(done));
//   });
//   wave.WaitFor(event);
//   if (!event->status.ok()) …
#ifndef SUMMIT_GATEWAY_VIEWS_FAN_OUT_H_
#define SUMMIT_GATEWAY_VIEWS_FAN_OUT_H_

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/peers/forwarded_metadata.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace summit::gateway {

// Who asks for a view, as the backends must see them.
struct ViewCaller {
  peers::ForwardedMetadata forwarded;  // what the backend calls carry of the caller's
  absl::Time deadline;        // when the view must have answered
  absl::Time calls_deadline;  // when its backend calls must have ended (CallsDeadline)
};

// How much earlier than the view's deadline its backend calls must end, so
// that the view can still assemble and send what it has — a fifth of the
// time it was given, between these bounds, because on a loaded machine a
// fixed few milliseconds are not enough to answer in time.
inline constexpr absl::Duration kMinAssemblyMargin = absl::Milliseconds(30);
inline constexpr absl::Duration kMaxAssemblyMargin = absl::Seconds(1);
inline absl::Time CallsDeadline(absl::Time now, absl::Time deadline) {
  const absl::Duration margin =
      std::clamp((deadline - now) / 5, kMinAssemblyMargin, kMaxAssemblyMargin);
  return deadline - margin;
}

// the view can still assemble and send what it has.


template <typename Response>
struct CallResult {
  grpc::ClientContext context;
  Response response;
  grpc::Status status;
  bool done = false;  // guarded by the mutex of the Wave that made the call
};

class Wave {
 public:
  explicit Wave(const ViewCaller& caller) : caller_(caller) {}

  // Starts one call: `start(context, response, done)` must start an async
  // call that runs `done(status)` when it ends.
  template <typename Response, typename Start>
  std::shared_ptr<CallResult<Response>> Call(Start&& start) {
    auto result = std::make_shared<CallResult<Response>>();
    result->context.set_deadline(absl::ToChronoTime(caller_.calls_deadline));
    caller_.forwarded.ApplyTo(result->context);
    {
      absl::MutexLock lock(&mu_);
      ++pending_;
    }
    start(&result->context, &result->response, [this, result](grpc::Status status) {
      result->status = std::move(status);
      absl::MutexLock lock(&mu_);
      result->done = true;
      --pending_;
    });
    return result;
  }

  // Waits until the call of `result` (made by this wave) has ended — by its
  // deadline at the latest — while the wave's other calls go on.
  template <typename Response>
  void WaitFor(const std::shared_ptr<CallResult<Response>>& result) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&result->done));
  }

  // Waits until every call started so far has ended (each ends by its
  // deadline at the latest). The destructor waits too, so the requests a
  // wave's calls read must be declared before the wave.
  void Wait() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* pending) { return *pending == 0; }, &pending_));
  }

  ~Wave() { Wait(); }

 private:
  const ViewCaller& caller_;
  absl::Mutex mu_;
  int pending_ ABSL_GUARDED_BY(mu_) = 0;
};

// A failed call as a section's error: its code, message and details.
google::rpc::Status SectionError(const grpc::Status& status);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_VIEWS_FAN_OUT_H_
