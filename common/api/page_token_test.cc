// Tests of AIP-158 pagination: page sizes (default, cap, negative) and page
// tokens that resume after a key and are bound to the query they came from.
#include "common/api/page_token.h"

#include <climits>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/status/error.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::api {
namespace {

using ::summit::testing::StatusIs;
using ::testing::HasSubstr;

// The description of the one field violation on `field`.
std::string ProblemOn(const absl::Status& status, const std::string& field) {
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.size() != 1) {
    ADD_FAILURE() << "expected one field violation, got " << violations.size();
    return "";
  }
  EXPECT_EQ(violations[0].field, field);
  return violations[0].description;
}

// --- EffectivePageSize ----------------------------------------------------

TEST(EffectivePageSizeTest, ZeroMeansTheDefault) {
  ASSERT_OK_AND_ASSIGN(int size, EffectivePageSize(0));
  EXPECT_EQ(size, kDefaultPageSize);
  ASSERT_OK_AND_ASSIGN(int custom, EffectivePageSize(0, /*fallback=*/20, /*max=*/100));
  EXPECT_EQ(custom, 20);
}

TEST(EffectivePageSizeTest, PositiveSizesUpToTheMaximumAreKept) {
  for (int requested : {1, 2, kDefaultPageSize, kDefaultPageSize + 1, kMaxPageSize - 1,
                        kMaxPageSize}) {
    ASSERT_OK_AND_ASSIGN(int size, EffectivePageSize(requested));
    EXPECT_EQ(size, requested);
  }
}

TEST(EffectivePageSizeTest, LargerSizesAreCappedNotRefused) {
  for (int requested : {kMaxPageSize + 1, 1 << 20, INT_MAX}) {
    ASSERT_OK_AND_ASSIGN(int size, EffectivePageSize(requested));
    EXPECT_EQ(size, kMaxPageSize);
  }
  ASSERT_OK_AND_ASSIGN(int custom, EffectivePageSize(500, 20, 100));
  EXPECT_EQ(custom, 100);
}

TEST(EffectivePageSizeTest, NegativeSizeIsInvalidArgumentOnPageSize) {
  for (int requested : {-1, -kMaxPageSize, INT_MIN}) {
    absl::StatusOr<int> size = EffectivePageSize(requested);
    EXPECT_THAT(ProblemOn(size.status(), "page_size"), HasSubstr("negative"));
  }
}

// --- Page tokens ----------------------------------------------------------

TEST(PageTokenTest, EmptyTokenIsTheFirstPage) {
  ASSERT_OK_AND_ASSIGN(PageToken token, DecodePageToken("", "country = UA"));
  EXPECT_EQ(token.last_key, "");
}

TEST(PageTokenTest, RoundTripsTheLastKey) {
  const std::string query = "filter=country = \"UA\";order_by=display_name";
  for (const std::string& key :
       {std::string("people/umerov"), std::string(""), std::string("a:b:c"),
        std::string("Зеленський 🇺🇦"), std::string(4096, 'k')}) {
    SCOPED_TRACE(key);
    const std::string encoded = EncodePageToken(key, query);
    ASSERT_OK_AND_ASSIGN(PageToken decoded, DecodePageToken(encoded, query));
    EXPECT_TRUE(decoded.last_key == key);
  }
}

TEST(PageTokenTest, KeysThatAreNotTextAreRefused) {
  // A token changed by hand decodes to bytes a database would have to take as text.
  const std::string query = "filter=";
  for (const std::string& key : {std::string("nul\0inside", 10), std::string("\xff\xfe binary"),
                                 std::string("line\nbreak"), std::string("\xe2\x80\xae")}) {
    SCOPED_TRACE(key);
    EXPECT_THAT(ProblemOn(DecodePageToken(EncodePageToken(key, query), query).status(),
                          "page_token"),
                HasSubstr("not a token this service returned"));
  }
  // A real token with text after it.
  const std::string real = EncodePageToken("umerov", query);
  for (const std::string& tail : {"'; DROP TABLE people; --", "\xc3", "%00", "Зеленськ"}) {
    const absl::StatusOr<PageToken> decoded = DecodePageToken(real + tail, query);
    if (decoded.ok()) {
      EXPECT_EQ(TextProblem(decoded->last_key, 1000, false), "") << tail;
    } else {
      EXPECT_THAT(decoded.status(), StatusIs(absl::StatusCode::kInvalidArgument)) << tail;
    }
  }
}

TEST(PageTokenTest, TokensAreUrlSafeAndOpaque) {
  const std::string token = EncodePageToken("people/umerov?x=1&y=2 /+", "q");
  for (char c : token) {
    EXPECT_TRUE(absl::ascii_isalnum(c) || c == '-' || c == '_') << "character '" << c << "'";
  }
  EXPECT_THAT(token, ::testing::Not(HasSubstr("umerov")));
}

TEST(PageTokenTest, TokenIsStableAcrossProcessesAndVersions) {
  // The fingerprint must not depend on a per-process seed: another replica,
  // possibly of another version during a rolling update, decodes the token.
  // This golden value pins the fingerprint of "" (the hash's offset basis).
  // Note: page_token.cc calls the hash FNV-1a, but its offset basis
  // 1469598103934665603 lacks the final digit of FNV's 14695981039346656037;
  // changing it now would invalidate tokens held by clients, so it is pinned.
  EXPECT_EQ(EncodePageToken("people/a", ""),
            absl::WebSafeBase64Escape("1:1469598103934665603:people/a"));
  EXPECT_EQ(EncodePageToken("k", "country = UA"), EncodePageToken("k", "country = UA"));
}

TEST(PageTokenTest, TokenIsBoundToItsQuery) {
  const std::string token = EncodePageToken("people/umerov", "country = UA");
  absl::StatusOr<PageToken> other = DecodePageToken(token, "country = PL");
  EXPECT_THAT(ProblemOn(other.status(), "page_token"), HasSubstr("another filter"));
  EXPECT_THAT(DecodePageToken(token, ""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(token, "country = UA "), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(DecodePageToken(token, "country = UA").status());
}

TEST(PageTokenTest, DamagedOrForeignTokensAreInvalidArgumentOnPageToken) {
  const std::string good = EncodePageToken("people/umerov", "q");
  const std::vector<std::string> bad = {
      "not a token!",                                        // not base64
      "%%%%",                                                //
      absl::WebSafeBase64Escape("people/umerov"),            // no version or fingerprint
      absl::WebSafeBase64Escape("1:"),                       //
      absl::WebSafeBase64Escape("1:123"),                    // no second colon
      absl::WebSafeBase64Escape("2:14695981039346656037:x"),  // unknown version
      absl::WebSafeBase64Escape("1:-5:x"),                   // not a number
      absl::WebSafeBase64Escape("1:99999999999999999999999:x"),  // overflows
      absl::WebSafeBase64Escape(":1:x"),                     //
      good.substr(0, good.size() / 2),                       // truncated
      good + "!",                                            //
      std::string("\0\0\0\0", 4),                            //
      std::string(1 << 20, 'A'),                             // 1 MiB of base64
  };
  for (const std::string& token : bad) {
    SCOPED_TRACE(token.substr(0, 64));
    absl::StatusOr<PageToken> decoded = DecodePageToken(token, "q");
    EXPECT_THAT(decoded, StatusIs(absl::StatusCode::kInvalidArgument));
    if (!decoded.ok()) {
      EXPECT_EQ(FieldViolationsOf(decoded.status()).at(0).field, "page_token");
    }
  }
}

TEST(PageTokenTest, ErrorsDoNotEchoTheToken) {
  const std::string huge(100000, 'A');
  absl::StatusOr<PageToken> decoded = DecodePageToken(huge, "q");
  EXPECT_LT(decoded.status().message().size(), 300u);
}

}  // namespace
}  // namespace summit::api
