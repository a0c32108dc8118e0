#include "common/auth/jwt.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/status/error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// 32 bytes, the minimum a key file may hold.
constexpr absl::string_view kKey = "summit-unit-test-key-32-bytes-ok";
const absl::Time kNow = absl::FromUnixSeconds(1701864000);  // 2023-12-06 12:00Z
const std::string kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

// The status is UNAUTHENTICATED with ErrorInfo reason `reason`.
MATCHER_P(IsUnauthenticated, reason, "") {
  if (arg.ok()) {
    *result_listener << "which is OK";
    return false;
  }
  const absl::Status& status = arg.status();
  *result_listener << "which is " << status;
  return status.code() == absl::StatusCode::kUnauthenticated &&
         summit::ReasonOf(status) == std::string(reason);
}

// Test-side encoding and signing, written independently of jwt.cc (OpenSSL's
// base64 instead of absl's, the signature assembled by hand), so the tests
// can build any token, including ones MintToken refuses to make.
std::string Base64Url(absl::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return absl::StrReplaceAll(out, {{"+", "-"}, {"/", "_"}});
}

std::string Hmac(absl::string_view key, absl::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
       &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

std::string Sign(absl::string_view header_json, absl::string_view payload_json,
                 absl::string_view key = kKey) {
  const std::string input =
      absl::StrCat(Base64Url(header_json), ".", Base64Url(payload_json));
  return absl::StrCat(input, ".", Base64Url(Hmac(key, input)));
}

// Claims valid at kNow, with `extra` appended inside the object.
std::string Claims(absl::string_view extra = "") {
  return absl::StrCat(R"({"sub":"people/jane-doe","role":"organizer","exp":)",
                      absl::ToUnixSeconds(kNow + absl::Hours(1)), extra, "}");
}

std::vector<std::string> Segments(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos;
       start = dot + 1) {
    parts.push_back(token.substr(start, dot - start));
  }
  parts.push_back(token.substr(start));
  return parts;
}

// --- Known answers, computed outside this code -----------------------------

// Computed in a shell, independently of this code:
//   b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
//   H=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)
//   C='{"sub":"people/oksana-markarova","role":"delegate",'
//   C="$C"'"iat":1701820800,"exp":1701864000}'
//   P=$(printf '%s' "$C" | b64url)
//   S=$(printf '%s' "$H.$P" |
//       openssl dgst -sha256 -hmac 'summit-known-answer-test-key-32b' -binary |
//       b64url)
//   echo "$H.$P.$S"
// (and cross-checked with Python's hmac module).
constexpr absl::string_view kKnownAnswerKey =
    "summit-known-answer-test-key-32b";
constexpr absl::string_view kKnownAnswerToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiJwZW9wbGUvb2tzYW5hLW1hcmthcm92YSIsInJvbGUiOiJkZWxlZ2F0ZSIsImlh"
    "dCI6MTcwMTgyMDgwMCwiZXhwIjoxNzAxODY0MDAwfQ"
    ".e8EXi7Nc896zXRrc5evvN3ZaSuBuKt5X1uCjsa0S9no";
const absl::Time kKnownAnswerIat = absl::FromUnixSeconds(1701820800);

TEST(KnownAnswerTest, VerifiesTokenSignedWithOpenssl) {
  absl::StatusOr<Principal> p = VerifyToken(kKnownAnswerToken, kKnownAnswerKey,
                                            kKnownAnswerIat + absl::Hours(6));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "people/oksana-markarova");
  EXPECT_EQ(p->role, Role::kDelegate);
}

TEST(KnownAnswerTest, MintProducesTheSameBytesAsOpenssl) {
  EXPECT_EQ(MintToken({"people/oksana-markarova", Role::kDelegate},
                      absl::Hours(12), kKnownAnswerKey, kKnownAnswerIat),
            kKnownAnswerToken);
}

TEST(KnownAnswerTest, ExpiresAtItsExp) {
  EXPECT_THAT(VerifyToken(kKnownAnswerToken, kKnownAnswerKey,
                          kKnownAnswerIat + absl::Hours(12)),
              IsUnauthenticated(kReasonTokenExpired));
}

// RFC 7515 appendix A.1, the standard's own HS256 example. Its header has
// CR LF inside the JSON and its claims are not Summit's (no role), so the
// signature must be accepted and the claims then refused, while any other
// key must fail at the signature.
TEST(KnownAnswerTest, Rfc7515AppendixA1SignatureIsAccepted) {
  const unsigned char key_bytes[] = {
      3,   35,  53,  75,  43,  15,  165, 188, 131, 126, 6,   101, 119,
      123, 166, 143, 90,  179, 40,  230, 240, 84,  201, 40,  169, 15,
      132, 178, 210, 80,  46,  191, 211, 251, 90,  146, 210, 6,   71,
      239, 150, 138, 180, 195, 119, 98,  61,  34,  61,  46,  33,  114,
      5,   46,  79,  8,   192, 205, 154, 245, 103, 208, 128, 163};
  std::string key(reinterpret_cast<const char*>(key_bytes), sizeof(key_bytes));
  const std::string token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
      ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
      "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const absl::Time before_exp = absl::FromUnixSeconds(1300819380 - 60);
  EXPECT_THAT(VerifyToken(token, key, before_exp),
              IsUnauthenticated(kReasonTokenInvalidClaims));
  key[0] ^= 1;
  EXPECT_THAT(VerifyToken(token, key, before_exp),
              IsUnauthenticated(kReasonTokenBadSignature));
}

// --- Good tokens -------------------------------------------------------------

TEST(VerifyTokenTest, MintedTokenGivesItsRoleAndSubject) {
  const std::vector<Principal> principals = {
      {"people/jane-doe", Role::kOrganizer},
      {"people/reporter-1", Role::kPress},
      {"people/oksana-markarova", Role::kDelegate},
      {"services/registry", Role::kService},
      {"people/someone", Role::kPublic},
      {"", Role::kPublic},
  };
  for (const Principal& principal : principals) {
    const std::string token = MintToken(principal, absl::Hours(1), kKey, kNow);
    absl::StatusOr<Principal> got = VerifyToken(token, kKey, kNow);
    ASSERT_TRUE(got.ok()) << principal << ": " << got.status();
    EXPECT_EQ(*got, principal);
  }
}

TEST(VerifyTokenTest, HandWrittenTokenWithoutTypAndWithExtraClaimsIsAccepted) {
  absl::StatusOr<Principal> p = VerifyToken(
      Sign(R"({"alg":"HS256"})",
           Claims(R"(,"jti":"abc","iss":"summitctl","x":{"y":[1,2]})")),
      kKey, kNow);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, (Principal{"people/jane-doe", Role::kOrganizer}));
}

TEST(VerifyTokenTest, TypIsCaseInsensitive) {
  EXPECT_TRUE(
      VerifyToken(Sign(R"({"typ":"jwt","alg":"HS256"})", Claims()), kKey, kNow)
          .ok());
}

TEST(VerifyTokenTest, FractionalExpIsAccepted) {
  const std::string claims =
      absl::StrCat(R"({"sub":"people/a","role":"press","exp":)",
                   absl::ToUnixSeconds(kNow), ".5}");
  EXPECT_TRUE(VerifyToken(Sign(kHs256Header, claims), kKey, kNow).ok());
}

// --- Time ------------------------------------------------------------------

TEST(VerifyTokenTest, ExpiredTokenIsRejectedWithoutLeeway) {
  const std::string token = MintToken({"people/jane-doe", Role::kOrganizer},
                                      absl::Minutes(5), kKey, kNow);
  EXPECT_TRUE(
      VerifyToken(token, kKey, kNow + absl::Minutes(5) - absl::Seconds(1))
          .ok());
  EXPECT_THAT(VerifyToken(token, kKey, kNow + absl::Minutes(5)),
              IsUnauthenticated(kReasonTokenExpired));
  EXPECT_THAT(
      VerifyToken(token, kKey, kNow + absl::Minutes(5) + absl::Seconds(1)),
      IsUnauthenticated(kReasonTokenExpired));
  EXPECT_THAT(VerifyToken(token, kKey, kNow + absl::Hours(24 * 365)),
              IsUnauthenticated(kReasonTokenExpired));
}

TEST(VerifyTokenTest, ExpiredMessageSaysWhen) {
  absl::StatusOr<Principal> p = VerifyToken(
      MintToken({"people/a", Role::kPress}, absl::Hours(1), kKey, kNow), kKey,
      kNow + absl::Hours(2));
  EXPECT_THAT(p.status().message(), HasSubstr("2023-12-06T13:00:00"));
}

TEST(VerifyTokenTest, NotBeforeInTheFutureIsRejected) {
  const int64_t now = absl::ToUnixSeconds(kNow);
  EXPECT_THAT(VerifyToken(Sign(kHs256Header,
                               Claims(absl::StrCat(",\"nbf\":", now + 60))),
                          kKey, kNow),
              IsUnauthenticated(kReasonTokenNotYetValid));
  // Within the leeway (clock skew between machines) it is accepted.
  EXPECT_TRUE(VerifyToken(Sign(kHs256Header,
                               Claims(absl::StrCat(",\"nbf\":", now + 30))),
                          kKey, kNow)
                  .ok());
  EXPECT_TRUE(VerifyToken(Sign(kHs256Header,
                               Claims(absl::StrCat(",\"nbf\":", now - 600))),
                          kKey, kNow)
                  .ok());
}

TEST(VerifyTokenTest, IssuedInTheFutureIsRejected) {
  const int64_t now = absl::ToUnixSeconds(kNow);
  EXPECT_THAT(VerifyToken(Sign(kHs256Header,
                               Claims(absl::StrCat(",\"iat\":", now + 31))),
                          kKey, kNow),
              IsUnauthenticated(kReasonTokenInvalidClaims));
  EXPECT_TRUE(VerifyToken(Sign(kHs256Header,
                               Claims(absl::StrCat(",\"iat\":", now + 30))),
                          kKey, kNow)
                  .ok());
}

TEST(VerifyTokenTest, TimeClaimsMustBeNumbers) {
  EXPECT_THAT(
      VerifyToken(
          Sign(kHs256Header,
               R"({"sub":"people/a","role":"press","exp":"2000000000"})"),
          kKey, kNow),
      IsUnauthenticated(kReasonTokenInvalidClaims));
  EXPECT_THAT(
      VerifyToken(Sign(kHs256Header, Claims(R"(,"nbf":"0")")), kKey, kNow),
      IsUnauthenticated(kReasonTokenInvalidClaims));
  EXPECT_THAT(
      VerifyToken(Sign(kHs256Header, Claims(R"(,"iat":null)")), kKey, kNow),
      IsUnauthenticated(kReasonTokenInvalidClaims));
}

TEST(VerifyTokenTest, MissingExpIsRejected) {
  EXPECT_THAT(VerifyToken(Sign(kHs256Header,
                               R"({"sub":"people/a","role":"organizer"})"),
                          kKey, kNow),
              IsUnauthenticated(kReasonTokenInvalidClaims));
}

// --- Signature ---------------------------------------------------------------

TEST(VerifyTokenTest, TamperedPayloadIsRejected) {
  const std::string token = MintToken({"people/reporter-1", Role::kPress},
                                      absl::Hours(1), kKey, kNow);
  std::vector<std::string> parts = Segments(token);
  // Same claims, promoted to organizer, old signature kept.
  const std::string promoted = Base64Url(
      absl::StrCat(R"({"sub":"people/reporter-1","role":"organizer","iat":)",
                   absl::ToUnixSeconds(kNow), R"(,"exp":)",
                   absl::ToUnixSeconds(kNow + absl::Hours(1)), "}"));
  EXPECT_THAT(VerifyToken(absl::StrCat(parts[0], ".", promoted, ".", parts[2]),
                          kKey, kNow),
              IsUnauthenticated(kReasonTokenBadSignature));
}

TEST(VerifyTokenTest, TamperedHeaderIsRejected) {
  const std::string token =
      MintToken({"people/a", Role::kPress}, absl::Hours(1), kKey, kNow);
  std::vector<std::string> parts = Segments(token);
  EXPECT_THAT(VerifyToken(absl::StrCat(Base64Url(R"({"alg":"HS256"})"), ".",
                                       parts[1], ".", parts[2]),
                          kKey, kNow),
              IsUnauthenticated(kReasonTokenBadSignature));
}

TEST(VerifyTokenTest, TamperedSignatureIsRejected) {
  const std::string token =
      MintToken({"people/a", Role::kPress}, absl::Hours(1), kKey, kNow);
  std::vector<std::string> parts = Segments(token);
  std::string signature = parts[2];
  signature[0] = signature[0] == 'A' ? 'B' : 'A';
  EXPECT_THAT(VerifyToken(absl::StrCat(parts[0], ".", parts[1], ".", signature),
                          kKey, kNow),
              IsUnauthenticated(kReasonTokenBadSignature));
  // Every byte counts: a comparison that stopped early would miss these.
  const std::string mac = Hmac(kKey, absl::StrCat(parts[0], ".", parts[1]));
  ASSERT_EQ(mac.size(), 32u);
  for (std::size_t i = 0; i < mac.size(); ++i) {
    std::string flipped = mac;
    flipped[i] ^= 0x01;
    EXPECT_THAT(VerifyToken(absl::StrCat(parts[0], ".", parts[1], ".",
                                         Base64Url(flipped)),
                            kKey, kNow),
                IsUnauthenticated(kReasonTokenBadSignature))
        << "byte " << i;
  }
  // Too short (one byte missing) and empty.
  EXPECT_THAT(VerifyToken(absl::StrCat(parts[0], ".", parts[1], ".",
                                       Base64Url(Hmac(kKey, "x").substr(1))),
                          kKey, kNow),
              IsUnauthenticated(kReasonTokenBadSignature));
  EXPECT_THAT(
      VerifyToken(absl::StrCat(parts[0], ".", parts[1], "."), kKey, kNow),
      IsUnauthenticated(kReasonTokenBadSignature));
}

TEST(VerifyTokenTest, WrongKeyIsRejected) {
  const std::string token =
      MintToken({"people/a", Role::kOrganizer}, absl::Hours(1), kKey, kNow);
  EXPECT_THAT(VerifyToken(token, "another-key-of-32-bytes-length!!", kNow),
              IsUnauthenticated(kReasonTokenBadSignature));
  // A prefix of the right key is a different key.
  EXPECT_THAT(VerifyToken(token, kKey.substr(0, 31), kNow),
              IsUnauthenticated(kReasonTokenBadSignature));
}

TEST(VerifyTokenTest, EmptyKeyAcceptsNothing) {
  const std::string token =
      MintToken({"people/a", Role::kOrganizer}, absl::Hours(1), kKey, kNow);
  EXPECT_THAT(VerifyToken(token, "", kNow),
              IsUnauthenticated(kReasonAuthNotConfigured));
  // Not even a token "signed" with the empty key.
  EXPECT_THAT(VerifyToken(Sign(kHs256Header, Claims(), ""), "", kNow),
              IsUnauthenticated(kReasonAuthNotConfigured));
}

// --- Algorithm -------------------------------------------------------------

TEST(VerifyTokenTest, AlgNoneIsRejected) {
  const std::string unsigned_token =
      absl::StrCat(Base64Url(R"({"alg":"none","typ":"JWT"})"), ".",
                   Base64Url(Claims()), ".");
  EXPECT_THAT(VerifyToken(unsigned_token, kKey, kNow),
              IsUnauthenticated(kReasonTokenUnsupportedAlgorithm));
  // Even with a correct HMAC attached.
  EXPECT_THAT(VerifyToken(Sign(R"({"alg":"none"})", Claims()), kKey, kNow),
              IsUnauthenticated(kReasonTokenUnsupportedAlgorithm));
}

TEST(VerifyTokenTest, OtherAlgorithmsAreRejected) {
  for (const char* alg :
       {"HS512", "HS384", "RS256", "ES256", "hs256", "HS256 ", ""}) {
    EXPECT_THAT(
        VerifyToken(Sign(absl::StrCat(R"({"alg":")", alg, R"("})"), Claims()),
                    kKey, kNow),
        IsUnauthenticated(kReasonTokenUnsupportedAlgorithm))
        << alg;
  }
}

TEST(VerifyTokenTest, MissingOrNonStringAlgIsMalformed) {
  for (const char* header :
       {R"({"typ":"JWT"})", R"({"alg":256})", R"({"alg":null})", "{}"}) {
    EXPECT_THAT(VerifyToken(Sign(header, Claims()), kKey, kNow),
                IsUnauthenticated(kReasonTokenMalformed))
        << header;
  }
}

TEST(VerifyTokenTest, BadHeaderFieldsAreMalformed) {
  for (const char* header :
       {R"({"alg":"HS256","typ":"JWE"})", R"({"alg":"HS256","typ":1})",
        R"({"alg":"HS256","crit":["exp"],"exp":1})",
        R"({"alg":"HS256","alg":"HS256"})"}) {
    EXPECT_THAT(VerifyToken(Sign(header, Claims()), kKey, kNow),
                IsUnauthenticated(kReasonTokenMalformed))
        << header;
  }
}

// --- Shape and encoding
// -------------------------------------------------------

TEST(VerifyTokenTest, WrongSegmentCountIsMalformed) {
  const std::string token =
      MintToken({"people/a", Role::kPress}, absl::Hours(1), kKey, kNow);
  std::vector<std::string> p = Segments(token);
  for (const std::string& bad :
       {std::string(), std::string("."), std::string(".."), std::string("...."),
        p[0], absl::StrCat(p[0], ".", p[1]), absl::StrCat(token, "."),
        absl::StrCat(token, ".", p[2]), absl::StrCat(".", token)}) {
    EXPECT_THAT(VerifyToken(bad, kKey, kNow),
                IsUnauthenticated(kReasonTokenMalformed))
        << bad;
  }
}

TEST(VerifyTokenTest, BadBase64IsMalformed) {
  const std::string token =
      MintToken({"people/a", Role::kPress}, absl::Hours(1), kKey, kNow);
  std::vector<std::string> p = Segments(token);
  const std::string& header = p[0];
  const std::vector<std::string> bad_tokens = {
      // Padding, which base64url in JWS leaves out.
      absl::StrCat(header, "==.", p[1], ".", p[2]),
      absl::StrCat(p[0], ".", p[1], ".", p[2], "="),
      // Characters outside the base64url alphabet.
      absl::StrCat("+", header.substr(1), ".", p[1], ".", p[2]),
      absl::StrCat(header, ".", p[1], ".", "/", p[2].substr(1)),
      absl::StrCat(header, " .", p[1], ".", p[2]),
      absl::StrCat(header, ".", p[1], ".", p[2], "\n"),
      absl::StrCat(header, ".", p[1], ".", p[2].substr(0, 10), "*",
                   p[2].substr(11)),
      // A length no encoding can have (4n + 1).
      absl::StrCat(header, "A.", p[1], ".", p[2]),
  };
  for (const std::string& bad : bad_tokens) {
    EXPECT_THAT(VerifyToken(bad, kKey, kNow),
                IsUnauthenticated(kReasonTokenMalformed))
        << bad;
  }
}

TEST(VerifyTokenTest, NonCanonicalSignatureEncodingIsMalformed) {
  const std::string token =
      MintToken({"people/a", Role::kPress}, absl::Hours(1), kKey, kNow);
  std::vector<std::string> p = Segments(token);
  // 32 bytes encode to 43 characters; the last one carries 2 unused bits.
  ASSERT_EQ(p[2].size(), 43u);
  std::string sig = p[2];
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  sig.back() = alphabet[alphabet.find(sig.back()) ^ 1];  // set a spare bit
  EXPECT_THAT(VerifyToken(absl::StrCat(p[0], ".", p[1], ".", sig), kKey, kNow),
              IsUnauthenticated(kReasonTokenMalformed));
}

TEST(VerifyTokenTest, HeaderThatIsNotJsonIsMalformed) {
  EXPECT_THAT(VerifyToken(Sign("not json", Claims()), kKey, kNow),
              IsUnauthenticated(kReasonTokenMalformed));
  EXPECT_THAT(VerifyToken(Sign(R"(["HS256"])", Claims()), kKey, kNow),
              IsUnauthenticated(kReasonTokenMalformed));
  EXPECT_THAT(VerifyToken(Sign(R"({"alg":"HS256"} {})", Claims()), kKey, kNow),
              IsUnauthenticated(kReasonTokenMalformed));
}

// Correctly signed, so the payload is parsed and found wanting.
TEST(VerifyTokenTest, PayloadThatIsNotAJsonObjectIsMalformed) {
  for (const char* payload :
       {"", "not json", "[1,2,3]", R"(["people/a","organizer"])", "42",
        "\"people/a\"", "null", "{\"sub\":", "{\"exp\":1e999}",
        "{\"s\":\"\xff\xfe\"}"}) {
    EXPECT_THAT(VerifyToken(Sign(kHs256Header, payload), kKey, kNow),
                IsUnauthenticated(kReasonTokenMalformed))
        << payload;
  }
}

// Two readers that resolve a duplicate differently would disagree about who
// the caller is; the parser refuses duplicates outright.
TEST(VerifyTokenTest, DuplicateClaimIsMalformed) {
  EXPECT_THAT(
      VerifyToken(Sign(kHs256Header, Claims(R"(,"role":"press")")), kKey, kNow),
      IsUnauthenticated(kReasonTokenMalformed));
}

TEST(VerifyTokenTest, OversizeTokenIsRejected) {
  // A correctly signed token of exactly kMaxTokenBytes is fine; one byte
  // more is refused before anything else is looked at.
  auto token_with_filler = [](std::size_t filler) {
    return Sign(
        kHs256Header,
        Claims(absl::StrCat(R"(,"f":")", std::string(filler, 'x'), "\"")));
  };
  std::size_t filler = 0;
  while (token_with_filler(filler + 1).size() <= kMaxTokenBytes) ++filler;
  // Base64 grows in steps; find the longest token that still fits.
  const std::string at_limit = token_with_filler(filler);
  ASSERT_LE(at_limit.size(), kMaxTokenBytes);
  ASSERT_GT(at_limit.size(), kMaxTokenBytes - 4);
  EXPECT_TRUE(VerifyToken(at_limit, kKey, kNow).ok());
  const std::string over = token_with_filler(filler + 1);
  ASSERT_GT(over.size(), kMaxTokenBytes);
  EXPECT_THAT(VerifyToken(over, kKey, kNow),
              IsUnauthenticated(kReasonTokenMalformed));
  EXPECT_THAT(VerifyToken(std::string(1 << 20, 'A'), kKey, kNow),
              IsUnauthenticated(kReasonTokenMalformed));
}

// --- Claims
// --------------------------------------------------------------------

TEST(VerifyTokenTest, RoleMustBeKnown) {
  const std::string exp = absl::StrCat(absl::ToUnixSeconds(kNow) + 60);
  for (const std::string& role_claim :
       {std::string(R"("role":"admin",)"),
        std::string(R"("role":"Organizer",)"), std::string(R"("role":"",)"),
        std::string(R"("role":1,)"), std::string(R"("role":["organizer"],)"),
        std::string()}) {
    const std::string claims = absl::StrCat(R"({"sub":"people/a",)", role_claim,
                                            R"("exp":)", exp, "}");
    EXPECT_THAT(VerifyToken(Sign(kHs256Header, claims), kKey, kNow),
                IsUnauthenticated(kReasonTokenInvalidClaims))
        << claims;
  }
}

TEST(VerifyTokenTest, SubjectMustFitTheRole) {
  const std::string exp = absl::StrCat(absl::ToUnixSeconds(kNow) + 60);
  struct Case {
    std::string role;
    std::string sub_claim;  // "" for none
  };
  const std::vector<Case> bad = {
      {"organizer", ""},
      {"press", ""},
      {"delegate", ""},
      {"service", ""},
      {"organizer", R"("sub":"",)"},
      {"organizer", R"("sub":"services/registry",)"},
      {"service", R"("sub":"people/jane-doe",)"},
      {"public", R"("sub":"services/registry",)"},
      {"organizer", R"("sub":"jane-doe",)"},
      {"organizer", R"("sub":"people/",)"},
      {"organizer", R"("sub":"people/a/b",)"},
      {"organizer", R"("sub":"people/a b",)"},
      {"organizer", R"("sub":"people/..",)"},
      {"organizer", R"("sub":"people/-a",)"},
      {"organizer", R"("sub":"people/a\n",)"},
      {"organizer", R"("sub":"people/\u00e9",)"},
      {"organizer", R"("sub":"People/a",)"},
      {"organizer",
       absl::StrCat(R"("sub":"people/)", std::string(129, 'a'), R"(",)")},
      {"organizer", R"("sub":42,)"},
      {"organizer", R"("sub":null,)"},
  };
  for (const Case& c : bad) {
    const std::string claims = absl::StrCat("{", c.sub_claim, R"("role":")",
                                            c.role, R"(","exp":)", exp, "}");
    EXPECT_THAT(VerifyToken(Sign(kHs256Header, claims), kKey, kNow),
                IsUnauthenticated(kReasonTokenInvalidClaims))
        << claims;
  }
  // The longest id, and the characters an id may use.
  const std::string good =
      absl::StrCat(R"({"sub":"people/)", std::string(128, 'a'),
                   R"(","role":"delegate","exp":)", exp, "}");
  EXPECT_TRUE(VerifyToken(Sign(kHs256Header, good), kKey, kNow).ok());
  const std::string mixed = absl::StrCat(
      R"({"sub":"people/Jane_Doe-2.0","role":"delegate","exp":)", exp, "}");
  EXPECT_TRUE(VerifyToken(Sign(kHs256Header, mixed), kKey, kNow).ok());
}

TEST(VerifyTokenTest, AudienceRestrictedTokenIsRejected) {
  EXPECT_THAT(VerifyToken(Sign(kHs256Header, Claims(R"(,"aud":"elsewhere")")),
                          kKey, kNow),
              IsUnauthenticated(kReasonTokenInvalidClaims));
}

// Messages go to clients and logs; they must not carry the claims back.
TEST(VerifyTokenTest, MessagesDoNotEchoTheToken) {
  const std::string claims =
      absl::StrCat(R"({"sub":"people/secret-name","role":"sekret-role","exp":)",
                   absl::ToUnixSeconds(kNow) + 60, "}");
  const std::string token = Sign(kHs256Header, claims);
  absl::StatusOr<Principal> p = VerifyToken(token, kKey, kNow);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), Not(HasSubstr("secret-name")));
  EXPECT_THAT(p.status().message(), Not(HasSubstr("sekret-role")));
  EXPECT_THAT(p.status().message(), Not(HasSubstr(token.substr(0, 20))));
}

// --- ValidateForToken and MintToken
// -------------------------------------------

TEST(ValidateForTokenTest, AcceptsWhatVerifyAccepts) {
  EXPECT_TRUE(ValidateForToken({"people/jane-doe", Role::kOrganizer}).ok());
  EXPECT_TRUE(ValidateForToken({"services/scheduling", Role::kService}).ok());
  EXPECT_TRUE(ValidateForToken(Principal::Public()).ok());
  EXPECT_EQ(ValidateForToken({"", Role::kOrganizer}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateForToken({"people/jane-doe", Role::kService}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateForToken({"services/x", Role::kPress}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MintTokenTest, HeaderAndClaimsAreAsDocumented) {
  const std::string token =
      MintToken({"services/registry", Role::kService}, absl::Minutes(10), kKey,
                kNow + absl::Milliseconds(999));
  std::vector<std::string> p = Segments(token);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], Base64Url(kHs256Header));
  EXPECT_EQ(p[1], Base64Url(absl::StrCat(
                      R"({"sub":"services/registry","role":"service","iat":)",
                      absl::ToUnixSeconds(kNow), R"(,"exp":)",
                      absl::ToUnixSeconds(kNow + absl::Minutes(10)), "}")));
  EXPECT_EQ(p[2], Base64Url(Hmac(kKey, absl::StrCat(p[0], ".", p[1]))));
}

TEST(MintTokenTest, PublicWithoutSubjectOmitsSub) {
  const std::string token =
      MintToken(Principal::Public(), absl::Minutes(1), kKey, kNow);
  EXPECT_EQ(Segments(token)[1],
            Base64Url(absl::StrCat(R"({"role":"public","iat":)",
                                   absl::ToUnixSeconds(kNow), R"(,"exp":)",
                                   absl::ToUnixSeconds(kNow) + 60, "}")));
}

TEST(MintTokenDeathTest, RefusesProgrammingErrors) {
  EXPECT_DEATH(MintToken({"people/a", Role::kPress}, absl::Hours(1), "", kNow),
               "empty key");
  EXPECT_DEATH(MintToken({"", Role::kOrganizer}, absl::Hours(1), kKey, kNow),
               "people/\\{id\\}");
}

}  // namespace
}  // namespace summit::auth
