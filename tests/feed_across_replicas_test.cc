// The live feed with two replicas of summit-statements on one database, as a deployment runs
// them, on both backends (the _postgres run on PostgreSQL):
// - the feed's positions are 1, 2, 3… — one each, none skipped — with publications made
//   through both replicas at once;
// - on PostgreSQL, a watcher of one replica is sent a publication made through the other
//   because that replica notified it (LISTEN/NOTIFY), not because it polled: both replicas
//   here poll once an hour, so within the test's patience only the notice can deliver it.
//   (On SQLite replicas share one machine's file and only the poll finds another's entries;
//   that case is skipped there.)
//
// Nothing here is timed: the waits are bounded by kPatience and only what arrives, and in
// which order, is asserted.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/feed_watcher.h"
#include "tests/support/publication.h"
#include "tests/support/rpc_status.h"
#include "tests/support/suite.h"
#include "tests/support/test_database.h"

namespace summit::testing {
namespace {

namespace rv1 = ::summit::registry::v1;
namespace v1 = ::summit::statements::v1;
using StatementsStub = v1::StatementsService::Stub;
using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAreArray;

constexpr char kEventId[] = "feed-summit";
constexpr char kEvent[] = "events/feed-summit";

google::type::Date Day(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// The position a feed event holds, read from its resume token ("feed-<position>").
int64_t PositionOf(const v1::StatementEvent& event) {
  absl::string_view token = event.resume_token();
  int64_t position = -1;
  if (!absl::ConsumePrefix(&token, "feed-") || !absl::SimpleAtoi(token, &position)) return -1;
  return position;
}

class FeedAcrossReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    options.name = "feed_across_replicas";
    options.servers = {Server::kRegistry, Server::kScheduling, Server::kStatements};
    options.load_demo = false;
    // Only a notice can wake a replica's watchers in time: the poll waits an hour.
    options.backend_flags[Server::kStatements] = {"--feed_poll_interval=1h"};
    ASSERT_OK_AND_ASSIGN(suite_, Suite::Start(options));
    replica_a_ = v1::StatementsService::NewStub(suite_->Channel(Server::kStatements));
    ASSERT_OK_AND_ASSIGN(replica_b_process_, suite_->StartReplica(Server::kStatements));
    replica_b_ = v1::StatementsService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", replica_b_process_.port),
                            grpc::InsecureChannelCredentials()));

    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
    rv1::CreateEventRequest request;
    request.set_event_id(kEventId);
    rv1::Event* event = request.mutable_event();
    event->set_display_name("Feed Summit");
    event->set_kind(rv1::Event::KIND_SUMMIT);
    event->set_city("Washington");
    event->set_country("US");
    event->set_time_zone("UTC");
    *event->mutable_start_date() = Day(today - 1);
    *event->mutable_end_date() = Day(today + 1);
    auto registry = rv1::RegistryService::NewStub(suite_->Channel(Server::kRegistry));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", Organizer()));
    rv1::Event created;
    ASSERT_THAT(registry->CreateEvent(&context, request, &created), RpcOk());
  }

  std::string Organizer() const {
    return suite_->Token({"people/press-officer", auth::Role::kOrganizer});
  }

  // Publishes a press release `id` through `replica`, step by step; true when every step was OK.
  bool Publish(StatementsStub& replica, const std::string& id) {
    v1::CreateStatementRequest create;
    create.set_parent(kEvent);
    create.set_statement_id(id);
    create.set_request_id(id);
    v1::Statement* statement = create.mutable_statement();
    statement->set_kind(v1::Statement::KIND_PRESS_RELEASE);
    statement->set_title(absl::StrCat("Release ", id));
    v1::StatementBody* body = statement->add_bodies();
    body->set_language_code("en");
    body->set_text(absl::StrCat("The delegations agreed on ", id, "."));
    body->set_original(true);
    bool ok = true;
    const std::string token = Organizer();
    PublishStepByStep(
        replica, create,
        [&] {
          auto context = std::make_unique<grpc::ClientContext>();
          context->set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
          context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
          return context;
        },
        [&](const PublicationStep& step) {
          EXPECT_THAT(step.status, RpcOk()) << id << " " << step.method;
          ok = ok && step.status.ok();
        });
    return ok;
  }

  std::unique_ptr<FeedWatcher> Watch(StatementsStub& replica, bool from_beginning) {
    v1::WatchStatementsRequest request;
    request.set_parent(kEvent);
    request.set_from_beginning(from_beginning);
    return std::make_unique<FeedWatcher>(&replica, Organizer(), request);
  }

  static std::string Name(const std::string& id) { return absl::StrCat(kEvent, "/statements/", id); }

  std::unique_ptr<Suite> suite_;
  std::unique_ptr<StatementsStub> replica_a_;
  ServingProcess replica_b_process_;
  std::unique_ptr<StatementsStub> replica_b_;
};

// Positions follow commit order, each publication takes one, and replicas share the numbering.
// Under concurrent writers a transaction that took a number and then rolled back (a conflict,
// retried) leaves that number unused — PostgreSQL's sequences are never undone — so the
// concurrent part checks strictly increasing positions; one writer at a time gets the very next
// number, which is what shows that a publication takes one position, not two.
TEST_F(FeedAcrossReplicasTest, PositionsGoOneByOneWhicheverReplicaWrites) {
  constexpr int kPerReplica = 8;
  std::vector<std::string> names;
  std::vector<std::thread> publishers;
  for (int r = 0; r < 2; ++r) {
    for (int i = 0; i < kPerReplica; ++i) names.push_back(Name(absl::StrFormat("r%d-%02d", r, i)));
    publishers.emplace_back([this, r] {
      StatementsStub& replica = r == 0 ? *replica_a_ : *replica_b_;
      for (int i = 0; i < kPerReplica; ++i) {
        if (!Publish(replica, absl::StrFormat("r%d-%02d", r, i))) return;
      }
    });
  }
  for (std::thread& publisher : publishers) publisher.join();
  // Then one at a time, alternating replicas.
  for (int r = 0; r < 2; ++r) {
    const std::string id = absl::StrFormat("r%d-alone", r);
    names.push_back(Name(id));
    ASSERT_TRUE(Publish(r == 0 ? *replica_a_ : *replica_b_, id));
  }

  auto feed = Watch(*replica_a_, /*from_beginning=*/true);
  ASSERT_TRUE(feed->WaitForEvents(names.size()));
  const std::vector<v1::StatementEvent> events = feed->Events();
  std::vector<int64_t> positions;
  std::vector<std::string> published;
  for (const v1::StatementEvent& event : events) {
    positions.push_back(PositionOf(event));
    published.push_back(event.statement().name());
  }
  ASSERT_EQ(positions.size(), names.size());
  EXPECT_GE(positions.front(), 1);
  for (size_t i = 1; i < positions.size(); ++i) {
    EXPECT_LT(positions[i - 1], positions[i]) << "at " << i;
  }
  const size_t last = positions.size() - 1;
  EXPECT_EQ(positions[last - 1] + 1, positions[last]) << "one writer: the very next position";
  EXPECT_EQ(published[last - 1], Name("r0-alone"));
  EXPECT_EQ(published[last], Name("r1-alone"));
  if (!TestingOnPostgres()) {
    // SQLite's writers take turns in one file: no number is ever taken and given back.
    std::vector<int64_t> one_by_one(names.size());
    for (size_t i = 0; i < one_by_one.size(); ++i) one_by_one[i] = static_cast<int64_t>(i) + 1;
    EXPECT_THAT(positions, ElementsAreArray(one_by_one));
  }
  EXPECT_THAT(published, UnorderedElementsAreArray(names));
}

TEST_F(FeedAcrossReplicasTest, AWatcherOfOneReplicaIsSentWhatAnotherPublishedWithoutAPoll) {
  if (!TestingOnPostgres()) {
    GTEST_SKIP() << "replicas on one SQLite file hear of each other by the poll alone";
  }
  // Watchers on both replicas, from now on; each has begun once its headers came, so every
  // entry added afterwards is theirs to be sent.
  auto on_b = Watch(*replica_b_, /*from_beginning=*/false);
  auto on_a = Watch(*replica_a_, /*from_beginning=*/false);
  ASSERT_TRUE(on_b->WaitForStart());
  ASSERT_TRUE(on_a->WaitForStart());

  // Through A, then through B: each replica's watcher hears of the other's publication by its
  // notice, and of its own replica's at once.
  ASSERT_TRUE(Publish(*replica_a_, "from-a"));
  ASSERT_TRUE(on_b->WaitForEvents(1)) << "replica B was never told of A's publication";
  ASSERT_TRUE(Publish(*replica_b_, "from-b"));
  ASSERT_TRUE(on_a->WaitForEvents(2)) << "replica A was never told of B's publication";
  ASSERT_TRUE(on_b->WaitForEvents(2));

  for (FeedWatcher* watcher : {on_a.get(), on_b.get()}) {
    const std::vector<v1::StatementEvent> events = watcher->Events();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind(), v1::StatementEvent::KIND_PUBLISHED);
    EXPECT_EQ(events[0].statement().name(), Name("from-a"));
    EXPECT_EQ(events[1].kind(), v1::StatementEvent::KIND_PUBLISHED);
    EXPECT_EQ(events[1].statement().name(), Name("from-b"));
    EXPECT_EQ(PositionOf(events[1]), PositionOf(events[0]) + 1);
  }
}

}  // namespace
}  // namespace summit::testing
