// Scheduling: participants' availability and pair rules, the constraints
// organizers set beside sessions.
#include <algorithm>
#include <set>

#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/auth/access.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/list_query.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/scheduling_internal.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/scheduling_validation.h"

namespace summit::scheduling {
namespace {

constexpr absl::string_view kAvailabilityPattern = "events/*/availabilities/*";
constexpr absl::string_view kPairRulePattern = "events/*/pairRules/*";

}  // namespace

absl::StatusOr<v1::Availability> Scheduling::SetAvailability(
    const Caller& caller, const v1::SetAvailabilityRequest& request) {
  RETURN_IF_ERROR(ToStatus(ValidateAvailability(request.availability(), "availability")));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.availability().name(), kAvailabilityPattern,
                                          "availability.name"));
  const std::string person = absl::StrCat("people/", ids[1]);
  if (!caller.principal.IsOrganizer() && !caller.principal.Is(person)) {
    return auth::Refuse(caller.principal, "NOT_THE_PERSON",
                        "only organizers, or the person, may set availability");
  }
  const std::string event = internal::EventName(ids[0]);
  RETURN_IF_ERROR(registry_.CheckApproved(caller.outgoing, event, {person}));

  v1::Availability availability = request.availability();
  std::sort(availability.mutable_unavailable()->begin(), availability.mutable_unavailable()->end(),
            [](const v1::TimeInterval& a, const v1::TimeInterval& b) {
              return ToMicros(a.start_time()) < ToMicros(b.start_time());
            });
  for (int i = 1; i < availability.unavailable_size(); ++i) {
    if (ToMicros(availability.unavailable(i).start_time()) <
        ToMicros(availability.unavailable(i - 1).end_time())) {
      return InvalidArgumentError({{"availability.unavailable", "intervals must not overlap"}});
    }
  }
  *availability.mutable_update_time() = api::ToTimestamp(clock_());
  availability.set_etag(api::NewEtag());
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Availability> stored, store.FindAvailability(ids[0], ids[1]));
    if (stored.has_value()) {
      RETURN_IF_ERROR(api::CheckEtag(request.availability().etag(), stored->etag(), stored->name()));
    }
    // Sessions the person is in must stay outside their unavailable time.
    for (const v1::TimeInterval& interval : availability.unavailable()) {
      ASSIGN_OR_RETURN(std::optional<Clash> clash,
                       store.FindPersonClash(ids[0], {ids[1]}, api::FromTimestamp(interval.start_time()),
                                             api::FromTimestamp(interval.end_time()), ""));
      if (clash.has_value()) {
        return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "PERSON_IN_SESSION",
                               absl::StrCat(person, " is in ", clash->session,
                                            " during that time; move or cancel it first"),
                               {{"session", clash->session}});
      }
    }
    RETURN_IF_ERROR(store.SetAvailability(ids[0], ids[1], availability));
    return store.BumpRevision(ids[0]);
  }));
  return availability;
}

absl::StatusOr<v1::Availability> Scheduling::GetAvailability(
    const Caller& caller, const v1::GetAvailabilityRequest& request) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.name(), kAvailabilityPattern, "name"));
  if (!auth::SeesEverything(caller.principal) && !caller.principal.Is("people/" + ids[1])) {
    return NotFoundError(request.name());
  }
  std::optional<v1::Availability> availability;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(availability, SchedulingStore(tx).FindAvailability(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!availability.has_value()) {
    // Nobody said anything yet: available all the time.
    v1::Availability empty;
    empty.set_name(request.name());
    return empty;
  }
  return *std::move(availability);
}

absl::StatusOr<v1::PairRule> Scheduling::CreatePairRule(const Caller& caller,
                                                        const v1::CreatePairRuleRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "make pair rules"));
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  std::vector<FieldViolation> violations = ValidatePairRule(request.pair_rule(), "pair_rule");
  ValidateOptionalId(request.pair_rule_id(), "pair_rule_id", violations);
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  v1::PairRule rule = request.pair_rule();
  if (rule.organization_b() < rule.organization_a()) {
    std::swap(*rule.mutable_organization_a(), *rule.mutable_organization_b());
  }
  const std::string id = api::ChosenOrNewId(request.pair_rule_id());
  rule.set_name(absl::StrCat(request.parent(), "/pairRules/", id));
  *rule.mutable_create_time() = api::ToTimestamp(clock_());
  RETURN_IF_ERROR(registry_.CheckOrganizationExists(caller.outgoing, rule.organization_a(),
                                                    "pair_rule.organization_a"));
  RETURN_IF_ERROR(registry_.CheckOrganizationExists(caller.outgoing, rule.organization_b(),
                                                    "pair_rule.organization_b"));

  // Who is in which session now, and their organizations, to refuse a rule
  // that existing sessions already break. The Registry is asked between a
  // read and the write, so the write goes ahead only if no session changed
  // meanwhile (the revision), and the whole check is tried again otherwise.
  constexpr int kAttempts = 5;
  absl::Status outcome;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    int64_t revision = 0;
    std::vector<v1::Session> sessions;
    RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
      SchedulingStore store(tx);
      ASSIGN_OR_RETURN(revision, store.Revision(event_id));
      ASSIGN_OR_RETURN(sessions, store.ActiveSessionsBetween(event_id, absl::InfinitePast(),
                                                             absl::InfiniteFuture()));
      return absl::OkStatus();
    }));
    std::set<std::string> people;
    for (const v1::Session& session : sessions) {
      people.insert(session.participants().begin(), session.participants().end());
    }
    ASSIGN_OR_RETURN(auto organizations,
                     registry_.OrganizationsOf(caller.outgoing,
                                               std::vector<std::string>(people.begin(), people.end())));
    for (const v1::Session& session : sessions) {
      bool side_a = false, side_b = false;
      for (const std::string& person : session.participants()) {
        side_a = side_a || organizations[person] == rule.organization_a();
        side_b = side_b || organizations[person] == rule.organization_b();
      }
      if (side_a && side_b) {
        return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "PAIR_ALREADY_MEETS",
                               absl::StrCat(session.name(), " brings ", rule.organization_a(),
                                            " and ", rule.organization_b(),
                                            " together; cancel it first"),
                               {{"session", session.name()}});
      }
    }
    bool moved_on = false;
    outcome = database_.Write([&](storage::Transaction& tx) -> absl::Status {
      SchedulingStore store(tx);
      // A retried create is answered from its first result, whatever moved.
      ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                       storage::FindCreatedResource(tx, absl::StrCat(request.parent(), "/pairRules"),
                                                    request.request_id()));
      if (!earlier.has_value()) {
        ASSIGN_OR_RETURN(int64_t now_revision, store.Revision(event_id));
        moved_on = now_revision != revision;
        if (moved_on) return absl::OkStatus();
      }
      return storage::CreateOnce<v1::PairRule>(
          tx, request.request_id(),
          [&](const std::string& name) -> absl::StatusOr<std::optional<v1::PairRule>> {
            ASSIGN_OR_RETURN(std::vector<std::string> ids,
                             api::ParseResourceName(name, kPairRulePattern, "name"));
            return store.FindPairRule(ids[0], ids[1]);
          },
          [&]() -> absl::Status {
            ASSIGN_OR_RETURN(std::optional<v1::PairRule> existing, store.FindPairRule(event_id, id));
            if (existing.has_value()) return AlreadyExistsError(rule.name());
            absl::Status inserted = store.InsertPairRule(event_id, id, rule);
            if (absl::IsAlreadyExists(inserted)) {
              return ErrorWithReason(absl::StatusCode::kAlreadyExists, "PAIR_RULE_EXISTS",
                                     absl::StrCat("a rule for ", rule.organization_a(), " and ",
                                                  rule.organization_b(), " exists already"));
            }
            RETURN_IF_ERROR(inserted);
            return store.BumpRevision(event_id);
          },
          rule);
    });
    if (!outcome.ok() || !moved_on) break;
    outcome = ErrorWithReason(absl::StatusCode::kAborted, "CONCURRENT_CHANGE",
                              "sessions kept changing while the rule was checked; try again");
  }
  RETURN_IF_ERROR(outcome);
  return rule;
}

absl::StatusOr<v1::ListPairRulesResponse> Scheduling::ListPairRules(
    const Caller& caller, const v1::ListPairRulesRequest& request) {
  RETURN_IF_ERROR(auth::SeesEverything(caller.principal)
                      ? absl::OkStatus()
                      : auth::Refuse(caller.principal, "ORGANIZER_ONLY",
                                     "only organizers and services may read pair rules"));
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  ASSIGN_OR_RETURN(storage::ListQuery query,
                   storage::ParseListQuery(absl::StrCat(request.parent(), "/pairRules"),
                                           request.page_size(), request.page_token(), "", {}));
  std::vector<v1::PairRule> rules;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(rules, SchedulingStore(tx).ListPairRules(event_id, query.after_id,
                                                              query.fetch_limit()));
    return absl::OkStatus();
  }));
  v1::ListPairRulesResponse response;
  response.set_next_page_token(query.FinishPage(rules));
  for (v1::PairRule& rule : rules) *response.add_pair_rules() = std::move(rule);
  return response;
}

absl::Status Scheduling::DeletePairRule(const Caller& caller,
                                        const v1::DeletePairRuleRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "lift pair rules"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.name(), kPairRulePattern, "name"));
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    SchedulingStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::PairRule> stored, store.FindPairRule(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(request.name());
    RETURN_IF_ERROR(store.DeletePairRule(ids[0], ids[1]));
    return store.BumpRevision(ids[0]);
  });
}

}  // namespace summit::scheduling
