// Times the matchmaking scheduler on the large benchmark event (bench/scheduler_instance.h:
// 2,000 people, 20,000 requests, two 9-hour days in 20-minute slots, 60 rooms) and reports
// what it reached: the objective against the upper bound, how many requests were placed and
// why the others were not, and whether the independent checker finds anything wrong.
//
//   scheduler_bench                # large instance, seed 1, 5 repetitions
//   scheduler_bench --reps=9 --seed=3
//   scheduler_bench --medium       # the CBC-sized instance instead
//
// Prints a readable summary, then one JSON line with the same figures. Each repetition runs
// ProposeSchedule once on the same problem (it is deterministic, so every run gives the same
// plan; only the time varies); min and median wall time are reported.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/scheduler_instance.h"
#include "services/scheduling/schedule_checker.h"
#include "services/scheduling/scheduler.h"

namespace summit::bench {
namespace {

using scheduling::SchedulePlan;
using scheduling::UnplacedReason;
using scheduling::UnplacedReasonName;

int Main(int argc, char** argv) {
  int reps = 5;
  SchedulerInstanceOptions options = LargeSchedulerInstance();
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--reps=", 7) == 0) {
      reps = std::max(1, std::atoi(argv[i] + 7));
    } else if (std::strncmp(argv[i], "--seed=", 7) == 0) {
      options.seed = static_cast<uint32_t>(std::atoi(argv[i] + 7));
    } else if (std::strcmp(argv[i], "--medium") == 0) {
      const uint32_t seed = options.seed;
      options = MediumSchedulerInstance();
      options.seed = seed;
    } else {
      std::fprintf(stderr, "usage: %s [--reps=N] [--seed=S] [--medium]\n", argv[0]);
      return 2;
    }
  }

  absl::Time t0 = absl::Now();
  const scheduling::ScheduleProblem problem = GenerateSchedulerInstance(options);
  const absl::Duration generate = absl::Now() - t0;

  std::vector<double> seconds;
  SchedulePlan plan;
  for (int rep = 0; rep < reps; ++rep) {
    t0 = absl::Now();
    absl::StatusOr<SchedulePlan> proposed = scheduling::ProposeSchedule(problem);
    seconds.push_back(absl::ToDoubleSeconds(absl::Now() - t0));
    if (!proposed.ok()) {
      std::fprintf(stderr, "ProposeSchedule: %s\n", proposed.status().ToString().c_str());
      return 1;
    }
    plan = *std::move(proposed);
  }
  std::vector<double> sorted = seconds;
  std::sort(sorted.begin(), sorted.end());
  const double min_s = sorted.front(), median_s = sorted[sorted.size() / 2];

  t0 = absl::Now();
  const std::vector<std::string> violations = scheduling::CheckPlan(problem, plan);
  const absl::Duration check = absl::Now() - t0;

  std::map<std::string, int> by_reason;
  for (const auto& u : plan.unplaced) ++by_reason[std::string(UnplacedReasonName(u.reason))];
  const double ratio =
      plan.upper_bound > 0 ? static_cast<double>(plan.objective) / plan.upper_bound : 1.0;

  std::printf(
      "instance: seed %u, %d people, %zu requests, %d day(s), %zu rooms, %zu pair rules "
      "(generated in %s)\n",
      options.seed, options.people, problem.requests.size(), options.days, problem.rooms.size(),
      problem.pair_rules.size(), absl::FormatDuration(generate).c_str());
  std::printf("ProposeSchedule: min %.3f s, median %.3f s over %d run(s) [%s]\n", min_s, median_s,
              reps, absl::StrJoin(seconds, " ", [](std::string* out, double s) {
                      absl::StrAppend(out, absl::SixDigits(s));
                    }).c_str());
  std::printf(
      "objective %lld, upper bound %lld (placeable %lld, attendee time %lld, room time %lld), "
      "ratio %.4f\n",
      static_cast<long long>(plan.objective), static_cast<long long>(plan.upper_bound),
      static_cast<long long>(plan.bound_parts.placeable_priority),
      static_cast<long long>(plan.bound_parts.attendee_time),
      static_cast<long long>(plan.bound_parts.room_time), ratio);
  std::printf("placed %zu; unplaced %zu:", plan.placements.size(), plan.unplaced.size());
  for (const auto& [reason, count] : by_reason) std::printf(" %s %d", reason.c_str(), count);
  std::printf("; back-to-back pairs %lld\n", static_cast<long long>(plan.back_to_back_pairs));
  std::printf("checker: %zu violation(s) in %s\n", violations.size(),
              absl::FormatDuration(check).c_str());
  for (size_t i = 0; i < violations.size() && i < 10; ++i)
    std::printf("  %s\n", violations[i].c_str());

  std::string reasons;
  for (const auto& [reason, count] : by_reason) {
    absl::StrAppend(&reasons, reasons.empty() ? "" : ",", "\"", reason, "\":", count);
  }
  std::printf(
      "{\"bench\":\"scheduler\",\"seed\":%u,\"people\":%d,\"requests\":%zu,\"rooms\":%zu,\"days\":%"
      "d,"
      "\"reps\":%d,\"min_s\":%.4f,\"median_s\":%.4f,\"objective\":%lld,\"upper_bound\":%lld,"
      "\"ratio\":%.4f,\"placed\":%zu,\"unplaced\":{%s},\"back_to_back_pairs\":%lld,\"violations\":%"
      "zu}\n",
      options.seed, options.people, problem.requests.size(), problem.rooms.size(), options.days,
      reps, min_s, median_s, static_cast<long long>(plan.objective),
      static_cast<long long>(plan.upper_bound), ratio, plan.placements.size(), reasons.c_str(),
      static_cast<long long>(plan.back_to_back_pairs), violations.size());
  return violations.empty() ? 0 : 1;
}

}  // namespace
}  // namespace summit::bench

int main(int argc, char** argv) { return summit::bench::Main(argc, argv); }
