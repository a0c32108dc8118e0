// What a Prometheus scrape holds, for tests that read a server's /metrics
// (its admin port): the samples by series, and how many series a metric has.
//
//   const HttpResponse scrape = Http(suite.AdminPort(Server::kGateway), "GET", "/metrics");
//   std::map<std::string, double> samples = ParseSamples(scrape.body);
//   EXPECT_EQ(samples[RequestsSeries("unknown", "UNIMPLEMENTED")], 20);
#ifndef SUMMIT_TESTS_SUPPORT_METRIC_SAMPLES_H_
#define SUMMIT_TESTS_SUPPORT_METRIC_SAMPLES_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace summit::testing {

// The samples of a Prometheus text exposition by series, `name{labels}` as
// written (labels in the order the exposition gives them).
std::map<std::string, double> ParseSamples(absl::string_view exposition);

// The series of summit_rpc_requests_total of `method` and `code`, as the
// exposition writes it.
std::string RequestsSeries(absl::string_view method, absl::string_view code);

// How many series of `metric` (e.g. "summit_rpc_requests_total") `samples`
// hold.
int SeriesCount(const std::map<std::string, double>& samples, absl::string_view metric);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_METRIC_SAMPLES_H_
