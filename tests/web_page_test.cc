// The summit's web page in a real browser, against the real system: Registry, Scheduling and
// Statements on fresh SQLite files and the gateway in front of them (all four as child
// processes on ports chosen by the kernel, 127.0.0.1 only), loaded with the demo by the real
// `summitctl demo load`. The browser part is tests/web/page.test.mjs (Node.js with
// playwright-core driving Debian's headless Chromium); this test starts the system, mints an
// organizer token, runs the script and fails when it fails, with everything it printed.
//
// A missing Chromium, Node.js or playwright-core fails the test with the reason; it is never
// skipped (scripts/install-deps.sh installs all three). Screenshots go to
// <build>/web-screenshots.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"

namespace summit {
namespace {

using ::summit::testing::ChildProcess;

// How long a server may take to say it serves, and the demo to load: bounds on waits, not
// measurements.
constexpr absl::Duration kPatience = absl::Seconds(60);
// The browser script's own budget is 75 s (page.test.mjs); this is a backstop.
constexpr absl::Duration kBrowserPatience = absl::Seconds(120);
constexpr char kChromium[] = "/usr/bin/chromium";

std::string BinaryDir() {
  if (const char* dir = std::getenv("SUMMIT_BINARY_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  // Run by hand from <build>/tests/.
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path().string();
}

std::string BinaryPath(const std::string& relative) { return BinaryDir() + "/" + relative; }

// The Node.js on PATH, or "".
std::string FindNode() {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path != nullptr ? path : "", ':', absl::SkipEmpty())) {
    const std::filesystem::path candidate = std::filesystem::path(std::string(dir)) / "node";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

class WebPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "web_page.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // 48 bytes from a fixed seed: the HS256 key the services and the token share.
    std::mt19937 random(20231206);
    for (int i = 0; i < 48; ++i) key_.push_back(static_cast<char>(random() & 0xFF));
    std::ofstream(dir_ + "/key", std::ios::binary) << key_;
  }

  void TearDown() override {
    // The gateway first, then the services it calls; each is killed and reaped.
    gateway_.reset();
    statements_.reset();
    scheduling_.reset();
    registry_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::vector<std::string> ServiceFlags(const std::string& database) const {
    return {"--listen=127.0.0.1:0", "--admin_listen=127.0.0.1:0",
            absl::StrCat("--database=sqlite://", dir_, "/", database),
            absl::StrCat("--auth_key_file=", dir_, "/key"), "--shutdown_drain_delay=0s"};
  }

  // Starts `binary` with `args`, and returns the port it logged in the line with `message`
  // (under `key`), or 0 with the reason in `failure_`.
  int Start(const std::string& binary, const std::vector<std::string>& args,
            std::unique_ptr<ChildProcess>* process, const std::string& message = "\"serving\"",
            const std::string& key = "\"port\":") {
    absl::StatusOr<std::unique_ptr<ChildProcess>> started = ChildProcess::Start(binary, args);
    if (!started.ok()) {
      failure_ = absl::StrCat(binary, ": ", started.status().ToString());
      return 0;
    }
    *process = *std::move(started);
    return PortFrom(**process, message, key, binary);
  }

  int PortFrom(ChildProcess& process, const std::string& message, const std::string& key,
               const std::string& what) {
    std::optional<std::string> line = process.WaitForStderrLine(
        [&](absl::string_view line) {
          return absl::StrContains(line, absl::StrCat("\"message\":", message));
        },
        kPatience);
    int port = 0;
    if (line.has_value()) {
      const size_t at = line->find(key);
      if (at != std::string::npos) {
        const size_t start = at + key.size();
        const size_t end = line->find_first_not_of("0123456789", start);
        (void)absl::SimpleAtoi(line->substr(start, end - start), &port);
      }
    }
    if (port <= 0) {
      failure_ = absl::StrCat(what, " logged no ", message, " with a port; stderr:\n",
                              process.AllStderr());
    }
    return port;
  }

  // The four processes, and the demo loaded by summitctl as the duty officer (an organizer).
  bool StartSystem() {
    const int registry =
        Start(BinaryPath("services/registry/summit-registry"), ServiceFlags("registry.db"), &registry_);
    if (registry == 0) return false;
    std::vector<std::string> flags = ServiceFlags("scheduling.db");
    flags.push_back(absl::StrCat("--registry_address=127.0.0.1:", registry));
    const int scheduling =
        Start(BinaryPath("services/scheduling/summit-scheduling"), flags, &scheduling_);
    if (scheduling == 0) return false;
    flags = ServiceFlags("statements.db");
    flags.push_back(absl::StrCat("--registry_address=127.0.0.1:", registry));
    flags.push_back(absl::StrCat("--scheduling_address=127.0.0.1:", scheduling));
    const int statements =
        Start(BinaryPath("services/statements/summit-statements"), flags, &statements_);
    if (statements == 0) return false;

    const std::vector<std::string> addresses = {
        absl::StrCat("--registry_address=127.0.0.1:", registry),
        absl::StrCat("--scheduling_address=127.0.0.1:", scheduling),
        absl::StrCat("--statements_address=127.0.0.1:", statements)};
    std::vector<std::string> gateway_flags = {"--listen=127.0.0.1:0", "--admin_listen=127.0.0.1:0",
                                              "--http_listen=127.0.0.1:0",
                                              "--shutdown_drain_delay=0s"};
    gateway_flags.insert(gateway_flags.end(), addresses.begin(), addresses.end());
    if (Start(BinaryPath("gateway/summit-gateway"), gateway_flags, &gateway_) == 0) return false;
    http_port_ = PortFrom(*gateway_, "\"http serving\"", "\"http_port\":", "summit-gateway");
    if (http_port_ == 0) return false;

    std::vector<std::string> load = addresses;
    load.insert(load.end(), {absl::StrCat("--auth_key_file=", dir_, "/key"), "--timeout=60s",
                             "--role=organizer", "--subject=people/duty-officer", "demo", "load"});
    absl::StatusOr<std::unique_ptr<ChildProcess>> loader =
        ChildProcess::Start(BinaryPath("tools/summitctl"), load);
    if (!loader.ok()) {
      failure_ = absl::StrCat("summitctl: ", loader.status().ToString());
      return false;
    }
    absl::StatusOr<int> loaded = (*loader)->WaitForExit(kPatience);
    if (!loaded.ok() || *loaded != 0) {
      failure_ = absl::StrCat("summitctl demo load failed (",
                              loaded.ok() ? absl::StrCat("exit code ", *loaded)
                                          : loaded.status().ToString(),
                              "); stderr:\n", (*loader)->AllStderr());
      return false;
    }
    return true;
  }

  std::string dir_;
  std::string key_;
  std::string failure_;
  std::unique_ptr<ChildProcess> registry_, scheduling_, statements_, gateway_;
  int http_port_ = 0;
};

TEST_F(WebPageTest, ShowsTheTimetableItinerariesAndTheLiveFeedInARealBrowser) {
  // What the browser part needs, checked first so that its absence reads as what it is.
  const std::string source_dir = SUMMIT_SOURCE_DIR;
  ASSERT_EQ(access(kChromium, X_OK), 0)
      << kChromium << " is missing: install Debian's chromium package (scripts/install-deps.sh)";
  const std::string node = FindNode();
  ASSERT_FALSE(node.empty()) << "node (Node.js) is not on PATH: run scripts/install-deps.sh";
  ASSERT_TRUE(std::filesystem::exists(source_dir + "/.tools/node_modules/playwright-core/package.json"))
      << "playwright-core is missing from " << source_dir
      << "/.tools/node_modules: run scripts/install-deps.sh";

  ASSERT_TRUE(StartSystem()) << failure_;

  const std::string token = auth::MintToken({"people/duty-officer", auth::Role::kOrganizer},
                                            absl::Hours(1), key_, absl::Now());
  const std::string screenshots = BinaryDir() + "/web-screenshots";
  // Its standard output folded into standard error, which ChildProcess keeps.
  absl::StatusOr<std::unique_ptr<ChildProcess>> browser = ChildProcess::Start(
      "/bin/sh", {"-c", "exec 1>&2; exec \"$0\" \"$1\"", node, source_dir + "/tests/web/page.test.mjs"},
      {absl::StrCat("GATEWAY_URL=http://127.0.0.1:", http_port_), "SUMMIT_TOKEN=" + token,
       "SCREENSHOT_DIR=" + screenshots, "CHROMIUM=" + std::string(kChromium)});
  ASSERT_TRUE(browser.ok()) << browser.status();
  absl::StatusOr<int> exit_code = (*browser)->WaitForExit(kBrowserPatience);
  // Let the reader thread collect the last lines.
  absl::SleepFor(absl::Milliseconds(50));
  const std::string output = (*browser)->AllStderr();
  if (!exit_code.ok()) (*browser)->Signal(SIGTERM).IgnoreError();
  ASSERT_TRUE(exit_code.ok()) << "the browser test did not finish in time:\n" << output;
  EXPECT_EQ(*exit_code, 0) << output << "\ngateway stderr (tail):\n"
                           << gateway_->AllStderr().substr(
                                  gateway_->AllStderr().size() > 4000
                                      ? gateway_->AllStderr().size() - 4000 : 0);
  // The log of a passing run, for whoever reads the test's output.
  std::cerr << output;
  std::cerr << "screenshots: " << screenshots << "\n";
}

}  // namespace
}  // namespace summit
