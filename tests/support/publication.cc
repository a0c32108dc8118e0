#include "tests/support/publication.h"

#include "absl/strings/str_cat.h"

namespace summit::testing {
namespace {

namespace tv1 = ::summit::statements::v1;

std::string Method(absl::string_view name) {
  return absl::StrCat("/", tv1::StatementsService::service_full_name(), "/", name);
}

}  // namespace

void PublishStepByStep(tv1::StatementsService::StubInterface& statements,
                       const tv1::CreateStatementRequest& create,
                       const std::function<std::unique_ptr<grpc::ClientContext>()>& context,
                       const std::function<void(const PublicationStep&)>& after_step) {
  const std::string name = absl::StrCat(create.parent(), "/statements/", create.statement_id());
  tv1::Statement created, changed;
  PublicationStep step{Method("CreateStatement"), tv1::Statement::STATE_DRAFT,
                       tv1::Statement::STATE_UNSPECIFIED,
                       statements.CreateStatement(context().get(), create, &created)};
  after_step(step);
  if (!step.status.ok()) return;

  tv1::SubmitStatementRequest submit;
  submit.set_name(name);
  step = {Method("SubmitStatement"), tv1::Statement::STATE_IN_REVIEW, tv1::Statement::STATE_DRAFT,
          statements.SubmitStatement(context().get(), submit, &changed)};
  after_step(step);
  if (!step.status.ok()) return;

  tv1::ApproveStatementRequest approve;
  approve.set_name(name);
  approve.set_text_hash(created.text_hash());
  step = {Method("ApproveStatement"), tv1::Statement::STATE_APPROVED,
          tv1::Statement::STATE_IN_REVIEW,
          statements.ApproveStatement(context().get(), approve, &changed)};
  after_step(step);
  if (!step.status.ok()) return;

  tv1::PublishStatementRequest publish;
  publish.set_name(name);
  step = {Method("PublishStatement"), tv1::Statement::STATE_PUBLISHED,
          tv1::Statement::STATE_APPROVED,
          statements.PublishStatement(context().get(), publish, &changed)};
  after_step(step);
}

}  // namespace summit::testing
