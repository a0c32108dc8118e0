// How the scheduler fills a timetable, in three phases:
//
// 1. Greedy. Placeable requests in order of priority per slot of room time (the scarcest
//    resource at a busy event), then priority, then fewest possible starts (most constrained
//    first), then id. Each goes to the smallest room size that has a place for it, and there to
//    the place that touches the most walls — slots already taken, or window edges — of the
//    room and of each attendee's day ("best fit"), so that free time stays in long runs that
//    later, longer meetings can use.
// 2. Ejection. For each request still out (same order), every place where it could sit on its
//    own is tried: the at most kMaxEjected placed requests in its way leave, it goes in, and
//    they go back by the greedy rule wherever they fit (each may in turn push out one cheaper
//    request that goes back elsewhere or stays out). The best strictly improving such move is
//    kept. Passes repeat until one improves nothing, within the limits below.
// 3. Spreading (the secondary goal; the set of placed requests no longer changes). Each placed
//    meeting moves to the free place that most reduces, for its attendees, first the number of
//    back-to-back neighbours (meetings with no free slot between them beyond the buffer), then
//    the number of their meetings on the same day.
//
// Every limit is a count, never a clock, so the result is the same on any machine.
//
// Internal to the scheduler. Thread-safety: none; one call owns its timetable.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SEARCH_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SEARCH_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "services/scheduling/scheduler_timetable.h"

namespace summit::scheduling {

struct SearchLimits {
  int max_ejected = 3;           // placed requests one insertion may displace
  int improvement_passes = 6;    // over all requests still out
  int64_t max_trials = 400'000;  // insert-and-repair trials, in total
  int64_t max_probes = 20'000'000;  // places looked at by the ejection phase, in total
  int repair_passes = 3;         // over all requests still out
  int region_placed = 6;         // placed requests drawn into a region (about)
  int region_left_out = 4;       // requests left out drawn into a region
  int64_t region_nodes = 20'000;    // search nodes per region
  int64_t max_repair_nodes = 1'500'000;  // search nodes in total
  int lns_iterations = 3000;     // destroy-and-rebuild rounds, at most
  int lns_patience = 500;        // rounds without a better plan before stopping
  int lns_left_out_per_person = 6;  // left-out requests per person drawn into a rebuild
  int lns_insert_tries = 8;      // ejection attempts per rebuild, best candidates first
  int spread_passes = 2;
};

// What the bound's prices say about the problem (scheduler_bound.h).
struct SearchPrices {
  std::vector<double> request_cost;  // by request index: its use of resources, priced
  std::vector<bool> scarce_person;   // by person index: time priced above zero
  int64_t upper_bound = std::numeric_limits<int64_t>::max();  // the search stops if it meets it
};
// Given the objective of a first greedy plan, the prices; empty ones skip the priced greedy.
using RequestPricer = std::function<SearchPrices(int64_t achieved)>;

// Fills an empty timetable.
void SearchSchedule(Timetable& timetable, const RequestPricer& pricer = nullptr,
                    const SearchLimits& limits = {});

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SEARCH_H_
