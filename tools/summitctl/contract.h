// The services summitctl knows, as compiled-in descriptors. Naming each
// service's generated code here also makes the linker keep it, so that its
// methods are in the generated descriptor pool for `summitctl call`.
#ifndef SUMMIT_TOOLS_SUMMITCTL_CONTRACT_H_
#define SUMMIT_TOOLS_SUMMITCTL_CONTRACT_H_

#include <vector>

#include "google/protobuf/descriptor.h"

namespace summit::ctl {

std::vector<const google::protobuf::ServiceDescriptor*> KnownServices();

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_CONTRACT_H_
