// How the scheduler fills a timetable. Total priority first, in four steps; then the
// secondary goal.
//
// 1. Greedy, twice. First in order of priority per slot of room time (the scarcest resource
//    at a busy fair), then priority, then fewest possible starts (most constrained first), then
//    id. Then again from scratch in order of priority per *priced* use of resources, with the
//    prices of people's time and of room time that the upper bound's dual computes
//    (scheduler_bound.h): at a summit where a minister's hour is the bottleneck, that order puts
//    the requests that use little of the minister first. The better plan stays. Either way each
//    request goes to the smallest room size that has a place for it, and there to the place
//    that touches the most taken slots or window edges of the room ("best fit"), so that free
//    room time stays in long runs.
// 2. Ejection. For each request still out, every place where it could sit on its own is tried:
//    the (at most max_ejected) placed requests in its way leave, it goes in, and they go back by
//    the greedy rule wherever they fit (each may in turn push out one cheaper request). The best
//    strictly improving move is kept. Passes repeat until one improves nothing.
// 3. Region repair. Around each request still out, a region of about ten requests (those in
//    its way at its least contested places, their attendees' other meetings, and requests left
//    out nearby) is taken out and put back in the best arrangement, by depth-first search with a
//    node limit. On tiny problems the region usually holds every request that interacts with
//    the one left out, and the search is then exact.
// 4. Large neighbourhood search. Rounds of: take out a related handful of meetings (one busy
//    person's day; what surrounds one meeting; a stretch of time in every room; a few at
//    random), rebuild greedily in a slightly shuffled order with the nearby requests left out,
//    try ejection for the best of those still out, and keep the result unless worse — or even
//    then, with probability exp(-loss / temperature) as in simulated annealing; the best plan
//    seen is kept. It stops when a while has brought no better plan: lns_patience rounds and
//    lns_patience_min_probes places looked at, or lns_patience_probes places whatever the
//    rounds (on a large problem, rounds are costly).
// The search stops early when the plan meets the upper bound: nothing better exists.
//
// 5. Spreading (the set of placed requests no longer changes). Each placed meeting moves to
//    the free place that most reduces, for its attendees, first the number of back-to-back
//    neighbours (meetings with no free slot between them beyond the buffer), then the number of
//    their meetings on the same day. Where rooms are full a meeting cannot move alone, so a
//    meeting with a back-to-back neighbour may also trade times and rooms with a meeting of the
//    same length when both fit and their summed cost falls.
//
// Every limit is a count, never a clock, and the only randomness comes from a generator with a
// fixed seed: the result is the same on any machine and under any load. The limits are set so
// that the benchmark event (20,000 requests) takes about a second on one core, while problems
// of a few hundred requests get the full search.
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
  // Step 2, ejection.
  int max_ejected = 2;              // placed requests one insertion may displace
  int improvement_passes = 6;       // over all requests still out
  int64_t max_trials = 400'000;     // insert-and-repair trials, in total (steps 2 and 4)
  int64_t max_probes = 16'000'000;  // places looked at, in total (steps 2 to 4)
  // Step 3, region repair.
  int repair_passes = 3;                  // over all requests still out
  int region_placed = 6;                  // placed requests drawn into a region (about)
  int region_left_out = 4;                // requests left out drawn into a region
  int64_t region_nodes = 20'000;          // search nodes per region
  int64_t max_repair_nodes = 1'000'000;   // search nodes in total
  int64_t max_repair_probes = 2'000'000;  // places looked at while drawing regions
  // Step 4, large neighbourhood search.
  int lns_iterations = 20'000;  // destroy-and-rebuild rounds, at most
  // Patience: stop after lns_patience rounds with at least lns_patience_min_probes places
  // looked at, or after lns_patience_probes places whatever the rounds, without a better plan.
  int lns_patience = 1500;
  int64_t lns_patience_min_probes = 1'000'000;
  int64_t lns_patience_probes = 6'000'000;
  int lns_left_out_per_person = 6;  // left-out requests per person drawn into a rebuild
  int lns_insert_tries = 8;         // ejection attempts per rebuild, best candidates first
  double lns_temperature = 0.2;     // of the mean priority: how readily a worse rebuild is kept
  // Step 5, spreading.
  int spread_passes = 3;                // rounds of moves and trades
  int64_t max_swap_checks = 2'000'000;  // trades looked at, in total
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
