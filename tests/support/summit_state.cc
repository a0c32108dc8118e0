#include "tests/support/summit_state.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "grpcpp/client_context.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/rpc_status.h"

namespace summit::testing {
namespace {

namespace rv1 = ::summit::registry::v1;
namespace sv1 = ::summit::scheduling::v1;
namespace tv1 = ::summit::statements::v1;

// Lists of a few thousand items at most: a bound on the pages read, not a limit of the data.
constexpr int kMaxPages = 100;

// Appends every page of a list to `out` (without page tokens, which are not state), and
// returns the pages read.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<std::vector<Response>> ReadAll(
    Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    Request request, const std::string& token, std::string& out) {
  std::vector<Response> pages;
  request.set_page_size(1000);
  for (int page = 0; page < kMaxPages; ++page) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    Response response;
    const grpc::Status status = (stub.*method)(&context, request, &response);
    if (!status.ok()) {
      return absl::InternalError(absl::StrCat(Request::descriptor()->name(), " ",
                                              request.ShortDebugString(), ": ", Describe(status)));
    }
    const std::string next = response.next_page_token();
    response.clear_next_page_token();
    absl::StrAppend(&out, Response::descriptor()->name(), " ", response.ShortDebugString(), "\n");
    pages.push_back(std::move(response));
    if (next.empty()) return pages;
    request.set_page_token(next);
  }
  return absl::OutOfRangeError(absl::StrCat(Request::descriptor()->name(), ": too many pages"));
}

}  // namespace

absl::StatusOr<std::string> ReadSummitState(const Suite& suite,
                                            const std::vector<std::string>& events,
                                            const std::vector<std::string>& availabilities) {
  const std::string token = suite.Token({"people/duty-officer", auth::Role::kOrganizer});
  auto registry = rv1::RegistryService::NewStub(suite.Channel(Server::kRegistry));
  auto scheduling = sv1::SchedulingService::NewStub(suite.Channel(Server::kScheduling));
  auto statements = tv1::StatementsService::NewStub(suite.Channel(Server::kStatements));
  std::string state;
  absl::Status status;
  auto note = [&status](const absl::Status& result) {
    if (status.ok()) status = result;
  };
  note(ReadAll(*registry, &rv1::RegistryService::Stub::ListEvents, rv1::ListEventsRequest(), token,
               state)
           .status());
  note(ReadAll(*registry, &rv1::RegistryService::Stub::ListOrganizations,
               rv1::ListOrganizationsRequest(), token, state)
           .status());
  note(ReadAll(*registry, &rv1::RegistryService::Stub::ListPeople, rv1::ListPeopleRequest(), token,
               state)
           .status());
  for (const std::string& event : events) {
    rv1::ListDelegationsRequest delegations;
    delegations.set_parent(event);
    note(ReadAll(*registry, &rv1::RegistryService::Stub::ListDelegations, delegations, token, state)
             .status());
    rv1::ListParticipantsRequest participants;
    participants.set_parent(event);
    note(ReadAll(*registry, &rv1::RegistryService::Stub::ListParticipants, participants, token,
                 state)
             .status());
    sv1::ListRoomsRequest rooms;
    rooms.set_parent(event);
    note(ReadAll(*scheduling, &sv1::SchedulingService::Stub::ListRooms, rooms, token, state)
             .status());
    sv1::ListSessionsRequest sessions;
    sessions.set_parent(event);
    note(ReadAll(*scheduling, &sv1::SchedulingService::Stub::ListSessions, sessions, token, state)
             .status());
    sv1::ListMeetingRequestsRequest meeting_requests;
    meeting_requests.set_parent(event);
    note(ReadAll(*scheduling, &sv1::SchedulingService::Stub::ListMeetingRequests, meeting_requests,
                 token, state)
             .status());
    sv1::ListPairRulesRequest pair_rules;
    pair_rules.set_parent(event);
    note(
        ReadAll(*scheduling, &sv1::SchedulingService::Stub::ListPairRules, pair_rules, token, state)
            .status());
    tv1::ListStatementsRequest list;
    list.set_parent(event);
    absl::StatusOr<std::vector<tv1::ListStatementsResponse>> pages =
        ReadAll(*statements, &tv1::StatementsService::Stub::ListStatements, list, token, state);
    note(pages.status());
    if (!pages.ok()) continue;
    for (const tv1::ListStatementsResponse& page : *pages) {
      for (const tv1::Statement& statement : page.statements()) {
        tv1::ListStatementRevisionsRequest revisions;
        revisions.set_name(statement.name());
        note(ReadAll(*statements, &tv1::StatementsService::Stub::ListStatementRevisions, revisions,
                     token, state)
                 .status());
      }
    }
  }
  for (const std::string& name : availabilities) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    sv1::GetAvailabilityRequest request;
    request.set_name(name);
    sv1::Availability availability;
    const grpc::Status got = scheduling->GetAvailability(&context, request, &availability);
    if (!got.ok()) note(absl::InternalError(absl::StrCat(name, ": ", Describe(got))));
    absl::StrAppend(&state, "Availability ", availability.ShortDebugString(), "\n");
  }
  if (!status.ok()) return status;
  return state;
}

::testing::AssertionResult Unchanged(const std::string& before, const std::string& after) {
  if (before == after) return ::testing::AssertionSuccess();
  const std::vector<std::string> old_lines = absl::StrSplit(before, '\n');
  const std::vector<std::string> new_lines = absl::StrSplit(after, '\n');
  const std::set<std::string> old_set(old_lines.begin(), old_lines.end());
  const std::set<std::string> new_set(new_lines.begin(), new_lines.end());
  ::testing::AssertionResult result = ::testing::AssertionFailure();
  result << "the data changed:\n";
  for (const std::string& line : old_lines) {
    if (new_set.count(line) == 0) result << "- " << line.substr(0, 3000) << "\n";
  }
  for (const std::string& line : new_lines) {
    if (old_set.count(line) == 0) result << "+ " << line.substr(0, 3000) << "\n";
  }
  return result;
}

}  // namespace summit::testing
