// Which calls this process still takes. A server that drains closes the gate: from then on the
// server itself answers every new call UNAVAILABLE before its handler does anything, so the
// client knows the call did nothing and may retry it elsewhere, while the calls already admitted
// run to their end. Only once they have, and calls have stopped arriving for a moment, does
// gRPC's own shutdown run: gRPC 1.51 ends a call that reaches a server shutting down before a
// handler took it with CANCELLED (grpc/grpc#41785), which tells the client nothing — it cannot
// know whether the call ran, and retry policies do not retry it.
//
// Every handler that serves calls enters the gate first and leaves it when its call is done:
//
//   CallGate::Admission admission = CallGate::Process().Admit();
//   if (!admission.admitted()) return Refuse(CallGate::Refusal());
//   ... serve; `admission` leaves the gate when destroyed, or when moved into what finishes
//   the call and destroyed there ...
//
// One gate a process: a Summit binary serves one SummitServer, which closes it (summit_server.h).
//
// Thread-safety: all methods may be called from any thread.
#ifndef SUMMIT_COMMON_SERVER_CALL_GATE_H_
#define SUMMIT_COMMON_SERVER_CALL_GATE_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace summit::server {

class CallGate {
 public:
  // A call's pass through the gate: admitted (it counts as in flight until destroyed) or
  // refused. Movable, not copyable.
  class Admission {
   public:
    Admission() = default;
    Admission(Admission&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Admission& operator=(Admission&& other) noexcept;
    Admission(const Admission&) = delete;
    Admission& operator=(const Admission&) = delete;
    ~Admission() { Leave(); }

    bool admitted() const { return gate_ != nullptr; }
    // The call is done (before destruction, e.g. once its answer is sent).
    void Leave();

   private:
    friend class CallGate;
    explicit Admission(CallGate* gate) : gate_(gate) {}
    CallGate* gate_ = nullptr;
  };

  // The process's gate.
  static CallGate& Process();

  // Admits a call, or refuses it once the gate is closed.
  Admission Admit();

  // What a refused call is answered: UNAVAILABLE, retry elsewhere.
  static grpc::Status Refusal();

  // Refuses every call from now on, and waits until the admitted calls are done and none has
  // arrived for `quiet`, or until `deadline`. Whether the admitted calls are done.
  bool CloseAndDrain(absl::Time deadline, absl::Duration quiet);

  bool closed() const;

  CallGate() = default;
  CallGate(const CallGate&) = delete;
  CallGate& operator=(const CallGate&) = delete;

 private:
  mutable absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_arrival_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_CALL_GATE_H_
