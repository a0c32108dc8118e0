// Step 3 of the search (scheduler_search.h): exact re-arrangement of small regions.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "services/scheduling/scheduler_search_phases.h"

namespace summit::scheduling {

std::vector<int> SearchPhases::RegionAround(int r) {
  const ModelRequest& request = model_.requests[r];
  struct Contest {
    size_t size;
    int64_t priority;
    std::vector<int> conflicts;
  };
  std::vector<Contest> contests;
  std::vector<int> attendee_side, conflicts;
  request.static_places.ForEach([&](int start) {
    timetable_.AttendeeConflicts(request, start, attendee_side);
    for (int k = request.first_fitting_room; k < static_cast<int>(model_.rooms.size()); ++k) {
      if (!model_.rooms[k].static_free_starts[request.slots].Test(start)) continue;
      ++probes_;
      conflicts = attendee_side;
      timetable_.AddRoomHolders(k, start, request.slots, conflicts);
      int64_t priority = 0;
      for (int c : conflicts) priority += model_.requests[c].priority;
      contests.push_back({conflicts.size(), priority, conflicts});
    }
  });
  std::stable_sort(contests.begin(), contests.end(), [](const Contest& a, const Contest& b) {
    return a.size != b.size ? a.size < b.size : a.priority < b.priority;
  });
  std::vector<int> region = {r};
  auto in_region = [&region](int x) {
    return std::find(region.begin(), region.end(), x) != region.end();
  };
  for (const Contest& contest : contests) {
    if (static_cast<int>(region.size()) > limits_.region_placed) break;
    for (int c : contest.conflicts) {
      if (!in_region(c)) region.push_back(c);
    }
  }
  // Then their attendees' other meetings, which may have to make way.
  for (size_t i = 0; i < region.size() && static_cast<int>(region.size()) <= limits_.region_placed;
       ++i) {
    for (int p : model_.requests[region[i]].attendees) {
      for (int x : timetable_.MeetingsOf(p)) {
        if (static_cast<int>(region.size()) <= limits_.region_placed && !in_region(x))
          region.push_back(x);
      }
    }
  }
  std::vector<int> left_out;
  for (int member : region) {
    for (int p : model_.requests[member].attendees) {
      for (int x : requests_of_person_[p]) {
        if (!timetable_.placed(x) && !in_region(x) &&
            std::find(left_out.begin(), left_out.end(), x) == left_out.end()) {
          left_out.push_back(x);
        }
      }
    }
  }
  std::sort(left_out.begin(), left_out.end(), [this](int a, int b) { return rank_[a] < rank_[b]; });
  if (static_cast<int>(left_out.size()) > limits_.region_left_out)
    left_out.resize(limits_.region_left_out);
  region.insert(region.end(), left_out.begin(), left_out.end());
  std::sort(region.begin(), region.end(), [this](int a, int b) { return rank_[a] < rank_[b]; });
  return region;
}

bool SearchPhases::RepairRegion(const std::vector<int>& region) {
  region_ = region;
  const size_t n = region.size();
  int64_t before = 0;
  region_best_places_.assign(n, Place{});
  for (size_t i = 0; i < n; ++i) {
    if (!timetable_.placed(region[i])) continue;
    region_best_places_[i] = {timetable_.start(region[i]), timetable_.room(region[i])};
    before += model_.requests[region[i]].priority;
    timetable_.Remove(region[i]);
  }
  region_best_ = before;
  region_places_.assign(n, Place{});
  region_suffix_.assign(n + 1, 0);
  for (size_t i = n; i-- > 0;)
    region_suffix_[i] = region_suffix_[i + 1] + model_.requests[region[i]].priority;
  region_nodes_left_ = limits_.region_nodes;
  RegionSearch(0, 0);
  for (size_t i = 0; i < n; ++i) {
    const Place& place = region_best_places_[i];
    if (place.found()) timetable_.Place(region[i], place.start, place.room);
  }
  if (region_best_ <= before) return false;
  ++committed_;
  return true;
}

void SearchPhases::RegionSearch(size_t i, int64_t value) {
  if (region_nodes_left_ <= 0) return;
  --region_nodes_left_;
  ++repair_nodes_;
  if (value + region_suffix_[i] <= region_best_) return;
  if (i == region_.size()) {
    region_best_ = value;
    region_best_places_ = region_places_;
    return;
  }
  const int r = region_[i];
  const ModelRequest& request = model_.requests[r];
  const SlotSet person = timetable_.FreeStarts(request);
  const int rooms = static_cast<int>(model_.rooms.size());
  // A room exactly like an earlier one (same size, same slots taken) leads to the same
  // arrangements up to renaming: skip it.
  for (int k = request.first_fitting_room; k < rooms && person.Any(); ++k) {
    bool twin = false;
    for (int j = k - 1; j >= request.first_fitting_room && !twin &&
                        model_.rooms[j].capacity == model_.rooms[k].capacity;
         --j) {
      twin = timetable_.RoomBusy(j) == timetable_.RoomBusy(k);
    }
    if (twin) continue;
    (person & timetable_.RoomFreeStarts(k, request.slots)).ForEach([&](int start) {
      timetable_.Place(r, start, k);
      region_places_[i] = {start, k};
      RegionSearch(i + 1, value + request.priority);
      timetable_.Remove(r);
    });
  }
  region_places_[i] = Place{};
  RegionSearch(i + 1, value);
}

bool SearchPhases::RepairPass() {
  bool improved = false;
  for (int r : order_) {
    if (RepairOutOfBudget()) break;
    if (!timetable_.placed(r) && RepairRegion(RegionAround(r))) improved = true;
  }
  return improved;
}

}  // namespace summit::scheduling
