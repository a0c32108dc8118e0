// The scheduler's working timetable: which request sits at which start and room, and what that
// leaves free for each person and room. Placing and removing are cheap and exact, so the search
// can try a move and take it back.
//
//   Timetable timetable(model);
//   SlotSet starts = timetable.FreeStarts(request) & timetable.RoomFreeStarts(room, request.slots);
//   if (starts.Any()) timetable.Place(r, first_start, room);
//   timetable.Remove(r);
//
// What is kept: for each person, the blocked slots (static ones, plus each placed meeting's
// zone — the meeting widened by the buffer); for each room, the occupied slots and who holds
// them. Invariant: every placement is feasible against the others (the search only places
// where CanPlace holds).
//
// Internal to the scheduler. Thread-safety: none; one search owns one timetable.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULER_TIMETABLE_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULER_TIMETABLE_H_

#include <cstdint>
#include <vector>

#include "services/scheduling/scheduler_model.h"
#include "services/scheduling/scheduler_slot_set.h"

namespace summit::scheduling {

class Timetable {
 public:
  explicit Timetable(const ScheduleModel& model);

  const ScheduleModel& model() const { return model_; }

  // Starts where every attendee of `request` is free for all the slots it holds (any room).
  SlotSet FreeStarts(const ModelRequest& request) const;
  // Starts where room `room` is free for `slots` slots in one window.
  SlotSet RoomFreeStarts(int room, int slots) const;
  // Whether request `r` (placeable, not placed) fits at `start` in `room` now.
  bool CanPlace(int r, int start, int room) const;

  void Place(int r, int start, int room);
  void Remove(int r);

  bool placed(int r) const { return start_[r] >= 0; }
  int start(int r) const { return start_[r]; }
  int room(int r) const { return room_[r]; }
  // Slots `person` cannot use now (static blocked plus zones of their placed meetings).
  const SlotSet& PersonBlocked(int person) const { return person_blocked_[person]; }
  // Slots `room` is taken now (static busy plus placed meetings).
  const SlotSet& RoomBusy(int room) const { return room_busy_[room]; }
  // Where `request` could start if placed request `excluded` (one of its own attendees'
  // meetings, or itself) were not there. Does not change the timetable.
  SlotSet FreeStartsWithout(const ModelRequest& request, int excluded) const;
  // Placed requests that `person` attends, in placement order.
  const std::vector<int>& MeetingsOf(int person) const { return meetings_of_[person]; }
  // The request holding `room` at `slot`, or -1.
  int Holder(int room, int slot) const { return holder_[room * model_.num_slots() + slot]; }
  int64_t objective() const { return objective_; }
  // Counts every Place and Remove, so caches can tell whether anything changed since.
  uint64_t version() const { return version_; }

  // The placed requests that would have to leave for `request` to sit at `start` for its
  // attendees' sake: meetings of its attendees whose zones touch [start, start + slots).
  // Ascending, no repeats.
  void AttendeeConflicts(const ModelRequest& request, int start, std::vector<int>& out) const;
  // Appends to `out` the requests holding `room` in [start, start + slots) not already in it.
  void AddRoomHolders(int room, int start, int slots, std::vector<int>& out) const;
  // Both: everything in the way of `r` at `start` in `room` (a statically free place).
  void Conflicts(int r, int start, int room, std::vector<int>& out) const {
    AttendeeConflicts(model_.requests[r], start, out);
    AddRoomHolders(room, start, model_.requests[r].slots, out);
  }

 private:
  void RebuildBlocked(int person);

  const ScheduleModel& model_;
  std::vector<SlotSet> person_blocked_;
  std::vector<SlotSet> room_busy_;
  std::vector<int> holder_;
  std::vector<std::vector<int>> meetings_of_;
  std::vector<int> start_;
  std::vector<int> room_;
  int64_t objective_ = 0;
  uint64_t version_ = 0;
};

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULER_TIMETABLE_H_
