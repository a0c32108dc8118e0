#include "tools/faultproxy/proxied_connection.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "absl/time/clock.h"

namespace summit::faultproxy {
namespace {

// How often a pump looks at the fault again when nothing else wakes it.
constexpr absl::Duration kFaultPollInterval = absl::Milliseconds(20);
// Bytes a pump holds (read, not yet written) before it stops reading: back-pressure, so a
// slow direction slows its sender as a slow network would, instead of growing without bound.
constexpr size_t kMaxQueuedBytes = 1 << 20;
constexpr size_t kReadBytes = 64 * 1024;
// A paced direction writes slices of about this much of a second's allowance.
constexpr int64_t kSlicesPerSecond = 50;

// SO_LINGER with a zero timeout: close() then sends RST instead of FIN.
void SetResetOnClose(int fd) {
  linger option{};
  option.l_onoff = 1;
  option.l_linger = 0;
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
}

int PollMilliseconds(absl::Duration wait) {
  if (wait <= absl::ZeroDuration()) return 0;
  return static_cast<int>(std::ceil(absl::ToDoubleMilliseconds(wait)));
}

// Bytes read and waiting to be written.
struct Chunk {
  std::string bytes;
  size_t sent = 0;
  absl::Time due;  // not written before this (latency)
};

}  // namespace

ProxiedConnection::ProxiedConnection(int client_fd, int upstream_fd, std::function<Fault()> fault,
                                     TrafficCounters* counters)
    : client_fd_(client_fd),
      upstream_fd_(upstream_fd),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      fault_(std::move(fault)),
      counters_(counters) {
  up_ = std::thread([this] { Pump(/*up=*/true); });
  down_ = std::thread([this] { Pump(/*up=*/false); });
}

ProxiedConnection::~ProxiedConnection() {
  Close();
  up_.join();
  down_.join();
}

void ProxiedConnection::Reset() { Stop(/*reset=*/true); }

void ProxiedConnection::Close() { Stop(/*reset=*/false); }

void ProxiedConnection::Stop(bool reset) {
  // Under the lock and only while open: once both pumps ended, the numbers may already belong
  // to other sockets (found with ThreadSanitizer: a Close() after both pumps had ended wrote
  // to the closed eventfd's number).
  absl::MutexLock lock(&fds_mu_);
  if (closed_) return;
  if (reset && !reset_.exchange(true)) {
    SetResetOnClose(client_fd_);
    SetResetOnClose(upstream_fd_);
    counters_->resets.fetch_add(1);
  }
  if (!stopping_.exchange(true)) {
    const uint64_t one = 1;
    // The eventfd stays readable from now on: every poll of both pumps returns at once.
    (void)!write(wake_fd_, &one, sizeof one);
  }
}

void ProxiedConnection::PumpEnded() {
  if (pumps_running_.fetch_sub(1) != 1) return;
  absl::MutexLock lock(&fds_mu_);
  close(client_fd_);
  close(upstream_fd_);
  close(wake_fd_);
  closed_ = true;
}

void ProxiedConnection::Pump(bool up) {
  const int from = up ? client_fd_ : upstream_fd_;
  const int to = up ? upstream_fd_ : client_fd_;
  std::atomic<int64_t>& forwarded = up ? counters_->bytes_up : counters_->bytes_down;
  std::deque<Chunk> queue;
  size_t queued = 0;
  bool end_of_stream = false;
  // Pacing for a bandwidth limit: a slice of `slice_bytes` may be written at `slice_ready`,
  // which is when the previous slice's time on the link (`link_free`) plus its own is over.
  // So N bytes take at least N / rate from when the first of them was due.
  absl::Time link_free = absl::InfinitePast();
  std::optional<absl::Time> slice_ready;
  size_t slice_bytes = 0;

  while (!Stopping()) {
    const Fault fault = fault_();
    const DirectionFault& direction = up ? fault.up : fault.down;
    const absl::Time now = absl::Now();
    absl::Duration wait = kFaultPollInterval;
    bool want_write = false;
    if (end_of_stream && queue.empty()) {
      shutdown(to, SHUT_WR);  // the end of the stream, passed on after all it ended
      break;
    }
    if (!direction.black_hole && !queue.empty()) {
      const Chunk& head = queue.front();
      const size_t remaining = head.bytes.size() - head.sent;
      if (head.due > now) {
        wait = std::min(wait, head.due - now);
      } else if (direction.bytes_per_second > 0) {
        if (!slice_ready.has_value()) {
          slice_bytes = std::min<size_t>(
              remaining, std::max<int64_t>(1, direction.bytes_per_second / kSlicesPerSecond));
          slice_ready = std::max(now, link_free) +
                        absl::Seconds(static_cast<double>(slice_bytes) /
                                      static_cast<double>(direction.bytes_per_second));
        }
        slice_bytes = std::min(slice_bytes, remaining);
        if (*slice_ready > now) {
          wait = std::min(wait, *slice_ready - now);
        } else {
          want_write = true;
        }
      } else {
        slice_ready.reset();
        slice_bytes = remaining;
        want_write = true;
      }
    }
    const bool want_read = !direction.black_hole && !end_of_stream && queued < kMaxQueuedBytes;
    pollfd fds[3] = {{wake_fd_, POLLIN, 0},
                     {from, static_cast<short>(want_read ? POLLIN : 0), 0},
                     {to, static_cast<short>(want_write ? POLLOUT : 0), 0}};
    const int ready =
        poll(fds, 3, want_write ? PollMilliseconds(kFaultPollInterval) : PollMilliseconds(wait));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (fds[0].revents != 0) break;  // stopping

    if (want_read && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      char buffer[kReadBytes];
      const ssize_t n = recv(from, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) {
        // The latency in force now: the fault may have changed while poll waited.
        const Fault current = fault_();
        queue.push_back(Chunk{std::string(buffer, static_cast<size_t>(n)), 0,
                              absl::Now() + (up ? current.up : current.down).latency});
        queued += static_cast<size_t>(n);
      } else if (n == 0) {
        end_of_stream = true;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        Stop(/*reset=*/true);  // the peer reset or the path broke: break the other side too
        break;
      }
    }
    if (want_write && (fds[2].revents & (POLLOUT | POLLHUP | POLLERR)) != 0) {
      Chunk& head = queue.front();
      const ssize_t n =
          send(to, head.bytes.data() + head.sent, slice_bytes, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        head.sent += static_cast<size_t>(n);
        queued -= static_cast<size_t>(n);
        forwarded.fetch_add(n);
        if (slice_ready.has_value()) {
          link_free = *slice_ready;
          slice_ready.reset();
        }
        if (head.sent == head.bytes.size()) queue.pop_front();
      } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        Stop(/*reset=*/true);
        break;
      }
    }
  }
  PumpEnded();
}

}  // namespace summit::faultproxy
