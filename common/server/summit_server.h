// The one way a Summit binary serves gRPC: health per service name,
// reflection, keepalive, a maximum connection age (so load rebalances across
// replicas), message and stream limits, and, on the admin port, the metrics
// its handlers record through a CallObserver, at /metrics
// (common/observability/metrics_endpoint.h). With TLS files it serves TLS
// (mutual TLS with a CA: see common/tls/tls_files.h) and the admin port
// serves HTTPS, both reloading rotated certificates; it may answer health
// alone on a plaintext port for probes that cannot do TLS.
//
//   ASSIGN_OR_RETURN(auto server,
//                    SummitServer::Start(ServerOptions::FromFlags(
//                                            "summit.registry.v1.RegistryService",
//                                            "0.0.0.0:50051", "0.0.0.0:9091"),
//                                        {&registry_service}, &observer));
//   summit::config::WaitForTerminationSignal();
//   server->Shutdown();  // NOT_SERVING, drain, exit
//
// Draining loses no call a handler took: health turns NOT_SERVING while
// calls are still served (the drain delay); then long-lived streams are
// asked to end; then the process's CallGate closes, so new calls are
// answered UNAVAILABLE (they did nothing: retry elsewhere) and health
// watches end; the calls in flight finish within the grace period; only then
// does gRPC's own shutdown run (see call_gate.h for why it waits). The admin
// port stops last, so that Prometheus sees the drain to its end.
//
// Thread-safety: Shutdown may be called from any thread, once.
#ifndef SUMMIT_COMMON_SERVER_SUMMIT_SERVER_H_
#define SUMMIT_COMMON_SERVER_SUMMIT_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/http/http_server.h"
#include "common/observability/call_observer.h"
#include "common/server/health_service.h"
#include "common/tls/tls_files.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"

namespace summit::server {

struct ServerOptions {
  // The gRPC service name health reports on, e.g.
  // "summit.registry.v1.RegistryService".
  std::string service_name;
  // HOST:PORT to serve gRPC on; port 0 picks a free port (see port()).
  std::string listen_address;
  // HOST:PORT for /metrics; empty: no admin endpoint.
  std::string admin_address;
  // Certificate and key set: serve TLS (and HTTPS on the admin port), none:
  // plaintext. With a CA as well, gRPC clients must present a certificate it
  // signed, unless !require_client_certificate (then one is verified only if
  // sent); the admin port never asks for one (metrics_endpoint.h).
  tls::TlsFiles tls;
  bool require_client_certificate = true;
  // HOST:PORT of a plaintext server that answers only grpc.health.v1 (and
  // reflection, which gRPC adds to every server), with the same statuses as
  // the main port, for Kubernetes probes, which cannot do TLS. Empty: none.
  std::string health_address;
  // On shutdown: time health says NOT_SERVING before new calls are refused,
  // then time in-flight calls get before they are cancelled.
  absl::Duration drain_delay = absl::Seconds(1);
  absl::Duration grace_period = absl::Seconds(10);
  // Limits against greedy or hostile clients.
  int max_receive_message_bytes = 4 << 20;
  int max_concurrent_streams = 256;
  // Whether gRPC's own reflection service runs on the port. It lists only the
  // services registered here; a process that serves others (the gateway's
  // proxy) answers reflection itself and turns this off.
  bool builtin_reflection = true;
  absl::Duration max_connection_age = absl::Minutes(5);
  absl::Duration keepalive_time = absl::Seconds(30);
  // What the service needs to answer calls (e.g. its database), asked every
  // readiness_interval: while it fails, health reports the service name
  // NOT_SERVING (readiness: take this replica out of rotation) and the
  // overall "" SERVING (liveness: a restart would not help). Empty: always
  // ready.
  std::function<absl::Status()> readiness_check;
  absl::Duration readiness_interval = absl::Seconds(5);

  // The options the shared flags (common/config/flags.h) say, with a
  // binary's own default addresses for flags left empty.
  static ServerOptions FromFlags(std::string service_name, std::string default_listen,
                                 std::string default_admin);
};

class SummitServer {
 public:
  // Builds and starts the server with `services` (not owned; they must
  // outlive it), health SERVING. `observer` (not owned) holds the metrics the
  // admin port serves. `generic_service` (optional, not owned) answers every
  // method no registered service has: what a proxy such as the gateway uses.
  static absl::StatusOr<std::unique_ptr<SummitServer>> Start(
      ServerOptions options, const std::vector<grpc::Service*>& services,
      observability::CallObserver* observer,
      grpc::CallbackGenericService* generic_service = nullptr);

  ~SummitServer();

  // The gRPC port actually bound.
  int port() const { return port_; }
  // The plaintext health port actually bound, 0 when none.
  int health_port() const { return health_port_; }
  // The admin HTTP port actually bound, 0 when none.
  int admin_port() const;

  // Health turns NOT_SERVING; after the drain delay `end_streams` (when
  // given) asks long-lived streams such as live feeds to end now, so their
  // clients reconnect to another replica rather than wait out the grace
  // period, and may wait (until `deadline`, the end of the grace period) for
  // work that still needs the server's calls; then new calls are refused and
  // in-flight ones get until the deadline to finish. Returns when the server
  // has stopped.
  using EndStreams = std::function<void(absl::Time deadline)>;
  void Shutdown(const EndStreams& end_streams = {});

 private:
  SummitServer() = default;

  // Runs options_.readiness_check until Shutdown and sets health by it.
  void WatchReadiness();
  // Sets `service`'s health on the main port and the health port alike.
  void SetServing(const std::string& service, bool serving);

  ServerOptions options_;
  // Before the servers that serve them, which stop first.
  HealthService health_;        // on the main port
  HealthService probe_health_;  // on the plaintext health port
  std::unique_ptr<http::HttpServer> admin_;  // metrics_endpoint.h
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;
  int port_ = 0;
  int health_port_ = 0;
  bool shut_down_ = false;
  absl::Notification stop_watching_;
  std::thread readiness_watcher_;
};

// Serves until SIGTERM or SIGINT, then shuts `server` down; returns the exit
// status for main (0). InitProcess must have blocked the signals.
int ServeUntilSignalled(SummitServer& server, const SummitServer::EndStreams& end_streams = {});

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_SUMMIT_SERVER_H_
