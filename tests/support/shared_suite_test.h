// A test fixture whose tests share one Suite (suite.h): started before the first test of the
// test suite, stopped after the last, for integration tests that set the summit up once and
// then make many calls. The fixture names its options and, if it needs to, what to add once the
// suite runs; a suite that did not start fails every test with the reason, and a server that
// stopped during a test fails that test with the end of its standard error.
//
//   class LimitsTest : public testing::SharedSuiteTest<LimitsTest> {
//    public:
//     static SuiteOptions Options() { SuiteOptions options; options.name = "limits"; return options; }
//     static absl::Status Prepare(Suite& suite) { ... }  // optional
//   };
//   TEST_F(LimitsTest, Something) { auto channel = suite().Channel(Server::kRegistry); … }
//
// Every service's generated descriptors are linked and in the generated pool, so that tests may
// find methods and messages by name (any_call.h).
#ifndef SUMMIT_TESTS_SUPPORT_SHARED_SUITE_TEST_H_
#define SUMMIT_TESTS_SUPPORT_SHARED_SUITE_TEST_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "summit/gateway/v1/gateway_service.pb.h"
#include "summit/registry/v1/registry_service.pb.h"
#include "summit/scheduling/v1/scheduling_service.pb.h"
#include "summit/statements/v1/statements_service.pb.h"
#include "tests/support/suite.h"

namespace summit::testing {

// `Fixture` derives from SharedSuiteTest<Fixture> and has `static SuiteOptions Options()`.
template <typename Fixture>
class SharedSuiteTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    (void)registry::v1::GetPersonRequest::descriptor();
    (void)scheduling::v1::GetSessionRequest::descriptor();
    (void)statements::v1::GetStatementRequest::descriptor();
    (void)gateway::v1::GetEventOverviewRequest::descriptor();
    absl::StatusOr<std::unique_ptr<Suite>> started = Suite::Start(Fixture::Options());
    if (!started.ok()) {
      setup_failure_ = started.status().ToString();
      return;
    }
    suite_ = started->release();
    if (const absl::Status prepared = Fixture::Prepare(*suite_); !prepared.ok()) {
      setup_failure_ = prepared.ToString();
    }
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  // What the fixture adds once the suite runs: nothing, unless it says otherwise.
  static absl::Status Prepare(Suite& suite) { return absl::OkStatus(); }

 protected:
  void SetUp() override {
    ASSERT_TRUE(suite_ != nullptr && setup_failure_.empty()) << setup_failure_;
  }
  void TearDown() override {
    if (suite_ == nullptr) return;
    const std::string stopped = suite_->NewlyStoppedServers();
    EXPECT_TRUE(stopped.empty()) << stopped;
  }

  static Suite& suite() { return *suite_; }

 private:
  static inline Suite* suite_ = nullptr;
  static inline std::string setup_failure_;
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_SHARED_SUITE_TEST_H_
