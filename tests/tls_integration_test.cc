// TLS across the suite, with real processes on loopback and a throwaway CA made in the test with
// the openssl command:
// - a client that trusts the CA and presents a certificate it signed reaches a service (mutual
//   TLS); one without a certificate, with a certificate of another CA, or in plaintext is refused;
// - the plaintext health port answers grpc.health.v1, SERVING, then NOT_SERVING while draining;
// - Scheduling calls Registry over mutual TLS;
// - certificate files replaced under a running service (a new certificate of the same CA, then a
//   new CA) are served without a restart;
// - the gateway serves HTTPS (curl) and gRPC over TLS (summitctl), and calls its backends over
//   mutual TLS; a rotated HTTPS certificate is served without a restart.
//
// Waits are bounded (kPatience, polling loops) and never asserted on.
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "common/tls/tls_files.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/serving_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_folder.h"
#include "tests/support/throwaway_ca.h"

namespace summit {
namespace {

using ::summit::testing::AwaitServedCommonName;
using ::summit::testing::BinaryPath;
using ::summit::testing::ChildProcess;
using ::summit::testing::Http;
using ::summit::testing::HttpsGet;
using ::summit::testing::kPatience;
using ::summit::testing::LoggedPort;
using ::summit::testing::MakeCa;
using ::summit::testing::MakeCert;
using ::summit::testing::PortInLine;
using ::summit::testing::ServedCommonName;
using ::summit::testing::ServingProcess;
using ::summit::testing::StartServing;
using ::summit::testing::TestDatabases;
using ::summit::testing::TestFolder;
using Code = grpc::StatusCode;

constexpr char kRegistryService[] = "summit.registry.v1.RegistryService";

// Runs `command` in sh; its exit code (stdout and stderr as the command redirects them).
int Shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// grpc.health.v1.Health/Check, the messages written by hand (HealthCheckRequest{string service =
// 1}, HealthCheckResponse{ServingStatus status = 1}: 1 SERVING, 2 NOT_SERVING).
struct Health {
  grpc::Status status;
  int serving_status = 0;
};

Health CheckHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  google::protobuf::UnknownFieldSet request;
  request.AddLengthDelimited(1, service);
  std::string request_bytes;
  request.SerializeToString(&request_bytes);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::GenericStub stub(channel);
  absl::Notification done;
  Health health;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request_buffer,
                 &response_buffer, [&](grpc::Status status) {
                   health.status = std::move(status);
                   done.Notify();
                 });
  done.WaitForNotification();  // bounded by the deadline
  if (!health.status.ok()) return health;
  std::vector<grpc::Slice> slices;
  (void)response_buffer.Dump(&slices);
  std::string body;
  for (const grpc::Slice& s : slices)
    body.append(reinterpret_cast<const char*>(s.begin()), s.size());
  google::protobuf::UnknownFieldSet response;
  if (response.ParseFromString(body)) {
    for (int i = 0; i < response.field_count(); ++i) {
      if (response.field(i).number() == 1) {
        health.serving_status = static_cast<int>(response.field(i).varint());
      }
    }
  }
  return health;
}

class TlsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(folder_, TestFolder::Create("tls_integration"));
    databases_.Reset(folder_->path());
    ASSERT_OK(MakeCa(*folder_, "ca"));
    ASSERT_OK(MakeCert(*folder_, "registry", "ca", "registry"));
    ASSERT_OK(MakeCert(*folder_, "scheduling", "ca", "scheduling"));
    ASSERT_OK(MakeCert(*folder_, "client", "ca", "client"));
    // A certificate that looks right but was signed by a CA nobody trusts.
    ASSERT_OK(MakeCa(*folder_, "rogue-ca"));
    ASSERT_OK(MakeCert(*folder_, "rogue", "rogue-ca", "client"));
  }

  std::string Path(const std::string& name) const { return folder_->Path(name); }

  // Flags that serve TLS with NAME.pem/NAME.key and require clients signed by `ca`.
  std::vector<std::string> TlsFlags(const std::string& name, const std::string& ca = "ca") {
    return {absl::StrCat("--tls_cert_file=", Path(name + ".pem")),
            absl::StrCat("--tls_key_file=", Path(name + ".key")),
            absl::StrCat("--tls_ca_file=", Path(ca + ".pem")), "--tls_reload_interval=1s",
            "--health_listen=127.0.0.1:0"};
  }

  struct Started {
    ChildProcess* process = nullptr;
    int port = 0;
    int health_port = 0;
  };

  // Starts `binary` with `args`, waits for its "serving" line, and returns its ports.
  Started Start(const std::string& binary, std::vector<std::string> args) {
    absl::StatusOr<ServingProcess> serving = StartServing(BinaryPath(binary), args);
    EXPECT_OK(serving.status());
    if (!serving.ok()) return {};
    processes_.push_back(std::move(serving->process));
    return {processes_.back().get(), serving->port, PortInLine(serving->line, "\"health_port\":")};
  }

  Started StartRegistry(std::vector<std::string> tls_flags) {
    std::vector<std::string> args = {"--listen=127.0.0.1:0", "--admin_listen=off",
                                     databases_.Flag("registry"), folder_->KeyFlag()};
    args.insert(args.end(), tls_flags.begin(), tls_flags.end());
    return Start("services/registry/summit-registry", args);
  }

  // A channel of its own (no connection shared with other channels) to `port`, with TLS files
  // for the client side (none: plaintext), expecting the server to be `server_name` (empty: the
  // address dialled).
  std::shared_ptr<grpc::Channel> Channel(int port, const tls::TlsFiles& files,
                                         const std::string& server_name = "") {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        tls::GrpcChannelCredentials(files);
    EXPECT_OK(credentials.status());
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    if (!server_name.empty()) arguments.SetSslTargetNameOverride(server_name);
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port), *credentials, arguments);
  }

  tls::TlsFiles Client(const std::string& name, const std::string& ca = "ca") {
    tls::TlsFiles files;
    if (!name.empty()) {
      files.cert_file = Path(name + ".pem");
      files.key_file = Path(name + ".key");
    }
    files.ca_file = Path(ca + ".pem");
    return files;
  }

  // GetPerson of someone who does not exist: NOT_FOUND means the call reached the Registry.
  grpc::Status GetNobody(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = registry::v1::RegistryService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    registry::v1::GetPersonRequest request;
    request.set_name("people/nobody");
    registry::v1::Person person;
    return stub->GetPerson(&context, request, &person);
  }

  std::string Organizer() {
    return folder_->Token({"people/secretariat-officer", auth::Role::kOrganizer});
  }

  std::unique_ptr<TestFolder> folder_;
  TestDatabases databases_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;  // killed first, if still running
};

TEST_F(TlsIntegrationTest, MutualTlsAdmitsOnlyClientsTheCaSigned) {
  Started registry = StartRegistry(TlsFlags("registry"));
  ASSERT_GT(registry.port, 0);

  // (a) The CA's roots and a certificate it signed: the call reaches the service.
  EXPECT_EQ(GetNobody(Channel(registry.port, Client("client"))).error_code(), Code::NOT_FOUND);
  // (b) TLS without a client certificate, or with one another CA signed: refused.
  EXPECT_EQ(GetNobody(Channel(registry.port, Client(""))).error_code(), Code::UNAVAILABLE);
  EXPECT_EQ(GetNobody(Channel(registry.port, Client("rogue"))).error_code(), Code::UNAVAILABLE);
  // A client that does not trust the server's CA refuses the server.
  EXPECT_EQ(GetNobody(Channel(registry.port, Client("rogue", "rogue-ca"))).error_code(),
            Code::UNAVAILABLE);
  // The server's certificate must name the server: one for another name is refused.
  EXPECT_EQ(GetNobody(Channel(registry.port, Client("client"), "localhost")).error_code(),
            Code::NOT_FOUND);
  EXPECT_EQ(GetNobody(Channel(registry.port, Client("client"), "registry.elsewhere.example"))
                .error_code(),
            Code::UNAVAILABLE);
  // (c) Plaintext on the TLS port: refused.
  EXPECT_EQ(GetNobody(Channel(registry.port, tls::TlsFiles())).error_code(), Code::UNAVAILABLE);
}

TEST_F(TlsIntegrationTest, PlaintextHealthPortMirrorsHealthIncludingDraining) {
  std::vector<std::string> flags = TlsFlags("registry");
  // Long enough that the test sees the drain; the process is killed at the end.
  flags.push_back("--shutdown_drain_delay=600s");
  Started registry = StartRegistry(flags);
  ASSERT_GT(registry.health_port, 0);
  ASSERT_NE(registry.health_port, registry.port);

  // (d) Plaintext, no certificate: what a kubelet gRPC probe can do.
  std::shared_ptr<grpc::Channel> probe = Channel(registry.health_port, tls::TlsFiles());
  for (const std::string service : {"", kRegistryService}) {
    Health health = CheckHealth(probe, service);
    ASSERT_TRUE(health.status.ok()) << service << ": " << health.status.error_message();
    EXPECT_EQ(health.serving_status, 1) << service;
  }
  // The health port serves health, not the API.
  EXPECT_EQ(GetNobody(probe).error_code(), Code::UNIMPLEMENTED);
  // The main port over mutual TLS says the same.
  EXPECT_EQ(CheckHealth(Channel(registry.port, Client("client")), kRegistryService).serving_status,
            1);

  // Draining (SIGTERM): the probe sees NOT_SERVING.
  ASSERT_OK(registry.process->Signal(SIGTERM));
  Health health;
  for (absl::Time give_up = absl::Now() + kPatience; absl::Now() < give_up;
       absl::SleepFor(absl::Milliseconds(100))) {
    health = CheckHealth(probe, kRegistryService);
    if (health.status.ok() && health.serving_status == 2) break;
  }
  EXPECT_TRUE(health.status.ok()) << health.status.error_message();
  EXPECT_EQ(health.serving_status, 2);
}

TEST_F(TlsIntegrationTest, SchedulingCallsRegistryOverMutualTls) {
  Started registry = StartRegistry(TlsFlags("registry"));
  ASSERT_GT(registry.port, 0);
  std::vector<std::string> args = {"--listen=127.0.0.1:0", "--admin_listen=off",
                                   databases_.Flag("scheduling"), folder_->KeyFlag(),
                                   absl::StrCat("--registry_address=127.0.0.1:", registry.port)};
  for (const std::string& flag : TlsFlags("scheduling")) args.push_back(flag);
  Started scheduling = Start("services/scheduling/summit-scheduling", args);
  ASSERT_GT(scheduling.port, 0);

  const std::string organizer = Organizer();
  {
    auto stub = registry::v1::RegistryService::NewStub(Channel(registry.port, Client("client")));
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + organizer);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    registry::v1::CreateEventRequest request;
    request.set_event_id("udib-2023");
    registry::v1::Event* event = request.mutable_event();
    event->set_display_name("Ukraine Defense Industrial Base Summit");
    event->set_kind(registry::v1::Event::KIND_SUMMIT);
    event->set_city("Washington");
    event->set_country("US");
    event->set_time_zone("America/New_York");
    event->mutable_start_date()->set_year(2023);
    event->mutable_start_date()->set_month(12);
    event->mutable_start_date()->set_day(6);
    *event->mutable_end_date() = event->start_date();
    event->mutable_end_date()->set_day(7);
    registry::v1::Event out;
    grpc::Status status = stub->CreateEvent(&context, request, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // (e) Creating a room makes Scheduling ask the Registry for the event, over mutual TLS.
  auto stub =
      scheduling::v1::SchedulingService::NewStub(Channel(scheduling.port, Client("client")));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + organizer);
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  scheduling::v1::CreateRoomRequest request;
  request.set_parent("events/udib-2023");
  request.set_room_id("east-room");
  request.mutable_room()->set_display_name("East Room");
  request.mutable_room()->set_kind(scheduling::v1::Room::KIND_MEETING_ROOM);
  request.mutable_room()->set_capacity(6);
  scheduling::v1::Room room;
  grpc::Status status = stub->CreateRoom(&context, request, &room);
  EXPECT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message() << "\n"
                           << scheduling.process->AllStderr();
  // The Registry saw Scheduling's call (one log line per call).
  EXPECT_TRUE(absl::StrContains(registry.process->AllStderr(), "GetEvent"))
      << registry.process->AllStderr();
}

TEST_F(TlsIntegrationTest, ReplacedCertificatesAreServedWithoutRestart) {
  Started registry = StartRegistry(TlsFlags("registry"));
  ASSERT_GT(registry.port, 0);
  EXPECT_EQ(ServedCommonName(*folder_, registry.port), "registry");

  // (f) A new certificate of the same CA, renamed into place: served within a few reloads.
  ASSERT_OK(MakeCert(*folder_, "registry", "ca", "registry-rotated"));
  EXPECT_EQ(AwaitServedCommonName(*folder_, registry.port, "registry-rotated", kPatience),
            "registry-rotated");
  EXPECT_EQ(GetNobody(Channel(registry.port, Client("client"))).error_code(), Code::NOT_FOUND);

  // A new CA: the server's certificate and the CA it trusts both replaced. Clients of the new
  // CA get in; clients of the old one no longer do.
  ASSERT_OK(MakeCa(*folder_, "new-ca"));
  ASSERT_OK(MakeCert(*folder_, "new-client", "new-ca", "client"));
  ASSERT_OK(MakeCert(*folder_, "registry", "new-ca", "registry-new-ca"));
  // ca.pem is also the old clients' trust: keep a copy for them, then rename the new CA in.
  std::filesystem::copy_file(Path("ca.pem"), Path("old-ca.pem"));
  std::filesystem::copy_file(Path("new-ca.pem"), Path("ca.pem.next"));
  std::filesystem::rename(Path("ca.pem.next"), Path("ca.pem"));
  grpc::Status status;
  for (absl::Time give_up = absl::Now() + kPatience; absl::Now() < give_up;
       absl::SleepFor(absl::Milliseconds(200))) {
    status = GetNobody(Channel(registry.port, Client("new-client", "new-ca")));
    if (status.error_code() == Code::NOT_FOUND) break;
  }
  EXPECT_EQ(status.error_code(), Code::NOT_FOUND) << status.error_message();
  EXPECT_EQ(GetNobody(Channel(registry.port, Client("client", "old-ca"))).error_code(),
            Code::UNAVAILABLE);
  EXPECT_TRUE(registry.process->IsRunning());
}

TEST_F(TlsIntegrationTest, GatewayServesHttpsAndTlsAndCallsBackendsOverMutualTls) {
  Started registry = StartRegistry(TlsFlags("registry"));
  ASSERT_GT(registry.port, 0);
  ASSERT_OK(MakeCert(*folder_, "gateway", "ca", "gateway"));
  const std::string backend = absl::StrCat("127.0.0.1:", registry.port);
  std::vector<std::string> args = {
      "--listen=127.0.0.1:0", "--admin_listen=off", "--http_listen=127.0.0.1:0",
      absl::StrCat("--registry_address=", backend), absl::StrCat("--scheduling_address=", backend),
      absl::StrCat("--statements_address=", backend),
      // A public endpoint: TLS, but no client certificate needed.
      "--tls_require_client_cert=false"};
  for (const std::string& flag : TlsFlags("gateway")) args.push_back(flag);
  Started gateway = Start("gateway/summit-gateway", args);
  ASSERT_GT(gateway.port, 0);
  ASSERT_OK_AND_ASSIGN(
      const int http_port,
      LoggedPort(*gateway.process, "\"message\":\"http serving\"", "\"http_port\":"));

  // (g) HTTPS with curl, trusting the CA; the gateway asks the Registry over mutual TLS, which
  // answers NOT_FOUND: HTTP 404.
  const std::string target = "/v1/people/nobody";
  EXPECT_EQ(HttpsGet(http_port, target, Path("ca.pem")).status, 404)
      << gateway.process->AllStderr();
  // Without trusting the CA, curl refuses the server; plain HTTP gets no answer.
  EXPECT_FALSE(HttpsGet(http_port, target, "").answered);
  EXPECT_FALSE(Http(http_port, "GET", target).answered);

  // summitctl over TLS to the gateway's gRPC port (exit 2 + NOT_FOUND = 7); plaintext is
  // refused (2 + UNAVAILABLE = 16).
  const std::string summitctl =
      absl::StrCat(BinaryPath("tools/summitctl"), " --registry_address=127.0.0.1:", gateway.port,
                   " --timeout=20s");
  const std::string call =
      " call summit.registry.v1.RegistryService/GetPerson '{\"name\":\"people/nobody\"}' "
      ">/dev/null 2>&1";
  EXPECT_EQ(Shell(absl::StrCat(summitctl, " --tls_ca_file=", Path("ca.pem"), call)), 7);
  EXPECT_EQ(Shell(absl::StrCat(summitctl, call)), 16);
  // summitctl straight to the Registry: mutual TLS needs its client certificate.
  const std::string direct =
      absl::StrCat(BinaryPath("tools/summitctl"), " --registry_address=", backend, " --timeout=20s",
                   " --tls_ca_file=", Path("ca.pem"));
  EXPECT_EQ(Shell(absl::StrCat(direct, " --tls_cert_file=", Path("client.pem"),
                               " --tls_key_file=", Path("client.key"), call)),
            7);
  EXPECT_EQ(Shell(absl::StrCat(direct, call)), 16);

  // A rotated HTTPS certificate is served to new connections without a restart.
  ASSERT_OK(MakeCert(*folder_, "gateway", "ca", "gateway-rotated"));
  EXPECT_EQ(AwaitServedCommonName(*folder_, http_port, "gateway-rotated", kPatience),
            "gateway-rotated");
  EXPECT_EQ(HttpsGet(http_port, target, Path("ca.pem")).status, 404);
}

}  // namespace
}  // namespace summit
