#include "common/auth/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/token_json.h"
#include "common/status/error.h"
#include "common/text/json_quote.h"

namespace summit::auth {
namespace {

// The members each check reads; the others are checked for well-formedness
// and skipped.
constexpr absl::string_view kHeaderFields[] = {"alg", "typ", "crit"};
constexpr absl::string_view kClaimFields[] = {"exp", "nbf", "iat", "aud", "role", "sub"};

constexpr std::size_t kSignatureBytes = 32;  // SHA-256 output
constexpr std::size_t kMaxIdBytes = 128;

absl::Status Unauthenticated(absl::string_view reason,
                             absl::string_view message) {
  return summit::ErrorWithReason(absl::StatusCode::kUnauthenticated, reason,
                                 message);
}

absl::Status Malformed(absl::string_view message) {
  return Unauthenticated(kReasonTokenMalformed, message);
}

absl::Status InvalidClaims(absl::string_view message) {
  return Unauthenticated(kReasonTokenInvalidClaims, message);
}

// The value of one base64url character, or -1.
int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Strict base64url without padding (RFC 7515 section 2). absl's decoder is
// lenient (padding, whitespace), and each leniency is another spelling of
// the same token; here every byte string has exactly one accepted encoding:
// no '=', no other alphabet, no impossible length, no stray bits left set in
// the last character.
std::optional<std::string> DecodeBase64Url(absl::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Base64UrlValue(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // Leftover bits (2 or 4) must be zero in a canonical encoding.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string EncodeBase64Url(absl::string_view in) {
  return absl::WebSafeBase64Escape(in);  // RFC 4648 section 5, no padding
}

// HMAC-SHA256 of `data` under `key`; empty on failure (never expected).
std::string HmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (key.size() > static_cast<std::size_t>(INT_MAX)) return "";
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           mac, &mac_len) == nullptr) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

// Decodes one segment and reads it as a JSON object, keeping `fields`. The
// reader (token_json.h) refuses non-objects at the root, trailing bytes,
// invalid UTF-8 and duplicate names (so a claim cannot be given twice with a
// different value for a different reader), and bounds nesting depth.
std::optional<TokenJsonObject> DecodeJsonObject(absl::string_view segment,
                                                absl::Span<const absl::string_view> fields) {
  std::optional<std::string> json = DecodeBase64Url(segment);
  if (!json.has_value()) return std::nullopt;
  return TokenJsonObject::Parse(*json, fields);
}

bool IsIdChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.';
}

// True when `subject` is `prefix` followed by a well-formed {id}.
bool HasIdAfter(absl::string_view subject, absl::string_view prefix) {
  if (!absl::ConsumePrefix(&subject, prefix)) return false;
  if (subject.empty() || subject.size() > kMaxIdBytes) return false;
  if (!absl::ascii_isalnum(static_cast<unsigned char>(subject.front()))) {
    return false;
  }
  for (char c : subject) {
    if (!IsIdChar(c)) return false;
  }
  return true;
}

// Why `principal` cannot be carried by a token, or nullopt when it can.
// The text names no subject, so it is safe to return for hostile tokens.
std::optional<std::string> PrincipalProblem(const Principal& principal) {
  switch (principal.role) {
    case Role::kPublic:
      if (principal.subject.empty() ||
          HasIdAfter(principal.subject, "people/")) {
        return std::nullopt;
      }
      return "the subject of a public token must be empty or people/{id}";
    case Role::kPress:
    case Role::kDelegate:
    case Role::kOrganizer:
      if (HasIdAfter(principal.subject, "people/")) return std::nullopt;
      return absl::StrCat("role ", RoleName(principal.role),
                          " needs a subject people/{id}");
    case Role::kService:
      if (HasIdAfter(principal.subject, "services/")) return std::nullopt;
      return "role service needs a subject services/{id}";
  }
  return "unknown role";
}

// A NumericDate claim (RFC 7519 section 2): seconds since the epoch, possibly
// fractional. `claim` absent gives nullopt in `*out`; present but not a
// number is an error. JSON cannot spell NaN or infinity and the parser
// rejects numbers beyond double, so any number here is finite.
absl::Status ReadNumericDate(const TokenJsonObject& claims, absl::string_view claim,
                             std::optional<absl::Time>* out) {
  *out = std::nullopt;
  const TokenJsonValue* value = claims.Find(claim);
  if (value == nullptr) return absl::OkStatus();
  if (value->type != TokenJsonValue::Type::kNumber) {
    return InvalidClaims(
        absl::StrCat("claim ", claim, " must be a number of seconds"));
  }
  // absl::Seconds saturates to +-infinity for absurd values, so they still
  // compare sensibly. (A far-future exp needs the key to sign; that is the
  // key holder's choice, not an attack.)
  *out = absl::UnixEpoch() + absl::Seconds(value->number_value);
  return absl::OkStatus();
}

std::string FormatInstant(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
}

bool IsString(const TokenJsonValue* value) {
  return value != nullptr && value->type == TokenJsonValue::Type::kString;
}

absl::Status CheckHeader(const TokenJsonObject& header) {
  const TokenJsonValue* alg = header.Find("alg");
  if (!IsString(alg)) {
    return Malformed("token header has no alg");
  }
  // Exact match: "none", "hs256", "HS512", "RS256" are all refused, so a
  // token can never pick a weaker or differently keyed algorithm.
  if (alg->string_value != "HS256") {
    return Unauthenticated(kReasonTokenUnsupportedAlgorithm,
                           "token algorithm must be HS256");
  }
  const TokenJsonValue* typ = header.Find("typ");
  if (typ != nullptr && (!IsString(typ) || !absl::EqualsIgnoreCase(typ->string_value, "JWT"))) {
    return Malformed("token type must be JWT when given");
  }
  // RFC 7515 section 4.1.11: extensions marked critical that we do not
  // understand (we understand none) make the token invalid.
  if (header.Find("crit") != nullptr) {
    return Malformed("token header uses critical extensions");
  }
  return absl::OkStatus();
}

absl::StatusOr<VerifiedToken> ReadClaims(const TokenJsonObject& claims, absl::Time now) {
  std::optional<absl::Time> exp;
  std::optional<absl::Time> nbf;
  std::optional<absl::Time> iat;
  if (absl::Status s = ReadNumericDate(claims, "exp", &exp); !s.ok()) return s;
  if (absl::Status s = ReadNumericDate(claims, "nbf", &nbf); !s.ok()) return s;
  if (absl::Status s = ReadNumericDate(claims, "iat", &iat); !s.ok()) return s;

  // A token without exp would be good forever if leaked.
  if (!exp.has_value()) return InvalidClaims("token has no exp claim");
  if (now >= *exp) {
    return Unauthenticated(
        kReasonTokenExpired,
        absl::StrCat("token expired at ", FormatInstant(*exp)));
  }
  if (nbf.has_value() && now + kClockSkewLeeway < *nbf) {
    return Unauthenticated(
        kReasonTokenNotYetValid,
        absl::StrCat("token is not valid before ", FormatInstant(*nbf)));
  }
  if (iat.has_value() && now + kClockSkewLeeway < *iat) {
    return InvalidClaims("token was issued in the future");
  }
  if (claims.Find("aud") != nullptr) {
    return InvalidClaims("token is meant for another audience");
  }

  const TokenJsonValue* role_value = claims.Find("role");
  if (!IsString(role_value)) return InvalidClaims("token has no role claim");
  std::optional<Role> role = RoleFromString(role_value->string_value);
  if (!role.has_value()) return InvalidClaims("token has an unknown role");

  Principal principal;
  principal.role = *role;
  if (const TokenJsonValue* sub = claims.Find("sub"); sub != nullptr) {
    if (!IsString(sub)) return InvalidClaims("claim sub must be a string");
    principal.subject = sub->string_value;
  }
  if (std::optional<std::string> problem = PrincipalProblem(principal)) {
    return InvalidClaims(absl::StrCat("token claims: ", *problem));
  }
  // The checks above that depend on `now` are exactly these bounds; the
  // others depend on the token alone.
  absl::Time accepted_from = absl::InfinitePast();
  if (nbf.has_value()) accepted_from = std::max(accepted_from, *nbf - kClockSkewLeeway);
  if (iat.has_value()) accepted_from = std::max(accepted_from, *iat - kClockSkewLeeway);
  return VerifiedToken{std::move(principal), accepted_from, *exp};
}

}  // namespace

absl::Status CheckTokenLength(absl::string_view token) {
  if (token.size() <= kMaxTokenBytes) return absl::OkStatus();
  return Malformed(
      absl::StrCat("token is longer than ", kMaxTokenBytes, " bytes"));
}

absl::StatusOr<Principal> VerifyToken(absl::string_view token,
                                      absl::string_view key, absl::Time now) {
  absl::StatusOr<VerifiedToken> verified = VerifyTokenWithLifetime(token, key, now);
  if (!verified.ok()) return verified.status();
  return std::move(verified->principal);
}

absl::StatusOr<VerifiedToken> VerifyTokenWithLifetime(absl::string_view token,
                                                      absl::string_view key, absl::Time now) {
  if (key.empty()) {
    return Unauthenticated(
        kReasonAuthNotConfigured,
        "this server has no token key; it accepts no tokens");
  }
  if (absl::Status length = CheckTokenLength(token); !length.ok()) return length;
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) {
    return Malformed("token must be three base64url segments separated by '.'");
  }
  std::optional<TokenJsonObject> header = DecodeJsonObject(parts[0], kHeaderFields);
  if (!header.has_value()) {
    return Malformed("token header is not a base64url-encoded JSON object");
  }
  if (absl::Status s = CheckHeader(*header); !s.ok()) return s;

  // The signature covers the encoded header and payload exactly as sent.
  std::optional<std::string> signature = DecodeBase64Url(parts[2]);
  if (!signature.has_value()) {
    return Malformed("token signature is not base64url");
  }
  const absl::string_view signing_input =
      token.substr(0, parts[0].size() + 1 + parts[1].size());
  const std::string expected = HmacSha256(key, signing_input);
  // The length is public (it is fixed by the algorithm); the bytes are
  // compared in constant time so timing reveals nothing about the MAC.
  if (expected.size() != kSignatureBytes ||
      signature->size() != kSignatureBytes ||
      CRYPTO_memcmp(expected.data(), signature->data(), kSignatureBytes) != 0) {
    return Unauthenticated(kReasonTokenBadSignature,
                           "token signature does not match");
  }

  std::optional<TokenJsonObject> claims = DecodeJsonObject(parts[1], kClaimFields);
  if (!claims.has_value()) {
    return Malformed("token payload is not a base64url-encoded JSON object");
  }
  return ReadClaims(*claims, now);
}

absl::Status ValidateForToken(const Principal& principal) {
  if (std::optional<std::string> problem = PrincipalProblem(principal)) {
    return absl::InvalidArgumentError(*problem);
  }
  return absl::OkStatus();
}

std::string MintToken(const Principal& principal, absl::Duration lifetime,
                      absl::string_view key, absl::Time now) {
  if (key.empty()) {
    std::fprintf(stderr, "summit::auth::MintToken: empty key\n");
    std::abort();
  }
  if (std::optional<std::string> problem = PrincipalProblem(principal)) {
    std::fprintf(stderr, "summit::auth::MintToken: %s\n", problem->c_str());
    std::abort();
  }
  std::string payload = "{";
  if (!principal.subject.empty()) {
    absl::StrAppend(&payload, "\"sub\":", text::JsonQuote(principal.subject), ",");
  }
  absl::StrAppend(&payload, "\"role\":", text::JsonQuote(RoleName(principal.role)),
                  ",\"iat\":", absl::ToUnixSeconds(now),
                  ",\"exp\":", absl::ToUnixSeconds(now + lifetime), "}");
  std::string token =
      absl::StrCat(EncodeBase64Url(R"({"alg":"HS256","typ":"JWT"})"), ".",
                   EncodeBase64Url(payload));
  absl::StrAppend(&token, ".", EncodeBase64Url(HmacSha256(key, token)));
  return token;
}

}  // namespace summit::auth
