// What the admin port answers, without a network (AnswerMetricsRequest), and how starting it
// fails. server_lifecycle_test scrapes a real process, over HTTP and HTTPS.
#include "common/observability/metrics_endpoint.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/observability/rpc_metrics.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"

namespace summit::observability {
namespace {

using ::summit::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::StartsWith;

constexpr char kGetPerson[] = "/summit.registry.v1.RegistryService/GetPerson";

class MetricsEndpointTest : public ::testing::Test {
 protected:
  MetricsEndpointTest() { metrics_.RecordCall(kGetPerson, "OK", 0.003); }

  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
  RpcMetrics metrics_{registry_, {kGetPerson}};
};

TEST_F(MetricsEndpointTest, GetMetricsIsTheRegistryInPrometheusTextFormat) {
  for (const std::string target : {"/metrics", "/metrics?name[]=summit_rpc_requests_total"}) {
    MetricsAnswer answer = AnswerMetricsRequest("GET", target, *registry_);
    EXPECT_EQ(answer.status, 200) << target;
    EXPECT_THAT(answer.headers,
                Contains(Pair("content-type", StartsWith("text/plain; version=0.0.4"))));
    EXPECT_THAT(answer.body, HasSubstr("# TYPE summit_rpc_requests_total counter\n"));
    EXPECT_THAT(answer.body,
                HasSubstr(std::string("summit_rpc_requests_total{code=\"OK\",method=\"") +
                          kGetPerson + "\"} 1\n"));
  }
}

TEST_F(MetricsEndpointTest, OtherPathsAreNotFound) {
  for (const std::string target : {"/", "/metrics/", "/metricsx", "/healthz", "metrics"}) {
    MetricsAnswer answer = AnswerMetricsRequest("GET", target, *registry_);
    EXPECT_EQ(answer.status, 404) << target;
    EXPECT_THAT(answer.body, Not(HasSubstr("summit_rpc"))) << target;
  }
}

TEST_F(MetricsEndpointTest, OtherMethodsAreNotAllowed) {
  for (const std::string method : {"POST", "PUT", "DELETE", "HEAD", "OPTIONS", "get"}) {
    MetricsAnswer answer = AnswerMetricsRequest(method, "/metrics", *registry_);
    EXPECT_EQ(answer.status, 405) << method;
    EXPECT_THAT(answer.headers, Contains(Pair("allow", "GET"))) << method;
    EXPECT_THAT(answer.body, Not(HasSubstr("summit_rpc"))) << method;
  }
}

TEST_F(MetricsEndpointTest, StartsOnAFreePortAndRefusesATakenOne) {
  absl::StatusOr<std::unique_ptr<http::HttpServer>> first =
      StartMetricsEndpoint("127.0.0.1:0", registry_, tls::TlsFiles());
  ASSERT_OK(first.status());
  ASSERT_GT((*first)->port(), 0);
  EXPECT_THAT(StartMetricsEndpoint(absl::StrCat("127.0.0.1:", (*first)->port()), registry_,
                                   tls::TlsFiles()),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot serve metrics")));
  (*first)->Stop();
}

TEST_F(MetricsEndpointTest, UnreadableCertificateFilesStopItStarting) {
  tls::TlsFiles files;
  files.cert_file = "/nonexistent/tls.crt";
  files.key_file = "/nonexistent/tls.key";
  EXPECT_FALSE(StartMetricsEndpoint("127.0.0.1:0", registry_, files).ok());
}

}  // namespace
}  // namespace summit::observability
