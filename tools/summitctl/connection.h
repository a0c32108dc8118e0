// How summitctl reaches the suite: the address of each service (flags or
// SUMMIT_* variables, as for the servers) and the bearer token to send
// (--token or SUMMIT_TOKEN; or, with --auth_key_file and --role, a token
// summitctl mints itself for development), over TLS with --tls_ca_file (and
// a client certificate with --tls_cert_file and --tls_key_file).
#ifndef SUMMIT_TOOLS_SUMMITCTL_CONNECTION_H_
#define SUMMIT_TOOLS_SUMMITCTL_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(std::string, role);
ABSL_DECLARE_FLAG(std::string, subject);
ABSL_DECLARE_FLAG(absl::Duration, timeout);

namespace summit::ctl {

// The channel to the service whose full name is `service` (e.g.
// "summit.registry.v1.RegistryService"), from the matching address flag.
// Exits with 1 (usage) when a named TLS file cannot be read.
std::shared_ptr<grpc::Channel> ChannelFor(const std::string& service);

// The bearer token calls carry: --token, else one minted from
// --auth_key_file for --role/--subject, else none (public).
absl::StatusOr<std::string> BearerToken();

// A context with the token and a deadline of --timeout.
std::unique_ptr<grpc::ClientContext> CallContext(const std::string& token);

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_CONNECTION_H_
