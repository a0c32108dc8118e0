// ForwardedFrom(const grpc::ServerContextBase&) reads the metadata and calls
// ForwardedFromValues, which holds the rules tested here; the wrapper is
// covered by tests/hostile_wire_test.cc against running servers.
#include "common/peers/forwarded_metadata.h"

#include <string>

#include "absl/strings/escaping.h"
#include "common/auth/authenticator.h"
#include "common/status/error.h"
#include "common/status/status_matchers.h"
#include "common/text/header_value.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::peers {
namespace {

using ::summit::testing::StatusIs;

TEST(IsSendableHeaderValueTest, VisibleAsciiAndSpaceOnly) {
  EXPECT_TRUE(IsSendableHeaderValue(""));
  EXPECT_TRUE(IsSendableHeaderValue("Bearer abc.def-ghi_~!\"#$%&'()*+,/:;<=>?@[\\]^`{|}"));
  EXPECT_TRUE(IsSendableHeaderValue(" leading and trailing "));
  for (const std::string& bad :
       {std::string("a\tb"), std::string("a\rb"), std::string("a\nb"), std::string(1, '\0'),
        std::string("\x7f"), std::string("\x1f"), std::string("\xc3\xa9"), std::string("\xff\xfe")}) {
    EXPECT_FALSE(IsSendableHeaderValue(bad)) << absl::CEscape(bad);
  }
}

TEST(IsPlainRequestIdTest, ShortLettersDigitsAndPunctuation) {
  EXPECT_TRUE(IsPlainRequestId("a"));
  EXPECT_TRUE(IsPlainRequestId("req-1_2.3"));
  EXPECT_TRUE(IsPlainRequestId(std::string(64, 'x')));
  EXPECT_FALSE(IsPlainRequestId(""));
  EXPECT_FALSE(IsPlainRequestId(std::string(65, 'x')));
  EXPECT_FALSE(IsPlainRequestId("a b"));
  EXPECT_FALSE(IsPlainRequestId("a\tb"));
  EXPECT_FALSE(IsPlainRequestId("caf\xc3\xa9"));
}

TEST(ForwardedFromValuesTest, OneSendableAuthorizationTravelsAsItIs) {
  absl::StatusOr<ForwardedMetadata> forwarded =
      ForwardedFromValues(1, "  Bearer   abc.def ", "request-7");
  ASSERT_TRUE(forwarded.ok()) << forwarded.status();
  EXPECT_EQ(forwarded->authorization, "  Bearer   abc.def ");
  EXPECT_EQ(forwarded->request_id, "request-7");
}

TEST(ForwardedFromValuesTest, NoAuthorizationIsNoneForwarded) {
  absl::StatusOr<ForwardedMetadata> forwarded = ForwardedFromValues(0, "", "");
  ASSERT_TRUE(forwarded.ok()) << forwarded.status();
  EXPECT_EQ(forwarded->authorization, "");
  EXPECT_EQ(forwarded->request_id, "");
}

TEST(ForwardedFromValuesTest, RepeatedAuthorizationIsRefused) {
  const absl::StatusOr<ForwardedMetadata> forwarded = ForwardedFromValues(2, "Bearer a", "");
  EXPECT_THAT(forwarded, StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_));
  EXPECT_EQ(ReasonOf(forwarded.status()), auth::kReasonAuthHeaderRepeated);
}

TEST(ForwardedFromValuesTest, AuthorizationGrpcCannotSendIsRefused) {
  for (const std::string& bad : {std::string("Bearer\tzzz"), std::string("Bearer \xc3\xa9t\xc3\xa9"),
                                 std::string("Bearer \xff\xfe"), std::string("a\tb"),
                                 std::string("Bearer x\r\n")}) {
    const absl::StatusOr<ForwardedMetadata> forwarded = ForwardedFromValues(1, bad, "id");
    EXPECT_THAT(forwarded, StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_))
        << absl::CEscape(bad);
    EXPECT_EQ(ReasonOf(forwarded.status()), auth::kReasonAuthHeaderMalformed) << absl::CEscape(bad);
  }
}

TEST(ForwardedFromValuesTest, RequestIdThatIsNotPlainStaysBehind) {
  for (const std::string& id : {std::string("a\tb"), std::string("\xff"), std::string(65, 'x'),
                                std::string("two words")}) {
    absl::StatusOr<ForwardedMetadata> forwarded = ForwardedFromValues(0, "", id);
    ASSERT_TRUE(forwarded.ok()) << forwarded.status();
    EXPECT_EQ(forwarded->request_id, "") << absl::CEscape(id);
  }
}

}  // namespace
}  // namespace summit::peers
