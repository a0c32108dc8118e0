#include "gateway/http_gateway.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "common/peers/forwarded_metadata.h"
#include "common/status/error.h"
#include "common/text/header_value.h"
#include "common/status/grpc_status.h"
#include "common/status/retry_info.h"
#include "gateway/path_template.h"
#include "gateway/web_assets.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/client_callback.h"

namespace summit::gateway {
namespace {

using ::summit::http::HttpExchange;
using ::summit::http::HttpHeaders;
using ::summit::http::HttpRequest;

constexpr char kJson[] = "application/json";

// The label an HTTP call is recorded under: "HTTP " and the gRPC path it
// became, or the verb of one no route took.
std::string HttpLabel(absl::string_view what) { return absl::StrCat("HTTP ", what); }

uint64_t RandomNumber() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator();
}

std::string NewRequestId() { return absl::StrFormat("%016x", RandomNumber()); }

// An event stream's retry: hint, between `base` and twice it.
absl::Duration RetryHint(absl::Duration base) {
  const int64_t millis = std::max<int64_t>(1, absl::ToInt64Milliseconds(base));
  return absl::Milliseconds(millis + static_cast<int64_t>(RandomNumber() % millis));
}

// Headers the gateway reads that take one value: sent twice, which one counts would be a guess
// (Authorization's repeat is refused by peers::ForwardedFromValues, as UNAUTHENTICATED).
constexpr const char* kSingleValueHeaders[] = {"x-request-id", "grpc-timeout", "last-event-id",
                                               "origin"};

absl::Status CheckSingleValueHeaders(const HttpRequest& request) {
  for (const char* name : kSingleValueHeaders) {
    if (request.Repeated(name)) {
      return InvalidArgumentError({{name, absl::StrCat("the ", name, " header is given more than once")}});
    }
  }
  return absl::OkStatus();
}

void PrepareContext(grpc::ClientContext& context, const peers::ForwardedMetadata& forwarded,
                    absl::Duration timeout, bool has_deadline) {
  if (has_deadline) context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  forwarded.ApplyTo(context);
}

// One forwarded server stream: reads the backend's messages one at a time
// and writes each as an event once the previous one has left, so a slow
// client slows the backend stream rather than filling memory.
class StreamForward final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // `feed` holds the stream's place under the caps on open feeds and `lease` its stream channel,
  // both until the stream is done. `retry` is an event stream's retry: hint.
  StreamForward(std::shared_ptr<HttpExchange> exchange, const Transcoder& transcoder,
                const Route& route, std::string request, HttpHeaders headers, bool ndjson,
                const peers::ForwardedMetadata& forwarded, LiveStreams* live_streams,
                server::OpenFeeds::Admission feed, StreamLease lease, absl::Duration retry)
      : feed_(std::move(feed)),
        lease_(std::move(lease)),
        retry_(retry),
        live_streams_(live_streams),
        exchange_(std::move(exchange)),
        transcoder_(transcoder),
        route_(route),
        request_(ToByteBuffer(request)),
        headers_(std::move(headers)),
        ndjson_(ndjson),
        context_(std::make_shared<grpc::ClientContext>()) {
    PrepareContext(*context_, forwarded, absl::ZeroDuration(), /*has_deadline=*/false);
    std::weak_ptr<grpc::ClientContext> context = context_;
    exchange_->OnClientGone([context] {
      if (auto alive = context.lock()) alive->TryCancel();
    });
  }

  void Start() {
    if (live_streams_ != nullptr) {
      live_id_ = live_streams_->Add([this] {
        drained_ = true;
        context_->TryCancel();
      });
    }
    lease_.stub().PrepareBidiStreamingCall(context_.get(), route_.grpc_path, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    // Held until no further read will be started (one is started after each
    // event has left), so OnDone — which deletes this — never comes between.
    AddHold();
    StartRead(&response_);
    StartCall();
  }

  void OnReadInitialMetadataDone(bool ok) override {
    if (!ok) return;  // the call failed; OnDone answers
    Begin();
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      RemoveHold();  // the stream ended; OnDone follows
      return;
    }
    Begin();
    std::string json;
    if (!transcoder_.MessageToJson(route_.method->output_type(), FromByteBuffer(response_), json)) {
      context_->TryCancel();
      RemoveHold();
      return;
    }
    std::string chunk;
    if (ndjson_) {
      chunk = absl::StrCat(json, "\n");
    } else {
      const std::string id = ResumeTokenOf(json);
      chunk = absl::StrCat(id.empty() ? "" : absl::StrCat("id: ", id, "\n"), "data: ", json, "\n\n");
    }
    exchange_->WriteChunk(std::move(chunk), [this](bool written) {
      if (written) {
        StartRead(&response_);
      } else {
        context_->TryCancel();  // the client left; OnDone follows
        RemoveHold();
      }
    });
  }

  void OnDone(const grpc::Status& backend_status) override {
    if (live_id_ != 0) live_streams_->Remove(live_id_);
    const grpc::Status status = drained_ ? LiveStreams::DrainedStatus() : backend_status;
    if (!began_) {
      headers_.emplace_back("content-type", kJson);
      exchange_->Respond(Transcoder::HttpStatusOf(status.error_code()), headers_,
                         transcoder_.StatusJson(status));
    } else {
      if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
        const std::string json = transcoder_.StatusJson(status);
        exchange_->WriteChunk(ndjson_ ? absl::StrCat("{\"error\":", json, "}\n")
                                      : absl::StrCat("event: error\ndata: ", json, "\n\n"),
                              nullptr);
      }
      exchange_->EndStream();
    }
    delete this;
  }

 private:
  void Begin() {
    if (began_) return;
    began_ = true;
    HttpHeaders headers = headers_;
    headers.emplace_back("content-type", ndjson_ ? "application/x-ndjson" : "text/event-stream");
    headers.emplace_back("cache-control", "no-cache");
    exchange_->StartStream(200, std::move(headers));
    if (ndjson_) return;
    // How long an EventSource waits before it reconnects, and a comment
    // while the feed is quiet, so that a proxy's idle timeout never cuts it.
    exchange_->WriteChunk(absl::StrCat("retry: ", absl::ToInt64Milliseconds(retry_), "\n\n"),
                          nullptr);
    exchange_->KeepStreamAlive(": keep-alive\n\n");
  }

  // The event's resume token, which a client sends back as Last-Event-ID.
  static std::string ResumeTokenOf(const std::string& json) {
    static const std::string kKey = "\"resumeToken\":\"";
    const size_t at = json.find(kKey);
    if (at == std::string::npos) return "";
    const size_t start = at + kKey.size();
    const size_t end = json.find('"', start);
    return end == std::string::npos ? "" : json.substr(start, end - start);
  }

  const server::OpenFeeds::Admission feed_;
  const StreamLease lease_;
  const absl::Duration retry_;
  LiveStreams* const live_streams_;
  int64_t live_id_ = 0;  // registered with live_streams_ while the stream runs
  std::atomic<bool> drained_{false};
  std::shared_ptr<HttpExchange> exchange_;
  const Transcoder& transcoder_;
  const Route& route_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  HttpHeaders headers_;
  const bool ndjson_;
  std::shared_ptr<grpc::ClientContext> context_;
  bool began_ = false;
};

}  // namespace

std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view value) {
  if (value.size() < 2 || value.size() > 9) return std::nullopt;
  // Digits only: SimpleAtoi would also take a sign and surrounding blanks.
  if (!std::all_of(value.begin(), value.end() - 1,
                   [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
    return std::nullopt;
  }
  int64_t amount = 0;
  if (!absl::SimpleAtoi(value.substr(0, value.size() - 1), &amount) || amount < 0) return std::nullopt;
  switch (value.back()) {
    case 'H': return absl::Hours(amount);
    case 'M': return absl::Minutes(amount);
    case 'S': return absl::Seconds(amount);
    case 'm': return absl::Milliseconds(amount);
    case 'u': return absl::Microseconds(amount);
    case 'n': return absl::Nanoseconds(amount);
    default: return std::nullopt;
  }
}

std::vector<std::string> HttpGateway::RecordedMethods(const Contract& contract) {
  std::set<std::string> labels;
  for (const Route& route : contract.routes()) {
    labels.insert(HttpLabel(route.grpc_path));
    labels.insert(HttpLabel(route.http_method));
  }
  return {labels.begin(), labels.end()};
}

bool HttpGateway::OriginAllowed(const std::string& origin) const {
  // An origin is echoed in the answer's headers: only a plain one.
  if (origin.empty() || !IsSendableHeaderValue(origin)) return false;
  return std::any_of(options_.cors_origins.begin(), options_.cors_origins.end(),
                     [&](const std::string& allowed) { return allowed == "*" || allowed == origin; });
}

HttpHeaders HttpGateway::CommonHeaders(const HttpRequest& request,
                                       const std::string& request_id) const {
  HttpHeaders headers = {{"x-request-id", request_id}};
  const std::string& origin = request.Header("origin");
  if (OriginAllowed(origin)) {
    headers.emplace_back("access-control-allow-origin", origin);
    headers.emplace_back("vary", "Origin");
    headers.emplace_back("access-control-expose-headers", "x-request-id");
  }
  return headers;
}

void HttpGateway::Fail(const std::shared_ptr<HttpExchange>& exchange, const HttpError& error,
                       HttpHeaders headers) {
  headers.emplace_back("content-type", kJson);
  exchange->Respond(error.http_status, std::move(headers), transcoder_.ErrorJson(error));
}

void HttpGateway::Refuse(const std::shared_ptr<HttpExchange>& exchange,
                         const absl::Status& refusal, HttpHeaders headers) {
  const grpc::Status status = ToGrpcStatus(refusal);
  if (std::optional<absl::Duration> wait = RetryDelayOf(refusal)) {
    headers.emplace_back("retry-after", absl::StrCat(RetryAfterSeconds(*wait)));
  }
  headers.emplace_back("content-type", kJson);
  exchange->Respond(Transcoder::HttpStatusOf(status.error_code()), std::move(headers),
                    transcoder_.StatusJson(status));
}

void HttpGateway::Handle(std::shared_ptr<HttpExchange> exchange) {
  const HttpRequest& request = exchange->request();
  const std::string& given_id = request.Header(peers::kRequestIdKey);
  const std::string request_id =
      peers::IsPlainRequestId(given_id) && !request.Repeated(peers::kRequestIdKey) ? given_id
                                                                                   : NewRequestId();
  HttpHeaders headers = CommonHeaders(request, request_id);

  if (request.method == "OPTIONS") {
    // A browser's preflight: allowed origins learn what they may send.
    if (OriginAllowed(request.Header("origin"))) {
      headers.emplace_back("access-control-allow-methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS");
      headers.emplace_back("access-control-allow-headers",
                           "authorization, content-type, x-request-id, grpc-timeout, last-event-id");
      headers.emplace_back("access-control-max-age", "600");
    }
    exchange->Respond(204, std::move(headers), "");
    return;
  }
  if (request.method == "GET" && request.target == "/openapi.json") {
    headers.emplace_back("content-type", kJson);
    exchange->Respond(200, std::move(headers), options_.openapi_json);
    return;
  }
  // The summit's web page: same origin as the API it calls, and allowed to
  // load and call nothing else.
  if (request.method == "GET") {
    const absl::string_view path = absl::string_view(request.target).substr(
        0, request.target.find('?'));
    if (const WebAsset* asset = FindWebAsset(path); asset != nullptr) {
      headers.emplace_back("content-type", std::string(asset->content_type));
      headers.emplace_back("cache-control", "no-cache");
      headers.emplace_back("content-security-policy", "default-src 'self'; connect-src 'self'");
      headers.emplace_back("x-content-type-options", "nosniff");
      exchange->Respond(200, std::move(headers), std::string(asset->body));
      return;
    }
  }

  if (std::optional<absl::Duration> wait =
          options_.limits.Take(request.Header("authorization"), request.remote_address)) {
    return Refuse(exchange, RateLimitedError(*wait), std::move(headers));
  }
  if (absl::Status single = CheckSingleValueHeaders(request); !single.ok()) {
    return Refuse(exchange, single, std::move(headers));
  }
  absl::StatusOr<peers::ForwardedMetadata> forwarded = peers::ForwardedFromValues(
      request.Repeated("authorization") ? 2 : request.headers.contains("authorization") ? 1 : 0,
      request.Header("authorization"), request_id);
  if (!forwarded.ok()) return Refuse(exchange, forwarded.status(), std::move(headers));
  // A token longer than any the backends take is refused as they would refuse it: forwarded, a
  // long enough one would overflow gRPC's metadata limit, whose RESOURCE_EXHAUSTED reads as 429.
  absl::string_view token = forwarded->authorization;
  if (const size_t space = token.find(' '); space != absl::string_view::npos) {
    token.remove_prefix(space + 1);
  }
  if (absl::Status length = auth::CheckTokenLength(token); !length.ok()) {
    return Refuse(exchange, length, std::move(headers));
  }

  std::string target = request.target;
  // A reconnecting event stream names the last event it saw.
  const std::string& last_event_id = request.Header("last-event-id");
  if (!last_event_id.empty()) {
    absl::StrAppend(&target, target.find('?') == std::string::npos ? "?" : "&",
                    "resumeToken=", PercentEncode(last_event_id));
  }
  GrpcCall call;
  HttpError error;
  if (!transcoder_.ToCall(request.method, target, request.body, call, error)) {
    observer_.Record(HttpLabel(request.method), error.code, absl::ZeroDuration(), "http");
    return Fail(exchange, error, std::move(headers));
  }
  if (call.route->method->server_streaming()) {
    const bool ndjson = absl::StrContains(request.Header("accept"), "application/x-ndjson");
    return Stream(std::move(exchange), call, *forwarded, std::move(headers), ndjson);
  }
  Forward(std::move(exchange), call, *forwarded, std::move(headers));
}

void HttpGateway::Forward(std::shared_ptr<HttpExchange> exchange, const GrpcCall& call,
                          const peers::ForwardedMetadata& forwarded, HttpHeaders headers) {
  const HttpRequest& request = exchange->request();
  RawStub* stub = backends_.StubFor(call.route->grpc_path);
  if (stub == nullptr) {
    return Fail(exchange, {501, grpc::StatusCode::UNIMPLEMENTED, "no backend serves this method", ""},
                std::move(headers));
  }
  std::optional<absl::Duration> timeout = ParseGrpcTimeout(request.Header("grpc-timeout"));
  if (!request.Header("grpc-timeout").empty() && !timeout.has_value()) {
    return Fail(exchange,
                {400, grpc::StatusCode::INVALID_ARGUMENT,
                 "grpc-timeout must be a number and a unit (H, M, S, m, u, n), e.g. 5S", "grpc-timeout"},
                std::move(headers));
  }
  struct Pending {
    grpc::ClientContext context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    absl::Time start = absl::Now();
  };
  auto pending = std::make_shared<Pending>();
  PrepareContext(pending->context, forwarded, timeout.value_or(options_.default_timeout),
                 /*has_deadline=*/true);
  pending->request = ToByteBuffer(call.request);
  const Route* route = call.route;
  stub->UnaryCall(
      &pending->context, route->grpc_path, grpc::StubOptions(), &pending->request,
      &pending->response,
      [this, exchange = std::move(exchange), pending, route,
       headers = std::move(headers)](grpc::Status status) mutable {
        headers.emplace_back("content-type", kJson);
        observer_.Record(HttpLabel(route->grpc_path), status.error_code(),
                         absl::Now() - pending->start, "http");
        if (!status.ok()) {
          exchange->Respond(Transcoder::HttpStatusOf(status.error_code()), std::move(headers),
                            transcoder_.StatusJson(status));
          return;
        }
        std::string json;
        HttpError error;
        if (!transcoder_.ResponseToJson(*route, FromByteBuffer(pending->response), json, error)) {
          exchange->Respond(error.http_status, std::move(headers), transcoder_.ErrorJson(error));
          return;
        }
        exchange->Respond(200, std::move(headers), std::move(json));
      });
}

void HttpGateway::Stream(std::shared_ptr<HttpExchange> exchange, const GrpcCall& call,
                         const peers::ForwardedMetadata& forwarded, HttpHeaders headers,
                         bool ndjson) {
  const HttpRequest& request = exchange->request();
  absl::StatusOr<server::OpenFeeds::Admission> feed =
      options_.feed_limits.Admit(forwarded.authorization, request.remote_address);
  if (!feed.ok()) {
    observer_.Record(HttpLabel(call.route->grpc_path),
                     static_cast<grpc::StatusCode>(feed.status().code()), absl::ZeroDuration(),
                     "http");
    return Refuse(exchange, feed.status(), std::move(headers));
  }
  std::optional<StreamLease> lease = backends_.StreamStubFor(call.route->grpc_path);
  if (!lease.has_value()) {
    return Fail(exchange, {501, grpc::StatusCode::UNIMPLEMENTED, "no backend serves this method", ""},
                std::move(headers));
  }
  auto* forward = new StreamForward(exchange, transcoder_, *call.route, call.request,
                                    std::move(headers), ndjson, forwarded, options_.live_streams,
                                    *std::move(feed), *std::move(lease),
                                    RetryHint(options_.sse_retry));
  forward->Start();
}

}  // namespace summit::gateway
