// Step 5 of the search (scheduler_search.h): spread each person's day.
#include <cstdint>

#include "absl/time/time.h"
#include "services/scheduling/scheduler_search_phases.h"

namespace summit::scheduling {

int64_t SearchPhases::SpreadCost(const ModelRequest& request, int start, int ignore_a,
                                 int ignore_b) const {
  const absl::Time begin = model_.StartTime(start), end = model_.EndTime(start, request.slots);
  const absl::Duration tight = model_.buffer + model_.slot_length;
  const int window = model_.window_of_slot[start];
  int64_t back_to_back = 0, same_day = 0;
  for (int p : request.attendees) {
    for (int m : timetable_.MeetingsOf(p)) {
      if (m == ignore_a || m == ignore_b) continue;
      const int m_start = timetable_.start(m);
      const absl::Time m_begin = model_.StartTime(m_start);
      const absl::Time m_end = model_.EndTime(m_start, model_.requests[m].slots);
      const absl::Duration gap = begin >= m_end ? begin - m_end : m_begin - end;
      if (gap < tight) ++back_to_back;
      if (model_.window_of_slot[m_start] == window) ++same_day;
    }
  }
  return back_to_back * (int64_t{1} << 32) + same_day;
}

bool SearchPhases::SpreadPass() {
  bool moved = false;
  for (int r = 0; r < static_cast<int>(model_.requests.size()); ++r) {
    if (!timetable_.placed(r)) continue;
    const ModelRequest& request = model_.requests[r];
    const Place original{timetable_.start(r), timetable_.room(r)};
    timetable_.Remove(r);
    int64_t best_cost = SpreadCost(request, original.start);
    Place best = original;
    const SlotSet person = timetable_.FreeStarts(request);
    SlotSet any_room = model_.EmptySet();
    for (int k = request.first_fitting_room; k < static_cast<int>(model_.rooms.size()); ++k) {
      any_room |= timetable_.RoomFreeStarts(k, request.slots);
    }
    (person & any_room).ForEach([&](int start) {
      const int64_t cost = SpreadCost(request, start);
      if (cost < best_cost) {
        best_cost = cost;
        best.start = start;
        best.room = -1;
      }
    });
    if (best.room < 0) {
      for (int k = request.first_fitting_room; best.room < 0; ++k) {
        if (timetable_.RoomFreeStarts(k, request.slots).Test(best.start)) best.room = k;
      }
      moved = true;
    }
    timetable_.Place(r, best.start, best.room);
  }
  return moved;
}

bool SearchPhases::SwapPass() {
  bool swapped = false;
  const int rooms = static_cast<int>(model_.rooms.size());
  for (int m = 0;
       m < static_cast<int>(model_.requests.size()) && swap_checks_ < limits_.max_swap_checks;
       ++m) {
    if (!timetable_.placed(m)) continue;
    const ModelRequest& request = model_.requests[m];
    const int start = timetable_.start(m), room = timetable_.room(m);
    // Only meetings with a back-to-back neighbour are worth the search.
    if (SpreadCost(request, start, m) < (int64_t{1} << 32)) continue;
    // Times where m's attendees would be free; there, any meeting of the same length in a room
    // m fits, whose attendees would be free at m's time, may trade places with m.
    const SlotSet times = timetable_.FreeStartsWithout(request, m);
    bool done = false;
    times.ForEach([&](int time) {
      if (done || time == start) return;
      for (int k = request.first_fitting_room; k < rooms && !done; ++k) {
        const int other = timetable_.Holder(k, time);
        if (other < 0 || other == m || timetable_.start(other) != time) continue;
        const ModelRequest& other_request = model_.requests[other];
        if (other_request.slots != request.slots || room < other_request.first_fitting_room)
          continue;
        ++swap_checks_;
        if (!timetable_.FreeStartsWithout(other_request, other).Test(start)) continue;
        const int64_t before =
            SpreadCost(request, start, m, other) + SpreadCost(other_request, time, m, other);
        const int64_t after =
            SpreadCost(request, time, m, other) + SpreadCost(other_request, start, m, other);
        if (after >= before) continue;
        timetable_.Remove(m);
        timetable_.Remove(other);
        timetable_.Place(m, time, k);
        timetable_.Place(other, start, room);
        done = swapped = true;
      }
    });
  }
  return swapped;
}

}  // namespace summit::scheduling
