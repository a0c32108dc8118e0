#include "gateway/rate_limiter.h"

#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "gtest/gtest.h"

namespace summit::gateway {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1701864000);

TEST(RateLimiterTest, BurstThenRefusedWithTheWaitThenRefilled) {
  RateLimiter limiter({.per_second = 2, .burst = 3});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("ip:a", kStart), std::nullopt) << i;
  std::optional<absl::Duration> wait = limiter.Take("ip:a", kStart);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Milliseconds(500));
  // Another caller has a bucket of its own.
  EXPECT_EQ(limiter.Take("ip:b", kStart), std::nullopt);
  // Half a second later one call is allowed again, not two.
  EXPECT_EQ(limiter.Take("ip:a", kStart + absl::Milliseconds(500)), std::nullopt);
  EXPECT_TRUE(limiter.Take("ip:a", kStart + absl::Milliseconds(500)).has_value());
}

TEST(RateLimiterTest, OffWithoutARate) {
  RateLimiter limiter({.per_second = 0, .burst = 1});
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Take("ip:a", kStart), std::nullopt);
}

TEST(RateLimiterTest, ManyIdleCallersAreForgotten) {
  RateLimiter limiter({.per_second = 1000, .burst = 1});
  for (int i = 0; i < 5000; ++i) {
    (void)limiter.Take("ip:" + std::to_string(i), kStart + absl::Seconds(i));
  }
  // A caller seen long ago starts afresh, with a full bucket.
  EXPECT_EQ(limiter.Take("ip:0", kStart + absl::Seconds(6000)), std::nullopt);
}

TEST(RateLimitKeyTest, VerifiedSubjectElseClientAddress) {
  const std::string key(32, 'k');
  auth::Authenticator authenticator(key);
  const std::string token =
      auth::MintToken({"people/umerov", auth::Role::kDelegate}, absl::Hours(1), key, absl::Now());
  EXPECT_EQ(RateLimitKey("Bearer " + token, "ipv4:10.0.0.7:5555", authenticator),
            "subject:people/umerov");
  // A token signed with another key buys no bucket of its own.
  const std::string forged = auth::MintToken({"people/someone", auth::Role::kDelegate},
                                             absl::Hours(1), std::string(32, 'x'), absl::Now());
  EXPECT_EQ(RateLimitKey("Bearer " + forged, "ipv4:10.0.0.7:5555", authenticator), "ip:10.0.0.7");
  EXPECT_EQ(RateLimitKey("", "ipv6:[::1]:443", authenticator), "ip:::1");
  EXPECT_EQ(RateLimitKey("", "192.0.2.1", authenticator), "ip:192.0.2.1");
}

TEST(CallerLimitsTest, OneBucketPerCallerWhicheverWayIn) {
  const std::string key(32, 'k');
  auth::Authenticator authenticator(key);
  RateLimiter limiter({.per_second = 0.001, .burst = 2});
  const CallerLimits limits(&limiter, &authenticator);
  const std::string bearer =
      "Bearer " +
      auth::MintToken({"people/umerov", auth::Role::kDelegate}, absl::Hours(1), key, absl::Now());
  // One subject's calls share a bucket from any address (gRPC peer or HTTP client).
  EXPECT_EQ(limits.Take(bearer, "ipv4:10.0.0.7:5555"), std::nullopt);
  EXPECT_EQ(limits.Take(bearer, "10.0.0.8"), std::nullopt);
  EXPECT_TRUE(limits.Take(bearer, "ipv6:[::1]:443").has_value());
  // Another caller is unaffected.
  EXPECT_EQ(limits.Take("", "ipv4:10.0.0.7:5555"), std::nullopt);
}

TEST(CallerLimitsTest, NoLimitWithoutALimiterOrARate) {
  auth::Authenticator authenticator(std::string(32, 'k'));
  RateLimiter off({.per_second = 0, .burst = 1});
  for (const CallerLimits& limits :
       {CallerLimits(), CallerLimits(&off, &authenticator), CallerLimits(nullptr, &authenticator)}) {
    EXPECT_FALSE(limits.enabled());
    for (int i = 0; i < 10; ++i) EXPECT_EQ(limits.Take("", "ipv4:10.0.0.7:1"), std::nullopt);
  }
}

}  // namespace
}  // namespace summit::gateway
