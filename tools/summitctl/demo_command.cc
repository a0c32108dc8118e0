#include "tools/summitctl/demo_command.h"

#include <algorithm>
#include <functional>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tools/summitctl/connection.h"
#include "tools/summitctl/demo_data.h"

namespace summit::ctl {
namespace {

namespace v1 = registry::v1;
namespace sv1 = scheduling::v1;
namespace tv1 = statements::v1;

// Tallies what loading did, and remembers the first real failure.
struct Tally {
  int created = 0;
  int existing = 0;
  grpc::Status failure = grpc::Status::OK;

  // ALREADY_EXISTS (or `also_fine`) means an earlier load did it.
  void Count(const grpc::Status& status, const std::string& what,
             grpc::StatusCode also_fine = grpc::StatusCode::ALREADY_EXISTS) {
    if (status.ok()) {
      ++created;
    } else if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS ||
               status.error_code() == also_fine) {
      ++existing;
    } else if (failure.ok()) {
      failure = status;
      std::cerr << "demo load: " << what << ": " << status.error_message() << "\n";
    }
  }
};

// Moves a demo statement on until it is `target` (PUBLISHED, or IN_REVIEW
// with `approve_for`'s approval); a repeated load finds it there already.
void AdvanceStatement(tv1::StatementsService::Stub& stub,
                      const std::function<std::unique_ptr<grpc::ClientContext>()>& context,
                      tv1::Statement statement, tv1::Statement::State target,
                      const std::string& approve_for, Tally& tally) {
  for (int step = 0; step < 4 && tally.failure.ok(); ++step) {
    const std::string& name = statement.name();
    tv1::Statement next;
    grpc::Status status;
    if (statement.state() == tv1::Statement::STATE_DRAFT) {
      tv1::SubmitStatementRequest request;
      request.set_name(name);
      status = stub.SubmitStatement(context().get(), request, &next);
    } else if (statement.state() == tv1::Statement::STATE_IN_REVIEW) {
      const bool approved = std::any_of(
          statement.approvals().begin(), statement.approvals().end(),
          [&](const tv1::SignatoryApproval& a) { return a.delegation() == approve_for; });
      if (target == tv1::Statement::STATE_IN_REVIEW && approved) return;
      tv1::ApproveStatementRequest request;
      request.set_name(name);
      request.set_text_hash(statement.text_hash());
      request.set_delegation(approve_for);
      status = stub.ApproveStatement(context().get(), request, &next);
    } else if (statement.state() == tv1::Statement::STATE_APPROVED &&
               target == tv1::Statement::STATE_PUBLISHED) {
      tv1::PublishStatementRequest request;
      request.set_name(name);
      status = stub.PublishStatement(context().get(), request, &next);
    } else {
      return;
    }
    tally.Count(status, name);
    statement = next;
  }
}

}  // namespace

int RunDemo(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] != "load") {
    std::cerr << "usage: summitctl demo load --auth_key_file=KEY (or --token=ORGANIZER_TOKEN)\n";
    return 1;
  }
  absl::StatusOr<std::string> token = BearerToken();
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 1;
  }
  auto stub = v1::RegistryService::NewStub(ChannelFor("summit.registry.v1.RegistryService"));
  const RegistryDemo demo = MakeRegistryDemo();
  Tally tally;
  auto context = [&] {
    auto call = CallContext(*token);
    call->set_wait_for_ready(true);  // the suite may still be starting
    return call;
  };

  for (const auto& request : demo.events) {
    v1::Event response;
    tally.Count(stub->CreateEvent(context().get(), request, &response), request.event_id());
  }
  for (const auto& request : demo.organizations) {
    v1::Organization response;
    tally.Count(stub->CreateOrganization(context().get(), request, &response),
                request.organization_id());
  }
  for (const auto& request : demo.people) {
    v1::Person response;
    tally.Count(stub->CreatePerson(context().get(), request, &response), request.person_id());
  }
  for (const auto& request : demo.participants) {
    v1::Participant response;
    tally.Count(stub->CreateParticipant(context().get(), request, &response),
                request.participant().person());
  }
  for (const std::string& name : demo.approvals) {
    v1::ApproveParticipantRequest request;
    request.set_name(name);
    v1::Participant response;
    // Approved by an earlier load: FAILED_PRECONDITION (not PENDING any more).
    tally.Count(stub->ApproveParticipant(context().get(), request, &response), name,
                grpc::StatusCode::FAILED_PRECONDITION);
  }
  for (const auto& request : demo.delegations) {
    v1::Delegation response;
    tally.Count(stub->CreateDelegation(context().get(), request, &response),
                request.delegation_id());
  }
  auto scheduling =
      sv1::SchedulingService::NewStub(ChannelFor("summit.scheduling.v1.SchedulingService"));
  const SchedulingDemo programme = MakeSchedulingDemo();
  for (const auto& request : programme.rooms) {
    sv1::Room response;
    tally.Count(scheduling->CreateRoom(context().get(), request, &response), request.room_id());
  }
  for (const auto& request : programme.sessions) {
    sv1::Session response;
    tally.Count(scheduling->CreateSession(context().get(), request, &response),
                request.session_id());
  }
  for (const auto& request : programme.meeting_requests) {
    sv1::MeetingRequest created;
    tally.Count(scheduling->CreateMeetingRequest(context().get(), request, &created),
                request.meeting_request_id());
    sv1::AcceptMeetingRequestRequest accept;
    accept.set_name(absl::StrCat("events/", kDemoEventId, "/meetingRequests/",
                                 request.meeting_request_id()));
    sv1::MeetingRequest accepted;
    // Accepted by an earlier load: FAILED_PRECONDITION (not PENDING any more).
    tally.Count(scheduling->AcceptMeetingRequest(context().get(), accept, &accepted),
                accept.name(), grpc::StatusCode::FAILED_PRECONDITION);
  }
  // Place what is accepted and not placed yet; on a repeated load nothing is.
  sv1::ProposeScheduleRequest propose;
  propose.set_event(absl::StrCat("events/", kDemoEventId));
  sv1::SchedulePlan plan;
  grpc::Status proposed = scheduling->ProposeSchedule(context().get(), propose, &plan);
  tally.Count(proposed, "propose schedule");
  if (proposed.ok() && plan.meetings_size() > 0) {
    sv1::CommitScheduleRequest commit;
    *commit.mutable_plan() = plan;
    sv1::CommitScheduleResponse committed;
    tally.Count(scheduling->CommitSchedule(context().get(), commit, &committed), "commit schedule");
    std::cout << "scheduler placed " << plan.meetings_size() << " meetings ("
              << plan.unplaced_size() << " left out), total priority " << plan.objective()
              << " of at most " << plan.upper_bound() << "\n";
  }

  auto statements =
      tv1::StatementsService::NewStub(ChannelFor("summit.statements.v1.StatementsService"));
  const StatementsDemo said = MakeStatementsDemo();
  for (const auto& request : said.published) {
    tv1::Statement created;
    tally.Count(statements->CreateStatement(context().get(), request, &created),
                request.statement_id());
    if (tally.failure.ok()) {
      AdvanceStatement(*statements, context, created, tv1::Statement::STATE_PUBLISHED, "", tally);
    }
  }
  tv1::Statement joint;
  tally.Count(statements->CreateStatement(context().get(), said.joint, &joint),
              said.joint.statement_id());
  if (tally.failure.ok()) {
    AdvanceStatement(*statements, context, joint, tv1::Statement::STATE_IN_REVIEW,
                     said.joint_approved_by, tally);
  }

  // Creates carry request ids, so a repeated load is answered like the
  // first; "in place" is all one can honestly say.
  std::cout << "demo data in place: " << tally.created + tally.existing
            << " events, organizations, people, accreditations and delegations (main event: events/"
            << kDemoEventId << ")\n";
  return tally.failure.ok() ? 0 : 2 + static_cast<int>(tally.failure.error_code());
}

}  // namespace summit::ctl
