// Tests of the fields every resource carries: an etag is a fresh revision token on every stamp,
// derived from nothing a reader could guess (a person's hidden contact details included), and a
// stale one is refused with ABORTED.
#include "common/api/resource_meta.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/resources.pb.h"

namespace summit::api {
namespace {

using ::summit::registry::v1::Person;
using ::summit::testing::StatusIs;

const absl::Time kNow = absl::FromUnixSeconds(1701871200);  // 6 December 2023, 14:00 UTC

Person Umerov(const std::string& phone) {
  Person person;
  person.set_name("people/umerov");
  person.set_display_name("Rustem Umerov");
  person.set_phone(phone);
  return person;
}

TEST(NewEtagTest, IsAFreshHexTokenEveryTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string etag = NewEtag();
    EXPECT_EQ(etag.size(), 32u) << etag;
    for (char c : etag) EXPECT_TRUE(absl::ascii_isxdigit(static_cast<unsigned char>(c))) << etag;
    EXPECT_TRUE(seen.insert(etag).second) << "repeated: " << etag;
  }
}

// The same content at the same instant gets another etag each time, so an etag is no function of
// the content: nobody can confirm a guess of a field they cannot see by recomputing it.
TEST(StampTest, TheSameContentGetsAnotherEtagEveryTime) {
  Person first = Umerov("+12025550123");
  Person second = Umerov("+12025550123");
  StampCreated(first, kNow);
  StampCreated(second, kNow);
  EXPECT_NE(first.etag(), second.etag());
  EXPECT_EQ(first.create_time().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(first.update_time().seconds(), absl::ToUnixSeconds(kNow));
}

// Every change, even one of a hidden field alone, gives a new etag: a writer holding the old one
// is refused, so optimistic concurrency holds for those who see everything.
TEST(StampTest, EveryUpdateMakesTheOldEtagStale) {
  Person stored = Umerov("+12025550123");
  StampCreated(stored, kNow);
  const std::string read = stored.etag();
  stored.set_phone("+12025550199");
  StampUpdated(stored, kNow);
  EXPECT_NE(stored.etag(), read);
  EXPECT_THAT(CheckEtag(read, stored.etag(), stored.name()),
              StatusIs(absl::StatusCode::kAborted, ::testing::HasSubstr("people/umerov")));
  EXPECT_OK(CheckEtag(stored.etag(), stored.etag(), stored.name()));
  EXPECT_OK(CheckEtag("", stored.etag(), stored.name()));
}

}  // namespace
}  // namespace summit::api
