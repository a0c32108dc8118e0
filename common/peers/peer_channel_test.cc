// Tests of calls between Summit services, over real gRPC on loopback: the
// peer channel's service config (round_robin, retries of idempotent methods)
// and what OutgoingContext carries from an incoming call to an outgoing one
// (credentials, the earlier deadline, cancellation).
//
// Two in-process servers stand in for two services: a backend that reports
// what it received, and a frontend whose handler calls the backend the way a
// Summit handler calls a peer.
#include "common/peers/peer_channel.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/stub_options.h"
#include "gtest/gtest.h"

namespace summit::peers {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;
using ::testing::ElementsAre;

constexpr char kEcho[] = "/summit.test.v1.Backend/Echo";
constexpr char kHang[] = "/summit.test.v1.Backend/Hang";
constexpr char kFlakyIdempotent[] = "/summit.test.v1.Backend/FlakyIdempotent";
constexpr char kFlakyOther[] = "/summit.test.v1.Backend/FlakyOther";
constexpr char kLargeError[] = "/summit.test.v1.Backend/LargeError";
constexpr char kForward[] = "/summit.test.v1.Frontend/Forward";
constexpr char kForwardHang[] = "/summit.test.v1.Frontend/ForwardHang";

// Bounds waits for things that must happen, so a broken build fails rather
// than hangs; never a measure of speed.
constexpr absl::Duration kPatience = absl::Seconds(30);
// grpc-timeout travels rounded up (to 1 ms below 1 s, to 10 ms below 10 s)
// and deadlines are kept in whole milliseconds, so a deadline may reach the
// next hop a few milliseconds later than it was set.
constexpr std::chrono::milliseconds kTimeoutRounding(20);

grpc::ByteBuffer ToBuffer(const std::string& text) {
  grpc::Slice slice(text);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string text;
  if (!buffer.Dump(&slices).ok()) return text;
  for (const grpc::Slice& slice : slices) {
    text.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return text;
}

// --- The backend: reports what it received --------------------------------

class Backend final : public grpc::CallbackGenericService {
 public:
  // Hang: set when a Hang call arrived, and when it was cancelled.
  absl::Notification hang_started;
  absl::Notification hang_cancelled;
  std::atomic<int> flaky_idempotent_attempts{0};
  std::atomic<int> flaky_other_attempts{0};

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new Reactor(this, context);
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(Backend* backend, grpc::GenericCallbackServerContext* context)
        : backend_(backend), context_(context) {
      StartRead(&request_);
    }

    void OnReadDone(bool ok) override {
      const std::string& method = context_->method();
      if (!ok) return FinishOnce(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
      if (method == kEcho) {
        response_ = ToBuffer(Describe());
        if (Claim()) StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
      } else if (method == kHang) {
        {
          absl::MutexLock lock(&mu_);
          hanging_ = true;
        }
        backend_->hang_started.Notify();  // and answer only when cancelled
      } else if (method == kFlakyIdempotent || method == kFlakyOther) {
        std::atomic<int>& attempts = method == kFlakyIdempotent
                                         ? backend_->flaky_idempotent_attempts
                                         : backend_->flaky_other_attempts;
        if (++attempts == 1) {
          FinishOnce(grpc::Status(grpc::StatusCode::UNAVAILABLE, "first attempt fails"));
        } else {
          response_ = ToBuffer("ok");
          if (Claim()) StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
        }
      } else if (method == kLargeError) {
        // Trailers of about 20 KB: more than gRPC's default 8 KiB.
        FinishOnce(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(20000, 'x')));
      } else {
        FinishOnce(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method));
      }
    }

    void OnCancel() override {
      bool was_hanging;
      {
        absl::MutexLock lock(&mu_);
        was_hanging = hanging_;
      }
      if (was_hanging) backend_->hang_cancelled.Notify();
      FinishOnce(grpc::Status::CANCELLED);
    }

    void OnDone() override { delete this; }

   private:
    // "authorization=<value>\nremaining_ms=<ms to the deadline, or -1 for none>"
    std::string Describe() const {
      const auto& metadata = context_->client_metadata();
      auto authorization = metadata.find("authorization");
      const std::string token =
          authorization == metadata.end()
              ? "(none)"
              : std::string(authorization->second.data(), authorization->second.size());
      const auto deadline = context_->deadline();
      int64_t remaining_ms = -1;
      if (deadline != std::chrono::system_clock::time_point::max()) {
        remaining_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           deadline - std::chrono::system_clock::now())
                           .count();
      }
      return absl::StrCat("authorization=", token, "\nremaining_ms=", remaining_ms);
    }

    // True for the one caller that may finish the call. Finishing happens
    // outside the lock: gRPC may run OnDone (which deletes this) inline.
    bool Claim() {
      absl::MutexLock lock(&mu_);
      if (finished_) return false;
      finished_ = true;
      return true;
    }

    void FinishOnce(const grpc::Status& status) {
      if (Claim()) Finish(status);
    }

    Backend* const backend_;
    grpc::GenericCallbackServerContext* const context_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
    absl::Mutex mu_;
    bool finished_ ABSL_GUARDED_BY(mu_) = false;
    bool hanging_ ABSL_GUARDED_BY(mu_) = false;
  };
};

// --- The frontend: a handler that calls the backend as a peer -------------

class Frontend final : public grpc::CallbackGenericService {
 public:
  Frontend(std::shared_ptr<grpc::Channel> backend, absl::Duration own_timeout)
      : backend_(std::move(backend)), own_timeout_(own_timeout) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new Reactor(this, context);
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(Frontend* frontend, grpc::GenericCallbackServerContext* context)
        : frontend_(frontend), context_(context) {
      StartRead(&request_);
    }

    void OnReadDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
        return;
      }
      const std::string target = context_->method() == kForwardHang ? kHang : kEcho;
      outgoing_ = OutgoingContext(*context_, frontend_->own_timeout_);
      frontend_->backend_.UnaryCall(outgoing_.get(), target, grpc::StubOptions(), &request_,
                                    &response_, [this](grpc::Status status) {
                                      if (status.ok()) {
                                        StartWriteAndFinish(&response_, grpc::WriteOptions(),
                                                            grpc::Status::OK);
                                      } else {
                                        Finish(status);
                                      }
                                    });
    }

    void OnDone() override { delete this; }

   private:
    Frontend* const frontend_;
    grpc::GenericCallbackServerContext* const context_;
    std::unique_ptr<grpc::ClientContext> outgoing_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
  };

  grpc::GenericStub backend_;
  const absl::Duration own_timeout_;
};

PeerChannelOptions Idempotent(std::vector<std::string> methods, int max_attempts = 4) {
  PeerChannelOptions options;
  options.idempotent_methods = std::move(methods);
  options.max_attempts = max_attempts;
  return options;
}

std::unique_ptr<grpc::Server> StartServer(grpc::CallbackGenericService* service, int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterCallbackGenericService(service);
  return builder.BuildAndStart();
}

struct Reply {
  grpc::Status status;
  std::string authorization;
  int64_t remaining_ms = -2;
};

// Starts a unary call; `done` is notified with its outcome in `reply`.
void StartCall(grpc::GenericStub& stub, grpc::ClientContext* context, const std::string& method,
               Reply* reply, absl::Notification* done) {
  auto request = std::make_shared<grpc::ByteBuffer>(ToBuffer("request"));
  auto response = std::make_shared<grpc::ByteBuffer>();
  stub.UnaryCall(context, method, grpc::StubOptions(), request.get(), response.get(),
                 [request, response, reply, done](grpc::Status status) {
                   reply->status = status;
                   for (absl::string_view line :
                        absl::StrSplit(FromBuffer(*response), '\n', absl::SkipEmpty())) {
                     std::pair<std::string, std::string> kv = absl::StrSplit(line, '=');
                     if (kv.first == "authorization") reply->authorization = kv.second;
                     if (kv.first == "remaining_ms") {
                       if (!absl::SimpleAtoi(kv.second, &reply->remaining_ms)) {
                         reply->remaining_ms = -3;
                       }
                     }
                   }
                   done->Notify();
                 });
}

Reply Call(grpc::GenericStub& stub, grpc::ClientContext* context, const std::string& method) {
  Reply reply;
  absl::Notification done;
  StartCall(stub, context, method, &reply, &done);
  if (!done.WaitForNotificationWithTimeout(kPatience)) {
    context->TryCancel();
    done.WaitForNotification();
  }
  return reply;
}

std::chrono::system_clock::time_point In(std::chrono::milliseconds duration) {
  return std::chrono::system_clock::now() + duration;
}

class PeerCallTest : public ::testing::Test {
 protected:
  // Starts the backend and a frontend whose own deadline for backend calls
  // is `frontend_timeout`, and the test's channel to the frontend.
  void StartServers(absl::Duration frontend_timeout) {
    backend_server_ = StartServer(&backend_, &backend_port_);
    ASSERT_NE(backend_server_, nullptr);
    ASSERT_NE(backend_port_, 0);
    backend_channel_ = MakePeerChannel(absl::StrCat("127.0.0.1:", backend_port_),
                                       Idempotent({"summit.test.v1.Backend/Echo",
                                                   "summit.test.v1.Backend/FlakyIdempotent"}));
    frontend_ = std::make_unique<Frontend>(backend_channel_, frontend_timeout);
    frontend_server_ = StartServer(frontend_.get(), &frontend_port_);
    ASSERT_NE(frontend_server_, nullptr);
    ASSERT_NE(frontend_port_, 0);
    frontend_stub_ = std::make_unique<grpc::GenericStub>(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", frontend_port_), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    const auto now = std::chrono::system_clock::now();
    if (frontend_server_ != nullptr) frontend_server_->Shutdown(now);
    if (backend_server_ != nullptr) backend_server_->Shutdown(now);
  }

  Backend backend_;
  std::unique_ptr<grpc::Server> backend_server_;
  int backend_port_ = 0;
  std::shared_ptr<grpc::Channel> backend_channel_;
  std::unique_ptr<Frontend> frontend_;
  std::unique_ptr<grpc::Server> frontend_server_;
  int frontend_port_ = 0;
  std::unique_ptr<grpc::GenericStub> frontend_stub_;
};

// --- Service config -------------------------------------------------------

Struct ParseJson(const std::string& json) {
  Struct parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &parsed);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return parsed;
}

TEST(PeerServiceConfigTest, IsJsonWithRoundRobinAndARetryPolicyForTheNamedMethods) {
  const std::string json =
      PeerServiceConfig(Idempotent({"summit.registry.v1.RegistryService/GetPerson",
                                    "summit.registry.v1.RegistryService/BatchGetParticipants"}));
  Struct config = ParseJson(json);
  const auto& fields = config.fields();

  const auto& balancing = fields.at("loadBalancingConfig").list_value();
  ASSERT_EQ(balancing.values_size(), 1);
  EXPECT_EQ(balancing.values(0).struct_value().fields().count("round_robin"), 1u);

  const auto& method_configs = fields.at("methodConfig").list_value();
  ASSERT_EQ(method_configs.values_size(), 1);
  const auto& method_config = method_configs.values(0).struct_value().fields();
  std::vector<std::string> names;
  for (const Value& name : method_config.at("name").list_value().values()) {
    names.push_back(absl::StrCat(name.struct_value().fields().at("service").string_value(), "/",
                                 name.struct_value().fields().at("method").string_value()));
  }
  EXPECT_THAT(names, ElementsAre("summit.registry.v1.RegistryService/GetPerson",
                                 "summit.registry.v1.RegistryService/BatchGetParticipants"));

  const auto& retry = method_config.at("retryPolicy").struct_value().fields();
  EXPECT_EQ(retry.at("maxAttempts").number_value(), 4);
  EXPECT_EQ(retry.at("initialBackoff").string_value(), "0.05s");
  EXPECT_EQ(retry.at("maxBackoff").string_value(), "1s");
  EXPECT_EQ(retry.at("backoffMultiplier").number_value(), 2);
  const auto& codes = retry.at("retryableStatusCodes").list_value();
  ASSERT_EQ(codes.values_size(), 1);
  EXPECT_EQ(codes.values(0).string_value(), "UNAVAILABLE");
}

TEST(PeerServiceConfigTest, MaxAttemptsIsConfigurable) {
  Struct config = ParseJson(PeerServiceConfig(Idempotent({"a.B/C"}, /*max_attempts=*/2)));
  EXPECT_EQ(config.fields()
                .at("methodConfig")
                .list_value()
                .values(0)
                .struct_value()
                .fields()
                .at("retryPolicy")
                .struct_value()
                .fields()
                .at("maxAttempts")
                .number_value(),
            2);
}

TEST(PeerServiceConfigTest, WithoutIdempotentMethodsThereIsNoRetryPolicy) {
  Struct config = ParseJson(PeerServiceConfig(PeerChannelOptions()));
  EXPECT_EQ(config.fields().count("methodConfig"), 0u);
  EXPECT_EQ(config.fields().count("loadBalancingConfig"), 1u);
}

TEST_F(PeerCallTest, GrpcAcceptsTheServiceConfigAndUsesRoundRobin) {
  StartServers(absl::Seconds(5));
  grpc::ClientContext context;
  Reply reply = Call(*frontend_stub_, &context, kForward);
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_EQ(backend_channel_->GetLoadBalancingPolicyName(), "round_robin");
  EXPECT_THAT(backend_channel_->GetServiceConfigJSON(), ::testing::HasSubstr("retryPolicy"));
}

TEST_F(PeerCallTest, IdempotentMethodsAreRetriedOnUnavailableOthersAreNot) {
  StartServers(absl::Seconds(5));
  grpc::GenericStub backend(backend_channel_);
  {
    grpc::ClientContext context;
    context.set_deadline(In(std::chrono::seconds(30)));
    Reply reply = Call(backend, &context, kFlakyIdempotent);
    EXPECT_TRUE(reply.status.ok()) << reply.status.error_message();
    EXPECT_EQ(backend_.flaky_idempotent_attempts.load(), 2);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(In(std::chrono::seconds(30)));
    Reply reply = Call(backend, &context, kFlakyOther);
    EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(backend_.flaky_other_attempts.load(), 1);
  }
}

TEST_F(PeerCallTest, GrpcPathSpellingDoesNotMakeEveryMethodRetryable) {
  // "/package.Service/Method" is how gRPC itself spells a method
  // (ServerContext::method(), generated stubs). PeerServiceConfig splits it
  // into {"service":"","method":"package.Service"}, which gRPC 1.51 takes as
  // the default config for every method, so calls that are not idempotent
  // get retried too.
  StartServers(absl::Seconds(5));
  std::shared_ptr<grpc::Channel> channel =
      MakePeerChannel(absl::StrCat("127.0.0.1:", backend_port_),
                      Idempotent({"/summit.test.v1.Backend/FlakyIdempotent"}));
  grpc::GenericStub backend(channel);
  grpc::ClientContext context;
  context.set_deadline(In(std::chrono::seconds(30)));
  Reply reply = Call(backend, &context, kFlakyOther);
  EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(backend_.flaky_other_attempts.load(), 1) << "a method not named idempotent was retried";
}

// --- What OutgoingContext carries -----------------------------------------

TEST_F(PeerCallTest, APeersErrorLargerThanGrpcsDefaultLimitArrivesAndTheChannelServesOn) {
  // Defense in depth behind the bound on every Summit error: a peer's error
  // over 8 KiB is that call's answer, not RESOURCE_EXHAUSTED, and the
  // connection other calls share stays up.
  StartServers(absl::Seconds(5));
  grpc::GenericStub backend(backend_channel_);
  grpc::ClientContext large;
  const Reply error = Call(backend, &large, kLargeError);
  EXPECT_EQ(error.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << error.status.error_message().substr(0, 200);
  EXPECT_TRUE(error.status.error_message() == std::string(20000, 'x'))
      << error.status.error_message().substr(0, 200);
  grpc::ClientContext next;
  EXPECT_TRUE(Call(backend, &next, kEcho).status.ok());
}

TEST_F(PeerCallTest, CallersTokenIsForwarded) {
  StartServers(absl::Seconds(5));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer caller.jwt.token");
  Reply reply = Call(*frontend_stub_, &context, kForward);
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_EQ(reply.authorization, "Bearer caller.jwt.token");
}

TEST_F(PeerCallTest, NoTokenStaysNoToken) {
  StartServers(absl::Seconds(5));
  grpc::ClientContext context;
  Reply reply = Call(*frontend_stub_, &context, kForward);
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_EQ(reply.authorization, "(none)");
}

TEST_F(PeerCallTest, CallersShortDeadlineReachesTheBackend) {
  StartServers(/*frontend_timeout=*/absl::Seconds(5));
  grpc::ClientContext context;
  context.set_deadline(In(std::chrono::milliseconds(300)));
  Reply reply = Call(*frontend_stub_, &context, kForward);
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_GT(reply.remaining_ms, 0);
  EXPECT_LT(reply.remaining_ms, (std::chrono::milliseconds(300) + kTimeoutRounding).count())
      << "the backend saw the frontend's 5 s, not the caller's 300 ms";
}

// The backend gets the caller's deadline less the time the frontend keeps for answering, so
// a hung backend is reported by the frontend, not by the caller's own timer.
TEST_F(PeerCallTest, BackendDeadlineLeavesTheFrontendTimeToAnswer) {
  StartServers(/*frontend_timeout=*/absl::Seconds(5));
  grpc::ClientContext context;
  context.set_deadline(In(std::chrono::seconds(1)));
  Reply reply = Call(*frontend_stub_, &context, kForward);
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_GT(reply.remaining_ms, 0);
  EXPECT_LE(reply.remaining_ms, (std::chrono::milliseconds(900) + kTimeoutRounding).count())
      << "the backend may use all of the caller's second";
}

TEST(AnswerReserveTest, ATenthWithinBounds) {
  EXPECT_EQ(AnswerReserve(absl::Seconds(2)), absl::Milliseconds(200));
  EXPECT_EQ(AnswerReserve(absl::Milliseconds(50)), absl::Milliseconds(20));
  EXPECT_EQ(AnswerReserve(absl::Minutes(1)), absl::Milliseconds(500));
  EXPECT_EQ(AnswerReserve(-absl::Seconds(1)), absl::Milliseconds(20));
}

TEST_F(PeerCallTest, FrontendsOwnTimeoutCapsALongCallerDeadline) {
  StartServers(/*frontend_timeout=*/absl::Seconds(2));
  grpc::ClientContext context;
  context.set_deadline(In(std::chrono::seconds(60)));
  Reply reply = Call(*frontend_stub_, &context, kForward);
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_GT(reply.remaining_ms, 0);
  EXPECT_LE(reply.remaining_ms, (std::chrono::seconds(2) + kTimeoutRounding).count());
}

TEST_F(PeerCallTest, CallerWithoutDeadlineStillGivesTheBackendOne) {
  StartServers(/*frontend_timeout=*/absl::Seconds(2));
  grpc::ClientContext context;  // no deadline
  Reply reply = Call(*frontend_stub_, &context, kForward);
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_GT(reply.remaining_ms, 0) << "no deadline reached the backend";
  EXPECT_LE(reply.remaining_ms, (std::chrono::seconds(2) + kTimeoutRounding).count());
}

TEST_F(PeerCallTest, CancellingTheCallerCancelsTheBackendCall) {
  StartServers(absl::Seconds(60));
  grpc::ClientContext context;
  Reply reply;
  absl::Notification done;
  StartCall(*frontend_stub_, &context, kForwardHang, &reply, &done);
  ASSERT_TRUE(backend_.hang_started.WaitForNotificationWithTimeout(kPatience))
      << "the call never reached the backend";

  context.TryCancel();

  EXPECT_TRUE(backend_.hang_cancelled.WaitForNotificationWithTimeout(kPatience))
      << "the backend call was not cancelled with its caller";
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(kPatience));
  EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(PeerCallTest, FrontendsTimeoutCancelsTheBackendCall) {
  StartServers(/*frontend_timeout=*/absl::Milliseconds(200));
  grpc::ClientContext context;
  context.set_deadline(In(std::chrono::seconds(60)));
  Reply reply = Call(*frontend_stub_, &context, kForwardHang);
  EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(backend_.hang_cancelled.WaitForNotificationWithTimeout(kPatience));
}

// --- ServiceContext: calls on a service's own behalf ----------------------

TEST_F(PeerCallTest, ServiceContextCarriesTheServiceTokenAndADeadline) {
  StartServers(absl::Seconds(5));
  grpc::GenericStub backend(backend_channel_);
  std::unique_ptr<grpc::ClientContext> context =
      ServiceContext("service.jwt.token", absl::Seconds(2));
  Reply reply = Call(backend, context.get(), kEcho);
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_EQ(reply.authorization, "Bearer service.jwt.token");
  EXPECT_GT(reply.remaining_ms, 0);
  EXPECT_LE(reply.remaining_ms, (std::chrono::seconds(2) + kTimeoutRounding).count());

  std::unique_ptr<grpc::ClientContext> anonymous = ServiceContext("", absl::Seconds(2));
  Reply anonymous_reply = Call(backend, anonymous.get(), kEcho);
  ASSERT_TRUE(anonymous_reply.status.ok());
  EXPECT_EQ(anonymous_reply.authorization, "(none)");
}

}  // namespace
}  // namespace summit::peers
