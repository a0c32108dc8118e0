#include "tools/faultproxy/fault.h"

#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::faultproxy {
namespace {

using ::summit::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(FaultTest, NoneIsNoFault) {
  ASSERT_OK_AND_ASSIGN(Fault fault, ParseFault("none"));
  EXPECT_EQ(fault, Fault());
  EXPECT_EQ(FaultToString(Fault()), "none");
}

TEST(FaultTest, ItemsSetBothDirectionsOrOne) {
  ASSERT_OK_AND_ASSIGN(Fault fault, ParseFault("latency=150ms, up.bandwidth=1000,down.black_hole"));
  EXPECT_EQ(fault.up.latency, absl::Milliseconds(150));
  EXPECT_EQ(fault.down.latency, absl::Milliseconds(150));
  EXPECT_EQ(fault.up.bytes_per_second, 1000);
  EXPECT_EQ(fault.down.bytes_per_second, 0);
  EXPECT_FALSE(fault.up.black_hole);
  EXPECT_TRUE(fault.down.black_hole);
  EXPECT_FALSE(fault.reset_current);
}

TEST(FaultTest, ResetsAndNoneClearingWhatCameBefore) {
  ASSERT_OK_AND_ASSIGN(Fault fault, ParseFault("black_hole,none,reset,reset_new"));
  EXPECT_FALSE(fault.up.black_hole);
  EXPECT_TRUE(fault.reset_current);
  EXPECT_TRUE(fault.reset_new);
}

TEST(FaultTest, TextFormReadsBackToTheSameFault) {
  for (const char* text : {"none", "latency=2s", "bandwidth=65536,black_hole", "reset_new",
                           "up.latency=10ms,down.bandwidth=5,reset", "down.black_hole"}) {
    ASSERT_OK_AND_ASSIGN(Fault fault, ParseFault(text));
    ASSERT_OK_AND_ASSIGN(Fault again, ParseFault(FaultToString(fault)));
    EXPECT_EQ(again, fault) << text << " → " << FaultToString(fault);
  }
}

TEST(FaultTest, RefusesWhatItDoesNotKnow) {
  for (const char* text : {"", " , ", "latency", "latency=-1s", "latency=forever", "latency=11m",
                           "bandwidth=-5", "bandwidth=fast", "black_hole=1", "reset=now",
                           "sideways.latency=1s", "up.none", "jitter=5ms"}) {
    EXPECT_THAT(ParseFault(text), StatusIs(absl::StatusCode::kInvalidArgument)) << text;
  }
}

TEST(FaultTest, SchedulesAreStepsAfterThePreviousOne) {
  ASSERT_OK_AND_ASSIGN(std::vector<FaultStep> steps,
                       ParseSchedule("1s:black_hole; 250ms:none;0s:reset,reset_new;"));
  ASSERT_THAT(steps, SizeIs(3));
  EXPECT_EQ(steps[0].after, absl::Seconds(1));
  EXPECT_TRUE(steps[0].fault.up.black_hole);
  EXPECT_EQ(steps[1].after, absl::Milliseconds(250));
  EXPECT_EQ(steps[1].fault, Fault());
  EXPECT_EQ(steps[2].after, absl::ZeroDuration());
  EXPECT_TRUE(steps[2].fault.reset_current);
}

TEST(FaultTest, RefusesBadSchedules) {
  EXPECT_THAT(ParseSchedule(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseSchedule("black_hole"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("DURATION:FAULT")));
  EXPECT_THAT(ParseSchedule("2h:none"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseSchedule("1s:wobble"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace summit::faultproxy
