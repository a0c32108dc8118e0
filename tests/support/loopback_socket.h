// A TCP connection to a port on 127.0.0.1 as the tests' hand-written clients use it (HTTP/1.1 in
// http_client.h, HTTP/2 frames in raw_http2.h): connect, send every byte, receive what has
// arrived by a deadline. Sends never block for ever (a 10 s send timeout) and never raise
// SIGPIPE; Nagle's delay is off, so a test's small writes leave at once.
//
//   const int fd = ConnectToLoopback(port);
//   if (fd < 0 || !SendAll(fd, bytes)) ...;
//   std::string buffer;
//   while (ReceiveSome(fd, deadline, buffer) == Received::kData) { ... }
//   close(fd);
#ifndef SUMMIT_TESTS_SUPPORT_LOOPBACK_SOCKET_H_
#define SUMMIT_TESTS_SUPPORT_LOOPBACK_SOCKET_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace summit::testing {

// A connected socket's descriptor (the caller closes it), or -1.
int ConnectToLoopback(int port);

// Sends all of `bytes`; false when the peer stopped taking them.
bool SendAll(int fd, absl::string_view bytes);

enum class Received {
  kData,     // bytes were appended to the buffer
  kEnd,      // the peer closed or reset the connection
  kTimeout,  // nothing came by the deadline
};

// Appends what has arrived, waiting for something at most until `deadline`.
Received ReceiveSome(int fd, absl::Time deadline, std::string& buffer);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_LOOPBACK_SOCKET_H_
