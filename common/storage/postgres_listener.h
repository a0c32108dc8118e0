// PostgreSQL's LISTEN on a connection of its own, for
// Database::ListenForNotifications: a thread waits on the connection's socket
// and calls back when a notice on the channel arrives, which the server sends
// once the notifying transaction commits.
//
// A lost connection (the server restarted, the network dropped it; TCP
// keep-alives find a silent one within about half a minute) is opened again
// after a pause that grows from 0.1 s to 5 s, and the callback runs once
// listening resumes, since notices sent meanwhile were lost. Destroying the
// listener stops it at once (a pipe wakes the thread, even mid-connect) and
// waits for a running callback to return.
//
//   auto listener = std::make_unique<PostgresListener>(conninfo, "summit_statement_feed",
//                                                      [&hub] { hub.Notify(); });
//
// Thread-safety: the callback runs on the listener's thread, one call at a
// time.
#ifndef SUMMIT_COMMON_STORAGE_POSTGRES_LISTENER_H_
#define SUMMIT_COMMON_STORAGE_POSTGRES_LISTENER_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "common/storage/database.h"

namespace summit::storage {

class PostgresListener final : public NotificationListener {
 public:
  // `conninfo`: what libpq connects with (Summit's own URL parameters taken
  // out, as the database's pool has them).
  PostgresListener(std::string conninfo, std::string channel, std::function<void()> on_notice);
  ~PostgresListener() override;

  PostgresListener(const PostgresListener&) = delete;
  PostgresListener& operator=(const PostgresListener&) = delete;

 private:
  void Run();
  // One connection's life: connect, LISTEN, call back on every notice, until
  // the connection breaks (returns) or the listener stops (returns too).
  // Whether it was listening before it ended.
  bool ListenOnce();
  // Waits until `fd` is ready for `events` or the listener stops; false when
  // it stops (or `timeout` passes, when given).
  bool WaitFor(int fd, short events, absl::Duration timeout = absl::InfiniteDuration());
  bool stopping() const;

  const std::string conninfo_;
  const std::string channel_;
  const std::function<void()> on_notice_;
  int stop_pipe_[2] = {-1, -1};  // written once, by the destructor
  std::thread thread_;
};

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_POSTGRES_LISTENER_H_
