// An upper bound on the best objective any plan could reach, so that a proposal can say how
// far from the best it might be. It is the minimum of four bounds, each valid on its own
// (OPT below is the placed set of a best plan; every request in it is placeable on its own,
// at a statically free start and room):
//
// 1. Placeable priority: the sum of priorities of the requests placeable on their own.
//    OPT uses no others.
//
// 2. Attendee time. Split each request's priority equally among its n attendees. Person p can
//    only attend meetings inside the runs of consecutive slots that p is free in (one window
//    each), and meetings in one run of m slots need Σ(d_i + b) ≤ m + b, where
//    b = ⌈buffer / slot length⌉ is the fewest slots between two of a person's meetings in a
//    window (slots are evenly spaced there). So the OPT meetings of p fit a knapsack of
//    capacity Σ_runs(m + b) with item weights d + b; the fractional knapsack optimum K_p
//    (greedy by value per weight) is at least their value Σ priority/n. Summing over people:
//    OPT = Σ_p Σ_{r∈OPT, p∈r} priority_r/n_r ≤ Σ_p K_p. Runs shorter than p's shortest
//    request hold nothing and are left out.
//
// 3. Room time. Let c_1 < … < c_L be the distinct room capacities and level(r) the smallest k
//    with c_k ≥ attendees(r). Requests of level ≥ k sit only in rooms of capacity ≥ c_k, and
//    only in slots where some request of level ≥ k could sit on its own ("usable" room-slots);
//    two meetings never share a room-slot. So with C_k = the number of usable room-slots of
//    rooms of capacity ≥ c_k for requests of level ≥ k, OPT satisfies, for every k,
//    Σ_{level(r) ≥ k} slots_r · x_r ≤ C_k. The LP relaxation of "max Σ priority·x under these
//    nested constraints" is a maximisation over a polymatroid (nested, i.e. laminar, capacity
//    constraints) in y_r = slots_r · x_r, so the greedy by priority per slot is optimal for it
//    (Edmonds 1970); its value bounds OPT.
//
// 4. Combined: the dual of the LP that has the constraints of 2. (per person, Σ(d + b) ≤
//    capacity) and of 3. together. For any prices λ_p, μ_k ≥ 0 of a slot of person p's time and
//    of a room-slot of level k, Σ_p λ_p cap_p + Σ_k μ_k C_k + Σ_r max(0, priority_r − cost_r),
//    with cost_r = (d_r + b)·Σ_{p∈r} λ_p + d_r·Σ_{k≤level(r)} μ_k, bounds that LP (weak
//    duality) and hence OPT. A few hundred subgradient steps improve the prices; any prices
//    give a valid bound. It is usually far below 2. and 3., since the scarce resource differs
//    from request to request (a minister's hour, or any room at all).
//
// Since priorities are integers, the bound is the floor of the smallest of the four.
//
// Internal to the scheduler. Thread-safety: pure.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULER_BOUND_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULER_BOUND_H_

#include <cstdint>
#include <vector>

#include "services/scheduling/schedule_plan.h"
#include "services/scheduling/scheduler_model.h"

namespace summit::scheduling {

// Prices of resources from the combined bound (4. above): per slot of each person's time
// (buffer included) and per room-slot of each room level.
struct ResourcePrices {
  std::vector<double> person;
  std::vector<double> level;
};

// `achieved` is the objective of a feasible plan, used to steer the combined bound's prices
// (and to stop early once the bound meets it); the bound is valid whatever it is. When
// `prices` is given, it receives the prices of the best combined bound found.
UpperBoundParts ComputeUpperBoundParts(const ScheduleModel& model, int64_t achieved,
                                       ResourcePrices* prices = nullptr);

// For each request (by index; 0 when not placeable): what its place costs at `prices`,
// (slots + buffer slots) · Σ_{attendees} person price + slots · Σ_{levels it may use} level
// price. The search's second greedy orders requests by priority per cost.
std::vector<double> PricedCosts(const ScheduleModel& model, const ResourcePrices& prices);

// The smallest of the parts.
int64_t UpperBoundOf(const UpperBoundParts& parts);

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULER_BOUND_H_
