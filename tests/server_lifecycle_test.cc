// Integration test of the shared server bootstrap, through a real process:
// tests/support/test_server_main.cc (summit_test_server) started the way a
// deployment starts a service, then called over loopback gRPC and HTTP.
//
// What it shows: the "serving" log line names the ports; gRPC health reports
// the service SERVING; reflection lists it; /metrics on the admin port counts
// calls by method and code, answers all through a drain, and with TLS files is
// HTTPS only (a throwaway CA's certificate, rotated without a restart); every
// call is logged with its caller; SIGTERM turns health NOT_SERVING, lets
// in-flight calls finish within the grace period, cancels those that run
// over, and the process exits 0.
//
// The binary is found through SUMMIT_BINARY_DIR, which CTest sets.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "common/tls/tls_files.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/stub_options.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/metric_samples.h"
#include "tests/support/reflection_client.h"
#include "tests/support/test_folder.h"
#include "tests/support/throwaway_ca.h"

extern "C" char** environ;

namespace summit {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::UnknownFieldSet;
using ::summit::testing::AwaitServedCommonName;
using ::summit::testing::HttpResponse;
using ::summit::testing::HttpsGet;
using ::summit::testing::MakeCa;
using ::summit::testing::MakeCert;
using ::summit::testing::ParseSamples;
using ::summit::testing::RequestsSeries;
using ::summit::testing::SeriesCount;
using ::summit::testing::TestFolder;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kServiceName[] = "summit.test.v1.SlowService";
constexpr char kSleep[] = "/summit.test.v1.SlowService/Sleep";
constexpr char kEcho[] = "/summit.test.v1.EchoService/Echo";
constexpr char kHealthCheck[] = "/grpc.health.v1.Health/Check";

// grpc.health.v1.HealthCheckResponse.ServingStatus
constexpr int kServing = 1;
constexpr int kNotServing = 2;

// Bounds every wait for something that must happen, so that a broken build
// fails instead of hanging; it measures nothing.
constexpr absl::Duration kPatience = absl::Seconds(30);

// --- A server process -----------------------------------------------------

// Runs summit_test_server with some flags, collecting its stderr (the JSON
// log) line by line. Killed (SIGKILL) when destroyed if still running.
class ServerProcess {
 public:
  static std::string BinaryPath() {
    const char* dir = std::getenv("SUMMIT_BINARY_DIR");
    return dir == nullptr ? "" : absl::StrCat(dir, "/tests/summit_test_server");
  }

  // `environment`: extra "NAME=value" entries on top of this process's own.
  explicit ServerProcess(std::vector<std::string> flags,
                         std::vector<std::string> environment = {}) {
    std::vector<std::string> args = {BinaryPath(), "--listen=127.0.0.1:0",
                                     "--admin_listen=127.0.0.1:0"};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    // Ours last: for ApplyEnvironment the last entry of a name wins.
    std::vector<std::string> all_environment;
    for (char** entry = environ; *entry != nullptr; ++entry) all_environment.push_back(*entry);
    all_environment.insert(all_environment.end(), environment.begin(), environment.end());
    std::vector<char*> envp;
    for (std::string& entry : all_environment) envp.push_back(entry.data());
    envp.push_back(nullptr);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::dup2(pipe_fds[1], STDERR_FILENO);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(pipe_fds[1]);
    if (pid_ < 0) {
      ::close(pipe_fds[0]);
      return;
    }
    reader_ = std::thread([this, fd = pipe_fds[0]] { ReadLines(fd); });
  }

  ~ServerProcess() {
    if (pid_ > 0 && !exit_status_.has_value()) {
      ::kill(pid_, SIGKILL);
      int status;
      ::waitpid(pid_, &status, 0);
    }
    if (reader_.joinable()) reader_.join();
  }

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // Waits for the "serving" line and reads the ports from it.
  bool WaitUntilServing() {
    std::optional<Struct> serving = WaitForLog("serving");
    if (!serving.has_value()) return false;
    port_ = static_cast<int>(serving->fields().at("port").number_value());
    admin_port_ = static_cast<int>(serving->fields().at("admin_port").number_value());
    return port_ > 0;
  }
  int port() const { return port_; }
  int admin_port() const { return admin_port_; }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

  // The first log line (parsed) whose message is `message` and which
  // `matches`, waiting for it up to kPatience.
  template <typename Predicate>
  std::optional<Struct> WaitForLog(const std::string& message, Predicate matches) {
    absl::MutexLock lock(&mu_);
    std::optional<Struct> found;
    auto seen = [&]() {  // called with mu_ held
      for (const std::string& line : lines_) {
        Struct parsed;
        if (!google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) continue;
        auto it = parsed.fields().find("message");
        if (it != parsed.fields().end() && it->second.string_value() == message &&
            matches(parsed)) {
          found = parsed;
          return true;
        }
      }
      return eof_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&seen), kPatience);
    return found;
  }
  std::optional<Struct> WaitForLog(const std::string& message) {
    return WaitForLog(message, [](const Struct&) { return true; });
  }

  // Every log line so far whose message is `message`.
  std::vector<Struct> Logs(const std::string& message) {
    absl::MutexLock lock(&mu_);
    std::vector<Struct> result;
    for (const std::string& line : lines_) {
      Struct parsed;
      if (!google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) continue;
      auto it = parsed.fields().find("message");
      if (it != parsed.fields().end() && it->second.string_value() == message) {
        result.push_back(parsed);
      }
    }
    return result;
  }

  // Every line so far, raw, for failure messages and ordering checks.
  std::vector<std::string> Lines() {
    absl::MutexLock lock(&mu_);
    return lines_;
  }

  std::string AllOutput() {
    absl::MutexLock lock(&mu_);
    return absl::StrJoin(lines_, "\n");
  }

  void Signal(int signal) { ::kill(pid_, signal); }

  // Waits (up to kPatience) for the process to exit; its wait status.
  std::optional<int> WaitForExit() {
    const absl::Time give_up = absl::Now() + kPatience;
    while (!exit_status_.has_value() && absl::Now() < give_up) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_status_ = status;
      } else {
        absl::SleepFor(absl::Milliseconds(10));
      }
    }
    return exit_status_;
  }

 private:
  void ReadLines(int fd) {
    std::string pending;
    char buffer[4096];
    while (true) {
      const ssize_t n = ::read(fd, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      pending.append(buffer, static_cast<size_t>(n));
      size_t newline;
      absl::MutexLock lock(&mu_);
      while ((newline = pending.find('\n')) != std::string::npos) {
        lines_.push_back(pending.substr(0, newline));
        pending.erase(0, newline + 1);
      }
    }
    ::close(fd);
    absl::MutexLock lock(&mu_);
    if (!pending.empty()) lines_.push_back(pending);
    eof_ = true;
  }

  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  int port_ = 0;
  int admin_port_ = 0;
  std::thread reader_;
  absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
  bool eof_ ABSL_GUARDED_BY(mu_) = false;
};

std::string DescribeExit(std::optional<int> status) {
  if (!status.has_value()) return "still running";
  if (WIFEXITED(*status)) return absl::StrCat("exited with status ", WEXITSTATUS(*status));
  if (WIFSIGNALED(*status)) return absl::StrCat("killed by signal ", WTERMSIG(*status));
  return "stopped";
}

// --- Calls ----------------------------------------------------------------

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

struct Reply {
  grpc::Status status;
  std::string body;
};

// A unary call in flight; Wait() returns its outcome.
class PendingCall {
 public:
  PendingCall(grpc::GenericStub& stub, const std::string& method, const std::string& request,
              const std::string& authorization = "") {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    if (!authorization.empty()) context_.AddMetadata("authorization", authorization);
    request_ = ToBuffer(request);
    stub.UnaryCall(&context_, method, grpc::StubOptions(), &request_, &response_,
                   [this](grpc::Status status) {
                     reply_.status = std::move(status);
                     reply_.body = FromBuffer(response_);
                     done_.Notify();
                   });
  }
  ~PendingCall() {
    if (!done_.HasBeenNotified()) {
      context_.TryCancel();
      done_.WaitForNotification();
    }
  }

  bool done() const { return done_.HasBeenNotified(); }
  Reply Wait() {
    done_.WaitForNotification();  // bounded by the call's deadline
    return reply_;
  }

 private:
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  Reply reply_;
  absl::Notification done_;
};

Reply Call(grpc::GenericStub& stub, const std::string& method, const std::string& request,
           const std::string& authorization = "") {
  return PendingCall(stub, method, request, authorization).Wait();
}

// grpc.health.v1.Health/Check for `service`, the messages written by hand
// (HealthCheckRequest{string service = 1}, HealthCheckResponse{status = 1}).
struct Health {
  grpc::Status status;
  int serving_status = 0;
};

Health CheckHealth(grpc::GenericStub& stub, const std::string& service) {
  UnknownFieldSet request;
  request.AddLengthDelimited(1, service);
  std::string request_bytes;
  request.SerializeToString(&request_bytes);
  Reply reply = Call(stub, kHealthCheck, request_bytes);
  Health health{reply.status};
  UnknownFieldSet response;
  if (reply.status.ok() && response.ParseFromString(reply.body)) {
    for (int i = 0; i < response.field_count(); ++i) {
      if (response.field(i).number() == 1) {
        health.serving_status = static_cast<int>(response.field(i).varint());
      }
    }
  }
  return health;
}

// GET http://127.0.0.1:<port><path> over a plain socket, HTTP/1.0; the whole
// response (status line, headers, body), "" on failure.
std::string HttpGet(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  timeval timeout{static_cast<time_t>(absl::ToInt64Seconds(kPatience)), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    const std::string request =
        absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buffer[8192];
      ssize_t n;
      while ((n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0) response.append(buffer, n);
    }
  }
  ::close(fd);
  return response;
}

// --- The tests ------------------------------------------------------------

class ServerLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(ServerProcess::BinaryPath().empty())
        << "SUMMIT_BINARY_DIR is not set; run this test through ctest";
    ASSERT_EQ(::access(ServerProcess::BinaryPath().c_str(), X_OK), 0)
        << ServerProcess::BinaryPath() << " is missing; build summit_test_server";
  }

  // Starts the server with `flags` (and extra `environment`) and connects to it.
  void Start(std::vector<std::string> flags = {}, std::vector<std::string> environment = {}) {
    server_ = std::make_unique<ServerProcess>(std::move(flags), std::move(environment));
    ASSERT_TRUE(server_->started());
    ASSERT_TRUE(server_->WaitUntilServing()) << server_->AllOutput();
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
  }

  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

TEST_F(ServerLifecycleTest, LogsItsPortsAndReportsHealthPerServiceName) {
  Start();
  EXPECT_GT(server_->admin_port(), 0);
  EXPECT_NE(server_->admin_port(), server_->port());

  Health service = CheckHealth(*stub_, kServiceName);
  ASSERT_TRUE(service.status.ok()) << service.status.error_message();
  EXPECT_EQ(service.serving_status, kServing);
  Health overall = CheckHealth(*stub_, "");
  ASSERT_TRUE(overall.status.ok()) << overall.status.error_message();
  EXPECT_EQ(overall.serving_status, kServing);
  Health unknown = CheckHealth(*stub_, "summit.test.v1.NoSuchService");
  EXPECT_EQ(unknown.status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerLifecycleTest, ReflectionListsTheService) {
  Start();
  EXPECT_THAT(testing::ListServicesByReflection(channel_),
              IsSupersetOf({std::string(kServiceName), std::string("grpc.health.v1.Health"),
                            std::string("grpc.reflection.v1alpha.ServerReflection")}));
}

TEST_F(ServerLifecycleTest, ServesRegisteredAndGenericMethods) {
  Start();
  Reply sleep = Call(*stub_, kSleep, "0");
  ASSERT_TRUE(sleep.status.ok()) << sleep.status.error_message();
  EXPECT_EQ(sleep.body, "slept 0ms");
  Reply bad = Call(*stub_, kSleep, "soon");
  EXPECT_EQ(bad.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  Reply echo = Call(*stub_, kEcho, std::string("bytes\0and more", 14));
  ASSERT_TRUE(echo.status.ok()) << echo.status.error_message();
  EXPECT_EQ(echo.body, std::string("bytes\0and more", 14));
  Reply unknown = Call(*stub_, "/summit.test.v1.EchoService/Shout", "x");
  EXPECT_EQ(unknown.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(ServerLifecycleTest, MetricsCountCallsByMethodAndCode) {
  Start();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Call(*stub_, kSleep, "0").status.ok());
  EXPECT_EQ(Call(*stub_, kSleep, "soon").status.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Call(*stub_, kEcho, "x").status.ok());

  const std::string response = HttpGet(server_->admin_port(), "/metrics");
  ASSERT_THAT(response, ::testing::StartsWith("HTTP/1.")) << response;
  EXPECT_THAT(response.substr(0, response.find('\n')), HasSubstr("200"));
  const size_t body_start = response.find("\r\n\r\n");
  ASSERT_NE(body_start, std::string::npos);
  const std::string body = response.substr(body_start + 4);
  SCOPED_TRACE(body);
  EXPECT_THAT(body, HasSubstr("# TYPE summit_rpc_requests_total counter"));
  EXPECT_THAT(body, HasSubstr("# TYPE summit_rpc_duration_seconds histogram"));

  std::map<std::string, double> samples = ParseSamples(body);
  EXPECT_EQ(samples[RequestsSeries(kSleep, "OK")], 3);
  EXPECT_EQ(samples[RequestsSeries(kSleep, "INVALID_ARGUMENT")], 1);
  EXPECT_EQ(samples[absl::StrCat("summit_rpc_duration_seconds_count{method=\"", kSleep, "\"}")],
            4);
  EXPECT_EQ(samples[RequestsSeries(kEcho, "OK")], 2);  // the generic service's calls too
}

TEST_F(ServerLifecycleTest, MetricsAnswerThroughoutTheDrain) {
  // Prometheus sees a replica to its end: the admin port stops only after
  // gRPC has.
  Start({"--shutdown_drain_delay=0s", "--shutdown_grace_period=30s"});
  auto slow = std::make_unique<PendingCall>(*stub_, kSleep, "600000");  // holds the drain open
  ASSERT_TRUE(server_->WaitForLog("sleep started").has_value()) << server_->AllOutput();
  server_->Signal(SIGTERM);
  ASSERT_TRUE(server_->WaitForLog("refusing new calls").has_value()) << server_->AllOutput();

  const std::string scrape = HttpGet(server_->admin_port(), "/metrics");
  EXPECT_THAT(scrape.substr(0, scrape.find('\n')), HasSubstr("200")) << scrape;
  slow.reset();  // cancels it; with nothing in flight the server stops
  std::optional<int> status = server_->WaitForExit();
  EXPECT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << DescribeExit(status) << "\n" << server_->AllOutput();
  EXPECT_EQ(HttpGet(server_->admin_port(), "/metrics"), "") << "still serving after exit";
}

TEST_F(ServerLifecycleTest, WithTlsFilesTheAdminPortServesHttpsOnly) {
  // Production's settings: a certificate, its key and the CA, so gRPC asks
  // for client certificates. Prometheus has none: the admin port asks none.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TestFolder> folder,
                       TestFolder::Create("server_lifecycle_tls"));
  ASSERT_OK(MakeCa(*folder, "ca"));
  ASSERT_OK(MakeCert(*folder, "server", "ca", "server"));
  ASSERT_OK(MakeCert(*folder, "client", "ca", "client"));
  const std::string ca = folder->Path("ca.pem");
  Start({absl::StrCat("--tls_cert_file=", folder->Path("server.pem")),
         absl::StrCat("--tls_key_file=", folder->Path("server.key")),
         absl::StrCat("--tls_ca_file=", ca), "--tls_reload_interval=1s"});
  const int admin_port = server_->admin_port();
  ASSERT_GT(admin_port, 0);
  std::optional<Struct> serving = server_->WaitForLog("serving");
  ASSERT_TRUE(serving.has_value());
  EXPECT_TRUE(serving->fields().at("admin_https").bool_value());

  // A call over mutual TLS, to be counted.
  tls::TlsFiles client;
  client.cert_file = folder->Path("client.pem");
  client.key_file = folder->Path("client.key");
  client.ca_file = ca;
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::ChannelCredentials> credentials,
                       tls::GrpcChannelCredentials(client));
  grpc::GenericStub stub(grpc::CreateChannel(server_->address(), credentials));
  ASSERT_TRUE(Call(stub, kSleep, "0").status.ok());

  // HTTPS, the server verified with the CA, no client certificate.
  const HttpResponse scrape = HttpsGet(admin_port, "/metrics", ca);
  ASSERT_EQ(scrape.status, 200) << scrape.Describe();
  EXPECT_THAT(scrape.Header("content-type"), StartsWith("text/plain; version=0.0.4"));
  EXPECT_EQ(ParseSamples(scrape.body)[RequestsSeries(kSleep, "OK")], 1) << scrape.body;
  EXPECT_EQ(HttpsGet(admin_port, "/", ca).status, 404);
  // A client that does not trust the CA refuses the server; plain HTTP gets
  // no HTTP answer.
  EXPECT_FALSE(HttpsGet(admin_port, "/metrics", "").answered);
  EXPECT_THAT(HttpGet(admin_port, "/metrics"), Not(StartsWith("HTTP/")));

  // A rotated certificate is served to new connections without a restart.
  ASSERT_OK(MakeCert(*folder, "server", "ca", "server-rotated"));
  EXPECT_EQ(AwaitServedCommonName(*folder, admin_port, "server-rotated", kPatience),
            "server-rotated");
  EXPECT_EQ(HttpsGet(admin_port, "/metrics", ca).status, 200);
}

TEST_F(ServerLifecycleTest, MethodNamesClientsInventDoNotBecomeMetricSeries) {
  // Any client, unauthenticated, chooses the method path it sends. Each
  // distinct path must not become a new label value (a counter plus a
  // 17-bucket histogram, kept forever): that grows server memory and the
  // scrape without bound. Unknown methods belong under one label, with the
  // code the callers got; the observer decides, whoever records.
  Start();
  ASSERT_TRUE(Call(*stub_, kSleep, "0").status.ok());
  const std::map<std::string, double> before =
      ParseSamples(HttpGet(server_->admin_port(), "/metrics"));
  std::vector<std::string> invented = {"/summit.test.v1.SlowService/Bogus",
                                       absl::StrCat(kEcho, "x")};
  for (int i = 0; i < 20; ++i) invented.push_back(absl::StrCat("/attacker.Chosen/Method", i));
  for (const std::string& method : invented) {
    EXPECT_EQ(Call(*stub_, method, "x").status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
        << method;
  }
  const std::string metrics = HttpGet(server_->admin_port(), "/metrics");
  SCOPED_TRACE(metrics);
  const std::map<std::string, double> after = ParseSamples(metrics);
  int invented_series = 0;
  for (const auto& [series, value] : after) {
    if (absl::StrContains(series, "attacker.Chosen") || absl::StrContains(series, "Bogus")) {
      ++invented_series;
    }
  }
  EXPECT_EQ(invented_series, 0);
  EXPECT_EQ(SeriesCount(after, "summit_rpc_requests_total"),
            SeriesCount(before, "summit_rpc_requests_total") + 1);
  EXPECT_EQ(after.at(RequestsSeries("unknown", "UNIMPLEMENTED")), invented.size());
}

TEST_F(ServerLifecycleTest, EveryCallIsLoggedWithItsCaller) {
  // A key file, as a deployment mounts one, and tokens minted with it.
  char key_path[] = "/tmp/summit_lifecycle_key_XXXXXX";
  const int key_fd = ::mkstemp(key_path);
  ASSERT_NE(key_fd, -1);
  const std::string key(32, 'k');
  ASSERT_EQ(::write(key_fd, key.data(), key.size()), static_cast<ssize_t>(key.size()));
  ::close(key_fd);
  Start({absl::StrCat("--auth_key_file=", key_path)});
  ::unlink(key_path);

  auth::Principal organizer{"people/umerov", auth::Role::kOrganizer};
  const std::string token = auth::MintToken(organizer, absl::Hours(1), key, absl::Now());
  ASSERT_TRUE(Call(*stub_, kSleep, "1", absl::StrCat("Bearer ", token)).status.ok());
  ASSERT_TRUE(Call(*stub_, kSleep, "2", "Bearer not.a.token").status.ok());
  ASSERT_TRUE(Call(*stub_, kSleep, "3").status.ok());

  // The line is written before the status is sent, but it reaches this
  // process through a pipe read by another thread: wait for the last one.
  ASSERT_TRUE(server_->WaitForLog("rpc", [](const Struct& line) {
    return line.fields().at("principal").string_value() == "public";
  }).has_value());
  std::vector<std::string> principals;
  for (const Struct& line : server_->Logs("rpc")) {
    if (line.fields().at("method").string_value() != kSleep) continue;
    EXPECT_EQ(line.fields().at("code").string_value(), "OK");
    EXPECT_GE(line.fields().at("latency_ms").number_value(), 0);
    principals.push_back(line.fields().at("principal").string_value());
  }
  EXPECT_THAT(principals, ::testing::ElementsAre("people/umerov", "invalid-token", "public"));
}

TEST_F(ServerLifecycleTest, BadKeyFileStopsStartupWithAnError) {
  char key_path[] = "/tmp/summit_lifecycle_short_key_XXXXXX";
  const int key_fd = ::mkstemp(key_path);
  ASSERT_NE(key_fd, -1);
  ASSERT_EQ(::write(key_fd, "short", 5), 5);
  ::close(key_fd);
  ServerProcess server({absl::StrCat("--auth_key_file=", key_path)});
  ASSERT_TRUE(server.started());
  std::optional<int> status = server.WaitForExit();
  ::unlink(key_path);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1) << DescribeExit(status);
  EXPECT_TRUE(server.WaitForLog("cannot read the auth key").has_value()) << server.AllOutput();
  EXPECT_TRUE(server.Logs("serving").empty());
}

TEST_F(ServerLifecycleTest, SigtermDrainsAnInFlightCallAndExitsZero) {
  Start({"--shutdown_drain_delay=500ms", "--shutdown_grace_period=5s"});
  PendingCall slow(*stub_, kSleep, "1500");
  ASSERT_TRUE(server_->WaitForLog("sleep started").has_value()) << server_->AllOutput();

  server_->Signal(SIGTERM);

  // Health turns NOT_SERVING while the server still answers (the drain
  // delay), so load balancers stop sending calls before they are refused.
  bool saw_not_serving = false;
  Health last;
  for (int poll = 0; poll < 5000 && !saw_not_serving; ++poll) {
    last = CheckHealth(*stub_, kServiceName);
    if (!last.status.ok()) break;  // already refusing calls: too late
    saw_not_serving = last.serving_status == kNotServing;
    if (!saw_not_serving) absl::SleepFor(absl::Milliseconds(2));
  }
  EXPECT_TRUE(saw_not_serving) << "last health check: " << last.status.error_message() << " "
                               << last.serving_status;

  // The call in flight finishes normally.
  Reply reply = slow.Wait();
  EXPECT_TRUE(reply.status.ok()) << reply.status.error_code() << " "
                                 << reply.status.error_message();
  EXPECT_EQ(reply.body, "slept 1500ms");

  std::optional<int> status = server_->WaitForExit();
  EXPECT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << DescribeExit(status) << "\n" << server_->AllOutput();

  // And it said what it did, in this order.
  std::vector<std::string> order;
  for (const std::string& line : server_->Lines()) {
    for (const char* message : {"signal received", "draining", "stopped"}) {
      if (absl::StrContains(line, absl::StrCat("\"message\":\"", message, "\""))) {
        order.push_back(message);
      }
    }
  }
  EXPECT_THAT(order, ::testing::ElementsAre("signal received", "draining", "stopped"));
  EXPECT_THAT(server_->Logs("rpc"), Contains(::testing::Truly([](const Struct& line) {
                return line.fields().at("method").string_value() == kSleep &&
                       line.fields().at("code").string_value() == "OK";
              })));
}

TEST_F(ServerLifecycleTest, NewCallsAreRefusedOnceDrainingEnds) {
  Start({"--shutdown_drain_delay=0s", "--shutdown_grace_period=30s"});
  auto slow = std::make_unique<PendingCall>(*stub_, kSleep, "600000");  // holds the server open
  ASSERT_TRUE(server_->WaitForLog("sleep started").has_value()) << server_->AllOutput();
  server_->Signal(SIGTERM);
  ASSERT_TRUE(server_->WaitForLog("draining").has_value());

  // Once the drain delay (0 s) is over the server refuses new calls itself,
  // while the one in flight runs on: UNAVAILABLE, which clients may retry
  // elsewhere — never CANCELLED, which gRPC gives a call that reaches a
  // server already shutting down (common/server/call_gate.h). Bounded polling.
  grpc::Status last;
  bool refused = false;
  for (int attempt = 0; attempt < 5000 && !refused; ++attempt) {
    last = Call(*stub_, kSleep, "0").status;
    refused = last.error_code() == grpc::StatusCode::UNAVAILABLE;
    EXPECT_TRUE(refused || last.ok()) << last.error_code() << " " << last.error_message();
    if (!refused) absl::SleepFor(absl::Milliseconds(2));
  }
  EXPECT_TRUE(refused) << last.error_code() << " " << last.error_message();
  EXPECT_THAT(last.error_message(), HasSubstr("retry")) << "refused by gRPC, not by the server";
  EXPECT_FALSE(slow->done()) << "the in-flight call ended before the grace period";
  slow.reset();  // cancels it; with nothing in flight the server stops
  std::optional<int> status = server_->WaitForExit();
  EXPECT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << DescribeExit(status);
}

TEST_F(ServerLifecycleTest, GracePeriodCancelsCallsThatRunOverThenExitsZero) {
  Start({"--shutdown_drain_delay=0s", "--shutdown_grace_period=1s"});
  PendingCall endless(*stub_, kSleep, "600000");
  ASSERT_TRUE(server_->WaitForLog("sleep started").has_value()) << server_->AllOutput();

  server_->Signal(SIGTERM);

  Reply reply = endless.Wait();
  EXPECT_FALSE(reply.status.ok()) << "a 10-minute call outlived a 1 s grace period";
  std::optional<int> status = server_->WaitForExit();
  EXPECT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << DescribeExit(status) << "\n" << server_->AllOutput();
  EXPECT_TRUE(server_->WaitForLog("stopped").has_value());
}

TEST_F(ServerLifecycleTest, SigintStopsItToo) {
  Start({"--shutdown_drain_delay=0s"});
  server_->Signal(SIGINT);
  std::optional<int> status = server_->WaitForExit();
  EXPECT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << DescribeExit(status);
  std::optional<Struct> received = server_->WaitForLog("signal received");
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->fields().at("signal").number_value(), SIGINT);
}

TEST_F(ServerLifecycleTest, EnvironmentConfiguresTheServerAndFlagsWin) {
  // SUMMIT_* variables reach the binary; the command line wins.
  Start({"--shutdown_drain_delay=0s", "--log_calls=true"},
        {"SUMMIT_SHUTDOWN_GRACE_PERIOD=7s", "SUMMIT_LOG_CALLS=false"});
  ASSERT_TRUE(Call(*stub_, kSleep, "0").status.ok());
  server_->Signal(SIGTERM);
  std::optional<Struct> draining = server_->WaitForLog("draining");
  ASSERT_TRUE(draining.has_value());
  EXPECT_EQ(draining->fields().at("grace_period_ms").number_value(), 7000);
  ASSERT_TRUE(server_->WaitForExit().has_value());
  EXPECT_FALSE(server_->Logs("rpc").empty()) << "--log_calls=true lost to SUMMIT_LOG_CALLS";
}

TEST_F(ServerLifecycleTest, SecondServerOnTheSamePortFailsToStart) {
  // Two processes told to serve on one port (a stale replica, a typo in a
  // manifest) must not silently share it: gRPC enables SO_REUSEPORT unless
  // told otherwise, and then the kernel splits connections between them.
  Start();
  ServerProcess second({absl::StrCat("--listen=", server_->address()), "--admin_listen=off"});
  ASSERT_TRUE(second.started());
  std::optional<int> status = second.WaitForExit();
  EXPECT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) != 0)
      << DescribeExit(status) << "\n" << second.AllOutput();
}

}  // namespace
}  // namespace summit
