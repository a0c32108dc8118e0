// The whole Summit suite as real child processes, for integration tests: summit-registry,
// summit-scheduling and summit-statements, each on a fresh database of its own
// (TestDatabases: SQLite, or PostgreSQL when the test binary runs on it) and all sharing one
// HS256 key, summit-gateway in front of them (gRPC and HTTP/JSON), and, unless asked not to, the
// demo loaded by the real `summitctl demo load` as the duty officer (an organizer). A test of
// fewer services starts only those (SuiteOptions::servers), with those they call.
//
//   SuiteOptions options;
//   options.name = "views";
//   absl::StatusOr<std::unique_ptr<Suite>> suite = Suite::Start(options);
//   ASSERT_TRUE(suite.ok()) << suite.status();
//   auto registry = registry::v1::RegistryService::NewStub((*suite)->Channel(Server::kRegistry));
//   grpc::ClientContext context;
//   context.AddMetadata("authorization",
//                       "Bearer " + (*suite)->Token({"people/duty-officer",
//                       auth::Role::kOrganizer}));
//
// Every server listens on 127.0.0.1 and a port of the kernel's choosing, read from its
// "serving" log line. Destroying the Suite kills (SIGKILL) and reaps every process (replicas
// are their caller's) and removes its folder. Waits are bounded (kPatience) and are not
// measurements.
//
// Thread-safety: one thread owns a Suite; its const methods may be called from any thread.
#ifndef SUMMIT_TESTS_SUPPORT_SUITE_H_
#define SUMMIT_TESTS_SUPPORT_SUITE_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "grpcpp/channel.h"
#include "tests/support/child_process.h"
#include "tests/support/serving_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_folder.h"

namespace summit::testing {

// The processes of the suite.
enum class Server { kRegistry, kScheduling, kStatements, kGateway };

// "registry", "scheduling", "statements", "gateway".
absl::string_view ServerName(Server server);

// The server that serves a service of the contract, by its full name
// ("summit.registry.v1.RegistryService"); the gateway serves its own.
Server ServerOf(absl::string_view service_full_name);

struct SuiteOptions {
  // Names the suite's temporary folder and its databases, so that several suites of one test
  // binary (or one test server) never share them.
  std::string name = "suite";
  // The servers to start: any with the backends it calls (Scheduling calls the Registry,
  // Statements both, the gateway all three).
  std::set<Server> servers = {Server::kRegistry, Server::kScheduling, Server::kStatements,
                              Server::kGateway};
  // Whether `summitctl demo load` fills the suite before Start returns (with the three
  // backends only).
  bool load_demo = true;
  // More flags for summit-gateway, e.g. "--cors_origins=https://summit.example.org".
  std::vector<std::string> gateway_flags;
  // More flags for a backend (and its replicas), e.g. {Server::kStatements,
  // {"--max_open_feeds=4"}}.
  std::map<Server, std::vector<std::string>> backend_flags;
};

class Suite {
 public:
  // Starts the four processes (and loads the demo). The error says which part failed and
  // carries its standard error.
  static absl::StatusOr<std::unique_ptr<Suite>> Start(const SuiteOptions& options);

  ~Suite();
  Suite(const Suite&) = delete;
  Suite& operator=(const Suite&) = delete;

  // The folder of the suite's files (the key, SQLite databases).
  const std::string& dir() const { return folder_->path(); }
  // The raw bytes of the HS256 key every process shares.
  const std::string& key() const { return folder_->key(); }

  // A server's gRPC port, and the gateway's HTTP port (of the servers started).
  int Port(Server server) const { return ports_.at(server); }
  int http_port() const { return http_port_; }
  // A server's admin (metrics) port: plain HTTP, as the suite runs without TLS files.
  int AdminPort(Server server) const { return admin_ports_.at(server); }

  // A server's process, e.g. to signal it (SIGSTOP, SIGKILL) or read its standard error.
  ChildProcess& Process(Server server) const { return *processes_.at(server); }

  // The plaintext channel to a server's gRPC port: one for the suite's life (it reconnects
  // after a Restart), as clients of Summit keep one channel per peer.
  std::shared_ptr<grpc::Channel> Channel(Server server) const { return channels_.at(server); }

  // A token for `principal`, valid from now for `lifetime`, signed with the suite's key.
  std::string Token(const auth::Principal& principal,
                    absl::Duration lifetime = absl::Hours(1)) const {
    return folder_->Token(principal, lifetime);
  }

  // Kills a server (if it still runs) and starts it again on its ports (and a backend on its
  // database), so that its peers, the gateway and the suite's channels find it again. Returns
  // once the suite's own channel to it serves: the next call reaches the new process.
  absl::Status Restart(Server server);

  // Another process of a backend on the same database, with the same peers, on a port of its
  // own: a second replica, as a deployment runs them. The caller owns it.
  absl::StatusOr<ServingProcess> StartReplica(Server server) const;

  // For each server that has stopped since the last call: its name and the end of its
  // standard error (a sanitizer's report, an abort message). "" when none has. What a test's
  // TearDown adds to a failure.
  std::string NewlyStoppedServers();

 private:
  Suite() = default;

  absl::Status StartBackend(Server server, int port);
  // Waits until the suite's channel to `server` reaches the running process (health SERVING).
  absl::Status WaitUntilChannelServes(Server server) const;
  absl::Status StartGateway(int port, int http_port);
  absl::Status LoadDemo();
  std::vector<std::string> BackendFlags(Server server, int port) const;

  SuiteOptions options_;
  std::unique_ptr<TestFolder> folder_;
  TestDatabases databases_;  // each backend's, the same again on a restart
  std::map<Server, std::unique_ptr<ChildProcess>> processes_;
  std::map<Server, int> ports_;
  std::map<Server, int> admin_ports_;
  std::map<Server, std::shared_ptr<grpc::Channel>> channels_;
  int http_port_ = 0;
  std::set<Server> reported_stopped_;
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_SUITE_H_
