#include "common/peers/forwarded_metadata.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/ascii.h"
#include "common/auth/authenticator.h"
#include "common/status/error.h"
#include "common/text/header_value.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"

namespace summit::peers {

bool IsPlainRequestId(absl::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                  c == '.';
         });
}

void ForwardedMetadata::ApplyTo(grpc::ClientContext& outgoing) const {
  if (!authorization.empty()) outgoing.AddMetadata("authorization", authorization);
  if (!request_id.empty()) outgoing.AddMetadata(kRequestIdKey, request_id);
}

absl::StatusOr<ForwardedMetadata> ForwardedFromValues(int authorization_count,
                                                      absl::string_view authorization,
                                                      absl::string_view request_id) {
  if (authorization_count > 1) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, auth::kReasonAuthHeaderRepeated,
                           "more than one authorization header");
  }
  absl::Status sendable = auth::CheckAuthorizationBytes(authorization);
  if (!sendable.ok()) return sendable;
  ForwardedMetadata forwarded;
  if (authorization_count == 1) forwarded.authorization = std::string(authorization);
  if (IsPlainRequestId(request_id)) forwarded.request_id = std::string(request_id);
  return forwarded;
}

absl::StatusOr<ForwardedMetadata> ForwardedFrom(const grpc::ServerContextBase& incoming) {
  const auto& metadata = incoming.client_metadata();
  const auto [first, last] = metadata.equal_range("authorization");
  const int count = static_cast<int>(std::distance(first, last));
  const absl::string_view authorization =
      count == 0 ? absl::string_view() : absl::string_view(first->second.data(), first->second.size());
  const auto id = metadata.find(kRequestIdKey);
  const absl::string_view request_id =
      id == metadata.end() ? absl::string_view() : absl::string_view(id->second.data(), id->second.size());
  return ForwardedFromValues(count, authorization, request_id);
}

}  // namespace summit::peers
