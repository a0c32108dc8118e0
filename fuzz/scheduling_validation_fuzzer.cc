// Scheduling's request validators (services/scheduling/scheduling_validation.h) on any message
// a client can send. Input: one byte choosing the message, then its protobuf wire format.
#include <cstdint>

#include "fuzz/validation_checks.h"
#include "services/scheduling/scheduling_validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace v1 = summit::scheduling::v1;
  namespace s = summit::scheduling;
  if (size == 0) return 0;
  const absl::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      summit::fuzz::ParseAndValidate<v1::Room>(bytes, "room", s::ValidateRoom);
      break;
    case 1:
      summit::fuzz::ParseAndValidate<v1::Session>(bytes, "session", s::ValidateSession);
      break;
    case 2:
      summit::fuzz::ParseAndValidate<v1::MeetingRequest>(bytes, "meeting_request",
                                                         s::ValidateMeetingRequest);
      break;
    case 3:
      summit::fuzz::ParseAndValidate<v1::PairRule>(bytes, "pair_rule", s::ValidatePairRule);
      break;
    case 4:
      summit::fuzz::ParseAndValidate<v1::Availability>(bytes, "availability",
                                                       s::ValidateAvailability);
      break;
    case 5:
      summit::fuzz::ParseAndValidate<v1::ScheduleOptions>(bytes, "options",
                                                          s::ValidateScheduleOptions);
      break;
  }
  return 0;
}
