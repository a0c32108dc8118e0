// The Registry's request validators (services/registry/registry_validation.h) on any message
// a client can send. Input: one byte choosing the resource, then its protobuf wire format.
#include <cstdint>

#include "fuzz/validation_checks.h"
#include "services/registry/registry_validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace v1 = summit::registry::v1;
  using summit::fuzz::CheckViolations;
  using summit::fuzz::Parse;
  if (size == 0) return 0;
  const absl::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      v1::Event event;
      if (Parse(bytes, event))
        CheckViolations(summit::registry::ValidateEvent(event, "event"), "event");
      break;
    }
    case 1: {
      v1::Organization organization;
      if (Parse(bytes, organization)) {
        CheckViolations(summit::registry::ValidateOrganization(organization, "organization"),
                        "organization");
      }
      break;
    }
    case 2: {
      v1::Person person;
      if (Parse(bytes, person))
        CheckViolations(summit::registry::ValidatePerson(person, "person"), "person");
      break;
    }
    case 3: {
      v1::Delegation delegation;
      if (Parse(bytes, delegation)) {
        CheckViolations(summit::registry::ValidateDelegation(delegation, "delegation"),
                        "delegation");
      }
      break;
    }
    case 4: {
      v1::Participant participant;
      if (Parse(bytes, participant)) {
        CheckViolations(summit::registry::ValidateParticipant(participant, "participant"),
                        "participant");
      }
      break;
    }
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
