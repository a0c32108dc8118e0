#include "services/scheduling/schedule_problem.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace summit::scheduling {
namespace {

absl::Status Invalid(absl::string_view what) { return absl::InvalidArgumentError(what); }

std::string Show(const TimeInterval& interval) {
  return absl::StrCat("[", absl::FormatTime(absl::RFC3339_sec, interval.start, absl::UTCTimeZone()),
                      ", ", absl::FormatTime(absl::RFC3339_sec, interval.end, absl::UTCTimeZone()),
                      ")");
}

// Busy intervals may be empty (a zero-length hold is harmless) but never inverted.
absl::Status CheckBusy(const std::vector<TimeInterval>& busy, absl::string_view owner) {
  for (const TimeInterval& interval : busy) {
    if (interval.end < interval.start) {
      return Invalid(
          absl::StrCat("busy interval ", Show(interval), " of ", owner, " ends before it starts"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Duration HeldDuration(absl::Duration duration, absl::Duration slot_length) {
  if (duration <= absl::ZeroDuration() || slot_length <= absl::ZeroDuration()) return duration;
  absl::Duration remainder;
  const int64_t whole = absl::IDivDuration(duration, slot_length, &remainder);
  return slot_length * (whole + (remainder > absl::ZeroDuration() ? 1 : 0));
}

absl::Status ValidateScheduleProblem(const ScheduleProblem& problem) {
  if (problem.slot_length <= absl::ZeroDuration()) return Invalid("slot length must be positive");
  if (problem.buffer < absl::ZeroDuration()) return Invalid("buffer must not be negative");

  std::vector<TimeInterval> windows = problem.windows;
  for (const TimeInterval& window : windows) {
    if (window.end <= window.start) {
      return Invalid(absl::StrCat("window ", Show(window), " is empty or inverted"));
    }
  }
  // Count slots the way the grid does: per merged window (see schedule_problem.h).
  std::sort(windows.begin(), windows.end(),
            [](const TimeInterval& a, const TimeInterval& b) { return a.start < b.start; });
  int64_t slots = 0;
  for (size_t i = 0; i < windows.size();) {
    TimeInterval merged = windows[i];
    for (++i; i < windows.size() && windows[i].start <= merged.end; ++i) {
      merged.end = std::max(merged.end, windows[i].end);
    }
    absl::Duration remainder;
    slots += absl::IDivDuration(merged.end - merged.start, problem.slot_length, &remainder);
    if (slots > kMaxHorizonSlots) {
      return Invalid(absl::StrCat("the horizon has more than ", kMaxHorizonSlots, " slots"));
    }
  }

  absl::flat_hash_set<std::string> room_ids;
  for (const ScheduleRoom& room : problem.rooms) {
    if (room.id.empty()) return Invalid("a room has no id");
    if (!room_ids.insert(room.id).second)
      return Invalid(absl::StrCat("room ", room.id, " is repeated"));
    if (room.capacity < 1) return Invalid(absl::StrCat("room ", room.id, " has capacity below 1"));
    if (absl::Status s = CheckBusy(room.busy, room.id); !s.ok()) return s;
  }
  for (const PersonBusy& person : problem.people) {
    if (person.person_id.empty()) return Invalid("a busy list has no person id");
    if (absl::Status s = CheckBusy(person.busy, person.person_id); !s.ok()) return s;
  }
  for (const SchedulePairRule& rule : problem.pair_rules) {
    if (rule.organization_a.empty() || rule.organization_b.empty()) {
      return Invalid(absl::StrCat("pair rule ", rule.id, " names an empty organization"));
    }
    if (rule.organization_a == rule.organization_b) {
      return Invalid(absl::StrCat("pair rule ", rule.id, " names ", rule.organization_a, " twice"));
    }
  }
  absl::flat_hash_set<std::string> request_ids;
  for (const ScheduleRequest& request : problem.requests) {
    if (request.id.empty()) return Invalid("a request has no id");
    if (!request_ids.insert(request.id).second) {
      return Invalid(absl::StrCat("request ", request.id, " is repeated"));
    }
  }
  return absl::OkStatus();
}

std::vector<TimeInterval> DailyWindowsInZone(absl::CivilDay first, absl::CivilDay last,
                                             int hour_from, int hour_to, absl::TimeZone zone) {
  std::vector<TimeInterval> windows;
  if (hour_from >= hour_to) return windows;
  for (absl::CivilDay day = first; day <= last; ++day) {
    // CivilSecond normalizes hour 24 to the next midnight.
    const absl::CivilSecond from(day.year(), day.month(), day.day(), hour_from, 0, 0);
    const absl::CivilSecond to(day.year(), day.month(), day.day(), hour_to, 0, 0);
    windows.push_back({zone.At(from).pre, zone.At(to).pre});
  }
  return windows;
}

}  // namespace summit::scheduling
