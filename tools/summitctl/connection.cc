#include "tools/summitctl/connection.h"

#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/auth/authenticator.h"
#include "common/auth/jwt.h"
#include "common/config/flags.h"
#include "common/status/macros.h"
#include "common/tls/tls_files.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

ABSL_FLAG(std::string, token, "", "bearer token to send (SUMMIT_TOKEN); empty: none, or minted");
ABSL_FLAG(std::string, role, "",
          "with --auth_key_file and no --token: mint a development token of this role "
          "(public, press, delegate, organizer, service)");
ABSL_FLAG(std::string, subject, "",
          "subject of a minted token: people/{person} or services/{name}; default by role");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "deadline of each call");

namespace summit::ctl {

std::shared_ptr<grpc::Channel> ChannelFor(const std::string& service) {
  std::string address = absl::GetFlag(FLAGS_registry_address);
  if (absl::StartsWith(service, "summit.scheduling.")) address = absl::GetFlag(FLAGS_scheduling_address);
  if (absl::StartsWith(service, "summit.statements.")) address = absl::GetFlag(FLAGS_statements_address);
  // TLS with --tls_ca_file (SUMMIT_TLS_CA_FILE), presenting --tls_cert_file
  // and --tls_key_file when a service requires client certificates.
  static const std::shared_ptr<grpc::ChannelCredentials>* const credentials = [] {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> made =
        tls::GrpcChannelCredentials(tls::TlsFiles::FromFlags());
    if (!made.ok()) {
      std::cerr << "ERROR: " << made.status().message() << "\n";
      std::exit(1);
    }
    return new std::shared_ptr<grpc::ChannelCredentials>(*std::move(made));
  }();
  return grpc::CreateChannel(address, *credentials);
}

absl::StatusOr<std::string> BearerToken() {
  if (!absl::GetFlag(FLAGS_token).empty()) return absl::GetFlag(FLAGS_token);
  const std::string role_name = absl::GetFlag(FLAGS_role);
  if (role_name.empty()) return std::string();
  std::optional<auth::Role> role = auth::RoleFromString(role_name);
  if (!role.has_value()) return absl::InvalidArgumentError("--role: unknown role " + role_name);
  auth::Principal principal{absl::GetFlag(FLAGS_subject), *role};
  if (principal.subject.empty() && *role != auth::Role::kPublic) {
    principal.subject = *role == auth::Role::kService ? "services/summitctl" : "people/summitctl";
  }
  RETURN_IF_ERROR(auth::ValidateForToken(principal));
  const std::string key_file = absl::GetFlag(FLAGS_auth_key_file);
  if (key_file.empty()) return absl::InvalidArgumentError("--role needs --auth_key_file");
  // Read the key the same way the servers do, so both agree on its bytes.
  ASSIGN_OR_RETURN(std::string key, auth::ReadKeyFile(key_file));
  return auth::MintToken(principal, absl::Hours(12), key, absl::Now());
}

std::unique_ptr<grpc::ClientContext> CallContext(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

}  // namespace summit::ctl
