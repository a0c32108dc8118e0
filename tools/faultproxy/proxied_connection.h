// One client connection through the fault proxy and its connection to the upstream: two
// pumps (client → upstream and back), each a thread that reads, delays, paces and writes
// according to the fault in force, which it reads again at least every 20 ms.
//
// A pump that reads end-of-stream passes it on (shutdown for writing) once everything before
// it was written; a read or write error on either side resets both (RST, SO_LINGER 0), as a
// broken network path would. The sockets close when both pumps have ended.
//
// Thread-safety: Reset(), Close() and Finished() may be called from any thread.
#ifndef SUMMIT_TOOLS_FAULTPROXY_PROXIED_CONNECTION_H_
#define SUMMIT_TOOLS_FAULTPROXY_PROXIED_CONNECTION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "tools/faultproxy/fault.h"

namespace summit::faultproxy {

// What the proxy counts over all its connections.
struct TrafficCounters {
  std::atomic<int64_t> bytes_up{0};    // forwarded client → upstream
  std::atomic<int64_t> bytes_down{0};  // forwarded upstream → client
  std::atomic<int64_t> resets{0};      // connections reset (by a fault or a peer's error)
};

class ProxiedConnection {
 public:
  // Takes ownership of both connected sockets and starts the pumps. `fault` is called often,
  // from the pump threads, for the fault in force; `counters` must outlive the connection.
  ProxiedConnection(int client_fd, int upstream_fd, std::function<Fault()> fault,
                    TrafficCounters* counters);
  // Closes (Close()) and waits for the pumps.
  ~ProxiedConnection();
  ProxiedConnection(const ProxiedConnection&) = delete;
  ProxiedConnection& operator=(const ProxiedConnection&) = delete;

  // Resets both sides now: each peer's next read or write fails with ECONNRESET.
  void Reset();
  // Ends both pumps; both peers see an orderly close (FIN).
  void Close();
  // Whether both pumps have ended (the sockets are closed).
  bool Finished() const { return pumps_running_.load() == 0; }

 private:
  void Pump(bool up);
  void Stop(bool reset);
  bool Stopping() const { return stopping_.load(); }
  void PumpEnded();

  const int client_fd_;
  const int upstream_fd_;
  const int wake_fd_;  // an eventfd, readable once the connection is stopping
  const std::function<Fault()> fault_;
  TrafficCounters* const counters_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> reset_{false};
  std::atomic<int> pumps_running_{2};
  // Guards the descriptors against use after the last pump closed them (and the numbers were
  // reused): Reset() from another thread sets options on them only while they are open.
  absl::Mutex fds_mu_;
  bool closed_ ABSL_GUARDED_BY(fds_mu_) = false;
  std::thread up_;
  std::thread down_;
};

}  // namespace summit::faultproxy

#endif  // SUMMIT_TOOLS_FAULTPROXY_PROXIED_CONNECTION_H_
