// The shape of every unary handler of a Summit service (callback API): pass
// the process's CallGate (a draining server refuses new calls), find out who
// calls, run the domain operation, finish the call with its result converted
// once to a grpc::Status with google.rpc details, and record it (log line
// and metrics).
//
//   grpc::ServerUnaryReactor* RegistryService::GetPerson(
//       grpc::CallbackServerContext* context, const v1::GetPersonRequest* request,
//       v1::Person* response) {
//     return Answer(context, calls_, "GetPerson", response, [&](const auth::Principal& caller) {
//       return registry_.GetPerson(caller, *request);
//     });
//   }
//
// The operation runs on the gRPC callback thread, unless the service gives a
// work queue (ServiceCalls::work): then on one of its threads, which suits
// operations that block (a write waiting for its fsync, a search), because
// gRPC has only a few callback threads and an operation holding one holds up
// every other call. On a queue, the operation runs after the handler has
// returned: it must capture what it uses by value (the context and request
// pointers stay valid until the call is finished).
#ifndef SUMMIT_COMMON_SERVER_UNARY_HANDLER_H_
#define SUMMIT_COMMON_SERVER_UNARY_HANDLER_H_

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/authenticator.h"
#include "common/observability/call_observer.h"
#include "common/server/call_gate.h"
#include "common/server/work_queue.h"
#include "common/status/grpc_status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace summit::server {

// What the handlers of one service share: its full name, who checks tokens,
// who records calls, and where operations run. All must outlive it.
struct ServiceCalls {
  std::string service_name;  // e.g. "summit.registry.v1.RegistryService"
  const auth::Authenticator& authenticator;
  observability::CallObserver& observer;
  WorkQueue* work = nullptr;  // nullptr: on gRPC's callback thread
};

// How a call's principal appears in the call log.
inline std::string DescribeCaller(const absl::StatusOr<auth::Principal>& caller) {
  if (!caller.ok()) return "invalid-token";
  return caller->subject.empty() ? "public" : caller->subject;
}

// `operation(caller)` returns absl::StatusOr<Response> (moved into
// `response`) or absl::Status (for methods answering google.protobuf.Empty).
template <typename Response, typename Operation>
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, ServiceCalls& calls,
                                 absl::string_view method, Response* response,
                                 Operation&& operation) {
  const absl::Time start = absl::Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // A draining server answers a new call itself: it did nothing.
  auto admission = std::make_shared<CallGate::Admission>(CallGate::Process().Admit());
  if (!admission->admitted()) {
    const grpc::Status refusal = CallGate::Refusal();
    calls.observer.Record(absl::StrCat("/", calls.service_name, "/", method), refusal.error_code(),
                          absl::Now() - start,
                          DescribeCaller(calls.authenticator.Authenticate(*context)));
    reactor->Finish(refusal);
    return reactor;
  }
  // `method` names a string literal of the handler; it outlives the call.
  auto run = [context, &calls, method, response, reactor, start, admission,
              operation = std::forward<Operation>(operation)]() mutable {
    const absl::StatusOr<auth::Principal> caller = calls.authenticator.Authenticate(*context);
    absl::Status status = caller.status();
    if (caller.ok()) {
      auto result = operation(*caller);
      if constexpr (std::is_same_v<decltype(result), absl::Status>) {
        static_cast<void>(response);  // the status is the whole answer (an Empty response)
        status = std::move(result);
      } else {
        status = result.status();
        if (result.ok()) *response = *std::move(result);
      }
    }
    const grpc::Status reply = ToGrpcStatus(status);
    calls.observer.Record(absl::StrCat("/", calls.service_name, "/", method), reply.error_code(),
                          absl::Now() - start, DescribeCaller(caller));
    reactor->Finish(reply);
    admission->Leave();
  };
  if (calls.work != nullptr) {
    calls.work->Run(std::move(run));
  } else {
    run();
  }
  return reactor;
}

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_UNARY_HANDLER_H_
