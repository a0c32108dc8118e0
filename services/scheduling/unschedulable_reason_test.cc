// Tests of what a meeting request's people are told when the scheduler leaves it out: every
// reason in words, none naming a rule or a request, a pair rule told as a pair rule.
#include "services/scheduling/unschedulable_reason.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::scheduling {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(UnschedulableReasonTest, APairRuleIsToldAsOneWithoutItsNameOrReason) {
  const std::string told = UnschedulableReason(v1::UnplacedRequest::REASON_PAIR_RULE);
  EXPECT_THAT(told, HasSubstr("a pair rule forbids it"));
  EXPECT_THAT(told, Not(HasSubstr("pairRules/")));
}

TEST(UnschedulableReasonTest, EveryReasonIsASentenceNamingNothing) {
  for (int code = v1::UnplacedRequest::Reason_MIN; code <= v1::UnplacedRequest::Reason_MAX + 1;
       ++code) {
    const std::string told = UnschedulableReason(static_cast<v1::UnplacedRequest::Reason>(code));
    EXPECT_FALSE(told.empty()) << code;
    EXPECT_EQ(told.back(), '.') << told;
    EXPECT_THAT(told, Not(HasSubstr("/"))) << told;  // no resource name of any kind
  }
  EXPECT_THAT(UnschedulableReason(v1::UnplacedRequest::REASON_CROWDED_OUT),
              HasSubstr("fits on its own"));
}

}  // namespace
}  // namespace summit::scheduling
