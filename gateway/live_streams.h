// The live streams the gateway forwards (the statements feed, over gRPC and as Server-Sent
// Events), so that a draining gateway ends them at once with UNAVAILABLE and a word on how to
// resume, instead of holding its shutdown until the grace period cuts them off with CANCELLED,
// which tells a client nothing. A backend's own streams end the same way when it drains.
//
//   const int64_t id = live.Add([this] { drained_ = true; context_.TryCancel(); });
//   ... when the forwarded stream is done:
//   live.Remove(id);
//   if (drained_) status = LiveStreams::DrainedStatus();
//
// Thread-safety: every method may be called from any thread. `end` functions run with the
// registry's lock held: they must neither block nor call back into it (ClientContext::TryCancel
// runs no reaction inline, so it is fine).
#ifndef SUMMIT_GATEWAY_LIVE_STREAMS_H_
#define SUMMIT_GATEWAY_LIVE_STREAMS_H_

#include <cstdint>
#include <functional>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/status.h"

namespace summit::gateway {

class LiveStreams {
 public:
  // Registers a stream; `end` runs once if the gateway drains while it lives (at once when it
  // already drains). Returns the id to Remove it with.
  int64_t Add(std::function<void()> end);

  // The stream is done: its `end` does not run after this returns.
  void Remove(int64_t id);

  // The gateway drains: ends every stream registered, and every one registered from now on.
  void EndAll();

  // What a stream ended by EndAll answers its client: UNAVAILABLE (retry elsewhere), resuming
  // from the last event received.
  static grpc::Status DrainedStatus();

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<int64_t, std::function<void()>> ends_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_LIVE_STREAMS_H_
