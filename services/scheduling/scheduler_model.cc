#include "services/scheduling/scheduler_model.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace summit::scheduling {
namespace {

std::string ShowDuration(absl::Duration d) { return absl::FormatDuration(d); }

// Slots whose time overlaps [from, to).
SlotSet SlotsOverlapping(const ScheduleModel& model, absl::Time from, absl::Time to) {
  SlotSet slots = model.EmptySet();
  // slot_start and slot ends both ascend, so the overlapping slots are one index range.
  const auto& starts = model.slot_start;
  const int lo = static_cast<int>(
      std::upper_bound(starts.begin(), starts.end(), from - model.slot_length) - starts.begin());
  const int hi =
      static_cast<int>(std::lower_bound(starts.begin(), starts.end(), to) - starts.begin());
  slots.SetRange(lo, hi);
  return slots;
}

void BuildGrid(const ScheduleProblem& problem, ScheduleModel& model) {
  model.slot_length = problem.slot_length;
  model.buffer = problem.buffer;
  std::vector<TimeInterval> windows = problem.windows;
  std::sort(windows.begin(), windows.end(), [](const TimeInterval& a, const TimeInterval& b) {
    return a.start < b.start || (a.start == b.start && a.end < b.end);
  });
  for (size_t i = 0; i < windows.size();) {
    TimeInterval merged = windows[i];
    for (++i; i < windows.size() && windows[i].start <= merged.end; ++i) {
      merged.end = std::max(merged.end, windows[i].end);
    }
    bool any = false;
    for (absl::Time t = merged.start; t + model.slot_length <= merged.end; t += model.slot_length) {
      model.slot_start.push_back(t);
      model.window_of_slot.push_back(model.num_windows);
      any = true;
    }
    if (any) ++model.num_windows;
  }
  const int n = model.num_slots();
  const absl::Duration length = model.slot_length, buffer = model.buffer;
  model.zone_from.resize(n);
  model.zone_to.resize(n);
  const auto& starts = model.slot_start;
  for (int s = 0; s < n; ++s) {
    // Slot t is in the zone when t_start < end + buffer and t_start + length > start - buffer.
    model.zone_from[s] = static_cast<int>(
        std::upper_bound(starts.begin(), starts.end(), starts[s] - buffer - length) -
        starts.begin());
    model.zone_to[s] = static_cast<int>(
        std::lower_bound(starts.begin(), starts.end(), starts[s] + length + buffer) -
        starts.begin());
  }
}

int LongestWindowSlots(const ScheduleModel& model) {
  int longest = 0;
  for (int s = 0, run = 0; s < model.num_slots(); ++s) {
    run = (s > 0 && model.window_of_slot[s] == model.window_of_slot[s - 1]) ? run + 1 : 1;
    longest = std::max(longest, run);
  }
  return longest;
}

// The unordered pair of organizations as a key.
std::pair<std::string, std::string> PairKey(const std::string& a, const std::string& b) {
  return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

void MarkUnplaceable(ModelRequest& request, UnplacedReason reason, std::string explanation) {
  request.placeable = false;
  request.reason = reason;
  request.explanation = std::move(explanation);
}

}  // namespace

SlotSet ScheduleModel::StaticFreeStarts(const ModelRequest& request) const {
  SlotSet blocked = EmptySet();
  for (int p : request.attendees) blocked |= people[p].static_blocked;
  return blocked.Complement().RunStarts(request.slots) & valid_starts[request.slots];
}

ScheduleModel BuildScheduleModel(const ScheduleProblem& problem) {
  ScheduleModel model;
  BuildGrid(problem, model);
  const int n = model.num_slots();
  const int longest_window = LongestWindowSlots(model);

  // People: everyone with busy intervals or in a request, by id.
  std::vector<std::string> person_ids;
  for (const PersonBusy& person : problem.people) person_ids.push_back(person.person_id);
  for (const ScheduleRequest& request : problem.requests) {
    for (const std::string& id : request.attendees) {
      if (!id.empty()) person_ids.push_back(id);
    }
  }
  std::sort(person_ids.begin(), person_ids.end());
  person_ids.erase(std::unique(person_ids.begin(), person_ids.end()), person_ids.end());
  absl::flat_hash_map<std::string, int> person_index;
  for (const std::string& id : person_ids) {
    person_index.emplace(id, static_cast<int>(model.people.size()));
    model.people.push_back({id, model.EmptySet()});
  }
  for (const PersonBusy& person : problem.people) {
    SlotSet& blocked = model.people[person_index.at(person.person_id)].static_blocked;
    for (const TimeInterval& busy : person.busy) {
      if (busy.end <= busy.start) continue;  // a moment is no engagement
      blocked |= SlotsOverlapping(model, busy.start - problem.buffer, busy.end + problem.buffer);
    }
  }

  // Requests, by id; durations first, since they size the per-length tables.
  std::vector<const ScheduleRequest*> sources;
  for (const ScheduleRequest& request : problem.requests) sources.push_back(&request);
  std::sort(sources.begin(), sources.end(),
            [](const ScheduleRequest* a, const ScheduleRequest* b) { return a->id < b->id; });
  model.requests.resize(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    const ScheduleRequest& source = *sources[i];
    ModelRequest& request = model.requests[i];
    request.source = &source;
    request.priority = source.priority;
    // The slots it holds: its duration rounded up to whole slots (schedule_problem.h).
    const int64_t slots = HeldDuration(source.duration, problem.slot_length) / problem.slot_length;
    if (source.duration > absl::ZeroDuration() && slots <= longest_window) {
      request.slots = static_cast<int>(slots);
      model.max_slots = std::max(model.max_slots, request.slots);
    }
  }
  model.valid_starts.assign(model.max_slots + 1, model.EmptySet());
  for (int d = 1; d <= model.max_slots; ++d) {
    for (int s = 0; s + d <= n; ++s) {
      if (model.window_of_slot[s] == model.window_of_slot[s + d - 1]) model.valid_starts[d].Set(s);
    }
  }

  // Rooms, by capacity then id, so that "the rooms that fit" is a suffix.
  for (const ScheduleRoom& room : problem.rooms) {
    ModelRoom compiled{&room, room.capacity, model.EmptySet(), {}};
    for (const TimeInterval& busy : room.busy) {
      if (busy.end <= busy.start) continue;
      compiled.static_busy |= SlotsOverlapping(model, busy.start, busy.end);
    }
    const SlotSet free = compiled.static_busy.Complement();
    compiled.static_free_starts.assign(model.max_slots + 1, model.EmptySet());
    for (int d = 1; d <= model.max_slots; ++d) {
      compiled.static_free_starts[d] = free.RunStarts(d) & model.valid_starts[d];
    }
    model.rooms.push_back(std::move(compiled));
  }
  std::sort(model.rooms.begin(), model.rooms.end(), [](const ModelRoom& a, const ModelRoom& b) {
    return a.capacity != b.capacity ? a.capacity < b.capacity : a.source->id < b.source->id;
  });
  const int largest_room = model.rooms.empty() ? 0 : model.rooms.back().capacity;

  // Pair rules: the smallest rule id for each forbidden pair.
  std::map<std::pair<std::string, std::string>, std::string> forbidden;
  for (const SchedulePairRule& rule : problem.pair_rules) {
    auto [it, inserted] =
        forbidden.emplace(PairKey(rule.organization_a, rule.organization_b), rule.id);
    if (!inserted && rule.id < it->second) it->second = rule.id;
  }

  // Verdicts, most basic first.
  for (ModelRequest& request : model.requests) {
    const ScheduleRequest& source = *request.source;
    if (source.priority <= 0) {
      MarkUnplaceable(request, UnplacedReason::kInvalid,
                      absl::StrCat("Its priority is ", source.priority, "; it must be positive."));
      continue;
    }
    if (source.duration <= absl::ZeroDuration()) {
      MarkUnplaceable(request, UnplacedReason::kInvalid,
                      absl::StrCat("Its duration of ", ShowDuration(source.duration),
                                   " is not positive."));
      continue;
    }
    if (source.attendees.size() < 2) {
      MarkUnplaceable(request, UnplacedReason::kInvalid,
                      absl::StrCat("It has ", source.attendees.size(),
                                   " attendee(s); a meeting needs at least 2."));
      continue;
    }
    absl::flat_hash_set<std::string> seen;
    std::string fault;
    for (const std::string& id : source.attendees) {
      if (id.empty()) {
        fault = "An attendee has no person id.";
      } else if (!seen.insert(id).second) {
        fault = absl::StrCat("Attendee ", id, " is listed twice.");
      }
      if (!fault.empty()) break;
      request.attendees.push_back(person_index.at(id));
    }
    if (!fault.empty()) {
      MarkUnplaceable(request, UnplacedReason::kInvalid, fault);
      continue;
    }
    std::sort(request.attendees.begin(), request.attendees.end());

    std::string blocking_rule;
    std::pair<std::string, std::string> blocked_pair;
    for (size_t a = 0; a < source.organizations.size(); ++a) {
      for (size_t b = a + 1; b < source.organizations.size(); ++b) {
        if (source.organizations[a] == source.organizations[b]) continue;
        auto it = forbidden.find(PairKey(source.organizations[a], source.organizations[b]));
        if (it != forbidden.end() && (blocking_rule.empty() || it->second < blocking_rule)) {
          blocking_rule = it->second;
          blocked_pair = it->first;
        }
      }
    }
    if (!blocking_rule.empty()) {
      MarkUnplaceable(request, UnplacedReason::kPairRuleBlocked,
                      absl::StrCat("Pair rule ", blocking_rule, " forbids ", blocked_pair.first,
                                   " and ", blocked_pair.second, " from meeting."));
      request.pair_rule_id = blocking_rule;
      continue;
    }

    const int attendees = static_cast<int>(request.attendees.size());
    if (attendees > largest_room) {
      MarkUnplaceable(request, UnplacedReason::kNoRoomLargeEnough,
                      model.rooms.empty()
                          ? std::string("There are no rooms.")
                          : absl::StrCat("It needs ", attendees, " seats; the largest room has ",
                                         largest_room, "."));
      continue;
    }
    request.first_fitting_room = static_cast<int>(
        std::lower_bound(model.rooms.begin(), model.rooms.end(), attendees,
                         [](const ModelRoom& room, int seats) { return room.capacity < seats; }) -
        model.rooms.begin());

    if (request.slots == 0) {
      const absl::Duration held = HeldDuration(source.duration, problem.slot_length);
      MarkUnplaceable(request, UnplacedReason::kNoCommonFreeSlot,
                      absl::StrCat("It lasts ", ShowDuration(source.duration),
                                   held != source.duration
                                       ? absl::StrCat(" (holding ", ShowDuration(held), " of slots)")
                                       : "",
                                   ", longer than every window (the longest holds ", longest_window,
                                   " slots)."));
      continue;
    }
    const SlotSet starts = model.StaticFreeStarts(request);
    if (!starts.Any()) {
      MarkUnplaceable(request, UnplacedReason::kNoCommonFreeSlot,
                      absl::StrCat("Its attendees are never all free for ",
                                   ShowDuration(source.duration), " at once",
                                   problem.buffer > absl::ZeroDuration()
                                       ? absl::StrCat(" (with a ", ShowDuration(problem.buffer),
                                                      " buffer around their engagements)")
                                       : "",
                                   "."));
      continue;
    }
    SlotSet with_room = model.EmptySet();
    for (size_t k = request.first_fitting_room; k < model.rooms.size(); ++k) {
      with_room |= starts & model.rooms[k].static_free_starts[request.slots];
    }
    if (!with_room.Any()) {
      MarkUnplaceable(request, UnplacedReason::kNoCommonFreeSlot,
                      absl::StrCat("Its attendees are free together, but no room with at least ",
                                   attendees, " seats is free then."));
      continue;
    }
    request.placeable = true;
    request.static_start_count = with_room.Count();
    request.static_places = std::move(with_room);
  }
  return model;
}

}  // namespace summit::scheduling
