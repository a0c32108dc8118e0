// A TCP proxy on loopback that forwards to one upstream and injects faults a test changes
// while it runs: latency and a bandwidth limit per direction, connection resets (RST) of open
// and of new connections, a black hole that keeps connections but forwards nothing, and
// schedules of these over time. Summit's tests put it between a client and a service, or
// between two services, to show what holds when the network misbehaves.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<FaultProxy> proxy,
//                    FaultProxy::Start({.upstream = "127.0.0.1:50051"}));
//   // point the client at proxy->address() (port 0 was asked for: any free port)
//   proxy->SetFault(ParseFault("latency=200ms").value());
//   proxy->SetFault(ParseFault("reset").value());       // every open connection gets an RST
//   proxy->SetFault(ParseFault("black_hole").value());  // calls now hang until their deadline
//   proxy->RunSchedule(ParseSchedule("1s:reset_new; 2s:none").value());
//   proxy->Stop();  // or let it go out of scope
//
// Loopback only: the listening and the upstream address must be in 127.0.0.0/8 or ::1, so
// test traffic never leaves the machine. The upstream is connected when a client connects; if
// that fails the client's connection is reset, as a refused connection would be.
//
// Thread-safety: every method may be called from any thread, also while traffic flows.
#ifndef SUMMIT_TOOLS_FAULTPROXY_FAULT_PROXY_H_
#define SUMMIT_TOOLS_FAULTPROXY_FAULT_PROXY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/faultproxy/fault.h"
#include "tools/faultproxy/loopback_address.h"
#include "tools/faultproxy/proxied_connection.h"

namespace summit::faultproxy {

class FaultProxy {
 public:
  struct Options {
    std::string listen = "127.0.0.1:0";  // HOST:PORT; port 0 picks a free port
    std::string upstream;                // HOST:PORT of the service behind the proxy
    Fault fault;                         // in force from the start
  };

  // What the proxy has seen since it started.
  struct Stats {
    int64_t connections_accepted = 0;
    int64_t connections_open = 0;
    int64_t connections_reset = 0;  // by a fault, or passing on a peer's reset
    int64_t bytes_up = 0;           // forwarded client → upstream
    int64_t bytes_down = 0;         // forwarded upstream → client
  };

  // Listens and starts accepting. INVALID_ARGUMENT for an address that is not loopback.
  static absl::StatusOr<std::unique_ptr<FaultProxy>> Start(const Options& options);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // The port it listens on, and "HOST:PORT" for a client to connect to.
  int port() const { return listen_address_.port(); }
  std::string address() const { return listen_address_.ToString(); }

  // Puts `fault` in force for all connections, open and new, and cancels a running schedule.
  // A fault with reset_current resets the open connections now.
  void SetFault(const Fault& fault);
  // The fault in force.
  Fault fault() const;
  // Resets every open connection; the fault in force stays.
  void ResetConnections();

  // Runs `steps` in a thread of their own, replacing a running schedule: each step's fault is
  // set (as SetFault would, without cancelling) `after` the previous step.
  void RunSchedule(std::vector<FaultStep> steps);
  void CancelSchedule();
  // Whether the schedule ran all its steps within `timeout`.
  bool WaitForSchedule(absl::Duration timeout);

  Stats stats() const;

  // Stops accepting, closes every connection (FIN) and joins every thread. Idempotent.
  void Stop();

 private:
  FaultProxy(int listen_fd, LoopbackAddress listen_address, LoopbackAddress upstream);
  void AcceptLoop();
  void Accept();
  void Apply(const Fault& fault);
  void ScheduleLoop(std::vector<FaultStep> steps, int64_t generation);
  void JoinSchedule();

  const int listen_fd_;
  const int wake_fd_;  // an eventfd: readable once Stop() was called
  const LoopbackAddress listen_address_;
  const LoopbackAddress upstream_;
  TrafficCounters counters_;

  mutable absl::Mutex fault_mu_;
  Fault fault_ ABSL_GUARDED_BY(fault_mu_);

  mutable absl::Mutex connections_mu_;
  std::vector<std::unique_ptr<ProxiedConnection>> connections_ ABSL_GUARDED_BY(connections_mu_);
  int64_t accepted_ ABSL_GUARDED_BY(connections_mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(connections_mu_) = false;

  absl::Mutex schedule_mu_;
  int64_t schedule_generation_ ABSL_GUARDED_BY(schedule_mu_) = 0;  // bumped to cancel
  bool schedule_done_ ABSL_GUARDED_BY(schedule_mu_) = true;
  std::thread schedule_thread_;  // touched only by the caller's thread(s) under control_mu_
  absl::Mutex control_mu_;       // serialises RunSchedule/CancelSchedule/Stop

  std::thread accept_thread_;
};

}  // namespace summit::faultproxy

#endif  // SUMMIT_TOOLS_FAULTPROXY_FAULT_PROXY_H_
