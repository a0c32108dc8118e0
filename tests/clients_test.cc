// Summit's clients against real servers: the Python client generated from
// protos/ (clients/python) runs its example — registering people, scheduling
// their meeting, publishing a statement — and a C++ client built outside the
// tree from the installed package (`cmake --install`, clients/cpp) reads
// back the person the example made. Real summit-registry, -scheduling and
// -statements processes on fresh SQLite files; real tools (protoc, cmake,
// python3) as child processes.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"

namespace summit {
namespace {

using ::summit::testing::ChildProcess;
using ::testing::HasSubstr;

constexpr absl::Duration kPatience = absl::Seconds(30);
// Building the out-of-tree client compiles one file and links; generous.
constexpr absl::Duration kBuildPatience = absl::Seconds(300);

std::string BinaryDir() {
  const char* dir = std::getenv("SUMMIT_BINARY_DIR");
  return dir != nullptr ? dir : ".";
}

// Runs a shell command line, its standard output folded into standard
// error, and returns (exit code, everything it wrote).
std::pair<int, std::string> RunShell(const std::string& command, absl::Duration patience,
                                const std::vector<std::string>& environment = {}) {
  auto child = ChildProcess::Start("/bin/sh", {"-c", absl::StrCat("exec 1>&2; ", command)},
                                   environment);
  if (!child.ok()) return {-1, std::string(child.status().message())};
  absl::StatusOr<int> code = (*child)->WaitForExit(patience);
  // What it wrote last may still be in the pipe; it ends once no process holds it.
  if (code.ok()) (*child)->WaitForStderrEnd(patience);
  return {code.ok() ? *code : -1, (*child)->AllStderr()};
}

class ClientsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("summit-clients-test-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
    std::filesystem::create_directories(dir_);
    key_file_ = (dir_ / "auth.key").string();
    std::ofstream(key_file_) << "clients-test-key-0123456789abcdefghijklmnopqrstuv";
    registry_port_ = StartService("registry", "", "");
    scheduling_port_ = StartService("scheduling", Address(registry_port_), "");
    statements_port_ = StartService("statements", Address(registry_port_), Address(scheduling_port_));
    std::ifstream key(key_file_);
    const std::string key_bytes((std::istreambuf_iterator<char>(key)), std::istreambuf_iterator<char>());
    token_ = auth::MintToken({"people/duty-officer", auth::Role::kOrganizer}, absl::Hours(1),
                             key_bytes, absl::Now());
  }

  void TearDown() override {
    for (auto& server : servers_) server->Signal(SIGTERM).IgnoreError();
    servers_.clear();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  static std::string Address(int port) { return absl::StrCat("127.0.0.1:", port); }

  int StartService(const std::string& name, const std::string& registry,
                   const std::string& scheduling) {
    std::vector<std::string> args = {"--listen=127.0.0.1:0", "--admin_listen=off",
                                     absl::StrCat("--database=sqlite://", (dir_ / name).string(), ".db"),
                                     "--auth_key_file=" + key_file_, "--shutdown_drain_delay=0s",
                                     "--log_calls=false"};
    if (!registry.empty()) args.push_back("--registry_address=" + registry);
    if (!scheduling.empty()) args.push_back("--scheduling_address=" + scheduling);
    auto server = ChildProcess::Start(
        absl::StrCat(BinaryDir(), "/services/", name, "/summit-", name), args);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return 0;
    std::optional<std::string> serving = (*server)->WaitForStderrLine(
        [](absl::string_view line) { return absl::StrContains(line, "\"message\":\"serving\""); },
        kPatience);
    EXPECT_TRUE(serving.has_value()) << (*server)->AllStderr();
    int port = 0;
    if (serving.has_value()) {
      const size_t at = serving->find("\"port\":");
      absl::SimpleAtoi(serving->substr(at + 7, serving->find_first_of(",}", at) - at - 7), &port);
    }
    servers_.push_back(*std::move(server));
    return port;
  }

  std::filesystem::path dir_;
  std::string key_file_;
  std::string token_;
  int registry_port_ = 0;
  int scheduling_port_ = 0;
  int statements_port_ = 0;
  std::vector<std::unique_ptr<ChildProcess>> servers_;
};

TEST_F(ClientsTest, PythonExampleThenAnOutOfTreeCppClient) {
  // The Python client, generated from the protos as a developer would.
  const std::string python_dir = (dir_ / "python").string();
  auto [generated, generate_log] =
      RunShell(absl::StrCat(SUMMIT_SOURCE_DIR, "/clients/python/generate.sh ", python_dir), kPatience);
  ASSERT_EQ(generated, 0) << generate_log;

  const std::vector<std::string> environment = {
      "PYTHONPATH=" + python_dir, "SUMMIT_TOKEN=" + token_,
      "SUMMIT_REGISTRY_ADDRESS=" + Address(registry_port_),
      "SUMMIT_SCHEDULING_ADDRESS=" + Address(scheduling_port_),
      "SUMMIT_STATEMENTS_ADDRESS=" + Address(statements_port_)};
  const std::string example =
      absl::StrCat("/usr/bin/python3 ", SUMMIT_SOURCE_DIR, "/clients/python/example.py");
  auto [ran, run_log] = RunShell(example, kPatience, environment);
  ASSERT_EQ(ran, 0) << run_log;
  EXPECT_THAT(run_log, HasSubstr("registered: Oksana Example"));
  EXPECT_THAT(run_log, HasSubstr("scheduled: Co-production talks"));
  EXPECT_THAT(run_log, HasSubstr("published: A productive meeting - STATE_PUBLISHED"));
  // A second run changes nothing and still succeeds (request ids).
  auto [again, again_log] = RunShell(example, kPatience, environment);
  EXPECT_EQ(again, 0) << again_log;

  // The C++ package, installed and used from outside the tree.
  const std::string prefix = (dir_ / "prefix").string();
  auto [installed, install_log] =
      RunShell(absl::StrCat("cmake --install ", BinaryDir(), " --prefix ", prefix), kPatience);
  ASSERT_EQ(installed, 0) << install_log;
  const std::string client_build = (dir_ / "client-build").string();
  auto [built, build_log] = RunShell(
      absl::StrCat("cmake -S ", SUMMIT_SOURCE_DIR, "/clients/cpp -B ", client_build,
                   " -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=", prefix,
                   " -DCMAKE_CXX_COMPILER=", SUMMIT_CLIENT_COMPILER,
                   " '-DCMAKE_CXX_FLAGS=", SUMMIT_CLIENT_FLAGS, "' '-DCMAKE_EXE_LINKER_FLAGS=",
                   SUMMIT_CLIENT_FLAGS, "'",
                   " && cmake --build ", client_build),
      kBuildPatience);
  ASSERT_EQ(built, 0) << build_log;
  auto [called, call_log] = RunShell(absl::StrCat(client_build, "/summit-client ", Address(registry_port_),
                                             " people/py-oksana ", token_),
                                kPatience);
  EXPECT_EQ(called, 0) << call_log;
  EXPECT_THAT(call_log, HasSubstr("Oksana Example, Deputy Minister (example)"));
  // A failure is an exit code scripts can use: 2 + NOT_FOUND (5).
  auto [missing, missing_log] =
      RunShell(absl::StrCat(client_build, "/summit-client ", Address(registry_port_), " people/nobody"),
          kPatience);
  EXPECT_EQ(missing, 7) << missing_log;
}

TEST_F(ClientsTest, SummitctlWorksOnResourcesByNameAndImportsPeople) {
  const std::string ctl = absl::StrCat(BinaryDir(), "/tools/summitctl --registry_address=",
                                       Address(registry_port_), " --token=", token_, " ");
  auto [created, create_log] = RunShell(
      ctl + "create people id=ctl-anna '{\"displayName\":\"Anna Ctl\",\"country\":\"UA\"}'",
      kPatience);
  ASSERT_EQ(created, 0) << create_log;
  EXPECT_THAT(create_log, HasSubstr("\"name\":\"people/ctl-anna\""));

  auto [updated, update_log] =
      RunShell(ctl + "update people/ctl-anna '{\"title\":\"Analyst\"}' updateMask=title", kPatience);
  EXPECT_EQ(updated, 0) << update_log;
  auto [got, get_log] = RunShell(ctl + "get people/ctl-anna", kPatience);
  EXPECT_EQ(got, 0) << get_log;
  EXPECT_THAT(get_log, HasSubstr("\"title\":\"Analyst\""));

  auto [listed, list_log] = RunShell(ctl + "list people pageSize=50", kPatience);
  EXPECT_EQ(listed, 0) << list_log;
  EXPECT_THAT(list_log, HasSubstr("NAME"));
  EXPECT_THAT(list_log, HasSubstr("people/ctl-anna"));

  // Failures are exit codes scripts can use: 2 + NOT_FOUND (5), 1 for usage.
  auto [missing, missing_log] = RunShell(ctl + "get people/nobody", kPatience);
  EXPECT_EQ(missing, 7) << missing_log;
  auto [usage, usage_log] = RunShell(ctl + "frobnicate people/ctl-anna", kPatience);
  EXPECT_EQ(usage, 1) << usage_log;

  // A CSV import: the good rows are created, each bad row is reported with
  // its line, and a second import creates nothing twice.
  const std::string csv = (dir_ / "people.csv").string();
  std::ofstream(csv) << "id,display_name,title,country,languages\n"
                     << "ctl-bohdan,Bohdan Ctl,Engineer,UA,uk;en\n"
                     << "ctl-bad,Bad Country,Engineer,XX,uk\n"
                     << "ctl-carla,\"Carla \"\"C\"\" Ctl\",Analyst,US,en\n";
  auto [imported, import_log] = RunShell(ctl + "import people " + csv, kPatience);
  EXPECT_EQ(imported, 2 + 3) << import_log;  // INVALID_ARGUMENT for the bad row
  EXPECT_THAT(import_log, HasSubstr("people.csv:3:"));
  EXPECT_THAT(import_log, HasSubstr("2 of 3 rows imported"));
  auto [again, again_log] = RunShell(ctl + "import people " + csv, kPatience);
  EXPECT_THAT(again_log, HasSubstr("2 of 3 rows imported")) << again_log;
  auto [carla, carla_log] = RunShell(ctl + "get people/ctl-carla", kPatience);
  EXPECT_EQ(carla, 0) << carla_log;
  EXPECT_THAT(carla_log, HasSubstr("Carla \\\"C\\\" Ctl"));

  auto [deleted, delete_log] = RunShell(ctl + "delete people/ctl-anna", kPatience);
  EXPECT_EQ(deleted, 0) << delete_log;
  auto [gone, gone_log] = RunShell(ctl + "get people/ctl-anna", kPatience);
  EXPECT_EQ(gone, 7) << gone_log;
}

}  // namespace
}  // namespace summit
