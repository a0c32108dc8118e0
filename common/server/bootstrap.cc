#include "common/server/bootstrap.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "common/auth/authenticator.h"
#include "common/auth/jwt.h"
#include "common/config/flags.h"
#include "common/observability/log.h"
#include "common/status/macros.h"
#include "common/tls/tls_files.h"

namespace summit::server {

absl::StatusOr<std::unique_ptr<storage::Database>> OpenDatabaseFromFlags(
    absl::string_view default_url, const std::vector<storage::Migration>& migrations) {
  std::string url = absl::GetFlag(FLAGS_database);
  if (url.empty()) url = std::string(default_url);
  const absl::Time give_up = absl::Now() + absl::GetFlag(FLAGS_database_wait);
  absl::StatusOr<std::unique_ptr<storage::Database>> opened = storage::Database::Open(url);
  while (absl::IsUnavailable(opened.status()) && absl::Now() < give_up) {
    log::Warning("waiting for the database", {{"database", storage::RedactedUrl(url)},
                                              {"reason", std::string(opened.status().message())}});
    absl::SleepFor(absl::Seconds(1));
    opened = storage::Database::Open(url);
  }
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> database, std::move(opened));
  ASSIGN_OR_RETURN(int applied, database->ApplyMigrations(migrations));
  log::Info("database ready", {{"database", storage::RedactedUrl(url)},
                               {"migrations_applied", applied},
                               {"schema_version", migrations.empty() ? 0 : migrations.back().version}});
  return database;
}

ServerOptions ReadyWhileDatabaseAnswers(ServerOptions options, storage::Database& database) {
  options.readiness_check = [&database] { return database.Ping(); };
  return options;
}

absl::StatusOr<auth::Authenticator> AuthenticatorFromFlags() {
  const std::string path = absl::GetFlag(FLAGS_auth_key_file);
  if (path.empty()) {
    log::Warning("no --auth_key_file: every bearer token will be refused; calls without one are public");
    return auth::Authenticator::WithoutKey();
  }
  return auth::Authenticator::FromKeyFile(path);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentialsFromFlags() {
  return tls::GrpcChannelCredentials(tls::TlsFiles::FromFlags());
}

absl::StatusOr<peers::OutgoingContextFactory> OwnCallsFromFlags(absl::string_view subject) {
  const std::string path = absl::GetFlag(FLAGS_auth_key_file);
  if (path.empty()) {
    return peers::OutgoingContextFactory([] { return peers::ServiceContext(""); });
  }
  ASSIGN_OR_RETURN(std::string key, auth::ReadKeyFile(path));
  auth::Principal self{std::string(subject), auth::Role::kService};
  RETURN_IF_ERROR(auth::ValidateForToken(self));
  return peers::OutgoingContextFactory([key = std::move(key), self = std::move(self)] {
    return peers::ServiceContext(auth::MintToken(self, absl::Minutes(5), key, absl::Now()));
  });
}

void ExitBecause(absl::string_view what, const absl::Status& status) {
  log::Error(what, {{"error", status.ToString()}});
  std::exit(1);
}

}  // namespace summit::server
