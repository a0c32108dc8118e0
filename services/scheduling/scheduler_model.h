// The schedule problem compiled onto the slot grid, the form the search and the bound work on:
// people, rooms and requests become dense indices (in id order, so nothing depends on the
// caller's order), busy intervals become sets of blocked slots, and each request gets its
// verdict before any competition — invalid, blocked by a pair rule, no room large enough, no
// common free slot, or placeable on its own.
//
//   ScheduleModel model = BuildScheduleModel(problem);  // problem already validated
//   const ModelRequest& request = model.requests[0];
//   if (request.placeable) {
//     SlotSet starts = model.StaticFreeStarts(request);   // where its attendees are free
//     starts &= model.rooms[k].static_free_starts[request.slots];
//   }
//
// Blocked slots for a person: a slot is blocked when it overlaps one of the person's busy
// intervals widened by the buffer on both sides, because a meeting in that slot would start
// less than `buffer` after the interval ends or end less than `buffer` before it starts. The
// same rule around each placed meeting (Zone) keeps a person's meetings `buffer` apart. For a
// room the intervals are not widened.
//
// Internal to the scheduler. Thread-safety: immutable after construction.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULER_MODEL_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULER_MODEL_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/scheduling/schedule_plan.h"
#include "services/scheduling/schedule_problem.h"
#include "services/scheduling/scheduler_slot_set.h"

namespace summit::scheduling {

struct ModelRoom {
  const ScheduleRoom* source = nullptr;
  int capacity = 0;
  SlotSet static_busy;
  // static_free_starts[d]: starts of d free slots in one window (d up to the longest request).
  std::vector<SlotSet> static_free_starts;
};

struct ModelPerson {
  std::string id;
  SlotSet static_blocked;  // busy intervals widened by the buffer
};

struct ModelRequest {
  const ScheduleRequest* source = nullptr;
  int priority = 0;
  int slots = 0;  // the slots it holds: its duration rounded up (0: invalid, or too long)
  std::vector<int> attendees;  // person indices, ascending
  int first_fitting_room = 0;  // rooms are sorted by capacity: rooms[first_fitting_room..] fit
  // The verdict before competition. When `placeable` is false, `reason`, `pair_rule_id` and
  // `explanation` say why.
  bool placeable = false;
  UnplacedReason reason = UnplacedReason::kInvalid;
  std::string pair_rule_id;
  std::string explanation;
  // Placeable: the starts where its attendees and some room that fits are free, and how many.
  SlotSet static_places;
  int static_start_count = 0;
};

struct ScheduleModel {
  // The grid: merged windows cut into slots, in time order.
  absl::Duration slot_length;
  absl::Duration buffer;
  std::vector<absl::Time> slot_start;
  std::vector<int> window_of_slot;  // index of the merged window, 0-based, in time order
  int num_windows = 0;
  std::vector<SlotSet> valid_starts;  // valid_starts[d]: d slots fit in one window from here
  // For a meeting on slots [s, e], the slots a participant cannot use for another engagement:
  // [zone_from[s], zone_to[e]).
  std::vector<int> zone_from;
  std::vector<int> zone_to;
  int max_slots = 0;  // the longest valid request, in slots

  std::vector<ModelPerson> people;     // by id
  std::vector<ModelRoom> rooms;        // by capacity, then id
  std::vector<ModelRequest> requests;  // by id

  int num_slots() const { return static_cast<int>(slot_start.size()); }
  SlotSet EmptySet() const { return SlotSet(num_slots()); }
  // Where a meeting of `request` could start given only its attendees' busy intervals.
  SlotSet StaticFreeStarts(const ModelRequest& request) const;
  // Slots kept from other engagements of an attendee by a meeting on [start, start + slots).
  int ZoneFrom(int start) const { return zone_from[start]; }
  int ZoneTo(int start, int slots) const { return zone_to[start + slots - 1]; }
  // The half-open time a meeting on the grid holds (it may end earlier: HeldDuration).
  absl::Time StartTime(int start) const { return slot_start[start]; }
  absl::Time EndTime(int start, int slots) const {
    return slot_start[start + slots - 1] + slot_length;
  }
};

// Compiles a problem that passed ValidateScheduleProblem.
ScheduleModel BuildScheduleModel(const ScheduleProblem& problem);

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULER_MODEL_H_
