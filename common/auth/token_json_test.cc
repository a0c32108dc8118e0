// The strict reader of a token's JSON objects: what it keeps, and what it
// refuses (jwt_test covers the same through VerifyToken and its reasons).
#include "common/auth/token_json.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace summit::auth {
namespace {

constexpr absl::string_view kFields[] = {"exp", "sub", "role", "aud"};

std::optional<TokenJsonObject> Parse(absl::string_view json) {
  return TokenJsonObject::Parse(json, kFields);
}

TEST(TokenJsonTest, KeepsWantedMembersWithTheirTypes) {
  std::optional<TokenJsonObject> object = Parse(
      R"( {"sub":"people/a","exp":1701864000.5,"role":null,"x":{"y":[1,"z",true]}} )");
  ASSERT_TRUE(object.has_value());
  const TokenJsonValue* sub = object->Find("sub");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->type, TokenJsonValue::Type::kString);
  EXPECT_EQ(sub->string_value, "people/a");
  const TokenJsonValue* exp = object->Find("exp");
  ASSERT_NE(exp, nullptr);
  EXPECT_EQ(exp->type, TokenJsonValue::Type::kNumber);
  EXPECT_EQ(exp->number_value, 1701864000.5);
  const TokenJsonValue* role = object->Find("role");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->type, TokenJsonValue::Type::kOther);
  EXPECT_EQ(object->Find("aud"), nullptr);  // absent
  EXPECT_EQ(object->Find("x"), nullptr);    // present, not wanted
}

TEST(TokenJsonTest, OtherKindsOfValueAreOther) {
  for (const char* value : {"true", "false", "null", "{}", "[]", R"({"a":1})", "[1,[2]]"}) {
    std::optional<TokenJsonObject> object = Parse(absl::StrCat(R"({"aud":)", value, "}"));
    ASSERT_TRUE(object.has_value()) << value;
    ASSERT_NE(object->Find("aud"), nullptr) << value;
    EXPECT_EQ(object->Find("aud")->type, TokenJsonValue::Type::kOther) << value;
  }
}

TEST(TokenJsonTest, UnescapesStrings) {
  std::optional<TokenJsonObject> object =
      Parse(R"({"sub":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC\ud83d\ude00"})");
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(object->Find("sub")->string_value,
            "a\"b\\c/d\b\f\n\r\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  // Raw UTF-8 passes through as it is.
  object = Parse("{\"sub\":\"\xD0\x97\xD0\xB5\"}");
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(object->Find("sub")->string_value, "\xD0\x97\xD0\xB5");
}

// Names are compared after unescaping, so an escaped spelling of a claim is
// that claim.
TEST(TokenJsonTest, EscapedNameIsTheSameName) {
  std::optional<TokenJsonObject> object = Parse(R"({"\u0065xp":5})");
  ASSERT_TRUE(object.has_value());
  ASSERT_NE(object->Find("exp"), nullptr);
  EXPECT_EQ(object->Find("exp")->number_value, 5);
}

TEST(TokenJsonTest, AcceptsNumbersOfTheGrammar) {
  for (const char* number : {"0", "-0", "7", "-12", "1.5", "0.25", "1e3", "1E+3", "2e-3",
                             "-1.5e10", "123456789012345678901234567890"}) {
    std::optional<TokenJsonObject> object = Parse(absl::StrCat(R"({"exp":)", number, "}"));
    ASSERT_TRUE(object.has_value()) << number;
    EXPECT_EQ(object->Find("exp")->type, TokenJsonValue::Type::kNumber) << number;
  }
  EXPECT_EQ(Parse(R"({"exp":-1.5e2})")->Find("exp")->number_value, -150.0);
}

TEST(TokenJsonTest, RefusesWhatIsNotOneObject) {
  for (const char* json :
       {"", " ", "null", "[]", "42", R"("x")", "{", "}", R"({"a":1} {})", R"({"a":1}x)",
        R"({"a":1},)", "\xEF\xBB\xBF{}", "{}\x01", "{} /* c */"}) {
    EXPECT_FALSE(Parse(json).has_value()) << json;
  }
}

TEST(TokenJsonTest, RefusesWhatLenientParsersAccept) {
  for (const char* json : {
           "{'exp':1}",                // single quotes
           "{exp:1}",                  // unquoted name
           R"({"exp":1,})",            // trailing comma
           R"({,"exp":1})",            // leading comma
           R"({"exp" 1})",             // no colon
           R"({"exp":1 "sub":"a"})",   // no comma
           R"({"a":[1,]})",            // trailing comma in an array
           R"({"a":[,1]})",            // hole in an array
           R"({"exp":1} // c)",        // comment
           R"({"a":True})",            // capitalised literal
           R"({"a":nul})",             // cut literal
           R"({"a":undefined})",       // not JSON
           "{\"a\":\"b\"\x0B}",        // vertical tab is not JSON whitespace
       }) {
    EXPECT_FALSE(Parse(json).has_value()) << json;
  }
}

TEST(TokenJsonTest, RefusesNumbersOutsideTheGrammarOrADouble) {
  for (const char* number :
       {"01", "-01", "00", "+1", "1.", ".5", "-", "-.5", "1e", "1e+", "1.e3", "0x10", "NaN",
        "Infinity", "-Infinity", "1e999", "-1e999", "1e-999", "1_000", "１"}) {
    EXPECT_FALSE(Parse(absl::StrCat(R"({"exp":)", number, "}")).has_value()) << number;
    // Also where no member is kept.
    EXPECT_FALSE(Parse(absl::StrCat(R"({"other":[)", number, "]}")).has_value()) << number;
  }
}

TEST(TokenJsonTest, RefusesBadStrings) {
  for (const std::string& json : {
           std::string(R"({"sub":"a)"),                // no closing quote
           std::string(R"({"sub":"a\"})"),             // escaped closing quote
           std::string(R"({"sub":"\x41"})"),           // unknown escape
           std::string(R"({"sub":"\u00"})"),           // short \u
           std::string(R"({"sub":"\u00g0"})"),         // not hex
           std::string(R"({"sub":"\ud83d"})"),         // lone high surrogate
           std::string(R"({"sub":"\ud83dx"})"),        // high surrogate, then a letter
           std::string(R"({"sub":"\ud83d\u0041"})"),   // high surrogate, then no low one
           std::string(R"({"sub":"\ude00"})"),         // lone low surrogate
           std::string("{\"sub\":\"a\nb\"}"),          // raw control character
           std::string("{\"sub\":\"a\tb\"}"),          // raw tab
           std::string("{\"sub\":\"a\0b\"}", 13),      // raw NUL
           std::string("{\"sub\":\"\xFF\"}"),          // not UTF-8
           std::string("{\"sub\":\"\xC0\xAF\"}"),      // overlong
           std::string("{\"sub\":\"\xED\xA0\x80\"}"),  // encoded surrogate
           std::string("{\"sub\":\"\xE2\x82\"}"),      // cut sequence
           std::string("{\"\xFF\":1}"),                // bad name
       }) {
    EXPECT_FALSE(Parse(json).has_value()) << json;
  }
}

TEST(TokenJsonTest, RefusesDuplicateNamesAtAnyDepth) {
  for (const char* json : {
           R"({"exp":1,"exp":1})",           // same value too
           R"({"exp":1,"\u0065xp":2})",      // same name, spelled apart
           R"({"x":1,"y":2,"x":3})",         // not a wanted member
           R"({"a":{"b":1,"b":2}})",         // nested
           R"({"a":[{"b":1,"b":2}]})",       // inside an array
       }) {
    EXPECT_FALSE(Parse(json).has_value()) << json;
  }
  // The same name in different objects is fine.
  EXPECT_TRUE(Parse(R"({"b":1,"a":{"b":2},"c":[{"b":3},{"b":4}]})").has_value());
}

TEST(TokenJsonTest, BoundsNesting) {
  auto nested = [](int depth, char open, char close) {
    // depth - 1 containers inside the root object.
    std::string json = R"({"a":)";
    for (int i = 1; i < depth; ++i) json += (open == '[' ? std::string("[") : R"({"a":)");
    json += "1";
    for (int i = 1; i < depth; ++i) json += close;
    return json + "}";
  };
  constexpr int kMax = TokenJsonObject::kMaxDepth;
  EXPECT_TRUE(Parse(nested(kMax, '[', ']')).has_value());
  EXPECT_FALSE(Parse(nested(kMax + 1, '[', ']')).has_value());
  EXPECT_TRUE(Parse(nested(kMax, '{', '}')).has_value());
  EXPECT_FALSE(Parse(nested(kMax + 1, '{', '}')).has_value());
  // Deep enough to overflow the stack of an unbounded reader: refused, no crash.
  EXPECT_FALSE(Parse(std::string(R"({"a":)") + std::string(100000, '[')).has_value());
}

}  // namespace
}  // namespace summit::auth
