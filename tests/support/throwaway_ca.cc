#include "tests/support/throwaway_ca.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace summit::testing {
namespace {

// Runs `command` in sh; OK when it exits 0.
absl::Status Run(const std::string& command) {
  const int status = std::system(command.c_str());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("failed: ", command));
}

// An EC P-256 key, unencrypted.
constexpr char kNewKey[] = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

}  // namespace

absl::Status MakeCa(const TestFolder& folder, const std::string& name) {
  return Run(absl::StrCat("openssl req -x509 ", kNewKey, " -days 2 -subj /CN=", name, " -keyout ",
                          folder.Path(name + ".key"), " -out ", folder.Path(name + ".pem"),
                          " 2>/dev/null"));
}

absl::Status MakeCert(const TestFolder& folder, const std::string& name, const std::string& ca,
                      const std::string& common_name) {
  const std::string extensions = folder.Path("san.cnf");
  std::ofstream(extensions) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  const std::string staged = folder.Path("staged-" + name);
  absl::Status made = Run(absl::StrCat(
      "openssl req -new ", kNewKey, " -subj /CN=", common_name, " -keyout ", staged,
      ".key -out ", staged, ".csr 2>/dev/null && openssl x509 -req -days 2 -in ", staged,
      ".csr -CA ", folder.Path(ca + ".pem"), " -CAkey ", folder.Path(ca + ".key"),
      " -CAcreateserial -extfile ", extensions, " -out ", staged, ".pem 2>/dev/null"));
  if (!made.ok()) return made;
  std::error_code error;
  std::filesystem::rename(staged + ".key", folder.Path(name + ".key"), error);
  if (!error) std::filesystem::rename(staged + ".pem", folder.Path(name + ".pem"), error);
  if (error) return absl::InternalError(absl::StrCat("renaming ", staged, ": ", error.message()));
  return absl::OkStatus();
}

std::string ServedCommonName(const TestFolder& folder, int port) {
  const std::string out = folder.Path("served-subject");
  // Offering h2 as well, so that a gRPC server (which requires ALPN) answers too.
  (void)Run(absl::StrCat("openssl s_client -connect 127.0.0.1:", port,
                         " -alpn h2 </dev/null 2>/dev/null | openssl x509 -noout -subject "
                         "-nameopt multiline >",
                         out, " 2>/dev/null"));
  std::ifstream file(out);
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string subject = contents.str();
  const size_t at = subject.find("commonName");
  if (at == std::string::npos) return "";
  const size_t equals = subject.find("= ", at);
  const size_t end = subject.find('\n', equals);
  return subject.substr(equals + 2, end - equals - 2);
}

std::string AwaitServedCommonName(const TestFolder& folder, int port, const std::string& expected,
                                  absl::Duration patience) {
  std::string served;
  for (const absl::Time give_up = absl::Now() + patience; absl::Now() < give_up;
       absl::SleepFor(absl::Milliseconds(200))) {
    served = ServedCommonName(folder, port);
    if (served == expected) break;
  }
  return served;
}

}  // namespace summit::testing
