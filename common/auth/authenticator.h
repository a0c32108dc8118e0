// Turns the `authorization` metadata of an incoming call into a Principal.
// One per process, built at startup from --auth_key_file and shared by all
// handlers.
//
//   // main.cc
//   absl::StatusOr<auth::Authenticator> authenticator =
//       auth::Authenticator::FromKeyFile(config.auth_key_file);
//   if (!authenticator.ok()) { /* report and exit */ }
//
//   // a handler
//   absl::StatusOr<auth::Principal> caller =
//       authenticator_.Authenticate(*context);
//   if (!caller.ok()) return caller.status();  // UNAUTHENTICATED
//
// Rules: no header (or an empty one) is the public; "Bearer <jwt>" (scheme
// case-insensitive) is whoever the token says once VerifyToken accepts it;
// anything else -- another scheme, "Bearer" with no token, a bad, expired or
// wrongly signed token, the header given twice, a byte the header could not
// be passed on with (CheckAuthorizationBytes) -- is UNAUTHENTICATED, never
// quietly public, so a client with a broken token finds out at once. What is
// accepted can be forwarded byte for byte (peers/forwarded_metadata.h).
//
// Tokens it accepts are remembered (token_cache.h), so a caller presenting
// the same token again is not verified again until it expires; the answer
// is the same either way. The cache belongs to the key: a new key comes with
// a new, empty cache. Copies of an Authenticator share both.
//
// Thread-safe: an Authenticator's key never changes after construction (its
// cache is internally synchronized), so any number of threads may call its
// const methods at once.
#ifndef SUMMIT_COMMON_AUTH_AUTHENTICATOR_H_
#define SUMMIT_COMMON_AUTH_AUTHENTICATOR_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/auth/token_cache.h"

namespace grpc {
class ServerContextBase;
}  // namespace grpc

namespace summit::auth {

// ErrorInfo reasons for problems with the header itself; problems with the
// token carry the reasons in jwt.h.
// A scheme other than Bearer (e.g. "Basic ...").
inline constexpr absl::string_view kReasonAuthSchemeUnsupported =
    "AUTH_SCHEME_UNSUPPORTED";
// More than one `authorization` entry: which one counts would be a guess.
inline constexpr absl::string_view kReasonAuthHeaderRepeated =
    "AUTH_HEADER_REPEATED";
// A byte other than visible ASCII or space (a tab, UTF-8, 0xFF): no token
// has one, and gRPC could not pass the header on to another service.
inline constexpr absl::string_view kReasonAuthHeaderMalformed =
    "AUTH_HEADER_MALFORMED";

// RFC 7518 section 3.2: an HS256 key must be at least as long as the hash.
inline constexpr std::size_t kMinKeyBytes = 32;
// Key files are small; the cap stops a mistyped path (a log, /dev/zero) from
// being read whole.
inline constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

class Authenticator {
 public:
  // Checks tokens against `key`, the raw bytes every Summit process shares.
  // An empty `key` is the same as WithoutKey(): fail closed, never "any
  // signature goes". The length is not checked here (tests use short keys);
  // FromKeyFile checks it for production.
  explicit Authenticator(std::string key);

  // Reads the key file at `path`. Its bytes are the key as they are, with no
  // trimming (a trailing newline is part of the key), so every process that
  // reads the same file agrees. Errors (for startup to report): NOT_FOUND
  // when the file cannot be opened, INVALID_ARGUMENT when it is unreadable,
  // empty, shorter than kMinKeyBytes or longer than kMaxKeyFileBytes.
  // Make one with `head -c 32 /dev/urandom > auth.key`.
  static absl::StatusOr<Authenticator> FromKeyFile(const std::string& path);

  // An Authenticator with no key, for a process started without
  // --auth_key_file (local experiments, public-only demos). Calls without a
  // token are still public; every presented token is UNAUTHENTICATED with
  // reason AUTH_NOT_CONFIGURED, so a missing key can never grant a role.
  static Authenticator WithoutKey() { return Authenticator(std::string()); }

  // Whether tokens can be accepted at all.
  bool has_key() const { return !keyed_->key.empty(); }

  // The Principal for one `authorization` value ("Bearer <jwt>"), checked
  // at the current time. Surrounding whitespace is ignored; an empty value
  // is the public.
  absl::StatusOr<Principal> AuthenticateHeader(
      absl::string_view authorization_value) const;
  // The same, checked at `now` (tests give their own clock).
  absl::StatusOr<Principal> AuthenticateHeader(absl::string_view authorization_value,
                                               absl::Time now) const;

  // The Principal for an incoming call, from its `authorization` metadata.
  // A thin wrapper that finds the header and calls AuthenticateHeader, which
  // is where the rules live and are unit-tested; a real ServerContext cannot
  // be built in a unit test, so this wrapper is covered by the integration
  // tests that call running servers.
  absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const;

 private:
  // A key and the tokens verified against it, kept together so that they
  // change together: whatever replaces the key (issue 21: keys reloaded
  // from a JWKS) replaces this whole object, and the tokens remembered
  // under the old key go with it.
  struct KeyedCache {
    explicit KeyedCache(std::string k) : key(std::move(k)) {}
    const std::string key;  // empty: no key configured
    mutable VerifiedTokenCache verified;
  };

  // The principal of a bare token (after "Bearer "), from the cache or
  // verified and remembered.
  absl::StatusOr<Principal> VerifyBearer(absl::string_view token, absl::Time now) const;

  std::shared_ptr<const KeyedCache> keyed_;
};

// OK when `authorization_value` can travel on as it is (visible ASCII and
// spaces only); UNAUTHENTICATED with reason AUTH_HEADER_MALFORMED otherwise.
absl::Status CheckAuthorizationBytes(absl::string_view authorization_value);

// The key bytes of an HS256 key file, exactly as stored, checked for size
// (what FromKeyFile uses; summitctl reads keys the same way to mint tokens).
absl::StatusOr<std::string> ReadKeyFile(const std::string& path);

}  // namespace summit::auth

#endif  // SUMMIT_COMMON_AUTH_AUTHENTICATOR_H_
