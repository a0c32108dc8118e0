#include "gateway/views/views.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/api/field_checks.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/status/error.h"
#include "common/status/grpc_status.h"
#include "gateway/views/view_parts.h"

namespace summit::gateway {
namespace {

namespace sv1 = ::summit::scheduling::v1;
namespace tv1 = ::summit::statements::v1;

// How many latest statements an overview shows.
constexpr int kLatestStatements = 10;

// A request field that must be a resource name of `pattern`.
grpc::Status CheckName(const std::string& name, absl::string_view pattern, absl::string_view field) {
  absl::StatusOr<std::vector<std::string>> ids = api::ParseResourceName(name, pattern, field);
  return ids.ok() ? grpc::Status::OK : ToGrpcStatus(ids.status());
}

std::string Quoted(const std::string& value) { return absl::StrCat("\"", value, "\""); }

// `field = "a" OR field = "b" …` for a list filter.
std::string AnyOf(absl::string_view field, const std::vector<std::string>& values) {
  std::vector<std::string> terms;
  for (const std::string& value : values) terms.push_back(absl::StrCat(field, " = ", Quoted(value)));
  return absl::StrJoin(terms, " OR ");
}

std::vector<std::string> MembersOf(const rv1::Delegation& delegation) {
  std::vector<std::string> members;
  if (!delegation.head().empty()) members.push_back(delegation.head());
  for (const std::string& member : delegation.members()) {
    if (member != delegation.head()) members.push_back(member);
  }
  return members;
}

bool Involves(const sv1::Session& session, const std::string& person) {
  return std::find(session.participants().begin(), session.participants().end(), person) !=
         session.participants().end();
}

}  // namespace

Views::Views(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> scheduling,
             std::shared_ptr<grpc::Channel> statements, ViewsOptions options)
    : recent_events_(options.recent_facts),
      recent_organizations_(options.recent_facts),
      registry_(rv1::RegistryService::NewStub(std::move(registry))),
      scheduling_(sv1::SchedulingService::NewStub(std::move(scheduling))),
      statements_(tv1::StatementsService::NewStub(std::move(statements))) {}

grpc::Status Views::EventOverview(const ViewCaller& caller,
                                  const gv1::GetEventOverviewRequest& request,
                                  gv1::EventOverview* overview) {
  if (grpc::Status bad = CheckName(request.event(), "events/*", "event"); !bad.ok()) return bad;
  if (request.has_day()) {
    const std::string problem = api::DateProblem(request.day());
    if (!problem.empty()) return ToGrpcStatus(InvalidArgumentError({{"day", problem}}));
  }

  // One wave: every call starts at once, and each step waits only for the
  // calls it reads, so that a slow backend holds up its own sections only.
  // The event and the organizations come from recent answers when there are
  // some (every caller who may read them reads them alike); everyone a
  // delegation or session names comes with the participant list, and only a
  // person it does not name (more than a page of participants, an
  // accreditation the caller may not see) costs a BatchGetPeople after it.
  // The day's sessions are asked for with a window wide enough for any time
  // zone (UTC-12 to UTC+14) and cut to the event's local day once the event
  // is known, so that they need not wait for it when the day is known. The
  // requests outlive the wave's calls.
  std::shared_ptr<const rv1::Event> recent_event = recent_events_.Find(request.event());
  const google::type::Date* wanted_day = request.has_day()
                                             ? &request.day()
                                             : recent_event != nullptr ? &recent_event->start_date()
                                                                       : nullptr;
  rv1::GetEventRequest get_event;
  get_event.set_name(request.event());
  rv1::ListDelegationsRequest list_delegations;
  list_delegations.set_parent(request.event());
  list_delegations.set_page_size(1000);
  tv1::ListStatementsRequest latest;
  latest.set_parent(request.event());
  latest.set_order_by("publish_time desc");
  latest.set_page_size(kLatestStatements);
  sv1::ListItineraryRequest around_the_day;
  PeopleLookup lookup;
  Wave wave(caller);
  StartOrganizations(wave, lookup);
  lookup.StartParticipants(wave, *registry_, request.event());
  std::shared_ptr<CallResult<rv1::Event>> event;
  if (recent_event == nullptr) {
    event = wave.Call<rv1::Event>([&](auto* context, auto* response, auto done) {
      registry_->async()->GetEvent(context, &get_event, response, std::move(done));
    });
  }
  auto delegations = wave.Call<rv1::ListDelegationsResponse>([&](auto* context, auto* response, auto done) {
    registry_->async()->ListDelegations(context, &list_delegations, response, std::move(done));
  });
  auto statements = wave.Call<tv1::ListStatementsResponse>([&](auto* context, auto* response, auto done) {
    statements_->async()->ListStatements(context, &latest, response, std::move(done));
  });
  std::shared_ptr<CallResult<sv1::ListItineraryResponse>> sessions;
  const auto ask_sessions = [&](const google::type::Date& day) {
    const absl::CivilDay civil_day(day.year(), day.month(), day.day());
    around_the_day.set_parent(request.event());
    *around_the_day.mutable_start_time() =
        api::ToTimestamp(absl::FromCivil(civil_day, absl::UTCTimeZone()) - absl::Hours(14));
    *around_the_day.mutable_end_time() =
        api::ToTimestamp(absl::FromCivil(civil_day + 1, absl::UTCTimeZone()) + absl::Hours(12));
    around_the_day.set_page_size(1000);
    sessions = wave.Call<sv1::ListItineraryResponse>([&](auto* context, auto* response, auto done) {
      scheduling_->async()->ListItinerary(context, &around_the_day, response, std::move(done));
    });
  };
  if (wanted_day != nullptr) ask_sessions(*wanted_day);
  if (event != nullptr) {
    wave.WaitFor(event);
    if (!event->status.ok()) return event->status;
    recent_events_.Put(request.event(), event->response);
    *overview->mutable_event() = event->response;
  } else {
    // A recent event stands only beside the Registry's word on this caller and this event in
    // this wave: where it refuses the caller or no longer has the event, or answers none of the
    // view's calls, the view fails as GetEvent would have.
    wave.WaitFor(delegations);
    wave.WaitFor(lookup.participants());
    const grpc::Status& refusal = delegations->status;
    const grpc::StatusCode code = refusal.error_code();
    if (code == grpc::StatusCode::UNAUTHENTICATED || code == grpc::StatusCode::PERMISSION_DENIED ||
        code == grpc::StatusCode::NOT_FOUND ||
        (!refusal.ok() && !lookup.participants()->status.ok())) {
      return refusal;
    }
    *overview->mutable_event() = *recent_event;
  }
  const absl::TimeZone zone = ZoneOf(overview->event().time_zone());
  const google::type::Date& day = request.has_day() ? request.day() : overview->event().start_date();
  *overview->mutable_day() = day;
  if (sessions == nullptr) ask_sessions(day);

  // Everyone the delegations and the day's sessions name.
  wave.WaitFor(delegations);
  std::vector<std::string> named;
  if (delegations->status.ok()) {
    for (const rv1::Delegation& delegation : delegations->response.delegations()) {
      for (std::string& member : MembersOf(delegation)) named.push_back(std::move(member));
    }
  }
  wave.WaitFor(sessions);
  const absl::CivilDay civil_day(day.year(), day.month(), day.day());
  const absl::Time day_start = absl::FromCivil(civil_day, zone);
  const absl::Time day_end = absl::FromCivil(civil_day + 1, zone);
  std::vector<const sv1::Session*> that_day;
  if (sessions->status.ok()) {
    for (const sv1::Session& session : sessions->response.sessions()) {
      const absl::Time start = api::FromTimestamp(session.start_time());
      const absl::Time end = api::FromTimestamp(session.end_time());
      if (end <= day_start || start >= day_end) continue;
      that_day.push_back(&session);
      for (const std::string& person : session.participants()) named.push_back(person);
    }
  }
  wave.WaitFor(lookup.participants());
  lookup.StartPeople(wave, *registry_, std::move(named));
  wave.Wait();
  lookup.Finish();
  KeepOrganizations(lookup);

  if (!delegations->status.ok()) {
    *overview->mutable_delegations_error() = SectionError(delegations->status);
  } else {
    for (const rv1::Delegation& delegation : delegations->response.delegations()) {
      gv1::DelegationSummary* summary = overview->add_delegations();
      *summary->mutable_delegation() = delegation;
      for (const std::string& member : MembersOf(delegation)) {
        *summary->add_members() = lookup.Summary(member);
        if (!lookup.Named(member) && !lookup.status().ok()) {
          *overview->mutable_delegations_error() = SectionError(lookup.status());
        }
      }
    }
  }
  if (!sessions->status.ok()) {
    *overview->mutable_sessions_error() = SectionError(sessions->status);
  } else {
    for (const sv1::Session* session : that_day) {
      gv1::SessionSummary* entry = overview->add_sessions();
      *entry = SummarizeSession(*session, zone);
      for (const std::string& person : session->participants()) {
        *entry->add_participants() = lookup.Summary(person);
        if (!lookup.Named(person) && !lookup.status().ok()) {
          *overview->mutable_sessions_error() = SectionError(lookup.status());
        }
      }
    }
  }
  if (!statements->status.ok()) {
    *overview->mutable_statements_error() = SectionError(statements->status);
  } else {
    *overview->mutable_latest_statements() = statements->response.statements();
  }
  return grpc::Status::OK;
}

void Views::StartOrganizations(Wave& wave, PeopleLookup& lookup) {
  if (std::shared_ptr<const rv1::ListOrganizationsResponse> recent = recent_organizations_.Find("")) {
    lookup.UseOrganizations(std::move(recent));
  } else {
    lookup.StartOrganizations(wave, *registry_);
  }
}

void Views::KeepOrganizations(const PeopleLookup& lookup) {
  // Only a list that came back whole: a list of more than one page would be cut short.
  if (std::shared_ptr<const rv1::ListOrganizationsResponse> fetched = lookup.organizations();
      fetched != nullptr && fetched->next_page_token().empty()) {
    recent_organizations_.Put("", *fetched);
  }
}

grpc::Status Views::PersonBriefing(const ViewCaller& caller,
                                   const gv1::GetPersonBriefingRequest& request,
                                   gv1::PersonBriefing* briefing) {
  if (grpc::Status bad = CheckName(request.person(), "people/*", "person"); !bad.ok()) return bad;
  if (grpc::Status bad = CheckName(request.event(), "events/*", "event"); !bad.ok()) return bad;

  // Every call at once but the counterparts' names, which wait only for the
  // itinerary, so that a slow backend holds up its own sections only. The
  // requests outlive the wave's calls.
  rv1::GetPersonRequest get_person;
  get_person.set_name(request.person());
  rv1::GetEventRequest get_event;
  get_event.set_name(request.event());
  sv1::ListItineraryRequest itinerary_request;
  itinerary_request.set_parent(request.event());
  itinerary_request.set_person(request.person());
  itinerary_request.set_page_size(1000);
  tv1::ListStatementsRequest said;
  said.set_parent(request.event());
  said.set_filter(absl::StrCat("speaker = ", Quoted(request.person())));
  said.set_order_by("publish_time desc");
  said.set_page_size(100);
  PeopleLookup lookup;
  Wave wave(caller);
  StartOrganizations(wave, lookup);
  auto person = wave.Call<rv1::Person>([&](auto* context, auto* response, auto done) {
    registry_->async()->GetPerson(context, &get_person, response, std::move(done));
  });
  auto event = wave.Call<rv1::Event>([&](auto* context, auto* response, auto done) {
    registry_->async()->GetEvent(context, &get_event, response, std::move(done));
  });
  auto itinerary = wave.Call<sv1::ListItineraryResponse>([&](auto* context, auto* response, auto done) {
    scheduling_->async()->ListItinerary(context, &itinerary_request, response, std::move(done));
  });
  auto statements = wave.Call<tv1::ListStatementsResponse>([&](auto* context, auto* response, auto done) {
    statements_->async()->ListStatements(context, &said, response, std::move(done));
  });
  wave.WaitFor(person);
  if (!person->status.ok()) return person->status;
  *briefing->mutable_person() = person->response;

  // Their counterparts' names, once the itinerary is known.
  wave.WaitFor(itinerary);
  std::vector<std::string> counterparts;
  if (itinerary->status.ok()) {
    for (const sv1::Session& session : itinerary->response.sessions()) {
      for (const std::string& participant : session.participants()) {
        if (participant != request.person()) counterparts.push_back(participant);
      }
    }
  }
  lookup.StartPeople(wave, *registry_, counterparts);
  wave.Wait();
  lookup.Finish();
  KeepOrganizations(lookup);

  const std::string& organization = person->response.organization();
  if (!organization.empty()) {
    if (const rv1::Organization* found = lookup.Organization(organization)) {
      *briefing->mutable_organization() = *found;
    } else {
      const grpc::Status why = lookup.organizations_status();
      *briefing->mutable_organization_error() = SectionError(
          !why.ok() ? why
                    : grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat(organization, " does not exist")));
    }
  }
  if (!itinerary->status.ok()) {
    *briefing->mutable_itinerary_error() = SectionError(itinerary->status);
  } else {
    if (!lookup.status().ok()) *briefing->mutable_itinerary_error() = SectionError(lookup.status());
    const absl::TimeZone zone = ZoneOf(event->status.ok() ? event->response.time_zone() : "");
    for (const sv1::Session& session : itinerary->response.sessions()) {
      gv1::SessionSummary* entry = briefing->add_itinerary();
      *entry = SummarizeSession(session, zone);
      for (const std::string& participant : session.participants()) {
        if (participant != request.person()) *entry->add_participants() = lookup.Summary(participant);
      }
    }
  }
  if (!statements->status.ok()) {
    *briefing->mutable_statements_error() = SectionError(statements->status);
  } else {
    *briefing->mutable_statements() = statements->response.statements();
  }
  return grpc::Status::OK;
}

grpc::Status Views::DelegationBriefing(const ViewCaller& caller,
                                       const gv1::GetDelegationBriefingRequest& request,
                                       gv1::DelegationBriefing* briefing) {
  if (grpc::Status bad = CheckName(request.delegation(), "events/*/delegations/*", "delegation");
      !bad.ok()) {
    return bad;
  }
  const std::string event_name = request.delegation().substr(0, request.delegation().find("/delegations/"));

  // Every call starts as soon as what it needs is known: what is about the
  // members waits only for the delegation, so that a slow backend holds up
  // its own sections only. The requests outlive the wave's calls.
  rv1::GetDelegationRequest get_delegation;
  get_delegation.set_name(request.delegation());
  rv1::GetEventRequest get_event;
  get_event.set_name(event_name);
  sv1::ListItineraryRequest all_sessions;
  all_sessions.set_parent(event_name);
  all_sessions.set_page_size(1000);
  tv1::ListStatementsRequest signed_ones;
  signed_ones.set_parent(event_name);
  signed_ones.set_filter("kind = KIND_JOINT_STATEMENT OR kind = KIND_COMMUNIQUE");
  signed_ones.set_page_size(1000);
  sv1::ListMeetingRequestsRequest open_requests;
  tv1::ListStatementsRequest said;
  PeopleLookup lookup;
  Wave wave(caller);
  StartOrganizations(wave, lookup);
  auto delegation = wave.Call<rv1::Delegation>([&](auto* context, auto* response, auto done) {
    registry_->async()->GetDelegation(context, &get_delegation, response, std::move(done));
  });
  auto event = wave.Call<rv1::Event>([&](auto* context, auto* response, auto done) {
    registry_->async()->GetEvent(context, &get_event, response, std::move(done));
  });
  auto sessions = wave.Call<sv1::ListItineraryResponse>([&](auto* context, auto* response, auto done) {
    scheduling_->async()->ListItinerary(context, &all_sessions, response, std::move(done));
  });
  auto joint = wave.Call<tv1::ListStatementsResponse>([&](auto* context, auto* response, auto done) {
    statements_->async()->ListStatements(context, &signed_ones, response, std::move(done));
  });
  wave.WaitFor(delegation);
  if (!delegation->status.ok()) return delegation->status;
  *briefing->mutable_delegation() = delegation->response;
  const std::vector<std::string> members = MembersOf(delegation->response);

  // The members, what is asked of them, what they said.
  lookup.StartPeople(wave, *registry_, members);
  open_requests.set_parent(event_name);
  open_requests.set_filter(absl::StrCat("state = STATE_PENDING AND ", AnyOf("invitee", members)));
  open_requests.set_page_size(1000);
  std::shared_ptr<CallResult<sv1::ListMeetingRequestsResponse>> requests;
  said.set_parent(event_name);
  said.set_filter(AnyOf("speaker", members));
  said.set_order_by("publish_time desc");
  said.set_page_size(200);
  std::shared_ptr<CallResult<tv1::ListStatementsResponse>> statements;
  if (!members.empty()) {
    requests = wave.Call<sv1::ListMeetingRequestsResponse>([&](auto* context, auto* response, auto done) {
      scheduling_->async()->ListMeetingRequests(context, &open_requests, response, std::move(done));
    });
    statements = wave.Call<tv1::ListStatementsResponse>([&](auto* context, auto* response, auto done) {
      statements_->async()->ListStatements(context, &said, response, std::move(done));
    });
  }
  wave.Wait();
  lookup.Finish();
  KeepOrganizations(lookup);

  const absl::TimeZone zone = ZoneOf(event->status.ok() ? event->response.time_zone() : "");
  if (!sessions->status.ok()) {
    *briefing->mutable_members_error() = SectionError(sessions->status);
  } else if (!lookup.status().ok()) {
    *briefing->mutable_members_error() = SectionError(lookup.status());
  }
  for (const std::string& member : members) {
    gv1::MemberBriefing* entry = briefing->add_members();
    *entry->mutable_member() = lookup.Summary(member);
    if (!sessions->status.ok()) continue;
    for (const sv1::Session& session : sessions->response.sessions()) {
      if (Involves(session, member)) *entry->add_meetings() = SummarizeSession(session, zone);
    }
  }
  if (requests != nullptr) {
    if (requests->status.ok()) {
      *briefing->mutable_open_meeting_requests() = requests->response.meeting_requests();
    } else {
      *briefing->mutable_open_meeting_requests_error() = SectionError(requests->status);
    }
  }
  const grpc::Status statements_status =
      !joint->status.ok() ? joint->status
                          : (statements != nullptr ? statements->status : grpc::Status::OK);
  if (!statements_status.ok()) *briefing->mutable_statements_error() = SectionError(statements_status);
  if (statements != nullptr && statements->status.ok()) {
    *briefing->mutable_statements() = statements->response.statements();
  }
  if (joint->status.ok()) {
    for (const tv1::Statement& statement : joint->response.statements()) {
      const bool signs = std::find(statement.signatories().begin(), statement.signatories().end(),
                                   request.delegation()) != statement.signatories().end();
      if (!signs) continue;
      if (statement.state() == tv1::Statement::STATE_PUBLISHED ||
          statement.state() == tv1::Statement::STATE_RETRACTED) {
        *briefing->add_statements() = statement;
        continue;
      }
      const bool approved = std::any_of(
          statement.approvals().begin(), statement.approvals().end(), [&](const auto& approval) {
            return approval.delegation() == request.delegation() &&
                   approval.text_hash() == statement.text_hash();
          });
      if (statement.state() == tv1::Statement::STATE_IN_REVIEW && !approved) {
        *briefing->add_pending_approvals() = statement;
      }
    }
  }
  return grpc::Status::OK;
}

}  // namespace summit::gateway
