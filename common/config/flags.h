// The command-line flags every Summit binary shares, one definition each, and
// the one way to read them: a flag on the command line wins over the
// environment variable of the same name in upper case with a SUMMIT_ prefix
// (`--database` ⇐ `SUMMIT_DATABASE`), which wins over the built-in default.
// Environment variables are how Kubernetes configures a container.
//
//   int main(int argc, char** argv) {
//     summit::config::InitProcess(argc, argv, "summit-registry: who is who");
//     std::string database = absl::GetFlag(FLAGS_database);
//     ...
#ifndef SUMMIT_COMMON_CONFIG_FLAGS_H_
#define SUMMIT_COMMON_CONFIG_FLAGS_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/time/time.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, admin_listen);
ABSL_DECLARE_FLAG(std::string, http_listen);
ABSL_DECLARE_FLAG(std::string, database);
ABSL_DECLARE_FLAG(absl::Duration, database_wait);
ABSL_DECLARE_FLAG(std::string, registry_address);
ABSL_DECLARE_FLAG(std::string, scheduling_address);
ABSL_DECLARE_FLAG(std::string, statements_address);
ABSL_DECLARE_FLAG(std::string, auth_key_file);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_ca_file);
ABSL_DECLARE_FLAG(absl::Duration, tls_reload_interval);
ABSL_DECLARE_FLAG(bool, tls_require_client_cert);
ABSL_DECLARE_FLAG(std::string, health_listen);
ABSL_DECLARE_FLAG(absl::Duration, shutdown_grace_period);
ABSL_DECLARE_FLAG(absl::Duration, shutdown_drain_delay);
ABSL_DECLARE_FLAG(bool, log_calls);

namespace summit::config {

// Applies SUMMIT_* environment variables to the flags they name, then parses
// the command line (exiting with usage on a bad flag), and blocks SIGTERM and
// SIGINT in this and every thread created later so that
// WaitForTerminationSignal() receives them. Call first thing in main().
// Returns the positional arguments.
std::vector<char*> InitProcess(int argc, char** argv, const char* usage);

// The same for a command-line tool (summitctl): flags and SUMMIT_*
// variables, but signals keep their default effect, so Ctrl-C stops it and a
// closed pipe ends it quietly.
std::vector<char*> InitTool(int argc, char** argv, const char* usage);

// Same as InitProcess's first step, for tests: applies `environment` entries
// ("SUMMIT_X=value") to the flags they name; unknown names are ignored.
void ApplyEnvironment(char** environment);

// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForTerminationSignal();

}  // namespace summit::config

#endif  // SUMMIT_COMMON_CONFIG_FLAGS_H_
