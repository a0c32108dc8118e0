#include "services/scheduling/scheduler_search.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#ifdef SUMMIT_SCHEDULER_TRACE
#include <cstdio>
#include "absl/time/clock.h"
#define TRACE_START absl::Time trace_t0 = absl::Now()
#define TRACE(what) std::fprintf(stderr, "%-12s %8.3f s objective %lld trials %lld probes %lld nodes %lld\n", what, absl::ToDoubleSeconds(absl::Now() - trace_t0), (long long)timetable_.objective(), (long long)trials_, (long long)probes_, (long long)repair_nodes_), fflush(stderr)
#else
#define TRACE_START
#define TRACE(what)
#endif

namespace summit::scheduling {
namespace {

struct Place {
  int start = -1;
  int room = -1;
  bool found() const { return start >= 0; }
};

class Search {
 public:
  Search(Timetable& timetable, const SearchLimits& limits)
      : timetable_(timetable), model_(timetable.model()), limits_(limits),
        rank_(model_.requests.size(), 0), movable_(model_.requests.size()) {
    SetOrder(DensityOrder());
  }

  void Run(const RequestPricer& pricer) {
    TRACE_START;
    Greedy();
    TRACE("greedy");
    if (pricer) {
      SearchPrices prices = pricer(timetable_.objective());
      upper_bound_ = prices.upper_bound;
      if (!prices.request_cost.empty() && !Optimal()) {
        scarce_person_ = std::move(prices.scarce_person);
        PlaceByPrice(prices.request_cost);
      }
    }
    TRACE("priced");
    for (int pass = 0; pass < limits_.improvement_passes && !OutOfBudget() && !Optimal(); ++pass) {
      if (!ImprovePass()) break;
      TRACE("eject pass");
    }
    TRACE("eject");
    for (int pass = 0; pass < limits_.repair_passes && repair_nodes_ < limits_.max_repair_nodes && !Optimal();
         ++pass) {
      if (!RepairPass()) break;
      TRACE("repair pass");
    }
    TRACE("repair");
    if (!Optimal()) NeighbourhoodSearch();
    TRACE("lns");
    for (int pass = 0; pass < limits_.spread_passes; ++pass) {
      if (!SpreadPass()) break;
    }
    TRACE("spread");
  }

 private:
  // The greedy again in the order of priority per priced use of resources, where the prices
  // say which resource binds (rooms at a busy fair, a minister's time at a summit). The better
  // of the two plans goes on, and its order guides the later phases.
  void PlaceByPrice(const std::vector<double>& cost) {
    std::vector<int> priced_order = order_;
    std::stable_sort(priced_order.begin(), priced_order.end(), [&](int a, int b) {
      const double value_a = cost[a] > 0 ? model_.requests[a].priority / cost[a] : kUnpriced;
      const double value_b = cost[b] > 0 ? model_.requests[b].priority / cost[b] : kUnpriced;
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

  static constexpr double kUnpriced = std::numeric_limits<double>::infinity();

  // Placeable requests by Before.
  std::vector<int> DensityOrder() const {
    std::vector<int> order;
    for (int r = 0; r < static_cast<int>(model_.requests.size()); ++r) {
      if (model_.requests[r].placeable) order.push_back(r);
    }
    std::sort(order.begin(), order.end(), [this](int a, int b) { return Before(a, b); });
    return order;
  }

  void SetOrder(std::vector<int> order) {
    order_ = std::move(order);
    for (size_t i = 0; i < order_.size(); ++i) rank_[order_[i]] = static_cast<int>(i);
    requests_of_person_.assign(model_.people.size(), {});
    for (int r : order_) {
      for (int p : model_.requests[r].attendees) requests_of_person_[p].push_back(r);
    }
  }

  void Greedy() {
    for (int r : order_) {
      if (const Place place = BestFit(r); place.found()) timetable_.Place(r, place.start, place.room);
    }
  }

  std::vector<Place> Placements() const {
    std::vector<Place> places(model_.requests.size());
    for (int r = 0; r < static_cast<int>(model_.requests.size()); ++r) {
      if (timetable_.placed(r)) places[r] = {timetable_.start(r), timetable_.room(r)};
    }
    return places;
  }

  void Clear() {
    for (int r = 0; r < static_cast<int>(model_.requests.size()); ++r) {
      if (timetable_.placed(r)) timetable_.Remove(r);
    }
  }

  // The greedy order: priority per slot of room time, priority, most constrained, id.
  bool Before(int a, int b) const {
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

  // Nothing better exists: the plan meets the upper bound.
  bool Optimal() const { return timetable_.objective() >= upper_bound_; }

  bool OutOfBudget() const {
    return trials_ >= limits_.max_trials || probes_ >= limits_.max_probes;
  }

  // Walls around [start, start + slots): for the room and for each attendee, each side that
  // is taken or is the edge of a window. More walls, less fragmentation.
  int Walls(const ModelRequest& request, int start, int room) const {
    const int end = start + request.slots;
    const bool left_edge = start == 0 || model_.window_of_slot[start - 1] != model_.window_of_slot[start];
    const bool right_edge =
        end == model_.num_slots() || model_.window_of_slot[end] != model_.window_of_slot[start];
    int walls = 0;
    const SlotSet& busy = timetable_.RoomBusy(room);
    walls += left_edge || busy.Test(start - 1);
    walls += right_edge || busy.Test(end);
    return walls;
  }

  // The greedy rule: the smallest room size with a free place, there the place with the most
  // walls, then the earliest, then the first room.
  Place BestFit(int r) const {
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

  // --- Undoable moves, so that a trial can be taken back exactly.
  struct Action {
    bool placed;
    int request;
    int start;
    int room;
  };
  void DoPlace(int r, int start, int room) {
    timetable_.Place(r, start, room);
    log_.push_back({true, r, start, room});
  }
  void DoRemove(int r) {
    log_.push_back({false, r, timetable_.start(r), timetable_.room(r)});
    timetable_.Remove(r);
  }
  void UndoTo(size_t mark) {
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

  // Whether placed request `c` has a free place other than its own (cached until the next
  // committed change).
  bool Movable(int c) {
    auto& [version, value] = movable_[c];
    if (version == committed_ + 1) return value;
    version = committed_ + 1;
    const ModelRequest& request = model_.requests[c];
    const SlotSet person = timetable_.FreeStartsWithout(request, c);
    value = false;
    for (int k = request.first_fitting_room; k < static_cast<int>(model_.rooms.size()) && !value; ++k) {
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

  // Puts `c` (just displaced) back by the greedy rule; failing that, and if `depth` allows,
  // in place of one strictly cheaper request (other than `keep`), which then goes back by the
  // greedy rule if it can. Returns the priority lost.
  int64_t Reinsert(int c, int keep, int depth) {
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

  // Displaces `displaced` (ascending greedy rank), puts `r` at (start, room) and reinserts
  // them. Returns the gain in objective; the moves stay in the log.
  int64_t Trial(int r, int start, int room, const std::vector<int>& displaced) {
    ++trials_;
    for (int c : displaced) DoRemove(c);
    DoPlace(r, start, room);
    int64_t gain = model_.requests[r].priority;
    for (int c : displaced) gain -= Reinsert(c, r, /*depth=*/1);
    return gain;
  }

  // Tries to bring `r` in. True when the objective grew.
  bool TryInsert(int r) {
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
        std::sort(displaced.begin(), displaced.end(), [this](int a, int b) { return rank_[a] < rank_[b]; });
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

  // A cheap test that no move can bring `r` in: it is worth no more than the cheapest placed
  // request (so displacing anything costs at least as much as it brings), and no placed request
  // has a free place to move to (so nothing displaced could go back). Cached per committed
  // state.
  bool Hopeless(int r) {
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

  bool ImprovePass() {
    bool improved = false;
    for (int r : order_) {
      if (OutOfBudget()) break;
      if (!timetable_.placed(r) && !Hopeless(r) && TryInsert(r)) improved = true;
    }
    return improved;
  }

  // --- Exact re-optimisation of small regions.

  // The requests around `r` (placeable, not placed): those in its way at its least contested
  // places, then other meetings of their attendees, until there are limits_.region_placed of
  // them; then requests left out that share an attendee with any of these, best first, up to
  // limits_.region_left_out. In greedy order.
  std::vector<int> RegionAround(int r) {
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
    auto in_region = [&region](int x) { return std::find(region.begin(), region.end(), x) != region.end(); };
    for (const Contest& contest : contests) {
      if (static_cast<int>(region.size()) > limits_.region_placed) break;
      for (int c : contest.conflicts) {
        if (!in_region(c)) region.push_back(c);
      }
    }
    // Then their attendees' other meetings, which may have to make way.
    for (size_t i = 0; i < region.size() && static_cast<int>(region.size()) <= limits_.region_placed; ++i) {
      for (int p : model_.requests[region[i]].attendees) {
        for (int x : timetable_.MeetingsOf(p)) {
          if (static_cast<int>(region.size()) <= limits_.region_placed && !in_region(x)) region.push_back(x);
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
    if (static_cast<int>(left_out.size()) > limits_.region_left_out) left_out.resize(limits_.region_left_out);
    region.insert(region.end(), left_out.begin(), left_out.end());
    std::sort(region.begin(), region.end(), [this](int a, int b) { return rank_[a] < rank_[b]; });
    return region;
  }

  // Takes the region's requests out and puts back the best arrangement of them (by total
  // priority) into what is free, by depth-first search with a node limit. Keeps the old one
  // unless strictly better. True when the objective grew.
  bool RepairRegion(const std::vector<int>& region) {
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
    for (size_t i = n; i-- > 0;) region_suffix_[i] = region_suffix_[i + 1] + model_.requests[region[i]].priority;
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

  void RegionSearch(size_t i, int64_t value) {
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

  bool RepairPass() {
    bool improved = false;
    for (int r : order_) {
      if (repair_nodes_ >= limits_.max_repair_nodes) break;
      if (!timetable_.placed(r) && !Hopeless(r) && RepairRegion(RegionAround(r))) improved = true;
    }
    return improved;
  }


  // --- Large neighbourhood search: take out a related handful of meetings, rebuild that part
  // greedily in a slightly shuffled order with the nearby requests left out, repair by
  // ejection, and keep the result unless it is worse. Sideways moves are kept, so the search
  // wanders across plateaus of equal objective. Pseudo-random, from a fixed seed.

  uint32_t Random(uint32_t n) { return n == 0 ? 0 : static_cast<uint32_t>(rng_() % n); }

  // Placed requests to take out, related to each other.
  std::vector<int> Destroy(const std::vector<int>& placed) {
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
        const int from = timetable_.start(seed) - 2, to = timetable_.start(seed) + seed_request.slots + 2;
        auto near = [&](int m) { return timetable_.start(m) < to && from < timetable_.start(m) + model_.requests[m].slots; };
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
        const int from = timetable_.start(seed) - 1, to = timetable_.start(seed) + seed_request.slots + 1;
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

  void Restore(const std::vector<Place>& places) {
    for (int r = 0; r < static_cast<int>(places.size()); ++r) {
      if (timetable_.placed(r) && (timetable_.start(r) != places[r].start || timetable_.room(r) != places[r].room)) {
        timetable_.Remove(r);
      }
    }
    for (int r = 0; r < static_cast<int>(places.size()); ++r) {
      if (places[r].found() && !timetable_.placed(r)) timetable_.Place(r, places[r].start, places[r].room);
    }
  }

  void NeighbourhoodSearch() {
    TRACE_START;
    std::vector<int> placed, candidates;
    std::vector<std::pair<double, int>> keyed;
    int64_t best_objective = timetable_.objective();
    std::vector<Place> best_places = Placements();
    int last_improvement = 0;
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
        if (const Place place = BestFit(c); place.found()) timetable_.Place(c, place.start, place.room);
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
      static const double temperature = getenv("TEMP") ? atof(getenv("TEMP")) : 0;
      const int64_t loss = before_objective - timetable_.objective();
      if (loss > 0 && !(temperature > 0 && Random(1 << 20) < std::exp(-loss / temperature) * (1 << 20))) {
        Restore(before);
      }
      if (timetable_.objective() > best_objective) {
        best_objective = timetable_.objective();
        best_places = Placements();
        last_improvement = iteration;
      }
      if (iteration - last_improvement >= limits_.lns_patience || Optimal()) break;
#ifdef SUMMIT_SCHEDULER_TRACE
      if ((iteration & (iteration + 1)) == 0 || iteration % 500 == 0) TRACE("lns it");
#endif
    }
    if (timetable_.objective() < best_objective) Restore(best_places);
  }

  // --- The secondary goal.

  // For `request` at `start` (not placed), against its attendees' placed meetings: back-to-back
  // neighbours, then meetings on the same day, as one number (lower is better).
  int64_t SpreadCost(const ModelRequest& request, int start) const {
    const absl::Time begin = model_.StartTime(start), end = model_.EndTime(start, request.slots);
    const absl::Duration tight = model_.buffer + model_.slot_length;
    const int window = model_.window_of_slot[start];
    int64_t back_to_back = 0, same_day = 0;
    for (int p : request.attendees) {
      for (int m : timetable_.MeetingsOf(p)) {
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

  bool SpreadPass() {
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

  Timetable& timetable_;
  const ScheduleModel& model_;
  const SearchLimits limits_;
  std::vector<int> order_;  // placeable requests in greedy order
  std::vector<int> rank_;   // position of each request in order_
  std::vector<bool> scarce_person_;  // empty until priced
  std::mt19937 rng_{20231206};
  int64_t upper_bound_ = std::numeric_limits<int64_t>::max();
  std::vector<std::vector<int>> requests_of_person_;  // placeable ones, greedy order
  std::vector<Action> log_;
  // The region being repaired: its requests, the places being tried, the best found.
  std::vector<int> region_;
  std::vector<Place> region_places_;
  std::vector<Place> region_best_places_;
  std::vector<int64_t> region_suffix_;
  int64_t region_best_ = 0;
  int64_t region_nodes_left_ = 0;
  int64_t repair_nodes_ = 0;
  std::vector<std::pair<uint64_t, bool>> movable_;  // (committed_ + 1 when computed, value)
  uint64_t committed_ = 0;
  uint64_t hopeless_version_ = 0;
  int cheapest_placed_ = 0;
  bool any_movable_ = false;
  int64_t trials_ = 0;
  int64_t probes_ = 0;
};

}  // namespace

void SearchSchedule(Timetable& timetable, const RequestPricer& pricer, const SearchLimits& limits) {
  Search(timetable, limits).Run(pricer);
}

}  // namespace summit::scheduling
