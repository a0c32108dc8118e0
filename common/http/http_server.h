// A small HTTP/1.1 server (Boost.Beast, asynchronous, keep-alive) that hands
// each request to a handler as an HttpExchange: Summit's one HTTP server,
// behind the gateway's HTTP/JSON port and every binary's admin (metrics)
// port. The handler answers when it is ready, from any thread: once
// (Respond), or as a stream of chunks (StartStream, WriteChunk, EndStream)
// for Server-Sent Events, kept alive while quiet (KeepStreamAlive) so that
// proxies with an idle timeout do not cut it.
//
// Limits against greedy or hostile clients: header and body size, an idle
// timeout between requests, a read timeout for slow senders; a malformed
// request gets 400 and the connection is closed, and so does one whose length
// two clients could read two ways (Transfer-Encoding other than a lone
// "chunked", or with Content-Length: RFC 9112 section 6.3), so that no bytes
// of its body are ever taken for a request of their own. HTTPS when given a
// certificate and key, reloaded when the files change.
//
//   ASSIGN_OR_RETURN(auto server, HttpServer::Start("0.0.0.0:8080", options,
//       [](std::shared_ptr<HttpExchange> exchange) {
//         exchange->Respond(200, {{"content-type", "text/plain"}}, "hello");
//       }));
//   ...
//   server->Drain(absl::Now() + absl::Seconds(5));
//   server->Stop();
//
// Thread-safety: the handler runs on the server's threads, several at once
// when options.threads > 1; Drain and Stop are called by one owner.
#ifndef SUMMIT_COMMON_HTTP_HTTP_SERVER_H_
#define SUMMIT_COMMON_HTTP_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls/tls_files.h"

namespace summit::http {

struct HttpRequest {
  std::string method;  // "GET", …
  std::string target;  // path and query, as sent
  // Header names in lower case. A field sent more than once holds its values
  // joined by ", " (RFC 9110 section 5.3), and its name is in `repeated`: a
  // handler refuses a repeat of a field that takes one value (Authorization)
  // rather than pick one of them.
  absl::flat_hash_map<std::string, std::string> headers;
  absl::flat_hash_set<std::string> repeated;
  std::string body;
  // The client's IP address ("" when unknown).
  std::string remote_address;

  // The header's value, "" when absent.
  const std::string& Header(const std::string& lower_case_name) const;
  // Whether the header came more than once.
  bool Repeated(const std::string& lower_case_name) const {
    return repeated.contains(lower_case_name);
  }
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// One request and its answer. Shared by the server and the handler; every
// method may be called from any thread.
class HttpExchange {
 public:
  virtual ~HttpExchange() = default;

  virtual const HttpRequest& request() const = 0;
  virtual void Respond(int status, HttpHeaders headers, std::string body) = 0;

  // Streaming: the status and headers, then chunks, then the end.
  virtual void StartStream(int status, HttpHeaders headers) = 0;
  // `written` runs once the chunk has left (or could not: the client is
  // gone), so a producer can wait for it before making more.
  virtual void WriteChunk(std::string data, std::function<void(bool ok)> written) = 0;
  virtual void EndStream() = 0;
  // From now on, whenever the stream has written nothing for the server's
  // stream_keep_alive, writes `chunk` (for Server-Sent Events, a comment),
  // never in the middle of another write. One timer serves every stream of
  // the server. Does nothing when the server's stream_keep_alive is zero.
  virtual void KeepStreamAlive(std::string chunk) = 0;
  // Runs once if the client goes away while a stream is open.
  virtual void OnClientGone(std::function<void()> gone) = 0;
};

struct HttpServerOptions {
  int threads = 2;
  // Larger requests are refused, 431 and 413, with a google.rpc.Status of
  // RESOURCE_EXHAUSTED. Boost.Beast applies the headers' limit to what its
  // parser has yet to consume of the head, which depends on how the bytes
  // arrive: header fields of max_header_bytes always pass, twice that never. The body's limit is the gRPC servers' message limit
  // (ServerOptions::max_receive_message_bytes); JSON is larger than the
  // protobuf it becomes but for contrived bodies, so what passes here fits.
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 4 << 20;
  absl::Duration idle_timeout = absl::Seconds(60);
  absl::Duration read_timeout = absl::Seconds(30);
  // The longest a stream that asked for keep-alives (KeepStreamAlive) stays
  // quiet; zero: none are sent.
  absl::Duration stream_keep_alive = absl::Seconds(15);
  // Certificate and key set: HTTPS (TLS 1.2 or later), the files re-read
  // when they change (see https_context.h); none: plain HTTP. The CA is not
  // used: browsers and curl have no client certificates.
  tls::TlsFiles tls;
};

class HttpServer {
 public:
  using Handler = std::function<void(std::shared_ptr<HttpExchange>)>;

  // Listens on `address` (HOST:PORT; port 0 picks one) and serves.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const std::string& address,
                                                           HttpServerOptions options,
                                                           Handler handler);
  ~HttpServer();

  int port() const;
  // Stops accepting and lets the requests in progress be answered (with
  // "Connection: close"), closing each connection once it waits for no
  // answer, until all are closed or `deadline`. Streams end when their
  // handler ends them (gateway/live_streams.h). Then call Stop. Whether all
  // closed in time.
  bool Drain(absl::Time deadline);
  // Stops accepting, closes connections, joins the threads.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace summit::http

#endif  // SUMMIT_COMMON_HTTP_HTTP_SERVER_H_
