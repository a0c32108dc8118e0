#include "tests/support/newcomers.h"

#include "absl/strings/str_cat.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "tests/support/ways_in.h"

namespace summit::testing {
namespace {

namespace rv1 = registry::v1;

absl::Status Failed(absl::string_view what, const grpc::Status& status) {
  return absl::InternalError(absl::StrCat(what, ": code ", static_cast<int>(status.error_code()),
                                          " ", status.error_message()));
}

}  // namespace

absl::StatusOr<rv1::Person> AddNewcomer(const Suite& suite, const Newcomer& newcomer) {
  auto registry = rv1::RegistryService::NewStub(suite.Channel(Server::kRegistry));
  const auto context = [&] {
    return ContextAs(suite, {"people/duty-officer", auth::Role::kOrganizer});
  };

  if (!newcomer.organization.empty()) {
    rv1::GetOrganizationRequest get;
    get.set_name("organizations/" + newcomer.organization);
    rv1::Organization found;
    const grpc::Status status = registry->GetOrganization(context().get(), get, &found);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      rv1::CreateOrganizationRequest create;
      create.set_organization_id(newcomer.organization);
      create.mutable_organization()->set_display_name(
          absl::StrCat("Organization ", newcomer.organization, " (test)"));
      create.mutable_organization()->set_kind(rv1::Organization::KIND_DEFENSE_COMPANY);
      create.mutable_organization()->set_country("US");
      const grpc::Status created = registry->CreateOrganization(context().get(), create, &found);
      if (!created.ok()) return Failed("CreateOrganization", created);
    } else if (!status.ok()) {
      return Failed("GetOrganization", status);
    }
  }

  rv1::CreatePersonRequest create_person;
  create_person.set_person_id(newcomer.id);
  rv1::Person* person = create_person.mutable_person();
  person->set_display_name(absl::StrCat("Newcomer ", newcomer.id));
  person->set_country("US");
  if (!newcomer.organization.empty()) {
    person->set_organization("organizations/" + newcomer.organization);
  }
  person->set_email(newcomer.email);
  person->set_phone(newcomer.phone);
  rv1::Person created;
  if (const grpc::Status status = registry->CreatePerson(context().get(), create_person, &created);
      !status.ok()) {
    return Failed("CreatePerson", status);
  }
  if (newcomer.event.empty()) return created;

  rv1::CreateParticipantRequest accredit;
  accredit.set_parent(newcomer.event);
  accredit.mutable_participant()->set_person(created.name());
  accredit.mutable_participant()->set_role(newcomer.role);
  rv1::Participant participant;
  if (const grpc::Status status =
          registry->CreateParticipant(context().get(), accredit, &participant);
      !status.ok()) {
    return Failed("CreateParticipant", status);
  }
  rv1::ApproveParticipantRequest approve;
  approve.set_name(participant.name());
  if (const grpc::Status status =
          registry->ApproveParticipant(context().get(), approve, &participant);
      !status.ok()) {
    return Failed("ApproveParticipant", status);
  }
  return created;
}

}  // namespace summit::testing
