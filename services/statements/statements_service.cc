#include "services/statements/statements_service.h"

#include "common/peers/peer_channel.h"
#include "services/statements/statement_feed_stream.h"

namespace summit::statements {
namespace {

// The caller as the domain sees it: who, and how to call peers on their
// behalf (their deadline, their credentials).
Caller CallerOf(grpc::CallbackServerContext* context, const auth::Principal& principal) {
  return Caller{principal, [context] { return peers::OutgoingContext(*context); },
                absl::FromChrono(context->deadline())};
}

}  // namespace

using server::Answer;

grpc::ServerUnaryReactor* StatementsService::CreateStatement(grpc::CallbackServerContext* context,
    const v1::CreateStatementRequest* request, v1::Statement* response) {
  return Answer(context, calls_, "CreateStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.CreateStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::GetStatement(grpc::CallbackServerContext* context,
    const v1::GetStatementRequest* request, v1::Statement* response) {
  return Answer(context, calls_, "GetStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.GetStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::ListStatements(grpc::CallbackServerContext* context,
    const v1::ListStatementsRequest* request, v1::ListStatementsResponse* response) {
  return Answer(context, calls_, "ListStatements", response, [this, context, request](const auth::Principal& principal) {
    return statements_.ListStatements(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::UpdateStatement(grpc::CallbackServerContext* context,
    const v1::UpdateStatementRequest* request, v1::Statement* response) {
  return Answer(context, calls_, "UpdateStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.UpdateStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::DeleteStatement(grpc::CallbackServerContext* context,
    const v1::DeleteStatementRequest* request, google::protobuf::Empty* response) {
  return Answer(context, calls_, "DeleteStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.DeleteStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::SubmitStatement(grpc::CallbackServerContext* context,
    const v1::SubmitStatementRequest* request, v1::Statement* response) {
  return Answer(context, calls_, "SubmitStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.SubmitStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::ApproveStatement(grpc::CallbackServerContext* context,
    const v1::ApproveStatementRequest* request, v1::Statement* response) {
  return Answer(context, calls_, "ApproveStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.ApproveStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::PublishStatement(grpc::CallbackServerContext* context,
    const v1::PublishStatementRequest* request, v1::Statement* response) {
  return Answer(context, calls_, "PublishStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.PublishStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::CorrectStatement(grpc::CallbackServerContext* context,
    const v1::CorrectStatementRequest* request, v1::Statement* response) {
  return Answer(context, calls_, "CorrectStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.CorrectStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::RetractStatement(grpc::CallbackServerContext* context,
    const v1::RetractStatementRequest* request, v1::Statement* response) {
  return Answer(context, calls_, "RetractStatement", response, [this, context, request](const auth::Principal& principal) {
    return statements_.RetractStatement(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::ListStatementRevisions(grpc::CallbackServerContext* context,
    const v1::ListStatementRevisionsRequest* request, v1::ListStatementRevisionsResponse* response) {
  return Answer(context, calls_, "ListStatementRevisions", response, [this, context, request](const auth::Principal& principal) {
    return statements_.ListStatementRevisions(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::SearchStatements(grpc::CallbackServerContext* context,
    const v1::SearchStatementsRequest* request, v1::SearchStatementsResponse* response) {
  return Answer(context, calls_, "SearchStatements", response, [this, context, request](const auth::Principal& principal) {
    return statements_.SearchStatements(CallerOf(context, principal), *request);
  });
}

grpc::ServerUnaryReactor* StatementsService::ListEmbargoedReads(grpc::CallbackServerContext* context,
    const v1::ListEmbargoedReadsRequest* request, v1::ListEmbargoedReadsResponse* response) {
  return Answer(context, calls_, "ListEmbargoedReads", response, [this, context, request](const auth::Principal& principal) {
    return statements_.ListEmbargoedReads(CallerOf(context, principal), *request);
  });
}

grpc::ServerWriteReactor<v1::StatementEvent>* StatementsService::WatchStatements(
    grpc::CallbackServerContext* context, const v1::WatchStatementsRequest* request) {
  return new StatementFeedStream(statements_, feed_, open_feeds_, calls_, context, *request);
}

}  // namespace summit::statements
