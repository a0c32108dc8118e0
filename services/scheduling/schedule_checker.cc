#include "services/scheduling/schedule_checker.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace summit::scheduling {
namespace {

std::string At(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}
std::string Span(absl::Time start, absl::Time end) {
  return absl::StrCat("[", At(start), ", ", At(end), ")");
}

// Half-open intervals, answering "does any of them overlap [lo, hi)?" in O(log n).
class IntervalIndex {
 public:
  void Add(absl::Time start, absl::Time end) {
    if (start < end) intervals_.emplace_back(start, end);  // an empty interval blocks nothing
  }
  void Finish() {
    std::sort(intervals_.begin(), intervals_.end());
    max_end_.clear();
    for (const auto& [start, end] : intervals_) {
      max_end_.push_back(max_end_.empty() ? end : std::max(max_end_.back(), end));
    }
  }
  bool Overlaps(absl::Time lo, absl::Time hi) const {
    // Among the intervals starting before hi, does the latest end come after lo?
    const size_t n = std::lower_bound(intervals_.begin(), intervals_.end(),
                                      std::make_pair(hi, absl::InfinitePast())) -
                     intervals_.begin();
    return n > 0 && max_end_[n - 1] > lo;
  }

 private:
  std::vector<std::pair<absl::Time, absl::Time>> intervals_;
  std::vector<absl::Time> max_end_;
};

// Why a request cannot be placed at all by its own fields; empty when it is well-formed. Any
// positive duration is: a meeting holds whole slots however long it lasts.
std::string Malformation(const ScheduleRequest& request) {
  if (request.priority <= 0) return "priority is not positive";
  if (request.duration <= absl::ZeroDuration()) return "duration is not positive";
  if (request.attendees.size() < 2) return "fewer than two attendees";
  std::set<std::string> seen;
  for (const std::string& person : request.attendees) {
    if (person.empty()) return "an attendee has no id";
    if (!seen.insert(person).second) return "an attendee is repeated";
  }
  return "";
}

// A placed meeting and the time it holds its room and attendees: from its start to the end of
// the slot it ends in.
struct HeldMeeting {
  const SchedulePlacement* placement;
  absl::Time start;
  absl::Time end;
};

class Checker {
 public:
  Checker(const ScheduleProblem& problem, const SchedulePlan& plan)
      : problem_(problem), plan_(plan) {}

  std::vector<std::string> Run() {
    Index();
    CheckPlacements();
    CheckOverlaps();
    CheckAccounting();
    CheckReasons();
    return std::move(violations_);
  }

 private:
  void Violation(std::string text) { violations_.push_back(std::move(text)); }

  int PersonIndex(const std::string& id) {
    auto [it, inserted] = person_index_.emplace(id, static_cast<int>(person_busy_.size()));
    if (inserted) {
      person_busy_.emplace_back();
      person_placed_.emplace_back();
    }
    return it->second;
  }

  void Index() {
    // Windows, merged where they overlap or touch.
    windows_ = problem_.windows;
    std::sort(windows_.begin(), windows_.end(),
              [](const TimeInterval& a, const TimeInterval& b) { return a.start < b.start; });
    std::vector<TimeInterval> merged;
    for (const TimeInterval& window : windows_) {
      if (!merged.empty() && window.start <= merged.back().end) {
        merged.back().end = std::max(merged.back().end, window.end);
      } else {
        merged.push_back(window);
      }
    }
    windows_ = std::move(merged);

    for (const ScheduleRequest& request : problem_.requests)
      requests_.emplace(request.id, &request);
    for (size_t k = 0; k < problem_.rooms.size(); ++k) {
      const ScheduleRoom& room = problem_.rooms[k];
      room_index_.emplace(room.id, static_cast<int>(k));
      room_busy_.emplace_back();
      for (const TimeInterval& busy : room.busy) room_busy_.back().Add(busy.start, busy.end);
      room_busy_.back().Finish();
    }
    room_placed_.resize(problem_.rooms.size());
    for (const PersonBusy& person : problem_.people) {
      const int p = PersonIndex(person.person_id);
      for (const TimeInterval& busy : person.busy) person_busy_[p].Add(busy.start, busy.end);
    }
    for (IntervalIndex& index : person_busy_) index.Finish();
  }

  // The merged window holding [start, end) with start on its grid, or null.
  const TimeInterval* GridWindow(absl::Time start, absl::Time end) const {
    for (const TimeInterval& window : windows_) {
      if (window.start <= start && end <= window.end &&
          (start - window.start) % problem_.slot_length == absl::ZeroDuration()) {
        return &window;
      }
    }
    return nullptr;
  }

  // The rule forbidding the request, or null; the smallest id when several do.
  const SchedulePairRule* BlockingRule(const ScheduleRequest& request) const {
    const SchedulePairRule* found = nullptr;
    for (const SchedulePairRule& rule : problem_.pair_rules) {
      const auto& orgs = request.organizations;
      const bool a = std::find(orgs.begin(), orgs.end(), rule.organization_a) != orgs.end();
      const bool b = std::find(orgs.begin(), orgs.end(), rule.organization_b) != orgs.end();
      if (a && b && rule.organization_a != rule.organization_b && (!found || rule.id < found->id)) {
        found = &rule;
      }
    }
    return found;
  }

  void CheckPlacements() {
    std::set<std::string> seen;
    for (const SchedulePlacement& placement : plan_.placements) {
      const std::string& id = placement.request_id;
      auto request_it = requests_.find(id);
      if (request_it == requests_.end()) {
        Violation(absl::StrCat("placement of unknown request ", id));
        continue;
      }
      if (!seen.insert(id).second) {
        Violation(absl::StrCat("request ", id, " is placed more than once"));
        continue;
      }
      const ScheduleRequest& request = *request_it->second;
      const std::string where = absl::StrCat(id, " at ", Span(placement.start, placement.end));
      if (std::string fault = Malformation(request); !fault.empty()) {
        Violation(absl::StrCat(where, " is placed although invalid: ", fault));
        continue;
      }
      placed_.emplace(id, &placement);
      if (placement.end - placement.start != request.duration) {
        Violation(absl::StrCat(where, " lasts ",
                               absl::FormatDuration(placement.end - placement.start),
                               ", not its duration ", absl::FormatDuration(request.duration)));
      }
      const HeldMeeting held{&placement, placement.start,
                             placement.start + HeldDuration(request.duration, problem_.slot_length)};
      if (GridWindow(held.start, held.end) == nullptr) {
        Violation(absl::StrCat(where, " is not inside one window on the slot grid (holding ",
                               Span(held.start, held.end), ")"));
      }
      if (const SchedulePairRule* rule = BlockingRule(request)) {
        Violation(absl::StrCat(where, " breaks pair rule ", rule->id));
      }
      auto room_it = room_index_.find(placement.room_id);
      if (room_it == room_index_.end()) {
        Violation(absl::StrCat(where, " is in unknown room ", placement.room_id));
      } else {
        const ScheduleRoom& room = problem_.rooms[room_it->second];
        if (room.capacity < static_cast<int>(request.attendees.size())) {
          Violation(absl::StrCat(where, " has ", request.attendees.size(), " attendees in room ",
                                 room.id, " of capacity ", room.capacity));
        }
        if (room_busy_[room_it->second].Overlaps(held.start, held.end)) {
          Violation(absl::StrCat(where, " overlaps a busy interval of room ", room.id));
        }
        by_room_[room.id].push_back(held);
        room_placed_[room_it->second].Add(held.start, held.end);
      }
      for (const std::string& person : request.attendees) {
        const int p = PersonIndex(person);
        if (person_busy_[p].Overlaps(held.start - problem_.buffer, held.end + problem_.buffer)) {
          Violation(absl::StrCat(where, " comes within the buffer of a busy interval of ", person));
        }
        by_person_[person].push_back(held);
        person_placed_[p].Add(held.start, held.end);
      }
    }
    for (IntervalIndex& index : room_placed_) index.Finish();
    for (IntervalIndex& index : person_placed_) index.Finish();
  }

  // Sorted by start, each meeting against the latest held end before it catches every pair.
  void CheckSequence(const std::string& owner, std::vector<HeldMeeting>& meetings,
                     absl::Duration gap, absl::string_view what) {
    std::sort(meetings.begin(), meetings.end(), [](const HeldMeeting& a, const HeldMeeting& b) {
      return std::tie(a.start, a.placement->request_id) <
             std::tie(b.start, b.placement->request_id);
    });
    const HeldMeeting* latest = nullptr;
    for (const HeldMeeting& meeting : meetings) {
      if (latest != nullptr && meeting.start < latest->end + gap) {
        Violation(absl::StrCat(
            what, " ", owner, ": ", latest->placement->request_id, " ",
            Span(latest->start, latest->end), " and ", meeting.placement->request_id, " ",
            Span(meeting.start, meeting.end),
            gap > absl::ZeroDuration()
                ? absl::StrCat(" are closer than the ", absl::FormatDuration(gap), " buffer")
                : " overlap"));
      }
      if (latest == nullptr || meeting.end > latest->end) latest = &meeting;
    }
  }

  void CheckOverlaps() {
    for (auto& [room, meetings] : by_room_)
      CheckSequence(room, meetings, absl::ZeroDuration(), "room");
    for (auto& [person, meetings] : by_person_)
      CheckSequence(person, meetings, problem_.buffer, "person");
  }

  void CheckAccounting() {
    int64_t objective = 0;
    for (const auto& [id, placement] : placed_) objective += requests_.at(id)->priority;
    if (objective != plan_.objective) {
      Violation(absl::StrCat("objective is ", plan_.objective, " but the placed priorities sum to ",
                             objective));
    }
    if (plan_.objective > plan_.upper_bound) {
      Violation(absl::StrCat("objective ", plan_.objective, " exceeds the upper bound ",
                             plan_.upper_bound));
    }
    std::set<std::string> unplaced;
    for (const UnplacedRequest& u : plan_.unplaced) {
      if (requests_.find(u.request_id) == requests_.end()) {
        Violation(absl::StrCat("unknown request ", u.request_id, " is listed as unplaced"));
      } else if (!unplaced.insert(u.request_id).second) {
        Violation(absl::StrCat("request ", u.request_id, " is listed as unplaced more than once"));
      } else if (placed_.count(u.request_id) > 0) {
        Violation(absl::StrCat("request ", u.request_id, " is both placed and unplaced"));
      }
    }
    std::set<std::string> placed_any;
    for (const SchedulePlacement& placement : plan_.placements)
      placed_any.insert(placement.request_id);
    for (const ScheduleRequest& request : problem_.requests) {
      if (placed_any.count(request.id) == 0 && unplaced.count(request.id) == 0) {
        Violation(absl::StrCat("request ", request.id, " is neither placed nor unplaced"));
      }
    }
  }

  // A grid start and room where `request` fits: alone (with_plan false) or beside the plan's
  // placements. Returns whether one exists; `found` describes it.
  bool FindPlace(const ScheduleRequest& request, bool with_plan, std::string* found) {
    std::vector<int> people;
    for (const std::string& person : request.attendees) people.push_back(PersonIndex(person));
    const absl::Duration held = HeldDuration(request.duration, problem_.slot_length);
    for (const TimeInterval& window : windows_) {
      for (absl::Time start = window.start; start + held <= window.end;
           start += problem_.slot_length) {
        const absl::Time end = start + held;
        const absl::Time lo = start - problem_.buffer, hi = end + problem_.buffer;
        bool people_free = true;
        for (int p : people) {
          if (person_busy_[p].Overlaps(lo, hi) ||
              (with_plan && person_placed_[p].Overlaps(lo, hi))) {
            people_free = false;
            break;
          }
        }
        if (!people_free) continue;
        for (size_t k = 0; k < problem_.rooms.size(); ++k) {
          if (problem_.rooms[k].capacity < static_cast<int>(request.attendees.size())) continue;
          if (room_busy_[k].Overlaps(start, end)) continue;
          if (with_plan && room_placed_[k].Overlaps(start, end)) continue;
          *found = absl::StrCat(At(start), " in room ", problem_.rooms[k].id);
          return true;
        }
      }
    }
    return false;
  }

  void CheckReasons() {
    int max_capacity = 0;
    for (const ScheduleRoom& room : problem_.rooms)
      max_capacity = std::max(max_capacity, room.capacity);
    for (const UnplacedRequest& u : plan_.unplaced) {
      auto it = requests_.find(u.request_id);
      if (it == requests_.end()) continue;
      const ScheduleRequest& request = *it->second;
      const std::string claim =
          absl::StrCat(u.request_id, " is reported ", UnplacedReasonName(u.reason));
      const std::string fault = Malformation(request);
      if (u.reason == UnplacedReason::kInvalid || !fault.empty()) {
        if (u.reason != UnplacedReason::kInvalid)
          Violation(absl::StrCat(claim, " but is invalid: ", fault));
        if (fault.empty()) Violation(absl::StrCat(claim, " but is well-formed"));
        continue;
      }
      const SchedulePairRule* rule = BlockingRule(request);
      if (u.reason == UnplacedReason::kPairRuleBlocked || rule != nullptr) {
        if (rule == nullptr) {
          Violation(absl::StrCat(claim, " but no pair rule forbids it"));
        } else if (u.reason != UnplacedReason::kPairRuleBlocked) {
          Violation(absl::StrCat(claim, " but pair rule ", rule->id, " forbids it"));
        } else if (u.pair_rule_id != rule->id) {
          Violation(absl::StrCat(claim, " naming rule '", u.pair_rule_id, "' but the rule is ",
                                 rule->id));
        }
        continue;
      }
      const bool room_large_enough = max_capacity >= static_cast<int>(request.attendees.size());
      if (u.reason == UnplacedReason::kNoRoomLargeEnough || !room_large_enough) {
        if (room_large_enough)
          Violation(absl::StrCat(claim, " but a room seats ", request.attendees.size()));
        if (u.reason != UnplacedReason::kNoRoomLargeEnough) {
          Violation(absl::StrCat(claim, " but no room seats its ", request.attendees.size(),
                                 " attendees"));
        }
        continue;
      }
      std::string place;
      const bool fits_alone = FindPlace(request, /*with_plan=*/false, &place);
      if (u.reason == UnplacedReason::kNoCommonFreeSlot) {
        if (fits_alone) Violation(absl::StrCat(claim, " but fits alone at ", place));
        continue;
      }
      if (!fits_alone) {
        Violation(absl::StrCat(claim, " but does not fit even alone"));
        continue;
      }
      if (FindPlace(request, /*with_plan=*/true, &place)) {
        Violation(absl::StrCat(claim, " but fits beside the plan at ", place));
      }
      for (const std::string& competitor : u.competing_request_ids) {
        if (placed_.count(competitor) == 0) {
          Violation(
              absl::StrCat(claim, " naming competitor ", competitor, ", which is not placed"));
        }
      }
    }
  }

  const ScheduleProblem& problem_;
  const SchedulePlan& plan_;
  std::vector<std::string> violations_;
  std::vector<TimeInterval> windows_;
  std::map<std::string, const ScheduleRequest*> requests_;
  absl::flat_hash_map<std::string, int> room_index_;
  absl::flat_hash_map<std::string, int> person_index_;
  std::vector<IntervalIndex> room_busy_, room_placed_, person_busy_, person_placed_;
  std::map<std::string, const SchedulePlacement*> placed_;  // valid placements, once each
  std::map<std::string, std::vector<HeldMeeting>> by_room_, by_person_;
};

}  // namespace

std::vector<std::string> CheckPlan(const ScheduleProblem& problem, const SchedulePlan& plan) {
  return Checker(problem, plan).Run();
}

}  // namespace summit::scheduling
