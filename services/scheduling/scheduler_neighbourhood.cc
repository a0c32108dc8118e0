// Step 4 of the search (scheduler_search.h), a large neighbourhood search: take out a
// related handful of meetings, rebuild that part greedily in a slightly shuffled order together
// with the nearby requests left out, repair by ejection, and keep the result unless it is
// worse — or, now and then, even so (as in simulated annealing), keeping the best plan seen.
// Sideways moves are kept, so the search wanders across plateaus of equal objective.
// Pseudo-random, from a fixed seed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "services/scheduling/scheduler_search_phases.h"

namespace summit::scheduling {

std::vector<int> SearchPhases::Destroy(const std::vector<int>& placed) {
  std::vector<int> removed;
  const int seed = placed[Random(placed.size())];
  const ModelRequest& seed_request = model_.requests[seed];
  switch (Random(4)) {
    case 0: {  // one person's day, preferring people whose time is scarce
      int person = seed_request.attendees[Random(seed_request.attendees.size())];
      if (!scarce_person_.empty()) {
        for (int p : seed_request.attendees) {
          if (scarce_person_[p]) person = p;
        }
      }
      removed = timetable_.MeetingsOf(person);
      break;
    }
    case 1: {  // what surrounds one meeting: its attendees' and its room's neighbours
      const int from = timetable_.start(seed) - 2,
                to = timetable_.start(seed) + seed_request.slots + 2;
      auto near = [&](int m) {
        return timetable_.start(m) < to && from < timetable_.start(m) + model_.requests[m].slots;
      };
      removed.push_back(seed);
      for (int p : seed_request.attendees) {
        for (int m : timetable_.MeetingsOf(p)) {
          if (near(m)) removed.push_back(m);
        }
      }
      for (int s = std::max(0, from); s < std::min(model_.num_slots(), to); ++s) {
        const int h = timetable_.Holder(timetable_.room(seed), s);
        if (h >= 0) removed.push_back(h);
      }
      break;
    }
    case 2: {  // a stretch of time in every room
      const int from = timetable_.start(seed) - 1,
                to = timetable_.start(seed) + seed_request.slots + 1;
      for (int k = 0; k < static_cast<int>(model_.rooms.size()); ++k) {
        for (int s = std::max(0, from); s < std::min(model_.num_slots(), to); ++s) {
          const int h = timetable_.Holder(k, s);
          if (h >= 0) removed.push_back(h);
        }
      }
      break;
    }
    default: {  // a few at random
      const int count = 2 + static_cast<int>(Random(5));
      for (int i = 0; i < count; ++i) removed.push_back(placed[Random(placed.size())]);
    }
  }
  std::sort(removed.begin(), removed.end());
  removed.erase(std::unique(removed.begin(), removed.end()), removed.end());
  return removed;
}

void SearchPhases::NeighbourhoodSearch() {
  std::vector<int> placed, candidates;
  std::vector<std::pair<double, int>> keyed;
  int64_t best_objective = timetable_.objective();
  std::vector<Place> best_places = Placements();
  double mean_priority = 0;
  for (int r : order_) mean_priority += model_.requests[r].priority;
  const double temperature =
      std::max(1e-9, limits_.lns_temperature * mean_priority / std::max<size_t>(1, order_.size()));
  int last_improvement = 0;
  int64_t probes_at_improvement = probes_;
  for (int iteration = 0; iteration < limits_.lns_iterations && !OutOfBudget(); ++iteration) {
    placed.clear();
    for (int r : order_) {
      if (timetable_.placed(r)) placed.push_back(r);
    }
    if (placed.empty()) return;
    const std::vector<int> removed = Destroy(placed);
    const std::vector<Place> before = Placements();
    const int64_t before_objective = timetable_.objective();
    for (int r : removed) timetable_.Remove(r);
    // The requests to rebuild with: those taken out, and the best left-out requests that
    // share an attendee with them.
    candidates = removed;
    for (int r : removed) {
      for (int p : model_.requests[r].attendees) {
        int taken = 0;
        for (int x : requests_of_person_[p]) {
          if (taken >= limits_.lns_left_out_per_person) break;
          if (!timetable_.placed(x) && before[x].start < 0) {
            candidates.push_back(x);
            ++taken;
          }
        }
      }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    keyed.clear();
    for (int c : candidates) {
      // Rank in the current order, shaken by up to a third.
      keyed.emplace_back(rank_[c] * (0.85 + 0.3 * Random(1024) / 1024.0), c);
    }
    std::sort(keyed.begin(), keyed.end());
    for (const auto& [key, c] : keyed) {
      ++probes_;
      if (const Place place = BestFit(c); place.found())
        timetable_.Place(c, place.start, place.room);
    }
    int tries = 0;
    for (const auto& [key, c] : keyed) {
      if (OutOfBudget() || tries >= limits_.lns_insert_tries) break;
      if (!timetable_.placed(c)) {
        TryInsert(c);
        ++tries;
      }
    }
    ++committed_;
    // A loss is kept with probability exp(-loss / temperature), as in simulated annealing,
    // so that the search can leave a local optimum; the best plan seen is what remains.
    const int64_t loss = before_objective - timetable_.objective();
    if (loss > 0 && Random(1 << 20) >= std::exp(-loss / temperature) * (1 << 20)) Restore(before);
    if (timetable_.objective() > best_objective) {
      best_objective = timetable_.objective();
      best_places = Placements();
      last_improvement = iteration;
      probes_at_improvement = probes_;
    }
    // Patience: enough rounds and enough work without a better plan; or, on a problem where
    // rounds are costly, a lot of work.
    const int64_t idle_probes = probes_ - probes_at_improvement;
    if ((iteration - last_improvement >= limits_.lns_patience &&
         idle_probes >= limits_.lns_patience_min_probes) ||
        idle_probes >= limits_.lns_patience_probes || Optimal()) {
      break;
    }
  }
  if (timetable_.objective() < best_objective) Restore(best_places);
}

}  // namespace summit::scheduling
