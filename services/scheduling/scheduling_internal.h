// Pieces Scheduling's per-resource files share. Not part of its interface.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULING_INTERNAL_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULING_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "services/scheduling/registry_client.h"
#include "summit/scheduling/v1/resources.pb.h"

namespace summit::scheduling::internal {

inline std::string EventName(absl::string_view id) { return absl::StrCat("events/", id); }
inline std::string PersonId(absl::string_view person) {
  return std::string(absl::StripPrefix(person, "people/"));
}
inline std::string LastSegment(absl::string_view name) {
  return std::string(name.substr(name.rfind('/') + 1));
}

// The instants the event covers: from its first day's midnight to the
// midnight after its last day, in its time zone.
absl::StatusOr<std::pair<absl::Time, absl::Time>> EventBounds(const EventFacts& event);

// Whether the caller may see the session: organizers, services and its
// participants always; everyone else when it is public and confirmed.
bool MayReadSession(const auth::Principal& caller, const v1::Session& session);

// Whether the caller takes part in the meeting request (as requester,
// invitee or attendee), or sees everything.
bool MayReadMeetingRequest(const auth::Principal& caller, const v1::MeetingRequest& request);

// The person ids of `people` names.
std::vector<std::string> PersonIds(const google::protobuf::RepeatedPtrField<std::string>& people);

}  // namespace summit::scheduling::internal

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULING_INTERNAL_H_
