// The summit's web page in a real browser, against the real system: Registry, Scheduling and
// Statements on fresh databases and the gateway in front of them (all four as child processes on
// ports chosen by the kernel, 127.0.0.1 only; tests/support/suite.h), loaded with the demo by the
// real `summitctl demo load`. The browser part is tests/web/page.test.mjs (Node.js with
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
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/suite.h"

namespace summit {
namespace {

using ::summit::testing::BinaryPath;
using ::summit::testing::ChildProcess;
using ::summit::testing::Server;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;

// The browser script's own budget is 75 s (page.test.mjs); this is a backstop.
constexpr absl::Duration kBrowserPatience = absl::Seconds(120);
constexpr char kChromium[] = "/usr/bin/chromium";

// The Node.js on PATH, or "".
std::string FindNode() {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path != nullptr ? path : "", ':', absl::SkipEmpty())) {
    const std::filesystem::path candidate = std::filesystem::path(std::string(dir)) / "node";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

TEST(WebPageTest, ShowsTheTimetableItinerariesAndTheLiveFeedInARealBrowser) {
  // What the browser part needs, checked first so that its absence reads as what it is.
  const std::string source_dir = SUMMIT_SOURCE_DIR;
  ASSERT_EQ(access(kChromium, X_OK), 0)
      << kChromium << " is missing: install Debian's chromium package (scripts/install-deps.sh)";
  const std::string node = FindNode();
  ASSERT_FALSE(node.empty()) << "node (Node.js) is not on PATH: run scripts/install-deps.sh";
  ASSERT_TRUE(std::filesystem::exists(source_dir + "/.tools/node_modules/playwright-core/package.json"))
      << "playwright-core is missing from " << source_dir
      << "/.tools/node_modules: run scripts/install-deps.sh";

  SuiteOptions options;
  options.name = "web_page";
  absl::StatusOr<std::unique_ptr<Suite>> suite = Suite::Start(options);
  ASSERT_TRUE(suite.ok()) << suite.status();
  ChildProcess& gateway = (*suite)->Process(Server::kGateway);

  const std::string token = (*suite)->Token({"people/duty-officer", auth::Role::kOrganizer});
  const std::string screenshots = BinaryPath("web-screenshots");
  // Its standard output folded into standard error, which ChildProcess keeps.
  absl::StatusOr<std::unique_ptr<ChildProcess>> browser = ChildProcess::Start(
      "/bin/sh",
      {"-c", "exec 1>&2; exec \"$0\" \"$1\"", node, source_dir + "/tests/web/page.test.mjs"},
      {absl::StrCat("GATEWAY_URL=http://127.0.0.1:", (*suite)->http_port()),
       "SUMMIT_TOKEN=" + token, "SCREENSHOT_DIR=" + screenshots,
       "CHROMIUM=" + std::string(kChromium)});
  ASSERT_TRUE(browser.ok()) << browser.status();
  absl::StatusOr<int> exit_code = (*browser)->WaitForExit(kBrowserPatience);
  // What it wrote last may still be in the pipe; it ends once no process holds it.
  if (exit_code.ok()) (*browser)->WaitForStderrEnd(kBrowserPatience);
  const std::string output = (*browser)->AllStderr();
  if (!exit_code.ok()) (*browser)->Signal(SIGTERM).IgnoreError();
  ASSERT_TRUE(exit_code.ok()) << "the browser test did not finish in time:\n" << output;
  EXPECT_EQ(*exit_code, 0) << output << "\ngateway stderr (tail):\n"
                           << gateway.AllStderr().substr(gateway.AllStderr().size() > 4000
                                                             ? gateway.AllStderr().size() - 4000
                                                             : 0);
  // The log of a passing run, for whoever reads the test's output.
  std::cerr << output;
  std::cerr << "screenshots: " << screenshots << "\n";
}

}  // namespace
}  // namespace summit
