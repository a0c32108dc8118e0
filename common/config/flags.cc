#include "common/config/flags.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

ABSL_FLAG(std::string, listen, "", "gRPC address to serve on, HOST:PORT (port 0: any free one)");
ABSL_FLAG(std::string, admin_listen, "",
          "address for Prometheus metrics at /metrics, HOST:PORT (HTTPS with --tls_cert_file "
          "and --tls_key_file, else HTTP); \"off\" turns it off");
ABSL_FLAG(std::string, http_listen, "", "HTTP/JSON address of the gateway, HOST:PORT");
ABSL_FLAG(std::string, database, "", "sqlite:///PATH (embedded default) or postgres://…");
ABSL_FLAG(absl::Duration, database_wait, absl::Seconds(30),
          "how long to wait at start for a database server that cannot be reached yet");
ABSL_FLAG(std::string, registry_address, "127.0.0.1:50051", "Registry service, HOST:PORT or dns:///NAME:PORT");
ABSL_FLAG(std::string, scheduling_address, "127.0.0.1:50052", "Scheduling service address");
ABSL_FLAG(std::string, statements_address, "127.0.0.1:50053", "Statements service address");
ABSL_FLAG(std::string, auth_key_file, "",
          "file whose bytes are the HS256 key of bearer tokens; without it every token is refused");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM certificate chain to serve TLS with (with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key to serve TLS with");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM CA that signs Summit's certificates: peers are verified with it (empty: plaintext "
          "to peers) and, on a TLS server, clients must present a certificate it signed");
ABSL_FLAG(absl::Duration, tls_reload_interval, absl::Seconds(10),
          "how often the TLS certificate, key and CA files are read again, so a rotated "
          "certificate is served without a restart");
ABSL_FLAG(bool, tls_require_client_cert, true,
          "with --tls_ca_file: refuse gRPC clients without a certificate signed by that CA "
          "(mutual TLS); false for a public endpoint such as the gateway's");
ABSL_FLAG(std::string, health_listen, "",
          "plaintext HOST:PORT serving only grpc.health.v1 (for Kubernetes probes, which cannot "
          "do TLS); empty: none");
ABSL_FLAG(absl::Duration, shutdown_grace_period, absl::Seconds(10),
          "on SIGTERM, how long in-flight calls may take before they are cancelled");
ABSL_FLAG(absl::Duration, shutdown_drain_delay, absl::Seconds(1),
          "on SIGTERM, how long health reports NOT_SERVING before new calls are refused, "
          "so that load balancers stop sending them");
ABSL_FLAG(bool, log_calls, true, "write one JSON log line per RPC");

extern char** environ;

namespace summit::config {

void ApplyEnvironment(char** environment) {
  constexpr absl::string_view kPrefix = "SUMMIT_";
  for (char** entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
    absl::string_view variable(*entry);
    if (!absl::StartsWith(variable, kPrefix)) continue;
    const size_t equals = variable.find('=');
    if (equals == absl::string_view::npos) continue;
    const std::string name =
        absl::AsciiStrToLower(variable.substr(kPrefix.size(), equals - kPrefix.size()));
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    // SUMMIT_* variables may be meant for other programs; and Abseil's own
    // flags (flagfile, fromenv, …) are not configuration of ours.
    if (flag == nullptr || absl::StrContains(flag->Filename(), "absl/flags/")) continue;
    std::string error;
    if (!flag->ParseFrom(variable.substr(equals + 1), &error)) {
      std::fprintf(stderr, "bad value in environment variable %.*s: %s\n",
                   static_cast<int>(equals), variable.data(), error.c_str());
      std::exit(2);
    }
  }
}

namespace {

std::vector<char*> ParseFlags(int argc, char** argv, const char* usage) {
  // Abseil checks every Mutex acquisition for lock-order cycles unless told
  // not to; gRPC locks absl::Mutex on every call, so this costs real time.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(usage);
  ApplyEnvironment(environ);
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace

std::vector<char*> InitTool(int argc, char** argv, const char* usage) {
  return ParseFlags(argc, argv, usage);
}

std::vector<char*> InitProcess(int argc, char** argv, const char* usage) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that goes away must not kill a server writing to its socket.
  signal(SIGPIPE, SIG_IGN);
  return ParseFlags(argc, argv, usage);
}

int WaitForTerminationSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  return received;
}

}  // namespace summit::config
