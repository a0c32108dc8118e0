// Live feeds at the edge (issue 16, defect 3), with the four real processes on loopback:
//
// - more open feeds than one HTTP/2 connection carries at once (ServerOptions'
//   max_concurrent_streams), as Server-Sent Events over HTTP or as WatchStatements through the
//   gateway's gRPC proxy, and a List of statements through the gateway, over HTTP and gRPC, and
//   the event overview (its statements part) still answer: feeds go over the gateway's stream
//   channels, never the connection unary calls use;
// - the caps on open feeds: at the gateway (per caller, by token subject or client address, the
//   same count over HTTP and gRPC; and in all) a feed past a cap is HTTP 429 with Retry-After or
//   RESOURCE_EXHAUSTED TOO_MANY_FEEDS with a RetryInfo, and a closed feed gives its place back;
//   at summit-statements reached directly, the same with RESOURCE_EXHAUSTED; every process stays
//   up and serving;
// - a quiet event stream starts with a retry: hint and sends a keep-alive comment (the
//   gateway's --sse_keep_alive, short here so that the test need not wait 15 s).
//
// Waits are bounded (kPatience, kCallPatience) and are never asserted on.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/server/summit_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "summit/gateway/v1/gateway_service.pb.h"
#include "summit/registry/v1/registry_service.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/any_call.h"
#include "tests/support/held_feed.h"
#include "tests/support/http_client.h"
#include "tests/support/rpc_status.h"
#include "tests/support/shared_suite_test.h"
#include "tests/support/suite.h"

namespace summit {
namespace {

namespace gv1 = gateway::v1;
namespace rv1 = registry::v1;
namespace tv1 = statements::v1;
using ::summit::testing::AnyCallResult;
using ::summit::testing::CallOverGrpc;
using ::summit::testing::ErrorBody;
using ::summit::testing::HeldFeed;
using ::summit::testing::MethodNamed;
using ::summit::testing::Http;
using ::summit::testing::HttpResponse;
using ::summit::testing::HttpStream;
using ::summit::testing::IsHttpError;
using ::summit::testing::kCallPatience;
using ::summit::testing::kPatience;
using ::summit::testing::OwnChannel;
using ::summit::testing::RpcErrorWithReason;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;

// The demo's event, whose published statements feed the streams.
constexpr char kEvent[] = "events/udib-2023";
const char kWatch[] = "/v1/events/udib-2023/statements:watch?fromBeginning=true";

// A reader of the public page with a name of its own, so that per-caller caps never apply to
// a crowd of readers: the public role, a distinct subject.
std::string ReaderToken(const Suite& suite, int i) {
  return suite.Token({absl::StrCat("people/reader-", i), auth::Role::kPublic});
}

testing::Headers SseHeaders(const std::string& token) {
  testing::Headers headers = {{"Accept", "text/event-stream"}};
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return headers;
}

// Other callers' calls, through the gateway, while feeds are open: a page of statements over
// HTTP and over gRPC, and the overview with its statements part.
void ExpectOtherCallsAnswered(const Suite& suite) {
  const HttpResponse page =
      Http(suite.http_port(), "GET", "/v1/events/udib-2023/statements?pageSize=1");
  EXPECT_EQ(page.status, 200) << page.Describe();

  tv1::ListStatementsRequest list;
  list.set_parent(kEvent);
  list.set_page_size(1);
  EXPECT_THAT(CallOverGrpc(suite.Channel(Server::kGateway),
                           MethodNamed("summit.statements.v1.StatementsService.ListStatements"),
                           list, "")
                  .status,
              RpcOk());

  gv1::GetEventOverviewRequest overview_request;
  overview_request.set_event(kEvent);
  const AnyCallResult overview = CallOverGrpc(
      suite.Channel(Server::kGateway),
      MethodNamed("summit.gateway.v1.GatewayService.GetEventOverview"), overview_request, "");
  ASSERT_THAT(overview.status, RpcOk());
  ASSERT_EQ(overview.responses.size(), 1u);
  const auto& answered = static_cast<const gv1::EventOverview&>(*overview.responses[0]);
  EXPECT_EQ(answered.statements_error().code(), 0) << answered.statements_error().message();
  EXPECT_FALSE(answered.latest_statements().empty());
}

// ---------------------------------------------------------------------------------------------
// More feeds than one connection's stream limit.

class FeedFloodTest : public testing::SharedSuiteTest<FeedFloodTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "feed_flood";
    options.gateway_flags = {"--sse_keep_alive=1s"};
    return options;
  }

 protected:
  // More than the backends' max_concurrent_streams, and so than one connection carries.
  static int FeedCount() { return server::ServerOptions().max_concurrent_streams + 44; }
};

TEST_F(FeedFloodTest, EventStreamsPastOneConnectionsLimitLeaveOtherCallsAnswered) {
  const int count = FeedCount();
  std::vector<std::unique_ptr<HttpStream>> streams(count);
  // Opened from several threads: each waits for its head.
  std::vector<std::thread> openers;
  constexpr int kOpeners = 12;
  for (int t = 0; t < kOpeners; ++t) {
    openers.emplace_back([&, t] {
      for (int i = t; i < count; i += kOpeners) {
        streams[i] = std::make_unique<HttpStream>(suite().http_port(), kWatch,
                                                  SseHeaders(ReaderToken(suite(), i)));
      }
    });
  }
  for (std::thread& opener : openers) opener.join();
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(streams[i]->head().status, 200) << "stream " << i << ": " << streams[i]->head().Describe();
    ASSERT_TRUE(streams[i]->NextEvent(absl::Now() + kPatience).has_value()) << "stream " << i;
  }

  ExpectOtherCallsAnswered(suite());
}

TEST_F(FeedFloodTest, GrpcFeedsThroughTheGatewayPastOneConnectionsLimitLeaveOtherCallsAnswered) {
  const int count = FeedCount();
  // Two connections of the test's own: the gateway's gRPC port also allows
  // max_concurrent_streams on each.
  std::vector<std::unique_ptr<tv1::StatementsService::Stub>> stubs;
  for (int c = 0; c < 2; ++c) {
    stubs.push_back(tv1::StatementsService::NewStub(OwnChannel(suite().Port(Server::kGateway))));
  }
  std::vector<std::unique_ptr<HeldFeed>> feeds;
  for (int i = 0; i < count; ++i) {
    feeds.push_back(
        std::make_unique<HeldFeed>(*stubs[i % 2], ReaderToken(suite(), 1000 + i), kEvent));
  }
  for (int i = 0; i < count; ++i) {
    ASSERT_TRUE(feeds[i]->WaitForFirstEvent(kPatience)) << "feed " << i;
  }

  ExpectOtherCallsAnswered(suite());
}

TEST_F(FeedFloodTest, AQuietEventStreamStartsWithARetryHintAndSendsKeepAlives) {
  // From now on: the feed has nothing to send until a statement is published.
  HttpStream quiet(suite().http_port(), "/v1/events/udib-2023/statements:watch", SseHeaders(""));
  ASSERT_EQ(quiet.head().status, 200) << quiet.head().Describe();
  const std::optional<std::string> comment = quiet.NextComment(absl::Now() + kPatience);
  ASSERT_TRUE(comment.has_value());
  EXPECT_EQ(*comment, "keep-alive");
  ASSERT_TRUE(quiet.retry_hint().has_value());
  int64_t retry_ms = 0;
  EXPECT_TRUE(absl::SimpleAtoi(*quiet.retry_hint(), &retry_ms)) << *quiet.retry_hint();
  EXPECT_GT(retry_ms, 0);
  // Kept alive, not ended.
  EXPECT_FALSE(quiet.ended());
  EXPECT_TRUE(quiet.NextComment(absl::Now() + kPatience).has_value());
}

// ---------------------------------------------------------------------------------------------
// The gateway's caps.

constexpr int kPerCaller = 2;
constexpr int kTotal = 4;

class GatewayFeedCapsTest : public testing::SharedSuiteTest<GatewayFeedCapsTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "gateway_feed_caps";
    options.gateway_flags = {absl::StrCat("--max_feeds_per_caller=", kPerCaller),
                             absl::StrCat("--max_open_feeds=", kTotal)};
    return options;
  }
};

// The refusal a cap answers over HTTP.
void ExpectRefusedOverHttp(const HttpStream& stream) {
  const HttpResponse& head = stream.head();
  EXPECT_EQ(head.status, 429) << head.Describe();
  int64_t retry_after = 0;
  EXPECT_TRUE(absl::SimpleAtoi(head.Header("retry-after"), &retry_after)) << head.Describe();
  EXPECT_GT(retry_after, 0);
}

void ExpectRefusedBody(HttpStream& stream) {
  HttpResponse answer = stream.head();
  const std::optional<std::string> body = stream.Body(absl::Now() + kPatience);
  ASSERT_TRUE(body.has_value());
  answer.body = *body;
  ErrorBody details;
  EXPECT_TRUE(IsHttpError(answer, 429, grpc::StatusCode::RESOURCE_EXHAUSTED, &details));
  EXPECT_EQ(details.reason, "TOO_MANY_FEEDS");
}

TEST_F(GatewayFeedCapsTest, ACallerPastItsCapIsRefusedOverHttpAndGrpcAlikeWhileOthersAreServed) {
  const std::string greedy = ReaderToken(suite(), 1);
  std::vector<std::unique_ptr<HttpStream>> open;
  for (int i = 0; i < kPerCaller; ++i) {
    open.push_back(std::make_unique<HttpStream>(suite().http_port(), kWatch, SseHeaders(greedy)));
    ASSERT_EQ(open.back()->head().status, 200) << open.back()->head().Describe();
  }
  HttpStream refused(suite().http_port(), kWatch, SseHeaders(greedy));
  ExpectRefusedOverHttp(refused);
  ExpectRefusedBody(refused);

  // The same caller over gRPC finds the same count.
  auto stub = tv1::StatementsService::NewStub(suite().Channel(Server::kGateway));
  HeldFeed over_grpc(*stub, greedy, kEvent);
  ASSERT_TRUE(over_grpc.WaitForDone(kCallPatience));
  EXPECT_THAT(over_grpc.status(),
              RpcErrorWithReason(grpc::StatusCode::RESOURCE_EXHAUSTED, "TOO_MANY_FEEDS"));
  EXPECT_GT(testing::DetailsOf(over_grpc.status()).retry_delay, absl::ZeroDuration());

  // Another caller is served, and so are other calls.
  HeldFeed other(*stub, ReaderToken(suite(), 2), kEvent);
  EXPECT_TRUE(other.WaitForFirstEvent(kPatience));
  ExpectOtherCallsAnswered(suite());

  // A closed feed gives its place back.
  open.pop_back();
  bool admitted = false;
  for (const absl::Time give_up = absl::Now() + kPatience; !admitted && absl::Now() < give_up;) {
    HttpStream again(suite().http_port(), kWatch, SseHeaders(greedy));
    admitted = again.head().status == 200;
    if (!admitted) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(admitted);
}

TEST_F(GatewayFeedCapsTest, FeedsPastTheGatewaysTotalAreRefusedAndTheGatewayServesOn) {
  // The suite's earlier tests closed their feeds, and the gateway gives a place back once it sees
  // the connection close: on a loaded machine, a moment later. So a feed refused here is tried
  // again until that moment has passed (bounded); a cap lower than kTotal still fails.
  std::vector<std::unique_ptr<HttpStream>> open;
  for (int i = 0; i < kTotal; ++i) {
    const absl::Time give_up = absl::Now() + kPatience;
    do {
      open.push_back(std::make_unique<HttpStream>(suite().http_port(), kWatch,
                                                  SseHeaders(ReaderToken(suite(), 100 + i))));
      if (open.back()->head().status != 429) break;
      open.pop_back();
      absl::SleepFor(absl::Milliseconds(50));
    } while (absl::Now() < give_up);
    ASSERT_FALSE(open.empty());
    ASSERT_EQ(open.back()->head().status, 200) << i << ": " << open.back()->head().Describe();
  }
  // A new caller, under its own cap, finds the gateway full, over HTTP and gRPC.
  HttpStream refused(suite().http_port(), kWatch, SseHeaders(ReaderToken(suite(), 200)));
  ExpectRefusedOverHttp(refused);
  auto stub = tv1::StatementsService::NewStub(suite().Channel(Server::kGateway));
  HeldFeed over_grpc(*stub, ReaderToken(suite(), 201), kEvent);
  ASSERT_TRUE(over_grpc.WaitForDone(kCallPatience));
  EXPECT_THAT(over_grpc.status(),
              RpcErrorWithReason(grpc::StatusCode::RESOURCE_EXHAUSTED, "TOO_MANY_FEEDS"));

  ExpectOtherCallsAnswered(suite());
}

// ---------------------------------------------------------------------------------------------
// summit-statements' own caps, reached directly.

class StatementsFeedCapsTest : public testing::SharedSuiteTest<StatementsFeedCapsTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "statements_feed_caps";
    options.servers = {Server::kRegistry, Server::kScheduling, Server::kStatements};
    options.backend_flags[Server::kStatements] = {
        absl::StrCat("--max_feeds_per_caller=", kPerCaller),
        absl::StrCat("--max_open_feeds=", kTotal)};
    return options;
  }
};

TEST_F(StatementsFeedCapsTest, FeedsPastEitherCapAreResourceExhaustedAndTheServiceServesOn) {
  auto stub = tv1::StatementsService::NewStub(suite().Channel(Server::kStatements));
  const std::string greedy = ReaderToken(suite(), 1);
  std::vector<std::unique_ptr<HeldFeed>> open;
  for (int i = 0; i < kPerCaller; ++i) {
    open.push_back(std::make_unique<HeldFeed>(*stub, greedy, kEvent));
    ASSERT_TRUE(open.back()->WaitForFirstEvent(kPatience)) << i;
  }
  HeldFeed past_own(*stub, greedy, kEvent);
  ASSERT_TRUE(past_own.WaitForDone(kCallPatience));
  EXPECT_THAT(past_own.status(),
              RpcErrorWithReason(grpc::StatusCode::RESOURCE_EXHAUSTED, "TOO_MANY_FEEDS"));

  // The public counts by address: the test's.
  for (int i = kPerCaller; i < kTotal; ++i) {
    open.push_back(std::make_unique<HeldFeed>(*stub, "", kEvent));
    ASSERT_TRUE(open.back()->WaitForFirstEvent(kPatience)) << i;
  }
  HeldFeed past_total(*stub, ReaderToken(suite(), 2), kEvent);
  ASSERT_TRUE(past_total.WaitForDone(kCallPatience));
  EXPECT_THAT(past_total.status(),
              RpcErrorWithReason(grpc::StatusCode::RESOURCE_EXHAUSTED, "TOO_MANY_FEEDS"));

  // Serving on: a unary call, and, once a feed closes, a new feed.
  tv1::ListStatementsRequest list;
  list.set_parent(kEvent);
  list.set_page_size(1);
  EXPECT_THAT(CallOverGrpc(suite().Channel(Server::kStatements),
                           MethodNamed("summit.statements.v1.StatementsService.ListStatements"),
                           list, "")
                  .status,
              RpcOk());
  open.front()->Cancel();
  ASSERT_TRUE(open.front()->WaitForDone(kCallPatience));
  bool admitted = false;
  for (const absl::Time give_up = absl::Now() + kPatience; !admitted && absl::Now() < give_up;) {
    HeldFeed again(*stub, ReaderToken(suite(), 3), kEvent);
    admitted = again.FirstEventOrEnd(kPatience);
    if (!admitted) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(admitted);
}

}  // namespace
}  // namespace summit
