#include "tools/faultproxy/fault_proxy.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace summit::faultproxy {
namespace {

// How long the accept loop sleeps at most before tidying up ended connections.
constexpr int kAcceptPollMilliseconds = 50;

absl::Status SystemError(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

void SetNoDelay(int fd) {
  // The proxy forwards what it reads at once; Nagle's algorithm would add delays of its own
  // and blur the faults a test sets.
  const int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

void ResetAndClose(int fd) {
  linger option{};
  option.l_onoff = 1;
  option.l_linger = 0;
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
  close(fd);
}

// A blocking connect to the loopback upstream (immediate: accepted or refused at once), then
// non-blocking for the pumps. -1 when refused.
int ConnectUpstream(const LoopbackAddress& upstream) {
  const int fd = socket(upstream.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, upstream.address(), upstream.length) != 0) {
    close(fd);
    return -1;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  SetNoDelay(fd);
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FaultProxy>> FaultProxy::Start(const Options& options) {
  absl::StatusOr<LoopbackAddress> listen = ParseLoopbackAddress(options.listen);
  if (!listen.ok()) return listen.status();
  absl::StatusOr<LoopbackAddress> upstream = ParseLoopbackAddress(options.upstream);
  if (!upstream.ok()) return upstream.status();
  if (upstream->port() == 0) return absl::InvalidArgumentError("the upstream needs a port");

  const int fd = socket(listen->family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return SystemError("socket");
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(fd, listen->address(), listen->length) != 0) {
    absl::Status error = SystemError(absl::StrCat("bind ", options.listen));
    close(fd);
    return error;
  }
  if (::listen(fd, SOMAXCONN) != 0) {
    absl::Status error = SystemError("listen");
    close(fd);
    return error;
  }
  absl::StatusOr<LoopbackAddress> bound = LocalAddressOf(fd);
  if (!bound.ok()) {
    close(fd);
    return bound.status();
  }
  std::unique_ptr<FaultProxy> proxy(new FaultProxy(fd, *bound, *upstream));
  proxy->Apply(options.fault);
  proxy->accept_thread_ = std::thread([proxy = proxy.get()] { proxy->AcceptLoop(); });
  return proxy;
}

FaultProxy::FaultProxy(int listen_fd, LoopbackAddress listen_address, LoopbackAddress upstream)
    : listen_fd_(listen_fd),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      listen_address_(listen_address),
      upstream_(upstream) {}

FaultProxy::~FaultProxy() {
  Stop();
  close(wake_fd_);
}

void FaultProxy::AcceptLoop() {
  while (true) {
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    const int ready = poll(fds, 2, kAcceptPollMilliseconds);
    if (ready > 0 && fds[0].revents != 0) return;
    if (ready > 0 && (fds[1].revents & POLLIN) != 0) Accept();
    // Ended connections are closed already; their threads are joined here.
    absl::MutexLock lock(&connections_mu_);
    connections_.erase(std::remove_if(connections_.begin(), connections_.end(),
                                      [](const std::unique_ptr<ProxiedConnection>& connection) {
                                        return connection->Finished();
                                      }),
                       connections_.end());
  }
}

void FaultProxy::Accept() {
  const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (client < 0) return;
  {
    absl::MutexLock lock(&connections_mu_);
    ++accepted_;
  }
  if (fault().reset_new) {
    ResetAndClose(client);
    counters_.resets.fetch_add(1);
    return;
  }
  SetNoDelay(client);
  const int upstream = ConnectUpstream(upstream_);
  if (upstream < 0) {
    ResetAndClose(client);  // as the refused upstream would have
    return;
  }
  auto connection = std::make_unique<ProxiedConnection>(
      client, upstream, [this] { return fault(); }, &counters_);
  absl::MutexLock lock(&connections_mu_);
  connections_.push_back(std::move(connection));
}

void FaultProxy::Apply(const Fault& fault) {
  {
    absl::MutexLock lock(&fault_mu_);
    fault_ = fault;
  }
  if (fault.reset_current) ResetConnections();
}

void FaultProxy::SetFault(const Fault& fault) {
  CancelSchedule();
  Apply(fault);
}

Fault FaultProxy::fault() const {
  absl::MutexLock lock(&fault_mu_);
  return fault_;
}

void FaultProxy::ResetConnections() {
  absl::MutexLock lock(&connections_mu_);
  for (const std::unique_ptr<ProxiedConnection>& connection : connections_) connection->Reset();
}

void FaultProxy::RunSchedule(std::vector<FaultStep> steps) {
  absl::MutexLock control(&control_mu_);
  JoinSchedule();
  int64_t generation = 0;
  {
    absl::MutexLock lock(&schedule_mu_);
    generation = ++schedule_generation_;
    schedule_done_ = false;
  }
  schedule_thread_ = std::thread(
      [this, steps = std::move(steps), generation] { ScheduleLoop(steps, generation); });
}

void FaultProxy::ScheduleLoop(std::vector<FaultStep> steps, int64_t generation) {
  absl::Time at = absl::Now();
  // Called with schedule_mu_ held.
  const auto cancelled = [this, generation]() { return schedule_generation_ != generation; };
  for (const FaultStep& step : steps) {
    at += step.after;
    schedule_mu_.Lock();
    const bool stop = schedule_mu_.AwaitWithDeadline(absl::Condition(&cancelled), at);
    schedule_mu_.Unlock();
    if (stop) return;
    Apply(step.fault);
  }
  absl::MutexLock lock(&schedule_mu_);
  if (!cancelled()) schedule_done_ = true;
}

void FaultProxy::JoinSchedule() {
  {
    absl::MutexLock lock(&schedule_mu_);
    ++schedule_generation_;
    schedule_done_ = true;
  }
  if (schedule_thread_.joinable()) schedule_thread_.join();
}

void FaultProxy::CancelSchedule() {
  absl::MutexLock control(&control_mu_);
  JoinSchedule();
}

bool FaultProxy::WaitForSchedule(absl::Duration timeout) {
  absl::MutexLock lock(&schedule_mu_);
  return schedule_mu_.AwaitWithTimeout(absl::Condition(&schedule_done_), timeout);
}

FaultProxy::Stats FaultProxy::stats() const {
  Stats stats;
  {
    absl::MutexLock lock(&connections_mu_);
    stats.connections_accepted = accepted_;
    stats.connections_open =
        std::count_if(connections_.begin(), connections_.end(),
                      [](const std::unique_ptr<ProxiedConnection>& connection) {
                        return !connection->Finished();
                      });
  }
  stats.connections_reset = counters_.resets.load();
  stats.bytes_up = counters_.bytes_up.load();
  stats.bytes_down = counters_.bytes_down.load();
  return stats;
}

void FaultProxy::Stop() {
  absl::MutexLock control(&control_mu_);
  JoinSchedule();
  {
    absl::MutexLock lock(&connections_mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
  if (accept_thread_.joinable()) accept_thread_.join();
  close(listen_fd_);
  std::vector<std::unique_ptr<ProxiedConnection>> connections;
  {
    absl::MutexLock lock(&connections_mu_);
    connections.swap(connections_);
  }
  connections.clear();  // each closes and joins its pumps
}

}  // namespace summit::faultproxy
