#include "common/auth/authenticator.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "common/status/error.h"
#include "common/text/header_value.h"
#include "grpcpp/server_context.h"

namespace summit::auth {
namespace {

absl::Status Unauthenticated(absl::string_view reason,
                             absl::string_view message) {
  return summit::ErrorWithReason(absl::StatusCode::kUnauthenticated, reason,
                                 message);
}

}  // namespace

Authenticator::Authenticator(std::string key)
    : keyed_(std::make_shared<const KeyedCache>(std::move(key))) {}

absl::StatusOr<Authenticator> Authenticator::FromKeyFile(
    const std::string& path) {
  absl::StatusOr<std::string> key = ReadKeyFile(path);
  if (!key.ok()) return key.status();
  return Authenticator(*std::move(key));
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return absl::NotFoundError(absl::StrCat(
        "auth key file ", path, ": cannot open: ", std::strerror(errno)));
  }
  // Read at most one byte past the cap, so an oversize file is detected
  // without reading it all.
  std::string key(kMaxKeyFileBytes + 1, '\0');
  in.read(key.data(), static_cast<std::streamsize>(key.size()));
  if (in.bad()) {  // e.g. a directory: open succeeds, read fails
    return absl::InvalidArgumentError(
        absl::StrCat("auth key file ", path, ": cannot read"));
  }
  key.resize(static_cast<std::size_t>(in.gcount()));
  if (key.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth key file ", path, " is empty"));
  }
  if (key.size() > kMaxKeyFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth key file ", path, " is larger than ",
                     kMaxKeyFileBytes, " bytes; is it the right file?"));
  }
  if (key.size() < kMinKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth key file ", path, " holds ", key.size(),
                     " bytes; HS256 needs at least ", kMinKeyBytes,
                     " (make one with: head -c 32 /dev/urandom > ", path, ")"));
  }
  return key;
}

absl::Status CheckAuthorizationBytes(absl::string_view authorization_value) {
  if (IsSendableHeaderValue(authorization_value)) return absl::OkStatus();
  return Unauthenticated(kReasonAuthHeaderMalformed,
                         "authorization holds a byte other than visible ASCII or a space; it "
                         "must be \"Bearer <token>\"");
}

absl::StatusOr<Principal> Authenticator::AuthenticateHeader(
    absl::string_view authorization_value) const {
  return AuthenticateHeader(authorization_value, absl::Now());
}

absl::StatusOr<Principal> Authenticator::AuthenticateHeader(absl::string_view authorization_value,
                                                            absl::Time now) const {
  if (absl::Status bytes = CheckAuthorizationBytes(authorization_value); !bytes.ok()) return bytes;
  absl::string_view value = absl::StripAsciiWhitespace(authorization_value);
  if (value.empty()) return Principal::Public();

  // RFC 6750 section 2.1: "Bearer" 1*SP token; the scheme is
  // case-insensitive (RFC 7235 section 2.1).
  const std::size_t space = value.find(' ');
  const absl::string_view scheme = value.substr(0, space);
  if (!absl::EqualsIgnoreCase(scheme, "Bearer")) {
    return Unauthenticated(kReasonAuthSchemeUnsupported,
                           "authorization must be \"Bearer <token>\"");
  }
  const absl::string_view token =
      space == absl::string_view::npos
          ? absl::string_view()
          : absl::StripLeadingAsciiWhitespace(value.substr(space));
  if (token.empty()) {
    // A client that meant to send a token and sent none must hear about it,
    // not be served as the public.
    return Unauthenticated(kReasonTokenMalformed,
                           "authorization \"Bearer\" carries no token");
  }
  return VerifyBearer(token, now);
}

absl::StatusOr<Principal> Authenticator::VerifyBearer(absl::string_view token,
                                                      absl::Time now) const {
  // Without a key nothing is remembered; VerifyToken refuses every token.
  if (!has_key()) return VerifyToken(token, keyed_->key, now);
  if (std::optional<Principal> known = keyed_->verified.Find(token, now)) return *std::move(known);
  absl::StatusOr<VerifiedToken> verified = VerifyTokenWithLifetime(token, keyed_->key, now);
  if (!verified.ok()) return verified.status();
  keyed_->verified.Remember(token, *verified, now);
  return std::move(verified->principal);
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  // gRPC lower-cases metadata keys, so one exact lookup finds them all.
  const auto& metadata = context.client_metadata();
  const auto [first, last] = metadata.equal_range("authorization");
  if (first == last) return Principal::Public();
  if (std::next(first) != last) {
    return Unauthenticated(kReasonAuthHeaderRepeated,
                           "more than one authorization header");
  }
  return AuthenticateHeader(
      absl::string_view(first->second.data(), first->second.size()));
}

}  // namespace summit::auth
