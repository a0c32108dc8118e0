#include "tools/summitctl/contract.h"

#include "summit/registry/v1/registry_service.pb.h"

namespace summit::ctl {

std::vector<const google::protobuf::ServiceDescriptor*> KnownServices() {
  return {
      registry::v1::CreateEventRequest::descriptor()->file()->FindServiceByName("RegistryService"),
  };
}

}  // namespace summit::ctl
