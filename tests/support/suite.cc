#include "tests/support/suite.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

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
  const auto has = [&](Server server) { return options.servers.count(server) > 0; };
  const bool backends =
      has(Server::kRegistry) && has(Server::kScheduling) && has(Server::kStatements);
  if ((has(Server::kScheduling) && !has(Server::kRegistry)) ||
      (has(Server::kStatements) && !has(Server::kScheduling)) ||
      ((has(Server::kGateway) || options.load_demo) && !backends)) {
    return absl::InvalidArgumentError("a server of the suite, or the demo, without its peers");
  }
  std::unique_ptr<Suite> suite(new Suite());
  suite->options_ = options;
  absl::StatusOr<std::unique_ptr<TestFolder>> folder = TestFolder::Create(options.name);
  if (!folder.ok()) return folder.status();
  suite->folder_ = *std::move(folder);
  suite->databases_.Reset(suite->dir());
  for (Server server : {Server::kRegistry, Server::kScheduling, Server::kStatements}) {
    if (!has(server)) continue;
    if (absl::Status started = suite->StartBackend(server, 0); !started.ok()) return started;
  }
  if (has(Server::kGateway)) {
    if (absl::Status started = suite->StartGateway(0, 0); !started.ok()) return started;
  }
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
}

std::vector<std::string> Suite::BackendFlags(Server server, int port) const {
  std::vector<std::string> flags = {
      absl::StrCat("--listen=127.0.0.1:", port), "--admin_listen=127.0.0.1:0",
      databases_.Flag(absl::StrCat(options_.name, "_", ServerName(server))), folder_->KeyFlag(),
      "--shutdown_drain_delay=0s"};
  if (server == Server::kScheduling || server == Server::kStatements) {
    flags.push_back(absl::StrCat("--registry_address=127.0.0.1:", ports_.at(Server::kRegistry)));
  }
  if (server == Server::kStatements) {
    flags.push_back(
        absl::StrCat("--scheduling_address=127.0.0.1:", ports_.at(Server::kScheduling)));
  }
  if (const auto more = options_.backend_flags.find(server); more != options_.backend_flags.end()) {
    flags.insert(flags.end(), more->second.begin(), more->second.end());
  }
  return flags;
}

absl::Status Suite::StartBackend(Server server, int port) {
  absl::StatusOr<ServingProcess> serving =
      StartServing(BinaryOf(server), BackendFlags(server, port));
  if (!serving.ok()) return serving.status();
  processes_[server] = std::move(serving->process);
  ports_[server] = serving->port;
  admin_ports_[server] = PortInLine(serving->line, "\"admin_port\":");
  return absl::OkStatus();
}

absl::StatusOr<ServingProcess> Suite::StartReplica(Server server) const {
  if (server == Server::kGateway || processes_.count(server) == 0) {
    return absl::InvalidArgumentError("only a backend of the suite has replicas");
  }
  return StartServing(BinaryOf(server), BackendFlags(server, 0));
}

absl::Status Suite::StartGateway(int port, int http_port) {
  std::vector<std::string> flags = {
      absl::StrCat("--listen=127.0.0.1:", port),
      "--admin_listen=127.0.0.1:0",
      absl::StrCat("--http_listen=127.0.0.1:", http_port),
      absl::StrCat("--registry_address=127.0.0.1:", ports_.at(Server::kRegistry)),
      absl::StrCat("--scheduling_address=127.0.0.1:", ports_.at(Server::kScheduling)),
      absl::StrCat("--statements_address=127.0.0.1:", ports_.at(Server::kStatements)),
      folder_->KeyFlag(),  // to tell callers apart by their tokens, for rate limits
      "--shutdown_drain_delay=0s"};
  flags.insert(flags.end(), options_.gateway_flags.begin(), options_.gateway_flags.end());
  const std::string binary = BinaryOf(Server::kGateway);
  absl::StatusOr<ServingProcess> serving = StartServing(binary, flags);
  if (!serving.ok()) return serving.status();
  processes_[Server::kGateway] = std::move(serving->process);
  ports_[Server::kGateway] = serving->port;
  admin_ports_[Server::kGateway] = PortInLine(serving->line, "\"admin_port\":");
  absl::StatusOr<int> logged_http_port =
      LoggedPort(*processes_[Server::kGateway], "\"message\":\"http serving\"", "\"http_port\":");
  if (!logged_http_port.ok()) return About(binary, logged_http_port.status());
  http_port_ = *logged_http_port;
  return absl::OkStatus();
}

absl::Status Suite::LoadDemo() {
  const std::string summitctl = BinaryPath("tools/summitctl");
  absl::StatusOr<std::unique_ptr<ChildProcess>> loader = ChildProcess::Start(
      summitctl, {absl::StrCat("--registry_address=127.0.0.1:", ports_.at(Server::kRegistry)),
                  absl::StrCat("--scheduling_address=127.0.0.1:", ports_.at(Server::kScheduling)),
                  absl::StrCat("--statements_address=127.0.0.1:", ports_.at(Server::kStatements)),
                  folder_->KeyFlag(), "--timeout=60s", "--role=organizer",
                  "--subject=people/duty-officer", "demo", "load"});
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

absl::Status Suite::Restart(Server server) {
  processes_.erase(server);  // killed, if it still runs, and reaped
  reported_stopped_.erase(server);
  const absl::Status started = server == Server::kGateway
                                   ? StartGateway(ports_.at(server), http_port_)
                                   : StartBackend(server, ports_.at(server));
  if (!started.ok()) return started;
  return WaitUntilChannelServes(server);
}

absl::Status Suite::WaitUntilChannelServes(Server server) const {
  // The suite's channel may still hold the killed process's connection, which fails the next
  // call sent on it ("Broken pipe") before the channel notices: a test's first call after a
  // restart must reach the new process, so the channel is made to reconnect here.
  auto health = grpc::health::v1::Health::NewStub(Channel(server));
  const absl::Time give_up = absl::Now() + kPatience;
  grpc::Status status;
  while (absl::Now() < give_up) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    context.set_wait_for_ready(true);
    grpc::health::v1::HealthCheckResponse response;
    status = health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("summit-", ServerName(server),
                                                  " restarted but its channel does not serve: ",
                                                  status.error_message()));
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
