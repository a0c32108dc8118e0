// summit-gateway: one address for every Summit service — gRPC (the
// backends' services, forwarded, and the aggregated views) and HTTP/JSON
// (every annotated RPC, transcoded; server streams as Server-Sent Events;
// /openapi.json). Wiring only.
#include <algorithm>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/config/flags.h"
#include "common/http/http_server.h"
#include "common/observability/call_observer.h"
#include "common/observability/log.h"
#include "common/peers/peer_channel.h"
#include "common/server/bootstrap.h"
#include "common/server/open_feeds.h"
#include "common/server/summit_server.h"
#include "common/server/work_queue.h"
#include "common/tls/tls_files.h"
#include "gateway/backends.h"
#include "gateway/contract.h"
#include "gateway/feed_limits.h"
#include "gateway/gateway_service.h"
#include "gateway/grpc_proxy.h"
#include "gateway/http_gateway.h"
#include "gateway/live_streams.h"
#include "gateway/openapi.h"
#include "gateway/rate_limiter.h"
#include "gateway/views/views.h"
#include "grpcpp/server_builder.h"

ABSL_FLAG(std::string, cors_origins, "",
          "comma-separated origins browsers may call the HTTP API from (\"*\": any)");
ABSL_FLAG(int, http_threads, 2, "threads serving HTTP connections");
ABSL_FLAG(int, view_threads, 16, "threads assembling aggregated views");
ABSL_FLAG(absl::Duration, view_facts_max_age, absl::Seconds(5),
          "how long the views reuse an event and the organizations the Registry answered, "
          "the staleness GetEventOverview's contract allows (at most 5s); 0: never");
ABSL_FLAG(double, rate_limit_per_second, 0,
          "calls each caller (token subject, or client IP for the public) may make per second, "
          "over HTTP and gRPC alike; 0: no limit");
ABSL_FLAG(double, rate_limit_burst, 20, "calls each caller may make at once, within its rate");
ABSL_FLAG(absl::Duration, http_default_timeout, absl::Seconds(30),
          "deadline of an HTTP call that sends no grpc-timeout header");
ABSL_FLAG(int, max_feeds_per_caller, 32,
          "live feeds (event streams over HTTP, server streams over gRPC) one caller (token "
          "subject, or client IP for the public) may hold open; more are refused 429 / "
          "RESOURCE_EXHAUSTED; 0: no cap");
ABSL_FLAG(int, max_open_feeds, 2000,
          "live feeds the gateway holds open in all; more are refused 429 / RESOURCE_EXHAUSTED; "
          "0: no cap (then streams past one connection's limit wait for a place)");
ABSL_FLAG(absl::Duration, sse_keep_alive, absl::Seconds(15),
          "longest an event stream stays quiet: after that a comment line is sent, so that "
          "proxies with an idle timeout do not cut it; 0: none");

int main(int argc, char** argv) {
  using namespace summit;
  config::InitProcess(argc, argv,
                      "summit-gateway: every Summit service on one address, over gRPC and "
                      "HTTP/JSON, with aggregated views (summit.gateway.v1.GatewayService)");

  const std::vector<std::string> backend_services = {"summit.registry.v1.RegistryService",
                                                     "summit.scheduling.v1.SchedulingService",
                                                     "summit.statements.v1.StatementsService"};
  std::vector<std::string> routed = backend_services;
  routed.push_back("summit.gateway.v1.GatewayService");
  auto contract = gateway::Contract::Load(routed);
  if (!contract.ok()) server::ExitBecause("cannot read the contract", contract.status());

  // Serving TLS to clients while calling the backends in plaintext would
  // protect half the way: TLS needs the CA of mutual TLS to the backends.
  const tls::TlsFiles tls_files = tls::TlsFiles::FromFlags();
  if (tls_files.serves_tls() && !tls_files.calls_over_tls()) {
    server::ExitBecause("cannot serve TLS",
                        absl::InvalidArgumentError("the gateway's TLS needs --tls_ca_file too"));
  }
  // Mutual TLS to the backends when --tls_ca_file is set (see tls_files.h).
  auto peer_credentials = server::PeerCredentialsFromFlags();
  if (!peer_credentials.ok())
    server::ExitBecause("cannot read TLS files", peer_credentials.status());
  // Every backend method may be forwarded; only reads are retried.
  auto channel = [&peer_credentials](const std::string& address) {
    return peers::MakePeerChannel(address,
                                  {.idempotent_methods = {}, .credentials = *peer_credentials});
  };
  gateway::Backends backends;
  backends.Add(backend_services[0], channel(absl::GetFlag(FLAGS_registry_address)));
  backends.Add(backend_services[1], channel(absl::GetFlag(FLAGS_scheduling_address)));
  backends.Add(backend_services[2], channel(absl::GetFlag(FLAGS_statements_address)));
  // Live feeds (Statements' only streams) over connections of their own, enough that the most
  // feeds the gateway holds open fit (backends.h): an open feed never holds a place a unary
  // call waits for.
  const server::FeedCaps feed_caps{.per_caller = absl::GetFlag(FLAGS_max_feeds_per_caller),
                                   .total = absl::GetFlag(FLAGS_max_open_feeds)};
  std::vector<std::shared_ptr<grpc::Channel>> feed_channels;
  const int feed_channel_count =
      gateway::StreamChannels::CountFor(feed_caps.total, gateway::kStreamsPerConnection);
  for (int i = 0; i < feed_channel_count; ++i) {
    feed_channels.push_back(peers::MakePeerChannel(
        absl::GetFlag(FLAGS_statements_address),
        {.idempotent_methods = {}, .credentials = *peer_credentials, .own_connection = true}));
  }
  backends.AddStreamChannels(backend_services[2],
                             std::make_unique<gateway::StreamChannels>(std::move(feed_channels)));

  // Metrics name the methods it serves, over gRPC and HTTP; any other a
  // caller sends is counted as "unknown" (rpc_metrics.h).
  std::vector<std::string> known_methods = observability::MethodPathsOf((*contract)->services());
  for (std::string& label : gateway::HttpGateway::RecordedMethods(**contract)) {
    known_methods.push_back(std::move(label));
  }
  observability::CallObserver observer(absl::GetFlag(FLAGS_log_calls), known_methods);
  gateway::ViewsOptions views_options;
  views_options.recent_facts.max_age =
      std::min(absl::GetFlag(FLAGS_view_facts_max_age), gateway::kMaxViewFactsAge);
  gateway::Views views(backends.ChannelOf(backend_services[0]),
                       backends.ChannelOf(backend_services[1]),
                       backends.ChannelOf(backend_services[2]), views_options);
  server::WorkQueue view_threads(absl::GetFlag(FLAGS_view_threads));
  // One per-caller limit on every call that comes in, over gRPC (backend
  // methods and views alike) and HTTP. Only tokens the gateway can verify
  // (--auth_key_file) name a caller; the others count against their address.
  gateway::RateLimiter rate_limiter({.per_second = absl::GetFlag(FLAGS_rate_limit_per_second),
                                     .burst = absl::GetFlag(FLAGS_rate_limit_burst)});
  // The caps on open feeds tell callers apart the same way.
  absl::StatusOr<auth::Authenticator> authenticator = auth::Authenticator::WithoutKey();
  if (rate_limiter.enabled() || !absl::GetFlag(FLAGS_auth_key_file).empty()) {
    authenticator = server::AuthenticatorFromFlags();
  }
  if (!authenticator.ok()) server::ExitBecause("cannot load the token key", authenticator.status());
  const gateway::CallerLimits limits(&rate_limiter, &*authenticator);
  server::OpenFeeds open_feeds(feed_caps);
  const gateway::FeedLimits feed_limits(&open_feeds, &*authenticator);
  gateway::GatewayService gateway_service(views, view_threads, observer, limits);
  // The feeds it forwards, which draining ends (live_streams.h).
  gateway::LiveStreams live_streams;
  // Reflection names every service the port serves, proxied ones included.
  const gateway::ContractReflection reflection((*contract)->pool(), routed);
  gateway::GrpcProxy proxy(backends, **contract, observer, limits, &live_streams, feed_limits,
                           &reflection);
  server::ServerOptions grpc_options =
      server::ServerOptions::FromFlags("summit.gateway.v1.GatewayService", "0.0.0.0:50050",
                                       "0.0.0.0:9090");
  grpc_options.builtin_reflection = false;
  auto server = server::SummitServer::Start(std::move(grpc_options), {&gateway_service},
                                            &observer, &proxy);
  if (!server.ok()) server::ExitBecause("cannot serve", server.status());

  // Over HTTP the views are reached over gRPC like any other method: on a
  // server of their own with no port, in-process, without a limit of their
  // own, since the HTTP side counted the call (one call, one count).
  gateway::GatewayService views_for_http(views, view_threads, observer, gateway::CallerLimits());
  grpc::ServerBuilder in_process_builder;
  in_process_builder.RegisterService(&views_for_http);
  const std::unique_ptr<grpc::Server> in_process = in_process_builder.BuildAndStart();
  if (in_process == nullptr) {
    server::ExitBecause("cannot serve the views", absl::InternalError("in-process server"));
  }
  backends.Add("summit.gateway.v1.GatewayService",
               in_process->InProcessChannel(grpc::ChannelArguments()));
  gateway::HttpGatewayOptions http_options;
  for (absl::string_view origin :
       absl::StrSplit(absl::GetFlag(FLAGS_cors_origins), ',', absl::SkipWhitespace())) {
    http_options.cors_origins.emplace_back(origin);
  }
  http_options.default_timeout = absl::GetFlag(FLAGS_http_default_timeout);
  http_options.openapi_json = gateway::OpenApiDocument(**contract);
  http_options.limits = limits;
  http_options.live_streams = &live_streams;
  http_options.feed_limits = feed_limits;
  gateway::HttpGateway http_gateway(**contract, backends, observer, std::move(http_options));
  std::string http_address = absl::GetFlag(FLAGS_http_listen);
  if (http_address.empty()) http_address = "0.0.0.0:8080";
  http::HttpServerOptions server_options;
  server_options.threads = absl::GetFlag(FLAGS_http_threads);
  server_options.stream_keep_alive = absl::GetFlag(FLAGS_sse_keep_alive);
  // HTTPS with the same certificate as the gRPC port.
  server_options.tls = tls_files;
  auto http_server = http::HttpServer::Start(
      http_address, server_options,
      [&http_gateway](std::shared_ptr<http::HttpExchange> exchange) {
        http_gateway.Handle(std::move(exchange));
      });
  if (!http_server.ok()) server::ExitBecause("cannot serve HTTP", http_server.status());
  log::Info("http serving", {{"listen", http_address},
                             {"http_port", (*http_server)->port()},
                             {"https", server_options.tls.serves_tls()}});

  // Draining: feeds end (clients resume elsewhere); HTTP requests in
  // progress are answered while the gRPC port still serves, since views over
  // HTTP call it.
  const int exit_code =
      server::ServeUntilSignalled(**server, [&live_streams, &http_server](absl::Time deadline) {
        live_streams.EndAll();
        const bool drained = (*http_server)->Drain(deadline);
        log::Info("http drained", {{"all_answered", drained}});
        (*http_server)->Stop();
      });
  return exit_code;
}
