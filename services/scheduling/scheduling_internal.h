// Pieces Scheduling's per-resource files share. Not part of its interface.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULING_INTERNAL_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULING_INTERNAL_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/storage/proto_table.h"
#include "services/scheduling/registry_client.h"
#include "summit/scheduling/v1/resources.pb.h"

namespace summit::scheduling {
class SchedulingStore;
}  // namespace summit::scheduling

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

// The list condition for the sessions the caller may see when they do not
// see everything: MayReadSession, written for the sessions table `t`.
storage::ListCondition VisibleSessionsCondition(const auth::Principal& caller);

// Whether the caller takes part in the meeting request (as requester,
// invitee or attendee), or sees everything.
bool MayReadMeetingRequest(const auth::Principal& caller, const v1::MeetingRequest& request);

// What a caller is told when a pair rule forbids the meeting they ask for:
// FAILED_PRECONDITION with reason PAIR_RULE. Pair rules are the
// secretariat's own (export control, sanctions, conflicts of interest; only
// organizers and services may list them), so only they learn which rule and
// why; anyone else learns that a rule forbids the two organizations to meet.
absl::Status PairRuleRefusal(const auth::Principal& caller, const std::string& organization_a,
                             const std::string& organization_b, const v1::PairRule& rule);

// The session lies inside the event's dates (in its time zone):
// FAILED_PRECONDITION OUTSIDE_EVENT otherwise.
absl::Status CheckInsideEvent(const EventFacts& event, const v1::Session& session);

// Every invariant of a session that the scheduling database can check, inside
// the transaction that writes it: its room exists and seats everyone, no
// person and no room is in another session then, nobody is unavailable, and
// no pair rule forbids two of its participants (`organizations` maps each
// participant to theirs). FAILED_PRECONDITION naming the clash otherwise.
absl::Status CheckSessionAgainstStore(SchedulingStore& store, const std::string& event_id,
                                      const std::string& session_id, const v1::Session& session,
                                      const std::map<std::string, std::string>& organizations);

// The person ids of `people` names.
std::vector<std::string> PersonIds(const google::protobuf::RepeatedPtrField<std::string>& people);

}  // namespace summit::scheduling::internal

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULING_INTERNAL_H_
