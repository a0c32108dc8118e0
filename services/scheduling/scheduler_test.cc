// Tests of the matchmaking scheduler (scheduler.h): optimality on tiny instances against an
// exhaustive search written here (on time intervals, independent of the scheduler's grid),
// validity of every plan by the independent checker (schedule_checker.h), validity of the upper
// bound, the reason given for each request left out, determinism, and the time zone helper.
#include "services/scheduling/scheduler.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/schedule_checker.h"

namespace summit::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// 6 December 2023, 09:00 in Washington.
const absl::Time kDay1 =
    absl::FromCivil(absl::CivilSecond(2023, 12, 6, 14, 0, 0), absl::UTCTimeZone());

absl::Time At(int minutes) { return kDay1 + absl::Minutes(minutes); }

// Everything in a plan, as text, to compare plans exactly.
std::string Describe(const SchedulePlan& plan) {
  std::string text;
  for (const SchedulePlacement& p : plan.placements) {
    absl::StrAppend(&text, p.request_id, "@", p.room_id, "@", absl::FormatTime(p.start), "-",
                    absl::FormatTime(p.end), "\n");
  }
  for (const UnplacedRequest& u : plan.unplaced) {
    absl::StrAppend(&text, u.request_id, " ", UnplacedReasonName(u.reason), " ", u.pair_rule_id,
                    " [", absl::StrJoin(u.competing_request_ids, ","), "] ", u.explanation, "\n");
  }
  absl::StrAppend(&text, "objective ", plan.objective, " bound ", plan.upper_bound, " (",
                  plan.bound_parts.placeable_priority, "/", plan.bound_parts.attendee_time, "/",
                  plan.bound_parts.room_time, "/", plan.bound_parts.combined, ") back-to-back ",
                  plan.back_to_back_pairs, "\n");
  return text;
}

SchedulePlan Propose(const ScheduleProblem& problem) {
  absl::StatusOr<SchedulePlan> plan = ProposeSchedule(problem);
  EXPECT_TRUE(plan.ok()) << plan.status();
  if (!plan.ok()) return {};
  EXPECT_THAT(CheckPlan(problem, *plan), IsEmpty()) << Describe(*plan);
  return *std::move(plan);
}

const UnplacedRequest* FindUnplaced(const SchedulePlan& plan, const std::string& id) {
  for (const UnplacedRequest& u : plan.unplaced) {
    if (u.request_id == id) return &u;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Exhaustive optimum, on intervals.

struct Place {
  absl::Time start;
  absl::Time end;  // of the time it holds: whole slots
  int room;
};

bool Overlap(absl::Time a_start, absl::Time a_end, absl::Time b_start, absl::Time b_end) {
  return a_start < b_end && b_start < a_end;
}

// The best objective over all plans, by trying every combination of places.
class ExhaustiveOptimum {
 public:
  explicit ExhaustiveOptimum(const ScheduleProblem& problem) : problem_(problem) {
    std::vector<TimeInterval> windows = problem.windows;
    std::sort(windows.begin(), windows.end(),
              [](const TimeInterval& a, const TimeInterval& b) { return a.start < b.start; });
    for (const TimeInterval& w : windows) {
      if (!merged_.empty() && w.start <= merged_.back().end) {
        merged_.back().end = std::max(merged_.back().end, w.end);
      } else {
        merged_.push_back(w);
      }
    }
    for (const ScheduleRequest& request : problem.requests) {
      std::vector<Place> places = PlacesAlone(request);
      if (!places.empty()) {
        requests_.push_back(&request);
        places_.push_back(std::move(places));
      }
    }
  }

  int64_t Solve() {
    suffix_.assign(requests_.size() + 1, 0);
    for (int i = static_cast<int>(requests_.size()) - 1; i >= 0; --i) {
      suffix_[i] = suffix_[i + 1] + requests_[i]->priority;
    }
    best_ = 0;
    Search(0, 0);
    return best_;
  }

 private:
  bool Busy(const std::vector<TimeInterval>& busy, absl::Time from, absl::Time to) const {
    for (const TimeInterval& b : busy) {
      if (b.start < b.end && Overlap(b.start, b.end, from, to)) return true;
    }
    return false;
  }

  std::vector<Place> PlacesAlone(const ScheduleRequest& request) const {
    std::vector<Place> places;
    if (request.priority <= 0 || request.duration <= absl::ZeroDuration() ||
        request.attendees.size() < 2) {
      return places;
    }
    // It holds the slots it touches, counted here without the scheduler's HeldDuration.
    absl::Duration held = absl::ZeroDuration();
    while (held < request.duration) held += problem_.slot_length;
    for (const SchedulePairRule& rule : problem_.pair_rules) {
      const auto& o = request.organizations;
      if (std::count(o.begin(), o.end(), rule.organization_a) &&
          std::count(o.begin(), o.end(), rule.organization_b)) {
        return places;
      }
    }
    for (const TimeInterval& w : merged_) {
      for (absl::Time start = w.start; start + held <= w.end; start += problem_.slot_length) {
        const absl::Time end = start + held;
        bool free = true;
        for (const PersonBusy& person : problem_.people) {
          if (std::count(request.attendees.begin(), request.attendees.end(), person.person_id) &&
              Busy(person.busy, start - problem_.buffer, end + problem_.buffer)) {
            free = false;
          }
        }
        if (!free) continue;
        for (int k = 0; k < static_cast<int>(problem_.rooms.size()); ++k) {
          const ScheduleRoom& room = problem_.rooms[k];
          if (room.capacity >= static_cast<int>(request.attendees.size()) &&
              !Busy(room.busy, start, end)) {
            places.push_back({start, end, k});
          }
        }
      }
    }
    return places;
  }

  bool Compatible(int i, const Place& place) const {
    for (const auto& [j, other] : chosen_) {
      if (other.room == place.room && Overlap(other.start, other.end, place.start, place.end))
        return false;
      for (const std::string& person : requests_[i]->attendees) {
        const auto& others = requests_[j]->attendees;
        if (std::count(others.begin(), others.end(), person) &&
            Overlap(other.start - problem_.buffer, other.end + problem_.buffer, place.start,
                    place.end)) {
          return false;
        }
      }
    }
    return true;
  }

  void Search(size_t i, int64_t value) {
    if (value + suffix_[i] <= best_) return;
    if (i == requests_.size()) {
      best_ = value;
      return;
    }
    for (const Place& place : places_[i]) {
      if (!Compatible(static_cast<int>(i), place)) continue;
      chosen_.emplace_back(static_cast<int>(i), place);
      Search(i + 1, value + requests_[i]->priority);
      chosen_.pop_back();
    }
    Search(i + 1, value);
  }

  const ScheduleProblem& problem_;
  std::vector<TimeInterval> merged_;
  std::vector<const ScheduleRequest*> requests_;
  std::vector<std::vector<Place>> places_;
  std::vector<int64_t> suffix_;
  std::vector<std::pair<int, Place>> chosen_;
  int64_t best_ = 0;
};

// A tiny random event: 3–6 slots a day over one or two days (or two touching windows), a
// buffer of 0, 10 or 20 minutes, 3–5 people with busy spells off the grid, 1–3 small rooms,
// 3–7 requests, sometimes a malformed one, sometimes a pair rule.
ScheduleProblem TinyInstance(std::mt19937& rng) {
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  ScheduleProblem problem;
  problem.slot_length = absl::Minutes(20);
  problem.buffer = absl::Minutes(10 * uniform(0, 2));
  switch (uniform(0, 2)) {
    case 0:
      problem.windows = {{At(0), At(20 * uniform(3, 6))}};
      break;
    case 1:
      problem.windows = {{At(0), At(20 * uniform(2, 4))},
                         {At(24 * 60), At(24 * 60 + 20 * uniform(2, 4))}};
      break;
    default:  // touching windows, merged into one
      problem.windows = {{At(60), At(120)}, {At(0), At(60)}};
      break;
  }
  const int people = uniform(3, 5);
  for (int p = 0; p < people; ++p) {
    PersonBusy busy{absl::StrCat("p", p), {}};
    if (uniform(0, 9) < 4) {
      const bool second_day = problem.windows.size() == 2 && uniform(0, 1);
      const int from = (second_day ? 24 * 60 : 0) + 10 * uniform(0, 10);
      busy.busy.push_back({At(from), At(from + 10 * uniform(1, 4))});
    }
    problem.people.push_back(busy);
  }
  const int rooms = uniform(1, 3);
  for (int k = 0; k < rooms; ++k) {
    ScheduleRoom room{absl::StrCat("room", k), uniform(2, 4), {}};
    if (uniform(0, 9) < 2) {
      const int from = 10 * uniform(0, 10);
      room.busy.push_back({At(from), At(from + 20)});
    }
    problem.rooms.push_back(room);
  }
  if (uniform(0, 9) < 2) problem.pair_rules.push_back({"rule0", "org0", "org1"});
  const int requests = uniform(3, 7);
  for (int r = 0; r < requests; ++r) {
    ScheduleRequest request;
    request.id = absl::StrCat("r", r);
    request.priority = uniform(1, 9);
    // Mostly whole slots; some off the grid (30 and 50 minutes hold 2 and 3 slots).
    const int kind = uniform(0, 19);
    request.duration = kind == 0   ? absl::Minutes(30)
                       : kind == 1 ? absl::Minutes(50)
                                   : absl::Minutes(20 * (kind < 13   ? 1
                                                         : kind < 18 ? 2
                                                                     : 3));
    std::vector<int> who(people);
    for (int p = 0; p < people; ++p) who[p] = p;
    std::shuffle(who.begin(), who.end(), rng);
    const int attendees = uniform(0, 3) == 0 ? 3 : 2;
    for (int i = 0; i < attendees; ++i) {
      request.attendees.push_back(absl::StrCat("p", who[i]));
      const std::string org = absl::StrCat("org", who[i] % 3);
      if (std::find(request.organizations.begin(), request.organizations.end(), org) ==
          request.organizations.end()) {
        request.organizations.push_back(org);
      }
    }
    problem.requests.push_back(request);
  }
  return problem;
}

TEST(ProposeScheduleTest, HitsTheExhaustiveOptimumOnTinyInstances) {
  std::mt19937 rng(20231206);
  constexpr int kInstances = 300;
  int hits = 0;
  int64_t total_optimum = 0, total_objective = 0, nontrivial = 0;
  for (int i = 0; i < kInstances; ++i) {
    const ScheduleProblem problem = TinyInstance(rng);
    const int64_t optimum = ExhaustiveOptimum(problem).Solve();
    const SchedulePlan plan = Propose(problem);
    EXPECT_GE(plan.upper_bound, optimum) << "instance " << i << "\n" << Describe(plan);
    EXPECT_LE(plan.objective, optimum) << "instance " << i;  // else the checker missed something
    EXPECT_EQ(plan.objective, optimum) << "instance " << i << "\n" << Describe(plan);
    hits += plan.objective == optimum;
    nontrivial += !plan.unplaced.empty();
    total_optimum += optimum;
    total_objective += plan.objective;
  }
  std::cout << "optimum hit on " << hits << " of " << kInstances << " tiny instances ("
            << nontrivial << " with requests left out); objective " << total_objective << " of "
            << total_optimum << "\n";
}

// ---------------------------------------------------------------------------------------------
// Reasons.

// One day 09:00–10:00 (three 20-minute slots), two rooms, no buffer.
ScheduleProblem SmallEvent() {
  ScheduleProblem problem;
  problem.windows = {{At(0), At(60)}};
  problem.slot_length = absl::Minutes(20);
  problem.rooms = {{"rooms/small", 2, {}}, {"rooms/large", 4, {}}};
  return problem;
}

TEST(ProposeScheduleTest, PairRuleBlocksAndIsNamed) {
  ScheduleProblem problem = SmallEvent();
  problem.pair_rules = {{"pairRules/9", "orgs/sanctioned", "orgs/acme"},
                        {"pairRules/2", "orgs/acme", "orgs/sanctioned"}};
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b"}, {"orgs/acme", "orgs/sanctioned"}},
                      {"r2", 5, absl::Minutes(20), {"a", "c"}, {"orgs/acme", "orgs/other"}}};
  const SchedulePlan plan = Propose(problem);
  const UnplacedRequest* u = FindUnplaced(plan, "r1");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->reason, UnplacedReason::kPairRuleBlocked);
  EXPECT_EQ(u->pair_rule_id, "pairRules/2");  // the smallest id of the rules that apply
  EXPECT_THAT(u->explanation, HasSubstr("orgs/acme and orgs/sanctioned"));
  EXPECT_EQ(FindUnplaced(plan, "r2"), nullptr);
  EXPECT_EQ(plan.objective, 5);
}

TEST(ProposeScheduleTest, NoRoomLargeEnough) {
  ScheduleProblem problem = SmallEvent();
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b", "c", "d", "e"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.unplaced.size(), 1u);
  EXPECT_EQ(plan.unplaced[0].reason, UnplacedReason::kNoRoomLargeEnough);
  EXPECT_THAT(plan.unplaced[0].explanation, HasSubstr("needs 5 seats; the largest room has 4"));
  EXPECT_EQ(plan.upper_bound, 0);
}

TEST(ProposeScheduleTest, NoCommonFreeSlotInItsThreeForms) {
  ScheduleProblem problem = SmallEvent();
  problem.buffer = absl::Minutes(10);
  // a is busy 09:00–09:25, b 09:35–10:00: never both free for 20 minutes with a 10-minute buffer.
  problem.people = {{"a", {{At(0), At(25)}}}, {"b", {{At(35), At(60)}}}};
  // c and d are free all along, but the only room for three is taken then.
  problem.rooms[1].busy = {{At(0), At(60)}};
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b"}, {}},
                      {"r2", 5, absl::Minutes(20), {"c", "d", "e"}, {}},
                      {"r3", 5, absl::Minutes(80), {"c", "d"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.unplaced.size(), 3u);
  for (const UnplacedRequest& u : plan.unplaced) {
    EXPECT_EQ(u.reason, UnplacedReason::kNoCommonFreeSlot) << u.request_id;
  }
  EXPECT_THAT(plan.unplaced[0].explanation, HasSubstr("never all free"));
  EXPECT_THAT(plan.unplaced[1].explanation, HasSubstr("no room with at least 3 seats is free"));
  EXPECT_THAT(plan.unplaced[2].explanation, HasSubstr("longer than every window"));
}

TEST(ProposeScheduleTest, CrowdedOutNamesTheCompetitor) {
  ScheduleProblem problem = SmallEvent();
  problem.windows = {{At(0), At(20)}};  // one slot
  problem.requests = {{"r-high", 9, absl::Minutes(20), {"minister", "acme"}, {}},
                      {"r-low", 3, absl::Minutes(20), {"minister", "globex"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.placements.size(), 1u);
  EXPECT_EQ(plan.placements[0].request_id, "r-high");
  EXPECT_EQ(plan.placements[0].room_id, "rooms/small");  // the smallest room that fits
  const UnplacedRequest* u = FindUnplaced(plan, "r-low");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->reason, UnplacedReason::kCrowdedOut);
  EXPECT_THAT(u->competing_request_ids, ElementsAre("r-high"));
  EXPECT_THAT(u->explanation, HasSubstr("r-high (priority 9)"));
  EXPECT_EQ(plan.objective, 9);
  // Split equally, the attendees' time allows 4.5 + 4.5 + 1.5 (10 after rounding down); priced
  // together (the combined bound), the minister's single slot allows 9: the bound is exact.
  EXPECT_EQ(plan.bound_parts.attendee_time, 10);
  EXPECT_EQ(plan.upper_bound, 9);
}

TEST(ProposeScheduleTest, InvalidRequestsAreReportedAndTheRestPlaced) {
  ScheduleProblem problem = SmallEvent();
  problem.requests = {{"r1", 5, absl::ZeroDuration(), {"a", "b"}, {}},
                      {"r2", 0, absl::Minutes(20), {"a", "b"}, {}},
                      {"r3", 5, absl::Minutes(20), {"a"}, {}},
                      {"r4", 5, absl::Minutes(20), {"a", "b", "a"}, {}},
                      {"r5", 5, absl::Minutes(20), {"a", "b"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.unplaced.size(), 4u);
  for (const UnplacedRequest& u : plan.unplaced) EXPECT_EQ(u.reason, UnplacedReason::kInvalid);
  EXPECT_THAT(plan.unplaced[0].explanation, HasSubstr("duration of 0 is not positive"));
  EXPECT_THAT(plan.unplaced[3].explanation, HasSubstr("listed twice"));
  EXPECT_EQ(plan.objective, 5);
}

TEST(ProposeScheduleTest, MalformedProblemIsRefused) {
  ScheduleProblem problem = SmallEvent();
  problem.slot_length = absl::ZeroDuration();
  EXPECT_EQ(ProposeSchedule(problem).status().code(), absl::StatusCode::kInvalidArgument);
  problem = SmallEvent();
  problem.rooms.push_back(problem.rooms[0]);
  EXPECT_EQ(ProposeSchedule(problem).status().code(), absl::StatusCode::kInvalidArgument);
  problem = SmallEvent();
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b"}, {}},
                      {"r1", 5, absl::Minutes(20), {"a", "c"}, {}}};
  EXPECT_EQ(ProposeSchedule(problem).status().code(), absl::StatusCode::kInvalidArgument);
  problem = SmallEvent();
  problem.windows.push_back({At(100), At(90)});
  EXPECT_EQ(ProposeSchedule(problem).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// Constraints the grid must get right.

TEST(ProposeScheduleTest, BufferKeepsAPersonsMeetingsApart) {
  ScheduleProblem problem = SmallEvent();
  problem.buffer = absl::Minutes(10);
  // Three one-slot meetings for the same person in three slots: with a buffer only two fit,
  // in the first and the last slot.
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b"}, {}},
                      {"r2", 4, absl::Minutes(20), {"a", "c"}, {}},
                      {"r3", 3, absl::Minutes(20), {"a", "d"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.placements.size(), 2u);
  EXPECT_EQ(plan.placements[0].start, At(0));
  EXPECT_EQ(plan.placements[1].start, At(40));
  EXPECT_EQ(plan.objective, 9);
}

// A 30-minute meeting on the 20-minute grid lasts 30 minutes and holds two slots: the person's
// next meeting starts at the third slot, and nothing else uses the rest of the second.
TEST(ProposeScheduleTest, AMeetingOffTheGridLastsItsDurationAndHoldsWholeSlots) {
  ScheduleProblem problem = SmallEvent();
  problem.rooms = {{"rooms/only", 2, {}}};
  problem.requests = {{"r1", 5, absl::Minutes(30), {"a", "b"}, {}},
                      {"r2", 4, absl::Minutes(20), {"a", "c"}, {}},
                      {"r3", 3, absl::Minutes(20), {"d", "e"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.placements.size(), 2u) << Describe(plan);
  EXPECT_EQ(plan.placements[0].request_id, "r1");
  EXPECT_EQ(plan.placements[0].start, At(0));
  EXPECT_EQ(plan.placements[0].end, At(30));
  EXPECT_EQ(plan.placements[1].request_id, "r2");
  EXPECT_EQ(plan.placements[1].start, At(40));
  const UnplacedRequest* r3 = FindUnplaced(plan, "r3");  // the one room is held until 09:40
  ASSERT_NE(r3, nullptr);
  EXPECT_EQ(r3->reason, UnplacedReason::kCrowdedOut);
  EXPECT_EQ(plan.objective, 9);
  EXPECT_EQ(plan.upper_bound, 9);

  // A window of 30 minutes holds one slot of 20 minutes: no 30-minute meeting fits in it.
  problem.windows = {{At(0), At(30)}};
  problem.requests = {{"r1", 5, absl::Minutes(30), {"a", "b"}, {}}};
  const SchedulePlan too_short = Propose(problem);
  ASSERT_EQ(too_short.unplaced.size(), 1u);
  EXPECT_EQ(too_short.unplaced[0].reason, UnplacedReason::kNoCommonFreeSlot);
  EXPECT_THAT(too_short.unplaced[0].explanation, HasSubstr("holding 40m of slots"));
}

TEST(ProposeScheduleTest, BusySpellsOffTheGridBlockEveryOverlappedSlot) {
  ScheduleProblem problem = SmallEvent();
  problem.people = {{"a", {{At(15), At(25)}}}};  // touches the first two slots
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.placements.size(), 1u);
  EXPECT_EQ(plan.placements[0].start, At(40));
}

TEST(ProposeScheduleTest, MeetingsSpanTouchingWindowsButNotGaps) {
  ScheduleProblem problem = SmallEvent();
  problem.windows = {{At(0), At(30)}, {At(30), At(60)}, {At(120), At(150)}};
  // Merged: 09:00–10:00 (three slots) and 11:00–11:30 (one slot).
  problem.requests = {{"r1", 5, absl::Minutes(60), {"a", "b"}, {}},
                      {"r2", 5, absl::Minutes(40), {"c", "d"}, {}}};
  const SchedulePlan plan = Propose(problem);
  EXPECT_EQ(plan.objective, 10);
  for (const SchedulePlacement& p : plan.placements) EXPECT_LE(p.end, At(60)) << p.request_id;
}

TEST(ProposeScheduleTest, LockedMeetingsAndFixedSessionsStayPut) {
  ScheduleProblem problem = SmallEvent();
  // A plenary in the large room 09:00–09:40 that a and b attend; a locked bilateral in the
  // small room 09:40–10:00.
  problem.rooms[1].busy = {{At(0), At(40)}};
  problem.rooms[0].busy = {{At(40), At(60)}};
  problem.people = {{"a", {{At(0), At(40)}}}, {"b", {{At(0), At(40)}}}};
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b"}, {}},
                      {"r2", 5, absl::Minutes(20), {"c", "d"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.placements.size(), 2u);
  EXPECT_EQ(plan.placements[0].request_id, "r2");
  EXPECT_EQ(plan.placements[0].start, At(0));
  EXPECT_EQ(plan.placements[0].room_id, "rooms/small");
  EXPECT_EQ(plan.placements[1].request_id, "r1");
  EXPECT_EQ(plan.placements[1].start, At(40));
  EXPECT_EQ(plan.placements[1].room_id, "rooms/large");
}

TEST(ProposeScheduleTest, SpreadsAPersonsMeetingsOverTheDays) {
  ScheduleProblem problem;
  problem.slot_length = absl::Minutes(20);
  problem.windows = {{At(0), At(120)}, {At(24 * 60), At(24 * 60 + 120)}};
  problem.rooms = {{"room", 10, {}}};
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b"}, {}},
                      {"r2", 5, absl::Minutes(20), {"a", "c"}, {}},
                      {"r3", 5, absl::Minutes(20), {"a", "d"}, {}},
                      {"r4", 5, absl::Minutes(20), {"a", "e"}, {}}};
  const SchedulePlan plan = Propose(problem);
  ASSERT_EQ(plan.placements.size(), 4u);
  EXPECT_EQ(plan.back_to_back_pairs, 0);
  int first_day = 0;
  for (const SchedulePlacement& p : plan.placements) first_day += p.start < At(24 * 60);
  EXPECT_EQ(first_day, 2);
}

TEST(ProposeScheduleTest, RoomTimeBoundIsTightWhenRoomsAreTheLimit) {
  ScheduleProblem problem = SmallEvent();
  problem.rooms = {{"room", 2, {}}};
  for (int r = 0; r < 6; ++r) {
    problem.requests.push_back({absl::StrCat("r", r),
                                r + 1,
                                absl::Minutes(20),
                                {absl::StrCat("x", r), absl::StrCat("y", r)},
                                {}});
  }
  const SchedulePlan plan = Propose(problem);
  EXPECT_EQ(plan.objective, 6 + 5 + 4);
  EXPECT_EQ(plan.bound_parts.room_time, 15);
  EXPECT_EQ(plan.upper_bound, 15);
  EXPECT_EQ(plan.bound_parts.placeable_priority, 21);
}

// ---------------------------------------------------------------------------------------------
// Determinism.

ScheduleProblem MediumInstance(uint32_t seed) {
  std::mt19937 rng(seed);
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  ScheduleProblem problem;
  problem.slot_length = absl::Minutes(20);
  problem.buffer = absl::Minutes(10);
  problem.windows = {{At(0), At(9 * 60)}, {At(24 * 60), At(24 * 60 + 9 * 60)}};
  for (int k = 0; k < 8; ++k) {
    problem.rooms.push_back({absl::StrCat("room", k), uniform(2, 8), {}});
  }
  problem.rooms[0].busy = {{At(0), At(60)}};
  for (int p = 0; p < 80; ++p) {
    PersonBusy person{absl::StrCat("p", p), {{At(0), At(60)}}};  // the plenary
    if (p % 5 == 0) person.busy.push_back({At(24 * 60), At(24 * 60 + 180)});
    problem.people.push_back(person);
  }
  problem.pair_rules = {{"rule1", "org1", "org2"}, {"rule2", "org3", "org4"}};
  for (int r = 0; r < 400; ++r) {
    ScheduleRequest request{
        absl::StrCat("req", r), uniform(1, 10), absl::Minutes(20 * uniform(1, 3)), {}, {}};
    const int a = uniform(0, 79);
    int b = uniform(0, 78);
    if (b >= a) ++b;
    request.attendees = {absl::StrCat("p", a), absl::StrCat("p", b)};
    const int c = (a + b + 1) % 80;
    if (uniform(0, 4) == 0 && c != a && c != b) request.attendees.push_back(absl::StrCat("p", c));
    request.organizations = {absl::StrCat("org", a % 10), absl::StrCat("org", b % 10)};
    problem.requests.push_back(request);
  }
  return problem;
}

TEST(ProposeScheduleTest, SameInputSamePlan) {
  const ScheduleProblem problem = MediumInstance(7);
  const SchedulePlan first = Propose(problem);
  const SchedulePlan second = Propose(problem);
  EXPECT_EQ(Describe(first), Describe(second));
  EXPECT_GT(first.placements.size(), 100u);
}

TEST(ProposeScheduleTest, ShuffledInputSamePlan) {
  const ScheduleProblem problem = MediumInstance(11);
  ScheduleProblem shuffled = problem;
  std::mt19937 rng(3);
  std::shuffle(shuffled.windows.begin(), shuffled.windows.end(), rng);
  std::shuffle(shuffled.rooms.begin(), shuffled.rooms.end(), rng);
  std::shuffle(shuffled.people.begin(), shuffled.people.end(), rng);
  std::shuffle(shuffled.pair_rules.begin(), shuffled.pair_rules.end(), rng);
  std::shuffle(shuffled.requests.begin(), shuffled.requests.end(), rng);
  for (ScheduleRequest& request : shuffled.requests) {
    std::shuffle(request.attendees.begin(), request.attendees.end(), rng);
    std::shuffle(request.organizations.begin(), request.organizations.end(), rng);
  }
  for (PersonBusy& person : shuffled.people)
    std::shuffle(person.busy.begin(), person.busy.end(), rng);
  EXPECT_EQ(Describe(Propose(problem)), Describe(Propose(shuffled)));
}

TEST(ProposeScheduleTest, MediumInstancesAreSoundAndBounded) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    const SchedulePlan plan = Propose(MediumInstance(seed));
    EXPECT_LE(plan.objective, plan.upper_bound);
    EXPECT_GT(plan.objective, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Time zones.

TEST(DailyWindowsInZoneTest, WashingtonMorningIsAfternoonUtcAndEveningInKyiv) {
  absl::TimeZone washington, kyiv;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &washington));
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Kyiv", &kyiv));
  const std::vector<TimeInterval> windows = DailyWindowsInZone(
      absl::CivilDay(2023, 12, 6), absl::CivilDay(2023, 12, 7), 9, 18, washington);
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", windows[0].start, absl::UTCTimeZone()),
            "2023-12-06 14:00");
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", windows[0].end, absl::UTCTimeZone()),
            "2023-12-06 23:00");
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", windows[1].start, absl::UTCTimeZone()),
            "2023-12-07 14:00");
  EXPECT_EQ(absl::FormatTime("%H:%M", windows[0].start, kyiv), "16:00");
}

TEST(DailyWindowsInZoneTest, FollowsDaylightSavingTime) {
  absl::TimeZone washington;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &washington));
  // 11 and 12 March 2023: clocks go forward at 02:00 on the 12th.
  const std::vector<TimeInterval> windows = DailyWindowsInZone(
      absl::CivilDay(2023, 3, 11), absl::CivilDay(2023, 3, 12), 9, 18, washington);
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(absl::FormatTime("%H:%M", windows[0].start, absl::UTCTimeZone()), "14:00");
  EXPECT_EQ(absl::FormatTime("%H:%M", windows[1].start, absl::UTCTimeZone()), "13:00");
  EXPECT_EQ(windows[1].end - windows[1].start, absl::Hours(9));
  // A window that ends at midnight, and the empty cases.
  const std::vector<TimeInterval> late = DailyWindowsInZone(
      absl::CivilDay(2023, 12, 6), absl::CivilDay(2023, 12, 6), 20, 24, washington);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].end - late[0].start, absl::Hours(4));
  EXPECT_THAT(DailyWindowsInZone(absl::CivilDay(2023, 12, 7), absl::CivilDay(2023, 12, 6), 9, 18,
                                 washington),
              IsEmpty());
  EXPECT_THAT(DailyWindowsInZone(absl::CivilDay(2023, 12, 6), absl::CivilDay(2023, 12, 6), 18, 9,
                                 washington),
              IsEmpty());
}

}  // namespace
}  // namespace summit::scheduling
