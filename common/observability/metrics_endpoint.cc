#include "common/observability/metrics_endpoint.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "prometheus/metric_family.h"
#include "prometheus/text_serializer.h"

namespace summit::observability {
namespace {

// What Prometheus's text format is served as.
constexpr char kExpositionType[] = "text/plain; version=0.0.4; charset=utf-8";
constexpr char kPlainText[] = "text/plain; charset=utf-8";

// A scrape is a GET without a body: larger requests are refused (413)
// before they are read.
constexpr size_t kMaxBodyBytes = 1024;

}  // namespace

MetricsAnswer AnswerMetricsRequest(const std::string& method, const std::string& target,
                                   const prometheus::Collectable& metrics) {
  // Prometheus adds a query string only when a scrape configuration asks
  // for one; it selects nothing here.
  const std::string path = target.substr(0, target.find('?'));
  if (path != "/metrics") {
    return {404, {{"content-type", kPlainText}}, "not found: the metrics are at /metrics\n"};
  }
  if (method != "GET") {
    return {405, {{"content-type", kPlainText}, {"allow", "GET"}}, "GET /metrics only\n"};
  }
  return {200,
          {{"content-type", kExpositionType}},
          prometheus::TextSerializer().Serialize(metrics.Collect())};
}

absl::StatusOr<std::unique_ptr<http::HttpServer>> StartMetricsEndpoint(
    const std::string& address, std::shared_ptr<prometheus::Collectable> metrics,
    const tls::TlsFiles& tls) {
  http::HttpServerOptions options;
  options.threads = 1;
  options.max_body_bytes = kMaxBodyBytes;
  // Certificate and key, never the CA: no client certificate is asked for.
  options.tls.cert_file = tls.cert_file;
  options.tls.key_file = tls.key_file;
  options.tls.reload_interval = tls.reload_interval;
  absl::StatusOr<std::unique_ptr<http::HttpServer>> server = http::HttpServer::Start(
      address, std::move(options),
      [metrics = std::move(metrics)](std::shared_ptr<http::HttpExchange> exchange) {
        const http::HttpRequest& request = exchange->request();
        MetricsAnswer answer = AnswerMetricsRequest(request.method, request.target, *metrics);
        exchange->Respond(answer.status, std::move(answer.headers), std::move(answer.body));
      });
  if (!server.ok()) {
    return absl::Status(server.status().code(), absl::StrCat("cannot serve metrics: ",
                                                             server.status().message()));
  }
  return server;
}

}  // namespace summit::observability
