// Whom a call counts against, for limits kept per caller (the gateway's rate limit and its cap
// on open feeds, a service's own cap on open feeds): "subject:<sub>" for a verified token's
// subject, else "ip:<address>" of the client, without its port, so that one client's
// connections share one count and a forged token cannot buy a fresh one.
//
//   CallerKey("people/umerov", "ipv4:10.0.0.7:51234")  // "subject:people/umerov"
//   CallerKey("", "ipv4:10.0.0.7:51234")               // "ip:10.0.0.7"
//   CallerKey("", "ipv6:[::1]:51234")                  // "ip:::1"
#ifndef SUMMIT_COMMON_SERVER_CALLER_KEY_H_
#define SUMMIT_COMMON_SERVER_CALLER_KEY_H_

#include <string>

#include "absl/strings/string_view.h"

namespace summit::server {

// `subject`: a verified token's subject, "" for the public. `peer`: the client as gRPC names it
// ("ipv4:1.2.3.4:5678", "ipv6:[::1]:5678") or a bare address (the HTTP server's).
std::string CallerKey(absl::string_view subject, absl::string_view peer);

}  // namespace summit::server

#endif  // SUMMIT_COMMON_SERVER_CALLER_KEY_H_
