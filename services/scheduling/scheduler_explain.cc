#include "services/scheduling/scheduler_explain.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace summit::scheduling {

UnplacedExplainer::UnplacedExplainer(const Timetable& timetable)
    : timetable_(timetable), model_(timetable.model()) {
  const int rooms = static_cast<int>(model_.rooms.size()), slots_in_grid = model_.num_slots();
  cheapest_room_.resize(static_cast<size_t>(model_.max_slots + 1) * slots_in_grid * rooms);
  std::vector<int> holders;
  for (int slots = 1; slots <= model_.max_slots; ++slots) {
    for (int start = 0; start < slots_in_grid; ++start) {
      RoomChoice best;
      // Downwards, so that on a tie the smaller room (then the smaller id) wins.
      for (int f = rooms - 1; f >= 0; --f) {
        if (model_.rooms[f].static_free_starts[slots].Test(start)) {
          holders.clear();
          timetable_.AddRoomHolders(f, start, slots, holders);
          int64_t priority = 0;
          for (int h : holders) priority += model_.requests[h].priority;
          const int count = static_cast<int>(holders.size());
          if (best.room < 0 || count < best.count ||
              (count == best.count && priority <= best.priority)) {
            best = {f, count, priority};
          }
        }
        cheapest_room_[(static_cast<size_t>(slots) * slots_in_grid + start) * rooms + f] = best;
      }
    }
  }
}

std::vector<int> UnplacedExplainer::CheapestCompetitors(int r) const {
  const ModelRequest& request = model_.requests[r];
  std::vector<int> best, attendee_side, candidate;
  int64_t best_priority = 0;
  auto consider = [&](int room, int start) {
    candidate = attendee_side;
    timetable_.AddRoomHolders(room, start, request.slots, candidate);
    int64_t priority = 0;
    for (int c : candidate) priority += model_.requests[c].priority;
    if (best.empty() || candidate.size() < best.size() ||
        (candidate.size() == best.size() && priority < best_priority)) {
      best = candidate;
      best_priority = priority;
    }
  };
  request.static_places.ForEach([&](int start) {
    timetable_.AttendeeConflicts(request, start, attendee_side);
    if (!best.empty() && attendee_side.size() > best.size()) return;
    // Rooms holding none of attendee_side: the cheapest of them, from the table.
    const RoomChoice& choice = CheapestRoom(request.slots, start, request.first_fitting_room);
    if (choice.room >= 0) consider(choice.room, start);
    // Rooms holding some of them, where the sets overlap.
    for (int m : attendee_side) {
      const int room = timetable_.room(m);
      if (room >= request.first_fitting_room &&
          model_.rooms[room].static_free_starts[request.slots].Test(start)) {
        consider(room, start);
      }
    }
  });
  std::sort(best.begin(), best.end());
  return best;
}

UnplacedRequest UnplacedExplainer::Explain(int r) const {
  const ModelRequest& request = model_.requests[r];
  UnplacedRequest unplaced;
  unplaced.request_id = request.source->id;
  if (!request.placeable) {
    unplaced.reason = request.reason;
    unplaced.pair_rule_id = request.pair_rule_id;
    unplaced.explanation = request.explanation;
    return unplaced;
  }
  unplaced.reason = UnplacedReason::kCrowdedOut;
  std::vector<std::string> named;
  for (int c : CheapestCompetitors(r)) {
    unplaced.competing_request_ids.push_back(model_.requests[c].source->id);
    named.push_back(absl::StrCat(model_.requests[c].source->id, " (priority ",
                                 model_.requests[c].priority, ")"));
  }
  unplaced.explanation = absl::StrCat(
      "It fits on its own, but every place it fits is taken by requests kept in the plan; the "
      "cheapest place to free would displace ",
      absl::StrJoin(named, ", "), ".");
  return unplaced;
}

}  // namespace summit::scheduling
