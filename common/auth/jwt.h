// Summit's bearer tokens: compact JWTs (RFC 7519) signed with HS256
// (HMAC-SHA256) over the raw bytes of the shared key file.
//
// Claims: `sub` ("people/{person}" or "services/{name}"), `role` ("public",
// "press", "delegate", "organizer", "service") and `exp` (required), plus
// the optional `nbf` and `iat`. The header must say `"alg":"HS256"`.
//
//   // summitctl, a service calling another, a test:
//   std::string token = auth::MintToken(
//       {"people/jane-doe", auth::Role::kOrganizer}, absl::Hours(12), key,
//       absl::Now());
//   // A server (usually through Authenticator, which reads the header):
//   absl::StatusOr<auth::Principal> caller =
//       auth::VerifyToken(token, key, absl::Now());
//
// Every failure is UNAUTHENTICATED with a google.rpc.ErrorInfo reason from
// the list below, so clients can tell "log in again" (TOKEN_EXPIRED) from
// "this is not a Summit token". Messages never echo the token or its claims
// back: they end up in logs.
//
// Verification order is chosen so hostile input costs little: length bound,
// shape, header (algorithm), signature, and only then the payload, so the
// JSON parser never sees unauthenticated claims.
//
// The functions are pure and thread-safe.
#ifndef SUMMIT_COMMON_AUTH_JWT_H_
#define SUMMIT_COMMON_AUTH_JWT_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace summit::auth {

// ErrorInfo reasons of the UNAUTHENTICATED errors VerifyToken returns.
// Not three dot-separated base64url segments of valid JSON objects, bad
// header fields, or longer than kMaxTokenBytes.
inline constexpr absl::string_view kReasonTokenMalformed = "TOKEN_MALFORMED";
// `alg` is anything but "HS256" (including "none").
inline constexpr absl::string_view kReasonTokenUnsupportedAlgorithm =
    "TOKEN_UNSUPPORTED_ALGORITHM";
// The signature does not match: tampered, or signed with another key.
inline constexpr absl::string_view kReasonTokenBadSignature =
    "TOKEN_BAD_SIGNATURE";
// `exp` has passed.
inline constexpr absl::string_view kReasonTokenExpired = "TOKEN_EXPIRED";
// `nbf` is still in the future (beyond kClockSkewLeeway).
inline constexpr absl::string_view kReasonTokenNotYetValid =
    "TOKEN_NOT_YET_VALID";
// Correctly signed, but the claims are missing, of the wrong type or do not
// describe a Summit principal (unknown role, badly formed subject, ...).
inline constexpr absl::string_view kReasonTokenInvalidClaims =
    "TOKEN_INVALID_CLAIMS";
// There is no key to check a token against (see Authenticator::WithoutKey).
inline constexpr absl::string_view kReasonAuthNotConfigured =
    "AUTH_NOT_CONFIGURED";

// Longer tokens are rejected before any decoding or hashing. Ours are about
// 200 bytes. A token must also fit gRPC's default metadata limit (8 KiB for
// all of a call's headers, which refuses a call with RESOURCE_EXHAUSTED
// before any Summit code sees it), with the other headers beside it: half
// of it leaves them room.
inline constexpr std::size_t kMaxTokenBytes = 4 * 1024;

// OK when `token` is no longer than kMaxTokenBytes, else the
// UNAUTHENTICATED (TOKEN_MALFORMED) VerifyToken answers it with: what a
// proxy that forwards tokens without verifying them answers instead.
absl::Status CheckTokenLength(absl::string_view token);

// How far in the future `nbf` and `iat` may lie and still be accepted: the
// clocks of the minting and the verifying machine disagree a little, and a
// token minted a moment ago must not be refused for it. `exp` gets no
// leeway: skew can then only shorten a token's life (the client retries
// with a fresh one), never stretch it.
inline constexpr absl::Duration kClockSkewLeeway = absl::Seconds(30);

// Checks `token` (the bare JWT, without "Bearer ") against `key` at time
// `now` and returns whom it stands for. An empty `key` rejects every token
// with AUTH_NOT_CONFIGURED. Claims beyond those above are ignored, except
// `aud`: Summit tokens have no audience, so a token restricted to one was
// meant for someone else and is refused (RFC 7519 section 4.1.3).
absl::StatusOr<Principal> VerifyToken(absl::string_view token,
                                      absl::string_view key, absl::Time now);

// A token VerifyToken accepted, and when it accepts it: at every `now` in
// [accepted_from, accepted_until) and at no other, because its other checks
// depend on the token and the key alone. What lets a cache of verified
// tokens (token_cache.h) answer exactly as VerifyToken would.
struct VerifiedToken {
  Principal principal;
  // max(nbf, iat) - kClockSkewLeeway; InfinitePast() without either claim.
  absl::Time accepted_from;
  // exp: refused from this instant on.
  absl::Time accepted_until;
};

// VerifyToken, also telling how long its answer holds.
absl::StatusOr<VerifiedToken> VerifyTokenWithLifetime(absl::string_view token,
                                                      absl::string_view key, absl::Time now);

// OK when `principal` can be carried by a token that VerifyToken accepts:
// a role of press, delegate or organizer needs a subject "people/{id}",
// service needs "services/{id}", public may have "people/{id}" or none.
// An {id} is 1 to 128 ASCII letters, digits, '-', '_' or '.', starting with
// a letter or digit, which keeps subjects safe to log and to compare.
// INVALID_ARGUMENT otherwise; summitctl checks its flags with this.
absl::Status ValidateForToken(const Principal& principal);

// A signed token for `principal`, valid from `now` for `lifetime`: header
// {"alg":"HS256","typ":"JWT"}, claims sub (omitted when empty), role, iat
// and exp (whole seconds, rounded down). The output is deterministic.
//
// Preconditions, checked, aborting the process when violated because they
// are programming errors and a token that can never verify is worse than a
// loud failure: `key` is not empty and ValidateForToken(principal) is OK.
std::string MintToken(const Principal& principal, absl::Duration lifetime,
                      absl::string_view key, absl::Time now);

}  // namespace summit::auth

#endif  // SUMMIT_COMMON_AUTH_JWT_H_
