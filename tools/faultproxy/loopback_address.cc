#include "tools/faultproxy/loopback_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace summit::faultproxy {
namespace {

absl::Status Refused(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("address \"", text, "\": ", why));
}

}  // namespace

int LoopbackAddress::port() const {
  if (family() == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
}

std::string LoopbackAddress::ToString() const {
  char host[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, host,
              sizeof host);
    return absl::StrCat("[", host, "]:", port());
  }
  inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, host, sizeof host);
  return absl::StrCat(host, ":", port());
}

absl::StatusOr<LoopbackAddress> ParseLoopbackAddress(absl::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) return Refused(text, "expected HOST:PORT");
  absl::string_view host = text.substr(0, colon);
  int port = -1;
  if (!absl::SimpleAtoi(text.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return Refused(text, "the port must be 0 to 65535");
  }
  LoopbackAddress address;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    const std::string inside(host.substr(1, host.size() - 2));
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET6, inside.c_str(), &v6.sin6_addr) != 1) {
      return Refused(text, "not an IPv6 address");
    }
    if (!IN6_IS_ADDR_LOOPBACK(&v6.sin6_addr))
      return Refused(text, "only loopback (::1) is allowed");
    std::memcpy(&address.storage, &v6, sizeof v6);
    address.length = sizeof v6;
    return address;
  }
  const std::string host_text = host == "localhost" ? "127.0.0.1" : std::string(host);
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host_text.c_str(), &v4.sin_addr) != 1) {
    return Refused(text, "the host must be an IPv4 address in 127.0.0.0/8, [::1] or localhost");
  }
  if ((ntohl(v4.sin_addr.s_addr) >> 24) != 127) {
    return Refused(text, "only loopback (127.0.0.0/8, [::1], localhost) is allowed");
  }
  std::memcpy(&address.storage, &v4, sizeof v4);
  address.length = sizeof v4;
  return address;
}

absl::StatusOr<LoopbackAddress> LocalAddressOf(int fd) {
  LoopbackAddress address;
  address.length = sizeof address.storage;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address.storage), &address.length) != 0) {
    return absl::InternalError(absl::StrCat("getsockname: ", std::strerror(errno)));
  }
  return address;
}

}  // namespace summit::faultproxy
