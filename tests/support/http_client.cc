#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "tests/support/loopback_socket.h"

namespace summit::testing {

std::string HttpResponse::Header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpResponse::Describe() const {
  if (!answered) return "no HTTP answer";
  return absl::StrCat("HTTP ", status, " ", body.substr(0, 2000));
}

std::unique_ptr<HttpConnection> HttpConnection::Connect(int port) {
  const int fd = ConnectToLoopback(port);
  if (fd < 0) return nullptr;
  return std::unique_ptr<HttpConnection>(new HttpConnection(fd));
}

HttpConnection::~HttpConnection() { close(fd_); }

bool HttpConnection::Send(absl::string_view data) { return SendAll(fd_, data); }

void HttpConnection::ShutdownWrite() { shutdown(fd_, SHUT_WR); }

namespace {

// "HTTP/1.1 404 Not Found": the status into `response`; false when it is no status line.
bool ParseStatusLine(absl::string_view line, HttpResponse& response) {
  std::vector<absl::string_view> parts = absl::StrSplit(line, absl::MaxSplits(' ', 2));
  return parts.size() >= 2 && absl::StartsWith(parts[0], "HTTP/1.") &&
         absl::SimpleAtoi(parts[1], &response.status);
}

// "Name: value" into `response`'s headers; false when it is no header line.
bool ParseHeaderLine(absl::string_view line, HttpResponse& response) {
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return false;
  response.headers.emplace(absl::AsciiStrToLower(line.substr(0, colon)),
                           std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  return true;
}

}  // namespace

HttpResponse HttpConnection::ReadHead(absl::Time deadline) {
  HttpResponse response;
  std::optional<std::string> status_line = ReadLine(deadline);
  if (!status_line.has_value() || !ParseStatusLine(*status_line, response)) return response;
  while (true) {
    std::optional<std::string> line = ReadLine(deadline);
    if (!line.has_value()) return response;
    if (line->empty()) break;
    if (!ParseHeaderLine(*line, response)) return response;
  }
  response.answered = true;
  return response;
}

bool HttpConnection::ReadBody(HttpResponse& response, absl::Time deadline) {
  if (absl::AsciiStrToLower(response.Header("transfer-encoding")) == "chunked") {
    for (int chunks = 0; chunks < 1000000; ++chunks) {  // bounded
      bool ended = false;
      std::optional<std::string> chunk = ReadChunk(deadline, &ended);
      if (ended) return true;
      if (!chunk.has_value()) return false;
      response.body += *chunk;
    }
    return false;
  }
  const std::string length = response.Header("content-length");
  if (!length.empty()) {
    size_t n = 0;
    if (!absl::SimpleAtoi(length, &n)) return false;
    std::optional<std::string> body = ReadExactly(n, deadline);
    if (!body.has_value()) return false;
    response.body = *std::move(body);
    return true;
  }
  while (Fill(deadline)) {
  }
  response.body = std::move(buffer_);
  buffer_.clear();
  return eof_;
}

std::optional<std::string> HttpConnection::ReadChunk(absl::Time deadline, bool* ended) {
  *ended = false;
  std::optional<std::string> size_line = ReadLine(deadline);
  if (!size_line.has_value()) return std::nullopt;
  const std::string hex(absl::StripAsciiWhitespace(size_line->substr(0, size_line->find(';'))));
  size_t size = 0;
  if (hex.empty() || hex.size() > 8 || !absl::SimpleHexAtoi(hex, &size)) return std::nullopt;
  if (size == 0) {
    // Trailers, up to the empty line.
    for (int lines = 0; lines < 100; ++lines) {
      std::optional<std::string> trailer = ReadLine(deadline);
      if (!trailer.has_value() || trailer->empty()) break;
    }
    *ended = true;
    return std::nullopt;
  }
  std::optional<std::string> data = ReadExactly(size, deadline);
  if (!data.has_value()) return std::nullopt;
  std::optional<std::string> crlf = ReadLine(deadline);
  if (!crlf.has_value() || !crlf->empty()) return std::nullopt;
  return data;
}

bool HttpConnection::Fill(absl::Time deadline) {
  if (eof_) return false;
  switch (ReceiveSome(fd_, deadline, buffer_)) {
    case Received::kData:
      return true;
    case Received::kEnd:
      eof_ = true;  // closed, or reset
      return false;
    case Received::kTimeout:
      return false;
  }
  return false;
}

std::optional<std::string> HttpConnection::ReadLine(absl::Time deadline) {
  while (true) {
    const size_t end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (buffer_.size() > (1 << 20) || !Fill(deadline)) return std::nullopt;
  }
}

std::optional<std::string> HttpConnection::ReadExactly(size_t n, absl::Time deadline) {
  while (buffer_.size() < n) {
    if (!Fill(deadline)) return std::nullopt;
  }
  std::string data = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return data;
}

std::string RequestBytes(absl::string_view method, absl::string_view target, int port,
                         const Headers& headers, absl::string_view body) {
  std::string request =
      absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: 127.0.0.1:", port, "\r\n");
  for (const auto& [name, value] : headers) absl::StrAppend(&request, name, ": ", value, "\r\n");
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    absl::StrAppend(&request, "Content-Type: application/json\r\nContent-Length: ", body.size(),
                    "\r\n");
  }
  absl::StrAppend(&request, "Connection: close\r\n\r\n", body);
  return request;
}

HttpResponse Exchange(int port, const std::string& bytes, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::unique_ptr<HttpConnection> connection = HttpConnection::Connect(port);
  if (connection == nullptr) return HttpResponse{};
  connection->Send(bytes);
  connection->ShutdownWrite();
  HttpResponse response = connection->ReadHead(deadline);
  if (response.answered && !connection->ReadBody(response, deadline)) response.answered = false;
  return response;
}

HttpResponse Http(int port, absl::string_view method, absl::string_view target,
                  const std::string& token, absl::string_view body, Headers headers) {
  if (!token.empty()) headers.emplace_back("Authorization", absl::StrCat("Bearer ", token));
  return Exchange(port, RequestBytes(method, target, port, headers, body));
}

HttpResponse HttpsGet(int port, absl::string_view target, const std::string& ca_file) {
  // curl -i writes the head, then the body; nothing at all when no answer came.
  std::string command = absl::StrCat("curl -sS -i --max-time ", absl::ToInt64Seconds(kHttpPatience),
                                     " --noproxy '*'");
  if (!ca_file.empty()) absl::StrAppend(&command, " --cacert '", ca_file, "'");
  absl::StrAppend(&command, " 'https://127.0.0.1:", port, target, "' 2>/dev/null");
  std::string output;
  if (FILE* curl = popen(command.c_str(), "r"); curl != nullptr) {
    char buffer[8192];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), curl)) > 0) output.append(buffer, n);
    pclose(curl);
  }
  HttpResponse response;
  const size_t head_end = output.find("\r\n\r\n");
  if (head_end == std::string::npos) return response;
  std::vector<absl::string_view> lines =
      absl::StrSplit(absl::string_view(output).substr(0, head_end), "\r\n");
  if (!ParseStatusLine(lines[0], response)) return response;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (!ParseHeaderLine(lines[i], response)) return response;
  }
  response.body = output.substr(head_end + 4);
  response.answered = true;
  return response;
}

std::string Escape(absl::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

HttpStream::HttpStream(int port, const std::string& target, const Headers& headers,
                       absl::Duration head_patience) {
  connection_ = HttpConnection::Connect(port);
  if (connection_ == nullptr) return;
  std::string request = absl::StrCat("GET ", target, " HTTP/1.1\r\nHost: 127.0.0.1:", port, "\r\n");
  for (const auto& [name, value] : headers) absl::StrAppend(&request, name, ": ", value, "\r\n");
  absl::StrAppend(&request, "\r\n");
  connection_->Send(request);
  head_ = connection_->ReadHead(absl::Now() + head_patience);
}

bool HttpStream::ReadBlock(absl::Time deadline) {
  size_t end;
  while ((end = text_.find("\n\n")) == std::string::npos) {
    if (!More(deadline)) return false;
  }
  SseEvent event;
  bool has_data = false;
  for (absl::string_view line : absl::StrSplit(text_.substr(0, end), '\n')) {
    if (absl::ConsumePrefix(&line, ":")) {
      comments_.push_back(std::string(absl::StripLeadingAsciiWhitespace(line)));
    } else if (absl::ConsumePrefix(&line, "retry: ")) {
      retry_hint_ = std::string(line);
    } else if (absl::ConsumePrefix(&line, "id: ")) {
      event.id = std::string(line);
    } else if (absl::ConsumePrefix(&line, "event: ")) {
      event.event = std::string(line);
    } else if (absl::ConsumePrefix(&line, "data: ")) {
      absl::StrAppend(&event.data, line);
      has_data = true;
    }
  }
  text_.erase(0, end + 2);
  if (has_data) events_.push_back(std::move(event));
  return true;
}

std::optional<SseEvent> HttpStream::NextEvent(absl::Time deadline) {
  while (events_.empty()) {
    if (!ReadBlock(deadline)) return std::nullopt;
  }
  SseEvent event = std::move(events_.front());
  events_.pop_front();
  return event;
}

std::optional<std::string> HttpStream::NextComment(absl::Time deadline) {
  while (comments_.empty()) {
    if (!ReadBlock(deadline)) return std::nullopt;
  }
  std::string comment = std::move(comments_.front());
  comments_.pop_front();
  return comment;
}

std::optional<std::string> HttpStream::NextLine(absl::Time deadline) {
  while (true) {
    const size_t end = text_.find('\n');
    if (end != std::string::npos) {
      std::string line = text_.substr(0, end);
      text_.erase(0, end + 1);
      return line;
    }
    if (!More(deadline)) return std::nullopt;
  }
}

std::optional<std::string> HttpStream::Body(absl::Time deadline) {
  if (connection_ == nullptr || !head_.answered) return std::nullopt;
  HttpResponse answer = head_;
  if (!connection_->ReadBody(answer, deadline)) return std::nullopt;
  return answer.body;
}

bool HttpStream::ended() const {
  return ended_ || connection_ == nullptr || !head_.answered || connection_->closed();
}

bool HttpStream::More(absl::Time deadline) {
  if (connection_ == nullptr || !head_.answered || ended_) return false;
  std::optional<std::string> chunk = connection_->ReadChunk(deadline, &ended_);
  if (!chunk.has_value()) return false;
  text_ += *chunk;
  return true;
}

::testing::AssertionResult ParseJson(const std::string& json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;  // unknown fields are errors
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (parsed.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "not a " << message->GetDescriptor()->full_name() << " ("
                                       << parsed.ToString() << "): " << json.substr(0, 2000);
}

::testing::AssertionResult IsHttpError(const HttpResponse& http, int http_status,
                                       grpc::StatusCode code, ErrorBody* details) {
  if (!http.answered) return ::testing::AssertionFailure() << "no HTTP answer";
  if (http.status != http_status) {
    return ::testing::AssertionFailure()
           << "expected HTTP " << http_status << ", got " << http.Describe();
  }
  if (!absl::StartsWith(http.Header("content-type"), "application/json")) {
    return ::testing::AssertionFailure() << "content-type " << http.Header("content-type");
  }
  ErrorBody body;
  ::testing::AssertionResult parsed = ParseJson(http.body, &body.status);
  if (!parsed) return parsed;
  if (body.status.code() != static_cast<int>(code)) {
    return ::testing::AssertionFailure()
           << "expected code " << static_cast<int>(code) << ", got " << http.body;
  }
  if (body.status.message().empty()) {
    return ::testing::AssertionFailure() << "no message: " << http.body;
  }
  for (const google::protobuf::Any& any : body.status.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        body.bad_fields.push_back(violation.field());
        body.bad_descriptions.push_back(violation.description());
      }
    } else if (any.UnpackTo(&info)) {
      body.reason = info.reason();
    }
  }
  if (details != nullptr) *details = std::move(body);
  return ::testing::AssertionSuccess();
}

}  // namespace summit::testing
