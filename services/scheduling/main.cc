// summit-scheduling: who meets whom, when and where. Wiring only; see
// scheduling.h.
#include "absl/flags/flag.h"
#include "common/config/flags.h"
#include "common/observability/call_observer.h"
#include "common/peers/peer_channel.h"
#include "common/server/bootstrap.h"
#include "common/server/summit_server.h"
#include "common/server/work_queue.h"
#include "services/scheduling/registry_client.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/scheduling_schema.h"
#include "services/scheduling/scheduling_service.h"

int main(int argc, char** argv) {
  using namespace summit;
  config::InitProcess(argc, argv,
                      "summit-scheduling: rooms, sessions, meeting requests and the matchmaking "
                      "scheduler (summit.scheduling.v1.SchedulingService)");

  auto database = server::OpenDatabaseFromFlags("sqlite:///.data/scheduling.db",
                                                scheduling::SchedulingMigrations());
  if (!database.ok()) server::ExitBecause("cannot open the database", database.status());
  auto authenticator = server::AuthenticatorFromFlags();
  if (!authenticator.ok()) server::ExitBecause("cannot load the token key", authenticator.status());

  auto peer_credentials = server::PeerCredentialsFromFlags();
  if (!peer_credentials.ok())
    server::ExitBecause("cannot read TLS files", peer_credentials.status());

  scheduling::RegistryClient registry(peers::MakePeerChannel(
      absl::GetFlag(FLAGS_registry_address),
      {.idempotent_methods = scheduling::RegistryReadMethods(), .credentials = *peer_credentials}));
  scheduling::Scheduling scheduling(**database, registry);
  observability::CallObserver observer(absl::GetFlag(FLAGS_log_calls),
      observability::MethodPathsOf({"summit.scheduling.v1.SchedulingService"}));
  // Enough threads that many calls can wait on the Registry and the
  // database at once (a PostgreSQL pool of the default size busy, SQLite's
  // writers sharing commits).
  server::WorkQueue work(64);
  scheduling::SchedulingService service(scheduling, *authenticator, observer, work);
  auto server = server::SummitServer::Start(
      server::ReadyWhileDatabaseAnswers(
          server::ServerOptions::FromFlags("summit.scheduling.v1.SchedulingService", "0.0.0.0:50052",
                                           "0.0.0.0:9092"),
          **database),
      {&service}, &observer);
  if (!server.ok()) server::ExitBecause("cannot serve", server.status());
  return server::ServeUntilSignalled(**server);
}
