#include "tests/support/metric_samples.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace summit::testing {

std::map<std::string, double> ParseSamples(absl::string_view exposition) {
  std::map<std::string, double> samples;
  for (absl::string_view line : absl::StrSplit(exposition, '\n', absl::SkipEmpty())) {
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space != absl::string_view::npos && absl::SimpleAtod(line.substr(space + 1), &value)) {
      samples[std::string(line.substr(0, space))] = value;
    }
  }
  return samples;
}

std::string RequestsSeries(absl::string_view method, absl::string_view code) {
  return absl::StrCat("summit_rpc_requests_total{code=\"", code, "\",method=\"", method, "\"}");
}

int SeriesCount(const std::map<std::string, double>& samples, absl::string_view metric) {
  const std::string prefix = absl::StrCat(metric, "{");
  int count = 0;
  for (const auto& [series, value] : samples) {
    if (absl::StartsWith(series, prefix)) ++count;
  }
  return count;
}

}  // namespace summit::testing
