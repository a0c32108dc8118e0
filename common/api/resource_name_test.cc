// Tests of AIP-122 resource names: id rules, parsing names along a pattern,
// and fresh ids.
#include "common/api/resource_name.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status/error.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::api {
namespace {

using ::summit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr absl::string_view kParticipant = "events/*/participants/*";

// The description of the one violation a bad name gets, on `field`.
std::string NameProblem(absl::string_view name, absl::string_view pattern = kParticipant,
                        absl::string_view field = "name") {
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName(name, pattern, field);
  if (ids.ok()) return "<parsed>";
  EXPECT_THAT(ids, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<FieldViolation> violations = FieldViolationsOf(ids.status());
  if (violations.size() != 1) {
    ADD_FAILURE() << "expected one violation, got " << violations.size();
    return "";
  }
  EXPECT_EQ(violations[0].field, field);
  return violations[0].description;
}

// --- Ids ------------------------------------------------------------------

TEST(ResourceIdTest, ValidIds) {
  for (const std::string& id :
       {std::string("a"), std::string("udib-2023"), std::string("umerov"),
        std::string("a1"), std::string("a--b"), std::string("x") + std::string(62, '9')}) {
    EXPECT_TRUE(IsValidResourceId(id)) << id;
    EXPECT_EQ(ResourceIdProblem(id), "") << id;
  }
}

TEST(ResourceIdTest, InvalidIdsSayWhy) {
  EXPECT_EQ(ResourceIdProblem(""), "must not be empty");
  EXPECT_EQ(ResourceIdProblem(std::string(64, 'a')), "must be at most 63 characters");
  EXPECT_EQ(ResourceIdProblem(std::string(1 << 20, 'a')), "must be at most 63 characters");
  EXPECT_EQ(ResourceIdProblem("1abc"), "must start with a lowercase letter");
  EXPECT_EQ(ResourceIdProblem("-abc"), "must start with a lowercase letter");
  EXPECT_EQ(ResourceIdProblem("Umerov"), "must start with a lowercase letter");
  EXPECT_EQ(ResourceIdProblem("abc-"), "must not end with a hyphen");
  for (const std::string& id :
       {std::string("uMerov"), std::string("a_b"), std::string("a.b"), std::string("a b"),
        std::string("a/b"), std::string("a%2Fb"), std::string("зеленський"),
        std::string("aé"), std::string("a\0b", 3), std::string("a\n"), std::string("a'--")}) {
    SCOPED_TRACE(id);
    EXPECT_FALSE(IsValidResourceId(id));
    EXPECT_NE(ResourceIdProblem(id), "");
  }
}

// --- Parsing names --------------------------------------------------------

TEST(ParseResourceNameTest, ReturnsTheIdsInOrder) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids,
                       ParseResourceName("events/udib-2023/participants/umerov", kParticipant,
                                         "name"));
  EXPECT_THAT(ids, ElementsAre("udib-2023", "umerov"));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> one,
                       ParseResourceName("people/zelensky", "people/*", "person"));
  EXPECT_THAT(one, ElementsAre("zelensky"));
}

TEST(ParseResourceNameTest, PatternWithoutWildcardsGivesNoIds) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids,
                       ParseResourceName("settings", "settings", "name"));
  EXPECT_THAT(ids, IsEmpty());
}

TEST(ParseResourceNameTest, EmptyNameIsRequired) {
  const std::string problem = NameProblem("", kParticipant, "parent");
  EXPECT_THAT(problem, HasSubstr("required"));
  EXPECT_THAT(problem, HasSubstr(kParticipant));
}

TEST(ParseResourceNameTest, WrongCollectionIsNamed) {
  const std::string problem = NameProblem("event/udib-2023/participants/umerov");
  EXPECT_THAT(problem, HasSubstr("expected \"events\" where it says \"event\""));
  EXPECT_THAT(NameProblem("events/udib-2023/delegations/ua"),
              HasSubstr("expected \"participants\""));
  EXPECT_THAT(NameProblem("EVENTS/udib-2023/participants/umerov"), HasSubstr("expected \"events\""));
}

TEST(ParseResourceNameTest, WrongNumberOfSegments) {
  for (const std::string& name :
       {std::string("events/udib-2023"), std::string("events/udib-2023/participants"),
        std::string("events/udib-2023/participants/umerov/badges/b1"),
        std::string("events/udib-2023/participants/umerov/"),
        std::string("/events/udib-2023/participants/umerov"),
        std::string("//summit.example.org/events/udib-2023/participants/umerov"),
        std::string("umerov"), std::string("/")}) {
    SCOPED_TRACE(name);
    EXPECT_THAT(NameProblem(name), HasSubstr("wrong number of segments"));
  }
}

TEST(ParseResourceNameTest, BadIdsAreRefusedWithTheRule) {
  EXPECT_THAT(NameProblem("events//participants/umerov"), HasSubstr("must not be empty"));
  EXPECT_THAT(NameProblem("events/udib-2023/participants/Umerov"),
              HasSubstr("must start with a lowercase letter"));
  EXPECT_THAT(NameProblem("events/udib_2023/participants/umerov"),
              HasSubstr("only lowercase letters, digits and hyphens"));
}

TEST(ParseResourceNameTest, HostileNamesAreRefused) {
  for (const std::string& name : {
           std::string("events/../participants/umerov"),
           std::string("events/./participants/umerov"),
           std::string("events/udib-2023/participants/umerov' OR '1'='1"),
           std::string("events/udib-2023/participants/umerov;drop"),
           std::string("events/udib-2023/participants/*"),
           std::string("events/udib-2023/participants/%2e%2e"),
           std::string("events/udib-2023/participants/umerov\0x", 38),
           std::string("events/udib-2023/participants/umerov\n"),
           std::string("events/udib-2023/participants/") + std::string(64, 'a'),
           std::string("///"),
       }) {
    SCOPED_TRACE(name);
    EXPECT_THAT(ParseResourceName(name, kParticipant, "name"),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

TEST(ParseResourceNameTest, VeryLongNamesAreRefusedCheaply) {
  std::string many_segments;
  for (int i = 0; i < 100000; ++i) absl::StrAppend(&many_segments, "events/e/");
  EXPECT_THAT(ParseResourceName(many_segments, kParticipant, "name"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string long_id = absl::StrCat("events/", std::string(1 << 20, 'a'),
                                           "/participants/umerov");
  EXPECT_THAT(ParseResourceName(long_id, kParticipant, "name"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseResourceNameTest, ErrorsDoNotEchoHugeNames) {
  // A status message travels in the grpc-message trailer (and details in
  // grpc-status-details-bin); echoing a megabyte of caller input there makes
  // the client see a metadata-size failure instead of INVALID_ARGUMENT.
  const std::string long_id = absl::StrCat("events/", std::string(100000, 'a'),
                                           "/participants/umerov");
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName(long_id, kParticipant, "name");
  EXPECT_LT(ids.status().message().size(), 1000u);
}

// --- New ids --------------------------------------------------------------

TEST(NewResourceIdTest, IdsAreValidAndTwentyCharacters) {
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewResourceId();
    ASSERT_EQ(id.size(), 20u) << id;
    ASSERT_TRUE(IsValidResourceId(id)) << id;
  }
}

TEST(NewResourceIdTest, IdsDoNotRepeatAcrossThreads) {
  constexpr int kThreads = 8;
  constexpr int kIdsPerThread = 2000;
  absl::Mutex mu;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < kIdsPerThread; ++i) mine.push_back(NewResourceId());
      absl::MutexLock lock(&mu);
      ids.insert(mine.begin(), mine.end());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kIdsPerThread));
}

TEST(NewResourceIdTest, NewIdsParseAsNames) {
  const std::string name = absl::StrCat("events/udib-2023/participants/", NewResourceId());
  EXPECT_OK(ParseResourceName(name, kParticipant, "name").status());
}

}  // namespace
}  // namespace summit::api
