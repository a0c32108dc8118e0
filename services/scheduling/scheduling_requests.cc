// Scheduling: meeting requests and their life cycle.
#include "common/api/field_checks.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/auth/access.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/list_query.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/scheduling_internal.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/scheduling_validation.h"

namespace summit::scheduling {
namespace {

using State = v1::MeetingRequest::State;
constexpr absl::string_view kPattern = "events/*/meetingRequests/*";
constexpr int kDefaultPriority = 5;

bool IsOrganizationInvitee(const v1::MeetingRequest& request) {
  return absl::StartsWith(request.invitee(), "organizations/");
}

absl::Status TransitionError(const v1::MeetingRequest& request, State to) {
  return ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "INVALID_MEETING_REQUEST_TRANSITION",
      absl::StrCat(request.name(), " is ", v1::MeetingRequest::State_Name(request.state()),
                   " and cannot become ", v1::MeetingRequest::State_Name(to)),
      {{"meeting_request", request.name()}});
}

// The pair rule, if any, that forbids these organizations to meet.
absl::StatusOr<std::optional<v1::PairRule>> BlockingRule(SchedulingStore& store,
                                                         const std::string& event_id,
                                                         const std::string& organization_a,
                                                         const std::string& organization_b) {
  if (organization_a.empty() || organization_b.empty()) return std::optional<v1::PairRule>();
  ASSIGN_OR_RETURN(std::vector<v1::PairRule> rules, store.ListPairRules(event_id, "", 1 << 30));
  for (const v1::PairRule& rule : rules) {
    if ((rule.organization_a() == organization_a && rule.organization_b() == organization_b) ||
        (rule.organization_a() == organization_b && rule.organization_b() == organization_a)) {
      return std::optional<v1::PairRule>(rule);
    }
  }
  return std::optional<v1::PairRule>();
}

}  // namespace

absl::StatusOr<v1::MeetingRequest> Scheduling::CreateMeetingRequest(
    const Caller& caller, const v1::CreateMeetingRequestRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  const v1::MeetingRequest& asked = request.meeting_request();
  if (!caller.principal.IsOrganizer() &&
      !(caller.principal.IsDelegate() && caller.principal.Is(asked.requester()))) {
    return auth::Refuse(caller.principal, "NOT_REQUESTER",
                        "only organizers, or delegates for themselves, may ask for meetings");
  }
  std::vector<FieldViolation> violations = ValidateMeetingRequest(asked, "meeting_request");
  ValidateOptionalId(request.meeting_request_id(), "meeting_request_id", violations);
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  v1::MeetingRequest meeting;
  const std::string id = api::ChosenOrNewId(request.meeting_request_id());
  meeting.set_name(absl::StrCat(request.parent(), "/meetingRequests/", id));
  meeting.set_requester(asked.requester());
  meeting.set_invitee(asked.invitee());
  meeting.set_topic(asked.topic());
  *meeting.mutable_duration() = asked.duration();
  meeting.set_priority(asked.priority() == 0 ? kDefaultPriority : asked.priority());
  meeting.set_state(v1::MeetingRequest::STATE_PENDING);
  api::StampCreated(meeting, clock_());

  std::vector<std::string> people = {meeting.requester()};
  if (IsOrganizationInvitee(meeting)) {
    RETURN_IF_ERROR(registry_.CheckOrganizationExists(caller.outgoing, meeting.invitee(),
                                                      "meeting_request.invitee"));
  } else {
    people.push_back(meeting.invitee());
  }
  RETURN_IF_ERROR(registry_.CheckApproved(caller.outgoing, request.parent(), people));
  ASSIGN_OR_RETURN(auto organizations, registry_.OrganizationsOf(caller.outgoing, people));
  const std::string requester_org = organizations[meeting.requester()];
  const std::string invitee_org =
      IsOrganizationInvitee(meeting) ? meeting.invitee() : organizations[meeting.invitee()];

  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    return storage::CreateOnce<v1::MeetingRequest>(
        tx, request.request_id(),
        [&](const std::string& name) -> absl::StatusOr<std::optional<v1::MeetingRequest>> {
          ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(name, kPattern, "name"));
          return store.FindMeetingRequest(ids[0], ids[1]);
        },
        [&]() -> absl::Status {
          ASSIGN_OR_RETURN(std::optional<v1::MeetingRequest> existing,
                           store.FindMeetingRequest(event_id, id));
          if (existing.has_value()) return AlreadyExistsError(meeting.name());
          ASSIGN_OR_RETURN(std::optional<v1::PairRule> rule,
                           BlockingRule(store, event_id, requester_org, invitee_org));
          if (rule.has_value()) {
            return internal::PairRuleRefusal(caller.principal, requester_org, invitee_org, *rule);
          }
          RETURN_IF_ERROR(store.InsertMeetingRequest(event_id, id, meeting));
          return store.BumpRevision(event_id);
        },
        meeting);
  }));
  return meeting;
}

absl::StatusOr<v1::MeetingRequest> Scheduling::GetMeetingRequest(
    const Caller& caller, const v1::GetMeetingRequestRequest& request) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(request.name(), kPattern, "name"));
  std::optional<v1::MeetingRequest> meeting;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(meeting, SchedulingStore(tx).FindMeetingRequest(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!meeting.has_value()) return NotFoundError(request.name());
  if (internal::MayReadMeetingRequest(caller.principal, *meeting)) return *std::move(meeting);
  // Members of an invited organization see what is addressed to it.
  if (IsOrganizationInvitee(*meeting)) {
    ASSIGN_OR_RETURN(std::string organization, OrganizationOfCaller(caller));
    if (organization == meeting->invitee()) return *std::move(meeting);
  }
  return NotFoundError(request.name());
}

absl::StatusOr<v1::ListMeetingRequestsResponse> Scheduling::ListMeetingRequests(
    const Caller& caller, const v1::ListMeetingRequestsRequest& request) {
  static const storage::FilterField kFields[] = {
      {"state", "state = ?", v1::MeetingRequest::State_descriptor()},
      {"requester", "requester_id = ?", nullptr, "people/"},
      {"invitee", "invitee = ?"},
      {"attendee", "attendee_id = ?", nullptr, "people/"},
  };
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  ASSIGN_OR_RETURN(storage::ListQuery query,
                   storage::ParseListQuery(absl::StrCat(request.parent(), "/meetingRequests"),
                                           request.page_size(), request.page_token(),
                                           request.filter(), kFields));
  if (!auth::SeesEverything(caller.principal)) {
    // Others see the requests they take part in, and those addressed to
    // their organization. substr(invitee, 8) is the person id of a
    // `people/…` invitee, and never a person id otherwise.
    ASSIGN_OR_RETURN(std::string organization, OrganizationOfCaller(caller));
    query.conditions.push_back(
        {"? IN (requester_id, attendee_id, substr(invitee, 8)) OR invitee = ?",
         std::vector<storage::SqlValue>{internal::PersonId(caller.principal.subject),
                                        organization.empty() ? "-" : organization}});
  }
  std::vector<v1::MeetingRequest> meetings;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(meetings, SchedulingStore(tx).ListMeetingRequests(
                                   event_id, query.conditions, query.after_id, query.fetch_limit()));
    return absl::OkStatus();
  }));
  v1::ListMeetingRequestsResponse response;
  response.set_next_page_token(query.FinishPage(meetings));
  for (v1::MeetingRequest& meeting : meetings) *response.add_meeting_requests() = std::move(meeting);
  return response;
}

absl::StatusOr<v1::MeetingRequest> Scheduling::ChangeMeetingRequest(
    const Caller& caller, const std::string& name, const std::string& etag,
    const std::function<absl::Status(v1::MeetingRequest&)>& change) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(name, kPattern, "name"));
  v1::MeetingRequest updated;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::MeetingRequest> stored,
                     store.FindMeetingRequest(ids[0], ids[1]));
    // Who may make the change is checked before (GetMeetingRequestForInvitee,
    // or WithdrawMeetingRequest's read), so that a caller who may not see
    // the request learns nothing from its etag or state.
    if (!stored.has_value()) return NotFoundError(name);
    RETURN_IF_ERROR(api::CheckEtag(etag, stored->etag(), stored->name()));
    updated = *std::move(stored);
    RETURN_IF_ERROR(change(updated));
    api::StampUpdated(updated, clock_());
    RETURN_IF_ERROR(store.ReplaceMeetingRequest(ids[0], ids[1], updated));
    return store.BumpRevision(ids[0]);
  }));
  return updated;
}

absl::StatusOr<std::string> Scheduling::OrganizationOfCaller(const Caller& caller) {
  const std::string& subject = caller.principal.subject;
  if (!absl::StartsWith(subject, "people/")) return std::string();
  absl::StatusOr<std::map<std::string, std::string>> organizations =
      registry_.OrganizationsOf(caller.outgoing, {subject});
  // A caller the Registry does not know belongs to no organization.
  if (absl::IsNotFound(organizations.status())) return std::string();
  if (!organizations.ok()) return organizations.status();
  return (*organizations)[subject];
}

absl::StatusOr<v1::MeetingRequest> Scheduling::GetMeetingRequestForInvitee(
    const Caller& caller, const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, api::ParseResourceName(name, kPattern, "name"));
  std::optional<v1::MeetingRequest> meeting;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(meeting, SchedulingStore(tx).FindMeetingRequest(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!meeting.has_value()) return NotFoundError(name);
  if (caller.principal.IsOrganizer() || caller.principal.Is(meeting->invitee())) return *meeting;
  if (IsOrganizationInvitee(*meeting)) {
    ASSIGN_OR_RETURN(std::string organization, OrganizationOfCaller(caller));
    if (organization == meeting->invitee()) return *meeting;
  }
  if (!internal::MayReadMeetingRequest(caller.principal, *meeting)) return NotFoundError(name);
  return auth::Refuse(caller.principal, "NOT_INVITEE",
                      "only the invitee, a member of the invited organization or an organizer "
                      "may answer a meeting request");
}

absl::StatusOr<v1::MeetingRequest> Scheduling::AcceptMeetingRequest(
    const Caller& caller, const v1::AcceptMeetingRequestRequest& request) {
  ASSIGN_OR_RETURN(v1::MeetingRequest current,
                   GetMeetingRequestForInvitee(caller, request.name()));
  // Who attends: the invited person, or for an organization the member who
  // accepts (an organizer names them).
  std::string attendee = current.invitee();
  if (IsOrganizationInvitee(current)) {
    attendee = caller.principal.IsOrganizer() ? request.attendee() : caller.principal.subject;
    if (attendee.empty()) {
      return InvalidArgumentError(
          {{"attendee", "required: who attends for " + current.invitee() + ", people/{person}"}});
    }
    ASSIGN_OR_RETURN(auto organizations, registry_.OrganizationsOf(caller.outgoing, {attendee}));
    if (organizations[attendee] != current.invitee()) {
      return InvalidArgumentError(
          {{"attendee", absl::StrCat(attendee, " is not of ", current.invitee())}});
    }
  }
  const std::string event = current.name().substr(0, current.name().find("/meetingRequests/"));
  RETURN_IF_ERROR(registry_.CheckApproved(caller.outgoing, event, {attendee}));
  return ChangeMeetingRequest(caller, request.name(), request.etag(),
                              [&](v1::MeetingRequest& meeting) -> absl::Status {
                                if (meeting.state() != v1::MeetingRequest::STATE_PENDING) {
                                  return TransitionError(meeting, v1::MeetingRequest::STATE_ACCEPTED);
                                }
                                meeting.set_state(v1::MeetingRequest::STATE_ACCEPTED);
                                meeting.set_attendee(attendee);
                                return absl::OkStatus();
                              });
}

absl::StatusOr<v1::MeetingRequest> Scheduling::DeclineMeetingRequest(
    const Caller& caller, const v1::DeclineMeetingRequestRequest& request) {
  RETURN_IF_ERROR(GetMeetingRequestForInvitee(caller, request.name()).status());
  if (std::string problem = api::TextProblem(request.reason(), 1000, /*required=*/true);
      !problem.empty()) {
    return InvalidArgumentError({{"reason", problem}});
  }
  return ChangeMeetingRequest(caller, request.name(), request.etag(),
                              [&](v1::MeetingRequest& meeting) -> absl::Status {
                                if (meeting.state() != v1::MeetingRequest::STATE_PENDING) {
                                  return TransitionError(meeting, v1::MeetingRequest::STATE_DECLINED);
                                }
                                meeting.set_state(v1::MeetingRequest::STATE_DECLINED);
                                meeting.set_state_reason(request.reason());
                                return absl::OkStatus();
                              });
}

absl::StatusOr<v1::MeetingRequest> Scheduling::WithdrawMeetingRequest(
    const Caller& caller, const v1::WithdrawMeetingRequestRequest& request) {
  // Who may not see the request learns nothing of it, not even that it
  // exists: NOT_FOUND, as a read answers, before its etag or state is
  // looked at. The requester never changes, so this check holds for the
  // change below.
  v1::GetMeetingRequestRequest read;
  read.set_name(request.name());
  ASSIGN_OR_RETURN(v1::MeetingRequest current, GetMeetingRequest(caller, read));
  if (!caller.principal.IsOrganizer() && !caller.principal.Is(current.requester())) {
    return auth::Refuse(caller.principal, "NOT_REQUESTER",
                        "only the requester or an organizer may withdraw a meeting request");
  }
  return ChangeMeetingRequest(
      caller, request.name(), request.etag(), [&](v1::MeetingRequest& meeting) -> absl::Status {
        const State state = meeting.state();
        if (state != v1::MeetingRequest::STATE_PENDING && state != v1::MeetingRequest::STATE_ACCEPTED &&
            state != v1::MeetingRequest::STATE_UNSCHEDULABLE) {
          return TransitionError(meeting, v1::MeetingRequest::STATE_WITHDRAWN);
        }
        meeting.set_state(v1::MeetingRequest::STATE_WITHDRAWN);
        return absl::OkStatus();
      });
}

}  // namespace summit::scheduling
