// Per-caller rate limits at the gateway, with real processes on loopback (summit-registry behind
// summit-gateway): a burst over the limit gets HTTP 429 with Retry-After and the google.rpc.Status
// JSON, or gRPC RESOURCE_EXHAUSTED with a google.rpc.RetryInfo, while other callers (another
// token subject, or the public beside a token holder) are unaffected.
//
// The rate is tiny (one call per 1000 s) so that nothing refills while the test runs; waits are
// bounded (kPatience) and never asserted on.
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/test_database.h"

namespace summit {
namespace {

using ::summit::testing::ChildProcess;
using ::summit::testing::TestDatabases;
using Code = grpc::StatusCode;

constexpr absl::Duration kPatience = absl::Seconds(60);
constexpr int kBurst = 3;

std::string BinaryPath(absl::string_view relative) {
  if (const char* dir = std::getenv("SUMMIT_BINARY_DIR"); dir != nullptr && *dir != '\0') {
    return absl::StrCat(dir, "/", relative);
  }
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() /
          std::string(relative))
      .string();
}

int IntField(const std::string& line, const std::string& key) {
  const std::string quoted = absl::StrCat("\"", key, "\":");
  const size_t at = line.find(quoted);
  if (at == std::string::npos) return 0;
  const size_t start = at + quoted.size();
  int value = 0;
  (void)absl::SimpleAtoi(line.substr(start, line.find_first_not_of("0123456789", start) - start),
                         &value);
  return value;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

class GatewayRateLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "gateway_rate_limit.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    databases_.Reset(dir_);
    std::mt19937 random(20231207);
    for (int i = 0; i < 48; ++i) key_.push_back(static_cast<char>(random() & 0xFF));
    std::ofstream(dir_ + "/key", std::ios::binary) << key_;
    const std::string key_flag = absl::StrCat("--auth_key_file=", dir_, "/key");

    std::optional<std::string> registry_line;
    ASSERT_NO_FATAL_FAILURE(
        Start("services/registry/summit-registry",
              {"--listen=127.0.0.1:0", "--admin_listen=off", databases_.Flag("registry"), key_flag},
              "serving", &registry_line));
    const std::string backend = absl::StrCat("127.0.0.1:", IntField(*registry_line, "port"));
    std::optional<std::string> grpc_line;
    ASSERT_NO_FATAL_FAILURE(
        Start("gateway/summit-gateway",
              {"--listen=127.0.0.1:0", "--admin_listen=off", "--http_listen=127.0.0.1:0", key_flag,
               absl::StrCat("--registry_address=", backend),
               absl::StrCat("--scheduling_address=", backend),
               absl::StrCat("--statements_address=", backend), "--rate_limit_per_second=0.001",
               absl::StrCat("--rate_limit_burst=", kBurst)},
              "serving", &grpc_line));
    grpc_port_ = IntField(*grpc_line, "port");
    std::optional<std::string> http_line = processes_.back()->WaitForStderrLine(
        [](absl::string_view line) { return absl::StrContains(line, "\"http serving\""); },
        kPatience);
    ASSERT_TRUE(http_line.has_value()) << processes_.back()->AllStderr();
    http_port_ = IntField(*http_line, "http_port");
  }

  void TearDown() override {
    processes_.clear();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void Start(const std::string& binary, const std::vector<std::string>& args,
             const std::string& message, std::optional<std::string>* line) {
    absl::StatusOr<std::unique_ptr<ChildProcess>> process =
        ChildProcess::Start(BinaryPath(binary), args);
    ASSERT_OK(process.status());
    processes_.push_back(*std::move(process));
    *line = processes_.back()->WaitForStderrLine(
        [&](absl::string_view l) {
          return absl::StrContains(l, absl::StrCat("\"message\":\"", message, "\""));
        },
        kPatience);
    ASSERT_TRUE(line->has_value()) << binary << ":\n" << processes_.back()->AllStderr();
  }

  std::string Token(const std::string& subject) {
    return auth::MintToken({subject, auth::Role::kDelegate}, absl::Hours(1), key_, absl::Now());
  }

  grpc::Status GetNobody(const std::string& token) {
    auto stub = registry::v1::RegistryService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", grpc_port_), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    registry::v1::GetPersonRequest request;
    request.set_name("people/nobody");
    registry::v1::Person person;
    return stub->GetPerson(&context, request, &person);
  }

  struct HttpAnswer {
    int status = 0;
    std::string headers;  // lower case
    std::string body;
  };

  HttpAnswer HttpGetNobody(const std::string& token) {
    const std::string headers = absl::StrCat(dir_, "/headers"), body = absl::StrCat(dir_, "/body");
    const std::string command =
        absl::StrCat("curl -sS --max-time 20 -D ", headers, " -o ", body,
                     token.empty() ? "" : absl::StrCat(" -H 'authorization: Bearer ", token, "'"),
                     " http://127.0.0.1:", http_port_, "/v1/people/nobody");
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    HttpAnswer answer;
    answer.headers = absl::AsciiStrToLower(ReadFile(headers));
    answer.body = ReadFile(body);
    // "HTTP/1.1 404 Not Found"
    (void)absl::SimpleAtoi(answer.headers.substr(9, 3), &answer.status);
    return answer;
  }

  std::string dir_;
  std::string key_;
  TestDatabases databases_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
  int grpc_port_ = 0;
  int http_port_ = 0;
};

TEST_F(GatewayRateLimitTest, GrpcBurstOverTheLimitIsResourceExhaustedWithRetryInfo) {
  const std::string greedy = Token("people/greedy");
  for (int i = 0; i < kBurst; ++i) {
    EXPECT_EQ(GetNobody(greedy).error_code(), Code::NOT_FOUND) << i;
  }
  grpc::Status refused = GetNobody(greedy);
  EXPECT_EQ(refused.error_code(), Code::RESOURCE_EXHAUSTED) << refused.error_message();
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  std::optional<google::rpc::RetryInfo> retry;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::RetryInfo info;
    if (any.UnpackTo(&info)) retry = info;
  }
  ASSERT_TRUE(retry.has_value()) << details.DebugString();
  EXPECT_GT(retry->retry_delay().seconds(), 0);

  // Another subject, and the public (by address), are unaffected.
  EXPECT_EQ(GetNobody(Token("people/patient")).error_code(), Code::NOT_FOUND);
  EXPECT_EQ(GetNobody("").error_code(), Code::NOT_FOUND);
  // A token the gateway cannot verify counts against the address (which still has room); the
  // Registry then refuses it.
  const std::string forged = auth::MintToken({"people/forged", auth::Role::kDelegate},
                                             absl::Hours(1), std::string(48, 'x'), absl::Now());
  EXPECT_EQ(GetNobody(forged).error_code(), Code::UNAUTHENTICATED);
}

TEST_F(GatewayRateLimitTest, HttpBurstOverTheLimitIs429WithRetryAfter) {
  for (int i = 0; i < kBurst; ++i) EXPECT_EQ(HttpGetNobody("").status, 404) << i;
  HttpAnswer refused = HttpGetNobody("");
  EXPECT_EQ(refused.status, 429) << refused.headers << refused.body;
  EXPECT_TRUE(absl::StrContains(refused.headers, "retry-after: ")) << refused.headers;
  EXPECT_TRUE(absl::StrContains(refused.body, "\"code\":8")) << refused.body;
  EXPECT_TRUE(absl::StrContains(refused.body, "google.rpc.RetryInfo")) << refused.body;

  // A token holder is another caller and gets through; the public over gRPC comes from the same
  // address, so it finds the same bucket spent, whichever the protocol.
  EXPECT_EQ(HttpGetNobody(Token("people/patient")).status, 404);
  EXPECT_EQ(GetNobody("").error_code(), Code::RESOURCE_EXHAUSTED);
}

}  // namespace
}  // namespace summit
