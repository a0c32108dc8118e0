#include "bench/scheduler_instance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace summit::bench {
namespace {

using scheduling::PersonBusy;
using scheduling::ScheduleProblem;
using scheduling::ScheduleRequest;
using scheduling::ScheduleRoom;
using scheduling::TimeInterval;

enum class OrgKind { kGovernment, kIndustry, kOther };

class Generator {
 public:
  explicit Generator(const SchedulerInstanceOptions& options)
      : options_(options), rng_(options.seed) {}

  ScheduleProblem Generate() {
    problem_.slot_length = options_.slot_length;
    problem_.buffer = options_.buffer;
    Windows();
    Organizations();
    Rooms();
    People();
    FixedSessions();
    Unavailability();
    PairRules();
    Requests();
    for (auto& [person, busy] : busy_) problem_.people.push_back({person, std::move(busy)});
    return std::move(problem_);
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  double Unit() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(0, static_cast<int>(v.size()) - 1)];
  }

  // Local wall-clock time of day `day` (0-based) at hh:mm, as an instant.
  absl::Time Local(int day, int hour, int minute) const {
    return absl::FromCivil(absl::CivilMinute(2023, 12, 6 + day, hour, minute), zone_);
  }

  void Windows() {
    if (!absl::LoadTimeZone("America/New_York", &zone_)) zone_ = absl::FixedTimeZone(-5 * 3600);
    problem_.windows = scheduling::DailyWindowsInZone(
        absl::CivilDay(2023, 12, 6), absl::CivilDay(2023, 12, 6 + options_.days - 1),
        options_.hour_from, options_.hour_to, zone_);
  }

  void Organizations() {
    for (int o = 0; o < options_.organizations; ++o) {
      const double u = Unit();
      org_kind_.push_back(o < std::max(1, options_.organizations / 10) ? OrgKind::kGovernment
                          : u < 0.78                                   ? OrgKind::kIndustry
                                                                       : OrgKind::kOther);
    }
  }

  void Rooms() {
    for (int k = 0; k < options_.rooms; ++k) {
      const double u = static_cast<double>(k) / options_.rooms;
      const int capacity = u < 0.40   ? Uniform(2, 4)
                           : u < 0.73 ? Uniform(6, 10)
                           : u < 0.93 ? Uniform(12, 20)
                                      : Uniform(30, 40);
      problem_.rooms.push_back({absl::StrCat("rooms/", k), capacity, {}});
    }
  }

  void People() {
    members_.resize(options_.organizations);
    for (int p = 0; p < options_.people; ++p) {
      // Every organization gets someone; the rest are spread unevenly (big companies).
      const int org = p < options_.organizations
                          ? p
                          : static_cast<int>(std::pow(Unit(), 1.6) * options_.organizations);
      const std::string id = absl::StrCat("people/", p);
      org_of_.push_back(org);
      members_[org].push_back(p);
      if (org_kind_[org] == OrgKind::kGovernment) government_people_.push_back(p);
      busy_[id];
    }
    // Popularity of government people: a few are asked by many.
    std::shuffle(government_people_.begin(), government_people_.end(), rng_);
    double total = 0;
    for (size_t i = 0; i < government_people_.size(); ++i) {
      total += 1.0 / std::pow(i + 1.0, 0.7);
      popularity_cdf_.push_back(total);
    }
  }

  void Busy(int person, absl::Time start, absl::Time end) {
    busy_[absl::StrCat("people/", person)].push_back({start, end});
  }

  void FixedSessions() {
    // Plenary each morning, in the two largest rooms; everyone attends.
    std::vector<int> by_size(problem_.rooms.size());
    for (size_t k = 0; k < by_size.size(); ++k) by_size[k] = static_cast<int>(k);
    std::stable_sort(by_size.begin(), by_size.end(), [this](int a, int b) {
      return problem_.rooms[a].capacity > problem_.rooms[b].capacity;
    });
    for (int day = 0; day < options_.days; ++day) {
      const absl::Time start = Local(day, options_.hour_from, 0),
                       end = Local(day, options_.hour_from + 1, 0);
      for (int i = 0; i < std::min<int>(2, by_size.size()); ++i)
        problem_.rooms[by_size[i]].busy.push_back({start, end});
      for (int p = 0; p < options_.people; ++p) Busy(p, start, end);
    }
    // Panels: an hour, 4–8 speakers, in a mid-sized room, after the plenary.
    std::vector<int> mid_rooms;
    for (size_t k = 0; k < problem_.rooms.size(); ++k) {
      if (problem_.rooms[k].capacity >= 10 && problem_.rooms[k].capacity <= 20)
        mid_rooms.push_back(static_cast<int>(k));
    }
    if (mid_rooms.empty()) return;
    for (int day = 0; day < options_.days; ++day) {
      for (int i = 0; i < options_.panels_per_day; ++i) {
        const int hour = Uniform(options_.hour_from + 1, options_.hour_to - 1);
        const absl::Time start = Local(day, hour, 0), end = start + absl::Hours(1);
        problem_.rooms[Pick(mid_rooms)].busy.push_back({start, end});
        const int speakers = Uniform(4, 8);
        for (int s = 0; s < speakers; ++s) Busy(Uniform(0, options_.people - 1), start, end);
      }
    }
  }

  void Unavailability() {
    const int day_minutes = (options_.hour_to - options_.hour_from) * 60;
    for (int p = 0; p < options_.people; ++p) {
      if (Unit() >= options_.unavailable_fraction) continue;
      const int gaps = Uniform(1, 2);
      for (int g = 0; g < gaps; ++g) {
        const int day = Uniform(0, options_.days - 1);
        const absl::Time open = Local(day, options_.hour_from, 0),
                         close = Local(day, options_.hour_to, 0);
        switch (Uniform(0, 2)) {
          case 0:  // arrives late
            Busy(p, open, open + absl::Minutes(10 * Uniform(6, 24)));
            break;
          case 1:  // leaves early
            Busy(p, close - absl::Minutes(10 * Uniform(6, 24)), close);
            break;
          default: {  // away for a while
            const int from = 10 * Uniform(0, day_minutes / 10 - 18);
            Busy(p, open + absl::Minutes(from), open + absl::Minutes(from + 10 * Uniform(6, 18)));
          }
        }
      }
    }
  }

  void PairRules() {
    std::set<std::pair<int, int>> seen;
    for (int i = 0; i < options_.pair_rules && options_.organizations > 1;) {
      int a = Uniform(0, options_.organizations - 1), b = Uniform(0, options_.organizations - 1);
      if (a == b || org_kind_[a] == OrgKind::kGovernment) continue;
      if (!seen.insert({std::min(a, b), std::max(a, b)}).second) continue;
      problem_.pair_rules.push_back({absl::StrCat("pairRules/", i),
                                     absl::StrCat("organizations/", a),
                                     absl::StrCat("organizations/", b)});
      ++i;
    }
  }

  int PopularGovernmentPerson() {
    const double u = Unit() * popularity_cdf_.back();
    return government_people_[std::lower_bound(popularity_cdf_.begin(), popularity_cdf_.end(), u) -
                              popularity_cdf_.begin()];
  }

  int AnyNonGovernmentPerson() {
    for (;;) {
      const int p = Uniform(0, options_.people - 1);
      if (org_kind_[org_of_[p]] != OrgKind::kGovernment) return p;
    }
  }

  // The lead plus up to `extra` colleagues from the lead's organization.
  void AddSide(int lead, int extra, std::vector<int>& attendees) {
    attendees.push_back(lead);
    const std::vector<int>& colleagues = members_[org_of_[lead]];
    for (int tries = 0; extra > 0 && tries < 4 * extra + 4; ++tries) {
      const int c = Pick(colleagues);
      if (std::find(attendees.begin(), attendees.end(), c) == attendees.end()) {
        attendees.push_back(c);
        --extra;
      }
    }
  }

  void Requests() {
    const bool has_government = !government_people_.empty();
    for (int r = 0; r < options_.requests; ++r) {
      int a = AnyNonGovernmentPerson();
      int b;
      do {
        b = has_government && Unit() < 0.7 ? PopularGovernmentPerson() : AnyNonGovernmentPerson();
      } while (org_of_[b] == org_of_[a]);
      const double size = Unit();
      const int total = size < 0.65   ? 2
                        : size < 0.85 ? 3
                        : size < 0.97 ? Uniform(4, 6)
                                      : Uniform(7, 12);
      const int extra = total - 2;
      const int extra_a = Uniform(0, extra);
      std::vector<int> attendees;
      AddSide(a, extra_a, attendees);
      AddSide(b, extra - extra_a, attendees);
      ScheduleRequest request;
      request.id = absl::StrCat("meetingRequests/", r);
      request.priority = Uniform(1, 10);
      const double length = Unit();
      const absl::Duration wanted = absl::Minutes(length < 0.55 ? 20 : length < 0.90 ? 40 : 60);
      // Round up to whole slots, as the service does before asking.
      absl::Duration remainder;
      const int64_t slots = absl::IDivDuration(wanted + options_.slot_length - absl::Nanoseconds(1),
                                               options_.slot_length, &remainder);
      request.duration = options_.slot_length * slots;
      for (int p : attendees) request.attendees.push_back(absl::StrCat("people/", p));
      request.organizations = {absl::StrCat("organizations/", org_of_[a]),
                               absl::StrCat("organizations/", org_of_[b])};
      problem_.requests.push_back(std::move(request));
    }
  }

  const SchedulerInstanceOptions options_;
  std::mt19937 rng_;
  absl::TimeZone zone_;
  ScheduleProblem problem_;
  std::vector<OrgKind> org_kind_;
  std::vector<int> org_of_;
  std::vector<std::vector<int>> members_;
  std::vector<int> government_people_;
  std::vector<double> popularity_cdf_;
  std::map<std::string, std::vector<TimeInterval>> busy_;
};

}  // namespace

SchedulerInstanceOptions LargeSchedulerInstance() { return SchedulerInstanceOptions{}; }

SchedulerInstanceOptions MediumSchedulerInstance() {
  SchedulerInstanceOptions options;
  options.people = 60;
  options.organizations = 20;
  options.requests = 300;
  options.days = 1;
  options.rooms = 10;
  options.panels_per_day = 1;
  options.pair_rules = 3;
  return options;
}

scheduling::ScheduleProblem GenerateSchedulerInstance(const SchedulerInstanceOptions& options) {
  return Generator(options).Generate();
}

}  // namespace summit::bench
