// A statement published the way the press office does it, one call a step — create, submit for
// review, approve its exact text (by the hash the create answered), publish — for tests that
// need publications and must know how far each got. After each call `after_step` hears which
// step it was, the state the statement is in if the call was done and if it was not, and the
// call's status; the walk stops at the first call that is not OK.
//
//   statements::v1::CreateStatementRequest create;  // with parent and statement_id set
//   ...
//   PublishStepByStep(*stub, create, [&] { return Context(); },
//                     [&](const PublicationStep& step) { if (step.status.ok()) ++done; });
//
// Thread-compatible: the function shares nothing.
#ifndef SUMMIT_TESTS_SUPPORT_PUBLICATION_H_
#define SUMMIT_TESTS_SUPPORT_PUBLICATION_H_

#include <functional>
#include <memory>
#include <string>

#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"

namespace summit::testing {

struct PublicationStep {
  // As servers log it, e.g. "/summit.statements.v1.StatementsService/SubmitStatement".
  std::string method;
  // The statement's state after the step, and before it (STATE_UNSPECIFIED before the create:
  // there is no statement).
  statements::v1::Statement::State state_if_done;
  statements::v1::Statement::State state_if_not;
  grpc::Status status;
};

// Publishes `create` (its parent and statement_id set) step by step, each call with a context
// from `context`.
void PublishStepByStep(statements::v1::StatementsService::StubInterface& statements,
                       const statements::v1::CreateStatementRequest& create,
                       const std::function<std::unique_ptr<grpc::ClientContext>()>& context,
                       const std::function<void(const PublicationStep&)>& after_step);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_PUBLICATION_H_
