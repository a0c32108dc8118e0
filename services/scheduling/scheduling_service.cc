#include "services/scheduling/scheduling_service.h"

#include "common/peers/peer_channel.h"

namespace summit::scheduling {
namespace {

// The caller as the domain sees it: who, and how to call the Registry on
// their behalf (their deadline, their credentials).
Caller CallerOf(grpc::CallbackServerContext* context, const auth::Principal& principal) {
  return Caller{principal, [context] { return peers::OutgoingContext(*context); }};
}

}  // namespace

using server::Answer;

grpc::ServerUnaryReactor* SchedulingService::CreateRoom(grpc::CallbackServerContext* context,
                                                        const v1::CreateRoomRequest* request,
                                                        v1::Room* response) {
  return Answer(context, calls_, "CreateRoom", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.CreateRoom(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::GetRoom(grpc::CallbackServerContext* context,
                                                     const v1::GetRoomRequest* request,
                                                     v1::Room* response) {
  return Answer(context, calls_, "GetRoom", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.GetRoom(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::ListRooms(grpc::CallbackServerContext* context,
                                                       const v1::ListRoomsRequest* request,
                                                       v1::ListRoomsResponse* response) {
  return Answer(context, calls_, "ListRooms", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.ListRooms(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::UpdateRoom(grpc::CallbackServerContext* context,
                                                        const v1::UpdateRoomRequest* request,
                                                        v1::Room* response) {
  return Answer(context, calls_, "UpdateRoom", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.UpdateRoom(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::DeleteRoom(grpc::CallbackServerContext* context,
                                                        const v1::DeleteRoomRequest* request,
                                                        google::protobuf::Empty* response) {
  return Answer(context, calls_, "DeleteRoom", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.DeleteRoom(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::CreateSession(grpc::CallbackServerContext* context,
                                                           const v1::CreateSessionRequest* request,
                                                           v1::Session* response) {
  return Answer(context, calls_, "CreateSession", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.CreateSession(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::GetSession(grpc::CallbackServerContext* context,
                                                        const v1::GetSessionRequest* request,
                                                        v1::Session* response) {
  return Answer(context, calls_, "GetSession", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.GetSession(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::ListSessions(grpc::CallbackServerContext* context,
                                                          const v1::ListSessionsRequest* request,
                                                          v1::ListSessionsResponse* response) {
  return Answer(context, calls_, "ListSessions", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.ListSessions(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::UpdateSession(grpc::CallbackServerContext* context,
                                                           const v1::UpdateSessionRequest* request,
                                                           v1::Session* response) {
  return Answer(context, calls_, "UpdateSession", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.UpdateSession(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::CancelSession(grpc::CallbackServerContext* context,
                                                           const v1::CancelSessionRequest* request,
                                                           v1::Session* response) {
  return Answer(context, calls_, "CancelSession", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.CancelSession(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::CreateMeetingRequest(
    grpc::CallbackServerContext* context, const v1::CreateMeetingRequestRequest* request,
    v1::MeetingRequest* response) {
  return Answer(context, calls_, "CreateMeetingRequest", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.CreateMeetingRequest(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::GetMeetingRequest(
    grpc::CallbackServerContext* context, const v1::GetMeetingRequestRequest* request,
    v1::MeetingRequest* response) {
  return Answer(context, calls_, "GetMeetingRequest", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.GetMeetingRequest(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::ListMeetingRequests(
    grpc::CallbackServerContext* context, const v1::ListMeetingRequestsRequest* request,
    v1::ListMeetingRequestsResponse* response) {
  return Answer(context, calls_, "ListMeetingRequests", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.ListMeetingRequests(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::AcceptMeetingRequest(
    grpc::CallbackServerContext* context, const v1::AcceptMeetingRequestRequest* request,
    v1::MeetingRequest* response) {
  return Answer(context, calls_, "AcceptMeetingRequest", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.AcceptMeetingRequest(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::DeclineMeetingRequest(
    grpc::CallbackServerContext* context, const v1::DeclineMeetingRequestRequest* request,
    v1::MeetingRequest* response) {
  return Answer(context, calls_, "DeclineMeetingRequest", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.DeclineMeetingRequest(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::WithdrawMeetingRequest(
    grpc::CallbackServerContext* context, const v1::WithdrawMeetingRequestRequest* request,
    v1::MeetingRequest* response) {
  return Answer(context, calls_, "WithdrawMeetingRequest", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.WithdrawMeetingRequest(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::SetAvailability(
    grpc::CallbackServerContext* context, const v1::SetAvailabilityRequest* request,
    v1::Availability* response) {
  return Answer(context, calls_, "SetAvailability", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.SetAvailability(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::GetAvailability(
    grpc::CallbackServerContext* context, const v1::GetAvailabilityRequest* request,
    v1::Availability* response) {
  return Answer(context, calls_, "GetAvailability", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.GetAvailability(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::CreatePairRule(
    grpc::CallbackServerContext* context, const v1::CreatePairRuleRequest* request,
    v1::PairRule* response) {
  return Answer(context, calls_, "CreatePairRule", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.CreatePairRule(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::ListPairRules(grpc::CallbackServerContext* context,
                                                           const v1::ListPairRulesRequest* request,
                                                           v1::ListPairRulesResponse* response) {
  return Answer(context, calls_, "ListPairRules", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.ListPairRules(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::DeletePairRule(
    grpc::CallbackServerContext* context, const v1::DeletePairRuleRequest* request,
    google::protobuf::Empty* response) {
  return Answer(context, calls_, "DeletePairRule", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.DeletePairRule(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::ProposeSchedule(
    grpc::CallbackServerContext* context, const v1::ProposeScheduleRequest* request,
    v1::SchedulePlan* response) {
  return Answer(context, calls_, "ProposeSchedule", response,
                [this, context, request](const auth::Principal& principal) {
                  return scheduling_.ProposeSchedule(CallerOf(context, principal), *request);
                });
}

grpc::ServerUnaryReactor* SchedulingService::CommitSchedule(
    grpc::CallbackServerContext* context, const v1::CommitScheduleRequest* request,
    v1::CommitScheduleResponse* response) {
  return Answer(context, calls_, "CommitSchedule", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.CommitSchedule(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::ListItinerary(grpc::CallbackServerContext* context,
                                                           const v1::ListItineraryRequest* request,
                                                           v1::ListItineraryResponse* response) {
  return Answer(context, calls_, "ListItinerary", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.ListItinerary(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* SchedulingService::ExportCalendar(
    grpc::CallbackServerContext* context, const v1::ExportCalendarRequest* request,
    v1::ExportCalendarResponse* response) {
  return Answer(context, calls_, "ExportCalendar", response, [this, context, request](const auth::Principal& principal) {
    return scheduling_.ExportCalendar(CallerOf(context, principal), *request);
  });
}

}  // namespace summit::scheduling
