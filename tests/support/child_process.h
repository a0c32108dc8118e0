// A child process for tests that run real Summit binaries: start one with arguments, read what
// it writes to standard error line by line (waiting at most a given time), send it signals, and
// wait for its exit status.
//
//   absl::StatusOr<std::unique_ptr<ChildProcess>> server = ChildProcess::Start(
//       binary, {"--listen=127.0.0.1:0", "--database=sqlite:///tmp/x/registry.db"});
//   std::optional<std::string> serving = (*server)->WaitForStderrLine(
//       [](absl::string_view line) { return absl::StrContains(line, "\"message\":\"serving\""); },
//       absl::Seconds(30));
//   ...
//   ASSERT_OK((*server)->Signal(SIGTERM));
//   absl::StatusOr<int> exit_code = (*server)->WaitForExit(absl::Seconds(30));
//
// Standard error is drained continuously by a reader thread, so a chatty child never blocks on
// a full pipe, and every line stays available (AllStderr()) for failure messages. Standard
// input and output go to /dev/null. Timeouts bound how long a test waits for something that
// may never happen; they are not measurements.
//
// The destructor kills (SIGKILL) and reaps a child that is still running, so a failing test
// leaves no process behind.
//
// Thread-safety: the methods may be called from any thread; one thread should own the object.
#ifndef SUMMIT_TESTS_SUPPORT_CHILD_PROCESS_H_
#define SUMMIT_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace summit::testing {

class ChildProcess {
 public:
  // Starts `path` with `args` (not including argv[0]) and the current environment plus
  // `extra_environment` ("NAME=value" entries, which win over inherited ones).
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      const std::string& path, const std::vector<std::string>& args,
      const std::vector<std::string>& extra_environment = {});

  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // The next standard-error line not yet returned by this method or WaitForStderrLine (without
  // its newline), waiting at most `timeout`; nullopt when none came in time or the stream ended.
  std::optional<std::string> ReadStderrLine(absl::Duration timeout);

  // Reads lines as ReadStderrLine does until one satisfies `matches`, and returns it; nullopt
  // if none did within `timeout` (in total) or the stream ended first.
  std::optional<std::string> WaitForStderrLine(
      const std::function<bool(absl::string_view line)>& matches, absl::Duration timeout);

  // Everything written to standard error so far, returned or not.
  std::string AllStderr() const;

  // Waits at most `timeout` until standard error has ended (the child and every process that
  // shares its standard error have closed it, as on exit), so that AllStderr() holds all of it.
  // Whether it ended in time.
  bool WaitForStderrEnd(absl::Duration timeout);

  // Sends `signal` to the child. FAILED_PRECONDITION once it has been reaped.
  absl::Status Signal(int signal);

  // Stops the child (SIGSTOP) and waits at most `timeout` until every thread of it is stopped:
  // a stop takes effect a little after kill() returns, and until then the child may still
  // answer. What a test that needs a hung server uses. DEADLINE_EXCEEDED if it did not stop.
  absl::Status Pause(absl::Duration timeout);

  // Lets a paused child run again (SIGCONT).
  absl::Status Resume() { return Signal(SIGCONT); }

  // Waits at most `timeout` for the child to exit and returns its exit code, or 128 + the signal
  // number that ended it. DEADLINE_EXCEEDED if it is still running then. May be called again
  // after it returned: the same status is returned.
  absl::StatusOr<int> WaitForExit(absl::Duration timeout);

  // Whether the child has not exited yet (reaps it if it has).
  bool IsRunning();

 private:
  ChildProcess(pid_t pid, int stderr_fd);
  void ReadStderr();
  bool Reap(bool block);

  const pid_t pid_;
  const int stderr_fd_;
  std::thread reader_;

  mutable absl::Mutex mu_;
  std::deque<std::string> unread_ ABSL_GUARDED_BY(mu_);
  std::string all_ ABSL_GUARDED_BY(mu_);
  bool stderr_closed_ ABSL_GUARDED_BY(mu_) = false;

  absl::Mutex exit_mu_;
  std::optional<int> exit_code_ ABSL_GUARDED_BY(exit_mu_);
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_CHILD_PROCESS_H_
