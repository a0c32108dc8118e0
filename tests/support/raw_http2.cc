#include "tests/support/raw_http2.h"

#include <nghttp2/nghttp2.h>
#include <unistd.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/loopback_socket.h"

namespace summit::testing {
namespace {

// RFC 9113 section 6: frame types and flags used here.
constexpr uint8_t kData = 0x0;
constexpr uint8_t kHeaders = 0x1;
constexpr uint8_t kRstStream = 0x3;
constexpr uint8_t kSettings = 0x4;
constexpr uint8_t kPing = 0x6;
constexpr uint8_t kGoaway = 0x7;
constexpr uint8_t kWindowUpdate = 0x8;
constexpr uint8_t kContinuation = 0x9;
constexpr uint8_t kEndStream = 0x1;
constexpr uint8_t kAck = 0x1;
constexpr uint8_t kEndHeaders = 0x4;
constexpr uint8_t kPadded = 0x8;
constexpr uint8_t kPriority = 0x20;

// The receive window this client opens at the start (the most HTTP/2 allows).
constexpr uint32_t kWideWindow = 0x7fffffff;

void AppendUint32(std::string& out, uint32_t value) {
  out.push_back(static_cast<char>(value >> 24));
  out.push_back(static_cast<char>(value >> 16));
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value));
}

uint32_t ReadUint32(absl::string_view bytes) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(bytes[0])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[3]));
}

// RFC 7541 section 5.1: an integer with an N-bit prefix; `first` holds the bits above it.
void AppendHpackInteger(std::string& out, uint8_t first, int prefix_bits, size_t value) {
  const size_t limit = (size_t{1} << prefix_bits) - 1;
  if (value < limit) {
    out.push_back(static_cast<char>(first | value));
    return;
  }
  out.push_back(static_cast<char>(first | limit));
  value -= limit;
  while (value >= 128) {
    out.push_back(static_cast<char>((value % 128) + 128));
    value /= 128;
  }
  out.push_back(static_cast<char>(value));
}

// RFC 7541 section 6.2.2: a literal header field without indexing, new name, no Huffman.
void AppendLiteralField(std::string& out, absl::string_view name, absl::string_view value) {
  out.push_back('\0');
  AppendHpackInteger(out, 0, 7, name.size());
  out.append(name.data(), name.size());
  AppendHpackInteger(out, 0, 7, value.size());
  out.append(value.data(), value.size());
}

}  // namespace

std::string Http2Frame(uint8_t type, uint8_t flags, uint32_t stream_id, absl::string_view payload) {
  std::string frame;
  frame.reserve(9 + payload.size());
  frame.push_back(static_cast<char>(payload.size() >> 16));
  frame.push_back(static_cast<char>(payload.size() >> 8));
  frame.push_back(static_cast<char>(payload.size()));
  frame.push_back(static_cast<char>(type));
  frame.push_back(static_cast<char>(flags));
  AppendUint32(frame, stream_id & 0x7fffffff);
  frame.append(payload.data(), payload.size());
  return frame;
}

std::string RawHttp2Stream::Header(absl::string_view name) const {
  std::string value;
  for (const auto& [field, field_value] : headers) {
    if (field == name) value = field_value;
  }
  return value;
}

std::string RawHttp2Stream::Describe() const {
  std::string text = ended ? "ended" : "not ended";
  if (reset_code >= 0) absl::StrAppend(&text, ", RST_STREAM ", reset_code);
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&text, "\n  ", name, ": ", absl::CEscape(value.substr(0, 300)));
  }
  return text;
}

std::unique_ptr<RawHttp2Connection> RawHttp2Connection::Connect(int port) {
  const int fd = ConnectToLoopback(port);
  if (fd < 0) return nullptr;
  std::unique_ptr<RawHttp2Connection> connection(new RawHttp2Connection(fd));
  if (connection->inflater_ == nullptr) return nullptr;
  // The preface, SETTINGS with a wide initial stream window, and the connection's window opened
  // as wide.
  std::string settings;
  settings.push_back(0);
  settings.push_back(0x4);  // SETTINGS_INITIAL_WINDOW_SIZE
  AppendUint32(settings, kWideWindow);
  std::string window;
  AppendUint32(window, kWideWindow - 65535);
  if (!connection->SendRaw(absl::StrCat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                                        Http2Frame(kSettings, 0, 0, settings),
                                        Http2Frame(kWindowUpdate, 0, 0, window)))) {
    return nullptr;
  }
  return connection;
}

RawHttp2Connection::RawHttp2Connection(int fd) : fd_(fd) {
  if (nghttp2_hd_inflate_new(&inflater_) != 0) inflater_ = nullptr;
}

RawHttp2Connection::~RawHttp2Connection() {
  if (inflater_ != nullptr) nghttp2_hd_inflate_del(inflater_);
  close(fd_);
}

bool RawHttp2Connection::SendRaw(absl::string_view bytes) { return SendAll(fd_, bytes); }

bool RawHttp2Connection::SendHeaders(uint32_t stream_id, const RawHeaders& headers,
                                     bool end_stream) {
  std::string block;
  for (const auto& [name, value] : headers) AppendLiteralField(block, name, value);
  return SendRaw(Http2Frame(kHeaders, kEndHeaders | (end_stream ? kEndStream : 0), stream_id,
                            block));
}

bool RawHttp2Connection::SendData(uint32_t stream_id, absl::string_view data, bool end_stream) {
  return SendRaw(Http2Frame(kData, end_stream ? kEndStream : 0, stream_id, data));
}

RawHeaders RawHttp2Connection::GrpcRequestHeaders(absl::string_view path,
                                                  const RawHeaders& metadata) {
  RawHeaders headers = {{":method", "POST"},
                        {":scheme", "http"},
                        {":path", std::string(path)},
                        {":authority", "127.0.0.1"},
                        {"te", "trailers"},
                        {"content-type", "application/grpc"}};
  headers.insert(headers.end(), metadata.begin(), metadata.end());
  return headers;
}

std::string RawHttp2Connection::GrpcFrame(absl::string_view message) {
  std::string frame;
  frame.push_back(0);  // not compressed
  AppendUint32(frame, static_cast<uint32_t>(message.size()));
  frame.append(message.data(), message.size());
  return frame;
}

uint32_t RawHttp2Connection::StartGrpcCall(absl::string_view path, const RawHeaders& metadata,
                                           absl::string_view message) {
  const uint32_t stream_id = NextStreamId();
  if (!SendHeaders(stream_id, GrpcRequestHeaders(path, metadata), /*end_stream=*/false) ||
      !SendData(stream_id, GrpcFrame(message), /*end_stream=*/true)) {
    return 0;
  }
  return stream_id;
}

RawHttp2Stream RawHttp2Connection::Await(uint32_t stream_id, absl::Time deadline) {
  while (!streams_[stream_id].ended && !closed_ && ReadFrame(deadline)) {
  }
  return streams_[stream_id];
}

void RawHttp2Connection::Drain(absl::Time deadline) {
  while (!closed_ && ReadFrame(deadline)) {
  }
}

bool RawHttp2Connection::Fill(size_t bytes, absl::Time deadline) {
  while (buffer_.size() < bytes) {
    switch (ReceiveSome(fd_, deadline, buffer_)) {
      case Received::kData:
        break;
      case Received::kEnd:
        closed_ = true;
        return false;
      case Received::kTimeout:
        return false;
    }
  }
  return true;
}

bool RawHttp2Connection::ReadFrame(absl::Time deadline) {
  if (!Fill(9, deadline)) return false;
  const size_t length = (static_cast<size_t>(static_cast<uint8_t>(buffer_[0])) << 16) |
                        (static_cast<size_t>(static_cast<uint8_t>(buffer_[1])) << 8) |
                        static_cast<size_t>(static_cast<uint8_t>(buffer_[2]));
  if (!Fill(9 + length, deadline)) return false;
  const uint8_t type = static_cast<uint8_t>(buffer_[3]);
  const uint8_t flags = static_cast<uint8_t>(buffer_[4]);
  const uint32_t stream_id = ReadUint32(absl::string_view(buffer_).substr(5, 4)) & 0x7fffffff;
  std::string payload = buffer_.substr(9, length);
  buffer_.erase(0, 9 + length);

  // Strips the padding (and a HEADERS frame's priority fields) off a payload.
  auto unpadded = [&](size_t priority_bytes) {
    size_t pad = 0;
    size_t start = 0;
    if ((flags & kPadded) != 0 && !payload.empty()) {
      pad = static_cast<uint8_t>(payload[0]);
      start = 1;
    }
    start += priority_bytes;
    if (start + pad > payload.size()) return std::string();
    return payload.substr(start, payload.size() - start - pad);
  };

  switch (type) {
    case kData: {
      RawHttp2Stream& stream = streams_[stream_id];
      stream.data += unpadded(0);
      if ((flags & kEndStream) != 0) stream.ended = true;
      break;
    }
    case kHeaders: {
      const std::string block = unpadded((flags & kPriority) != 0 ? 5 : 0);
      if ((flags & kEndHeaders) != 0) {
        OnHeaderBlock(stream_id, block, (flags & kEndStream) != 0);
      } else {
        continued_stream_ = stream_id;
        continued_block_ = block;
        continued_end_stream_ = (flags & kEndStream) != 0;
      }
      break;
    }
    case kContinuation:
      continued_block_ += payload;
      if ((flags & kEndHeaders) != 0) {
        OnHeaderBlock(continued_stream_, continued_block_, continued_end_stream_);
        continued_block_.clear();
      }
      break;
    case kRstStream: {
      RawHttp2Stream& stream = streams_[stream_id];
      stream.ended = true;
      if (payload.size() >= 4) stream.reset_code = ReadUint32(payload);
      break;
    }
    case kSettings:
      if ((flags & kAck) == 0) SendRaw(Http2Frame(kSettings, kAck, 0, ""));
      break;
    case kPing:
      if ((flags & kAck) == 0) SendRaw(Http2Frame(kPing, kAck, 0, payload));
      break;
    case kGoaway:
      goaway_ = true;
      if (payload.size() >= 8) goaway_code_ = ReadUint32(absl::string_view(payload).substr(4, 4));
      break;
    default:  // WINDOW_UPDATE, PRIORITY, unknown: nothing to do
      break;
  }
  return true;
}

void RawHttp2Connection::OnHeaderBlock(uint32_t stream_id, const std::string& block,
                                       bool end_stream) {
  RawHttp2Stream& stream = streams_[stream_id];
  auto* in = reinterpret_cast<const uint8_t*>(block.data());
  size_t left = block.size();
  for (;;) {
    nghttp2_nv field;
    int flags = 0;
    const ssize_t used = nghttp2_hd_inflate_hd2(inflater_, &field, &flags, in, left, /*in_final=*/1);
    if (used < 0) {
      stream.headers.emplace_back(":decoder-error", nghttp2_strerror(static_cast<int>(used)));
      break;
    }
    in += used;
    left -= static_cast<size_t>(used);
    if ((flags & NGHTTP2_HD_INFLATE_EMIT) != 0) {
      stream.headers.emplace_back(
          std::string(reinterpret_cast<const char*>(field.name), field.namelen),
          std::string(reinterpret_cast<const char*>(field.value), field.valuelen));
    }
    if ((flags & NGHTTP2_HD_INFLATE_FINAL) != 0) {
      nghttp2_hd_inflate_end_headers(inflater_);
      break;
    }
    if (used == 0 && left == 0 && (flags & NGHTTP2_HD_INFLATE_EMIT) == 0) break;
  }
  if (end_stream) stream.ended = true;
}

}  // namespace summit::testing
