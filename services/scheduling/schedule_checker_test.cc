// Tests of the independent plan checker (schedule_checker.h): a sound plan passes, and each
// kind of broken constraint or false claim in a hand-made plan is named.
#include "services/scheduling/schedule_checker.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::scheduling {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kDay1 =
    absl::FromCivil(absl::CivilSecond(2023, 12, 6, 14, 0, 0), absl::UTCTimeZone());
absl::Time At(int minutes) { return kDay1 + absl::Minutes(minutes); }

// 09:00–10:00, 20-minute slots, 10-minute buffer; two rooms; b is busy 09:40–10:00.
ScheduleProblem Event() {
  ScheduleProblem problem;
  problem.windows = {{At(0), At(60)}};
  problem.slot_length = absl::Minutes(20);
  problem.buffer = absl::Minutes(10);
  problem.rooms = {{"small", 2, {}}, {"large", 4, {{At(40), At(60)}}}};
  problem.people = {{"b", {{At(40), At(60)}}}};
  problem.pair_rules = {{"rule", "acme", "rival"}};
  problem.requests = {{"r1", 5, absl::Minutes(20), {"a", "b"}, {"acme", "gov"}},
                      {"r2", 3, absl::Minutes(20), {"a", "c"}, {"acme", "gov"}},
                      {"r3", 2, absl::Minutes(20), {"c", "d", "e"}, {"rival", "gov"}},
                      {"r4", 4, absl::Minutes(20), {"a", "f"}, {"acme", "rival"}}};
  return problem;
}

// r1 at 09:00 in small, r2 at 09:40 in small (a has 20 minutes between), r3 at 09:00 in large;
// r4 blocked by the pair rule.
SchedulePlan SoundPlan() {
  SchedulePlan plan;
  plan.placements = {{"r1", "small", At(0), At(20)},
                     {"r3", "large", At(0), At(20)},
                     {"r2", "small", At(40), At(60)}};
  plan.unplaced = {{"r4", UnplacedReason::kPairRuleBlocked, "rule", {}, "Pair rule."}};
  plan.objective = 10;
  plan.upper_bound = 10;
  return plan;
}

TEST(CheckPlanTest, SoundPlanPasses) { EXPECT_THAT(CheckPlan(Event(), SoundPlan()), IsEmpty()); }

TEST(CheckPlanTest, PersonTooCloseForTheBuffer) {
  SchedulePlan plan = SoundPlan();
  plan.placements[2] = {"r2", "small", At(20), At(40)};  // a: r1 ends 09:20, r2 starts 09:20
  EXPECT_THAT(CheckPlan(Event(), plan), Contains(HasSubstr("person a: r1")));
}

TEST(CheckPlanTest, RoomDoubleBooked) {
  SchedulePlan plan = SoundPlan();
  plan.placements[1].room_id = "small";  // r3 (3 people) in small with r1
  const std::vector<std::string> violations = CheckPlan(Event(), plan);
  EXPECT_THAT(violations, Contains(HasSubstr("room small: r1")));
  EXPECT_THAT(violations, Contains(HasSubstr("3 attendees in room small of capacity 2")));
}

TEST(CheckPlanTest, BusyIntervalsOfPeopleAndRooms) {
  SchedulePlan plan = SoundPlan();
  plan.placements[0] = {"r1", "large", At(40), At(60)};  // b busy, large busy
  plan.placements[2] = {"r2", "small", At(20), At(40)};
  const std::vector<std::string> violations = CheckPlan(Event(), plan);
  EXPECT_THAT(violations, Contains(HasSubstr("busy interval of room large")));
  EXPECT_THAT(violations, Contains(HasSubstr("within the buffer of a busy interval of b")));
}

TEST(CheckPlanTest, OffGridOutsideWindowsAndWrongDuration) {
  SchedulePlan plan = SoundPlan();
  plan.placements[0] = {"r1", "small", At(10), At(30)};  // off the grid
  plan.placements[1] = {"r3", "large", At(-20), At(0)};  // before the window
  plan.placements[2] = {"r2", "small", At(40), At(80)};  // 40 minutes, past the end
  const std::vector<std::string> violations = CheckPlan(Event(), plan);
  EXPECT_THAT(violations,
              Contains(HasSubstr(
                  "r1 at [2023-12-06T14:10:00Z, 2023-12-06T14:30:00Z) is not inside one window")));
  EXPECT_THAT(violations,
              Contains(HasSubstr(
                  "r3 at [2023-12-06T13:40:00Z, 2023-12-06T14:00:00Z) is not inside one window")));
  EXPECT_THAT(violations, Contains(HasSubstr("lasts 40m, not its duration 20m")));
}

TEST(CheckPlanTest, PairRuleDuplicatesAndUnknowns) {
  SchedulePlan plan = SoundPlan();
  plan.unplaced.clear();
  plan.placements.push_back({"r4", "large", At(20), At(40)});  // a is at r1 until 09:20: buffer too
  plan.placements.push_back({"r1", "small", At(20), At(40)});
  plan.placements.push_back({"r9", "small", At(0), At(20)});
  plan.placements.push_back({"r2", "nowhere", At(0), At(20)});
  plan.objective = 14;
  const std::vector<std::string> violations = CheckPlan(Event(), plan);
  EXPECT_THAT(violations, Contains(HasSubstr("breaks pair rule rule")));
  EXPECT_THAT(violations, Contains(HasSubstr("request r1 is placed more than once")));
  EXPECT_THAT(violations, Contains(HasSubstr("placement of unknown request r9")));
}

TEST(CheckPlanTest, AccountingAndBound) {
  SchedulePlan plan = SoundPlan();
  plan.objective = 11;
  plan.upper_bound = 9;
  plan.unplaced.clear();
  const std::vector<std::string> violations = CheckPlan(Event(), plan);
  EXPECT_THAT(violations,
              Contains(HasSubstr("objective is 11 but the placed priorities sum to 10")));
  EXPECT_THAT(violations, Contains(HasSubstr("objective 11 exceeds the upper bound 9")));
  EXPECT_THAT(violations, Contains(HasSubstr("request r4 is neither placed nor unplaced")));
}

TEST(CheckPlanTest, FalseReasons) {
  SchedulePlan plan = SoundPlan();
  plan.placements.pop_back();  // r2 out, and it would fit at 09:40 in small
  plan.objective = 7;
  plan.unplaced = {{"r2", UnplacedReason::kCrowdedOut, "", {"r9"}, ""},
                   {"r4", UnplacedReason::kNoRoomLargeEnough, "", {}, ""}};
  std::vector<std::string> violations = CheckPlan(Event(), plan);
  EXPECT_THAT(violations, Contains(HasSubstr("r2 is reported CROWDED_OUT but fits beside the plan "
                                             "at 2023-12-06T14:40:00Z in room small")));
  EXPECT_THAT(violations, Contains(HasSubstr("naming competitor r9, which is not placed")));
  EXPECT_THAT(
      violations,
      Contains(HasSubstr("r4 is reported NO_ROOM_LARGE_ENOUGH but pair rule rule forbids it")));

  plan.unplaced = {{"r2", UnplacedReason::kNoCommonFreeSlot, "", {}, ""},
                   {"r4", UnplacedReason::kInvalid, "", {}, ""}};
  violations = CheckPlan(Event(), plan);
  EXPECT_THAT(violations,
              Contains(HasSubstr(
                  "r2 is reported NO_COMMON_FREE_SLOT but fits alone at 2023-12-06T14:00:00Z")));
  EXPECT_THAT(violations, Contains(HasSubstr("r4 is reported INVALID but is well-formed")));
}

TEST(CheckPlanTest, InvalidRequestPlaced) {
  ScheduleProblem problem = Event();
  problem.requests[1].priority = 0;
  const std::vector<std::string> violations = CheckPlan(problem, SoundPlan());
  EXPECT_THAT(
      violations,
      Contains(HasSubstr(
          "r2 at [2023-12-06T14:40:00Z, 2023-12-06T15:00:00Z) is placed although invalid")));
}

// A 30-minute meeting holds two 20-minute slots: sound where those are free, and every
// constraint counts the held time, not only the meeting's own.
TEST(CheckPlanTest, AMeetingOffTheGridHoldsWholeSlots) {
  ScheduleProblem problem = Event();
  problem.buffer = absl::ZeroDuration();
  problem.requests[0].duration = absl::Minutes(30);  // r1: a and b, 09:00–09:30
  SchedulePlan plan = SoundPlan();
  plan.placements[0] = {"r1", "small", At(0), At(30)};
  EXPECT_THAT(CheckPlan(problem, plan), IsEmpty());

  plan.placements[2] = {"r2", "small", At(20), At(40)};  // in r1's second slot, same room and a
  std::vector<std::string> violations = CheckPlan(problem, plan);
  EXPECT_THAT(violations, Contains(HasSubstr("room small: r1 [2023-12-06T14:00:00Z, "
                                             "2023-12-06T14:40:00Z) and r2")));
  EXPECT_THAT(violations, Contains(HasSubstr("person a: r1")));

  // Ending at 09:30 but holding until 09:40 brings r1 within b's buffer before 09:40; and at
  // 09:40 it would hold 09:40–10:20, past the window.
  problem.buffer = absl::Minutes(5);
  plan = SoundPlan();
  plan.placements[0] = {"r1", "small", At(0), At(30)};
  violations = CheckPlan(problem, plan);
  EXPECT_THAT(violations, Contains(HasSubstr("within the buffer of a busy interval of b")));
  plan.placements[0] = {"r1", "small", At(40), At(70)};
  violations = CheckPlan(problem, plan);
  EXPECT_THAT(violations, Contains(HasSubstr("is not inside one window on the slot grid")));
}

}  // namespace
}  // namespace summit::scheduling
