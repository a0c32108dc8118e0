// A small blocking HTTP/1.1 client for tests of the gateway: one connection to 127.0.0.1, a
// request written as bytes (so that tests may also send malformed ones), an answer read as
// status line, headers, and a body by Content-Length or chunked encoding, or a stream read
// event by event (Server-Sent Events, newline-delimited JSON); and an HTTPS GET. Every read
// waits at most until a deadline. And what tests check of an answer: its JSON as a message, and an error's
// google.rpc.Status body.
//
//   HttpResponse answer = Http(port, "GET", "/v1/people/umerov", token);
//   rv1::Person person;
//   ASSERT_TRUE(ParseJson(answer.body, &person));
//   EXPECT_TRUE(IsHttpError(Http(port, "GET", "/v1/people/nobody"), 404,
//                           grpc::StatusCode::NOT_FOUND));
//
// Thread-compatible: one thread uses a connection or a stream at a time.
#ifndef SUMMIT_TESTS_SUPPORT_HTTP_CLIENT_H_
#define SUMMIT_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"
#include "gtest/gtest.h"

namespace summit::testing {

// How long an HTTP call waits for its answer, at most (not a measurement).
inline constexpr absl::Duration kHttpPatience = absl::Seconds(60);

struct HttpResponse {
  bool answered = false;  // a status line and headers arrived
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string Header(const std::string& lower_case_name) const;
  // "HTTP 404 {...}" (the body's beginning), or "no HTTP answer".
  std::string Describe() const;
};

class HttpConnection {
 public:
  // nullptr when the connection cannot be made.
  static std::unique_ptr<HttpConnection> Connect(int port);

  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends every byte it can; false when the server stopped taking them (it may still answer).
  bool Send(absl::string_view data);

  // Says the request is complete: the server reads end-of-stream after it.
  void ShutdownWrite();

  // The status line and headers; answered == false when the connection ended or the deadline
  // passed first.
  HttpResponse ReadHead(absl::Time deadline);

  // The whole body of an answer whose head was read; false when it did not all arrive.
  bool ReadBody(HttpResponse& response, absl::Time deadline);

  // The next chunk of a chunked body; nullopt at the last chunk (`*ended` set), when the
  // connection ended, or at the deadline.
  std::optional<std::string> ReadChunk(absl::Time deadline, bool* ended);

  // Whether the server closed (or reset) the connection.
  bool closed() const { return eof_; }

 private:
  explicit HttpConnection(int fd) : fd_(fd) {}

  // Reads what has arrived into buffer_, waiting at most until `deadline`; false at the end of
  // the stream (eof_ set), on an error, or at the deadline.
  bool Fill(absl::Time deadline);
  std::optional<std::string> ReadLine(absl::Time deadline);
  std::optional<std::string> ReadExactly(size_t n, absl::Time deadline);

  const int fd_;
  std::string buffer_;
  bool eof_ = false;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// The bytes of a request: the target as given, a Content-Length when there is a body (or the
// method usually has one), and "Connection: close".
std::string RequestBytes(absl::string_view method, absl::string_view target, int port,
                         const Headers& headers, absl::string_view body);

// Sends `bytes` on a new connection and reads the whole answer.
HttpResponse Exchange(int port, const std::string& bytes, absl::Duration timeout = kHttpPatience);

// One HTTP call: `token` ("" for none) as a bearer token.
HttpResponse Http(int port, absl::string_view method, absl::string_view target,
                  const std::string& token = "", absl::string_view body = "", Headers headers = {});

// GET https://127.0.0.1:`port``target` (with curl: TLS is not this client's), trusting only
// `ca_file` (empty: the system's CAs) and presenting no client certificate. answered == false
// when the connection or the handshake failed: the server is not trusted, or speaks no TLS.
HttpResponse HttpsGet(int port, absl::string_view target, const std::string& ca_file);

// Query-string escaping of one value: every byte but letters, digits and "-_.~".
std::string Escape(absl::string_view text);

// An open stream: Server-Sent Events or newline-delimited JSON, read event by event.
struct SseEvent {
  std::string id;
  std::string event;  // "" for a plain message
  std::string data;
};

class HttpStream {
 public:
  // Opens GET `target`; the head is in head() (answered == false when none came by
  // `head_patience`).
  HttpStream(int port, const std::string& target, const Headers& headers,
             absl::Duration head_patience = kHttpPatience);

  const HttpResponse& head() const { return head_; }

  // The next Server-Sent Event, waiting at most until `deadline`. As an EventSource does, it
  // dispatches only blocks with data: comments (": …") and a retry: hint are kept apart
  // (retry_hint, NextComment).
  std::optional<SseEvent> NextEvent(absl::Time deadline);

  // The next comment line's text (after the colon), waiting at most until `deadline`; events
  // that arrive first are kept for NextEvent.
  std::optional<std::string> NextComment(absl::Time deadline);

  // The last retry: field's value, when one came.
  std::optional<std::string> retry_hint() const { return retry_hint_; }

  // The next line of newline-delimited JSON, waiting at most until `deadline`.
  std::optional<std::string> NextLine(absl::Time deadline);

  // The whole body of an answer that is not a stream (an error's), waiting at most until
  // `deadline`; nullopt when it did not all arrive.
  std::optional<std::string> Body(absl::Time deadline);

  // Whether the stream is over: its last chunk came, or the connection closed (or never
  // answered). What tells a NextEvent that found nothing at the end from one that timed out.
  bool ended() const;

 private:
  bool More(absl::Time deadline);
  // Reads the next block (up to an empty line) and sorts what it holds: an event into events_,
  // comments into comments_, a retry: field into retry_hint_. False when none came by `deadline`.
  bool ReadBlock(absl::Time deadline);

  std::unique_ptr<HttpConnection> connection_;
  HttpResponse head_;
  std::string text_;
  bool ended_ = false;
  std::deque<SseEvent> events_;
  std::deque<std::string> comments_;
  std::optional<std::string> retry_hint_;
};

// `json` parsed into `message` (unknown fields are errors).
::testing::AssertionResult ParseJson(const std::string& json, google::protobuf::Message* message);

template <typename Message>
std::string ToJson(const Message& message) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json).ok());
  return json;
}

// The HTTP answer is 200 and its JSON is exactly `expected` (what gRPC answered).
template <typename Message>
::testing::AssertionResult SameAsGrpc(const HttpResponse& http, const Message& expected) {
  if (!http.answered || http.status != 200) {
    return ::testing::AssertionFailure() << http.Describe();
  }
  if (!absl::StartsWith(http.Header("content-type"), "application/json")) {
    return ::testing::AssertionFailure() << "content-type " << http.Header("content-type");
  }
  Message parsed;
  ::testing::AssertionResult ok = ParseJson(http.body, &parsed);
  if (!ok) return ok;
  google::protobuf::util::MessageDifferencer differencer;
  std::string differences;
  differencer.ReportDifferencesToString(&differences);
  if (!differencer.Compare(expected, parsed)) {
    return ::testing::AssertionFailure() << "HTTP and gRPC differ:\n" << differences;
  }
  return ::testing::AssertionSuccess();
}

// An error's google.rpc.Status body, and its details.
struct ErrorBody {
  google::rpc::Status status;
  std::vector<std::string> bad_fields;        // BadRequest field violations
  std::vector<std::string> bad_descriptions;  // and what each says, in the same order
  std::string reason;                   // ErrorInfo reason
};

// The HTTP answer is `http_status` with a google.rpc.Status body of `code` and a message; its
// details are returned through `details` when given.
::testing::AssertionResult IsHttpError(const HttpResponse& http, int http_status,
                                       grpc::StatusCode code, ErrorBody* details = nullptr);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_HTTP_CLIENT_H_
