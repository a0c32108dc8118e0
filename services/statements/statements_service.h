// The gRPC face of Statements: each unary handler authenticates the caller,
// gives the domain a way to call peers with the caller's deadline and
// credentials, and hands the request to Statements. WatchStatements is a
// server stream (statement_feed_stream.h), capped by `open_feeds`. Nothing
// else here.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SERVICE_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SERVICE_H_

#include "common/auth/authenticator.h"
#include "common/observability/call_observer.h"
#include "common/server/open_feeds.h"
#include "common/server/unary_handler.h"
#include "services/statements/feed_hub.h"
#include "services/statements/statements.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"

namespace summit::statements {

class StatementsService final : public v1::StatementsService::CallbackService {
 public:
  // Every argument must outlive the service. Unary calls run on `work`:
  // writes wait for their fsync and searches can be long, and neither may
  // hold one of gRPC's few callback threads.
  StatementsService(Statements& statements, FeedHub& feed, server::OpenFeeds& open_feeds,
                    const auth::Authenticator& authenticator,
                    observability::CallObserver& observer, server::WorkQueue& work)
      : statements_(statements),
        feed_(feed),
        open_feeds_(open_feeds),
        calls_{"summit.statements.v1.StatementsService", authenticator, observer, &work} {}

  grpc::ServerUnaryReactor* CreateStatement(grpc::CallbackServerContext* context,
      const v1::CreateStatementRequest* request, v1::Statement* response) override;
  grpc::ServerUnaryReactor* GetStatement(grpc::CallbackServerContext* context,
      const v1::GetStatementRequest* request, v1::Statement* response) override;
  grpc::ServerUnaryReactor* ListStatements(grpc::CallbackServerContext* context,
      const v1::ListStatementsRequest* request, v1::ListStatementsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateStatement(grpc::CallbackServerContext* context,
      const v1::UpdateStatementRequest* request, v1::Statement* response) override;
  grpc::ServerUnaryReactor* DeleteStatement(grpc::CallbackServerContext* context,
      const v1::DeleteStatementRequest* request, google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* SubmitStatement(grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request, v1::Statement* response) override;
  grpc::ServerUnaryReactor* ApproveStatement(grpc::CallbackServerContext* context,
      const v1::ApproveStatementRequest* request, v1::Statement* response) override;
  grpc::ServerUnaryReactor* PublishStatement(grpc::CallbackServerContext* context,
      const v1::PublishStatementRequest* request, v1::Statement* response) override;
  grpc::ServerUnaryReactor* CorrectStatement(grpc::CallbackServerContext* context,
      const v1::CorrectStatementRequest* request, v1::Statement* response) override;
  grpc::ServerUnaryReactor* RetractStatement(grpc::CallbackServerContext* context,
      const v1::RetractStatementRequest* request, v1::Statement* response) override;
  grpc::ServerUnaryReactor* ListStatementRevisions(grpc::CallbackServerContext* context,
      const v1::ListStatementRevisionsRequest* request, v1::ListStatementRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* SearchStatements(grpc::CallbackServerContext* context,
      const v1::SearchStatementsRequest* request, v1::SearchStatementsResponse* response) override;
  grpc::ServerUnaryReactor* ListEmbargoedReads(grpc::CallbackServerContext* context,
      const v1::ListEmbargoedReadsRequest* request, v1::ListEmbargoedReadsResponse* response) override;
  grpc::ServerWriteReactor<v1::StatementEvent>* WatchStatements(
      grpc::CallbackServerContext* context, const v1::WatchStatementsRequest* request) override;

 private:
  Statements& statements_;
  FeedHub& feed_;
  server::OpenFeeds& open_feeds_;
  server::ServiceCalls calls_;
};

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENTS_SERVICE_H_
