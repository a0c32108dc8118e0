#include "gateway/path_template.h"

#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Optional;

auto Binds(const std::string& field, const std::string& value) {
  return AllOf(Field(&PathBinding::field_path, field), Field(&PathBinding::value, value));
}

TEST(PathTemplateTest, BindsVariablesWithTheirPatterns) {
  ASSERT_OK_AND_ASSIGN(PathTemplate t, PathTemplate::Parse("/v1/{parent=events/*}/rooms"));
  EXPECT_THAT(t.Match("/v1/events/udib-2023/rooms"),
              Optional(ElementsAre(Binds("parent", "events/udib-2023"))));
  EXPECT_EQ(t.Match("/v1/events/udib-2023/rooms/x"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/events/rooms"), std::nullopt);
  EXPECT_EQ(t.literal_count(), 3);
}

TEST(PathTemplateTest, CustomVerbsMustMatchExactly) {
  ASSERT_OK_AND_ASSIGN(PathTemplate t, PathTemplate::Parse("/v1/{name=events/*/statements/*}:publish"));
  EXPECT_THAT(t.Match("/v1/events/e/statements/s:publish"),
              Optional(ElementsAre(Binds("name", "events/e/statements/s"))));
  EXPECT_EQ(t.Match("/v1/events/e/statements/s"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/events/e/statements/s:retract"), std::nullopt);
  ASSERT_OK_AND_ASSIGN(PathTemplate get, PathTemplate::Parse("/v1/{name=people/*}"));
  EXPECT_EQ(get.Match("/v1/people:batchGet"), std::nullopt);
  EXPECT_EQ(get.Match("/v1/people/umerov:publish"), std::nullopt);
  EXPECT_EQ(get.Match("/v1/people/umerov:"), std::nullopt);  // a colon names a verb
}

TEST(PathTemplateTest, NestedFieldPathsAndSimpleVariables) {
  ASSERT_OK_AND_ASSIGN(PathTemplate t, PathTemplate::Parse("/v1/{statement.name=events/*/statements/*}"));
  EXPECT_THAT(t.Match("/v1/events/e/statements/s"),
              Optional(ElementsAre(Binds("statement.name", "events/e/statements/s"))));
  ASSERT_OK_AND_ASSIGN(PathTemplate simple, PathTemplate::Parse("/v1/things/{id}"));
  EXPECT_THAT(simple.Match("/v1/things/42"), Optional(ElementsAre(Binds("id", "42"))));
  EXPECT_THAT(simple.field_paths(), ElementsAre("id"));
}

TEST(PathTemplateTest, DoubleWildcardTakesTheRest) {
  ASSERT_OK_AND_ASSIGN(PathTemplate t, PathTemplate::Parse("/v1/{path=files/**}"));
  EXPECT_THAT(t.Match("/v1/files/a/b/c"), Optional(ElementsAre(Binds("path", "files/a/b/c"))));
  EXPECT_EQ(t.Match("/v1/files"), std::nullopt);
}

TEST(PathTemplateTest, DecodesPercentEscapesAndRefusesBrokenOnes) {
  ASSERT_OK_AND_ASSIGN(PathTemplate t, PathTemplate::Parse("/v1/{name=people/*}"));
  EXPECT_THAT(t.Match("/v1/people/%D0%B7"), Optional(ElementsAre(Binds("name", "people/з"))));
  EXPECT_EQ(t.Match("/v1/people/%2"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/people/%zz"), std::nullopt);
  EXPECT_EQ(t.Match("/v1//people"), std::nullopt);
  EXPECT_EQ(t.Match(""), std::nullopt);
  EXPECT_EQ(t.Match("v1/people/x"), std::nullopt);
}

TEST(PathTemplateTest, RefusesMalformedTemplates) {
  for (const char* bad : {"", "v1/x", "/v1/{name", "/v1/name}", "/v1/{na me=x}", "/v1/{name=a/**}/b",
                          "/v1/x:", "/v1//x", "/v1/{=x}"}) {
    SCOPED_TRACE(bad);
    EXPECT_THAT(PathTemplate::Parse(bad), ::summit::testing::StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

TEST(PercentDecodeTest, DecodesOrRefuses) {
  EXPECT_THAT(PercentDecode("a%20b"), Optional(Eq(std::string("a b"))));
  EXPECT_EQ(PercentDecode("a%2"), std::nullopt);
  EXPECT_EQ(PercentDecode("%"), std::nullopt);
}

}  // namespace
}  // namespace summit::gateway
