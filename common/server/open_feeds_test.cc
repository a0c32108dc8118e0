#include "common/server/open_feeds.h"

#include <utility>
#include <vector>

#include "common/status/error.h"
#include "common/status/retry_info.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::server {
namespace {

using ::summit::testing::StatusIs;

TEST(OpenFeedsTest, OneCallerPastItsCapIsRefusedWhileOthersAreAdmitted) {
  OpenFeeds feeds({.per_caller = 2, .total = 10});
  std::vector<OpenFeeds::Admission> held;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<OpenFeeds::Admission> admitted = feeds.Admit("ip:10.0.0.7");
    ASSERT_TRUE(admitted.ok()) << admitted.status();
    held.push_back(*std::move(admitted));
  }
  const absl::StatusOr<OpenFeeds::Admission> refused = feeds.Admit("ip:10.0.0.7");
  EXPECT_THAT(refused.status(), StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(ReasonOf(refused.status()), "TOO_MANY_FEEDS");
  EXPECT_EQ(RetryDelayOf(refused.status()), OpenFeeds::kRetryDelay);
  EXPECT_TRUE(feeds.Admit("subject:people/umerov").ok());
  EXPECT_EQ(feeds.open_of("ip:10.0.0.7"), 2);
}

TEST(OpenFeedsTest, TheTotalCapHoldsWhateverTheCallers) {
  OpenFeeds feeds({.per_caller = 5, .total = 3});
  std::vector<OpenFeeds::Admission> held;
  for (const char* caller : {"ip:a", "ip:b", "ip:c"}) {
    absl::StatusOr<OpenFeeds::Admission> admitted = feeds.Admit(caller);
    ASSERT_TRUE(admitted.ok()) << admitted.status();
    held.push_back(*std::move(admitted));
  }
  EXPECT_THAT(feeds.Admit("ip:d").status(), StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(feeds.open(), 3);
}

TEST(OpenFeedsTest, AClosedFeedGivesItsPlaceBackOnceEvenWhenMoved) {
  OpenFeeds feeds({.per_caller = 1, .total = 1});
  {
    absl::StatusOr<OpenFeeds::Admission> admitted = feeds.Admit("ip:a");
    ASSERT_TRUE(admitted.ok());
    OpenFeeds::Admission moved = *std::move(admitted);
    OpenFeeds::Admission again = std::move(moved);
    EXPECT_EQ(feeds.open(), 1);
  }
  EXPECT_EQ(feeds.open(), 0);
  EXPECT_EQ(feeds.open_of("ip:a"), 0);
  EXPECT_TRUE(feeds.Admit("ip:b").ok());
}

TEST(OpenFeedsTest, ZeroMeansNoCap) {
  OpenFeeds feeds({.per_caller = 0, .total = 0});
  std::vector<OpenFeeds::Admission> held;
  for (int i = 0; i < 1000; ++i) {
    absl::StatusOr<OpenFeeds::Admission> admitted = feeds.Admit("ip:a");
    ASSERT_TRUE(admitted.ok());
    held.push_back(*std::move(admitted));
  }
  EXPECT_EQ(feeds.open(), 1000);
}

}  // namespace
}  // namespace summit::server
