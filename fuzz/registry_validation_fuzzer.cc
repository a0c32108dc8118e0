// The Registry's request validators (services/registry/registry_validation.h) on any message
// a client can send. Input: one byte choosing the resource, then its protobuf wire format.
#include <cstdint>

#include "fuzz/validation_checks.h"
#include "services/registry/registry_validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace v1 = summit::registry::v1;
  if (size == 0) return 0;
  const absl::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  namespace r = summit::registry;
  using summit::fuzz::ParseAndValidate;
  switch (data[0] % 6) {
    case 0:
      ParseAndValidate<v1::Event>(bytes, "event", r::ValidateEvent);
      break;
    case 1:
      ParseAndValidate<v1::Organization>(bytes, "organization", r::ValidateOrganization);
      break;
    case 2:
      ParseAndValidate<v1::Person>(bytes, "person", r::ValidatePerson);
      break;
    case 3:
      ParseAndValidate<v1::Delegation>(bytes, "delegation", r::ValidateDelegation);
      break;
    case 4:
      ParseAndValidate<v1::Participant>(bytes, "participant", r::ValidateParticipant);
      break;
    case 5: {
      // The free-text and id fields of requests: a reason, a client-chosen id, a request id.
      std::vector<summit::FieldViolation> violations;
      summit::registry::ValidateReason(bytes, violations);
      summit::registry::ValidateOptionalId(bytes, "request.person_id", violations);
      summit::registry::ValidateRequestId(bytes, violations);
      (void)summit::registry::ToStatus(violations);
      break;
    }
  }
  return 0;
}
