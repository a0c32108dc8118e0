// Tests of the RPC metrics (rpc_metrics.h) as the admin endpoint serializes
// them, and of what CallObserver records: counts and latencies by method and
// code, and label values that stay bounded whatever callers send.
#include "common/observability/rpc_metrics.h"

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/observability/call_observer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "summit/registry/v1/registry_service.pb.h"

namespace summit {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// The samples of a Prometheus text exposition, by series
// (`name{label="value",...}` exactly as written), and the # TYPE lines.
struct Exposition {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
  std::string text;
};

Exposition Scrape(prometheus::Registry& registry) {
  Exposition exposition;
  exposition.text = prometheus::TextSerializer().Serialize(registry.Collect());
  for (absl::string_view line : absl::StrSplit(exposition.text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "# TYPE ")) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      if (parts.size() == 4) exposition.types[parts[2]] = parts[3];
      continue;
    }
    if (absl::StartsWith(line, "#")) continue;
    const size_t space = line.rfind(' ');
    double value = 0;
    EXPECT_TRUE(absl::SimpleAtod(line.substr(space + 1), &value)) << line;
    exposition.samples[std::string(line.substr(0, space))] = value;
  }
  return exposition;
}

constexpr char kGetPerson[] = "/summit.registry.v1.RegistryService/GetPerson";
constexpr char kListPeople[] = "/summit.registry.v1.RegistryService/ListPeople";

std::string Requests(absl::string_view method, absl::string_view code) {
  return absl::StrCat("summit_rpc_requests_total{code=\"", code, "\",method=\"", method, "\"}");
}
std::string Bucket(absl::string_view method, absl::string_view le) {
  return absl::StrCat("summit_rpc_duration_seconds_bucket{method=\"", method, "\",le=\"", le,
                      "\"}");
}

TEST(RpcMetricsTest, CountsCallsByMethodAndCodeAndRecordsLatency) {
  auto registry = std::make_shared<prometheus::Registry>();
  observability::RpcMetrics metrics(registry, {kGetPerson, kListPeople});
  metrics.RecordCall(kGetPerson, "OK", 0.003);
  metrics.RecordCall(kGetPerson, "OK", 0.003);
  metrics.RecordCall(kGetPerson, "NOT_FOUND", 0.2);
  metrics.RecordCall(kListPeople, "OK", 20.0);  // slower than the last bucket

  Exposition scraped = Scrape(*registry);
  SCOPED_TRACE(scraped.text);
  EXPECT_EQ(scraped.types["summit_rpc_requests_total"], "counter");
  EXPECT_EQ(scraped.types["summit_rpc_duration_seconds"], "histogram");

  EXPECT_EQ(scraped.samples[Requests(kGetPerson, "OK")], 2);
  EXPECT_EQ(scraped.samples[Requests(kGetPerson, "NOT_FOUND")], 1);
  EXPECT_EQ(scraped.samples[Requests(kListPeople, "OK")], 1);
  EXPECT_EQ(scraped.samples.count(Requests(kListPeople, "NOT_FOUND")), 0u);

  const std::string count = absl::StrCat("summit_rpc_duration_seconds_count{method=\"",
                                         kGetPerson, "\"}");
  const std::string sum = absl::StrCat("summit_rpc_duration_seconds_sum{method=\"",
                                       kGetPerson, "\"}");
  EXPECT_EQ(scraped.samples[count], 3);
  EXPECT_NEAR(scraped.samples[sum], 0.206, 1e-9);
  EXPECT_EQ(scraped.samples[Bucket(kGetPerson, "0.0025")], 0);
  EXPECT_EQ(scraped.samples[Bucket(kGetPerson, "0.005")], 2);
  EXPECT_EQ(scraped.samples[Bucket(kGetPerson, "0.1")], 2);
  EXPECT_EQ(scraped.samples[Bucket(kGetPerson, "0.25")], 3);
  EXPECT_EQ(scraped.samples[Bucket(kGetPerson, "+Inf")], 3);
  EXPECT_EQ(scraped.samples[Bucket(kListPeople, "10")], 0);
  EXPECT_EQ(scraped.samples[Bucket(kListPeople, "+Inf")], 1);
  // 16 bounds plus +Inf per method.
  int get_person_buckets = 0;
  for (const auto& [series, value] : scraped.samples) {
    if (absl::StartsWith(series, "summit_rpc_duration_seconds_bucket{method=\"/summit.registry.v1."
                                 "RegistryService/GetPerson\"")) {
      ++get_person_buckets;
    }
  }
  EXPECT_EQ(get_person_buckets, 17);
}

TEST(RpcMetricsTest, NoCallsNoSeries) {
  auto registry = std::make_shared<prometheus::Registry>();
  observability::RpcMetrics metrics(registry, {kGetPerson});
  Exposition scraped = Scrape(*registry);
  EXPECT_THAT(scraped.text, Not(HasSubstr("summit_rpc_requests_total{")));
  EXPECT_EQ(metrics.registry(), registry);
}

TEST(RpcMetricsTest, ConcurrentRecordingLosesNothing) {
  auto registry = std::make_shared<prometheus::Registry>();
  const std::vector<std::string> methods = {"/a.S/One", "/a.S/Two", "/b.S/Three"};
  observability::RpcMetrics metrics(registry, methods);
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 2000;
  const std::vector<std::string> codes = {"OK", "NOT_FOUND", "UNAVAILABLE"};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        metrics.RecordCall(methods[(t + i) % 3], codes[i % 3], 0.001);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  Exposition scraped = Scrape(*registry);
  double total = 0;
  for (const auto& [series, value] : scraped.samples) {
    if (absl::StartsWith(series, "summit_rpc_requests_total{")) total += value;
  }
  EXPECT_EQ(total, kThreads * kCallsPerThread);
  double counted = 0;
  for (const std::string& method : methods) {
    counted += scraped.samples[absl::StrCat("summit_rpc_duration_seconds_count{method=\"", method,
                                            "\"}")];
  }
  EXPECT_EQ(counted, kThreads * kCallsPerThread);
}

TEST(RpcMetricsTest, HostileLabelValuesAreEscapedInTheExposition) {
  // Known methods come from descriptors, not callers; still, a label is
  // escaped whatever it holds.
  const std::string hostile = "/x.S/M\"} 1\nforged_metric 1";
  auto registry = std::make_shared<prometheus::Registry>();
  observability::RpcMetrics metrics(registry, {hostile});
  metrics.RecordCall(hostile, "OK", 0.001);
  Exposition scraped = Scrape(*registry);
  for (absl::string_view line : absl::StrSplit(scraped.text, '\n', absl::SkipEmpty())) {
    EXPECT_FALSE(absl::StartsWith(line, "forged_metric")) << scraped.text;
  }
}

// The series of summit_rpc_requests_total in a scrape.
int RequestSeries(const Exposition& scraped) {
  int series = 0;
  for (const auto& [name, value] : scraped.samples) {
    if (absl::StartsWith(name, "summit_rpc_requests_total{")) ++series;
  }
  return series;
}

TEST(RpcMetricsTest, MethodsItDoesNotKnowShareOneSeries) {
  auto registry = std::make_shared<prometheus::Registry>();
  observability::RpcMetrics metrics(registry, {kGetPerson});
  metrics.RecordCall(kGetPerson, "OK", 0.001);
  // What raw clients send: invented paths, a known service's invented
  // method, a known method's path with a byte more, non-ASCII, nothing.
  std::vector<std::string> invented = {"/summit.registry.v1.RegistryService/Bogus",
                                       std::string(kGetPerson) + "x", "/ы.S/M", "", "BREW"};
  for (int i = 0; i < 1000; ++i) invented.push_back(absl::StrCat("/attacker.Chosen/Method", i));
  for (const std::string& method : invented) metrics.RecordCall(method, "UNIMPLEMENTED", 0.001);

  const Exposition scraped = Scrape(*registry);
  SCOPED_TRACE(scraped.text.substr(0, 4000));
  EXPECT_EQ(RequestSeries(scraped), 2);
  EXPECT_EQ(scraped.samples.at(Requests("unknown", "UNIMPLEMENTED")), invented.size());
  EXPECT_EQ(scraped.samples.at(Requests(kGetPerson, "OK")), 1);
  EXPECT_EQ(scraped.samples.at("summit_rpc_duration_seconds_count{method=\"unknown\"}"),
            invented.size());
  EXPECT_THAT(scraped.text, Not(HasSubstr("attacker")));
  EXPECT_THAT(scraped.text, Not(HasSubstr("Bogus")));
  EXPECT_EQ(metrics.MethodLabel(kGetPerson), kGetPerson);
  EXPECT_EQ(metrics.MethodLabel("/attacker.Chosen/Method1"), observability::kUnknownMethod);
}

TEST(RpcMetricsTest, MethodPathsOfAServiceAreEveryMethodItDeclares) {
  const google::protobuf::ServiceDescriptor* registry_service =
      registry::v1::GetPersonRequest::descriptor()->file()->pool()->FindServiceByName(
          "summit.registry.v1.RegistryService");
  ASSERT_NE(registry_service, nullptr);
  const std::vector<std::string> paths = observability::MethodPathsOf({registry_service});
  EXPECT_EQ(paths.size(), static_cast<size_t>(registry_service->method_count()));
  EXPECT_THAT(paths, Contains(std::string(kGetPerson)));
  EXPECT_THAT(paths, Contains(std::string(kListPeople)));
  EXPECT_EQ(observability::MethodPathsOf({"summit.registry.v1.RegistryService"}), paths);
}

TEST(CallObserverTest, RecordsTheCodeTheCallerGotAndBoundsMethodAndCode) {
  observability::CallObserver observer(/*log_calls=*/false, {kGetPerson});
  observer.Record(kGetPerson, grpc::StatusCode::NOT_FOUND, absl::Milliseconds(1), "public");
  observer.Record("/attacker.Chosen/Method", grpc::StatusCode::UNIMPLEMENTED,
                  absl::Milliseconds(1), "public");
  // A number no gRPC code has (a peer may send any as grpc-status) is UNKNOWN, as gRPC reads
  // it. (Numbers past 31 cannot be held by grpc::StatusCode at all.)
  observer.Record(kGetPerson, static_cast<grpc::StatusCode>(17), absl::Milliseconds(1), "public");
  observer.Record(kGetPerson, static_cast<grpc::StatusCode>(31), absl::Milliseconds(1), "public");

  const Exposition scraped = Scrape(*observer.registry());
  SCOPED_TRACE(scraped.text);
  EXPECT_EQ(scraped.samples.at(Requests(kGetPerson, "NOT_FOUND")), 1);
  EXPECT_EQ(scraped.samples.at(Requests("unknown", "UNIMPLEMENTED")), 1);
  EXPECT_EQ(scraped.samples.at(Requests(kGetPerson, "UNKNOWN")), 2);
  EXPECT_EQ(RequestSeries(scraped), 3);
}

}  // namespace
}  // namespace summit
