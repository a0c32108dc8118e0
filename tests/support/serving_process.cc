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

absl::StatusOr<ServingProcess> StartServing(const std::string& binary,
                                            const std::vector<std::string>& args,
                                            absl::Duration patience) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> started = ChildProcess::Start(binary, args);
  if (!started.ok()) return started.status();
  ServingProcess serving{*std::move(started), 0};
  std::optional<std::string> line = serving.process->WaitForStderrLine(
      [](absl::string_view text) { return absl::StrContains(text, "\"message\":\"serving\""); },
      patience);
  if (!line.has_value()) {
    return absl::DeadlineExceededError(
        absl::StrCat(binary, " logged no \"serving\" line:\n", serving.process->AllStderr()));
  }
  const size_t at = line->find("\"port\":");
  const size_t end = at == std::string::npos ? at : line->find_first_not_of("0123456789", at + 7);
  if (at == std::string::npos ||
      !absl::SimpleAtoi(line->substr(at + 7, end - (at + 7)), &serving.port) || serving.port <= 0) {
    return absl::InternalError(absl::StrCat("no port in the \"serving\" line: ", *line));
  }
  return serving;
}

}  // namespace summit::testing
