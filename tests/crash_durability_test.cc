// Crash durability: under a bounded write load, a service is killed with SIGKILL at a random
// moment, started again on its database, and checked:
// - every write the client saw acknowledged is there, exactly as acknowledged;
// - nothing unacknowledged is half there: a create retried with its request id after the
//   crash yields exactly one resource (never a second one beside a half-written first), and a
//   published statement always has its feed entry (they commit together), and a feed entry
//   always its published statement.
// Kill rounds per service: SUMMIT_CRASH_KILLS (default 5 here; docs/RELIABILITY.md records a
// longer run). Runs on both backends (crash_durability_test_postgres).
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/suite.h"

namespace summit {
namespace {

namespace rv1 = ::summit::registry::v1;
namespace tv1 = ::summit::statements::v1;
using ::summit::testing::Server;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;

constexpr int kWriters = 4;
constexpr int kMaxWritesPerWriter = 300;  // bounds a round if the kill came late
constexpr char kEvent[] = "events/udib-2023";

int KillRounds() {
  const char* text = std::getenv("SUMMIT_CRASH_KILLS");
  int rounds = 5;
  if (text != nullptr && !absl::SimpleAtoi(text, &rounds)) rounds = 5;
  return rounds;
}

class CrashDurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    options.name = "crash";
    absl::StatusOr<std::unique_ptr<Suite>> suite = Suite::Start(options);
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    organizer_ = absl::StrCat(
        "Bearer ", suite_->Token({"people/duty-officer", auth::Role::kOrganizer}, absl::Hours(2)));
  }

  void TearDown() override {
    if (suite_ != nullptr) {
      const std::string stopped = suite_->NewlyStoppedServers();
      EXPECT_EQ(stopped, "") << "a server stopped unexpectedly";
    }
  }

  std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(10)) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    // The channel of a restarted server may still be backing off from the kill: wait for it
    // to connect rather than fail fast (a write to a server just killed still fails fast
    // enough: the connection breaks under it).
    context->set_wait_for_ready(true);
    context->AddMetadata("authorization", organizer_);
    return context;
  }

  // Lets `writers` write until `server` is killed at a random moment (30–300 ms in), waits for
  // them, and starts the server again on its database.
  void KillDuringWrites(Server server, const std::function<void(int writer)>& write) {
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) threads.emplace_back(write, w);
    absl::SleepFor(absl::Milliseconds(std::uniform_int_distribution<int>(30, 300)(random_)));
    ASSERT_TRUE(suite_->Process(server).Signal(SIGKILL).ok());
    for (std::thread& thread : threads) thread.join();
    ASSERT_TRUE(suite_->Restart(server).ok());
  }

  std::unique_ptr<Suite> suite_;
  std::string organizer_;
  std::mt19937 random_{20231206};
};

struct CreateAttempt {
  std::string request_id;
  std::string display_name;
  bool acknowledged = false;
  rv1::Person person;  // as acknowledged
};

TEST_F(CrashDurabilityTest, RegistryKeepsEveryAcknowledgedCreateAndNoHalfCreate) {
  auto registry = rv1::RegistryService::NewStub(suite_->Channel(Server::kRegistry));
  int acknowledged_total = 0, unacknowledged_total = 0;
  for (int round = 0; round < KillRounds(); ++round) {
    absl::Mutex mu;
    std::vector<CreateAttempt> attempts;
    ASSERT_NO_FATAL_FAILURE(KillDuringWrites(Server::kRegistry, [&](int writer) {
      for (int j = 0; j < kMaxWritesPerWriter; ++j) {
        CreateAttempt attempt;
        attempt.request_id = absl::StrCat("crash-", round, "-", writer, "-", j);
        attempt.display_name = absl::StrCat("Crash Tester R", round, " W", writer, " N", j);
        rv1::CreatePersonRequest request;
        request.set_request_id(attempt.request_id);
        request.mutable_person()->set_display_name(attempt.display_name);
        request.mutable_person()->set_title("Crash tester");
        request.mutable_person()->set_country("UA");
        const grpc::Status status = registry->CreatePerson(Context().get(), request, &attempt.person);
        attempt.acknowledged = status.ok();
        absl::MutexLock lock(&mu);
        attempts.push_back(attempt);
        if (!status.ok()) return;  // the server is gone
      }
    }));

    // Acknowledged: there, as acknowledged. Unacknowledged: a retry with the request id
    // answers with one person, whether the first attempt committed or not.
    std::set<std::string> names;
    for (const CreateAttempt& attempt : attempts) {
      rv1::Person now;
      if (attempt.acknowledged) {
        ++acknowledged_total;
        rv1::GetPersonRequest get;
        get.set_name(attempt.person.name());
        const grpc::Status status = registry->GetPerson(Context().get(), get, &now);
        ASSERT_TRUE(status.ok()) << attempt.person.name() << " (round " << round
                                 << "): " << status.error_code() << " " << status.error_message();
        EXPECT_EQ(now.etag(), attempt.person.etag()) << attempt.person.name();
        EXPECT_EQ(now.display_name(), attempt.display_name);
      } else {
        ++unacknowledged_total;
        rv1::CreatePersonRequest retry;
        retry.set_request_id(attempt.request_id);
        retry.mutable_person()->set_display_name(attempt.display_name);
        retry.mutable_person()->set_title("Crash tester");
        retry.mutable_person()->set_country("UA");
        const grpc::Status status = registry->CreatePerson(Context().get(), retry, &now);
        ASSERT_TRUE(status.ok()) << attempt.request_id << ": " << status.error_message();
        EXPECT_EQ(now.display_name(), attempt.display_name);
      }
      EXPECT_TRUE(names.insert(now.name()).second) << now.name() << " answered twice";
    }
    // Exactly one person per attempt: none created twice, none half created and then again.
    int listed = 0;
    rv1::ListPeopleRequest list;
    list.set_page_size(1000);
    do {
      rv1::ListPeopleResponse page;
      ASSERT_TRUE(registry->ListPeople(Context().get(), list, &page).ok());
      for (const rv1::Person& person : page.people()) {
        if (absl::StartsWith(person.display_name(), absl::StrCat("Crash Tester R", round, " "))) {
          ++listed;
        }
      }
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
    EXPECT_EQ(listed, static_cast<int>(attempts.size())) << "round " << round;
  }
  std::cerr << "[   INFO   ] " << KillRounds() << " kills of summit-registry: "
            << acknowledged_total << " acknowledged creates all kept, " << unacknowledged_total
            << " unacknowledged ones each created exactly once on retry\n";
}

// How far a statement's publication got, as the client saw it.
struct Publication {
  std::string name;
  int acknowledged_steps = 0;  // create, submit, approve, publish
};

TEST_F(CrashDurabilityTest, StatementsKeepEveryAcknowledgedStepAndTheFeedCommitsWithIt) {
  auto statements = tv1::StatementsService::NewStub(suite_->Channel(Server::kStatements));
  int published_total = 0;
  std::vector<Publication> all;
  for (int round = 0; round < KillRounds(); ++round) {
    absl::Mutex mu;
    ASSERT_NO_FATAL_FAILURE(KillDuringWrites(Server::kStatements, [&](int writer) {
      for (int j = 0; j < kMaxWritesPerWriter / 4; ++j) {
        Publication publication;
        const std::string id = absl::StrCat("crash-", round, "-", writer, "-", j);
        publication.name = absl::StrCat(kEvent, "/statements/", id);
        tv1::CreateStatementRequest create;
        create.set_parent(kEvent);
        create.set_statement_id(id);
        create.mutable_statement()->set_kind(tv1::Statement::KIND_PRESS_RELEASE);
        create.mutable_statement()->set_title(absl::StrCat("Crash round ", round));
        tv1::StatementBody* body = create.mutable_statement()->add_bodies();
        body->set_language_code("en");
        body->set_text(absl::StrCat("Update ", round, "-", writer, "-", j, "."));
        body->set_original(true);
        tv1::Statement created, ignored;
        grpc::Status status = statements->CreateStatement(Context().get(), create, &created);
        if (status.ok()) {
          ++publication.acknowledged_steps;
          tv1::SubmitStatementRequest submit;
          submit.set_name(publication.name);
          status = statements->SubmitStatement(Context().get(), submit, &ignored);
        }
        if (status.ok()) {
          ++publication.acknowledged_steps;
          tv1::ApproveStatementRequest approve;
          approve.set_name(publication.name);
          approve.set_text_hash(created.text_hash());
          status = statements->ApproveStatement(Context().get(), approve, &ignored);
        }
        if (status.ok()) {
          ++publication.acknowledged_steps;
          tv1::PublishStatementRequest publish;
          publish.set_name(publication.name);
          status = statements->PublishStatement(Context().get(), publish, &ignored);
        }
        if (status.ok()) ++publication.acknowledged_steps;
        absl::MutexLock lock(&mu);
        all.push_back(publication);
        if (!status.ok()) return;
      }
    }));
  }

  // Each statement is at least as far as acknowledged, and at most one step further (the step
  // whose answer the crash swallowed).
  static const tv1::Statement::State kAfterSteps[] = {
      tv1::Statement::STATE_UNSPECIFIED, tv1::Statement::STATE_DRAFT,
      tv1::Statement::STATE_IN_REVIEW, tv1::Statement::STATE_APPROVED,
      tv1::Statement::STATE_PUBLISHED};
  std::set<std::string> published;
  for (const Publication& publication : all) {
    tv1::GetStatementRequest get;
    get.set_name(publication.name);
    tv1::Statement now;
    const grpc::Status status = statements->GetStatement(Context().get(), get, &now);
    const int steps = publication.acknowledged_steps;
    if (!status.ok()) {
      EXPECT_EQ(steps, 0) << publication.name << " was acknowledged, and is gone";
      EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << publication.name;
      continue;
    }
    std::set<tv1::Statement::State> allowed = {kAfterSteps[steps]};
    if (steps < 4) allowed.insert(kAfterSteps[steps + 1]);
    EXPECT_TRUE(allowed.count(now.state()) == 1)
        << publication.name << " is " << tv1::Statement::State_Name(now.state()) << " after "
        << steps << " acknowledged steps";
    if (now.state() == tv1::Statement::STATE_PUBLISHED) published.insert(publication.name);
    if (steps == 4) ++published_total;
  }

  // The feed holds exactly one publication event per published statement, and none for any
  // other: the feed entry and the state change committed together, or neither did.
  tv1::WatchStatementsRequest watch;
  watch.set_parent(kEvent);
  watch.set_from_beginning(true);
  auto context = Context(absl::Seconds(60));
  std::unique_ptr<grpc::ClientReader<tv1::StatementEvent>> feed =
      statements->WatchStatements(context.get(), watch);
  std::map<std::string, int> fed;
  int seen = 0;
  tv1::StatementEvent event;
  while (seen < static_cast<int>(published.size()) && feed->Read(&event)) {
    if (event.kind() != tv1::StatementEvent::KIND_PUBLISHED) continue;
    if (!absl::StrContains(event.statement().name(), "/statements/crash-")) continue;
    ++fed[event.statement().name()];
    ++seen;
  }
  context->TryCancel();
  feed->Finish().IgnoreError();
  for (const std::string& name : published) EXPECT_EQ(fed[name], 1) << name;
  for (const auto& [name, count] : fed) {
    EXPECT_EQ(published.count(name), 1u) << name << " is in the feed but not published";
  }
  std::cerr << "[   INFO   ] " << KillRounds() << " kills of summit-statements: " << all.size()
            << " statements, " << published_total << " acknowledged publications all kept, "
            << published.size() << " published in all, each once in the feed\n";
}

}  // namespace
}  // namespace summit
