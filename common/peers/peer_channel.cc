#include "common/peers/peer_channel.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/peers/forwarded_metadata.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace summit::peers {

std::string PeerServiceConfig(const PeerChannelOptions& options) {
  std::vector<std::string> names;
  for (const std::string& method : options.idempotent_methods) {
    // Accept gRPC's own spelling "/pkg.Service/Method" as well; an empty
    // service or method would make the policy apply to every method.
    std::pair<std::string, std::string> parts =
        absl::StrSplit(absl::StripPrefix(method, "/"), absl::MaxSplits('/', 1));
    if (parts.first.empty() || parts.second.empty()) continue;
    names.push_back(absl::StrCat(R"({"service":")", parts.first, R"(","method":")",
                                 parts.second, R"("})"));
  }
  // Client-side health checking: a replica that turns NOT_SERVING (draining
  // on SIGTERM) stops getting calls before it stops accepting them.
  std::string config =
      R"({"loadBalancingConfig":[{"round_robin":{}}],"healthCheckConfig":{"serviceName":""})";
  if (!names.empty()) {
    absl::StrAppend(&config, R"(,"methodConfig":[{"name":[)", absl::StrJoin(names, ","),
                    R"(],"retryPolicy":{"maxAttempts":)", options.max_attempts,
                    R"(,"initialBackoff":"0.05s","maxBackoff":"1s","backoffMultiplier":2,)",
                    R"("retryableStatusCodes":["UNAVAILABLE"]}}])");
  }
  config += "}";
  return config;
}

std::shared_ptr<grpc::Channel> MakePeerChannel(const std::string& address,
                                               const PeerChannelOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetServiceConfigJSON(PeerServiceConfig(options));
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  arguments.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  arguments.SetInt(GRPC_ARG_MAX_METADATA_SIZE, kMaxPeerMetadataBytes);
  if (options.own_connection) arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      options.credentials != nullptr ? options.credentials : grpc::InsecureChannelCredentials();
  return grpc::CreateCustomChannel(address, credentials, arguments);
}

absl::Duration AnswerReserve(absl::Duration remaining) {
  return std::clamp(remaining / 10, absl::Milliseconds(20), absl::Milliseconds(500));
}

std::unique_ptr<grpc::ClientContext> OutgoingContext(const grpc::CallbackServerContext& incoming,
                                                     absl::Duration timeout) {
  // FromCallbackServerContext propagates the incoming deadline and
  // cancellation; gRPC then uses the earlier of that and our own deadline.
  std::unique_ptr<grpc::ClientContext> outgoing =
      grpc::ClientContext::FromCallbackServerContext(incoming);
  const absl::Time now = absl::Now();
  absl::Time deadline = now + timeout;
  if (incoming.deadline() != std::chrono::system_clock::time_point::max()) {
    const absl::Time callers = absl::FromChrono(incoming.deadline());
    deadline = std::min(deadline, callers - AnswerReserve(callers - now));
  }
  outgoing->set_deadline(absl::ToChronoTime(deadline));
  // A caller whose authorization cannot travel on was refused by the token check before any
  // handler called a peer; should one still get here, the call goes on without it (as the
  // public, which can do less), never with bytes that would abort the process.
  if (absl::StatusOr<ForwardedMetadata> forwarded = ForwardedFrom(incoming); forwarded.ok()) {
    forwarded->ApplyTo(*outgoing);
  }
  return outgoing;
}

std::unique_ptr<grpc::ClientContext> ServiceContext(const std::string& bearer_token,
                                                    absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!bearer_token.empty()) context->AddMetadata("authorization", "Bearer " + bearer_token);
  return context;
}

}  // namespace summit::peers
