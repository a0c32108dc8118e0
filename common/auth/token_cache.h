// Tokens already verified against one key, so that a caller who presents
// the same token on every call has it checked (base64, HMAC, JSON) once,
// not on every call. Only accepted tokens are remembered: a refusal is
// recomputed every time, so nothing a stranger sends without the key ever
// takes a place in the cache.
//
//   VerifiedTokenCache cache;  // one per key: Authenticator owns it with the key
//   if (std::optional<Principal> hit = cache.Find(token, now)) return *hit;
//   absl::StatusOr<VerifiedToken> verified = VerifyTokenWithLifetime(token, key, now);
//   if (verified.ok()) cache.Remember(token, *verified, now);
//
// Guarantees:
// - The answer is the one VerifyToken would give: an entry is served only
//   at a `now` inside the token's accepted window (jwt.h's VerifiedToken),
//   so never at or after its `exp`, nor before its `nbf` (less the leeway).
// - Keyed by the exact token bytes: the whole token is compared (in
//   constant time), not only its hash, so two tokens are never confused.
// - Bounded: at most shards * entries_per_shard entries, each holding a
//   token of at most max_token_bytes (longer ones are verified every time,
//   never remembered) and its subject (at most ~140 bytes). The defaults,
//   16 * 256 = 4,096 entries of at most 1 KiB of token, stay under about
//   6 MiB in the worst case; Summit's ~200-byte tokens take ~2 MiB when
//   it is full. When a shard is full, entries no longer acceptable go
//   first, then the one whose token expires soonest.
// - No key in it: a cache serves one key, and a new key gets a new, empty
//   cache (Authenticator keeps the two together).
//
// Thread-safe. Lookups take a shard's lock shared, so callers presenting
// the same token do not wait for one another; tokens spread over shards by
// hash so that inserts of different callers rarely meet.
#ifndef SUMMIT_COMMON_AUTH_TOKEN_CACHE_H_
#define SUMMIT_COMMON_AUTH_TOKEN_CACHE_H_

#include <cstddef>
#include <memory>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"

namespace summit::auth {

class VerifiedTokenCache {
 public:
  struct Bounds {
    int shards = 16;
    int entries_per_shard = 256;
    std::size_t max_token_bytes = 1024;
  };

  VerifiedTokenCache() : VerifiedTokenCache(Bounds()) {}
  explicit VerifiedTokenCache(Bounds bounds);
  ~VerifiedTokenCache();
  VerifiedTokenCache(const VerifiedTokenCache&) = delete;
  VerifiedTokenCache& operator=(const VerifiedTokenCache&) = delete;

  // Whom `token` stands for, when it was remembered and `now` lies in its
  // accepted window; nullopt otherwise (then verify it).
  std::optional<Principal> Find(absl::string_view token, absl::Time now) const;

  // Remembers that `token` verified as `verified`, unless it is longer than
  // max_token_bytes or no longer acceptable at `now`.
  void Remember(absl::string_view token, const VerifiedToken& verified, absl::Time now);

  // Entries held, for tests and the bound.
  std::size_t size() const;

 private:
  struct Shard;
  Shard& ShardOf(absl::string_view token) const;

  const Bounds bounds_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace summit::auth

#endif  // SUMMIT_COMMON_AUTH_TOKEN_CACHE_H_
