#include "common/auth/token_cache.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"

namespace summit::auth {
namespace {

// Hash and equality over the token bytes, usable with a string_view for
// lookups. Equality compares the whole token in constant time: how long a
// lookup takes tells nothing about how much of a remembered token a guess
// got right.
struct TokenHash {
  using is_transparent = void;
  std::size_t operator()(absl::string_view token) const {
    return absl::Hash<absl::string_view>()(token);
  }
};
struct TokenEq {
  using is_transparent = void;
  bool operator()(absl::string_view a, absl::string_view b) const {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
  }
};

struct Entry {
  Principal principal;
  absl::Time accepted_from;
  absl::Time accepted_until;

  bool AcceptableAt(absl::Time now) const { return accepted_from <= now && now < accepted_until; }
};

}  // namespace

// Aligned apart so that the locks of two shards never share a cache line.
struct alignas(64) VerifiedTokenCache::Shard {
  mutable absl::Mutex mu;
  absl::flat_hash_map<std::string, Entry, TokenHash, TokenEq> entries ABSL_GUARDED_BY(mu);
};

VerifiedTokenCache::VerifiedTokenCache(Bounds bounds)
    : bounds_{std::max(1, bounds.shards), std::max(1, bounds.entries_per_shard),
              bounds.max_token_bytes},
      shards_(new Shard[static_cast<std::size_t>(bounds_.shards)]) {}

VerifiedTokenCache::~VerifiedTokenCache() = default;

VerifiedTokenCache::Shard& VerifiedTokenCache::ShardOf(absl::string_view token) const {
  // The high bits: the map inside the shard uses the low ones, and a shard
  // whose entries all shared them would probe worse.
  const std::size_t hash = TokenHash()(token);
  return shards_[(hash >> 40) % static_cast<std::size_t>(bounds_.shards)];
}

std::optional<Principal> VerifiedTokenCache::Find(absl::string_view token, absl::Time now) const {
  if (token.size() > bounds_.max_token_bytes) return std::nullopt;
  Shard& shard = ShardOf(token);
  absl::ReaderMutexLock lock(&shard.mu);
  const auto it = shard.entries.find(token);
  if (it == shard.entries.end() || !it->second.AcceptableAt(now)) return std::nullopt;
  return it->second.principal;
}

void VerifiedTokenCache::Remember(absl::string_view token, const VerifiedToken& verified,
                                  absl::Time now) {
  if (token.size() > bounds_.max_token_bytes) return;
  Entry entry{verified.principal, verified.accepted_from, verified.accepted_until};
  if (!entry.AcceptableAt(now)) return;
  Shard& shard = ShardOf(token);
  absl::MutexLock lock(&shard.mu);
  auto& entries = shard.entries;
  if (auto it = entries.find(token); it != entries.end()) {
    it->second = std::move(entry);
    return;
  }
  if (entries.size() >= static_cast<std::size_t>(bounds_.entries_per_shard)) {
    // Expired entries go first; then the one that would expire soonest.
    absl::erase_if(entries, [now](const auto& item) { return !item.second.AcceptableAt(now); });
    if (entries.size() >= static_cast<std::size_t>(bounds_.entries_per_shard)) {
      const auto soonest = std::min_element(
          entries.begin(), entries.end(), [](const auto& a, const auto& b) {
            return a.second.accepted_until < b.second.accepted_until;
          });
      entries.erase(soonest);
    }
  }
  entries.emplace(std::string(token), std::move(entry));
}

std::size_t VerifiedTokenCache::size() const {
  std::size_t total = 0;
  for (int i = 0; i < bounds_.shards; ++i) {
    absl::ReaderMutexLock lock(&shards_[i].mu);
    total += shards_[i].entries.size();
  }
  return total;
}

}  // namespace summit::auth
