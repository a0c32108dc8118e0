// summit-statements: what officials said, cleared and published. Wiring
// only; see statements.h.
#include "absl/flags/flag.h"
#include "common/config/flags.h"
#include "common/observability/call_observer.h"
#include "common/peers/peer_channel.h"
#include "common/server/bootstrap.h"
#include "common/server/open_feeds.h"
#include "common/server/summit_server.h"
#include "common/server/work_queue.h"
#include "services/statements/embargo_lifter.h"
#include "services/statements/feed_hub.h"
#include "services/statements/statement_peers.h"
#include "services/statements/statements.h"
#include "services/statements/statements_schema.h"
#include "services/statements/statements_service.h"

// A gateway is one caller for every public feed it forwards (they come from its address), so
// the per-caller cap must let through as many as a gateway holds open (its --max_open_feeds).
ABSL_FLAG(int, max_feeds_per_caller, 2000,
          "live feeds (WatchStatements) one caller (token subject, or client IP for the public) "
          "may hold open; more are refused RESOURCE_EXHAUSTED; 0: no cap");
// Replicas on PostgreSQL hear of each other's publications at once (LISTEN/NOTIFY); the poll is
// what finds them when that connection is lost, and on SQLite shared by processes of one machine.
ABSL_FLAG(absl::Duration, feed_poll_interval, absl::Seconds(1),
          "how often the live feed looks for entries other processes added without a notice");
ABSL_FLAG(int, max_open_feeds, 4000,
          "live feeds the service holds open in all; more are refused RESOURCE_EXHAUSTED; "
          "0: no cap");

int main(int argc, char** argv) {
  using namespace summit;
  config::InitProcess(argc, argv,
                      "summit-statements: quotes, press releases and joint statements with "
                      "clearance, embargo, corrections, search and a live feed "
                      "(summit.statements.v1.StatementsService)");

  auto database = server::OpenDatabaseFromFlags("sqlite:///.data/statements.db",
                                                statements::StatementsMigrations());
  if (!database.ok()) server::ExitBecause("cannot open the database", database.status());
  if (absl::Status indexed = statements::IndexEarlierSignatories(**database); !indexed.ok()) {
    server::ExitBecause("cannot index the signatories of earlier statements", indexed);
  }
  auto authenticator = server::AuthenticatorFromFlags();
  if (!authenticator.ok()) server::ExitBecause("cannot load the token key", authenticator.status());
  auto own_calls = server::OwnCallsFromFlags("services/statements");
  if (!own_calls.ok()) server::ExitBecause("cannot make the service's token", own_calls.status());

  auto peer_credentials = server::PeerCredentialsFromFlags();
  if (!peer_credentials.ok())
    server::ExitBecause("cannot read TLS files", peer_credentials.status());

  statements::StatementPeers peers(
      peers::MakePeerChannel(absl::GetFlag(FLAGS_registry_address),
                             {.idempotent_methods = statements::RegistryMethodsCalled(),
                              .credentials = *peer_credentials}),
      peers::MakePeerChannel(absl::GetFlag(FLAGS_scheduling_address),
                             {.idempotent_methods = statements::SchedulingMethodsCalled(),
                              .credentials = *peer_credentials}));
  statements::FeedHub feed(absl::GetFlag(FLAGS_feed_poll_interval));
  statements::Statements statements(**database, peers, feed);
  feed.PollVersion([&statements] { return statements.LastFeedSeq(); });
  // Another replica's publication wakes this one's watchers (nullptr on SQLite: the poll does).
  const std::unique_ptr<storage::NotificationListener> feed_notices =
      (*database)->ListenForNotifications(statements::kFeedChannel, [&feed] { feed.Notify(); });
  statements::EmbargoLifter lifter(statements, feed, *own_calls);
  observability::CallObserver observer(absl::GetFlag(FLAGS_log_calls),
      observability::MethodPathsOf({"summit.statements.v1.StatementsService"}));
  // Enough threads that many writers reach the database together and share
  // its commits (group commit), whatever the machine's core count.
  server::WorkQueue work(64);
  server::OpenFeeds open_feeds({.per_caller = absl::GetFlag(FLAGS_max_feeds_per_caller),
                                .total = absl::GetFlag(FLAGS_max_open_feeds)});
  statements::StatementsService service(statements, feed, open_feeds, *authenticator, observer,
                                        work);
  auto server = server::SummitServer::Start(
      server::ReadyWhileDatabaseAnswers(
          server::ServerOptions::FromFlags("summit.statements.v1.StatementsService", "0.0.0.0:50053",
                                           "0.0.0.0:9093"),
          **database),
      {&service}, &observer);
  if (!server.ok()) server::ExitBecause("cannot serve", server.status());
  return server::ServeUntilSignalled(**server, [&feed](absl::Time) { feed.Close(); });
}
