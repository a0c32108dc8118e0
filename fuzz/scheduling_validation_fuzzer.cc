// Scheduling's request validators (services/scheduling/scheduling_validation.h) on any message
// a client can send. Input: one byte choosing the message, then its protobuf wire format.
#include <cstdint>

#include "fuzz/validation_checks.h"
#include "services/scheduling/scheduling_validation.h"

namespace {

template <typename Message, typename Validate>
void Run(absl::string_view bytes, absl::string_view prefix, Validate validate) {
  Message message;
  if (summit::fuzz::Parse(bytes, message)) {
    summit::fuzz::CheckViolations(validate(message, prefix), prefix);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace v1 = summit::scheduling::v1;
  namespace s = summit::scheduling;
  if (size == 0) return 0;
  const absl::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      Run<v1::Room>(bytes, "room", s::ValidateRoom);
      break;
    case 1:
      Run<v1::Session>(bytes, "session", s::ValidateSession);
      break;
    case 2:
      Run<v1::MeetingRequest>(bytes, "meeting_request", s::ValidateMeetingRequest);
      break;
    case 3:
      Run<v1::PairRule>(bytes, "pair_rule", s::ValidatePairRule);
      break;
    case 4:
      Run<v1::Availability>(bytes, "availability", s::ValidateAvailability);
      break;
    case 5:
      Run<v1::ScheduleOptions>(bytes, "options", s::ValidateScheduleOptions);
      break;
  }
  return 0;
}
