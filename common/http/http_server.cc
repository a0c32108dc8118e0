#include "common/http/http_server.h"

#include <atomic>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "common/http/https_context.h"

namespace summit::http {
namespace {

namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(absl::ToChronoNanoseconds(d));
}

template <typename Stream>
class Session;

// An HttpExchange on one connection: everything it is asked is posted to
// the connection's strand.
template <typename Stream>
class Exchange final : public HttpExchange {
 public:
  Exchange(std::shared_ptr<Session<Stream>> session, HttpRequest request)
      : session_(std::move(session)), request_(std::move(request)) {}

  const HttpRequest& request() const override { return request_; }
  void Respond(int status, HttpHeaders headers, std::string body) override;
  void StartStream(int status, HttpHeaders headers) override;
  void WriteChunk(std::string data, std::function<void(bool ok)> written) override;
  void EndStream() override;
  void KeepStreamAlive(std::string chunk) override;
  void OnClientGone(std::function<void()> gone) override;

 private:
  std::shared_ptr<Session<Stream>> session_;
  HttpRequest request_;
};

// What every connection of a server shares; kept alive by the connections
// themselves, so an answer that arrives after the server stopped finds it.
// The io_context lives here too: a connection's socket must be closed before
// the context it belongs to is destroyed.
struct ServerShared {
  HttpServerOptions options;
  HttpServer::Handler handler;
  net::io_context io;
  // HTTPS only.
  std::unique_ptr<HttpsContextSource> tls;

  // Draining (HttpServer::Drain): answers say "Connection: close", and a
  // connection closes once it waits for a request.
  std::atomic<bool> draining{false};
  // Every open connection, with what closes it if it waits for a request.
  absl::Mutex mu;
  absl::flat_hash_map<int64_t, std::function<void()>> connections ABSL_GUARDED_BY(mu);
  int64_t next_connection ABSL_GUARDED_BY(mu) = 1;

  // Streams kept alive (HttpExchange::KeepStreamAlive), each with what asks
  // it, on its strand, whether it has been quiet; one timer asks them all.
  absl::flat_hash_map<int64_t, std::function<void()>> kept_alive ABSL_GUARDED_BY(mu);
  std::optional<net::steady_timer> keep_alive_timer;  // after `io`: destroyed first

  int64_t Register(std::function<void()> close_if_idle) {
    absl::MutexLock lock(&mu);
    const int64_t id = next_connection++;
    connections.emplace(id, std::move(close_if_idle));
    return id;
  }
  void Unregister(int64_t id) {
    absl::MutexLock lock(&mu);
    connections.erase(id);
    kept_alive.erase(id);
  }
  void KeepAlive(int64_t id, std::function<void()> tick) {
    absl::MutexLock lock(&mu);
    kept_alive.emplace(id, std::move(tick));
  }

  // Ticks every half keep-alive interval: a stream that wrote nothing since
  // the previous tick writes its keep-alive, so none stays quiet longer than
  // the interval.
  void StartKeepAliveTimer() {
    if (options.stream_keep_alive <= absl::ZeroDuration()) return;
    keep_alive_timer.emplace(io);
    ArmKeepAliveTimer();
  }
  void ArmKeepAliveTimer() {
    keep_alive_timer->expires_after(ToChrono(options.stream_keep_alive / 2));
    keep_alive_timer->async_wait([this](beast::error_code ec) {
      if (ec) return;  // the server stops
      std::vector<std::function<void()>> ticks;
      {
        absl::MutexLock lock(&mu);
        for (const auto& [id, tick] : kept_alive) ticks.push_back(tick);
      }
      // Outside the lock: a tick may hold the last reference to its connection.
      for (const std::function<void()>& tick : ticks) tick();
      ArmKeepAliveTimer();
    });
  }
};

// One connection, over PlainStream or TlsStream.
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  Session(tcp::socket socket, std::shared_ptr<ServerShared> shared,
          std::shared_ptr<net::ssl::context> tls_context)
      : shared_(std::move(shared)),
        tls_context_(std::move(tls_context)),
        stream_(Open(std::move(socket), tls_context_.get())),
        options_(shared_->options),
        handler_(shared_->handler) {}

  ~Session() {
    if (connection_id_ != 0) shared_->Unregister(connection_id_);
  }

  void Start() {
    std::weak_ptr<Session> weak = this->shared_from_this();
    connection_id_ = shared_->Register([weak] {
      if (std::shared_ptr<Session> self = weak.lock()) {
        self->OnStrand([self] {
          if (self->idle_) self->Close();
        });
      }
    });
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        // A client that never finishes its handshake is dropped like a slow
        // sender.
        self->lowest().expires_after(ToChrono(self->options_.read_timeout));
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->Close();
          self->Read();
        });
      } else {
        self->Read();
      }
    });
  }

  template <typename F>
  void OnStrand(F&& f) {
    net::post(stream_.get_executor(), std::forward<F>(f));
  }

  // --- all below run on the strand ---

  void Write(int status, HttpHeaders headers, std::string body) {
    if (answered_) return;
    answered_ = true;
    auto response = std::make_shared<beast_http::response<beast_http::string_body>>(
        static_cast<beast_http::status>(status), 11);
    for (auto& [name, value] : headers) response->set(name, value);
    response->keep_alive(keep_alive_ && !shared_->draining);
    response->body() = std::move(body);
    response->prepare_payload();
    lowest().expires_after(ToChrono(options_.read_timeout));
    beast_http::async_write(stream_, *response,
                      [self = this->shared_from_this(), response](beast::error_code ec, size_t) {
                        if (ec || !response->keep_alive()) return self->Close();
                        self->Read();
                      });
  }

  void BeginStream(int status, HttpHeaders headers) {
    if (answered_) return;
    answered_ = true;
    streaming_ = true;
    lowest().expires_never();
    stream_response_.emplace(static_cast<beast_http::status>(status), 11);
    for (auto& [name, value] : headers) stream_response_->set(name, value);
    stream_response_->chunked(true);
    stream_response_->keep_alive(false);
    stream_serializer_.emplace(*stream_response_);
    writing_ = true;
    beast_http::async_write_header(stream_, *stream_serializer_,
                             [self = this->shared_from_this()](beast::error_code ec, size_t) {
                               self->writing_ = false;
                               if (ec) return self->Gone();
                               self->WatchForClose();
                               self->WriteNext();
                             });
  }

  void QueueChunk(std::string data, std::function<void(bool)> written) {
    if (gone_) {
      if (written) written(false);
      return;
    }
    chunks_.push_back({std::move(data), std::move(written), false});
    WriteNext();
  }

  void QueueEnd() {
    if (gone_) return;
    chunks_.push_back({"", nullptr, true});
    WriteNext();
  }

  void KeepAlive(std::string chunk) {
    if (gone_ || keep_alive_chunk_.has_value()) return;
    keep_alive_chunk_ = std::move(chunk);
    std::weak_ptr<Session> weak = this->shared_from_this();
    shared_->KeepAlive(connection_id_, [weak] {
      if (std::shared_ptr<Session> self = weak.lock()) {
        self->OnStrand([self] { self->KeepAliveTick(); });
      }
    });
  }

  void SetGoneCallback(std::function<void()> gone) {
    if (gone_) {
      gone();
      return;
    }
    on_gone_ = std::move(gone);
  }

 private:
  static Stream Open(tcp::socket socket, net::ssl::context* tls_context) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls_context);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  struct Chunk {
    std::string data;
    std::function<void(bool)> written;
    bool last;
  };

  void Read() {
    if (shared_->draining) return Close();
    idle_ = true;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser_->body_limit(options_.max_body_bytes);
    answered_ = false;
    lowest().expires_after(ToChrono(options_.idle_timeout));
    beast_http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    idle_ = false;
    // Closed while the request arrived (draining): never handled, never
    // answered, as if it had come a moment later.
    if (closed_) return;
    if (ec == beast_http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return Close();
    }
    if (ec) {
      // A request we cannot take: say why, as a google.rpc.Status, then close. Too large is
      // RESOURCE_EXHAUSTED, the code gRPC gives a message over its limit.
      keep_alive_ = false;
      int status = 400;
      std::string json = R"({"code":3,"message":"malformed HTTP request"})";
      if (ec == beast_http::error::body_limit || ec == beast_http::error::buffer_overflow) {
        status = 413;
        json = absl::StrCat(R"({"code":8,"message":"the request body is larger than )",
                            options_.max_body_bytes, R"( bytes"})");
      } else if (ec == beast_http::error::header_limit) {
        status = 431;
        json = absl::StrCat(R"({"code":8,"message":"the request's headers are larger than )",
                            options_.max_header_bytes, R"( bytes"})");
      }
      Write(status, {{"content-type", "application/json"}}, std::move(json));
      return;
    }
    beast_http::request<beast_http::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    if (!UnambiguousLength(message)) {
      keep_alive_ = false;
      Write(400, {{"content-type", "application/json"}},
            R"({"code":3,"message":"the request's length is ambiguous: Transfer-Encoding must be )"
            R"(\"chunked\" alone, without Content-Length"})");
      return;
    }
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
      auto [it, inserted] = request.headers.try_emplace(name, std::string(field.value()));
      if (!inserted) {
        absl::StrAppend(&it->second, ", ", std::string(field.value()));
        request.repeated.insert(std::move(name));
      }
    }
    request.body = std::move(message.body());
    beast::error_code no_address;
    const tcp::endpoint remote = lowest().socket().remote_endpoint(no_address);
    if (!no_address) request.remote_address = remote.address().to_string();
    // The handler answers later, maybe from another thread; reading the next
    // request waits for that answer.
    handler_(std::make_shared<Exchange<Stream>>(this->shared_from_this(), std::move(request)));
  }

  // Whether the request's body length is read one way only: no
  // Transfer-Encoding, or exactly one "chunked" and no Content-Length. Beast
  // frames a request whose Transfer-Encoding it does not know (e.g.
  // "xchunked") by its Content-Length, where a proxy in front may frame it
  // otherwise: the rest would be smuggled in as a second request.
  static bool UnambiguousLength(const beast_http::request<beast_http::string_body>& message) {
    const auto codings = message.equal_range(beast_http::field::transfer_encoding);
    if (codings.first == codings.second) return true;
    if (std::next(codings.first) != codings.second) return false;
    if (message.find(beast_http::field::content_length) != message.end()) return false;
    return absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(std::string(codings.first->value())),
                                  "chunked");
  }

  // On the keep-alive timer's tick: a stream quiet since the last tick
  // (nothing written, nothing waiting, no write in flight) writes its
  // keep-alive.
  void KeepAliveTick() {
    const bool quiet = !wrote_since_tick_ && !writing_ && chunks_.empty();
    wrote_since_tick_ = false;
    if (quiet && streaming_ && !gone_ && !closed_) QueueChunk(*keep_alive_chunk_, nullptr);
  }

  void WriteNext() {
    if (writing_ || !streaming_ || chunks_.empty() || gone_) return;
    writing_ = true;
    wrote_since_tick_ = true;
    Chunk& chunk = chunks_.front();
    auto done = [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      Chunk finished = std::move(self->chunks_.front());
      self->chunks_.pop_front();
      if (finished.written) finished.written(!ec);
      if (ec) return self->Gone();
      if (finished.last) return self->Close();
      self->WriteNext();
    };
    if (chunk.last) {
      net::async_write(stream_, beast_http::make_chunk_last(), std::move(done));
    } else {
      net::async_write(stream_, beast_http::make_chunk(net::buffer(chunk.data)), std::move(done));
    }
  }

  // While a stream is open nothing more is read, except to notice that the
  // client has gone.
  void WatchForClose() {
    stream_.async_read_some(net::buffer(discard_),
                            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Gone();
                              self->WatchForClose();
                            });
  }

  void Gone() {
    if (gone_) return;
    gone_ = true;
    for (Chunk& chunk : chunks_) {
      if (chunk.written && !writing_) chunk.written(false);
    }
    if (!writing_) chunks_.clear();
    if (on_gone_) std::exchange(on_gone_, nullptr)();
    Close();
  }

  void Close() {
    closed_ = true;
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().socket().close(ignored);
    if (streaming_ && !gone_) Gone();
  }

  std::shared_ptr<ServerShared> shared_;  // first: destroyed after the socket
  int64_t connection_id_ = 0;             // in shared_->connections
  std::shared_ptr<net::ssl::context> tls_context_;  // HTTPS: outlives stream_
  Stream stream_;
  const HttpServerOptions& options_;
  const HttpServer::Handler& handler_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  bool keep_alive_ = false;
  bool answered_ = false;
  // Streaming.
  bool streaming_ = false;
  bool writing_ = false;
  bool gone_ = false;
  std::optional<beast_http::response<beast_http::empty_body>> stream_response_;
  std::optional<beast_http::response_serializer<beast_http::empty_body>> stream_serializer_;
  std::deque<Chunk> chunks_;
  std::function<void()> on_gone_;
  std::optional<std::string> keep_alive_chunk_;  // set: kept alive
  bool wrote_since_tick_ = false;
  char discard_[512];
  // Waiting for a request (none read, or the last one answered).
  bool idle_ = false;
  bool closed_ = false;
};

template <typename Stream>
void Exchange<Stream>::Respond(int status, HttpHeaders headers, std::string body) {
  session_->OnStrand([session = session_, status, headers = std::move(headers),
                      body = std::move(body)]() mutable {
    session->Write(status, std::move(headers), std::move(body));
  });
}

template <typename Stream>
void Exchange<Stream>::StartStream(int status, HttpHeaders headers) {
  session_->OnStrand([session = session_, status, headers = std::move(headers)]() mutable {
    session->BeginStream(status, std::move(headers));
  });
}

template <typename Stream>
void Exchange<Stream>::WriteChunk(std::string data, std::function<void(bool ok)> written) {
  session_->OnStrand([session = session_, data = std::move(data),
                      written = std::move(written)]() mutable {
    session->QueueChunk(std::move(data), std::move(written));
  });
}

template <typename Stream>
void Exchange<Stream>::EndStream() {
  session_->OnStrand([session = session_] { session->QueueEnd(); });
}

template <typename Stream>
void Exchange<Stream>::KeepStreamAlive(std::string chunk) {
  session_->OnStrand([session = session_, chunk = std::move(chunk)]() mutable {
    session->KeepAlive(std::move(chunk));
  });
}

template <typename Stream>
void Exchange<Stream>::OnClientGone(std::function<void()> gone) {
  session_->OnStrand([session = session_, gone = std::move(gone)]() mutable {
    session->SetGoneCallback(std::move(gone));
  });
}

}  // namespace

const std::string& HttpRequest::Header(const std::string& lower_case_name) const {
  static const std::string* const kNone = new std::string();
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? *kNone : it->second;
}

struct HttpServer::Impl {
  Impl(HttpServerOptions options, Handler handler) : shared(std::make_shared<ServerShared>()), acceptor(net::make_strand(shared->io)) {
    shared->options = std::move(options);
    shared->handler = std::move(handler);
  }

  void Accept() {
    acceptor.async_accept(net::make_strand(shared->io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted) return;
      if (ec) return Accept();
      if (shared->tls != nullptr) {
        std::make_shared<Session<TlsStream>>(std::move(socket), shared, shared->tls->Current())
            ->Start();
      } else {
        std::make_shared<Session<PlainStream>>(std::move(socket), shared, nullptr)->Start();
      }
      Accept();
    });
  }

  std::shared_ptr<ServerShared> shared;
  // Keeps the threads running while nothing is pending: once the acceptor
  // closes (Drain), an answer a handler has yet to give is the only work left.
  net::executor_work_guard<net::io_context::executor_type> work{shared->io.get_executor()};
  int port = 0;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  bool stopped = false;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& address,
                                                              HttpServerOptions options,
                                                              Handler handler) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("bad HTTP address \"", address, "\""));
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  if (impl->shared->options.tls.serves_tls()) {
    absl::StatusOr<std::unique_ptr<HttpsContextSource>> tls =
        HttpsContextSource::Load(impl->shared->options.tls);
    if (!tls.ok()) return tls.status();
    impl->shared->tls = *std::move(tls);
  }
  beast::error_code ec;
  const net::ip::address ip = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("bad HTTP host \"", host, "\": ", ec.message()));
  const tcp::endpoint endpoint(ip, static_cast<unsigned short>(port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot serve HTTP on ", address, ": ", ec.message()));
  }
  impl->Accept();
  impl->shared->StartKeepAliveTimer();
  impl->port = impl->acceptor.local_endpoint().port();
  const int threads = std::max(1, impl->shared->options.threads);
  for (int i = 0; i < threads; ++i) {
    impl->threads.emplace_back([shared = impl->shared] { shared->io.run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port; }

bool HttpServer::Drain(absl::Time deadline) {
  if (impl_->stopped) return true;
  ServerShared& shared = *impl_->shared;
  shared.draining = true;
  // No new connections. The acceptor is used on its strand only.
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  std::vector<std::function<void()>> closers;
  {
    absl::MutexLock lock(&shared.mu);
    for (const auto& [id, close_if_idle] : shared.connections) closers.push_back(close_if_idle);
  }
  // Outside the lock: a closer may hold the last reference to its connection.
  for (const std::function<void()>& close_if_idle : closers) close_if_idle();
  closers.clear();
  absl::MutexLock lock(&shared.mu);
  const auto all_closed = [&shared]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared.mu) {
    return shared.connections.empty();
  };
  return shared.mu.AwaitWithDeadline(absl::Condition(&all_closed), deadline);
}

void HttpServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->shared->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

}  // namespace summit::http
