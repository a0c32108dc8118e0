// summitctl's resource commands, for every resource of every service alike:
//
//   summitctl get NAME                         e.g. people/umerov
//   summitctl list COLLECTION [key=value…]     e.g. events/udib-2023/statements filter='kind = KIND_QUOTE'
//   summitctl create COLLECTION JSON|@FILE [id=ID] [key=value…]
//   summitctl update NAME JSON|@FILE [updateMask=a,b]
//   summitctl delete NAME
//   summitctl VERB NAME [JSON|@FILE] [key=value…]   approve, publish, submit, retract, search…
//
// They are routed by the resource name through the contract's HTTP
// annotations (the gateway's transcoder), so a new resource or custom method
// needs no summitctl code. JSON uses the protobuf mapping (lowerCamel or
// proto names); `key=value` sets a request field (query-parameter style,
// `a.b=…` for nested fields, repeated by repeating). A create gets a fresh
// request id unless one is given, so the caller can retry it safely.
#ifndef SUMMIT_TOOLS_SUMMITCTL_RESOURCE_COMMAND_H_
#define SUMMIT_TOOLS_SUMMITCTL_RESOURCE_COMMAND_H_

#include <string>
#include <vector>

namespace summit::ctl {

// Whether `command` is one RunResourceCommand handles (get, list, create,
// update, delete, or a custom verb of some method).
bool IsResourceCommand(const std::string& command);

int RunResourceCommand(const std::string& command, const std::vector<std::string>& args);

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_RESOURCE_COMMAND_H_
