// Why each request is not in a finished timetable, in words for people and a reason for
// machines (schedule_plan.h). Requests that cannot be placed on their own keep the verdict the
// model gave them (invalid, pair rule, no room large enough, no common free slot). The others
// are CROWDED_OUT, named with the cheapest set of placed requests that would have to leave for
// them to fit somewhere: fewest requests, then least total priority.
//
//   UnplacedExplainer explainer(timetable);   // once, after the search
//   UnplacedRequest why = explainer.Explain(r);
//
// Finding the cheapest set is exact without trying every room at every start: at a start, the
// rooms holding none of the attendees' conflicting meetings add their holders to that set
// disjointly, so the best of them is the best room overall for that start (computed once per
// duration, start and smallest fitting room); only the rooms of those conflicting meetings need
// a look of their own.
//
// Internal to the scheduler. Thread-safety: reads the timetable; not for concurrent use with
// changes to it.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULER_EXPLAIN_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULER_EXPLAIN_H_

#include <cstdint>
#include <vector>

#include "services/scheduling/schedule_plan.h"
#include "services/scheduling/scheduler_timetable.h"

namespace summit::scheduling {

class UnplacedExplainer {
 public:
  explicit UnplacedExplainer(const Timetable& timetable);

  // `r` must not be placed.
  UnplacedRequest Explain(int r) const;

 private:
  struct RoomChoice {
    int room = -1;  // -1: no room statically free there
    int count = 0;
    int64_t priority = 0;
  };
  // Among rooms f.. statically free for `slots` slots at `start`: fewest holders, then cheapest.
  const RoomChoice& CheapestRoom(int slots, int start, int f) const {
    return cheapest_room_[(static_cast<size_t>(slots) * model_.num_slots() + start) *
                              model_.rooms.size() +
                          f];
  }
  std::vector<int> CheapestCompetitors(int r) const;

  const Timetable& timetable_;
  const ScheduleModel& model_;
  std::vector<RoomChoice> cheapest_room_;
};

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULER_EXPLAIN_H_
