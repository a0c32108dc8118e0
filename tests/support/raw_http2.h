// A stranger's HTTP/2 client, for tests of what Summit's gRPC ports do with input that no
// well-behaved client library sends: frames are written byte for byte (header values with
// control or non-ASCII bytes, a header given twice, thousands of streams on one connection,
// frames out of order), and answers are read frame by frame, their header blocks decoded with
// nghttp2's HPACK decoder (its library only: nothing of nghttp2's session logic, which would
// refuse the same input gRPC's client refuses).
//
//   std::unique_ptr<RawHttp2Connection> h2 = RawHttp2Connection::Connect(port);
//   const uint32_t stream = h2->StartGrpcCall("/summit.registry.v1.RegistryService/GetPerson",
//                                             {{"authorization", "Bearer\tzzz"}}, request_bytes);
//   RawHttp2Stream answer = h2->Await(stream, absl::Now() + absl::Seconds(10));
//   EXPECT_EQ(answer.GrpcStatus(), "16");  // UNAUTHENTICATED
//
// Headers are sent as HPACK literals without indexing and without Huffman coding, so every byte
// of a name or value reaches the server as given. The client answers the server's SETTINGS and
// PING, and opens its receive windows wide at the start, so that nothing but the test's own
// choices holds an answer back.
//
// Thread-compatible: one thread uses a connection at a time.
#ifndef SUMMIT_TESTS_SUPPORT_RAW_HTTP2_H_
#define SUMMIT_TESTS_SUPPORT_RAW_HTTP2_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

struct nghttp2_hd_inflater;

namespace summit::testing {

using RawHeaders = std::vector<std::pair<std::string, std::string>>;

// What came back on one stream.
struct RawHttp2Stream {
  bool ended = false;       // END_STREAM or RST_STREAM arrived
  RawHeaders headers;       // every header block's fields, in order (headers, then trailers)
  std::string data;         // the DATA frames' payloads
  int64_t reset_code = -1;  // RST_STREAM's error code, -1 when none came

  // The value of the last field named `name`, "" when none.
  std::string Header(absl::string_view name) const;
  // The grpc-status trailer ("" when none came), and grpc-message.
  std::string GrpcStatus() const { return Header("grpc-status"); }
  std::string Describe() const;
};

class RawHttp2Connection {
 public:
  // Connects to 127.0.0.1:`port` and sends the client preface and SETTINGS; nullptr when the
  // connection cannot be made.
  static std::unique_ptr<RawHttp2Connection> Connect(int port);
  ~RawHttp2Connection();
  RawHttp2Connection(const RawHttp2Connection&) = delete;
  RawHttp2Connection& operator=(const RawHttp2Connection&) = delete;

  // One HEADERS frame (END_HEADERS set) on `stream_id`, END_STREAM when `end_stream`.
  bool SendHeaders(uint32_t stream_id, const RawHeaders& headers, bool end_stream);
  // One DATA frame.
  bool SendData(uint32_t stream_id, absl::string_view data, bool end_stream);
  // Bytes as they are (a frame of the test's own making).
  bool SendRaw(absl::string_view bytes);

  // The next unused client stream id (odd, increasing).
  uint32_t NextStreamId() { return std::exchange(next_stream_id_, next_stream_id_ + 2); }

  // A gRPC call's request headers for `path` (POST, scheme http, te: trailers,
  // content-type application/grpc), followed by `metadata` as given.
  static RawHeaders GrpcRequestHeaders(absl::string_view path, const RawHeaders& metadata);
  // A serialized message framed as gRPC frames it (uncompressed, length-prefixed).
  static std::string GrpcFrame(absl::string_view message);

  // Starts a unary gRPC call: its headers, then `message` in one DATA frame that ends the
  // stream. Returns the stream's id (0 when the connection would not take the bytes).
  uint32_t StartGrpcCall(absl::string_view path, const RawHeaders& metadata,
                         absl::string_view message);

  // Reads frames until `stream_id` has ended, the connection has ended, or `deadline`.
  RawHttp2Stream Await(uint32_t stream_id, absl::Time deadline);
  // Reads whatever frames arrive until `deadline` or the connection ends.
  void Drain(absl::Time deadline);

  // What has arrived so far on a stream.
  const RawHttp2Stream& Stream(uint32_t stream_id) { return streams_[stream_id]; }
  // Whether the server sent GOAWAY, and its error code; and whether the connection ended.
  bool goaway() const { return goaway_; }
  uint32_t goaway_code() const { return goaway_code_; }
  bool closed() const { return closed_; }

 private:
  explicit RawHttp2Connection(int fd);

  // Reads and handles one frame, waiting at most until `deadline`; false when none came.
  bool ReadFrame(absl::Time deadline);
  bool Fill(size_t bytes, absl::Time deadline);
  void OnHeaderBlock(uint32_t stream_id, const std::string& block, bool end_stream);

  const int fd_;
  nghttp2_hd_inflater* inflater_ = nullptr;
  std::string buffer_;
  std::map<uint32_t, RawHttp2Stream> streams_;
  // A header block continued in CONTINUATION frames: its stream, bytes, and END_STREAM flag.
  uint32_t continued_stream_ = 0;
  std::string continued_block_;
  bool continued_end_stream_ = false;
  uint32_t next_stream_id_ = 1;
  bool goaway_ = false;
  uint32_t goaway_code_ = 0;
  bool closed_ = false;
};

// The bytes of one HTTP/2 frame: a 9-byte head, then `payload`.
std::string Http2Frame(uint8_t type, uint8_t flags, uint32_t stream_id, absl::string_view payload);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_RAW_HTTP2_H_
