// summit-registry: who is who at a summit. Wiring only; see registry.h.
#include "absl/flags/flag.h"
#include "common/config/flags.h"
#include "common/observability/call_observer.h"
#include "common/server/bootstrap.h"
#include "common/server/summit_server.h"
#include "common/server/work_queue.h"
#include "services/registry/registry.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"

int main(int argc, char** argv) {
  using namespace summit;
  config::InitProcess(argc, argv,
                      "summit-registry: events, organizations, people, delegations and "
                      "accreditations (summit.registry.v1.RegistryService)");

  auto database = server::OpenDatabaseFromFlags("sqlite:///.data/registry.db",
                                                registry::RegistryMigrations());
  if (!database.ok()) server::ExitBecause("cannot open the database", database.status());
  auto authenticator = server::AuthenticatorFromFlags();
  if (!authenticator.ok()) server::ExitBecause("cannot load the token key", authenticator.status());

  registry::Registry registry(**database);
  if (absl::Status reindexed = registry.RefreshSearchIndex(); !reindexed.ok()) {
    server::ExitBecause("cannot refresh the name search index", reindexed);
  }
  observability::CallObserver observer(absl::GetFlag(FLAGS_log_calls),
      observability::MethodPathsOf({"summit.registry.v1.RegistryService"}));
  // Enough threads that a PostgreSQL pool of the default size can be busy
  // at once, and that many writers reach SQLite together and share its
  // commits (group commit).
  server::WorkQueue work(64);
  registry::RegistryService service(registry, *authenticator, observer, work);
  auto server = server::SummitServer::Start(
      server::ReadyWhileDatabaseAnswers(
          server::ServerOptions::FromFlags("summit.registry.v1.RegistryService", "0.0.0.0:50051",
                                           "0.0.0.0:9091"),
          **database),
      {&service}, &observer);
  if (!server.ok()) server::ExitBecause("cannot serve", server.status());
  return server::ServeUntilSignalled(**server);
}
