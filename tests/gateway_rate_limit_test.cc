// Per-caller rate limits at the gateway, with real processes on loopback (tests/support's Suite
// without the demo; the calls go to summit-registry through summit-gateway): a burst over the
// limit gets HTTP 429 with Retry-After and the google.rpc.Status JSON, or gRPC
// RESOURCE_EXHAUSTED with a google.rpc.RetryInfo, while other callers (another token subject, or
// the public beside a token holder) are unaffected.
//
// The rate is tiny (one call per 1000 s) so that nothing refills while the test runs; waits are
// bounded (kPatience) and never asserted on.
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/suite.h"

namespace summit {
namespace {

using ::summit::testing::Http;
using ::summit::testing::HttpResponse;
using ::summit::testing::Server;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;
using Code = grpc::StatusCode;

constexpr int kBurst = 3;

class GatewayRateLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    options.name = "gateway_rate_limit";
    options.load_demo = false;
    options.gateway_flags = {"--rate_limit_per_second=0.001",
                             absl::StrCat("--rate_limit_burst=", kBurst)};
    ASSERT_OK_AND_ASSIGN(suite_, Suite::Start(options));
  }

  std::string Token(const std::string& subject) {
    return suite_->Token({subject, auth::Role::kDelegate});
  }

  grpc::Status GetNobody(const std::string& token) {
    auto stub = registry::v1::RegistryService::NewStub(suite_->Channel(Server::kGateway));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    registry::v1::GetPersonRequest request;
    request.set_name("people/nobody");
    registry::v1::Person person;
    return stub->GetPerson(&context, request, &person);
  }

  HttpResponse HttpGetNobody(const std::string& token) {
    return Http(suite_->http_port(), "GET", "/v1/people/nobody", token);
  }

  std::unique_ptr<Suite> suite_;
};

TEST_F(GatewayRateLimitTest, GrpcBurstOverTheLimitIsResourceExhaustedWithRetryInfo) {
  const std::string greedy = Token("people/greedy");
  for (int i = 0; i < kBurst; ++i) {
    EXPECT_EQ(GetNobody(greedy).error_code(), Code::NOT_FOUND) << i;
  }
  grpc::Status refused = GetNobody(greedy);
  EXPECT_EQ(refused.error_code(), Code::RESOURCE_EXHAUSTED) << refused.error_message();
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  std::optional<google::rpc::RetryInfo> retry;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::RetryInfo info;
    if (any.UnpackTo(&info)) retry = info;
  }
  ASSERT_TRUE(retry.has_value()) << details.DebugString();
  EXPECT_GT(retry->retry_delay().seconds(), 0);

  // Another subject, and the public (by address), are unaffected.
  EXPECT_EQ(GetNobody(Token("people/patient")).error_code(), Code::NOT_FOUND);
  EXPECT_EQ(GetNobody("").error_code(), Code::NOT_FOUND);
  // A token the gateway cannot verify counts against the address (which still has room); the
  // Registry then refuses it.
  const std::string forged = auth::MintToken({"people/forged", auth::Role::kDelegate},
                                             absl::Hours(1), std::string(48, 'x'), absl::Now());
  EXPECT_EQ(GetNobody(forged).error_code(), Code::UNAUTHENTICATED);
}

TEST_F(GatewayRateLimitTest, HttpBurstOverTheLimitIs429WithRetryAfter) {
  for (int i = 0; i < kBurst; ++i) EXPECT_EQ(HttpGetNobody("").status, 404) << i;
  HttpResponse refused = HttpGetNobody("");
  EXPECT_EQ(refused.status, 429) << refused.Describe();
  EXPECT_NE(refused.Header("retry-after"), "") << refused.Describe();
  EXPECT_TRUE(absl::StrContains(refused.body, "\"code\":8")) << refused.body;
  EXPECT_TRUE(absl::StrContains(refused.body, "google.rpc.RetryInfo")) << refused.body;

  // A token holder is another caller and gets through; the public over gRPC comes from the same
  // address, so it finds the same bucket spent, whichever the protocol.
  EXPECT_EQ(HttpGetNobody(Token("people/patient")).status, 404);
  EXPECT_EQ(GetNobody("").error_code(), Code::RESOURCE_EXHAUSTED);
}

}  // namespace
}  // namespace summit
