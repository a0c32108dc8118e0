// Step 2 of the search (scheduler_search.h): bring a request in by displacing a few.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "services/scheduling/scheduler_search_phases.h"

namespace summit::scheduling {

bool SearchPhases::Movable(int c) {
  auto& [version, value] = movable_[c];
  if (version == committed_ + 1) return value;
  version = committed_ + 1;
  const ModelRequest& request = model_.requests[c];
  const SlotSet person = timetable_.FreeStartsWithout(request, c);
  value = false;
  for (int k = request.first_fitting_room; k < static_cast<int>(model_.rooms.size()) && !value;
       ++k) {
    SlotSet room_busy = timetable_.RoomBusy(k);
    if (k == timetable_.room(c)) {
      room_busy.ClearRange(timetable_.start(c), timetable_.start(c) + request.slots);
    }
    SlotSet candidates = person & room_busy.Complement().RunStarts(request.slots) &
                         model_.valid_starts[request.slots];
    if (k == timetable_.room(c) && candidates.Test(timetable_.start(c))) {
      SlotSet own = model_.EmptySet();
      own.Set(timetable_.start(c));
      candidates &= own.Complement();
    }
    value = candidates.Any();
  }
  return value;
}

int64_t SearchPhases::Reinsert(int c, int keep, int depth) {
  if (const Place place = BestFit(c); place.found()) {
    DoPlace(c, place.start, place.room);
    return 0;
  }
  const ModelRequest& request = model_.requests[c];
  if (depth == 0) return request.priority;
  Place best;
  int victim = -1;
  std::vector<int> in_the_way;
  request.static_places.ForEach([&](int start) {
    timetable_.AttendeeConflicts(request, start, in_the_way);
    if (in_the_way.size() > 1) return;
    const size_t attendee_side = in_the_way.size();
    for (int k = request.first_fitting_room; k < static_cast<int>(model_.rooms.size()); ++k) {
      if (!model_.rooms[k].static_free_starts[request.slots].Test(start)) continue;
      ++probes_;
      in_the_way.resize(attendee_side);
      timetable_.AddRoomHolders(k, start, request.slots, in_the_way);
      if (in_the_way.size() != 1) continue;
      const int x = in_the_way[0];
      if (x == keep || model_.requests[x].priority >= request.priority) continue;
      if (victim < 0 || model_.requests[x].priority < model_.requests[victim].priority) {
        victim = x;
        best = {start, k};
      }
    }
  });
  if (victim < 0) return request.priority;
  DoRemove(victim);
  DoPlace(c, best.start, best.room);
  return Reinsert(victim, keep, depth - 1);
}

int64_t SearchPhases::Trial(int r, int start, int room, const std::vector<int>& displaced) {
  ++trials_;
  for (int c : displaced) DoRemove(c);
  DoPlace(r, start, room);
  int64_t gain = model_.requests[r].priority;
  for (int c : displaced) gain -= Reinsert(c, r, /*depth=*/1);
  return gain;
}

bool SearchPhases::TryInsert(int r) {
  if (const Place place = BestFit(r); place.found()) {
    timetable_.Place(r, place.start, place.room);
    ++committed_;
    return true;
  }
  const ModelRequest& request = model_.requests[r];
  const int rooms = static_cast<int>(model_.rooms.size());
  int64_t best_gain = 0;
  Place best;
  std::vector<int> best_displaced, displaced, attendee_side;
  request.static_places.ForEach([&](int start) {
    if (OutOfBudget()) return;
    // The attendees' side is the same in every room: work it out once per start.
    timetable_.AttendeeConflicts(request, start, attendee_side);
    if (static_cast<int>(attendee_side.size()) > limits_.max_ejected) return;
    for (int k = request.first_fitting_room; k < rooms; ++k) {
      if (!model_.rooms[k].static_free_starts[request.slots].Test(start)) continue;
      ++probes_;
      displaced = attendee_side;
      timetable_.AddRoomHolders(k, start, request.slots, displaced);
      if (static_cast<int>(displaced.size()) > limits_.max_ejected) continue;
      int64_t displaced_priority = 0;
      for (int c : displaced) displaced_priority += model_.requests[c].priority;
      // When what is there is worth as much and none of it can move elsewhere: no gain.
      if (displaced_priority >= request.priority &&
          std::none_of(displaced.begin(), displaced.end(), [this](int c) { return Movable(c); })) {
        continue;
      }
      std::sort(displaced.begin(), displaced.end(),
                [this](int a, int b) { return rank_[a] < rank_[b]; });
      const size_t mark = log_.size();
      const int64_t gain = Trial(r, start, k, displaced);
      UndoTo(mark);
      if (gain > best_gain) {
        best_gain = gain;
        best = {start, k};
        best_displaced = displaced;
      }
    }
  });
  if (best_gain <= 0) return false;
  Trial(r, best.start, best.room, best_displaced);
  log_.clear();
  ++committed_;
  return true;
}

bool SearchPhases::Hopeless(int r) {
  if (hopeless_version_ != committed_ + 1) {
    hopeless_version_ = committed_ + 1;
    cheapest_placed_ = std::numeric_limits<int>::max();
    any_movable_ = false;
    for (int c : order_) {
      if (!timetable_.placed(c)) continue;
      cheapest_placed_ = std::min(cheapest_placed_, model_.requests[c].priority);
      if (!any_movable_ && Movable(c)) any_movable_ = true;
    }
  }
  return !any_movable_ && model_.requests[r].priority <= cheapest_placed_;
}

bool SearchPhases::ImprovePass() {
  bool improved = false;
  for (int r : order_) {
    if (OutOfBudget()) break;
    if (!timetable_.placed(r) && !Hopeless(r) && TryInsert(r)) improved = true;
  }
  return improved;
}

}  // namespace summit::scheduling
