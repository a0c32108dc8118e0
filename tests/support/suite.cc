#include "tests/support/suite.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/serving_process.h"
#include "tests/support/test_database.h"

namespace summit::testing {
namespace {

// How much of a stopped server's standard error a report shows: its end, where the reason is.
constexpr size_t kReportedStderrBytes = 12000;

std::string BinaryOf(Server server) {
  switch (server) {
    case Server::kRegistry:
      return BinaryPath("services/registry/summit-registry");
    case Server::kScheduling:
      return BinaryPath("services/scheduling/summit-scheduling");
    case Server::kStatements:
      return BinaryPath("services/statements/summit-statements");
    case Server::kGateway:
      return BinaryPath("gateway/summit-gateway");
  }
  return "";
}

// `status` with what it was about in front of its message.
absl::Status About(absl::string_view what, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
}

}  // namespace

std::string BinaryPath(absl::string_view relative) {
  if (const char* dir = std::getenv("SUMMIT_BINARY_DIR"); dir != nullptr && *dir != '\0') {
    return absl::StrCat(dir, "/", relative);
  }
  // Run by hand from <build>/tests/: the binaries are under <build>/services/ and so on.
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() /
          std::string(relative))
      .string();
}

absl::string_view ServerName(Server server) {
  switch (server) {
    case Server::kRegistry:
      return "registry";
    case Server::kScheduling:
      return "scheduling";
    case Server::kStatements:
      return "statements";
    case Server::kGateway:
      return "gateway";
  }
  return "?";
}

Server ServerOf(absl::string_view service_full_name) {
  if (absl::StartsWith(service_full_name, "summit.registry.")) return Server::kRegistry;
  if (absl::StartsWith(service_full_name, "summit.scheduling.")) return Server::kScheduling;
  if (absl::StartsWith(service_full_name, "summit.statements.")) return Server::kStatements;
  return Server::kGateway;
}

absl::StatusOr<std::unique_ptr<Suite>> Suite::Start(const SuiteOptions& options) {
  std::unique_ptr<Suite> suite(new Suite());
  suite->options_ = options;
  std::string pattern = absl::StrCat(::testing::TempDir(), options.name, ".XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  suite->dir_ = pattern;
  // 48 bytes from a fixed seed: the shared HS256 key.
  std::mt19937 random(20231206);
  for (int i = 0; i < 48; ++i) suite->key_.push_back(static_cast<char>(random() & 0xFF));
  std::ofstream(suite->dir_ + "/key", std::ios::binary) << suite->key_;
  suite->databases_.Reset(suite->dir_);
  for (Server server : {Server::kRegistry, Server::kScheduling, Server::kStatements}) {
    if (absl::Status started = suite->StartBackend(server, 0); !started.ok()) return started;
  }
  if (absl::Status started = suite->StartGateway(); !started.ok()) return started;
  for (const auto& [server, port] : suite->ports_) {
    suite->channels_[server] =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  }
  if (options.load_demo) {
    if (absl::Status loaded = suite->LoadDemo(); !loaded.ok()) return loaded;
  }
  return suite;
}

Suite::~Suite() {
  // The gateway first, then the services it calls; each is killed, stopped or not, and reaped.
  for (Server server :
       {Server::kGateway, Server::kStatements, Server::kScheduling, Server::kRegistry}) {
    processes_.erase(server);
  }
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

std::vector<std::string> Suite::BackendFlags(Server server, int port) const {
  std::vector<std::string> flags = {
      absl::StrCat("--listen=127.0.0.1:", port), "--admin_listen=127.0.0.1:0",
      databases_.Flag(absl::StrCat(options_.name, "_", ServerName(server))),
      absl::StrCat("--auth_key_file=", dir_, "/key"), "--shutdown_drain_delay=0s"};
  if (server == Server::kScheduling || server == Server::kStatements) {
    flags.push_back(absl::StrCat("--registry_address=127.0.0.1:", ports_.at(Server::kRegistry)));
  }
  if (server == Server::kStatements) {
    flags.push_back(
        absl::StrCat("--scheduling_address=127.0.0.1:", ports_.at(Server::kScheduling)));
  }
  return flags;
}

absl::Status Suite::StartBackend(Server server, int port) {
  const std::string binary = BinaryOf(server);
  absl::StatusOr<std::unique_ptr<ChildProcess>> started =
      ChildProcess::Start(binary, BackendFlags(server, port));
  if (!started.ok()) return About(binary, started.status());
  processes_[server] = *std::move(started);
  absl::StatusOr<int> logged =
      LoggedPort(*processes_[server], "\"message\":\"serving\"", "\"port\":", kPatience);
  if (!logged.ok()) return About(binary, logged.status());
  ports_[server] = *logged;
  return absl::OkStatus();
}

absl::Status Suite::StartGateway() {
  std::vector<std::string> flags = {
      "--listen=127.0.0.1:0",
      "--admin_listen=127.0.0.1:0",
      "--http_listen=127.0.0.1:0",
      absl::StrCat("--registry_address=127.0.0.1:", ports_.at(Server::kRegistry)),
      absl::StrCat("--scheduling_address=127.0.0.1:", ports_.at(Server::kScheduling)),
      absl::StrCat("--statements_address=127.0.0.1:", ports_.at(Server::kStatements)),
      "--shutdown_drain_delay=0s"};
  flags.insert(flags.end(), options_.gateway_flags.begin(), options_.gateway_flags.end());
  const std::string binary = BinaryOf(Server::kGateway);
  absl::StatusOr<std::unique_ptr<ChildProcess>> started = ChildProcess::Start(binary, flags);
  if (!started.ok()) return About(binary, started.status());
  ChildProcess& gateway = **started;
  processes_[Server::kGateway] = *std::move(started);
  absl::StatusOr<int> grpc_port =
      LoggedPort(gateway, "\"message\":\"serving\"", "\"port\":", kPatience);
  if (!grpc_port.ok()) return About(binary, grpc_port.status());
  ports_[Server::kGateway] = *grpc_port;
  absl::StatusOr<int> http_port =
      LoggedPort(gateway, "\"message\":\"http serving\"", "\"http_port\":", kPatience);
  if (!http_port.ok()) return About(binary, http_port.status());
  http_port_ = *http_port;
  return absl::OkStatus();
}

absl::Status Suite::LoadDemo() {
  const std::string summitctl = BinaryPath("tools/summitctl");
  absl::StatusOr<std::unique_ptr<ChildProcess>> loader = ChildProcess::Start(
      summitctl, {absl::StrCat("--registry_address=127.0.0.1:", ports_.at(Server::kRegistry)),
                  absl::StrCat("--scheduling_address=127.0.0.1:", ports_.at(Server::kScheduling)),
                  absl::StrCat("--statements_address=127.0.0.1:", ports_.at(Server::kStatements)),
                  absl::StrCat("--auth_key_file=", dir_, "/key"), "--timeout=60s",
                  "--role=organizer", "--subject=people/duty-officer", "demo", "load"});
  if (!loader.ok()) return About(summitctl, loader.status());
  // Loading places a few hundred meetings: a bound several times what it takes.
  absl::StatusOr<int> exit_code = (*loader)->WaitForExit(5 * kPatience);
  if (!exit_code.ok() || *exit_code != 0) {
    return absl::InternalError(absl::StrCat(
        "summitctl demo load failed (",
        exit_code.ok() ? absl::StrCat("exit code ", *exit_code) : exit_code.status().ToString(),
        "); stderr:\n", (*loader)->AllStderr()));
  }
  return absl::OkStatus();
}

std::string Suite::Token(const auth::Principal& principal, absl::Duration lifetime) const {
  return auth::MintToken(principal, lifetime, key_, absl::Now());
}

absl::Status Suite::Restart(Server server) {
  if (server == Server::kGateway) {
    return absl::InvalidArgumentError("only a backend is restarted");
  }
  processes_.erase(server);  // killed, if it still runs, and reaped
  reported_stopped_.erase(server);
  return StartBackend(server, ports_.at(server));
}

std::string Suite::NewlyStoppedServers() {
  std::string report;
  for (auto& [server, process] : processes_) {
    if (process == nullptr || process->IsRunning() || reported_stopped_.count(server) > 0) continue;
    reported_stopped_.insert(server);
    const std::string all = process->AllStderr();
    absl::StrAppend(
        &report, "summit-", ServerName(server), " is no longer running; the end of its stderr:\n",
        all.substr(all.size() > kReportedStderrBytes ? all.size() - kReportedStderrBytes : 0),
        "\n");
  }
  return report;
}

}  // namespace summit::testing
