#include "services/scheduling/scheduling_internal.h"

#include <algorithm>

#include "absl/time/civil_time.h"
#include "common/auth/access.h"
#include "common/status/error.h"

namespace summit::scheduling::internal {

absl::StatusOr<std::pair<absl::Time, absl::Time>> EventBounds(const EventFacts& event) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(event.time_zone, &zone)) {
    return absl::FailedPreconditionError(
        absl::StrCat(event.name, " has a time zone this server does not know: ", event.time_zone));
  }
  const absl::CivilDay first(event.start_date.year(), event.start_date.month(),
                             event.start_date.day());
  const absl::CivilDay last(event.end_date.year(), event.end_date.month(), event.end_date.day());
  return std::make_pair(absl::FromCivil(first, zone), absl::FromCivil(last + 1, zone));
}

bool MayReadSession(const auth::Principal& caller, const v1::Session& session) {
  if (auth::SeesEverything(caller)) return true;
  const auto& people = session.participants();
  if (!caller.subject.empty() && std::find(people.begin(), people.end(), caller.subject) != people.end()) {
    return true;
  }
  return session.visibility() == v1::Session::VISIBILITY_PUBLIC &&
         session.state() == v1::Session::STATE_CONFIRMED;
}

storage::ListCondition VisibleSessionsCondition(const auth::Principal& caller) {
  return {absl::StrCat("(visibility = ", v1::Session::VISIBILITY_PUBLIC, " AND state = ",
                       v1::Session::STATE_CONFIRMED,
                       ") OR EXISTS (SELECT 1 FROM person_bookings b WHERE b.event_id = t.event_id "
                       "AND b.session_id = t.id AND b.person_id = ?)"),
          PersonId(caller.subject)};
}

bool MayReadMeetingRequest(const auth::Principal& caller, const v1::MeetingRequest& request) {
  return auth::SeesEverything(caller) || caller.Is(request.requester()) ||
         caller.Is(request.invitee()) || caller.Is(request.attendee());
}

absl::Status PairRuleRefusal(const auth::Principal& caller, const std::string& organization_a,
                             const std::string& organization_b, const v1::PairRule& rule) {
  const std::string forbidden =
      absl::StrCat(organization_a, " and ", organization_b, " may not meet");
  if (!auth::SeesEverything(caller)) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "PAIR_RULE",
                           absl::StrCat(forbidden, " at this event: a pair rule forbids it"));
  }
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "PAIR_RULE",
                         absl::StrCat(forbidden, ": ", rule.name(), " (", rule.reason(), ")"),
                         {{"pair_rule", rule.name()}});
}

std::vector<std::string> PersonIds(const google::protobuf::RepeatedPtrField<std::string>& people) {
  std::vector<std::string> ids;
  ids.reserve(people.size());
  for (const std::string& person : people) ids.push_back(PersonId(person));
  return ids;
}

}  // namespace summit::scheduling::internal
