#include "common/server/summit_server.h"

#include <algorithm>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/config/flags.h"
#include "common/observability/log.h"
#include "common/observability/metrics_endpoint.h"
#include "common/server/call_gate.h"
#include "common/status/macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/server_builder.h"

namespace summit::server {
namespace {

int Milliseconds(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Milliseconds(duration));
}

// Once the calls in flight are done, how long no new call must have arrived
// (each is refused) before gRPC's own shutdown runs, which would end one
// arriving at that moment with CANCELLED (call_gate.h). Clients told
// UNAVAILABLE go elsewhere within it; a bound, not a wait on them.
constexpr absl::Duration kQuietBeforeStopping = absl::Milliseconds(100);

// Once no call is left, how long clients get to close their connections
// before the server closes them.
constexpr absl::Duration kConnectionsClosing = absl::Seconds(1);

// Takes gRPC's own reflection off one server. gRPC's reflection library
// registers its plugin with every ServerBuilder of the process as it loads,
// so leaving the plugin out is the one way to serve reflection otherwise.
class WithoutBuiltinReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [](const std::unique_ptr<grpc::ServerBuilderPlugin>& plugin) {
                                    return plugin->name() == "proto_server_reflection";
                                  }),
                   plugins->end());
  }
};

}  // namespace

ServerOptions ServerOptions::FromFlags(std::string service_name, std::string default_listen,
                                       std::string default_admin) {
  ServerOptions options;
  options.service_name = std::move(service_name);
  options.listen_address = absl::GetFlag(FLAGS_listen);
  if (options.listen_address.empty()) options.listen_address = std::move(default_listen);
  options.admin_address = absl::GetFlag(FLAGS_admin_listen);
  if (options.admin_address.empty()) options.admin_address = std::move(default_admin);
  if (options.admin_address == "off") options.admin_address.clear();
  options.tls = tls::TlsFiles::FromFlags();
  options.require_client_certificate = absl::GetFlag(FLAGS_tls_require_client_cert);
  options.health_address = absl::GetFlag(FLAGS_health_listen);
  options.drain_delay = absl::GetFlag(FLAGS_shutdown_drain_delay);
  options.grace_period = absl::GetFlag(FLAGS_shutdown_grace_period);
  return options;
}

absl::StatusOr<std::unique_ptr<SummitServer>> SummitServer::Start(
    ServerOptions options, const std::vector<grpc::Service*>& services,
    observability::CallObserver* observer,
    grpc::CallbackGenericService* generic_service) {
  std::unique_ptr<SummitServer> server(new SummitServer());
  server->options_ = std::move(options);
  const ServerOptions& opts = server->options_;

  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   tls::GrpcServerCredentials(opts.tls, opts.require_client_certificate));
  if (!opts.admin_address.empty()) {
    ASSIGN_OR_RETURN(server->admin_, observability::StartMetricsEndpoint(
                                         opts.admin_address, observer->registry(), opts.tls));
  }

  grpc::ServerBuilder builder;
  if (!opts.builtin_reflection) builder.SetOption(std::make_unique<WithoutBuiltinReflection>());
  builder.AddListeningPort(opts.listen_address, credentials, &server->port_);
  builder.RegisterService(&server->health_);
  for (grpc::Service* service : services) builder.RegisterService(service);
  if (generic_service != nullptr) builder.RegisterCallbackGenericService(generic_service);
  // A second server on a port already served must fail to start, not share it.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(opts.max_receive_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, opts.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, Milliseconds(opts.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, Milliseconds(opts.grace_period));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(opts.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  // Clients (ours included) ping every 20 s or more; accept that without
  // calls in flight, refuse anything more eager.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);


  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve gRPC on ", opts.listen_address));
  }
  if (!opts.health_address.empty()) {
    // Health is all it serves.
    grpc::ServerBuilder health_builder;
    health_builder.AddListeningPort(opts.health_address, grpc::InsecureServerCredentials(),
                                    &server->health_port_);
    health_builder.RegisterService(&server->probe_health_);
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    server->health_server_ = health_builder.BuildAndStart();
    if (server->health_server_ == nullptr || server->health_port_ == 0) {
      server->server_->Shutdown();
      server->shut_down_ = true;
      return absl::UnavailableError(absl::StrCat("cannot serve health on ", opts.health_address));
    }
  }
  server->SetServing("", true);
  server->SetServing(opts.service_name, true);
  if (opts.readiness_check) {
    server->readiness_watcher_ = std::thread([raw = server.get()] { raw->WatchReadiness(); });
  }
  log::Info("serving", {{"service", opts.service_name},
                        {"listen", opts.listen_address},
                        {"port", server->port_},
                        {"tls", opts.tls.serves_tls()},
                        {"mutual_tls", opts.tls.serves_tls() && !opts.tls.ca_file.empty() &&
                                           opts.require_client_certificate},
                        {"health_port", server->health_port_},
                        {"admin_port", server->admin_port()},
                        {"admin_https", server->admin_ != nullptr && opts.tls.serves_tls()}});
  return server;
}

SummitServer::~SummitServer() {
  Shutdown();
  if (!stop_watching_.HasBeenNotified()) stop_watching_.Notify();
  if (readiness_watcher_.joinable()) readiness_watcher_.join();
}

void SummitServer::WatchReadiness() {
  bool ready = true;
  while (!stop_watching_.WaitForNotificationWithTimeout(options_.readiness_interval)) {
    const absl::Status status = options_.readiness_check();
    if (status.ok() == ready) continue;
    ready = status.ok();
    // Draining wins: after it, health says NOT_SERVING whatever this
    // says, so a recovery cannot put a draining replica back.
    SetServing(options_.service_name, ready);
    if (ready) {
      log::Info("ready again", {{"service", options_.service_name}});
    } else {
      log::Warning("not ready", {{"service", options_.service_name},
                                 {"reason", std::string(status.message())}});
    }
  }
}

void SummitServer::SetServing(const std::string& service, bool serving) {
  health_.SetServing(service, serving);
  probe_health_.SetServing(service, serving);
}

int SummitServer::admin_port() const { return admin_ == nullptr ? 0 : admin_->port(); }

void SummitServer::Shutdown(const EndStreams& end_streams) {
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  stop_watching_.Notify();
  if (readiness_watcher_.joinable()) readiness_watcher_.join();
  log::Info("draining", {{"service", options_.service_name},
                         {"grace_period_ms", absl::ToInt64Milliseconds(options_.grace_period)}});
  // NOT_SERVING for every service name first, so that health checks and
  // load balancers stop sending calls, while calls are still accepted.
  health_.Drain();
  probe_health_.Drain();
  absl::SleepFor(options_.drain_delay);
  const absl::Time deadline = absl::Now() + options_.grace_period;
  if (end_streams) end_streams(deadline);
  // From here new calls are refused (UNAVAILABLE) by the server itself, and
  // watches of its health end; the calls in flight finish.
  health_.EndWatches();
  probe_health_.EndWatches();
  log::Info("refusing new calls", {{"service", options_.service_name}});
  const bool drained = CallGate::Process().CloseAndDrain(deadline, kQuietBeforeStopping);
  if (drained) {
    log::Info("calls done", {{"service", options_.service_name}});
  } else {
    // gRPC cancels what still runs: say so, since those callers get no
    // answer.
    log::Warning("grace period ran out", {{"service", options_.service_name}});
  }
  // With no call left, what gRPC's shutdown still waits for is its
  // connections: each client must acknowledge the GOAWAY's ping, and an idle
  // client may read its connection only every few seconds. A short wait,
  // then they are closed.
  server_->Shutdown(absl::ToChronoTime(
      drained ? std::min(deadline, absl::Now() + kConnectionsClosing) : deadline));
  server_->Wait();
  if (health_server_ != nullptr) {
    health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    health_server_->Wait();
  }
  // Scrapes were answered all through the drain; one under way now gets its
  // answer.
  if (admin_ != nullptr) {
    admin_->Drain(absl::Now() + kConnectionsClosing);
    admin_->Stop();
  }
  log::Info("stopped", {{"service", options_.service_name}});
}

int ServeUntilSignalled(SummitServer& server, const SummitServer::EndStreams& end_streams) {
  const int signal = config::WaitForTerminationSignal();
  log::Info("signal received", {{"signal", signal}});
  server.Shutdown(end_streams);
  return 0;
}

}  // namespace summit::server
