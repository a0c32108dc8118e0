#include "tools/summitctl/contract.h"

#include "summit/registry/v1/registry_service.pb.h"
#include "summit/scheduling/v1/scheduling_service.pb.h"
#include "summit/statements/v1/statements_service.pb.h"

namespace summit::ctl {

std::vector<const google::protobuf::ServiceDescriptor*> KnownServices() {
  return {
      registry::v1::CreateEventRequest::descriptor()->file()->FindServiceByName("RegistryService"),
      scheduling::v1::CreateRoomRequest::descriptor()->file()->FindServiceByName(
          "SchedulingService"),
      statements::v1::CreateStatementRequest::descriptor()->file()->FindServiceByName(
          "StatementsService"),
  };
}

}  // namespace summit::ctl
