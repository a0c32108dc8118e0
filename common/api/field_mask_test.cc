// Tests of AIP-134 partial updates on a real resource, registry's Person:
// named fields are copied (or cleared), `*` means every updatable field, an
// empty mask means the fields the request sets, and anything outside the
// updatable list is refused without touching the stored resource.
#include "common/api/field_mask.h"

#include <string>
#include <vector>

#include "common/status/error.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/resources.pb.h"

namespace summit::api {
namespace {

using ::google::protobuf::FieldMask;
using ::google::protobuf::util::MessageDifferencer;
using ::summit::registry::v1::Person;
using ::summit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// What UpdatePerson lets a caller change: not the name, etag or timestamps.
constexpr absl::string_view kUpdatable[] = {"display_name", "native_name", "title",
                                            "organization", "country",     "languages",
                                            "email",        "phone"};

FieldMask Mask(std::vector<std::string> paths) {
  FieldMask mask;
  for (std::string& path : paths) mask.add_paths(std::move(path));
  return mask;
}

// The stored person every test updates.
Person Stored() {
  Person person;
  person.set_name("people/umerov");
  person.set_display_name("Rustem Umerov");
  person.set_native_name("Рустем Умєров");
  person.set_title("Minister of Defense of Ukraine");
  person.set_organization("organizations/mod-ua");
  person.set_country("UA");
  person.add_languages("uk");
  person.add_languages("en");
  person.set_email("umerov@example.org");
  person.set_phone("+380441234567");
  person.set_etag("e1");
  person.mutable_create_time()->set_seconds(1701820800);
  person.mutable_update_time()->set_seconds(1701820801);
  return person;
}

::testing::AssertionResult SameMessage(const Person& expected, const Person& actual) {
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  if (differencer.Compare(expected, actual)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << differences;
}

TEST(ApplyFieldMaskTest, CopiesOnlyTheNamedFields) {
  Person patch;
  patch.set_title("Secretary of the National Security and Defense Council");
  patch.set_display_name("ignored: not in the mask");
  patch.set_email("ignored@example.org");

  Person target = Stored();
  ASSERT_OK(ApplyFieldMask(patch, Mask({"title"}), kUpdatable, &target));

  Person expected = Stored();
  expected.set_title("Secretary of the National Security and Defense Council");
  EXPECT_TRUE(SameMessage(expected, target));
}

TEST(ApplyFieldMaskTest, NamedFieldUnsetInThePatchIsCleared) {
  Person patch;  // phone and languages unset
  Person target = Stored();
  ASSERT_OK(ApplyFieldMask(patch, Mask({"phone", "languages"}), kUpdatable, &target));

  Person expected = Stored();
  expected.clear_phone();
  expected.clear_languages();
  EXPECT_TRUE(SameMessage(expected, target));
}

TEST(ApplyFieldMaskTest, RepeatedFieldsAreReplacedNotAppended) {
  Person patch;
  patch.add_languages("de");
  Person target = Stored();
  ASSERT_OK(ApplyFieldMask(patch, Mask({"languages"}), kUpdatable, &target));
  EXPECT_THAT(target.languages(), ElementsAre("de"));
}

TEST(ApplyFieldMaskTest, StarMeansEveryUpdatableFieldAndNothingElse) {
  Person patch;
  patch.set_name("people/someone-else");   // not updatable: stays
  patch.set_etag("forged");                // not updatable: stays
  patch.mutable_create_time()->set_seconds(1);
  patch.set_display_name("Rustem Umerov (updated)");
  patch.add_languages("crh");              // Crimean Tatar
  // every other updatable field is unset in the patch, so `*` clears it

  Person target = Stored();
  ASSERT_OK(ApplyFieldMask(patch, Mask({"*"}), kUpdatable, &target));

  Person expected;
  expected.set_name("people/umerov");
  expected.set_etag("e1");
  *expected.mutable_create_time() = Stored().create_time();
  *expected.mutable_update_time() = Stored().update_time();
  expected.set_display_name("Rustem Umerov (updated)");
  expected.add_languages("crh");
  EXPECT_TRUE(SameMessage(expected, target));
}

TEST(ApplyFieldMaskTest, EmptyMaskMeansTheUpdatableFieldsThePatchSets) {
  Person patch;
  patch.set_title("Minister");
  patch.add_languages("pl");
  patch.set_name("people/someone-else");  // set, but not updatable: stays
  patch.set_etag("forged");
  patch.mutable_update_time()->set_seconds(1);

  Person target = Stored();
  ASSERT_OK(ApplyFieldMask(patch, FieldMask(), kUpdatable, &target));

  Person expected = Stored();
  expected.set_title("Minister");
  expected.clear_languages();
  expected.add_languages("pl");
  EXPECT_TRUE(SameMessage(expected, target));
}

TEST(ApplyFieldMaskTest, EmptyMaskAndEmptyPatchChangeNothing) {
  Person target = Stored();
  ASSERT_OK(ApplyFieldMask(Person(), FieldMask(), kUpdatable, &target));
  EXPECT_TRUE(SameMessage(Stored(), target));
}

TEST(ApplyFieldMaskTest, PathsOutsideTheUpdatableListAreRefusedAndChangeNothing) {
  Person patch;
  patch.set_name("people/someone-else");
  patch.set_title("changed");
  patch.set_etag("forged");
  for (const std::vector<std::string>& paths : std::vector<std::vector<std::string>>{
           {"name"},
           {"etag"},
           {"create_time"},
           {"create_time.seconds"},
           {"title", "name"},          // one good path does not let a bad one through
           {"no_such_field"},
           {"displayName"},            // JSON spelling is not a path
           {"title.x"},
           {""},
           {"*", "title"},             // * only on its own
           {"title; DROP TABLE people"},
       }) {
    SCOPED_TRACE(::testing::PrintToString(paths));
    Person target = Stored();
    absl::Status status = ApplyFieldMask(patch, Mask(paths), kUpdatable, &target);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    std::vector<FieldViolation> violations = FieldViolationsOf(status);
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "update_mask");
    EXPECT_TRUE(SameMessage(Stored(), target));
  }
}

TEST(ApplyFieldMaskTest, RefusalNamesTheBadPathsAndTheUpdatableFields) {
  Person target = Stored();
  absl::Status status =
      ApplyFieldMask(Person(), Mask({"title", "etag", "name"}), kUpdatable, &target);
  ASSERT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string description = FieldViolationsOf(status).at(0).description;
  EXPECT_THAT(description, HasSubstr("cannot update etag, name"));
  EXPECT_THAT(description, HasSubstr("display_name, native_name, title"));
}

TEST(ApplyFieldMaskTest, RepeatedPathsAreHarmless) {
  Person patch;
  patch.set_country("PL");
  Person target = Stored();
  ASSERT_OK(ApplyFieldMask(patch, Mask({"country", "country"}), kUpdatable, &target));
  EXPECT_EQ(target.country(), "PL");
}

TEST(ApplyFieldMaskTest, MessageFieldsAreReplacedWholeNotMerged) {
  // A list whose updatable fields include a message field.
  constexpr absl::string_view kWithTime[] = {"update_time"};
  Person patch;
  patch.mutable_update_time()->set_seconds(42);  // nanos unset
  Person target = Stored();
  target.mutable_update_time()->set_nanos(7);
  ASSERT_OK(ApplyFieldMask(patch, Mask({"update_time"}), kWithTime, &target));
  EXPECT_EQ(target.update_time().seconds(), 42);
  EXPECT_EQ(target.update_time().nanos(), 0);

  // Named and unset in the patch: cleared.
  ASSERT_OK(ApplyFieldMask(Person(), Mask({"update_time"}), kWithTime, &target));
  EXPECT_FALSE(target.has_update_time());
}

TEST(ApplyFieldMaskTest, ValuesAreCopiedVerbatim) {
  Person patch;
  patch.set_display_name("Robert'); DROP TABLE people;--");
  patch.set_native_name(std::string("Зеленський\0tail", 25));
  Person target = Stored();
  ASSERT_OK(ApplyFieldMask(patch, Mask({"display_name", "native_name"}), kUpdatable, &target));
  EXPECT_EQ(target.display_name(), patch.display_name());
  EXPECT_EQ(target.native_name(), patch.native_name());
}

}  // namespace
}  // namespace summit::api
