// Tests of the one config reader: SUMMIT_* environment variables set the
// shared flags, everything else in the environment is ignored, and the
// command line wins over the environment.
#include "common/config/flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::config {
namespace {

// A fake environ: NUL-terminated "NAME=value" strings and a final nullptr.
class Environment {
 public:
  explicit Environment(std::vector<std::string> entries) : entries_(std::move(entries)) {
    for (std::string& entry : entries_) pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
  }
  char** get() { return pointers_.data(); }

 private:
  std::vector<std::string> entries_;
  std::vector<char*> pointers_;
};

// Every test restores the flags it changes.
class FlagsTest : public ::testing::Test {
 private:
  absl::FlagSaver saver_;
};

TEST_F(FlagsTest, SummitVariablesSetTheFlagsTheyName) {
  Environment environment({
      "SUMMIT_DATABASE=sqlite:///var/lib/summit/registry.db",
      "SUMMIT_SHUTDOWN_GRACE_PERIOD=3s",
      "SUMMIT_SHUTDOWN_DRAIN_DELAY=250ms",
      "SUMMIT_LISTEN=0.0.0.0:50051",
      "SUMMIT_REGISTRY_ADDRESS=dns:///summit-registry.summit.svc.cluster.local:50051",
      "SUMMIT_LOG_CALLS=false",
  });
  ApplyEnvironment(environment.get());

  EXPECT_EQ(absl::GetFlag(FLAGS_database), "sqlite:///var/lib/summit/registry.db");
  EXPECT_EQ(absl::GetFlag(FLAGS_shutdown_grace_period), absl::Seconds(3));
  EXPECT_EQ(absl::GetFlag(FLAGS_shutdown_drain_delay), absl::Milliseconds(250));
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "0.0.0.0:50051");
  EXPECT_EQ(absl::GetFlag(FLAGS_registry_address),
            "dns:///summit-registry.summit.svc.cluster.local:50051");
  EXPECT_FALSE(absl::GetFlag(FLAGS_log_calls));
}

TEST_F(FlagsTest, ValuesMayContainEqualsSignsAndBeEmpty) {
  absl::SetFlag(&FLAGS_admin_listen, "0.0.0.0:9091");
  Environment environment({
      "SUMMIT_DATABASE=postgres://summit@db/registry?sslmode=require&application_name=a=b",
      "SUMMIT_ADMIN_LISTEN=",
  });
  ApplyEnvironment(environment.get());
  EXPECT_EQ(absl::GetFlag(FLAGS_database),
            "postgres://summit@db/registry?sslmode=require&application_name=a=b");
  EXPECT_EQ(absl::GetFlag(FLAGS_admin_listen), "");
}

TEST_F(FlagsTest, IgnoresUnknownSummitNamesAndOtherVariables) {
  const std::string database_before = absl::GetFlag(FLAGS_database);
  const std::string listen_before = absl::GetFlag(FLAGS_listen);
  Environment environment({
      "SUMMIT_NO_SUCH_FLAG=1",           // another program's setting
      "SUMMIT_REGISTRY_SERVICE_HOST=10.0.0.7",  // what Kubernetes injects for a Service
      "SUMMIT_REGISTRY_PORT=tcp://10.0.0.7:50051",
      "DATABASE=sqlite:///wrong.db",     // no prefix
      "summit_database=sqlite:///wrong.db",  // prefix is upper case
      "XSUMMIT_DATABASE=sqlite:///wrong.db",
      "SUMMIT_=x",
      "SUMMIT_LISTEN",                   // no '=' at all
      "PATH=/usr/bin:/bin",
      "HOME=/root",
  });
  ApplyEnvironment(environment.get());
  EXPECT_EQ(absl::GetFlag(FLAGS_database), database_before);
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), listen_before);
}

TEST_F(FlagsTest, EmptyOrMissingEnvironmentIsFine) {
  const std::string database_before = absl::GetFlag(FLAGS_database);
  ApplyEnvironment(nullptr);
  Environment empty({});
  ApplyEnvironment(empty.get());
  EXPECT_EQ(absl::GetFlag(FLAGS_database), database_before);
}

TEST_F(FlagsTest, LaterEntryForTheSameFlagWins) {
  Environment environment({"SUMMIT_DATABASE=sqlite:///first.db", "SUMMIT_DATABASE=sqlite:///second.db"});
  ApplyEnvironment(environment.get());
  EXPECT_EQ(absl::GetFlag(FLAGS_database), "sqlite:///second.db");
}

TEST_F(FlagsTest, CommandLineWinsOverTheEnvironment) {
  Environment environment({
      "SUMMIT_DATABASE=sqlite:///from-environment.db",
      "SUMMIT_SHUTDOWN_GRACE_PERIOD=3s",
      "SUMMIT_LISTEN=0.0.0.0:50051",
  });
  ApplyEnvironment(environment.get());

  std::vector<std::string> args = {"summit-registry", "--database=sqlite:///from-flag.db",
                                   "--shutdown_grace_period=7s", "positional"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(args.size()), argv.data());

  EXPECT_EQ(absl::GetFlag(FLAGS_database), "sqlite:///from-flag.db");
  EXPECT_EQ(absl::GetFlag(FLAGS_shutdown_grace_period), absl::Seconds(7));
  // The environment still fills what the command line leaves out.
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "0.0.0.0:50051");
  ASSERT_EQ(positional.size(), 2u);
  EXPECT_STREQ(positional[1], "positional");
}

TEST_F(FlagsTest, DefaultsHoldWithoutEnvironmentOrFlags) {
  EXPECT_EQ(absl::GetFlag(FLAGS_shutdown_grace_period), absl::Seconds(10));
  EXPECT_EQ(absl::GetFlag(FLAGS_shutdown_drain_delay), absl::Seconds(1));
  EXPECT_TRUE(absl::GetFlag(FLAGS_log_calls));
  EXPECT_EQ(absl::GetFlag(FLAGS_registry_address), "127.0.0.1:50051");
}

TEST_F(FlagsTest, BadValueInTheEnvironmentExitsWithStatusTwoNamingTheVariable) {
  Environment environment({"SUMMIT_SHUTDOWN_GRACE_PERIOD=soon"});
  EXPECT_EXIT(ApplyEnvironment(environment.get()), ::testing::ExitedWithCode(2),
              "SUMMIT_SHUTDOWN_GRACE_PERIOD");
}

TEST_F(FlagsTest, OnlySummitFlagsAreReachableFromTheEnvironment) {
  // ApplyEnvironment looks SUMMIT_<NAME> up among every flag linked into the
  // binary, so Abseil's own flags (flagfile, fromenv, undefok, help,
  // version...) can be set from the environment too.
  absl::CommandLineFlag* undefok = absl::FindCommandLineFlag("undefok");
  ASSERT_NE(undefok, nullptr);
  const std::string before = undefok->CurrentValue();
  Environment environment({"SUMMIT_UNDEFOK=database", "SUMMIT_FLAGFILE=/nonexistent"});
  ApplyEnvironment(environment.get());
  EXPECT_EQ(undefok->CurrentValue(), before);
  EXPECT_EQ(absl::FindCommandLineFlag("flagfile")->CurrentValue(), "");
}

}  // namespace
}  // namespace summit::config
