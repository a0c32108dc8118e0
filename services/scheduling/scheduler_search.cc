#include "services/scheduling/scheduler_search.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "services/scheduling/scheduler_search_phases.h"

namespace summit::scheduling {

SearchPhases::SearchPhases(Timetable& timetable, const SearchLimits& limits)
    : timetable_(timetable),
      model_(timetable.model()),
      limits_(limits),
      rank_(model_.requests.size(), 0),
      movable_(model_.requests.size()) {
  SetOrder(DensityOrder());
}

void SearchPhases::Run(const RequestPricer& pricer) {
  Greedy();
  if (pricer) {
    SearchPrices prices = pricer(timetable_.objective());
    upper_bound_ = prices.upper_bound;
    if (!prices.request_cost.empty() && !Optimal()) {
      scarce_person_ = std::move(prices.scarce_person);
      PlaceByPrice(prices.request_cost);
    }
  }
  for (int pass = 0; pass < limits_.improvement_passes && !OutOfBudget() && !Optimal(); ++pass) {
    if (!ImprovePass()) break;
  }
  for (int pass = 0; pass < limits_.repair_passes && !RepairOutOfBudget() && !Optimal(); ++pass) {
    if (!RepairPass()) break;
  }
  if (!Optimal()) NeighbourhoodSearch();
  for (int pass = 0; pass < limits_.spread_passes; ++pass) {
    const bool moved = SpreadPass();
    if (!SwapPass() && !moved) break;
  }
}

void SearchPhases::PlaceByPrice(const std::vector<double>& cost) {
  std::vector<int> priced_order = order_;
  std::stable_sort(priced_order.begin(), priced_order.end(), [&](int a, int b) {
    const double value_a = cost[a] > 0 ? model_.requests[a].priority / cost[a]
                                       : std::numeric_limits<double>::infinity();
    const double value_b = cost[b] > 0 ? model_.requests[b].priority / cost[b]
                                       : std::numeric_limits<double>::infinity();
    return value_a > value_b;
  });
  const std::vector<Place> first = Placements();
  const int64_t first_objective = timetable_.objective();
  Clear();
  SetOrder(std::move(priced_order));
  Greedy();
  if (timetable_.objective() <= first_objective) {
    Clear();
    for (int r : order_) {
      if (first[r].found()) timetable_.Place(r, first[r].start, first[r].room);
    }
    SetOrder(DensityOrder());
  }
}

std::vector<int> SearchPhases::DensityOrder() const {
  std::vector<int> order;
  for (int r = 0; r < static_cast<int>(model_.requests.size()); ++r) {
    if (model_.requests[r].placeable) order.push_back(r);
  }
  std::sort(order.begin(), order.end(), [this](int a, int b) { return Before(a, b); });
  return order;
}

void SearchPhases::SetOrder(std::vector<int> order) {
  order_ = std::move(order);
  for (size_t i = 0; i < order_.size(); ++i) rank_[order_[i]] = static_cast<int>(i);
  requests_of_person_.assign(model_.people.size(), {});
  for (int r : order_) {
    for (int p : model_.requests[r].attendees) requests_of_person_[p].push_back(r);
  }
}

void SearchPhases::Greedy() {
  for (int r : order_) {
    if (const Place place = BestFit(r); place.found()) timetable_.Place(r, place.start, place.room);
  }
}

std::vector<SearchPhases::Place> SearchPhases::Placements() const {
  std::vector<Place> places(model_.requests.size());
  for (int r = 0; r < static_cast<int>(model_.requests.size()); ++r) {
    if (timetable_.placed(r)) places[r] = {timetable_.start(r), timetable_.room(r)};
  }
  return places;
}

void SearchPhases::Clear() {
  for (int r = 0; r < static_cast<int>(model_.requests.size()); ++r) {
    if (timetable_.placed(r)) timetable_.Remove(r);
  }
}

bool SearchPhases::Before(int a, int b) const {
  const ModelRequest& x = model_.requests[a];
  const ModelRequest& y = model_.requests[b];
  const int64_t lhs = int64_t{x.priority} * y.slots, rhs = int64_t{y.priority} * x.slots;
  if (lhs != rhs) return lhs > rhs;
  if (x.priority != y.priority) return x.priority > y.priority;
  if (x.static_start_count != y.static_start_count) {
    return x.static_start_count < y.static_start_count;
  }
  return a < b;
}

int SearchPhases::Walls(const ModelRequest& request, int start, int room) const {
  const int end = start + request.slots;
  const bool left_edge =
      start == 0 || model_.window_of_slot[start - 1] != model_.window_of_slot[start];
  const bool right_edge =
      end == model_.num_slots() || model_.window_of_slot[end] != model_.window_of_slot[start];
  int walls = 0;
  const SlotSet& busy = timetable_.RoomBusy(room);
  walls += left_edge || busy.Test(start - 1);
  walls += right_edge || busy.Test(end);
  return walls;
}

SearchPhases::Place SearchPhases::BestFit(int r) const {
  const ModelRequest& request = model_.requests[r];
  const SlotSet person = timetable_.FreeStarts(request);
  if (!person.Any()) return {};
  const int rooms = static_cast<int>(model_.rooms.size());
  for (int k = request.first_fitting_room; k < rooms;) {
    int group_end = k;
    while (group_end < rooms && model_.rooms[group_end].capacity == model_.rooms[k].capacity) {
      ++group_end;
    }
    Place best;
    int best_walls = -1;
    for (int room = k; room < group_end; ++room) {
      const SlotSet candidates = person & timetable_.RoomFreeStarts(room, request.slots);
      candidates.ForEach([&](int start) {
        const int walls = Walls(request, start, room);
        if (walls > best_walls || (walls == best_walls && start < best.start)) {
          best_walls = walls;
          best = {start, room};
        }
      });
    }
    if (best.found()) return best;
    k = group_end;
  }
  return {};
}

void SearchPhases::Restore(const std::vector<Place>& places) {
  for (int r = 0; r < static_cast<int>(places.size()); ++r) {
    if (timetable_.placed(r) &&
        (timetable_.start(r) != places[r].start || timetable_.room(r) != places[r].room)) {
      timetable_.Remove(r);
    }
  }
  for (int r = 0; r < static_cast<int>(places.size()); ++r) {
    if (places[r].found() && !timetable_.placed(r))
      timetable_.Place(r, places[r].start, places[r].room);
  }
}

void SearchPhases::DoPlace(int r, int start, int room) {
  timetable_.Place(r, start, room);
  log_.push_back({true, r, start, room});
}
void SearchPhases::DoRemove(int r) {
  log_.push_back({false, r, timetable_.start(r), timetable_.room(r)});
  timetable_.Remove(r);
}
void SearchPhases::UndoTo(size_t mark) {
  while (log_.size() > mark) {
    const Action action = log_.back();
    log_.pop_back();
    if (action.placed) {
      timetable_.Remove(action.request);
    } else {
      timetable_.Place(action.request, action.start, action.room);
    }
  }
}

void SearchSchedule(Timetable& timetable, const RequestPricer& pricer, const SearchLimits& limits) {
  SearchPhases(timetable, limits).Run(pricer);
}

}  // namespace summit::scheduling
