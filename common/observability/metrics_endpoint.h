// The admin port: what Prometheus scrapes. GET /metrics answers with the
// metrics a binary records (call_observer.h) in Prometheus's text format,
// version 0.0.4; any other path is 404, any other method 405 (HEAD too: the
// server sends a body's length with every answer, so it cannot answer HEAD
// truthfully, and Prometheus never asks it). It runs on Summit's HTTP server
// (common/http/http_server.h), on one thread: a scrape every few seconds
// needs no more.
//
// With the process's certificate and key (ServerOptions::tls) it serves
// HTTPS, the files re-read when they change, as every other listener does.
// It asks no client certificate, even with a CA: Prometheus verifies the
// server with the CA and presents none, and the network policies decide who
// reaches the port at all. What it serves is method names, codes and
// latencies, nothing of a caller.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<http::HttpServer> admin,
//                    StartMetricsEndpoint("0.0.0.0:9091", observer.registry(), tls_files));
//   int port = admin->port();
//   ...
//   admin->Stop();
//
// Thread-safety: scrapes collect the registry on the server's thread while
// handlers record into it, which prometheus-cpp's metrics allow.
#ifndef SUMMIT_COMMON_OBSERVABILITY_METRICS_ENDPOINT_H_
#define SUMMIT_COMMON_OBSERVABILITY_METRICS_ENDPOINT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/http/http_server.h"
#include "common/tls/tls_files.h"
#include "prometheus/collectable.h"

namespace summit::observability {

// Serves `metrics` on `address` (HOST:PORT; port 0 picks one: the server's
// port()), over HTTPS when `tls` has a certificate and key. Fails when the
// address cannot be served or the files cannot be read.
absl::StatusOr<std::unique_ptr<http::HttpServer>> StartMetricsEndpoint(
    const std::string& address, std::shared_ptr<prometheus::Collectable> metrics,
    const tls::TlsFiles& tls);

// What the endpoint answers `method` and `target` (path and query, as sent)
// with, `metrics` collected if the answer is a scrape. For tests.
struct MetricsAnswer {
  int status = 0;
  http::HttpHeaders headers;
  std::string body;
};
MetricsAnswer AnswerMetricsRequest(const std::string& method, const std::string& target,
                                   const prometheus::Collectable& metrics);

}  // namespace summit::observability

#endif  // SUMMIT_COMMON_OBSERVABILITY_METRICS_ENDPOINT_H_
