// Backend answers a view may reuse for a while instead of asking again: facts
// that rarely change and that every caller who may read them reads alike (an
// event, the list of organizations). An answer is served for at most
// `max_age` after it was fetched, never later; at most `max_entries` are
// held, so memory stays bounded whatever names callers ask for (an answer
// past its age, then the oldest, make room).
//
//   RecentAnswers<rv1::Event> events({.max_age = absl::Seconds(5), .max_entries = 256});
//   if (std::shared_ptr<const rv1::Event> event = events.Find("events/udib-2023")) …
//   events.Put("events/udib-2023", fetched_event);
//
// Thread-safe.
#ifndef SUMMIT_GATEWAY_VIEWS_RECENT_ANSWERS_H_
#define SUMMIT_GATEWAY_VIEWS_RECENT_ANSWERS_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace summit::gateway {

struct RecentAnswersOptions {
  // How long an answer is served after it was fetched; zero: never (no caching).
  absl::Duration max_age = absl::Seconds(5);
  // How many answers are held at most.
  size_t max_entries = 256;
  // What time it is (tests move it by hand).
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

template <typename Answer>
class RecentAnswers {
 public:
  explicit RecentAnswers(RecentAnswersOptions options) : options_(std::move(options)) {}

  // The answer for `key` fetched less than max_age ago, or null.
  std::shared_ptr<const Answer> Find(absl::string_view key) const {
    const absl::Time now = options_.clock();
    absl::MutexLock lock(&mu_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || !Fresh(it->second, now)) return nullptr;
    return it->second.answer;
  }

  // Keeps `answer`, fetched now, for `key`.
  void Put(absl::string_view key, Answer answer) {
    if (options_.max_age <= absl::ZeroDuration() || options_.max_entries == 0) return;
    const absl::Time now = options_.clock();
    auto shared = std::make_shared<const Answer>(std::move(answer));
    absl::MutexLock lock(&mu_);
    if (entries_.size() >= options_.max_entries && !entries_.contains(key)) MakeRoom(now);
    entries_[key] = Entry{std::move(shared), now};
  }

  size_t size() const {
    absl::MutexLock lock(&mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::shared_ptr<const Answer> answer;
    absl::Time fetched;
  };

  bool Fresh(const Entry& entry, absl::Time now) const {
    return now - entry.fetched < options_.max_age;
  }

  // Drops every answer past its age; when none is, the oldest one.
  void MakeRoom(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const size_t before = entries_.size();
    absl::erase_if(entries_, [&](const auto& entry) { return !Fresh(entry.second, now); });
    if (entries_.size() < before) return;
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.fetched < oldest->second.fetched) oldest = it;
    }
    entries_.erase(oldest);
  }

  const RecentAnswersOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_VIEWS_RECENT_ANSWERS_H_
