#include "common/server/open_feeds.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/error.h"
#include "common/status/retry_info.h"

namespace summit::server {
namespace {

absl::Status TooManyFeeds(absl::string_view message) {
  return WithRetryDelay(
      ErrorWithReason(absl::StatusCode::kResourceExhausted, "TOO_MANY_FEEDS", message),
      OpenFeeds::kRetryDelay);
}

}  // namespace

OpenFeeds::Admission::Admission(Admission&& other) noexcept
    : feeds_(std::exchange(other.feeds_, nullptr)), caller_(std::move(other.caller_)) {}

OpenFeeds::Admission& OpenFeeds::Admission::operator=(Admission&& other) noexcept {
  if (this != &other) {
    Release();
    feeds_ = std::exchange(other.feeds_, nullptr);
    caller_ = std::move(other.caller_);
  }
  return *this;
}

void OpenFeeds::Admission::Release() {
  if (feeds_ == nullptr) return;
  std::exchange(feeds_, nullptr)->Release(caller_);
}

absl::StatusOr<OpenFeeds::Admission> OpenFeeds::Admit(const std::string& caller) {
  absl::MutexLock lock(&mu_);
  if (caps_.total > 0 && open_ >= caps_.total) {
    return TooManyFeeds(absl::StrCat("this server holds its most live feeds (", caps_.total,
                                     ") open; try again later"));
  }
  int& of_caller = open_by_caller_[caller];
  if (caps_.per_caller > 0 && of_caller >= caps_.per_caller) {
    return TooManyFeeds(absl::StrCat("this caller holds its most live feeds (", caps_.per_caller,
                                     ") open; close one first"));
  }
  ++of_caller;
  ++open_;
  return Admission(this, caller);
}

void OpenFeeds::Release(const std::string& caller) {
  absl::MutexLock lock(&mu_);
  --open_;
  const auto it = open_by_caller_.find(caller);
  if (it != open_by_caller_.end() && --it->second <= 0) open_by_caller_.erase(it);
}

int OpenFeeds::open() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

int OpenFeeds::open_of(const std::string& caller) const {
  absl::MutexLock lock(&mu_);
  const auto it = open_by_caller_.find(caller);
  return it == open_by_caller_.end() ? 0 : it->second;
}

}  // namespace summit::server
