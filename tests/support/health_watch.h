// A watch on a server's gRPC health (grpc.health.v1.Health/Watch) for one service name, kept
// open on a thread of its own, remembering every status the server sent and how the watch
// ended: what a test of draining checks ("health turned NOT_SERVING when draining began").
//
//   HealthWatch health(suite->Channel(Server::kRegistry), "summit.registry.v1.RegistryService");
//   ASSERT_TRUE(health.WaitFor(HealthWatch::kServing, kPatience));
//   ... SIGTERM ...
//   EXPECT_TRUE(health.WaitFor(HealthWatch::kNotServing, kPatience));
//
// Waits are bounded; they are not measurements. The watch is cancelled when the object is
// destroyed.
//
// Thread-safety: every method may be called from any thread.
#ifndef SUMMIT_TESTS_SUPPORT_HEALTH_WATCH_H_
#define SUMMIT_TESTS_SUPPORT_HEALTH_WATCH_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace summit::testing {

class HealthWatch {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;
  static constexpr ServingStatus kServing = grpc::health::v1::HealthCheckResponse::SERVING;
  static constexpr ServingStatus kNotServing = grpc::health::v1::HealthCheckResponse::NOT_SERVING;

  // Starts watching `service` ("" for the server as a whole) on `channel`.
  HealthWatch(std::shared_ptr<grpc::Channel> channel, std::string service);
  ~HealthWatch();
  HealthWatch(const HealthWatch&) = delete;
  HealthWatch& operator=(const HealthWatch&) = delete;

  // Whether the server has sent `status`, waiting at most `timeout` for it; false as soon as
  // the watch ended without it.
  bool WaitFor(ServingStatus status, absl::Duration timeout);

  // Every status the server sent, in order.
  std::vector<ServingStatus> Seen() const;

  // How the watch ended, once it has.
  std::optional<grpc::Status> Ended() const;

 private:
  void Watch(std::shared_ptr<grpc::Channel> channel, std::string service);

  grpc::ClientContext context_;
  mutable absl::Mutex mu_;
  std::vector<ServingStatus> seen_ ABSL_GUARDED_BY(mu_);
  std::optional<grpc::Status> ended_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_HEALTH_WATCH_H_
