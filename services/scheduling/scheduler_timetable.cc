#include "services/scheduling/scheduler_timetable.h"

#include <algorithm>
#include <vector>

namespace summit::scheduling {

Timetable::Timetable(const ScheduleModel& model)
    : model_(model),
      holder_(model.rooms.size() * model.num_slots(), -1),
      meetings_of_(model.people.size()),
      start_(model.requests.size(), -1),
      room_(model.requests.size(), -1) {
  for (const ModelPerson& person : model.people) person_blocked_.push_back(person.static_blocked);
  for (const ModelRoom& room : model.rooms) room_busy_.push_back(room.static_busy);
}

SlotSet Timetable::FreeStarts(const ModelRequest& request) const {
  SlotSet blocked = model_.EmptySet();
  for (int p : request.attendees) blocked |= person_blocked_[p];
  return blocked.Complement().RunStarts(request.slots) & model_.valid_starts[request.slots];
}

SlotSet Timetable::FreeStartsWithout(const ModelRequest& request, int excluded) const {
  SlotSet blocked = model_.EmptySet();
  for (int p : request.attendees) {
    const std::vector<int>& meetings = meetings_of_[p];
    if (std::find(meetings.begin(), meetings.end(), excluded) == meetings.end()) {
      blocked |= person_blocked_[p];
      continue;
    }
    blocked |= model_.people[p].static_blocked;
    for (int m : meetings) {
      if (m != excluded) {
        blocked.SetRange(model_.ZoneFrom(start_[m]),
                         model_.ZoneTo(start_[m], model_.requests[m].slots));
      }
    }
  }
  return blocked.Complement().RunStarts(request.slots) & model_.valid_starts[request.slots];
}

SlotSet Timetable::RoomFreeStarts(int room, int slots) const {
  return room_busy_[room].Complement().RunStarts(slots) & model_.valid_starts[slots];
}

bool Timetable::CanPlace(int r, int start, int room) const {
  const ModelRequest& request = model_.requests[r];
  const int end = start + request.slots;
  if (!request.placeable || placed(r) || room < request.first_fitting_room) return false;
  if (!model_.valid_starts[request.slots].Test(start)) return false;
  if (room_busy_[room].AnyInRange(start, end)) return false;
  for (int p : request.attendees) {
    if (person_blocked_[p].AnyInRange(start, end)) return false;
  }
  return true;
}

void Timetable::Place(int r, int start, int room) {
  const ModelRequest& request = model_.requests[r];
  const int end = start + request.slots;
  start_[r] = start;
  room_[r] = room;
  const int zone_from = model_.ZoneFrom(start), zone_to = model_.ZoneTo(start, request.slots);
  for (int p : request.attendees) {
    person_blocked_[p].SetRange(zone_from, zone_to);
    meetings_of_[p].push_back(r);
  }
  room_busy_[room].SetRange(start, end);
  for (int s = start; s < end; ++s) holder_[room * model_.num_slots() + s] = r;
  objective_ += request.priority;
  ++version_;
}

void Timetable::Remove(int r) {
  const ModelRequest& request = model_.requests[r];
  const int start = start_[r], room = room_[r], end = start + request.slots;
  start_[r] = room_[r] = -1;
  for (int p : request.attendees) {
    std::vector<int>& meetings = meetings_of_[p];
    meetings.erase(std::find(meetings.begin(), meetings.end(), r));
    RebuildBlocked(p);
  }
  // The room's slots were free before this placement (static busy and other holders never
  // overlap a placement), so clearing them is exact.
  room_busy_[room].ClearRange(start, end);
  for (int s = start; s < end; ++s) holder_[room * model_.num_slots() + s] = -1;
  objective_ -= request.priority;
  ++version_;
}

void Timetable::RebuildBlocked(int person) {
  // Zones of one person's meetings may overlap each other and the static busy slots, so the
  // set is rebuilt rather than cleared.
  SlotSet& blocked = person_blocked_[person];
  blocked = model_.people[person].static_blocked;
  for (int m : meetings_of_[person]) {
    blocked.SetRange(model_.ZoneFrom(start_[m]),
                     model_.ZoneTo(start_[m], model_.requests[m].slots));
  }
}

void Timetable::AttendeeConflicts(const ModelRequest& request, int start,
                                  std::vector<int>& out) const {
  out.clear();
  const int end = start + request.slots;
  for (int p : request.attendees) {
    for (int m : meetings_of_[p]) {
      if (model_.ZoneFrom(start_[m]) < end &&
          start < model_.ZoneTo(start_[m], model_.requests[m].slots)) {
        out.push_back(m);
      }
    }
  }
  if (out.size() > 1) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
}

void Timetable::AddRoomHolders(int room, int start, int slots, std::vector<int>& out) const {
  const int* holders = &holder_[room * model_.num_slots()];
  for (int s = start, last = -1; s < start + slots; ++s) {
    const int h = holders[s];
    if (h >= 0 && h != last && std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
    last = h;
  }
}

}  // namespace summit::scheduling
