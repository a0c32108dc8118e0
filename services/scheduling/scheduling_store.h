// Persistence of the scheduling resources inside one transaction, including
// the booking rows that let the database itself refuse double bookings. It
// decides nothing about who may do what; Scheduling does, in the same
// transaction.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULING_STORE_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULING_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "common/storage/proto_table.h"
#include "summit/scheduling/v1/resources.pb.h"

namespace summit::scheduling {

// A session some people or a room are already in, found by a clash check.
struct Clash {
  std::string session;  // events/{event}/sessions/{session}
  std::string person;   // people/{person}, empty for a room clash
};

class SchedulingStore {
 public:
  explicit SchedulingStore(storage::Transaction& tx) : tx_(tx) {}

  // Rooms, keyed by (event id, id).
  absl::StatusOr<std::optional<v1::Room>> FindRoom(const std::string& event_id,
                                                   const std::string& id);
  absl::Status InsertRoom(const std::string& event_id, const std::string& id, const v1::Room& room);
  absl::Status ReplaceRoom(const std::string& event_id, const std::string& id,
                           const v1::Room& room);
  absl::Status DeleteRoom(const std::string& event_id, const std::string& id);
  absl::StatusOr<std::vector<v1::Room>> ListRooms(
      const std::string& event_id, const std::vector<storage::ListCondition>& conditions,
      const std::string& after_id, int limit);
  // Sessions (cancelled ones included) that use the room, at most a few.
  absl::StatusOr<std::vector<std::string>> SessionsInRoom(const std::string& event_id,
                                                          const std::string& room_id);
  // The most participants any non-cancelled session in the room has.
  absl::StatusOr<int> LargestSessionInRoom(const std::string& event_id, const std::string& room_id);

  // Sessions, keyed by (event id, id). Insert and Replace keep the booking
  // rows in step: one per participant and one for the room, none once
  // cancelled.
  absl::StatusOr<std::optional<v1::Session>> FindSession(const std::string& event_id,
                                                         const std::string& id);
  absl::Status InsertSession(const std::string& event_id, const std::string& id,
                             const v1::Session& session);
  absl::Status ReplaceSession(const std::string& event_id, const std::string& id,
                              const v1::Session& session);
  // Sessions in time order (start, then id) after the (start, id) key given,
  // meeting the conditions; with `person`/`room_id` only theirs.
  absl::StatusOr<std::vector<v1::Session>> ListSessionsByTime(
      const std::string& event_id, const std::vector<storage::ListCondition>& conditions,
      int64_t after_start_us, const std::string& after_id, int limit);
  // Non-cancelled sessions of the event overlapping [start, end).
  absl::StatusOr<std::vector<v1::Session>> ActiveSessionsBetween(const std::string& event_id,
                                                                 absl::Time start, absl::Time end);

  // The first session, other than `except_id`, that one of `person_ids`
  // (or, for FindRoomClash, the room) is in during [start, end).
  absl::StatusOr<std::optional<Clash>> FindPersonClash(const std::string& event_id,
                                                       const std::vector<std::string>& person_ids,
                                                       absl::Time start, absl::Time end,
                                                       const std::string& except_id);
  absl::StatusOr<std::optional<Clash>> FindRoomClash(const std::string& event_id,
                                                     const std::string& room_id, absl::Time start,
                                                     absl::Time end, const std::string& except_id);
  // The first of `person_ids` unavailable at some time in [start, end).
  absl::StatusOr<std::optional<std::string>> FindUnavailable(
      const std::string& event_id, const std::vector<std::string>& person_ids, absl::Time start,
      absl::Time end);

  // Meeting requests, keyed by (event id, id).
  absl::StatusOr<std::optional<v1::MeetingRequest>> FindMeetingRequest(const std::string& event_id,
                                                                       const std::string& id);
  absl::Status InsertMeetingRequest(const std::string& event_id, const std::string& id,
                                    const v1::MeetingRequest& request);
  absl::Status ReplaceMeetingRequest(const std::string& event_id, const std::string& id,
                                     const v1::MeetingRequest& request);
  absl::StatusOr<std::vector<v1::MeetingRequest>> ListMeetingRequests(
      const std::string& event_id, const std::vector<storage::ListCondition>& conditions,
      const std::string& after_id, int limit);

  // Pair rules, keyed by (event id, id).
  absl::StatusOr<std::optional<v1::PairRule>> FindPairRule(const std::string& event_id,
                                                           const std::string& id);
  absl::Status InsertPairRule(const std::string& event_id, const std::string& id,
                              const v1::PairRule& rule);
  absl::Status DeletePairRule(const std::string& event_id, const std::string& id);
  absl::StatusOr<std::vector<v1::PairRule>> ListPairRules(const std::string& event_id,
                                                          const std::string& after_id, int limit);

  // Availability, keyed by (event id, person id); Set replaces the intervals.
  absl::StatusOr<std::optional<v1::Availability>> FindAvailability(const std::string& event_id,
                                                                   const std::string& person_id);
  absl::Status SetAvailability(const std::string& event_id, const std::string& person_id,
                               const v1::Availability& availability);
  absl::StatusOr<std::vector<v1::Availability>> AllAvailabilities(const std::string& event_id);

  // The revision of the event's scheduling data; Bump on every change a
  // schedule plan depends on.
  absl::StatusOr<int64_t> Revision(const std::string& event_id);
  absl::Status BumpRevision(const std::string& event_id);

 private:
  absl::Status WriteBookings(const std::string& event_id, const std::string& id,
                             const v1::Session& session);

  storage::Transaction& tx_;
};

// Microseconds since the Unix epoch: how times are stored.
int64_t ToMicros(absl::Time time);
int64_t ToMicros(const google::protobuf::Timestamp& timestamp);

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULING_STORE_H_
