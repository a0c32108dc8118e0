// Addresses the fault proxy may use: loopback only (127.0.0.0/8, ::1, "localhost"), so a
// proxy started by mistake with another address can never send test traffic off the machine.
//
//   absl::StatusOr<LoopbackAddress> upstream = ParseLoopbackAddress("127.0.0.1:50051");
//   int fd = socket(upstream->family(), SOCK_STREAM, 0);
//   connect(fd, upstream->address(), upstream->length);
//
// Thread-safety: plain values; the functions are pure.
#ifndef SUMMIT_TOOLS_FAULTPROXY_LOOPBACK_ADDRESS_H_
#define SUMMIT_TOOLS_FAULTPROXY_LOOPBACK_ADDRESS_H_

#include <sys/socket.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace summit::faultproxy {

struct LoopbackAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const { return storage.ss_family; }
  const ::sockaddr* address() const { return reinterpret_cast<const ::sockaddr*>(&storage); }
  int port() const;
  // "127.0.0.1:50051" or "[::1]:50051".
  std::string ToString() const;
};

// "HOST:PORT" or "[::1]:PORT", HOST being an IPv4 address in 127.0.0.0/8, ::1 or
// "localhost" (127.0.0.1; no name is looked up). PORT 0 to 65535 (0: any free port, for a
// listener). INVALID_ARGUMENT for anything else, naming why.
absl::StatusOr<LoopbackAddress> ParseLoopbackAddress(absl::string_view text);

// The address a bound or connected socket has (getsockname).
absl::StatusOr<LoopbackAddress> LocalAddressOf(int fd);

}  // namespace summit::faultproxy

#endif  // SUMMIT_TOOLS_FAULTPROXY_LOOPBACK_ADDRESS_H_
