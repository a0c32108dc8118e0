#include "common/storage/list_query.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "summit/registry/v1/resources.pb.h"

namespace summit::storage {
namespace {

// A person whose serialized size is about `bytes`.
registry::v1::Person PersonOf(size_t bytes, const std::string& id) {
  registry::v1::Person person;
  person.set_name("people/" + id);
  person.set_display_name(std::string(bytes, 'x'));
  return person;
}

TEST(PageLengthTest, PageSizeBoundsSmallResources) {
  std::vector<registry::v1::Person> people;
  for (int i = 0; i < 5; ++i) people.push_back(PersonOf(10, "p" + std::to_string(i)));
  EXPECT_EQ(PageLength(people, 3), 3u);
  EXPECT_EQ(PageLength(people, 10), 5u);
}

TEST(PageLengthTest, BytesBoundLargeResourcesButNeverTheFirst) {
  std::vector<registry::v1::Person> people;
  for (int i = 0; i < 4; ++i) people.push_back(PersonOf(kMaxPageBytes / 3, "p" + std::to_string(i)));
  // Three make just over kMaxPageBytes with their names and tags: two fit.
  EXPECT_EQ(PageLength(people, 10), 2u);
  std::vector<registry::v1::Person> huge = {PersonOf(kMaxPageBytes + 1, "big"),
                                            PersonOf(1, "small")};
  EXPECT_EQ(PageLength(huge, 10), 1u);
}

TEST(FinishPageTest, APageCutByBytesHasANextPageToken) {
  ListQuery query;
  query.page_size = 10;
  query.fingerprint = "people";
  std::vector<registry::v1::Person> people;
  for (int i = 0; i < 4; ++i) people.push_back(PersonOf(kMaxPageBytes / 3, "p" + std::to_string(i)));
  const std::string token = query.FinishPage(people);
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(token, api::EncodePageToken("p1", "people"));
  std::vector<registry::v1::Person> few = {PersonOf(10, "a"), PersonOf(10, "b")};
  EXPECT_EQ(query.FinishPage(few), "");
  EXPECT_EQ(few.size(), 2u);
}

}  // namespace
}  // namespace summit::storage
