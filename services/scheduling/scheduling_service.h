// The gRPC face of Scheduling: each handler authenticates the caller, gives
// the domain a way to call the Registry with the caller's deadline and
// credentials, and hands the request to Scheduling. Nothing else here.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_

#include "common/auth/authenticator.h"
#include "common/observability/call_observer.h"
#include "common/server/unary_handler.h"
#include "common/server/work_queue.h"
#include "services/scheduling/scheduling.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"

namespace summit::scheduling {

class SchedulingService final : public v1::SchedulingService::CallbackService {
 public:
  // Every argument must outlive the service. Calls run on `work`: each
  // waits for the Registry or the database, and gRPC has few callback
  // threads (half the cores, at least two): on those, no more calls than
  // that could wait at once, and nothing else could be served meanwhile.
  SchedulingService(Scheduling& scheduling, const auth::Authenticator& authenticator,
                    observability::CallObserver& observer, server::WorkQueue& work)
      : scheduling_(scheduling),
        calls_{"summit.scheduling.v1.SchedulingService", authenticator, observer, &work} {}

  grpc::ServerUnaryReactor* CreateRoom(grpc::CallbackServerContext* context,
                                       const v1::CreateRoomRequest* request,
                                       v1::Room* response) override;
  grpc::ServerUnaryReactor* GetRoom(grpc::CallbackServerContext* context,
                                    const v1::GetRoomRequest* request, v1::Room* response) override;
  grpc::ServerUnaryReactor* ListRooms(grpc::CallbackServerContext* context,
                                      const v1::ListRoomsRequest* request,
                                      v1::ListRoomsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateRoom(grpc::CallbackServerContext* context,
                                       const v1::UpdateRoomRequest* request,
                                       v1::Room* response) override;
  grpc::ServerUnaryReactor* DeleteRoom(grpc::CallbackServerContext* context,
                                       const v1::DeleteRoomRequest* request,
                                       google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreateSession(grpc::CallbackServerContext* context,
                                          const v1::CreateSessionRequest* request,
                                          v1::Session* response) override;
  grpc::ServerUnaryReactor* GetSession(grpc::CallbackServerContext* context,
                                       const v1::GetSessionRequest* request,
                                       v1::Session* response) override;
  grpc::ServerUnaryReactor* ListSessions(grpc::CallbackServerContext* context,
                                         const v1::ListSessionsRequest* request,
                                         v1::ListSessionsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateSession(grpc::CallbackServerContext* context,
                                          const v1::UpdateSessionRequest* request,
                                          v1::Session* response) override;
  grpc::ServerUnaryReactor* CancelSession(grpc::CallbackServerContext* context,
                                          const v1::CancelSessionRequest* request,
                                          v1::Session* response) override;
  grpc::ServerUnaryReactor* CreateMeetingRequest(grpc::CallbackServerContext* context,
                                                 const v1::CreateMeetingRequestRequest* request,
                                                 v1::MeetingRequest* response) override;
  grpc::ServerUnaryReactor* GetMeetingRequest(grpc::CallbackServerContext* context,
                                              const v1::GetMeetingRequestRequest* request,
                                              v1::MeetingRequest* response) override;
  grpc::ServerUnaryReactor* ListMeetingRequests(grpc::CallbackServerContext* context,
                                                const v1::ListMeetingRequestsRequest* request,
                                                v1::ListMeetingRequestsResponse* response) override;
  grpc::ServerUnaryReactor* AcceptMeetingRequest(grpc::CallbackServerContext* context,
                                                 const v1::AcceptMeetingRequestRequest* request,
                                                 v1::MeetingRequest* response) override;
  grpc::ServerUnaryReactor* DeclineMeetingRequest(grpc::CallbackServerContext* context,
                                                  const v1::DeclineMeetingRequestRequest* request,
                                                  v1::MeetingRequest* response) override;
  grpc::ServerUnaryReactor* WithdrawMeetingRequest(grpc::CallbackServerContext* context,
                                                   const v1::WithdrawMeetingRequestRequest* request,
                                                   v1::MeetingRequest* response) override;
  grpc::ServerUnaryReactor* SetAvailability(grpc::CallbackServerContext* context,
                                            const v1::SetAvailabilityRequest* request,
                                            v1::Availability* response) override;
  grpc::ServerUnaryReactor* GetAvailability(grpc::CallbackServerContext* context,
                                            const v1::GetAvailabilityRequest* request,
                                            v1::Availability* response) override;
  grpc::ServerUnaryReactor* CreatePairRule(grpc::CallbackServerContext* context,
                                           const v1::CreatePairRuleRequest* request,
                                           v1::PairRule* response) override;
  grpc::ServerUnaryReactor* ListPairRules(grpc::CallbackServerContext* context,
                                          const v1::ListPairRulesRequest* request,
                                          v1::ListPairRulesResponse* response) override;
  grpc::ServerUnaryReactor* DeletePairRule(grpc::CallbackServerContext* context,
                                           const v1::DeletePairRuleRequest* request,
                                           google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* ProposeSchedule(grpc::CallbackServerContext* context,
                                            const v1::ProposeScheduleRequest* request,
                                            v1::SchedulePlan* response) override;
  grpc::ServerUnaryReactor* CommitSchedule(grpc::CallbackServerContext* context,
                                           const v1::CommitScheduleRequest* request,
                                           v1::CommitScheduleResponse* response) override;
  grpc::ServerUnaryReactor* ListItinerary(grpc::CallbackServerContext* context,
                                          const v1::ListItineraryRequest* request,
                                          v1::ListItineraryResponse* response) override;
  grpc::ServerUnaryReactor* ExportCalendar(grpc::CallbackServerContext* context,
                                           const v1::ExportCalendarRequest* request,
                                           v1::ExportCalendarResponse* response) override;

 private:
  Scheduling& scheduling_;
  server::ServiceCalls calls_;
};

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
