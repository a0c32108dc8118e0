#include "services/statements/embargo_lifter.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "common/observability/log.h"

namespace summit::statements {
namespace {

// However quiet things are, look at least this often (a clock that jumps,
// another replica that published).
constexpr absl::Duration kLongestSleep = absl::Seconds(5);

}  // namespace

EmbargoLifter::EmbargoLifter(Statements& statements, FeedHub& feed,
                             OutgoingContextFactory own_calls, absl::Duration refresh_interval)
    : statements_(statements),
      feed_(feed),
      own_calls_(std::move(own_calls)),
      refresh_interval_(refresh_interval) {
  subscription_ = feed_.Subscribe([this] {
    absl::MutexLock lock(&mu_);
    woken_ = true;
  });
  thread_ = std::thread([this] { Run(); });
}

EmbargoLifter::~EmbargoLifter() {
  feed_.Unsubscribe(subscription_);
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::Time EmbargoLifter::Round(absl::Time& next_refresh) {
  const absl::Time now = statements_.Now();
  if (now >= next_refresh) {
    absl::Status refreshed = statements_.RefreshEmbargoSessions(own_calls_);
    if (!refreshed.ok()) log::Warning("embargo sessions not refreshed", {{"error", refreshed.ToString()}});
    next_refresh = now + refresh_interval_;
  }
  absl::StatusOr<int> lifted = statements_.LiftDueEmbargoes(own_calls_);
  if (!lifted.ok()) {
    log::Warning("embargoes not lifted", {{"error", lifted.status().ToString()}});
    return now + absl::Seconds(1);
  }
  absl::StatusOr<std::optional<absl::Time>> next = statements_.NextEmbargoCheck();
  absl::Time wake = std::min(now + kLongestSleep, next_refresh);
  if (next.ok() && next->has_value()) wake = std::min(wake, **next);
  return wake;
}

void EmbargoLifter::Run() {
  absl::Time next_refresh = absl::InfinitePast();
  while (true) {
    const absl::Time wake = Round(next_refresh);
    absl::MutexLock lock(&mu_);
    const auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return woken_ || stopping_; };
    const absl::Duration wait = wake - statements_.Now();
    if (wait > absl::ZeroDuration()) {
      mu_.AwaitWithTimeout(absl::Condition(&ready), wait);
    }
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace summit::statements
