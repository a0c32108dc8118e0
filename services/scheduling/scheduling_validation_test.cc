#include "services/scheduling/scheduling_validation.h"

#include <climits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

google::type::TimeOfDay At(int hours, int minutes = 0) {
  google::type::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

v1::ScheduleOptions Options(google::type::TimeOfDay start, google::type::TimeOfDay end) {
  v1::ScheduleOptions options;
  *options.mutable_daily_start() = start;
  *options.mutable_daily_end() = end;
  return options;
}

TEST(ValidateScheduleOptionsTest, AcceptsAWorkingDay) {
  EXPECT_THAT(ValidateScheduleOptions(Options(At(9), At(18, 30)), "options"), IsEmpty());
}

TEST(ValidateScheduleOptionsTest, EndMustFollowStart) {
  EXPECT_THAT(ValidateScheduleOptions(Options(At(18), At(9)), "options"),
              ElementsAre(Field(&FieldViolation::field, "options.daily_end")));
}

// Regression (fuzz/corpus/scheduling_validation_fuzzer/regression-daily-start-hours-overflow):
// hours are any int32 a client sends; they were multiplied by 60 before being checked, which
// overflowed. Each bad time is one violation, and no order is claimed between them.
TEST(ValidateScheduleOptionsTest, ExtremeHoursAreViolationsNotOverflow) {
  EXPECT_THAT(ValidateScheduleOptions(Options(At(INT_MAX, 59), At(INT_MIN)), "options"),
              ElementsAre(Field(&FieldViolation::field, "options.daily_start"),
                          Field(&FieldViolation::field, "options.daily_end")));
  EXPECT_THAT(ValidateScheduleOptions(Options(At(9), At(INT_MIN)), "options"),
              ElementsAre(Field(&FieldViolation::field, "options.daily_end")));
}

}  // namespace
}  // namespace summit::scheduling
