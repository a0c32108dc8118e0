// What every service's main() does before serving, once, from the shared
// flags: open and migrate its database, and load the token key.
//
//   ASSIGN_OR_EXIT(auto database,
//                  OpenDatabaseFromFlags("sqlite:///.data/registry.db", RegistryMigrations()));
#ifndef SUMMIT_COMMON_SERVER_BOOTSTRAP_H_
#define SUMMIT_COMMON_SERVER_BOOTSTRAP_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/authenticator.h"
#include "common/peers/peer_channel.h"
#include "common/server/summit_server.h"
#include "common/storage/database.h"

namespace summit::server {

// Opens --database (or `default_url` when unset) and applies `migrations`,
// logging how many were applied. A server that cannot be reached yet (a
// database starting beside the service, as pods do) is waited for, up to
// --database_wait; bad credentials or a bad URL fail at once.
absl::StatusOr<std::unique_ptr<storage::Database>> OpenDatabaseFromFlags(
    absl::string_view default_url, const std::vector<storage::Migration>& migrations);

// `options`, ready (health SERVING for the service) only while `database`
// (not owned; it must outlive the server) answers a trivial query.
ServerOptions ReadyWhileDatabaseAnswers(ServerOptions options, storage::Database& database);

// The authenticator for --auth_key_file; without one, tokens are refused
// (and a warning logged) while calls without a token still work as public.
absl::StatusOr<auth::Authenticator> AuthenticatorFromFlags();

// How a service calls its peers on its own behalf (not serving a call, e.g.
// a background task): each context carries a fresh short-lived token for
// `subject` (e.g. "services/statements", role service) minted with the
// --auth_key_file key, or no token when there is no key.
absl::StatusOr<peers::OutgoingContextFactory> OwnCallsFromFlags(absl::string_view subject);

// The credentials of calls to peers from --tls_ca_file (TLS, verifying the
// peer) and --tls_cert_file/--tls_key_file (the client certificate of
// mutual TLS); plaintext without a CA file.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentialsFromFlags();

// Logs `status` as the reason the process cannot start and exits with 1.
[[noreturn]] void ExitBecause(absl::string_view what, const absl::Status& status);

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_BOOTSTRAP_H_
