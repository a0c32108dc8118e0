// Authenticate(const grpc::ServerContextBase&) is not tested here: a real
// server context cannot be built in a unit test. It only looks up the
// `authorization` metadata and calls AuthenticateHeader, which holds every
// rule and is tested below; the integration tests in tests/ cover the
// wrapper against running servers (including a repeated header).
#include "common/auth/authenticator.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "common/status/error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::auth {
namespace {

using ::testing::HasSubstr;

constexpr absl::string_view kKey = "summit-unit-test-key-32-bytes-ok";

MATCHER_P(IsUnauthenticated, reason, "") {
  if (arg.ok()) {
    *result_listener << "which is OK";
    return false;
  }
  *result_listener << "which is " << arg.status();
  return arg.status().code() == absl::StatusCode::kUnauthenticated &&
         summit::ReasonOf(arg.status()) == std::string(reason);
}

const Principal kOrganizer{"people/jane-doe", Role::kOrganizer};

std::string FreshToken(const Principal& p = kOrganizer,
                       absl::string_view key = kKey) {
  return MintToken(p, absl::Hours(1), key, absl::Now());
}

// HS256 over `signing_input` with kKey, base64url: for tokens MintToken
// cannot write.
std::string SignForTest(absl::string_view signing_input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &length);
  return absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<char*>(mac), length));
}

// --- AuthenticateHeader ------------------------------------------------------

TEST(AuthenticateHeaderTest, NoTokenIsPublic) {
  const Authenticator auth{std::string(kKey)};
  for (const char* value : {"", " ", "   "}) {
    absl::StatusOr<Principal> p = auth.AuthenticateHeader(value);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(*p, Principal::Public());
  }
}

TEST(AuthenticateHeaderTest, BearerTokenGivesItsPrincipal) {
  const Authenticator auth{std::string(kKey)};
  absl::StatusOr<Principal> p =
      auth.AuthenticateHeader(absl::StrCat("Bearer ", FreshToken()));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, kOrganizer);

  const Principal service{"services/scheduling", Role::kService};
  p = auth.AuthenticateHeader(absl::StrCat("Bearer ", FreshToken(service)));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, service);
}

TEST(AuthenticateHeaderTest, SchemeIsCaseInsensitiveAndSpacingTolerated) {
  const Authenticator auth{std::string(kKey)};
  const std::string token = FreshToken();
  for (const std::string& value :
       {absl::StrCat("bearer ", token), absl::StrCat("BEARER ", token),
        absl::StrCat("bEaReR ", token), absl::StrCat("Bearer   ", token),
        absl::StrCat("  Bearer ", token, "  ")}) {
    absl::StatusOr<Principal> p = auth.AuthenticateHeader(value);
    ASSERT_TRUE(p.ok()) << value << ": " << p.status();
    EXPECT_EQ(*p, kOrganizer);
  }
}

TEST(AuthenticateHeaderTest, OtherSchemesAreUnauthenticated) {
  const Authenticator auth{std::string(kKey)};
  const std::string token = FreshToken();
  for (const std::string& value :
       {std::string("Basic xyz"), std::string("Basic dXNlcjpwYXNz"),
        absl::StrCat("Token ", token), absl::StrCat("Bearer-", token),
        absl::StrCat("Bearer:", token), token /* no scheme at all */}) {
    EXPECT_THAT(auth.AuthenticateHeader(value),
                IsUnauthenticated(kReasonAuthSchemeUnsupported))
        << value;
  }
}

// A client that tried to authenticate and failed must hear about it rather
// than be served quietly as the public.
TEST(AuthenticateHeaderTest, BearerWithoutTokenIsUnauthenticated) {
  const Authenticator auth{std::string(kKey)};
  for (const char* value : {"Bearer", "Bearer ", "bearer   "}) {
    EXPECT_THAT(auth.AuthenticateHeader(value),
                IsUnauthenticated(kReasonTokenMalformed))
        << value;
  }
}

// What the token check accepts travels on to other services byte for byte, and gRPC aborts a
// process that starts a call with a byte it would not send: a tab, a line break, UTF-8, 0xFF
// anywhere in the header is refused, even around a valid token.
TEST(AuthenticateHeaderTest, BytesThatCannotTravelOnAreUnauthenticated) {
  const Authenticator auth{std::string(kKey)};
  const std::string token = FreshToken();
  for (const std::string& value :
       {absl::StrCat("Bearer\t", token), absl::StrCat("Bearer ", token, "\r\n"),
        absl::StrCat("Bearer ", token, "\t"), std::string("\t \r\n"), std::string("Bearer\tzzz"),
        std::string("Bearer \xc3\xa9t\xc3\xa9"), std::string("Bearer \xff\xfe"), std::string("a\tb"),
        absl::StrCat("Bearer ", token, std::string(1, '\0')), std::string("Bearer \x7f")}) {
    EXPECT_THAT(auth.AuthenticateHeader(value), IsUnauthenticated(kReasonAuthHeaderMalformed))
        << absl::CEscape(value);
  }
}

TEST(AuthenticateHeaderTest, BadTokensAreUnauthenticatedNeverPublic) {
  const Authenticator auth{std::string(kKey)};
  EXPECT_THAT(auth.AuthenticateHeader("Bearer not-a-jwt"),
              IsUnauthenticated(kReasonTokenMalformed));
  EXPECT_THAT(auth.AuthenticateHeader(
                  absl::StrCat("Bearer ", FreshToken(kOrganizer, "x"))),
              IsUnauthenticated(kReasonTokenBadSignature));
  const std::string expired =
      MintToken(kOrganizer, absl::Hours(1), kKey, absl::Now() - absl::Hours(2));
  EXPECT_THAT(auth.AuthenticateHeader(absl::StrCat("Bearer ", expired)),
              IsUnauthenticated(kReasonTokenExpired));
  // Two tokens in one header.
  EXPECT_THAT(auth.AuthenticateHeader(
                  absl::StrCat("Bearer ", FreshToken(), " ", FreshToken())),
              IsUnauthenticated(kReasonTokenMalformed));
}

TEST(AuthenticateHeaderTest, OversizeTokenIsRejected) {
  const Authenticator auth{std::string(kKey)};
  EXPECT_THAT(auth.AuthenticateHeader(absl::StrCat(
                  "Bearer ", std::string(kMaxTokenBytes + 1, 'a'))),
              IsUnauthenticated(kReasonTokenMalformed));
}

TEST(AuthenticateHeaderTest, ConcurrentCallsAgree) {
  const Authenticator auth{std::string(kKey)};
  const std::string good = absl::StrCat("Bearer ", FreshToken());
  const std::string bad = absl::StrCat("Bearer ", FreshToken(kOrganizer, "x"));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        absl::StatusOr<Principal> ok = auth.AuthenticateHeader(good);
        absl::StatusOr<Principal> no = auth.AuthenticateHeader(bad);
        if (!ok.ok() || *ok != kOrganizer || no.ok()) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// --- Remembered tokens: the same answers as verifying every time
// ---------------------------------------------

const absl::Time kClock = absl::FromUnixSeconds(1701864000);  // 2023-12-06 12:00Z

TEST(RememberedTokenTest, ExpiresAtExactlyExpThoughRemembered) {
  const Authenticator auth{std::string(kKey)};
  const std::string bearer =
      absl::StrCat("Bearer ", MintToken(kOrganizer, absl::Hours(1), kKey, kClock));
  for (int i = 0; i < 3; ++i) {  // the first verifies, the others are remembered
    absl::StatusOr<Principal> p = auth.AuthenticateHeader(bearer, kClock + absl::Minutes(i));
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(*p, kOrganizer);
  }
  EXPECT_TRUE(auth.AuthenticateHeader(bearer, kClock + absl::Hours(1) - absl::Nanoseconds(1)).ok());
  EXPECT_THAT(auth.AuthenticateHeader(bearer, kClock + absl::Hours(1)),
              IsUnauthenticated(kReasonTokenExpired));
}

TEST(RememberedTokenTest, NotYetValidStaysRefusedBeforeNbf) {
  const Authenticator auth{std::string(kKey)};
  // Signed by hand: MintToken writes no nbf.
  const std::string header = absl::WebSafeBase64Escape(R"({"alg":"HS256"})");
  const absl::Time nbf = kClock + absl::Minutes(10);
  const std::string claims = absl::WebSafeBase64Escape(absl::StrCat(
      R"({"sub":"people/jane-doe","role":"organizer","nbf":)", absl::ToUnixSeconds(nbf),
      R"(,"exp":)", absl::ToUnixSeconds(kClock + absl::Hours(1)), "}"));
  const std::string unsigned_token = absl::StrCat(header, ".", claims);
  const std::string token = absl::StrCat(unsigned_token, ".", SignForTest(unsigned_token));
  const std::string bearer = absl::StrCat("Bearer ", token);
  EXPECT_THAT(auth.AuthenticateHeader(bearer, kClock), IsUnauthenticated(kReasonTokenNotYetValid));
  // Accepted (and remembered) from nbf less the leeway on.
  EXPECT_TRUE(auth.AuthenticateHeader(bearer, nbf - kClockSkewLeeway).ok());
  EXPECT_TRUE(auth.AuthenticateHeader(bearer, nbf).ok());
  // An earlier "now" (another thread's, a clock stepped back) is refused again.
  EXPECT_THAT(auth.AuthenticateHeader(bearer, nbf - kClockSkewLeeway - absl::Seconds(1)),
              IsUnauthenticated(kReasonTokenNotYetValid));
}

TEST(RememberedTokenTest, RefusalsAreNotRemembered) {
  const Authenticator auth{std::string(kKey)};
  const std::string forged =
      absl::StrCat("Bearer ", MintToken(kOrganizer, absl::Hours(1), "another-key", kClock));
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(auth.AuthenticateHeader(forged, kClock), IsUnauthenticated(kReasonTokenBadSignature));
  }
}

// The cache belongs to the key: an Authenticator with another key (a key
// rotated after a leak) refuses a token the old one remembered.
TEST(RememberedTokenTest, ANewKeyStartsWithNothingRemembered) {
  const std::string bearer =
      absl::StrCat("Bearer ", MintToken(kOrganizer, absl::Hours(1), kKey, kClock));
  const Authenticator old_key{std::string(kKey)};
  ASSERT_TRUE(old_key.AuthenticateHeader(bearer, kClock).ok());
  const Authenticator new_key{std::string("a-new-key-of-32-bytes-0123456789")};
  EXPECT_THAT(new_key.AuthenticateHeader(bearer, kClock),
              IsUnauthenticated(kReasonTokenBadSignature));
  // Copies share the key and what it remembers.
  const Authenticator copy = old_key;
  EXPECT_TRUE(copy.AuthenticateHeader(bearer, kClock).ok());
}

TEST(RememberedTokenTest, TokensOfDifferentCallersStayApart) {
  const Authenticator auth{std::string(kKey)};
  std::vector<Principal> callers;
  for (int i = 0; i < 50; ++i) {
    callers.push_back({absl::StrCat("people/p", i), i % 2 == 0 ? Role::kPress : Role::kDelegate});
  }
  for (int round = 0; round < 2; ++round) {  // the second round is served from the cache
    for (const Principal& caller : callers) {
      absl::StatusOr<Principal> p = auth.AuthenticateHeader(
          absl::StrCat("Bearer ", MintToken(caller, absl::Hours(1), kKey, kClock)), kClock);
      ASSERT_TRUE(p.ok()) << p.status();
      EXPECT_EQ(*p, caller);
    }
  }
}

// --- Without a key
// -------------------------------------------------------------

TEST(WithoutKeyTest, NoTokenIsStillPublic) {
  const Authenticator auth = Authenticator::WithoutKey();
  EXPECT_FALSE(auth.has_key());
  absl::StatusOr<Principal> p = auth.AuthenticateHeader("");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, Principal::Public());
}

TEST(WithoutKeyTest, EveryTokenIsRefused) {
  for (const Authenticator& auth :
       {Authenticator::WithoutKey(), Authenticator(std::string())}) {
    EXPECT_THAT(auth.AuthenticateHeader(absl::StrCat("Bearer ", FreshToken())),
                IsUnauthenticated(kReasonAuthNotConfigured));
    EXPECT_THAT(auth.AuthenticateHeader("Bearer anything"),
                IsUnauthenticated(kReasonAuthNotConfigured));
  }
}

// --- FromKeyFile -------------------------------------------------------------

class FromKeyFileTest : public ::testing::Test {
 protected:
  std::string Write(absl::string_view name, absl::string_view bytes) {
    const std::string path =
        absl::StrCat(::testing::TempDir(), "/auth_key_", getpid(), "_", name);
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    written_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const std::string& path : written_) unlink(path.c_str());
  }

 private:
  std::vector<std::string> written_;
};

TEST_F(FromKeyFileTest, ReadsTheKeyBytes) {
  absl::StatusOr<Authenticator> auth =
      Authenticator::FromKeyFile(Write("good", kKey));
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_TRUE(auth->has_key());
  absl::StatusOr<Principal> p =
      auth->AuthenticateHeader(absl::StrCat("Bearer ", FreshToken()));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, kOrganizer);
}

// The file's bytes are the key as they are: a trailing newline is part of
// it, so tokens minted from the trimmed text do not verify.
TEST_F(FromKeyFileTest, BytesAreNotTrimmed) {
  const std::string with_newline = absl::StrCat(kKey, "\n");
  absl::StatusOr<Authenticator> auth =
      Authenticator::FromKeyFile(Write("newline", with_newline));
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_TRUE(
      auth->AuthenticateHeader(
              absl::StrCat("Bearer ", FreshToken(kOrganizer, with_newline)))
          .ok());
  EXPECT_THAT(auth->AuthenticateHeader(absl::StrCat("Bearer ", FreshToken())),
              IsUnauthenticated(kReasonTokenBadSignature));
}

TEST_F(FromKeyFileTest, BinaryKeyWithNulBytesWorks) {
  std::string key(40, '\0');
  for (std::size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<char>(i * 7);
  absl::StatusOr<Authenticator> auth =
      Authenticator::FromKeyFile(Write("bin", key));
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_TRUE(auth->AuthenticateHeader(
                      absl::StrCat("Bearer ", FreshToken(kOrganizer, key)))
                  .ok());
  // Only the bytes before the first NUL would be a different key.
  EXPECT_THAT(auth->AuthenticateHeader(absl::StrCat(
                  "Bearer ", FreshToken(kOrganizer, key.substr(1)))),
              IsUnauthenticated(kReasonTokenBadSignature));
}

TEST_F(FromKeyFileTest, MissingFileIsNotFound) {
  absl::StatusOr<Authenticator> auth = Authenticator::FromKeyFile(
      absl::StrCat(::testing::TempDir(), "/no/such/auth.key"));
  EXPECT_EQ(auth.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(auth.status().message(), HasSubstr("no/such/auth.key"));
}

TEST_F(FromKeyFileTest, EmptyFileIsAnError) {
  absl::StatusOr<Authenticator> auth =
      Authenticator::FromKeyFile(Write("empty", ""));
  EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(auth.status().message(), HasSubstr("empty"));
}

TEST_F(FromKeyFileTest, ShortKeyIsAnError) {
  absl::StatusOr<Authenticator> auth = Authenticator::FromKeyFile(
      Write("short", kKey.substr(0, kMinKeyBytes - 1)));
  EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(auth.status().message(), HasSubstr("at least 32"));
  EXPECT_TRUE(
      Authenticator::FromKeyFile(Write("exact", kKey.substr(0, kMinKeyBytes)))
          .ok());
}

TEST_F(FromKeyFileTest, HugeFileIsAnError) {
  EXPECT_TRUE(Authenticator::FromKeyFile(
                  Write("max", std::string(kMaxKeyFileBytes, 'k')))
                  .ok());
  absl::StatusOr<Authenticator> auth = Authenticator::FromKeyFile(
      Write("huge", std::string(kMaxKeyFileBytes + 1, 'k')));
  EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FromKeyFileTest, DirectoryIsAnError) {
  absl::StatusOr<Authenticator> auth =
      Authenticator::FromKeyFile(::testing::TempDir());
  EXPECT_FALSE(auth.ok());
}

}  // namespace
}  // namespace summit::auth
