#include "services/registry/registry_validation.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/api/field_checks.h"
#include "common/api/resource_name.h"
#include "common/api/violations.h"

namespace summit::registry {
namespace {

using api::Violations;

std::string DisplayNameProblem(absl::string_view text) {
  return api::TextProblem(text, kMaxDisplayNameChars, /*required=*/true);
}

template <typename List>
std::string DuplicateIn(const List& values) {
  absl::flat_hash_set<std::string> seen;
  for (const auto& value : values) {
    if (!seen.insert(value).second) return absl::StrCat("lists \"", value, "\" twice");
  }
  return "";
}

}  // namespace

std::vector<FieldViolation> ValidateEvent(const v1::Event& event, absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Check("display_name", DisplayNameProblem(event.display_name()));
  if (event.kind() == v1::Event::KIND_UNSPECIFIED || !v1::Event::Kind_IsValid(event.kind())) {
    v.Add("kind", "required: one of KIND_SUMMIT, KIND_FORUM, KIND_CONFERENCE, KIND_TRADE_FAIR");
  }
  if (!v1::Event::State_IsValid(event.state())) v.Add("state", "is not a known state");
  v.Check("city", api::TextProblem(event.city(), kMaxCityChars, /*required=*/true));
  v.Check("country", api::CountryCodeProblem(event.country()));
  v.Check("time_zone", api::TimeZoneProblem(event.time_zone()));
  const std::string start_problem = api::DateProblem(event.start_date());
  const std::string end_problem = api::DateProblem(event.end_date());
  v.Check("start_date", start_problem);
  v.Check("end_date", end_problem);
  if (start_problem.empty() && end_problem.empty()) {
    const absl::CivilDay start(event.start_date().year(), event.start_date().month(),
                               event.start_date().day());
    const absl::CivilDay end(event.end_date().year(), event.end_date().month(),
                             event.end_date().day());
    if (end < start) {
      v.Add("end_date", "must not be before start_date");
    } else if (end - start >= kMaxEventDays) {
      v.Add("end_date", absl::StrCat("an event lasts at most ", kMaxEventDays, " days"));
    }
  }
  v.Reference("predecessor", event.predecessor(), "events/*", /*required=*/false);
  if (!event.predecessor().empty() && event.predecessor() == event.name()) {
    v.Add("predecessor", "an event cannot continue itself");
  }
  return out;
}

std::vector<FieldViolation> ValidateOrganization(const v1::Organization& organization,
                                                 absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Check("display_name", DisplayNameProblem(organization.display_name()));
  if (organization.kind() == v1::Organization::KIND_UNSPECIFIED ||
      !v1::Organization::Kind_IsValid(organization.kind())) {
    v.Add("kind", "required: what the organization is, e.g. KIND_DEFENSE_COMPANY");
  }
  v.Check("country", api::CountryCodeProblem(organization.country()));
  if (organization.capabilities_size() > kMaxCapabilities) {
    v.Add("capabilities", absl::StrCat("at most ", kMaxCapabilities, " tags"));
  }
  for (int i = 0; i < organization.capabilities_size(); ++i) {
    v.Check(absl::StrCat("capabilities[", i, "]"), api::TagProblem(organization.capabilities(i)));
  }
  v.Check("capabilities", DuplicateIn(organization.capabilities()));
  if (!organization.website().empty()) v.Check("website", api::WebUrlProblem(organization.website()));
  return out;
}

std::vector<FieldViolation> ValidatePerson(const v1::Person& person, absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Check("display_name", DisplayNameProblem(person.display_name()));
  v.Check("native_name", api::TextProblem(person.native_name(), kMaxDisplayNameChars, false));
  v.Check("title", api::TextProblem(person.title(), kMaxTitleChars, false));
  v.Reference("organization", person.organization(), "organizations/*", /*required=*/false);
  v.Check("country", api::CountryCodeProblem(person.country()));
  if (person.languages_size() > kMaxLanguages) {
    v.Add("languages", absl::StrCat("at most ", kMaxLanguages, " languages"));
  }
  for (int i = 0; i < person.languages_size(); ++i) {
    v.Check(absl::StrCat("languages[", i, "]"), api::LanguageTagProblem(person.languages(i)));
  }
  v.Check("languages", DuplicateIn(person.languages()));
  if (!person.email().empty()) v.Check("email", api::EmailProblem(person.email()));
  if (!person.phone().empty()) v.Check("phone", api::PhoneProblem(person.phone()));
  return out;
}

std::vector<FieldViolation> ValidateDelegation(const v1::Delegation& delegation,
                                               absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Check("display_name", DisplayNameProblem(delegation.display_name()));
  v.Check("country", api::CountryCodeProblem(delegation.country()));
  v.Reference("head", delegation.head(), "people/*", /*required=*/false);
  if (delegation.members_size() > kMaxMembers) {
    v.Add("members", absl::StrCat("at most ", kMaxMembers, " members"));
  }
  for (int i = 0; i < delegation.members_size(); ++i) {
    v.Reference(absl::StrCat("members[", i, "]"), delegation.members(i), "people/*", true);
  }
  v.Check("members", DuplicateIn(delegation.members()));
  return out;
}

std::vector<FieldViolation> ValidateParticipant(const v1::Participant& participant,
                                                absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Reference("person", participant.person(), "people/*", /*required=*/true);
  if (participant.role() == v1::Participant::ROLE_UNSPECIFIED ||
      !v1::Participant::Role_IsValid(participant.role())) {
    v.Add("role", "required: the capacity in which the person attends, e.g. ROLE_DELEGATE");
  }
  return out;
}

void ValidateReason(absl::string_view reason, std::vector<FieldViolation>& violations) {
  std::string problem = api::TextProblem(reason, kMaxReasonChars, /*required=*/true);
  if (!problem.empty()) violations.push_back({"reason", std::move(problem)});
}

}  // namespace summit::registry
