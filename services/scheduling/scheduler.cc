#include "services/scheduling/scheduler.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "services/scheduling/scheduler_bound.h"
#include "services/scheduling/scheduler_explain.h"
#include "services/scheduling/scheduler_model.h"
#include "services/scheduling/scheduler_search.h"
#include "services/scheduling/scheduler_timetable.h"

namespace summit::scheduling {
namespace {

// The secondary measure: one person's consecutive placed meetings with no free slot between
// them beyond the buffer.
int64_t BackToBackPairs(const Timetable& timetable) {
  const ScheduleModel& model = timetable.model();
  const absl::Duration tight = model.buffer + model.slot_length;
  int64_t pairs = 0;
  std::vector<std::pair<absl::Time, absl::Time>> meetings;
  for (int p = 0; p < static_cast<int>(model.people.size()); ++p) {
    meetings.clear();
    for (int m : timetable.MeetingsOf(p)) {
      meetings.emplace_back(model.StartTime(timetable.start(m)),
                            model.EndTime(timetable.start(m), model.requests[m].slots));
    }
    std::sort(meetings.begin(), meetings.end());
    for (size_t i = 1; i < meetings.size(); ++i) {
      if (meetings[i].first - meetings[i - 1].second < tight) ++pairs;
    }
  }
  return pairs;
}

}  // namespace

absl::StatusOr<SchedulePlan> ProposeSchedule(const ScheduleProblem& problem) {
  if (absl::Status status = ValidateScheduleProblem(problem); !status.ok()) return status;
  const ScheduleModel model = BuildScheduleModel(problem);
  Timetable timetable(model);
  // The bound is computed once the first greedy plan is known: its objective steers the
  // bound's prices, which in turn order the search's second greedy.
  UpperBoundParts bound_parts;
  bool bounded = false;
  SearchSchedule(timetable, [&](int64_t achieved) {
    ResourcePrices prices;
    bound_parts = ComputeUpperBoundParts(model, achieved, &prices);
    bounded = true;
    SearchPrices search_prices{PricedCosts(model, prices),
                               std::vector<bool>(model.people.size(), false),
                               UpperBoundOf(bound_parts)};
    for (size_t p = 0; p < prices.person.size(); ++p) {
      search_prices.scarce_person[p] = prices.person[p] > 0;
    }
    return search_prices;
  });
  if (!bounded) bound_parts = ComputeUpperBoundParts(model, timetable.objective());

  SchedulePlan plan;
  const UnplacedExplainer explainer(timetable);
  for (int r = 0; r < static_cast<int>(model.requests.size()); ++r) {
    const ModelRequest& request = model.requests[r];
    if (!timetable.placed(r)) {
      plan.unplaced.push_back(explainer.Explain(r));
      continue;
    }
    const int start = timetable.start(r);
    // The meeting lasts its own duration; the grid holds whole slots for it (HeldDuration).
    plan.placements.push_back({request.source->id, model.rooms[timetable.room(r)].source->id,
                               model.StartTime(start),
                               model.StartTime(start) + request.source->duration});
    plan.objective += request.priority;
  }
  std::sort(plan.placements.begin(), plan.placements.end(),
            [](const SchedulePlacement& a, const SchedulePlacement& b) {
              return std::tie(a.start, a.room_id, a.request_id) <
                     std::tie(b.start, b.room_id, b.request_id);
            });
  // Requests are indexed by id, so `unplaced` is in id order already.
  plan.bound_parts = bound_parts;
  plan.upper_bound = UpperBoundOf(plan.bound_parts);
  plan.back_to_back_pairs = BackToBackPairs(timetable);
  return plan;
}

}  // namespace summit::scheduling
