#include "gateway/views/recent_answers.h"

#include <string>

#include "gtest/gtest.h"

namespace summit::gateway {
namespace {

// A clock the test moves by hand: the bound is shown without waiting.
struct HandClock {
  absl::Time now = absl::FromUnixSeconds(1701820800);
  std::function<absl::Time()> Read() {
    return [this] { return now; };
  }
};

TEST(RecentAnswersTest, AnAnswerIsServedForLessThanItsMaxAgeAndNeverAfter) {
  HandClock clock;
  RecentAnswers<std::string> answers(
      {.max_age = absl::Seconds(5), .max_entries = 8, .clock = clock.Read()});
  EXPECT_EQ(answers.Find("events/udib-2023"), nullptr);
  answers.Put("events/udib-2023", "Ukraine Defense Industrial Base Summit");
  clock.now += absl::Seconds(5) - absl::Nanoseconds(1);
  ASSERT_NE(answers.Find("events/udib-2023"), nullptr);
  EXPECT_EQ(*answers.Find("events/udib-2023"), "Ukraine Defense Industrial Base Summit");
  clock.now += absl::Nanoseconds(1);
  EXPECT_EQ(answers.Find("events/udib-2023"), nullptr);
  // A new answer starts its own age.
  answers.Put("events/udib-2023", "renamed");
  EXPECT_EQ(*answers.Find("events/udib-2023"), "renamed");
}

TEST(RecentAnswersTest, AZeroMaxAgeKeepsNothing) {
  RecentAnswers<std::string> answers({.max_age = absl::ZeroDuration()});
  answers.Put("events/udib-2023", "x");
  EXPECT_EQ(answers.Find("events/udib-2023"), nullptr);
  EXPECT_EQ(answers.size(), 0u);
}

TEST(RecentAnswersTest, HoldsAtMostMaxEntriesDroppingStaleThenOldest) {
  HandClock clock;
  RecentAnswers<std::string> answers(
      {.max_age = absl::Seconds(5), .max_entries = 3, .clock = clock.Read()});
  for (int i = 0; i < 100; ++i) {
    answers.Put("events/e" + std::to_string(i), "x");
    clock.now += absl::Milliseconds(10);
    EXPECT_LE(answers.size(), 3u);
  }
  // The newest three are the ones kept.
  EXPECT_NE(answers.Find("events/e99"), nullptr);
  EXPECT_NE(answers.Find("events/e97"), nullptr);
  EXPECT_EQ(answers.Find("events/e96"), nullptr);
  // Stale ones make room first.
  clock.now += absl::Seconds(10);
  answers.Put("events/new", "x");
  EXPECT_EQ(answers.size(), 1u);
}

TEST(RecentAnswersTest, AnAnswerHandedOutOutlivesItsReplacement) {
  RecentAnswers<std::string> answers({.max_age = absl::Seconds(5), .max_entries = 1});
  answers.Put("a", "first");
  std::shared_ptr<const std::string> held = answers.Find("a");
  answers.Put("b", "second");  // drops "a"
  EXPECT_EQ(*held, "first");
}

}  // namespace
}  // namespace summit::gateway
