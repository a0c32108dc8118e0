// grpc.health.v1 for a SummitServer, in place of gRPC's default health service. gRPC's keeps a
// Watch open while its server shuts down, so any client watching health — gRPC's client-side
// health checking does, on every peer channel Summit makes — holds the shutdown until the grace
// period runs out and is then cut off with CANCELLED. This one, when the server drains, tells
// every watcher NOT_SERVING at once, and ends the watches (UNAVAILABLE: watch another replica,
// or this one restarted) when the server stops taking calls.
//
//   HealthService health;
//   builder.RegisterService(&health);
//   health.SetServing("", true);
//   health.SetServing("summit.registry.v1.RegistryService", true);
//   ... on SIGTERM:
//   health.Drain();       // NOT_SERVING for every name, whatever SetServing says later
//   health.EndWatches();  // later: every watch ends
//
// Known names are "" (the server) and those given to SetServing; Check of another name is
// NOT_FOUND, and Watch of one says SERVICE_UNKNOWN, as the protocol asks.
//
// Thread-safety: all methods may be called from any thread.
#ifndef SUMMIT_COMMON_SERVER_HEALTH_SERVICE_H_
#define SUMMIT_COMMON_SERVER_HEALTH_SERVICE_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace summit::server {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  HealthService() = default;
  ~HealthService() override;
  HealthService(const HealthService&) = delete;
  HealthService& operator=(const HealthService&) = delete;

  void SetServing(const std::string& service, bool serving);
  void Drain();
  void EndWatches();

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  class WatchReactor;

  ServingStatus StatusLocked(const std::string& service) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Forget(WatchReactor* watch);

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, bool> serving_ ABSL_GUARDED_BY(mu_) = {{"", false}};
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  bool watches_ended_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<WatchReactor*> watches_ ABSL_GUARDED_BY(mu_);
};

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_HEALTH_SERVICE_H_
