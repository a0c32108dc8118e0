#include "common/auth/principal.h"

#include <sstream>

#include "gtest/gtest.h"

namespace summit::auth {
namespace {

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::kPublic, Role::kPress, Role::kDelegate,
                    Role::kOrganizer, Role::kService}) {
    EXPECT_EQ(RoleFromString(RoleName(role)), role) << RoleName(role);
  }
  EXPECT_EQ(RoleName(Role::kOrganizer), "organizer");
}

TEST(RoleTest, OnlyExactLowerCaseNamesAreRoles) {
  for (const char* name : {"", "Organizer", "ORGANIZER", " organizer",
                           "organiser", "admin", "industry"}) {
    EXPECT_FALSE(RoleFromString(name).has_value()) << name;
  }
}

TEST(PrincipalTest, PublicHasNoSubject) {
  const Principal p = Principal::Public();
  EXPECT_TRUE(p.IsPublic());
  EXPECT_FALSE(p.IsOrganizer());
  EXPECT_TRUE(p.subject.empty());
  EXPECT_EQ(p, Principal{});
}

TEST(PrincipalTest, RolePredicates) {
  const Principal organizer{"people/jane-doe", Role::kOrganizer};
  EXPECT_TRUE(organizer.IsOrganizer());
  EXPECT_FALSE(organizer.IsPublic());
  EXPECT_FALSE(organizer.IsService());
  EXPECT_TRUE((Principal{"services/registry", Role::kService}).IsService());
  EXPECT_TRUE((Principal{"people/a", Role::kPress}).IsPress());
  EXPECT_TRUE((Principal{"people/a", Role::kDelegate}).IsDelegate());
}

TEST(PrincipalTest, IsComparesTheWholeSubject) {
  const Principal p{"people/jane-doe", Role::kDelegate};
  EXPECT_TRUE(p.Is("people/jane-doe"));
  EXPECT_FALSE(p.Is("people/jane"));
  EXPECT_FALSE(p.Is("people/jane-doe/x"));
  EXPECT_FALSE(p.Is(""));
}

// An unset owner field ("") must not make the public its owner.
TEST(PrincipalTest, PublicIsNobody) {
  EXPECT_FALSE(Principal::Public().Is(""));
}

TEST(PrincipalTest, Prints) {
  std::ostringstream out;
  out << Principal{"people/jane-doe", Role::kOrganizer} << "; "
      << Principal::Public();
  EXPECT_EQ(out.str(), "organizer people/jane-doe; public");
}

}  // namespace
}  // namespace summit::auth
