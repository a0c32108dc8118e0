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
#include "common/config/flags.h"
#include "common/observability/log.h"
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
  SleepReactor(int64_t milliseconds, grpc::ByteBuffer* response) {
    *response = FromText(absl::StrCat("slept ", milliseconds, "ms"));
    log::Info("sleep started", {{"ms", milliseconds}});
    alarm_.Set(absl::ToChronoTime(absl::Now() + absl::Milliseconds(milliseconds)),
               [this](bool fired) {
                 // Exactly one of these runs; nothing of `this` is touched
                 // after Finish, which may run OnDone (and delete this).
                 Finish(fired ? grpc::Status::OK
                              : grpc::Status(grpc::StatusCode::CANCELLED, "sleep cancelled"));
               });
  }

  void OnCancel() override { alarm_.Cancel(); }
  void OnDone() override { delete this; }

 private:
  grpc::Alarm alarm_;
};

// summit.test.v1.SlowService, written out by hand the way generated code
// declares a raw callback method.
class SlowService final : public grpc::Service {
 public:
  SlowService() {
    AddMethod(new grpc::internal::RpcServiceMethod(
        kSleepMethod, grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
    MarkMethodRawCallback(
        0, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
               [](grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                  grpc::ByteBuffer* response) { return Sleep(context, *request, response); }));
  }

 private:
  static grpc::ServerUnaryReactor* Sleep(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer& request,
                                         grpc::ByteBuffer* response) {
    int64_t milliseconds = 0;
    if (!absl::SimpleAtoi(ToText(request), &milliseconds) || milliseconds < 0 ||
        milliseconds > kMaxSleepMs) {
      grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
      reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                   "request: milliseconds to sleep, 0 to 600000"));
      return reactor;
    }
    return new SleepReactor(milliseconds, response);
  }
};

// Every method no registered service has: Echo answers, others are
// UNIMPLEMENTED.
class EchoService final : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Reactor final : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(grpc::GenericCallbackServerContext* context) : context_(context) {
        StartRead(&message_);
      }
      void OnReadDone(bool ok) override {
        if (!ok) {
          Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
        } else if (context_->method() != kEchoMethod) {
          Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no such method"));
        } else {
          StartWriteAndFinish(&message_, grpc::WriteOptions(), grpc::Status::OK);
        }
      }
      void OnDone() override { delete this; }

     private:
      grpc::GenericCallbackServerContext* const context_;
      grpc::ByteBuffer message_;
    };
    return new Reactor(context);
  }
};

int Main(int argc, char** argv) {
  config::InitProcess(argc, argv,
                      "summit_test_server: a tiny Summit server for integration tests");

  auth::Authenticator authenticator = auth::Authenticator::WithoutKey();
  const std::string key_file = absl::GetFlag(FLAGS_auth_key_file);
  if (!key_file.empty()) {
    absl::StatusOr<auth::Authenticator> from_file = auth::Authenticator::FromKeyFile(key_file);
    if (!from_file.ok()) {
      log::Error("cannot read the auth key", {{"error", from_file.status().ToString()}});
      return 1;
    }
    authenticator = *std::move(from_file);
  }

  SlowService slow;
  EchoService echo;
  absl::StatusOr<std::unique_ptr<server::SummitServer>> server = server::SummitServer::Start(
      server::ServerOptions::FromFlags("summit.test.v1.SlowService", "127.0.0.1:0",
                                       "127.0.0.1:0"),
      {&slow}, &authenticator, &echo);
  if (!server.ok()) {
    log::Error("cannot start", {{"error", server.status().ToString()}});
    return 1;
  }
  return server::ServeUntilSignalled(**server);
}

}  // namespace
}  // namespace summit::testing

int main(int argc, char** argv) { return summit::testing::Main(argc, argv); }
