// The cache of verified tokens, with an injected clock: served only inside
// a token's accepted window, bounded, never confusing two tokens, and safe
// under concurrent use. authenticator_test checks it through the
// Authenticator (the same answers as without it; a new key, a new cache).
#include "common/auth/token_cache.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace summit::auth {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1701864000);  // 2023-12-06 12:00Z

VerifiedToken Verified(absl::string_view subject, absl::Time until,
                       absl::Time from = absl::InfinitePast()) {
  return VerifiedToken{Principal{std::string(subject), Role::kDelegate}, from, until};
}

TEST(VerifiedTokenCacheTest, UnknownTokenIsAMiss) {
  VerifiedTokenCache cache;
  EXPECT_FALSE(cache.Find("a.b.c", kNow).has_value());
}

TEST(VerifiedTokenCacheTest, RememberedTokenIsServedUntilJustBeforeExp) {
  VerifiedTokenCache cache;
  const absl::Time exp = kNow + absl::Minutes(10);
  cache.Remember("a.b.c", Verified("people/a", exp), kNow);
  std::optional<Principal> hit = cache.Find("a.b.c", kNow);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(*hit, (Principal{"people/a", Role::kDelegate}));
  EXPECT_TRUE(cache.Find("a.b.c", exp - absl::Nanoseconds(1)).has_value());
  // At exactly exp VerifyToken refuses (no leeway), so the cache has no answer.
  EXPECT_FALSE(cache.Find("a.b.c", exp).has_value());
  EXPECT_FALSE(cache.Find("a.b.c", exp + absl::Hours(1)).has_value());
}

TEST(VerifiedTokenCacheTest, NotServedBeforeItsWindowOpens) {
  VerifiedTokenCache cache;
  const absl::Time from = kNow - absl::Seconds(5);
  cache.Remember("a.b.c", Verified("people/a", kNow + absl::Hours(1), from), kNow);
  EXPECT_TRUE(cache.Find("a.b.c", from).has_value());
  // A clock that went back (or another caller's older "now").
  EXPECT_FALSE(cache.Find("a.b.c", from - absl::Nanoseconds(1)).has_value());
}

TEST(VerifiedTokenCacheTest, TokenNotAcceptableNowIsNotRemembered) {
  VerifiedTokenCache cache;
  cache.Remember("expired", Verified("people/a", kNow), kNow);
  cache.Remember("early", Verified("people/a", kNow + absl::Hours(1), kNow + absl::Seconds(1)),
                 kNow);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VerifiedTokenCacheTest, DifferentTokensAreNeverConfused) {
  VerifiedTokenCache cache;
  const absl::Time exp = kNow + absl::Hours(1);
  // Tokens that differ in one byte, by length only, or as prefixes.
  const std::vector<std::string> tokens = {"abc.def.ghi", "abc.def.ghj", "abc.def.gh",
                                           "abc.def.ghi.", "Abc.def.ghi", ""};
  for (size_t i = 0; i < tokens.size(); ++i) {
    cache.Remember(tokens[i], Verified(absl::StrCat("people/p", i), exp), kNow);
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::optional<Principal> hit = cache.Find(tokens[i], kNow);
    ASSERT_TRUE(hit.has_value()) << tokens[i];
    EXPECT_EQ(hit->subject, absl::StrCat("people/p", i)) << tokens[i];
  }
  EXPECT_FALSE(cache.Find("abc.def.gh!", kNow).has_value());
  EXPECT_FALSE(cache.Find("abc.def", kNow).has_value());
}

TEST(VerifiedTokenCacheTest, RememberingAgainReplaces) {
  VerifiedTokenCache cache;
  cache.Remember("t", Verified("people/a", kNow + absl::Minutes(1)), kNow);
  cache.Remember("t", Verified("people/a", kNow + absl::Minutes(2)), kNow);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.Find("t", kNow + absl::Seconds(90)).has_value());
}

TEST(VerifiedTokenCacheTest, LongTokensAreNeverRemembered) {
  VerifiedTokenCache cache({.shards = 1, .entries_per_shard = 4, .max_token_bytes = 8});
  cache.Remember("12345678", Verified("people/a", kNow + absl::Hours(1)), kNow);
  cache.Remember("123456789", Verified("people/a", kNow + absl::Hours(1)), kNow);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.Find("12345678", kNow).has_value());
  EXPECT_FALSE(cache.Find("123456789", kNow).has_value());
}

TEST(VerifiedTokenCacheTest, FullCacheDropsExpiredEntriesFirst) {
  VerifiedTokenCache cache({.shards = 1, .entries_per_shard = 3});
  cache.Remember("short", Verified("people/s", kNow + absl::Seconds(10)), kNow);
  cache.Remember("long-1", Verified("people/l1", kNow + absl::Hours(1)), kNow);
  cache.Remember("long-2", Verified("people/l2", kNow + absl::Hours(2)), kNow);
  const absl::Time later = kNow + absl::Minutes(1);  // "short" has expired
  cache.Remember("new", Verified("people/n", kNow + absl::Hours(3)), later);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.Find("long-1", later).has_value());
  EXPECT_TRUE(cache.Find("long-2", later).has_value());
  EXPECT_TRUE(cache.Find("new", later).has_value());
}

TEST(VerifiedTokenCacheTest, FullCacheEvictsTheSoonestToExpireAtTheBound) {
  VerifiedTokenCache cache({.shards = 1, .entries_per_shard = 4});
  for (int i = 0; i < 4; ++i) {
    cache.Remember(absl::StrCat("t", i), Verified("people/a", kNow + absl::Hours(10 - i)), kNow);
  }
  EXPECT_EQ(cache.size(), 4u);
  cache.Remember("t4", Verified("people/a", kNow + absl::Hours(20)), kNow);
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_FALSE(cache.Find("t3", kNow).has_value());  // expired soonest (kNow + 7h)
  for (const char* kept : {"t0", "t1", "t2", "t4"}) {
    EXPECT_TRUE(cache.Find(kept, kNow).has_value()) << kept;
  }
}

TEST(VerifiedTokenCacheTest, NeverHoldsMoreThanItsBound) {
  const VerifiedTokenCache::Bounds bounds{.shards = 4, .entries_per_shard = 8};
  VerifiedTokenCache cache(bounds);
  for (int i = 0; i < 1000; ++i) {
    cache.Remember(absl::StrCat("token-", i), Verified("people/a", kNow + absl::Hours(1)), kNow);
    ASSERT_LE(cache.size(), 32u);
  }
  EXPECT_GT(cache.size(), 0u);
  // The newest is always there: it was just put in.
  EXPECT_TRUE(cache.Find("token-999", kNow).has_value());
}

// Many threads reading one hot token and adding their own; run under the
// sanitizer build too (TSan/ASan find what a plain run cannot).
TEST(VerifiedTokenCacheTest, ConcurrentUseGivesEachTokenItsOwnPrincipal) {
  VerifiedTokenCache cache({.shards = 4, .entries_per_shard = 16});
  const absl::Time exp = kNow + absl::Hours(1);
  cache.Remember("hot", Verified("people/hot", exp), kNow);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string mine = absl::StrCat("t", t, "-", i % 50);
        const std::string subject = absl::StrCat("people/t", t, "-", i % 50);
        cache.Remember(mine, Verified(subject, exp), kNow);
        if (std::optional<Principal> hit = cache.Find(mine, kNow);
            hit.has_value() && hit->subject != subject) {
          ++wrong;
        }
        std::optional<Principal> hot = cache.Find("hot", kNow);
        if (hot.has_value() && hot->subject != "people/hot") ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace summit::auth
