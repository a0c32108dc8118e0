// Compares the matchmaking scheduler with an exact solver: writes a benchmark problem
// (bench/scheduler_instance.h, CBC-sized) as an integer program in CPLEX LP format, has CBC
// (Debian's coinor-cbc, `cbc` on the PATH) solve it, and prints one JSON line with both
// objectives and both times, measured in the same run on the same problem.
//
//   cbc_compare                              # 60 people, 300 requests, 1 day, 10 rooms, seed 1
//   cbc_compare --seed=2 --cbc_seconds=600 --work=/tmp/cbc
//   cbc_compare --people=100 --requests=600 --rooms=12 --days=2
//
// The program (x[r,s,k] = 1 when request r starts at slot s in room k), built here from the
// problem's definition (schedule_problem.h) and not from the scheduler's code:
//   maximise   Σ priority_r · x[r,s,k]
//   subject to Σ_{s,k} x[r,s,k] ≤ 1                         for each request r
//              Σ x[r,s,k] over (r,s) covering slot t ≤ 1     for each room k and slot t
//              Σ x[r,s,k] over r ∋ p, (s,k) whose occupancy
//                widened by the buffer (b slots after the end, within the window) covers t ≤ 1
//                                                           for each person p and slot t
//   with variables only where r fits alone: a valid request, no pair rule against it, k seats
//   its attendees, k free and every attendee free (busy intervals widened by the buffer).
// Two meetings of a person conflict exactly when their widened occupancies share a slot,
// since slots within a window are evenly spaced (windows further apart than the buffer).
//
// CBC's solution is read back as a plan and run through the independent checker
// (schedule_checker.h) with Summit's upper bound, which tests the program and the bound too.
// CBC runs with one thread and a time limit; when it stops on time, its status says so and
// "cbc_best_possible" is the bound it proved (null when it finished).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/scheduler_instance.h"
#include "services/scheduling/schedule_checker.h"
#include "services/scheduling/scheduler.h"

namespace summit::bench {
namespace {

using scheduling::HeldDuration;
using scheduling::SchedulePlan;
using scheduling::ScheduleProblem;
using scheduling::ScheduleRequest;
using scheduling::TimeInterval;

struct Variable {
  int request;
  int slot;  // index into the grid
  int room;
};

// The integer program of a problem, on its own grid.
class IntegerProgram {
 public:
  explicit IntegerProgram(const ScheduleProblem& problem) : problem_(problem) {
    Grid();
    Variables();
  }

  const std::vector<Variable>& variables() const { return variables_; }
  int constraints() const { return constraints_; }
  absl::Time SlotStart(int slot) const { return slot_start_[slot]; }

  void Write(const std::string& path) {
    std::ofstream out(path);
    out << "\\ Summit matchmaking: x_<variable> = request at slot in room\nMaximize\n obj:";
    for (size_t v = 0; v < variables_.size(); ++v) {
      out << (v % 10 == 0 ? "\n   " : "") << " + "
          << problem_.requests[variables_[v].request].priority << " x" << v;
    }
    out << "\nSubject To\n";
    constraints_ = 0;
    std::map<int, std::vector<int>> per_request;
    std::map<std::pair<int, int>, std::vector<int>> per_room_slot, per_person_slot;
    const int buffer_slots = BufferSlots();
    for (size_t v = 0; v < variables_.size(); ++v) {
      const Variable& x = variables_[v];
      const ScheduleRequest& request = problem_.requests[x.request];
      const int slots = Slots(request);
      per_request[x.request].push_back(static_cast<int>(v));
      for (int t = x.slot; t < x.slot + slots; ++t)
        per_room_slot[{x.room, t}].push_back(static_cast<int>(v));
      for (int t = x.slot; t < x.slot + slots + buffer_slots && t < num_slots() &&
                           window_of_slot_[t] == window_of_slot_[x.slot];
           ++t) {
        for (const std::string& person : request.attendees) {
          per_person_slot[{person_index_.at(person), t}].push_back(static_cast<int>(v));
        }
      }
    }
    auto emit = [&](const std::string& name, const std::vector<int>& vars) {
      if (vars.size() < 2) return;
      out << " " << name << ":";
      for (size_t i = 0; i < vars.size(); ++i)
        out << (i % 10 == 9 ? "\n   " : "") << " + x" << vars[i];
      out << " <= 1\n";
      ++constraints_;
    };
    for (const auto& [r, vars] : per_request) emit(absl::StrCat("req", r), vars);
    for (const auto& [key, vars] : per_room_slot)
      emit(absl::StrCat("room", key.first, "_", key.second), vars);
    for (const auto& [key, vars] : per_person_slot)
      emit(absl::StrCat("person", key.first, "_", key.second), vars);
    out << "Binary\n";
    for (size_t v = 0; v < variables_.size(); ++v) out << " x" << v << "\n";
    out << "End\n";
  }

  // Reads CBC's solution file back as a plan: (variable indices set to 1).
  std::vector<int> ChosenVariables(const std::string& solution_path, std::string* status,
                                   double* objective) const {
    std::ifstream in(solution_path);
    std::string line;
    std::vector<int> chosen;
    if (!std::getline(in, line)) return chosen;
    // e.g. "Optimal - objective value 1234.00000000" or "Stopped on time - objective value …"
    *status = std::string(absl::StripAsciiWhitespace(line.substr(0, line.find(" - "))));
    const size_t at = line.rfind(' ');
    if (at != std::string::npos) (void)absl::SimpleAtod(line.substr(at + 1), objective);
    while (std::getline(in, line)) {
      std::vector<std::string> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (fields.size() < 3 || fields[1].empty() || fields[1][0] != 'x') continue;
      double value = 0;
      int index = 0;
      if (absl::SimpleAtod(fields[2], &value) && value > 0.5 &&
          absl::SimpleAtoi(fields[1].substr(1), &index)) {
        chosen.push_back(index);
      }
    }
    return chosen;
  }

 private:
  int num_slots() const { return static_cast<int>(slot_start_.size()); }
  // The slots a meeting holds: its duration rounded up to whole slots.
  int Slots(const ScheduleRequest& request) const {
    return static_cast<int>(HeldDuration(request.duration, problem_.slot_length) /
                            problem_.slot_length);
  }
  int BufferSlots() const {
    return static_cast<int>(
        std::ceil(absl::FDivDuration(problem_.buffer, problem_.slot_length) - 1e-9));
  }

  void Grid() {
    std::vector<TimeInterval> windows = problem_.windows;
    std::sort(windows.begin(), windows.end(),
              [](const TimeInterval& a, const TimeInterval& b) { return a.start < b.start; });
    for (const TimeInterval& w : windows) {
      if (merged_.empty() || w.start > merged_.back().end) {
        merged_.push_back(w);  // windows that touch or overlap are one window
      } else {
        merged_.back().end = std::max(merged_.back().end, w.end);
      }
    }
    for (int m = 0; m < static_cast<int>(merged_.size()); ++m) {
      for (absl::Time t = merged_[m].start; t + problem_.slot_length <= merged_[m].end;
           t += problem_.slot_length) {
        slot_start_.push_back(t);
        window_of_slot_.push_back(m);
      }
    }
  }

  static bool Overlaps(const std::vector<TimeInterval>& busy, absl::Time from, absl::Time to) {
    for (const TimeInterval& b : busy) {
      if (b.start < b.end && b.start < to && from < b.end) return true;
    }
    return false;
  }

  void Variables() {
    std::map<std::string, const std::vector<TimeInterval>*> busy;
    for (const auto& person : problem_.people) busy[person.person_id] = &person.busy;
    for (const ScheduleRequest& request : problem_.requests) {
      for (const std::string& person : request.attendees) {
        person_index_.emplace(person, static_cast<int>(person_index_.size()));
      }
    }
    for (int r = 0; r < static_cast<int>(problem_.requests.size()); ++r) {
      const ScheduleRequest& request = problem_.requests[r];
      if (request.priority <= 0 || request.duration <= absl::ZeroDuration() ||
          request.attendees.size() < 2) {
        continue;
      }
      bool blocked = false;
      for (const auto& rule : problem_.pair_rules) {
        const auto& o = request.organizations;
        blocked |= std::count(o.begin(), o.end(), rule.organization_a) > 0 &&
                   std::count(o.begin(), o.end(), rule.organization_b) > 0;
      }
      if (blocked) continue;
      const int slots = Slots(request);
      for (int s = 0; s + slots <= num_slots(); ++s) {
        if (window_of_slot_[s] != window_of_slot_[s + slots - 1]) continue;
        const absl::Time start = slot_start_[s],
                         end = start + HeldDuration(request.duration, problem_.slot_length);
        bool free = true;
        for (const std::string& person : request.attendees) {
          auto it = busy.find(person);
          if (it != busy.end() &&
              Overlaps(*it->second, start - problem_.buffer, end + problem_.buffer))
            free = false;
        }
        if (!free) continue;
        for (int k = 0; k < static_cast<int>(problem_.rooms.size()); ++k) {
          const auto& room = problem_.rooms[k];
          if (room.capacity >= static_cast<int>(request.attendees.size()) &&
              !Overlaps(room.busy, start, end)) {
            variables_.push_back({r, s, k});
          }
        }
      }
    }
  }

  const ScheduleProblem& problem_;
  std::vector<TimeInterval> merged_;
  std::vector<absl::Time> slot_start_;
  std::vector<int> window_of_slot_;
  std::map<std::string, int> person_index_;
  std::vector<Variable> variables_;
  int constraints_ = 0;
};

// The best possible objective CBC proved when it stopped early: the "Upper bound:" line of
// its summary (for a maximisation), if any.
double BestPossible(const std::string& log_path) {
  std::ifstream in(log_path);
  std::string line;
  double bound = NAN;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "Upper bound:")) {
      double value;
      if (absl::SimpleAtod(absl::StripAsciiWhitespace(line.substr(12)), &value))
        bound = std::fabs(value);
    }
  }
  return bound;
}

int Main(int argc, char** argv) {
  SchedulerInstanceOptions options = MediumSchedulerInstance();
  int cbc_seconds = 300;
  std::string work = "/tmp/summit_cbc";
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    auto value = [&](absl::string_view flag, auto* out) {
      if (!absl::StartsWith(arg, flag)) return false;
      return absl::SimpleAtoi(arg.substr(flag.size()), out);
    };
    if (value("--seed=", &options.seed) || value("--people=", &options.people) ||
        value("--requests=", &options.requests) || value("--rooms=", &options.rooms) ||
        value("--days=", &options.days) || value("--organizations=", &options.organizations) ||
        value("--cbc_seconds=", &cbc_seconds)) {
      continue;
    }
    if (absl::StartsWith(arg, "--work=")) {
      work = std::string(arg.substr(7));
      continue;
    }
    std::fprintf(stderr,
                 "usage: %s [--seed=S] [--people=N] [--requests=N] [--rooms=N] [--days=N] "
                 "[--organizations=N] [--cbc_seconds=T] [--work=PATH_PREFIX]\n",
                 argv[0]);
    return 2;
  }
  const ScheduleProblem problem = GenerateSchedulerInstance(options);

  absl::Time t0 = absl::Now();
  absl::StatusOr<SchedulePlan> summit = scheduling::ProposeSchedule(problem);
  const double summit_seconds = absl::ToDoubleSeconds(absl::Now() - t0);
  if (!summit.ok()) {
    std::fprintf(stderr, "ProposeSchedule: %s\n", summit.status().ToString().c_str());
    return 1;
  }

  IntegerProgram program(problem);
  const std::string lp = work + ".lp", solution = work + ".sol", log = work + ".log";
  program.Write(lp);
  const std::string command =
      absl::StrCat("cbc ", lp, " sec ", cbc_seconds, " threads 1 solve solution ", solution, " > ",
                   log, " 2>&1");
  std::remove(solution.c_str());
  t0 = absl::Now();
  const int exit_code = std::system(command.c_str());
  const double cbc_seconds_taken = absl::ToDoubleSeconds(absl::Now() - t0);
  std::string status = "no solution";
  double cbc_objective = NAN;
  const std::vector<int> chosen = program.ChosenVariables(solution, &status, &cbc_objective);

  // CBC's answer as a plan, through the independent checker, against Summit's bound.
  SchedulePlan cbc_plan;
  cbc_plan.upper_bound = summit->upper_bound;
  for (int v : chosen) {
    const Variable& x = program.variables()[v];
    const ScheduleRequest& request = problem.requests[x.request];
    cbc_plan.placements.push_back({request.id, problem.rooms[x.room].id, program.SlotStart(x.slot),
                                   program.SlotStart(x.slot) + request.duration});
    cbc_plan.objective += request.priority;
  }
  // Requests CBC left out, with Summit's reasons (CROWDED_OUT where Summit placed them), so
  // the checker's accounting holds; a "fits beside the plan" finding means CBC stopped early.
  std::map<std::string, bool> placed_by_cbc;
  for (const auto& p : cbc_plan.placements) placed_by_cbc[p.request_id] = true;
  for (scheduling::UnplacedRequest u : summit->unplaced) {
    u.competing_request_ids.clear();  // Summit's competitors, not CBC's
    if (!placed_by_cbc.count(u.request_id)) cbc_plan.unplaced.push_back(u);
  }
  for (const auto& p : summit->placements) {
    if (!placed_by_cbc.count(p.request_id)) {
      cbc_plan.unplaced.push_back(
          {p.request_id, scheduling::UnplacedReason::kCrowdedOut, "", {}, ""});
    }
  }
  int cbc_violations = 0;
  for (const std::string& v : scheduling::CheckPlan(problem, cbc_plan)) {
    if (v.find("fits beside the plan") != std::string::npos) continue;  // CBC stopped early
    if (cbc_violations++ < 5) std::fprintf(stderr, "CBC plan: %s\n", v.c_str());
  }
  const double best_possible = BestPossible(log);

  std::printf(
      "{\"bench\":\"cbc_compare\",\"seed\":%u,\"people\":%d,\"requests\":%d,\"rooms\":%d,\"days\":%"
      "d,"
      "\"variables\":%zu,\"constraints\":%d,\"summit_objective\":%lld,\"summit_upper_bound\":%lld,"
      "\"summit_seconds\":%.4f,\"cbc_status\":\"%s\",\"cbc_exit\":%d,\"cbc_objective\":%.0f,"
      "\"cbc_best_possible\":%s,\"cbc_seconds\":%.2f,\"cbc_time_limit\":%d,\"summit_over_cbc\":%."
      "4f,"
      "\"cbc_plan_violations\":%d}\n",
      options.seed, options.people, options.requests, options.rooms, options.days,
      program.variables().size(), program.constraints(), static_cast<long long>(summit->objective),
      static_cast<long long>(summit->upper_bound), summit_seconds, status.c_str(), exit_code,
      std::isnan(cbc_objective) ? -1.0 : cbc_objective,
      std::isnan(best_possible) ? "null" : absl::StrCat(best_possible).c_str(), cbc_seconds_taken,
      cbc_seconds, cbc_objective > 0 ? summit->objective / cbc_objective : 0.0, cbc_violations);
  return cbc_violations == 0 ? 0 : 1;
}

}  // namespace
}  // namespace summit::bench

int main(int argc, char** argv) { return summit::bench::Main(argc, argv); }
