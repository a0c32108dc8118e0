#include "common/api/field_checks.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::api {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(TimeZoneProblemTest, AcceptsIanaNames) {
  for (const char* zone :
       {"America/New_York", "Europe/Kyiv", "UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires"}) {
    EXPECT_THAT(TimeZoneProblem(zone), IsEmpty()) << zone;
  }
}

// The zone loader opens whatever file a name points to: a zone must never be a path, the
// server's own zone or a made-up offset.
TEST(TimeZoneProblemTest, RefusesPathsAndWhatIsNotAPlace) {
  for (const char* zone :
       {"/usr/share/zoneinfo/Europe/Kyiv", "/etc/localtime", "/dev/stdin",
        "file:/usr/share/zoneinfo/UTC", "Europe/../Europe/Kyiv", "Europe//Kyiv", "Europe/Kyiv/",
        "localtime", "Fixed/UTC+03:00:00", "UTC+3", "EST", "Mars/Olympus_Mons"}) {
    EXPECT_THAT(TimeZoneProblem(zone), HasSubstr("is not an IANA time zone")) << zone;
  }
}

TEST(IsIanaZoneNameTest, IsAboutShapeOnly) {
  EXPECT_TRUE(IsIanaZoneName("Mars/Olympus_Mons"));  // a name; whether it exists is another matter
  EXPECT_TRUE(IsIanaZoneName("EST5EDT"));
  EXPECT_FALSE(IsIanaZoneName(""));
  EXPECT_FALSE(IsIanaZoneName("/UTC"));
  EXPECT_FALSE(IsIanaZoneName("a b"));
  EXPECT_FALSE(IsIanaZoneName(std::string(65, 'A')));
}

}  // namespace
}  // namespace summit::api
