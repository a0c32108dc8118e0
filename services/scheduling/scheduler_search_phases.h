// The working state of one search (scheduler_search.h) and its phases. Each phase lives in a
// file of its own:
//
//   scheduler_search.cc            Run; the greedy and its orders; snapshots; undo log
//   scheduler_ejection.cc          insert one request by displacing a few (and re-placing them)
//   scheduler_region_repair.cc     exact depth-first re-arrangement of a small region
//   scheduler_neighbourhood.cc     destroy-and-rebuild rounds (large neighbourhood search)
//   scheduler_spread.cc            the secondary goal: spread each person's day
//
// Every limit is a count (SearchLimits), and the only randomness is a generator with a fixed
// seed, so a search is a pure function of the model.
//
// Internal to the scheduler. Thread-safety: none; one search owns its timetable.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SEARCH_PHASES_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SEARCH_PHASES_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "services/scheduling/scheduler_model.h"
#include "services/scheduling/scheduler_search.h"
#include "services/scheduling/scheduler_timetable.h"

namespace summit::scheduling {

class SearchPhases {
 public:
  SearchPhases(Timetable& timetable, const SearchLimits& limits);

  void Run(const RequestPricer& pricer);

 private:
  // A start and a room; start -1 when there is none.
  struct Place {
    int start = -1;
    int room = -1;
    bool found() const { return start >= 0; }
  };

  // --- scheduler_search.cc: orders, the greedy, snapshots, undo.

  // The first greedy order: priority per slot of room time, then priority, then most
  // constrained (fewest possible starts), then index (that is, id).
  bool Before(int a, int b) const;
  // Placeable requests by Before.
  std::vector<int> DensityOrder() const;
  // Makes `order` the order of the greedy and of the later phases.
  void SetOrder(std::vector<int> order);
  // Places every request in order_ where BestFit says, if anywhere.
  void Greedy();
  // The greedy again in the order of priority per priced use of resources, where the prices
  // say which resource binds (rooms at a busy fair, a minister's time at a summit). The better
  // of the two plans stays, and its order guides the later phases.
  void PlaceByPrice(const std::vector<double>& cost);
  // Walls around [start, start + slots) in `room`: each side that is taken or is the edge of
  // a window. More walls, less fragmentation of room time.
  int Walls(const ModelRequest& request, int start, int room) const;
  // The greedy rule: the smallest room size with a free place, there the place with the most
  // walls, then the earliest, then the first room.
  Place BestFit(int r) const;
  // Snapshots: the place of every request (not found when out), and back to one.
  std::vector<Place> Placements() const;
  void Restore(const std::vector<Place>& places);
  void Clear();
  // Nothing better exists: the plan meets the upper bound.
  bool Optimal() const { return timetable_.objective() >= upper_bound_; }
  bool OutOfBudget() const {
    return trials_ >= limits_.max_trials || probes_ >= limits_.max_probes;
  }
  // Undoable moves, so that a trial can be taken back exactly.
  void DoPlace(int r, int start, int room);
  void DoRemove(int r);
  void UndoTo(size_t mark);

  // --- scheduler_ejection.cc

  // Whether placed request `c` has a free place other than its own (cached until the next
  // committed change).
  bool Movable(int c);
  // Puts `c` (just displaced) back by the greedy rule; failing that, and if `depth` allows,
  // in place of one strictly cheaper request (other than `keep`), which then goes back by the
  // greedy rule if it can. Returns the priority lost.
  int64_t Reinsert(int c, int keep, int depth);
  // Displaces `displaced` (ascending greedy rank), puts `r` at (start, room) and reinserts
  // them. Returns the gain in objective; the moves stay in the log.
  int64_t Trial(int r, int start, int room, const std::vector<int>& displaced);
  // Tries to bring `r` in, directly or by the best displacement. True when the objective grew.
  bool TryInsert(int r);
  // A cheap test that no move can bring `r` in: it is worth no more than the cheapest placed
  // request (so displacing anything costs at least as much as it brings), and no placed request
  // has a free place to move to (so nothing displaced could go back). Cached per committed
  // state.
  bool Hopeless(int r);
  // TryInsert for every request still out, in order. True when the objective grew.
  bool ImprovePass();

  // --- scheduler_region_repair.cc

  // The requests around `r` (placeable, not placed): those in its way at its least contested
  // places, then other meetings of their attendees, until there are limits_.region_placed of
  // them; then requests left out that share an attendee with any of these, best first, up to
  // limits_.region_left_out. In greedy order.
  std::vector<int> RegionAround(int r);
  // Takes the region's requests out and puts back the best arrangement of them (by total
  // priority) into what is free, by depth-first search with a node limit. Keeps the old one
  // unless strictly better. True when the objective grew.
  bool RepairRegion(const std::vector<int>& region);
  void RegionSearch(size_t i, int64_t value);
  // RepairRegion around every request still out, in order. True when the objective grew.
  bool RepairPass();
  bool RepairOutOfBudget() const {
    return repair_nodes_ >= limits_.max_repair_nodes || repair_probes_ >= limits_.max_repair_probes;
  }

  // --- scheduler_neighbourhood.cc

  // Uniform in [0, n), from the search's own generator.
  uint32_t Random(uint32_t n) { return n == 0 ? 0 : static_cast<uint32_t>(rng_() % n); }
  // Placed requests to take out, related to each other.
  std::vector<int> Destroy(const std::vector<int>& placed);
  void NeighbourhoodSearch();

  // --- scheduler_spread.cc

  // For `request` at `start`, against its attendees' placed meetings other than `ignore_a` and
  // `ignore_b`: back-to-back neighbours, then meetings on the same day, as one number (lower is
  // better).
  int64_t SpreadCost(const ModelRequest& request, int start, int ignore_a = -1,
                     int ignore_b = -1) const;
  // Moves each placed meeting to a free place of lower SpreadCost, if any. True if any moved.
  bool SpreadPass();
  // Where rooms are full, moving needs a partner: lets a meeting with a back-to-back neighbour
  // trade times (and rooms) with a meeting of the same length when that lowers their summed
  // SpreadCost and both fit. True if any traded.
  bool SwapPass();

  Timetable& timetable_;
  const ScheduleModel& model_;
  const SearchLimits limits_;

  std::vector<int> order_;                            // placeable requests in greedy order
  std::vector<int> rank_;                             // position of each request in order_
  std::vector<std::vector<int>> requests_of_person_;  // placeable ones, in order_
  std::vector<bool> scarce_person_;                   // empty until priced
  int64_t upper_bound_ = std::numeric_limits<int64_t>::max();

  struct Action {
    bool placed;  // true: Place was done; false: Remove was done
    int request;
    int start;
    int room;
  };
  std::vector<Action> log_;

  // Counts every committed change, so that caches know when they are stale.
  uint64_t committed_ = 0;
  std::vector<std::pair<uint64_t, bool>> movable_;  // (committed_ + 1 when computed, value)
  uint64_t hopeless_version_ = 0;
  int cheapest_placed_ = 0;
  bool any_movable_ = false;

  // The region being repaired: its requests, the places being tried, the best found.
  std::vector<int> region_;
  std::vector<Place> region_places_;
  std::vector<Place> region_best_places_;
  std::vector<int64_t> region_suffix_;
  int64_t region_best_ = 0;
  int64_t region_nodes_left_ = 0;

  std::mt19937 rng_{20231206};

  // Work done, against the limits.
  int64_t trials_ = 0;
  int64_t probes_ = 0;
  int64_t repair_nodes_ = 0;
  int64_t repair_probes_ = 0;
  int64_t swap_checks_ = 0;
};

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SEARCH_PHASES_H_
