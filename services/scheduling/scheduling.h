// Scheduling: who meets whom, when and where, with no clashes. Rooms,
// sessions, meeting requests, availability, pair rules, the matchmaking
// scheduler (scheduler.h) and itineraries. This is the service's domain
// layer: it authorizes the caller, validates the request, asks the Registry
// what it must (event dates and time zone, approvals, organizations) before
// its transaction, and then checks every invariant and writes inside one
// database transaction, where triggers refuse any double booking a check
// might have missed.
//
// Thread-safety: all methods may be called concurrently.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULING_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULING_H_

#include <functional>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/storage/database.h"
#include "google/protobuf/empty.pb.h"
#include "services/scheduling/registry_client.h"
#include "summit/scheduling/v1/scheduling_service.pb.h"

namespace summit::scheduling {

// Who calls, and how to make the calls their request needs to the Registry
// (with their deadline and credentials).
struct Caller {
  auth::Principal principal;
  OutgoingContextFactory outgoing;
};

class Scheduling {
 public:
  // `database` must have SchedulingMigrations() applied; it and `registry`
  // must outlive this.
  Scheduling(storage::Database& database, RegistryClient& registry,
             std::function<absl::Time()> clock = [] { return absl::Now(); })
      : database_(database), registry_(registry), clock_(std::move(clock)) {}

  absl::StatusOr<v1::Room> CreateRoom(const Caller& caller, const v1::CreateRoomRequest& request);
  absl::StatusOr<v1::Room> GetRoom(const Caller& caller, const v1::GetRoomRequest& request);
  absl::StatusOr<v1::ListRoomsResponse> ListRooms(const Caller& caller,
                                                  const v1::ListRoomsRequest& request);
  absl::StatusOr<v1::Room> UpdateRoom(const Caller& caller, const v1::UpdateRoomRequest& request);
  absl::Status DeleteRoom(const Caller& caller, const v1::DeleteRoomRequest& request);

  absl::StatusOr<v1::Session> CreateSession(const Caller& caller,
                                            const v1::CreateSessionRequest& request);
  absl::StatusOr<v1::Session> GetSession(const Caller& caller,
                                         const v1::GetSessionRequest& request);
  absl::StatusOr<v1::ListSessionsResponse> ListSessions(const Caller& caller,
                                                        const v1::ListSessionsRequest& request);
  absl::StatusOr<v1::Session> UpdateSession(const Caller& caller,
                                            const v1::UpdateSessionRequest& request);
  absl::StatusOr<v1::Session> CancelSession(const Caller& caller,
                                            const v1::CancelSessionRequest& request);

  absl::StatusOr<v1::MeetingRequest> CreateMeetingRequest(
      const Caller& caller, const v1::CreateMeetingRequestRequest& request);
  absl::StatusOr<v1::MeetingRequest> GetMeetingRequest(
      const Caller& caller, const v1::GetMeetingRequestRequest& request);
  absl::StatusOr<v1::ListMeetingRequestsResponse> ListMeetingRequests(
      const Caller& caller, const v1::ListMeetingRequestsRequest& request);
  absl::StatusOr<v1::MeetingRequest> AcceptMeetingRequest(
      const Caller& caller, const v1::AcceptMeetingRequestRequest& request);
  absl::StatusOr<v1::MeetingRequest> DeclineMeetingRequest(
      const Caller& caller, const v1::DeclineMeetingRequestRequest& request);
  absl::StatusOr<v1::MeetingRequest> WithdrawMeetingRequest(
      const Caller& caller, const v1::WithdrawMeetingRequestRequest& request);

  absl::StatusOr<v1::Availability> SetAvailability(const Caller& caller,
                                                   const v1::SetAvailabilityRequest& request);
  absl::StatusOr<v1::Availability> GetAvailability(const Caller& caller,
                                                   const v1::GetAvailabilityRequest& request);

  absl::StatusOr<v1::PairRule> CreatePairRule(const Caller& caller,
                                              const v1::CreatePairRuleRequest& request);
  absl::StatusOr<v1::ListPairRulesResponse> ListPairRules(const Caller& caller,
                                                          const v1::ListPairRulesRequest& request);
  absl::Status DeletePairRule(const Caller& caller, const v1::DeletePairRuleRequest& request);

  absl::StatusOr<v1::SchedulePlan> ProposeSchedule(const Caller& caller,
                                                   const v1::ProposeScheduleRequest& request);
  absl::StatusOr<v1::CommitScheduleResponse> CommitSchedule(
      const Caller& caller, const v1::CommitScheduleRequest& request);

  absl::StatusOr<v1::ListItineraryResponse> ListItinerary(const Caller& caller,
                                                          const v1::ListItineraryRequest& request);
  absl::StatusOr<v1::ExportCalendarResponse> ExportCalendar(
      const Caller& caller, const v1::ExportCalendarRequest& request);

 private:
  // Checks a session against every invariant and writes it (insert when
  // `create`; else replace, if the stored etag is still `expected_etag`), in
  // one transaction; `organizations` are its participants'.
  absl::Status CheckAndWriteSession(const std::string& event_id, const std::string& session_id,
                                    const v1::Session& session, bool create,
                                    const std::map<std::string, std::string>& organizations,
                                    const std::string& request_id,
                                    const std::string& expected_etag, v1::Session& result);
  // What ListItinerary and ExportCalendar share: the visible, non-cancelled
  // sessions in time order.
  absl::StatusOr<std::vector<v1::Session>> Itinerary(const Caller& caller,
                                                     const std::string& event_id,
                                                     const std::string& person,
                                                     const std::string& room, absl::Time from,
                                                     absl::Time to, int64_t after_start_us,
                                                     const std::string& after_id, int limit);
  // The organization of the calling person, "" for none (or for a caller
  // that is not a person).
  absl::StatusOr<std::string> OrganizationOfCaller(const Caller& caller);
  // The meeting request, if the caller may answer it as its invitee (or for
  // the invited organization, or as an organizer).
  absl::StatusOr<v1::MeetingRequest> GetMeetingRequestForInvitee(const Caller& caller,
                                                                 const std::string& name);
  // Moves a meeting request through its life cycle.
  absl::StatusOr<v1::MeetingRequest> ChangeMeetingRequest(
      const Caller& caller, const std::string& name, const std::string& etag,
      const std::function<absl::Status(v1::MeetingRequest&)>& change);

  storage::Database& database_;
  RegistryClient& registry_;
  std::function<absl::Time()> clock_;
};

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULING_H_
