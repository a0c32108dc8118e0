#include "services/scheduling/scheduler_bound.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace summit::scheduling {
namespace {

// Floating sums of fractions are exact to far better than this; the true value is at least
// OPT, an integer, so flooring after adding it never drops below OPT.
constexpr double kSlack = 1e-6;

int64_t Floor(double value) { return static_cast<int64_t>(std::floor(value + kSlack)); }

// The buffer in whole slots: the fewest slots between two meetings of one person in a window.
int BufferSlots(const ScheduleModel& model) {
  absl::Duration remainder;
  const int64_t whole = absl::IDivDuration(model.buffer, model.slot_length, &remainder);
  return static_cast<int>(whole + (remainder > absl::ZeroDuration() ? 1 : 0));
}

struct Item {
  double value;
  double weight;
};

// Fractional knapsack: the greedy by value per weight is optimal.
double FractionalKnapsack(std::vector<Item>& items, double capacity) {
  std::sort(items.begin(), items.end(),
            [](const Item& a, const Item& b) { return a.value * b.weight > b.value * a.weight; });
  double total = 0;
  for (const Item& item : items) {
    if (capacity <= 0) break;
    const double taken = std::min(item.weight, capacity);
    total += item.value * taken / item.weight;
    capacity -= taken;
  }
  return total;
}

// What each person and each room level can hold; shared by the bounds below.
struct Capacities {
  // Person p: Σ over p's free runs (one window each) of (run length + b), leaving out runs
  // shorter than p's shortest placeable request.
  std::vector<int64_t> person;
  // Room levels (distinct capacities, ascending) and C_k, the usable room-slots of level k.
  std::vector<int> level_of_room;
  std::vector<int64_t> level;
};

// The level of each room: the index of its capacity among the distinct capacities, ascending.
std::vector<int> LevelOfRoom(const ScheduleModel& model) {
  std::vector<int> level_of_room(model.rooms.size());
  for (size_t k = 0, level = 0; k < model.rooms.size(); ++k) {
    if (k > 0 && model.rooms[k].capacity != model.rooms[k - 1].capacity) ++level;
    level_of_room[k] = static_cast<int>(level);
  }
  return level_of_room;
}

Capacities ComputeCapacities(const ScheduleModel& model) {
  Capacities capacities;
  const int buffer_slots = BufferSlots(model);
  std::vector<int> shortest(model.people.size(), std::numeric_limits<int>::max());
  for (const ModelRequest& request : model.requests) {
    if (!request.placeable) continue;
    for (int p : request.attendees) shortest[p] = std::min(shortest[p], request.slots);
  }
  capacities.person.assign(model.people.size(), 0);
  for (int p = 0; p < static_cast<int>(model.people.size()); ++p) {
    const SlotSet& blocked = model.people[p].static_blocked;
    for (int s = 0, run = 0; s < model.num_slots(); ++s) {
      run = blocked.Test(s) ? 0 : run + 1;
      const bool run_ends = s + 1 == model.num_slots() || blocked.Test(s + 1) ||
                            model.window_of_slot[s + 1] != model.window_of_slot[s];
      if (run_ends) {
        if (run >= shortest[p]) capacities.person[p] += run + buffer_slots;
        run = 0;
      }
    }
  }

  const int rooms = static_cast<int>(model.rooms.size());
  if (rooms == 0) return capacities;
  capacities.level_of_room = LevelOfRoom(model);
  const int levels = capacities.level_of_room.back() + 1;
  // usable[k][j]: slots of room k that a placeable request of level j could occupy on its own.
  std::vector<std::vector<SlotSet>> usable(rooms, std::vector<SlotSet>(levels, model.EmptySet()));
  for (const ModelRequest& request : model.requests) {
    if (!request.placeable) continue;
    const int level = capacities.level_of_room[request.first_fitting_room];
    for (int k = request.first_fitting_room; k < rooms; ++k) {
      const SlotSet starts =
          request.static_places & model.rooms[k].static_free_starts[request.slots];
      SlotSet occupied = starts;
      for (int i = 1; i < request.slots; ++i) occupied |= starts.ShiftedUp(i);
      usable[k][level] |= occupied;
    }
  }
  // C_j: usable room-slots of rooms of level >= j, counting only requests of level >= j.
  capacities.level.assign(levels, 0);
  for (int k = 0; k < rooms; ++k) {
    SlotSet from_level = model.EmptySet();
    for (int j = capacities.level_of_room[k]; j >= 0; --j) {
      from_level |= usable[k][j];  // requests of levels j..level_of_room[k]
      capacities.level[j] += from_level.Count();
    }
  }
  return capacities;
}

int64_t AttendeeTimeBound(const ScheduleModel& model, const Capacities& capacities) {
  const int buffer_slots = BufferSlots(model);
  std::vector<std::vector<Item>> items(model.people.size());
  for (const ModelRequest& request : model.requests) {
    if (!request.placeable) continue;
    for (int p : request.attendees) {
      items[p].push_back({static_cast<double>(request.priority) / request.attendees.size(),
                          static_cast<double>(request.slots + buffer_slots)});
    }
  }
  double total = 0;
  for (size_t p = 0; p < items.size(); ++p) {
    if (!items[p].empty())
      total += FractionalKnapsack(items[p], static_cast<double>(capacities.person[p]));
  }
  return Floor(total);
}

int64_t RoomTimeBound(const ScheduleModel& model, const Capacities& capacities) {
  if (model.rooms.empty()) return 0;
  struct Entry {
    int priority;
    int slots;
    int level;
  };
  std::vector<Entry> entries;
  for (const ModelRequest& request : model.requests) {
    if (request.placeable) {
      entries.push_back(
          {request.priority, request.slots, capacities.level_of_room[request.first_fitting_room]});
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return int64_t{a.priority} * b.slots > int64_t{b.priority} * a.slots;
  });
  std::vector<int64_t> remaining = capacities.level;
  int64_t whole = 0;
  double partial = 0;
  for (const Entry& entry : entries) {
    int64_t amount = entry.slots;
    for (int k = 0; k <= entry.level; ++k) amount = std::min(amount, remaining[k]);
    if (amount <= 0) continue;
    for (int k = 0; k <= entry.level; ++k) remaining[k] -= amount;
    if (amount == entry.slots) {
      whole += entry.priority;
    } else {
      partial += static_cast<double>(entry.priority) * amount / entry.slots;
    }
  }
  return whole + Floor(partial);
}

// The dual of the LP that has both the attendee-time constraints (Σ_{r∋p} (slots_r + b) x_r ≤
// cap_p, the capacities of AttendeeTimeBound) and the room-time constraints of RoomTimeBound:
// for any prices λ_p, μ_k ≥ 0,
//   Σ_p λ_p cap_p + Σ_k μ_k C_k + Σ_r max(0, priority_r − (slots_r + b) Σ_{p∈r} λ_p
//                                             − slots_r Σ_{k ≤ level(r)} μ_k)
// bounds that LP (weak duality), hence OPT. The prices are improved by subgradient steps
// (Polyak's rule towards `achieved`, a known feasible objective); the smallest value seen is
// kept. Any prices give a valid bound, so stopping early only loosens it.
int64_t CombinedBound(const ScheduleModel& model, const Capacities& capacities, int64_t achieved,
                      ResourcePrices* prices) {
  if (model.rooms.empty()) return 0;
  const std::vector<int64_t>& person_capacity = capacities.person;
  const std::vector<int64_t>& level_capacity = capacities.level;
  const std::vector<int>& level_of_room = capacities.level_of_room;
  constexpr int kIterations = 300;
  const int buffer_slots = BufferSlots(model);
  const int levels = static_cast<int>(level_capacity.size());
  std::vector<const ModelRequest*> requests;
  for (const ModelRequest& request : model.requests) {
    if (request.placeable) requests.push_back(&request);
  }
  std::vector<double> lambda(model.people.size(), 0.0), mu(levels, 0.0);
  std::vector<double> person_gradient(model.people.size()), level_gradient(levels);
  double best = std::numeric_limits<double>::infinity();
  double step_scale = 2.0;
  int since_improvement = 0;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    double value = 0;
    for (size_t p = 0; p < lambda.size(); ++p) {
      value += lambda[p] * person_capacity[p];
      person_gradient[p] = static_cast<double>(person_capacity[p]);
    }
    for (int k = 0; k < levels; ++k) {
      value += mu[k] * level_capacity[k];
      level_gradient[k] = static_cast<double>(level_capacity[k]);
    }
    for (const ModelRequest* request : requests) {
      const int level = level_of_room[request->first_fitting_room];
      double price = 0;
      for (int p : request->attendees) price += lambda[p];
      price *= request->slots + buffer_slots;
      double room_price = 0;
      for (int k = 0; k <= level; ++k) room_price += mu[k];
      price += room_price * request->slots;
      if (request->priority - price <= 0) continue;
      value += request->priority - price;
      for (int p : request->attendees) person_gradient[p] -= request->slots + buffer_slots;
      for (int k = 0; k <= level; ++k) level_gradient[k] -= request->slots;
    }
    if (value < best - 1e-9) {
      best = value;
      since_improvement = 0;
      if (prices != nullptr) *prices = {lambda, mu};
    } else if (++since_improvement >= 10) {
      step_scale /= 2;
      since_improvement = 0;
    }
    if (std::floor(best + kSlack) <= achieved) break;  // proven optimal; nothing to gain
    double norm = 0;
    for (size_t p = 0; p < lambda.size(); ++p) {
      // Prices at zero with slack to spare stay at zero: that part of the gradient is moot.
      if (lambda[p] > 0 || person_gradient[p] < 0) norm += person_gradient[p] * person_gradient[p];
    }
    for (int k = 0; k < levels; ++k) {
      if (mu[k] > 0 || level_gradient[k] < 0) norm += level_gradient[k] * level_gradient[k];
    }
    if (norm == 0) break;  // x is feasible for the LP with complementary slackness: optimal
    const double step = step_scale * (value - static_cast<double>(achieved)) / norm;
    for (size_t p = 0; p < lambda.size(); ++p)
      lambda[p] = std::max(0.0, lambda[p] - step * person_gradient[p]);
    for (int k = 0; k < levels; ++k) mu[k] = std::max(0.0, mu[k] - step * level_gradient[k]);
  }
  return Floor(best);
}

}  // namespace

UpperBoundParts ComputeUpperBoundParts(const ScheduleModel& model, int64_t achieved,
                                       ResourcePrices* prices) {
  UpperBoundParts parts;
  for (const ModelRequest& request : model.requests) {
    if (request.placeable) parts.placeable_priority += request.priority;
  }
  const Capacities capacities = ComputeCapacities(model);
  parts.attendee_time = AttendeeTimeBound(model, capacities);
  parts.room_time = RoomTimeBound(model, capacities);
  parts.combined = CombinedBound(model, capacities, achieved, prices);
  return parts;
}

std::vector<double> PricedCosts(const ScheduleModel& model, const ResourcePrices& prices) {
  std::vector<double> costs(model.requests.size(), 0.0);
  if (prices.level.empty()) return costs;
  const Capacities levels_only = {{}, LevelOfRoom(model), {}};
  const int buffer_slots = BufferSlots(model);
  for (size_t r = 0; r < model.requests.size(); ++r) {
    const ModelRequest& request = model.requests[r];
    if (!request.placeable) continue;
    double person = 0, room = 0;
    for (int p : request.attendees) person += prices.person[p];
    for (int k = 0; k <= levels_only.level_of_room[request.first_fitting_room]; ++k)
      room += prices.level[k];
    costs[r] = person * (request.slots + buffer_slots) + room * request.slots;
  }
  return costs;
}

int64_t UpperBoundOf(const UpperBoundParts& parts) {
  return std::min({parts.placeable_priority, parts.attendee_time, parts.room_time, parts.combined});
}

}  // namespace summit::scheduling
