// summit_test_server: the smallest real Summit server, for integration tests
// of the shared bootstrap (common/server, common/config, common/observability).
// It starts exactly as a service's main.cc does and serves:
//
//   summit.test.v1.SlowService/Sleep   request: decimal milliseconds as
//       text ("1500"); answers "slept 1500ms" after that long, so a test can
//       hold a call in flight across SIGTERM. Logs "sleep started" when a call
//       arrives. A registered grpc::Service, as real services are, so health,
//       reflection and metrics treat it like one.
//   summit.test.v1.EchoService/Echo    through SummitServer's generic service
//       (what the gateway uses): answers with the request bytes. Any other
//       unregistered method gets UNIMPLEMENTED from it.
//
// Messages are raw bytes, not protobuf: there is no .proto for this test
// service, so clients call it with grpc::GenericStub.
//
// Flags: the shared ones (common/config/flags.h), e.g.
//   summit_test_server --listen=127.0.0.1:0 --admin_listen=127.0.0.1:0
//       --shutdown_drain_delay=500ms --shutdown_grace_period=5s
// It logs the "serving" JSON line (with "port" and "admin_port") on stderr
// and serves until SIGTERM or SIGINT, then drains and exits 0.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/observability/call_observer.h"
#include "common/server/bootstrap.h"
#include "common/server/unary_handler.h"
#include "common/config/flags.h"
#include "common/observability/log.h"
#include "common/server/call_gate.h"
#include "common/server/summit_server.h"
#include "grpcpp/alarm.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/impl/codegen/rpc_service_method.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/support/byte_buffer.h"

namespace summit::testing {
namespace {

constexpr char kSleepMethod[] = "/summit.test.v1.SlowService/Sleep";
constexpr char kEchoMethod[] = "/summit.test.v1.EchoService/Echo";
// A call may not ask to sleep longer than this.
constexpr int64_t kMaxSleepMs = 10 * 60 * 1000;

std::string ToText(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string text;
  if (!buffer.Dump(&slices).ok()) return text;
  for (const grpc::Slice& slice : slices) {
    text.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return text;
}

grpc::ByteBuffer FromText(const std::string& text) {
  grpc::Slice slice(text);
  return grpc::ByteBuffer(&slice, 1);
}

// Answers one Sleep call when its alarm fires, or CANCELLED when the call is
// cancelled first (the caller went away, or the grace period ran out).
class SleepReactor final : public grpc::ServerUnaryReactor {
 public:
  SleepReactor(int64_t milliseconds, grpc::ByteBuffer* response,
               observability::CallObserver& observer, std::string caller,
               server::CallGate::Admission admission)
      : observer_(observer),
        caller_(std::move(caller)),
        start_(absl::Now()),
        admission_(std::move(admission)) {
    *response = FromText(absl::StrCat("slept ", milliseconds, "ms"));
    log::Info("sleep started", {{"ms", milliseconds}});
    alarm_.Set(absl::ToChronoTime(absl::Now() + absl::Milliseconds(milliseconds)),
               [this](bool fired) {
                 // Exactly one of these runs; nothing of `this` is touched
                 // after Finish, which may run OnDone (and delete this).
                 const grpc::Status status =
                     fired ? grpc::Status::OK
                           : grpc::Status(grpc::StatusCode::CANCELLED, "sleep cancelled");
                 observer_.Record(kSleepMethod, status.error_code(), absl::Now() - start_,
                                  caller_);
                 Finish(status);
               });
  }

  void OnCancel() override { alarm_.Cancel(); }
  void OnDone() override { delete this; }

 private:
  observability::CallObserver& observer_;
  const std::string caller_;
  const absl::Time start_;
  server::CallGate::Admission admission_;  // in flight until deleted
  grpc::Alarm alarm_;
};

// summit.test.v1.SlowService, written out by hand the way generated code
// declares a raw callback method.
class SlowService final : public grpc::Service {
 public:
  SlowService(const auth::Authenticator& authenticator, observability::CallObserver& observer)
      : authenticator_(authenticator), observer_(observer) {
    AddMethod(new grpc::internal::RpcServiceMethod(
        kSleepMethod, grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
    MarkMethodRawCallback(
        0, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
               [this](grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                      grpc::ByteBuffer* response) { return Sleep(context, *request, response); }));
  }

 private:
  grpc::ServerUnaryReactor* Sleep(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer& request, grpc::ByteBuffer* response) {
    const absl::Time start = absl::Now();
    const std::string caller = server::DescribeCaller(authenticator_.Authenticate(*context));
    int64_t milliseconds = 0;
    // As every Summit handler: a draining server refuses new calls itself.
    server::CallGate::Admission admission = server::CallGate::Process().Admit();
    grpc::Status refused = grpc::Status::OK;
    if (!admission.admitted()) {
      refused = server::CallGate::Refusal();
    } else if (!absl::SimpleAtoi(ToText(request), &milliseconds) || milliseconds < 0 ||
               milliseconds > kMaxSleepMs) {
      refused = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                             "request: milliseconds to sleep, 0 to 600000");
    }
    if (!refused.ok()) {
      grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
      observer_.Record(kSleepMethod, refused.error_code(), absl::Now() - start, caller);
      reactor->Finish(refused);
      return reactor;
    }
    return new SleepReactor(milliseconds, response, observer_, caller, std::move(admission));
  }

  const auth::Authenticator& authenticator_;
  observability::CallObserver& observer_;
};

// Every method no registered service has: Echo answers, others are
// UNIMPLEMENTED.
class EchoService final : public grpc::CallbackGenericService {
 public:
  explicit EchoService(observability::CallObserver& observer) : observer_(observer) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Reactor final : public grpc::ServerGenericBidiReactor {
     public:
      Reactor(grpc::GenericCallbackServerContext* context, observability::CallObserver& observer)
          : context_(context), observer_(observer), start_(absl::Now()) {
        StartRead(&message_);
      }
      void OnReadDone(bool ok) override {
        const bool echo = context_->method() == kEchoMethod;
        grpc::Status status = grpc::Status::OK;
        if (!ok) {
          status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request");
        } else if (!echo) {
          status = grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no such method");
        }
        // As the gateway's proxy does: the path as sent; the observer counts
        // invented ones together, never as series of their own.
        observer_.Record(context_->method(), status.error_code(), absl::Now() - start_,
                         "public");
        if (status.ok()) {
          StartWriteAndFinish(&message_, grpc::WriteOptions(), status);
        } else {
          Finish(status);
        }
      }
      void OnDone() override { delete this; }

     private:
      grpc::GenericCallbackServerContext* const context_;
      observability::CallObserver& observer_;
      const absl::Time start_;
      grpc::ByteBuffer message_;
    };
    return new Reactor(context, observer_);
  }

 private:
  observability::CallObserver& observer_;
};

int Main(int argc, char** argv) {
  config::InitProcess(argc, argv,
                      "summit_test_server: a tiny Summit server for integration tests");

  absl::StatusOr<auth::Authenticator> authenticator = server::AuthenticatorFromFlags();
  if (!authenticator.ok()) {
    log::Error("cannot read the auth key", {{"error", authenticator.status().ToString()}});
    return 1;
  }
  observability::CallObserver observer(absl::GetFlag(FLAGS_log_calls),
                                       {kSleepMethod, kEchoMethod});
  SlowService slow(*authenticator, observer);
  EchoService echo(observer);
  absl::StatusOr<std::unique_ptr<server::SummitServer>> server = server::SummitServer::Start(
      server::ServerOptions::FromFlags("summit.test.v1.SlowService", "127.0.0.1:0",
                                       "127.0.0.1:0"),
      {&slow}, &observer, &echo);
  if (!server.ok()) {
    log::Error("cannot start", {{"error", server.status().ToString()}});
    return 1;
  }
  return server::ServeUntilSignalled(**server);
}

}  // namespace
}  // namespace summit::testing

int main(int argc, char** argv) { return summit::testing::Main(argc, argv); }
