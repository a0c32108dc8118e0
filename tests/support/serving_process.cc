#include "tests/support/serving_process.h"

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace summit::testing {

std::string SummitBinary(absl::string_view relative) {
  if (const char* dir = std::getenv("SUMMIT_BINARY_DIR"); dir != nullptr && *dir != '\0') {
    return absl::StrCat(dir, "/", relative);
  }
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() /
          std::string(relative))
      .string();
}

absl::StatusOr<int> LoggedPort(ChildProcess& process, absl::string_view message,
                               absl::string_view key, absl::Duration patience) {
  std::optional<std::string> line = process.WaitForStderrLine(
      [&](absl::string_view text) { return absl::StrContains(text, message); }, patience);
  if (!line.has_value()) {
    return absl::DeadlineExceededError(
        absl::StrCat("no ", message, " line was logged:\n", process.AllStderr()));
  }
  const size_t at = line->find(std::string(key));
  const size_t start = at == std::string::npos ? at : at + key.size();
  const size_t end = at == std::string::npos ? at : line->find_first_not_of("0123456789", start);
  int port = 0;
  if (at == std::string::npos || !absl::SimpleAtoi(line->substr(start, end - start), &port) ||
      port <= 0) {
    return absl::InternalError(absl::StrCat("no ", key, " port in the line: ", *line));
  }
  return port;
}

absl::StatusOr<ServingProcess> StartServing(const std::string& binary,
                                            const std::vector<std::string>& args,
                                            absl::Duration patience) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> started = ChildProcess::Start(binary, args);
  if (!started.ok()) return started.status();
  ServingProcess serving{*std::move(started), 0};
  absl::StatusOr<int> port =
      LoggedPort(*serving.process, "\"message\":\"serving\"", "\"port\":", patience);
  if (!port.ok()) {
    return absl::Status(port.status().code(), absl::StrCat(binary, ": ", port.status().message()));
  }
  serving.port = *port;
  return serving;
}

}  // namespace summit::testing
