#include "common/storage/postgres_listener.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/observability/log.h"

namespace summit::storage {
namespace {

constexpr absl::Duration kFirstPause = absl::Milliseconds(100);
constexpr absl::Duration kLongestPause = absl::Seconds(5);
// Connecting and the LISTEN itself: a server that takes longer is as good
// as unreachable, and is tried again.
constexpr absl::Duration kConnectPatience = absl::Seconds(10);

using ConnectionPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;

std::string ErrorOf(PGconn* connection) {
  return std::string(absl::StripTrailingAsciiWhitespace(
      connection != nullptr ? PQerrorMessage(connection) : "out of memory"));
}

}  // namespace

PostgresListener::PostgresListener(std::string conninfo, std::string channel,
                                   std::function<void()> on_notice)
    : conninfo_(std::move(conninfo)), channel_(std::move(channel)),
      on_notice_(std::move(on_notice)) {
  if (pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) stop_pipe_[0] = stop_pipe_[1] = -1;
  thread_ = std::thread([this] { Run(); });
}

PostgresListener::~PostgresListener() {
  // Without a pipe the thread never started listening (stopping() is true).
  const char byte = 0;
  if (stop_pipe_[1] >= 0) (void)!write(stop_pipe_[1], &byte, 1);
  thread_.join();
  for (int fd : stop_pipe_) {
    if (fd >= 0) close(fd);
  }
}

bool PostgresListener::stopping() const {
  if (stop_pipe_[0] < 0) return true;  // could not be woken to stop: never starts
  pollfd stop = {stop_pipe_[0], POLLIN, 0};
  return poll(&stop, 1, 0) > 0;
}

bool PostgresListener::WaitFor(int fd, short events, absl::Duration timeout) {
  const absl::Time deadline = timeout == absl::InfiniteDuration() ? absl::InfiniteFuture()
                                                                  : absl::Now() + timeout;
  while (true) {
    pollfd fds[2] = {{stop_pipe_[0], POLLIN, 0}, {fd, events, 0}};
    const int count = fd >= 0 ? 2 : 1;
    int wait_ms = -1;
    if (deadline != absl::InfiniteFuture()) {
      wait_ms = static_cast<int>(
          std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now() +
                                                         absl::Milliseconds(1))));
    }
    const int ready = poll(fds, count, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;          // timed out (or poll failed)
    if (fds[0].revents != 0) return false;  // stopping
    return fds[1].revents != 0;
  }
}

void PostgresListener::Run() {
  absl::Duration pause = kFirstPause;
  bool was_listening = true;  // so that the first failure is logged
  while (!stopping()) {
    const bool listened = ListenOnce();
    if (stopping()) break;
    if (listened) pause = kFirstPause;
    if (listened || was_listening) {
      log::Warning("lost the database connection that listens for notices; the poll covers "
                   "until it is back",
                   {{"channel", channel_}});
    }
    was_listening = listened;
    WaitFor(-1, 0, pause);
    pause = std::min(pause * 2, kLongestPause);
  }
}

bool PostgresListener::ListenOnce() {
  // Keywords before `dbname` are defaults that the URL may override; the
  // keep-alives find a connection the network dropped without a word.
  const char* const keywords[] = {"fallback_application_name", "keepalives", "keepalives_idle",
                                  "keepalives_interval",       "keepalives_count", "dbname",
                                  nullptr};
  const char* const values[] = {"summit-listener", "1", "10", "5", "3", conninfo_.c_str(),
                                nullptr};
  ConnectionPtr connection(PQconnectStartParams(keywords, values, /*expand_dbname=*/1),
                           &PQfinish);
  PGconn* pg = connection.get();
  if (pg == nullptr || PQstatus(pg) == CONNECTION_BAD) return false;
  const absl::Time give_up = absl::Now() + kConnectPatience;
  for (PostgresPollingStatusType polled = PGRES_POLLING_WRITING; polled != PGRES_POLLING_OK;) {
    if (polled == PGRES_POLLING_FAILED) return false;
    if (!WaitFor(PQsocket(pg), polled == PGRES_POLLING_READING ? POLLIN : POLLOUT,
                 give_up - absl::Now())) {
      return false;
    }
    polled = PQconnectPoll(pg);
  }
  if (PQsetnonblocking(pg, 1) != 0) return false;

  char* quoted = PQescapeIdentifier(pg, channel_.data(), channel_.size());
  if (quoted == nullptr) {
    log::Warning("cannot quote the channel to listen on",
                 {{"channel", channel_}, {"error", ErrorOf(pg)}});
    return false;
  }
  const std::string listen = absl::StrCat("LISTEN ", quoted);
  PQfreemem(quoted);
  if (PQsendQuery(pg, listen.c_str()) != 1) return false;
  // Send, then collect the LISTEN's answer without blocking.
  while (true) {
    const int flushed = PQflush(pg);
    if (flushed < 0) return false;
    if (flushed == 0) break;
    if (!WaitFor(PQsocket(pg), POLLOUT, give_up - absl::Now())) return false;
  }
  bool listening = false;
  while (true) {
    if (PQconsumeInput(pg) != 1) return false;
    if (PQisBusy(pg)) {
      if (!WaitFor(PQsocket(pg), POLLIN, give_up - absl::Now())) return false;
      continue;
    }
    PGresult* result = PQgetResult(pg);
    if (result == nullptr) break;
    listening = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
  }
  if (!listening) return false;

  // Listening from here on; notices sent while there was no connection were
  // lost, so the caller looks for itself.
  on_notice_();
  while (WaitFor(PQsocket(pg), POLLIN)) {
    if (PQconsumeInput(pg) != 1) break;
    bool noticed = false;
    while (PGnotify* notice = PQnotifies(pg)) {
      noticed = true;
      PQfreemem(notice);
    }
    if (noticed) on_notice_();
    if (PQstatus(pg) != CONNECTION_OK) break;
  }
  return true;
}

}  // namespace summit::storage
