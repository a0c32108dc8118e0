#include "tests/support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace summit::testing {
namespace {

absl::Status ErrnoError(absl::string_view what, int error) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(error)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::string& path, const std::vector<std::string>& args,
    const std::vector<std::string>& extra_environment) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return ErrnoError("pipe2", errno);

  // argv and envp as posix_spawn wants them; the strings outlive the call.
  std::vector<std::string> argv_strings = {path};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::map<std::string, std::string> environment;  // name → "name=value"
  auto add = [&environment](const std::string& entry) {
    environment[entry.substr(0, entry.find('='))] = entry;
  };
  for (char** entry = environ; *entry != nullptr; ++entry) add(*entry);
  for (const std::string& entry : extra_environment) add(entry);
  std::vector<char*> envp;
  for (auto& [name, entry] : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return ErrnoError(absl::StrCat("posix_spawn ", path), spawned);
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, pipe_fds[0]));
}

ChildProcess::ChildProcess(pid_t pid, int stderr_fd)
    : pid_(pid), stderr_fd_(stderr_fd) {
  // Started here, not in the initializer list, so that every member exists before it runs.
  reader_ = std::thread([this] { ReadStderr(); });
}

ChildProcess::~ChildProcess() {
  if (!Reap(/*block=*/false)) {
    kill(pid_, SIGKILL);
    Reap(/*block=*/true);
  }
  reader_.join();
  close(stderr_fd_);
}

void ChildProcess::ReadStderr() {
  std::string partial;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(stderr_fd_, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial.append(buffer, static_cast<size_t>(n));
    absl::MutexLock lock(&mu_);
    all_.append(buffer, static_cast<size_t>(n));
    for (size_t newline = partial.find('\n'); newline != std::string::npos;
         newline = partial.find('\n')) {
      unread_.push_back(partial.substr(0, newline));
      partial.erase(0, newline + 1);
    }
  }
  absl::MutexLock lock(&mu_);
  if (!partial.empty()) unread_.push_back(partial);
  stderr_closed_ = true;
}

std::optional<std::string> ChildProcess::ReadStderrLine(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !unread_.empty() || stderr_closed_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  if (unread_.empty()) return std::nullopt;
  std::string line = std::move(unread_.front());
  unread_.pop_front();
  return line;
}

std::optional<std::string> ChildProcess::WaitForStderrLine(
    const std::function<bool(absl::string_view line)>& matches, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return std::nullopt;
    std::optional<std::string> line = ReadStderrLine(left);
    if (!line.has_value()) return std::nullopt;
    if (matches(*line)) return line;
  }
}

std::string ChildProcess::AllStderr() const {
  absl::MutexLock lock(&mu_);
  return all_;
}

bool ChildProcess::WaitForStderrEnd(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(&stderr_closed_), timeout);
}

bool ChildProcess::Reap(bool block) {
  absl::MutexLock lock(&exit_mu_);
  if (exit_code_.has_value()) return true;
  int status = 0;
  pid_t result;
  do {
    result = waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result != pid_) return false;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status)
               : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                     : -1;
  return true;
}

absl::Status ChildProcess::Signal(int signal) {
  {
    absl::MutexLock lock(&exit_mu_);
    if (exit_code_.has_value()) {
      return absl::FailedPreconditionError(absl::StrCat("process ", pid_, " has exited"));
    }
  }
  if (kill(pid_, signal) != 0) return ErrnoError("kill", errno);
  return absl::OkStatus();
}

namespace {

// Whether every thread of process `pid` is stopped, from /proc/PID/task/*/stat.
bool AllThreadsStopped(pid_t pid) {
  std::error_code error;
  int threads = 0;
  for (const auto& task :
       std::filesystem::directory_iterator(absl::StrCat("/proc/", pid, "/task"), error)) {
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // "pid (comm) S ...": the state follows the last ')'.
    const size_t paren = line.rfind(')');
    if (paren == std::string::npos || paren + 2 >= line.size()) return false;
    const char state = line[paren + 2];
    if (state != 'T' && state != 't') return false;
    ++threads;
  }
  return !error && threads > 0;
}

}  // namespace

absl::Status ChildProcess::Pause(absl::Duration timeout) {
  if (absl::Status sent = Signal(SIGSTOP); !sent.ok()) return sent;
  const absl::Time deadline = absl::Now() + timeout;
  // Polls: a stop has no notification but waitpid's, which Reap owns. Bounded by `timeout`.
  while (!AllThreadsStopped(pid_)) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "process ", pid_, " not stopped after ", absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ChildProcess::WaitForExit(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  // Polls: waitpid has no timeout. Bounded by `timeout`.
  while (!Reap(/*block=*/false)) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("process ", pid_, " still running after ", absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  absl::MutexLock lock(&exit_mu_);
  return *exit_code_;
}

bool ChildProcess::IsRunning() { return !Reap(/*block=*/false); }

}  // namespace summit::testing
