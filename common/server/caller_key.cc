#include "common/server/caller_key.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace summit::server {

std::string CallerKey(absl::string_view subject, absl::string_view peer) {
  if (!subject.empty()) return absl::StrCat("subject:", subject);
  absl::string_view address = peer;
  if (absl::ConsumePrefix(&address, "ipv4:")) {
    address = address.substr(0, address.rfind(':'));
  } else if (absl::ConsumePrefix(&address, "ipv6:")) {
    address = address.substr(0, address.rfind(':'));
    address = absl::StripSuffix(absl::StripPrefix(address, "["), "]");
  }
  return absl::StrCat("ip:", address);
}

}  // namespace summit::server
