// What gRPC accepts as the value of an ASCII (non "-bin") header.
//
// gRPC sends header values of visible ASCII and space only (0x20–0x7E), and a
// call started with any other byte in its metadata does not fail: gRPC 1.51
// aborts the whole process ("validate_metadata: Illegal header value", API
// misuse GRPC_CALL_ERROR_INVALID_METADATA). Its own HTTP/2 server, and any
// HTTP/1.1 server, hand such bytes (a tab, UTF-8, 0xFF) to the application
// without complaint. So a value that came from a caller is checked with this
// before it is copied onto an outgoing call (peers/forwarded_metadata.h), and
// the token check refuses what could not travel on.
//
//   if (!IsSendableHeaderValue(value)) return ...;  // refuse; never AddMetadata
#ifndef SUMMIT_COMMON_TEXT_HEADER_VALUE_H_
#define SUMMIT_COMMON_TEXT_HEADER_VALUE_H_

#include "absl/strings/string_view.h"

namespace summit {

// Whether every byte of `value` is visible ASCII or a space (0x20–0x7E).
bool IsSendableHeaderValue(absl::string_view value);

}  // namespace summit

#endif  // SUMMIT_COMMON_TEXT_HEADER_VALUE_H_
