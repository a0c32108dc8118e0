#include "tests/support/serving_process.h"

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace summit::testing {

std::string BinaryPath(absl::string_view relative) {
  if (const char* dir = std::getenv("SUMMIT_BINARY_DIR"); dir != nullptr && *dir != '\0') {
    return absl::StrCat(dir, "/", relative);
  }
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() /
          std::string(relative))
      .string();
}

namespace {

// The first standard-error line of `process` holding `message`, waiting at most `patience`.
absl::StatusOr<std::string> LoggedLine(ChildProcess& process, absl::string_view message,
                                       absl::Duration patience) {
  std::optional<std::string> line = process.WaitForStderrLine(
      [&](absl::string_view text) { return absl::StrContains(text, message); }, patience);
  if (!line.has_value()) {
    return absl::DeadlineExceededError(
        absl::StrCat("no ", message, " line was logged:\n", process.AllStderr()));
  }
  return *std::move(line);
}

// A line that names no port after `key`.
absl::Status NoPort(absl::string_view key, absl::string_view line) {
  return absl::InternalError(absl::StrCat("no ", key, " port in the line: ", line));
}

}  // namespace

int PortInLine(absl::string_view line, absl::string_view key) {
  const size_t at = line.find(key);
  if (at == absl::string_view::npos) return 0;
  const size_t start = at + key.size();
  const size_t end = line.find_first_not_of("0123456789", start);
  int port = 0;
  if (!absl::SimpleAtoi(line.substr(start, end == absl::string_view::npos ? end : end - start),
                        &port)) {
    return 0;
  }
  return port > 0 ? port : 0;
}

absl::StatusOr<int> LoggedPort(ChildProcess& process, absl::string_view message,
                               absl::string_view key, absl::Duration patience) {
  absl::StatusOr<std::string> line = LoggedLine(process, message, patience);
  if (!line.ok()) return line.status();
  const int port = PortInLine(*line, key);
  if (port == 0) return NoPort(key, *line);
  return port;
}

absl::StatusOr<ServingProcess> StartServing(const std::string& binary,
                                            const std::vector<std::string>& args,
                                            absl::Duration patience) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> started = ChildProcess::Start(binary, args);
  if (!started.ok()) return started.status();
  ServingProcess serving{*std::move(started), 0, ""};
  absl::StatusOr<std::string> line =
      LoggedLine(*serving.process, "\"message\":\"serving\"", patience);
  if (line.ok()) {
    serving.line = *std::move(line);
    serving.port = PortInLine(serving.line, "\"port\":");
    if (serving.port == 0) line = NoPort("\"port\":", serving.line);
  }
  if (!line.ok()) {
    return absl::Status(line.status().code(), absl::StrCat(binary, ": ", line.status().message()));
  }
  return serving;
}

}  // namespace summit::testing
