#include "tools/faultproxy/fault.h"

#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace summit::faultproxy {
namespace {

absl::Status Invalid(absl::string_view item, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("fault \"", item, "\": ", why));
}

absl::StatusOr<absl::Duration> ParseBoundedDuration(absl::string_view item, absl::string_view text,
                                                    absl::Duration max) {
  absl::Duration duration;
  if (!absl::ParseDuration(text, &duration) || duration < absl::ZeroDuration() || duration > max) {
    return Invalid(item, absl::StrCat("expected a duration from 0 to ", absl::FormatDuration(max),
                                      ", such as 150ms or 2s"));
  }
  return duration;
}

// Applies one "name[=value]" item to the directions it names.
absl::Status ApplyItem(absl::string_view item, Fault& fault) {
  const std::pair<absl::string_view, absl::string_view> name_value =
      absl::StrSplit(item, absl::MaxSplits('=', 1));
  absl::string_view name = name_value.first;
  const absl::string_view value = name_value.second;
  const bool has_value = item.find('=') != absl::string_view::npos;

  if (name == "none" || name == "reset" || name == "reset_new") {
    if (has_value) return Invalid(item, "takes no value");
    if (name == "none") fault = Fault();
    if (name == "reset") fault.reset_current = true;
    if (name == "reset_new") fault.reset_new = true;
    return absl::OkStatus();
  }
  std::vector<DirectionFault*> directions = {&fault.up, &fault.down};
  if (absl::ConsumePrefix(&name, "up.")) {
    directions = {&fault.up};
  } else if (absl::ConsumePrefix(&name, "down.")) {
    directions = {&fault.down};
  }
  if (name == "black_hole") {
    if (has_value) return Invalid(item, "takes no value");
    for (DirectionFault* direction : directions) direction->black_hole = true;
    return absl::OkStatus();
  }
  if (!has_value)
    return Invalid(item,
                   "unknown; the items are none, reset, reset_new, latency=D, bandwidth=B, "
                   "black_hole, and the last three prefixed up. or down. for one direction");
  if (name == "latency") {
    absl::StatusOr<absl::Duration> latency = ParseBoundedDuration(item, value, kMaxLatency);
    if (!latency.ok()) return latency.status();
    for (DirectionFault* direction : directions) direction->latency = *latency;
    return absl::OkStatus();
  }
  if (name == "bandwidth") {
    int64_t bytes = 0;
    if (!absl::SimpleAtoi(value, &bytes) || bytes < 0) {
      return Invalid(item, "expected bytes per second, a whole number (0: unlimited)");
    }
    for (DirectionFault* direction : directions) direction->bytes_per_second = bytes;
    return absl::OkStatus();
  }
  return Invalid(item,
                 "unknown; the items are none, reset, reset_new, latency=D, bandwidth=B, "
                 "black_hole, and the last three prefixed up. or down. for one direction");
}

void AppendDirection(absl::string_view prefix, const DirectionFault& direction,
                     std::vector<std::string>& items) {
  if (direction.latency > absl::ZeroDuration()) {
    items.push_back(absl::StrCat(prefix, "latency=", absl::FormatDuration(direction.latency)));
  }
  if (direction.bytes_per_second > 0) {
    items.push_back(absl::StrCat(prefix, "bandwidth=", direction.bytes_per_second));
  }
  if (direction.black_hole) items.push_back(absl::StrCat(prefix, "black_hole"));
}

}  // namespace

absl::StatusOr<Fault> ParseFault(absl::string_view text) {
  Fault fault;
  bool any = false;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.empty()) continue;
    any = true;
    if (absl::Status applied = ApplyItem(item, fault); !applied.ok()) return applied;
  }
  if (!any) return Invalid(text, "empty; say \"none\" for no fault");
  return fault;
}

absl::StatusOr<std::vector<FaultStep>> ParseSchedule(absl::string_view text) {
  std::vector<FaultStep> steps;
  for (absl::string_view step_text : absl::StrSplit(text, ';')) {
    step_text = absl::StripAsciiWhitespace(step_text);
    if (step_text.empty()) continue;
    if (steps.size() >= kMaxScheduleSteps) {
      return absl::InvalidArgumentError(absl::StrCat("at most ", kMaxScheduleSteps, " steps"));
    }
    const size_t colon = step_text.find(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("schedule step \"", step_text, "\": expected DURATION:FAULT"));
    }
    FaultStep step;
    absl::StatusOr<absl::Duration> after = ParseBoundedDuration(
        step_text, absl::StripAsciiWhitespace(step_text.substr(0, colon)), kMaxStepDelay);
    if (!after.ok()) return after.status();
    step.after = *after;
    absl::StatusOr<Fault> fault = ParseFault(step_text.substr(colon + 1));
    if (!fault.ok()) return fault.status();
    step.fault = *fault;
    steps.push_back(step);
  }
  if (steps.empty()) return absl::InvalidArgumentError("the schedule has no step");
  return steps;
}

std::string FaultToString(const Fault& fault) {
  std::vector<std::string> items;
  // Both directions alike print once, without a prefix.
  if (fault.up == fault.down) {
    AppendDirection("", fault.up, items);
  } else {
    AppendDirection("up.", fault.up, items);
    AppendDirection("down.", fault.down, items);
  }
  if (fault.reset_current) items.push_back("reset");
  if (fault.reset_new) items.push_back("reset_new");
  if (items.empty()) return "none";
  return absl::StrJoin(items, ",");
}

}  // namespace summit::faultproxy
