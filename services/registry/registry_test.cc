// Tests of the Registry's domain layer (registry.h), driven directly — no gRPC — on a real
// SQLite file in a temporary folder, with a fixed clock. They load the people and organizations
// of the Ukraine Defense Industrial Base Summit (Washington, 6–7 December 2023; see
// ../shared/seed/summit-article.txt) and check every operation, every rule between resources,
// every field check, the role matrix of access_policy.h and the name search.
//
// "Nothing changed" is checked by comparing a snapshot of every stored resource (Snapshot())
// taken before and after a refused call.
#include "common/api/filter.h"
#include "services/registry/registry.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/status/error.h"
#include "common/status/status_matchers.h"
#include "common/storage/database.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_validation.h"

// Failure messages show a StatusOr of a resource as its status (or "OK: " and the resource)
// rather than as bytes.
// gtest finds PrintTo by argument-dependent lookup, so it lives in the type's namespace.
namespace absl {
template <typename T>
void PrintTo(const StatusOr<T>& result, std::ostream* os) {
  if (result.ok()) {
    *os << "OK: " << result->ShortDebugString();
  } else {
    *os << result.status();
  }
}
}  // namespace absl

namespace summit::registry {
namespace {

using ::summit::testing::IsOk;
using ::summit::testing::StatusIs;
using ::testing::StartsWith;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAreArray;
using auth::Principal;
using auth::Role;
using Code = absl::StatusCode;

// ---------------------------------------------------------------------------------------------
// Matchers.

// The fields of the BadRequest violations a status carries, sorted.
std::vector<std::string> ViolationFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status)) fields.push_back(violation.field);
  std::sort(fields.begin(), fields.end());
  return fields;
}

// INVALID_ARGUMENT with exactly one violation on each of `fields` (sorted) and no other.
MATCHER_P(IsInvalidOnSorted, fields, "is INVALID_ARGUMENT with violations on exactly {" +
                                         absl::StrJoin(fields, ", ") + "}") {
  const absl::Status& status = ::summit::testing::GetStatus(arg);
  const std::vector<std::string> got = ViolationFields(status);
  *result_listener << "which is " << status << " with violations on {" << absl::StrJoin(got, ", ")
                   << "}";
  return status.code() == Code::kInvalidArgument && got == fields;
}

auto InvalidOn(std::vector<std::string> fields) {
  std::sort(fields.begin(), fields.end());
  return IsInvalidOnSorted(fields);
}

// A status of `code` whose google.rpc.ErrorInfo reason is `reason`.
MATCHER_P2(IsErrorWithReason, code, reason,
           absl::StrCat("has code ", absl::StatusCodeToString(code), " and reason ", reason)) {
  const absl::Status& status = ::summit::testing::GetStatus(arg);
  *result_listener << "which is " << status << " with reason \"" << ReasonOf(status) << "\"";
  return status.code() == code && ReasonOf(status) == std::string(reason);
}

MATCHER_P(EqualsProto, expected, "equals " + expected.ShortDebugString()) {
  *result_listener << "which is " << arg.ShortDebugString();
  return google::protobuf::util::MessageDifferencer::Equals(arg, expected);
}

// The lines only in `before` ("- ") or only in `after` ("+ "): what a refused call changed.
std::string LineDiff(const std::string& before, const std::string& after) {
  const std::vector<std::string> a = absl::StrSplit(before, '\n');
  const std::vector<std::string> b = absl::StrSplit(after, '\n');
  const std::set<std::string> in_a(a.begin(), a.end());
  const std::set<std::string> in_b(b.begin(), b.end());
  std::string diff;
  for (const std::string& line : a) {
    if (in_b.count(line) == 0) absl::StrAppend(&diff, "- ", line, "\n");
  }
  for (const std::string& line : b) {
    if (in_a.count(line) == 0) absl::StrAppend(&diff, "+ ", line, "\n");
  }
  return diff;
}

// Expects the store to hold exactly what Snapshot() returned as `before`.
#define EXPECT_UNCHANGED(before)                                                 \
  do {                                                                           \
    const std::string snapshot_after = Snapshot();                               \
    EXPECT_TRUE(snapshot_after == (before))                                      \
        << "the store changed:\n" << LineDiff((before), snapshot_after);          \
  } while (false)

template <typename Message>
std::vector<std::string> NamesOf(const google::protobuf::RepeatedPtrField<Message>& items) {
  std::vector<std::string> names;
  for (const Message& item : items) names.push_back(item.name());
  return names;
}

// The value of `result`, or a test failure and a default value.
template <typename T>
T Must(absl::StatusOr<T> result, const char* what = "") {
  if (!result.ok()) {
    ADD_FAILURE() << what << ": " << result.status();
    return T();
  }
  return *std::move(result);
}

// ---------------------------------------------------------------------------------------------
// Callers.

Principal Organizer() { return {"people/secretariat-officer", Role::kOrganizer}; }
Principal Service() { return {"services/scheduling", Role::kService}; }
Principal Press() { return {"people/accredited-journalist", Role::kPress}; }
Principal Anonymous() { return Principal::Public(); }
Principal As(Role role, const std::string& person_id) {
  return {absl::StrCat("people/", person_id), role};
}

// ---------------------------------------------------------------------------------------------
// Resources.

google::type::Date Day(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::Event Event(const std::string& display_name, v1::Event::Kind kind, const std::string& city,
                const std::string& country, const std::string& time_zone,
                google::type::Date start, google::type::Date end,
                const std::string& predecessor = "") {
  v1::Event event;
  event.set_display_name(display_name);
  event.set_kind(kind);
  event.set_city(city);
  event.set_country(country);
  event.set_time_zone(time_zone);
  *event.mutable_start_date() = start;
  *event.mutable_end_date() = end;
  event.set_predecessor(predecessor);
  return event;
}

v1::Event KyivForum() {
  v1::Event event = Event("International Defense Industries Forum", v1::Event::KIND_FORUM, "Kyiv",
                          "UA", "Europe/Kyiv", Day(2023, 9, 29), Day(2023, 9, 29));
  event.set_state(v1::Event::STATE_CONCLUDED);
  return event;
}

v1::Event WashingtonSummit() {
  return Event("Ukraine Defense Industrial Base Summit", v1::Event::KIND_SUMMIT, "Washington", "US",
               "America/New_York", Day(2023, 12, 6), Day(2023, 12, 7), "events/kyiv-forum-2023");
}

// A small valid event for tests that need one more.
v1::Event SomeEvent(const std::string& display_name = "Defense Industries Conference") {
  return Event(display_name, v1::Event::KIND_CONFERENCE, "Lviv", "UA", "Europe/Kyiv",
               Day(2024, 5, 14), Day(2024, 5, 15));
}

v1::Organization Organization(const std::string& display_name, v1::Organization::Kind kind,
                              const std::string& country,
                              std::vector<std::string> capabilities = {},
                              const std::string& website = "") {
  v1::Organization organization;
  organization.set_display_name(display_name);
  organization.set_kind(kind);
  organization.set_country(country);
  for (std::string& capability : capabilities) organization.add_capabilities(std::move(capability));
  organization.set_website(website);
  return organization;
}

v1::Person Person(const std::string& display_name, const std::string& native_name,
                  const std::string& title, const std::string& organization,
                  const std::string& country, std::vector<std::string> languages = {},
                  const std::string& email = "", const std::string& phone = "") {
  v1::Person person;
  person.set_display_name(display_name);
  person.set_native_name(native_name);
  person.set_title(title);
  person.set_organization(organization);
  person.set_country(country);
  for (std::string& language : languages) person.add_languages(std::move(language));
  person.set_email(email);
  person.set_phone(phone);
  return person;
}

v1::Person SomePerson(const std::string& display_name = "Test Person") {
  return Person(display_name, "", "Analyst", "", "UA", {"uk"}, "someone@example.org",
                "+380441112233");
}

v1::Delegation Delegation(const std::string& display_name, const std::string& country,
                          const std::string& head, std::vector<std::string> members) {
  v1::Delegation delegation;
  delegation.set_display_name(display_name);
  delegation.set_country(country);
  delegation.set_head(head);
  for (std::string& member : members) delegation.add_members(std::move(member));
  return delegation;
}

// The seed: who was at the December 2023 summit (see summit-article.txt).
constexpr char kSummit[] = "events/udib-2023";
constexpr char kForum[] = "events/kyiv-forum-2023";
constexpr char kUkraineDelegation[] = "events/udib-2023/delegations/ukraine";

struct SeedOrganization {
  const char* id;
  const char* display_name;
  v1::Organization::Kind kind;
  const char* country;
  std::vector<std::string> capabilities;
  const char* website;
};

const std::vector<SeedOrganization>& SeedOrganizations() {
  using O = v1::Organization;
  static const auto* const kOrganizations = new std::vector<SeedOrganization>{
      {"ua-mod", "Ministry of Defence of Ukraine", O::KIND_GOVERNMENT_BODY, "UA", {},
       "https://www.mil.gov.ua"},
      {"ua-president-office", "Office of the President of Ukraine", O::KIND_GOVERNMENT_BODY, "UA",
       {}, "https://www.president.gov.ua"},
      {"verkhovna-rada", "Verkhovna Rada of Ukraine", O::KIND_LEGISLATURE, "UA", {},
       "https://www.rada.gov.ua"},
      {"ua-strategic-industries", "Ministry of Strategic Industries of Ukraine",
       O::KIND_GOVERNMENT_BODY, "UA", {"air-defense", "artillery-ammunition", "drones"}, ""},
      {"ua-mfa", "Ministry of Foreign Affairs of Ukraine", O::KIND_GOVERNMENT_BODY, "UA", {},
       "https://mfa.gov.ua"},
      {"servant-of-the-people", "Servant of the People", O::KIND_POLITICAL_PARTY, "UA", {}, ""},
      {"ua-embassy-us", "Embassy of Ukraine in the United States", O::KIND_DIPLOMATIC_MISSION, "UA",
       {}, ""},
      {"white-house", "The White House", O::KIND_GOVERNMENT_BODY, "US", {},
       "https://www.whitehouse.gov"},
      {"pentagon", "The Pentagon (U.S. Department of Defense)", O::KIND_GOVERNMENT_BODY, "US",
       {"air-defense"}, "https://www.defense.gov"},
      {"us-state-department", "U.S. Department of State", O::KIND_GOVERNMENT_BODY, "US", {}, ""},
      {"us-commerce-department", "U.S. Department of Commerce", O::KIND_GOVERNMENT_BODY, "US", {},
       ""},
      {"us-congress", "United States Congress", O::KIND_LEGISLATURE, "US", {}, ""},
  };
  return *kOrganizations;
}

struct SeedPerson {
  const char* id;
  const char* display_name;
  const char* native_name;
  const char* title;
  const char* organization_id;  // "" for none
  const char* country;
  std::vector<std::string> languages;
};

const std::vector<SeedPerson>& SeedPeople() {
  static const auto* const kPeople = new std::vector<SeedPerson>{
      {"zelensky", "Volodymyr Zelensky", "Володимир Зеленський", "President of Ukraine",
       "ua-president-office", "UA", {"uk", "en"}},
      {"umerov", "Rustem Umerov", "Рустем Умєров", "Minister of Defense of Ukraine", "ua-mod", "UA",
       {"uk", "crh", "en"}},
      {"yermak", "Andriy Yermak", "Андрій Єрмак", "Head of the Office of the President of Ukraine",
       "ua-president-office", "UA", {"uk", "en"}},
      {"stefanchuk", "Ruslan Stefanchuk", "Руслан Стефанчук",
       "Speaker of the Verkhovna Rada of Ukraine", "verkhovna-rada", "UA", {"uk"}},
      {"kamyshin", "Oleksandr Kamyshin", "Олександр Камишін",
       "Minister of Strategic Industries of Ukraine", "ua-strategic-industries", "UA", {"uk", "en"}},
      {"tochytskyi", "Mykola Tochytskyi", "Микола Точицький",
       "Deputy Minister of Foreign Affairs of Ukraine", "ua-mfa", "UA", {"uk", "en"}},
      {"arakhamia", "Davyd Arakhamia", "Давид Арахамія",
       "Head of the Servant of the People parliamentary faction", "servant-of-the-people", "UA",
       {"uk"}},
      {"markarova", "Oksana Markarova", "Оксана Маркарова",
       "Ambassador of Ukraine to the United States", "ua-embassy-us", "UA", {"uk", "en"}},
      {"biden", "Joseph Biden", "", "President of the United States", "white-house", "US", {"en"}},
      // Two fictional applicants whose accreditations are not approved.
      {"jane-doe", "Jane Doe", "", "Correspondent", "", "US", {"en"}},
      {"john-roe", "John Roe", "", "Sales Director", "", "US", {"en"}},
  };
  return *kPeople;
}

// The Ukrainian officials accredited to the summit, in the delegation headed by Yermak.
const std::vector<std::string>& DelegationMembers() {
  static const auto* const kMembers = new std::vector<std::string>{
      "yermak", "umerov", "stefanchuk", "kamyshin", "tochytskyi", "arakhamia", "markarova"};
  return *kMembers;
}

std::string PersonName(const std::string& id) { return absl::StrCat("people/", id); }
std::string SummitParticipant(const std::string& id) {
  return absl::StrCat(kSummit, "/participants/", id);
}
std::string Email(const std::string& id) { return absl::StrCat(id, "@example.org"); }

// ---------------------------------------------------------------------------------------------
// The fixture: a Registry on a fresh SQLite file, with a clock the test moves.

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "registry_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    absl::StatusOr<std::unique_ptr<storage::Database>> database =
        storage::Database::Open("sqlite://" + dir_ + "/r.db");
    ASSERT_OK(database.status());
    database_ = *std::move(database);
    ASSERT_OK(database_->ApplyMigrations(RegistryMigrations()).status());
    registry_ = std::make_unique<Registry>(*database_, [this] { return now_; });
  }

  void TearDown() override {
    registry_.reset();
    database_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Loads the event, organizations, people, accreditations and delegation of the seed.
  void Seed() {
    ASSERT_OK(CreateEvent(KyivForum(), "kyiv-forum-2023").status());
    ASSERT_OK(CreateEvent(WashingtonSummit(), "udib-2023").status());
    for (const SeedOrganization& o : SeedOrganizations()) {
      ASSERT_OK(CreateOrganization(
                    Organization(o.display_name, o.kind, o.country, o.capabilities, o.website), o.id)
                    .status());
    }
    int phone = 1000000;
    for (const SeedPerson& p : SeedPeople()) {
      const std::string organization =
          *p.organization_id == '\0' ? "" : absl::StrCat("organizations/", p.organization_id);
      ASSERT_OK(CreatePerson(Person(p.display_name, p.native_name, p.title, organization,
                                    p.country, p.languages, Email(p.id),
                                    absl::StrCat("+38044", phone++)),
                             p.id)
                    .status());
    }
    for (const std::string& id : DelegationMembers()) {
      ASSERT_OK(Accredit(kSummit, id, v1::Participant::ROLE_DELEGATE).status());
      ASSERT_OK(Approve(SummitParticipant(id)).status());
    }
    ASSERT_OK(Accredit(kSummit, "jane-doe", v1::Participant::ROLE_PRESS).status());
    ASSERT_OK(Accredit(kSummit, "john-roe", v1::Participant::ROLE_INDUSTRY).status());
    ASSERT_OK(Reject(SummitParticipant("john-roe"), "No company registration provided").status());
    // Kamyshin hosted the Kyiv forum.
    ASSERT_OK(Accredit(kForum, "kamyshin", v1::Participant::ROLE_HOST_GOVERNMENT).status());
    ASSERT_OK(Approve(absl::StrCat(kForum, "/participants/kamyshin")).status());

    std::vector<std::string> members;
    for (const std::string& id : DelegationMembers()) {
      if (id != "yermak") members.push_back(PersonName(id));
    }
    ASSERT_OK(CreateDelegation(kSummit,
                               Delegation("Delegation of Ukraine", "UA", "people/yermak", members),
                               "ukraine")
                  .status());
  }

  // Short forms of the Registry's calls, as an organizer unless told otherwise.
  absl::StatusOr<v1::Event> CreateEvent(const v1::Event& event, const std::string& id,
                                        const std::string& request_id = "",
                                        const Principal& caller = Organizer()) {
    v1::CreateEventRequest request;
    *request.mutable_event() = event;
    request.set_event_id(id);
    request.set_request_id(request_id);
    return registry_->CreateEvent(caller, request);
  }
  absl::StatusOr<v1::Event> GetEvent(const std::string& name,
                                     const Principal& caller = Organizer()) {
    v1::GetEventRequest request;
    request.set_name(name);
    return registry_->GetEvent(caller, request);
  }
  absl::StatusOr<v1::Event> UpdateEvent(const v1::Event& event, std::vector<std::string> paths,
                                        const Principal& caller = Organizer()) {
    v1::UpdateEventRequest request;
    *request.mutable_event() = event;
    for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
    return registry_->UpdateEvent(caller, request);
  }
  absl::Status DeleteEvent(const std::string& name, const std::string& etag = "",
                           const Principal& caller = Organizer()) {
    v1::DeleteEventRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return registry_->DeleteEvent(caller, request);
  }
  absl::StatusOr<v1::ListEventsResponse> ListEvents(const std::string& filter, int page_size = 0,
                                                    const std::string& page_token = "",
                                                    const Principal& caller = Organizer()) {
    v1::ListEventsRequest request;
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return registry_->ListEvents(caller, request);
  }

  absl::StatusOr<v1::Organization> CreateOrganization(const v1::Organization& organization,
                                                      const std::string& id,
                                                      const std::string& request_id = "",
                                                      const Principal& caller = Organizer()) {
    v1::CreateOrganizationRequest request;
    *request.mutable_organization() = organization;
    request.set_organization_id(id);
    request.set_request_id(request_id);
    return registry_->CreateOrganization(caller, request);
  }
  absl::StatusOr<v1::Organization> GetOrganization(const std::string& name,
                                                   const Principal& caller = Organizer()) {
    v1::GetOrganizationRequest request;
    request.set_name(name);
    return registry_->GetOrganization(caller, request);
  }
  absl::StatusOr<v1::Organization> UpdateOrganization(const v1::Organization& organization,
                                                      std::vector<std::string> paths,
                                                      const Principal& caller = Organizer()) {
    v1::UpdateOrganizationRequest request;
    *request.mutable_organization() = organization;
    for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
    return registry_->UpdateOrganization(caller, request);
  }
  absl::Status DeleteOrganization(const std::string& name, const std::string& etag = "",
                                  const Principal& caller = Organizer()) {
    v1::DeleteOrganizationRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return registry_->DeleteOrganization(caller, request);
  }
  absl::StatusOr<v1::ListOrganizationsResponse> ListOrganizations(
      const std::string& filter, int page_size = 0, const std::string& page_token = "",
      const Principal& caller = Organizer()) {
    v1::ListOrganizationsRequest request;
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return registry_->ListOrganizations(caller, request);
  }

  absl::StatusOr<v1::Person> CreatePerson(const v1::Person& person, const std::string& id,
                                          const std::string& request_id = "",
                                          const Principal& caller = Organizer()) {
    v1::CreatePersonRequest request;
    *request.mutable_person() = person;
    request.set_person_id(id);
    request.set_request_id(request_id);
    return registry_->CreatePerson(caller, request);
  }
  absl::StatusOr<v1::Person> GetPerson(const std::string& name,
                                       const Principal& caller = Organizer()) {
    v1::GetPersonRequest request;
    request.set_name(name);
    return registry_->GetPerson(caller, request);
  }
  absl::StatusOr<v1::BatchGetPeopleResponse> BatchGetPeople(std::vector<std::string> names,
                                                            const Principal& caller = Organizer()) {
    v1::BatchGetPeopleRequest request;
    for (std::string& name : names) request.add_names(std::move(name));
    return registry_->BatchGetPeople(caller, request);
  }
  absl::StatusOr<v1::Person> UpdatePerson(const v1::Person& person, std::vector<std::string> paths,
                                          const Principal& caller = Organizer()) {
    v1::UpdatePersonRequest request;
    *request.mutable_person() = person;
    for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
    return registry_->UpdatePerson(caller, request);
  }
  absl::Status DeletePerson(const std::string& name, const std::string& etag = "",
                            const Principal& caller = Organizer()) {
    v1::DeletePersonRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return registry_->DeletePerson(caller, request);
  }
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(const std::string& filter, int page_size = 0,
                                                    const std::string& page_token = "",
                                                    const Principal& caller = Organizer()) {
    v1::ListPeopleRequest request;
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return registry_->ListPeople(caller, request);
  }
  absl::StatusOr<v1::SearchPeopleResponse> Search(const std::string& query, int page_size = 0,
                                                  const Principal& caller = Organizer()) {
    v1::SearchPeopleRequest request;
    request.set_query(query);
    request.set_page_size(page_size);
    return registry_->SearchPeople(caller, request);
  }
  // The names of the people a search finds, best first.
  std::vector<std::string> Found(const std::string& query) {
    v1::SearchPeopleResponse response = Must(Search(query), query.c_str());
    std::vector<std::string> names;
    for (const auto& result : response.results()) names.push_back(result.person().name());
    return names;
  }

  absl::StatusOr<v1::Delegation> CreateDelegation(const std::string& parent,
                                                  const v1::Delegation& delegation,
                                                  const std::string& id,
                                                  const std::string& request_id = "",
                                                  const Principal& caller = Organizer()) {
    v1::CreateDelegationRequest request;
    request.set_parent(parent);
    *request.mutable_delegation() = delegation;
    request.set_delegation_id(id);
    request.set_request_id(request_id);
    return registry_->CreateDelegation(caller, request);
  }
  absl::StatusOr<v1::Delegation> GetDelegation(const std::string& name,
                                               const Principal& caller = Organizer()) {
    v1::GetDelegationRequest request;
    request.set_name(name);
    return registry_->GetDelegation(caller, request);
  }
  absl::StatusOr<v1::Delegation> UpdateDelegation(const v1::Delegation& delegation,
                                                  std::vector<std::string> paths,
                                                  const Principal& caller = Organizer()) {
    v1::UpdateDelegationRequest request;
    *request.mutable_delegation() = delegation;
    for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
    return registry_->UpdateDelegation(caller, request);
  }
  absl::Status DeleteDelegation(const std::string& name, const std::string& etag = "",
                                const Principal& caller = Organizer()) {
    v1::DeleteDelegationRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return registry_->DeleteDelegation(caller, request);
  }
  absl::StatusOr<v1::ListDelegationsResponse> ListDelegations(
      const std::string& parent, const std::string& filter = "", int page_size = 0,
      const std::string& page_token = "", const Principal& caller = Organizer()) {
    v1::ListDelegationsRequest request;
    request.set_parent(parent);
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return registry_->ListDelegations(caller, request);
  }

  absl::StatusOr<v1::Participant> Accredit(const std::string& parent, const std::string& person_id,
                                           v1::Participant::Role role,
                                           const std::string& request_id = "",
                                           const Principal& caller = Organizer()) {
    v1::CreateParticipantRequest request;
    request.set_parent(parent);
    request.mutable_participant()->set_person(PersonName(person_id));
    request.mutable_participant()->set_role(role);
    request.set_request_id(request_id);
    return registry_->CreateParticipant(caller, request);
  }
  absl::StatusOr<v1::Participant> GetParticipant(const std::string& name,
                                                 const Principal& caller = Organizer()) {
    v1::GetParticipantRequest request;
    request.set_name(name);
    return registry_->GetParticipant(caller, request);
  }
  absl::StatusOr<v1::BatchGetParticipantsResponse> BatchGetParticipants(
      const std::string& parent, std::vector<std::string> names,
      const Principal& caller = Organizer()) {
    v1::BatchGetParticipantsRequest request;
    request.set_parent(parent);
    for (std::string& name : names) request.add_names(std::move(name));
    return registry_->BatchGetParticipants(caller, request);
  }
  absl::StatusOr<v1::ListParticipantsResponse> ListParticipants(
      const std::string& parent, const std::string& filter = "", int page_size = 0,
      const std::string& page_token = "", const Principal& caller = Organizer()) {
    v1::ListParticipantsRequest request;
    request.set_parent(parent);
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return registry_->ListParticipants(caller, request);
  }
  absl::StatusOr<v1::Participant> Approve(const std::string& name, const std::string& etag = "",
                                          const Principal& caller = Organizer()) {
    v1::ApproveParticipantRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return registry_->ApproveParticipant(caller, request);
  }
  absl::StatusOr<v1::Participant> Reject(const std::string& name, const std::string& reason,
                                         const std::string& etag = "",
                                         const Principal& caller = Organizer()) {
    v1::RejectParticipantRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_etag(etag);
    return registry_->RejectParticipant(caller, request);
  }
  absl::StatusOr<v1::Participant> Revoke(const std::string& name, const std::string& reason,
                                         const std::string& etag = "",
                                         const Principal& caller = Organizer()) {
    v1::RevokeParticipantRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_etag(etag);
    return registry_->RevokeParticipant(caller, request);
  }

  // Names on one list page, or a failure.
  std::vector<std::string> EventNames(const std::string& filter) {
    return NamesOf(Must(ListEvents(filter, 1000), filter.c_str()).events());
  }
  std::vector<std::string> OrganizationNames(const std::string& filter) {
    return NamesOf(Must(ListOrganizations(filter, 1000), filter.c_str()).organizations());
  }
  std::vector<std::string> PeopleNames(const std::string& filter) {
    return NamesOf(Must(ListPeople(filter, 1000), filter.c_str()).people());
  }
  std::vector<std::string> DelegationNames(const std::string& parent, const std::string& filter) {
    return NamesOf(Must(ListDelegations(parent, filter, 1000), filter.c_str()).delegations());
  }
  std::vector<std::string> ParticipantNames(const std::string& parent, const std::string& filter,
                                            const Principal& caller = Organizer()) {
    return NamesOf(
        Must(ListParticipants(parent, filter, 1000, "", caller), filter.c_str()).participants());
  }

  // Every stored resource, as an organizer sees it, in one string: equal snapshots mean nothing
  // changed. Lists are read in pages of 1000 until the end.
  std::string Snapshot() {
    std::string out;
    std::vector<std::string> events;
    std::string token;
    for (int page = 0; page < 100; ++page) {
      v1::ListEventsResponse response = Must(ListEvents("", 1000, token), "snapshot events");
      for (const v1::Event& event : response.events()) {
        absl::StrAppend(&out, event.ShortDebugString(), "\n");
        events.push_back(event.name());
      }
      token = response.next_page_token();
      if (token.empty()) break;
    }
    for (int page = 0; page < 100; ++page) {
      v1::ListOrganizationsResponse response =
          Must(ListOrganizations("", 1000, token), "snapshot organizations");
      for (const auto& organization : response.organizations()) {
        absl::StrAppend(&out, organization.ShortDebugString(), "\n");
      }
      token = response.next_page_token();
      if (token.empty()) break;
    }
    for (int page = 0; page < 100; ++page) {
      v1::ListPeopleResponse response = Must(ListPeople("", 1000, token), "snapshot people");
      for (const auto& person : response.people()) {
        absl::StrAppend(&out, person.ShortDebugString(), "\n");
      }
      token = response.next_page_token();
      if (token.empty()) break;
    }
    for (const std::string& event : events) {
      const v1::ListDelegationsResponse delegations =
          Must(ListDelegations(event, "", 1000), "snapshot delegations");
      for (const auto& d : delegations.delegations()) {
        absl::StrAppend(&out, d.ShortDebugString(), "\n");
      }
      const v1::ListParticipantsResponse participants =
          Must(ListParticipants(event, "", 1000), "snapshot participants");
      for (const auto& p : participants.participants()) {
        absl::StrAppend(&out, p.ShortDebugString(), "\n");
      }
    }
    return out;
  }

  // A fresh person accredited to the summit and brought into `state`.
  std::string ParticipantIn(v1::Participant::State state, const std::string& person_id) {
    EXPECT_OK(CreatePerson(SomePerson(), person_id).status());
    const std::string name = SummitParticipant(person_id);
    EXPECT_OK(Accredit(kSummit, person_id, v1::Participant::ROLE_OBSERVER).status());
    if (state == v1::Participant::STATE_APPROVED || state == v1::Participant::STATE_REVOKED) {
      EXPECT_OK(Approve(name).status());
    }
    if (state == v1::Participant::STATE_REJECTED) {
      EXPECT_OK(Reject(name, "no room").status());
    }
    if (state == v1::Participant::STATE_REVOKED) {
      EXPECT_OK(Revoke(name, "left early").status());
    }
    EXPECT_EQ(Must(GetParticipant(name)).state(), state);
    return name;
  }

  // Runs raw SQL on the registry's database (to damage the search index on purpose).
  void ExecuteSql(const std::string& sql) {
    ASSERT_OK(database_->Write([&](storage::Transaction& tx) -> absl::Status {
      return tx.Execute(sql).status();
    }));
  }

  std::string dir_;
  std::unique_ptr<storage::Database> database_;
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2023, 11, 20, 9, 0, 0), absl::UTCTimeZone());
  std::unique_ptr<Registry> registry_;
};

// ---------------------------------------------------------------------------------------------
// The seed.

TEST_F(RegistryTest, SeedHoldsTheWashingtonSummitAndItsPredecessor) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK_AND_ASSIGN(v1::Event summit, GetEvent(kSummit, Anonymous()));
  EXPECT_EQ(summit.name(), kSummit);
  EXPECT_EQ(summit.display_name(), "Ukraine Defense Industrial Base Summit");
  EXPECT_EQ(summit.kind(), v1::Event::KIND_SUMMIT);
  EXPECT_EQ(summit.city(), "Washington");
  EXPECT_EQ(summit.country(), "US");
  EXPECT_EQ(summit.time_zone(), "America/New_York");
  EXPECT_THAT(summit.start_date(), EqualsProto(Day(2023, 12, 6)));
  EXPECT_THAT(summit.end_date(), EqualsProto(Day(2023, 12, 7)));
  EXPECT_EQ(summit.predecessor(), kForum);
  EXPECT_EQ(summit.state(), v1::Event::STATE_PLANNED);  // the default on create

  ASSERT_OK_AND_ASSIGN(v1::Event forum, GetEvent(kForum, Anonymous()));
  EXPECT_EQ(forum.city(), "Kyiv");
  EXPECT_EQ(forum.start_date().month(), 9);
  EXPECT_EQ(forum.start_date().year(), 2023);
  EXPECT_EQ(forum.state(), v1::Event::STATE_CONCLUDED);
  EXPECT_THAT(EventNames(""), ElementsAre(kForum, kSummit));
}

TEST_F(RegistryTest, SeedHoldsTheOrganizationsAndPeopleOfTheArticle) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_THAT(OrganizationNames(""), SizeIs(SeedOrganizations().size()));
  ASSERT_OK_AND_ASSIGN(v1::Organization mod, GetOrganization("organizations/ua-mod"));
  EXPECT_EQ(mod.display_name(), "Ministry of Defence of Ukraine");
  EXPECT_EQ(mod.kind(), v1::Organization::KIND_GOVERNMENT_BODY);
  EXPECT_EQ(mod.country(), "UA");
  ASSERT_OK_AND_ASSIGN(v1::Organization rada, GetOrganization("organizations/verkhovna-rada"));
  EXPECT_EQ(rada.kind(), v1::Organization::KIND_LEGISLATURE);
  ASSERT_OK_AND_ASSIGN(v1::Organization white_house, GetOrganization("organizations/white-house"));
  EXPECT_EQ(white_house.display_name(), "The White House");
  ASSERT_OK_AND_ASSIGN(v1::Organization pentagon, GetOrganization("organizations/pentagon"));
  EXPECT_THAT(pentagon.capabilities(), ElementsAre("air-defense"));

  EXPECT_THAT(PeopleNames(""), SizeIs(SeedPeople().size()));
  ASSERT_OK_AND_ASSIGN(v1::Person zelensky, GetPerson("people/zelensky"));
  EXPECT_EQ(zelensky.display_name(), "Volodymyr Zelensky");
  EXPECT_EQ(zelensky.native_name(), "Володимир Зеленський");
  EXPECT_EQ(zelensky.title(), "President of Ukraine");
  ASSERT_OK_AND_ASSIGN(v1::Person umerov, GetPerson("people/umerov"));
  EXPECT_EQ(umerov.native_name(), "Рустем Умєров");
  EXPECT_EQ(umerov.title(), "Minister of Defense of Ukraine");
  EXPECT_EQ(umerov.organization(), "organizations/ua-mod");
  EXPECT_THAT(umerov.languages(), ElementsAre("uk", "crh", "en"));
  EXPECT_EQ(umerov.email(), "umerov@example.org");
  for (const char* id : {"yermak", "stefanchuk", "kamyshin", "tochytskyi", "arakhamia",
                         "markarova"}) {
    EXPECT_OK(GetPerson(PersonName(id)).status()) << id;
  }
  EXPECT_EQ(Must(GetPerson("people/markarova")).title(),
            "Ambassador of Ukraine to the United States");
}

TEST_F(RegistryTest, SeedHoldsTheDelegationAndItsAccreditations) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK_AND_ASSIGN(v1::Delegation ukraine, GetDelegation(kUkraineDelegation));
  EXPECT_EQ(ukraine.head(), "people/yermak");
  std::vector<std::string> members;
  for (const std::string& id : DelegationMembers()) members.push_back(PersonName(id));
  // The head was not listed: naming them adds them, first.
  EXPECT_THAT(ukraine.members(), ElementsAreArray(members));

  for (const std::string& id : DelegationMembers()) {
    ASSERT_OK_AND_ASSIGN(v1::Participant participant, GetParticipant(SummitParticipant(id)));
    EXPECT_EQ(participant.person(), PersonName(id));
    EXPECT_EQ(participant.role(), v1::Participant::ROLE_DELEGATE);
    EXPECT_EQ(participant.state(), v1::Participant::STATE_APPROVED);
    EXPECT_EQ(participant.delegation(), kUkraineDelegation);
  }
  EXPECT_EQ(Must(GetParticipant(SummitParticipant("jane-doe"))).state(),
            v1::Participant::STATE_PENDING);
  ASSERT_OK_AND_ASSIGN(v1::Participant roe, GetParticipant(SummitParticipant("john-roe")));
  EXPECT_EQ(roe.state(), v1::Participant::STATE_REJECTED);
  EXPECT_EQ(roe.state_reason(), "No company registration provided");
  EXPECT_EQ(roe.delegation(), "");
  EXPECT_THAT(ParticipantNames(kSummit, ""), SizeIs(DelegationMembers().size() + 2));
  EXPECT_THAT(ParticipantNames(kForum, ""), ElementsAre(absl::StrCat(kForum, "/participants/kamyshin")));
}

// ---------------------------------------------------------------------------------------------
// Happy paths, one resource at a time.

TEST_F(RegistryTest, EventCreateGetListUpdateDelete) {
  const absl::Time created = now_;
  ASSERT_OK_AND_ASSIGN(v1::Event event, CreateEvent(SomeEvent(), "lviv-2024"));
  EXPECT_EQ(event.name(), "events/lviv-2024");
  EXPECT_EQ(event.state(), v1::Event::STATE_PLANNED);
  EXPECT_EQ(event.create_time().seconds(), absl::ToUnixSeconds(created));
  EXPECT_EQ(event.update_time().seconds(), absl::ToUnixSeconds(created));
  EXPECT_FALSE(event.etag().empty());
  EXPECT_THAT(GetEvent("events/lviv-2024", Anonymous()), IsOk());
  EXPECT_THAT(Must(GetEvent("events/lviv-2024")), EqualsProto(event));
  EXPECT_THAT(EventNames(""), ElementsAre("events/lviv-2024"));

  now_ += absl::Hours(1);
  v1::Event patch;
  patch.set_name(event.name());
  patch.set_city("Odesa");
  patch.set_state(v1::Event::STATE_CONFIRMED);
  ASSERT_OK_AND_ASSIGN(v1::Event updated, UpdateEvent(patch, {"city", "state"}));
  EXPECT_EQ(updated.city(), "Odesa");
  EXPECT_EQ(updated.state(), v1::Event::STATE_CONFIRMED);
  EXPECT_EQ(updated.display_name(), event.display_name());
  EXPECT_THAT(updated.create_time(), EqualsProto(event.create_time()));
  EXPECT_EQ(updated.update_time().seconds(), absl::ToUnixSeconds(now_));
  EXPECT_NE(updated.etag(), event.etag());
  EXPECT_THAT(Must(GetEvent(event.name())), EqualsProto(updated));

  EXPECT_OK(DeleteEvent(event.name(), updated.etag()));
  EXPECT_THAT(GetEvent(event.name()), IsErrorWithReason(Code::kNotFound, "RESOURCE_NOT_FOUND"));
  EXPECT_THAT(DeleteEvent(event.name()), StatusIs(Code::kNotFound));
  EXPECT_THAT(EventNames(""), IsEmpty());
}

TEST_F(RegistryTest, EventWithPredecessor) {
  ASSERT_OK(CreateEvent(KyivForum(), "kyiv-forum-2023").status());
  ASSERT_OK_AND_ASSIGN(v1::Event summit, CreateEvent(WashingtonSummit(), "udib-2023"));
  EXPECT_EQ(summit.predecessor(), kForum);
  v1::Event patch;
  patch.set_name(kSummit);
  ASSERT_OK_AND_ASSIGN(v1::Event cleared, UpdateEvent(patch, {"predecessor"}));
  EXPECT_EQ(cleared.predecessor(), "");
  EXPECT_OK(DeleteEvent(kForum));  // nothing continues it any more
}

TEST_F(RegistryTest, OrganizationCreateGetListUpdateDelete) {
  ASSERT_OK_AND_ASSIGN(
      v1::Organization created,
      CreateOrganization(Organization("Ministry of Strategic Industries of Ukraine",
                                      v1::Organization::KIND_GOVERNMENT_BODY, "UA",
                                      {"air-defense", "drones"}, "https://mspu.gov.ua"),
                         "ua-strategic-industries"));
  EXPECT_EQ(created.name(), "organizations/ua-strategic-industries");
  EXPECT_THAT(created.capabilities(), ElementsAre("air-defense", "drones"));
  EXPECT_FALSE(created.etag().empty());
  EXPECT_THAT(Must(GetOrganization(created.name(), Anonymous())), EqualsProto(created));
  EXPECT_THAT(OrganizationNames(""), ElementsAre(created.name()));

  now_ += absl::Minutes(5);
  v1::Organization patch;
  patch.set_name(created.name());
  patch.add_capabilities("artillery-ammunition");
  ASSERT_OK_AND_ASSIGN(v1::Organization updated, UpdateOrganization(patch, {"capabilities"}));
  EXPECT_THAT(updated.capabilities(), ElementsAre("artillery-ammunition"));
  EXPECT_EQ(updated.website(), "https://mspu.gov.ua");
  EXPECT_NE(updated.etag(), created.etag());
  // The capability side table follows the update.
  EXPECT_THAT(OrganizationNames("capabilities = \"air-defense\""), IsEmpty());
  EXPECT_THAT(OrganizationNames("capabilities = \"artillery-ammunition\""),
              ElementsAre(created.name()));

  EXPECT_OK(DeleteOrganization(created.name(), updated.etag()));
  EXPECT_THAT(GetOrganization(created.name()), StatusIs(Code::kNotFound));
  EXPECT_THAT(OrganizationNames("capabilities = \"artillery-ammunition\""), IsEmpty());
}

TEST_F(RegistryTest, PersonCreateGetBatchGetListUpdateDelete) {
  ASSERT_OK(CreateOrganization(Organization("Ministry of Defence of Ukraine",
                                            v1::Organization::KIND_GOVERNMENT_BODY, "UA"),
                               "ua-mod")
                .status());
  ASSERT_OK_AND_ASSIGN(
      v1::Person umerov,
      CreatePerson(Person("Rustem Umerov", "Рустем Умєров", "Minister of Defense of Ukraine",
                          "organizations/ua-mod", "UA", {"uk", "en"}, "umerov@example.org",
                          "+380441234567"),
                   "umerov"));
  EXPECT_EQ(umerov.name(), "people/umerov");
  EXPECT_EQ(umerov.email(), "umerov@example.org");  // an organizer sees personal data
  ASSERT_OK_AND_ASSIGN(v1::Person yermak,
                       CreatePerson(Person("Andriy Yermak", "Андрій Єрмак", "Head of the Office",
                                           "", "UA"),
                                    "yermak"));
  EXPECT_THAT(Must(GetPerson("people/umerov")), EqualsProto(umerov));

  ASSERT_OK_AND_ASSIGN(v1::BatchGetPeopleResponse batch,
                       BatchGetPeople({"people/yermak", "people/umerov", "people/yermak"}));
  EXPECT_THAT(NamesOf(batch.people()), ElementsAre("people/yermak", "people/umerov", "people/yermak"));
  EXPECT_THAT(BatchGetPeople({"people/umerov", "people/nobody"}),
              StatusIs(Code::kNotFound, HasSubstr("people/nobody")));
  ASSERT_OK_AND_ASSIGN(v1::BatchGetPeopleResponse none, BatchGetPeople({}));
  EXPECT_THAT(none.people(), IsEmpty());
  EXPECT_THAT(PeopleNames(""), ElementsAre("people/umerov", "people/yermak"));

  now_ += absl::Hours(24);
  v1::Person patch;
  patch.set_name("people/yermak");
  patch.set_title("Head of the Office of the President of Ukraine");
  patch.set_organization("organizations/ua-mod");
  ASSERT_OK_AND_ASSIGN(v1::Person updated, UpdatePerson(patch, {"title", "organization"}));
  EXPECT_EQ(updated.title(), "Head of the Office of the President of Ukraine");
  EXPECT_EQ(updated.organization(), "organizations/ua-mod");
  EXPECT_EQ(updated.native_name(), "Андрій Єрмак");
  EXPECT_NE(updated.etag(), yermak.etag());
  EXPECT_THAT(PeopleNames("organization = \"organizations/ua-mod\""),
              ElementsAre("people/umerov", "people/yermak"));

  EXPECT_OK(DeletePerson("people/yermak", updated.etag()));
  EXPECT_THAT(GetPerson("people/yermak"), StatusIs(Code::kNotFound));
  EXPECT_THAT(PeopleNames(""), ElementsAre("people/umerov"));
  EXPECT_THAT(Found("Yermak"), IsEmpty());  // the search words went with them
}

TEST_F(RegistryTest, DelegationCreateGetListUpdateDelete) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK(CreatePerson(Person("Joseph Biden Jr", "", "Envoy", "", "US"), "envoy").status());
  ASSERT_OK(Accredit(kSummit, "envoy", v1::Participant::ROLE_HOST_GOVERNMENT).status());
  ASSERT_OK(Approve(SummitParticipant("envoy")).status());

  ASSERT_OK_AND_ASSIGN(v1::Delegation us, CreateDelegation(kSummit,
                                                           Delegation("Host delegation", "US",
                                                                      "", {"people/envoy"}),
                                                           "united-states"));
  EXPECT_EQ(us.name(), "events/udib-2023/delegations/united-states");
  EXPECT_EQ(us.head(), "");
  EXPECT_THAT(us.members(), ElementsAre("people/envoy"));
  EXPECT_THAT(Must(GetDelegation(us.name(), Anonymous())), EqualsProto(us));
  EXPECT_THAT(DelegationNames(kSummit, ""), ElementsAre(kUkraineDelegation, us.name()));
  EXPECT_EQ(Must(GetParticipant(SummitParticipant("envoy"))).delegation(), us.name());

  now_ += absl::Minutes(1);
  v1::Delegation patch;
  patch.set_name(us.name());
  patch.set_head("people/envoy");
  patch.set_display_name("Delegation of the United States");
  ASSERT_OK_AND_ASSIGN(v1::Delegation updated, UpdateDelegation(patch, {"head", "display_name"}));
  EXPECT_EQ(updated.head(), "people/envoy");
  EXPECT_THAT(updated.members(), ElementsAre("people/envoy"));
  EXPECT_NE(updated.etag(), us.etag());

  EXPECT_OK(DeleteDelegation(us.name(), updated.etag()));
  EXPECT_THAT(GetDelegation(us.name()), StatusIs(Code::kNotFound));
  EXPECT_THAT(DelegationNames(kSummit, ""), ElementsAre(kUkraineDelegation));
  // Its members stay accredited, in no delegation.
  ASSERT_OK_AND_ASSIGN(v1::Participant envoy, GetParticipant(SummitParticipant("envoy")));
  EXPECT_EQ(envoy.state(), v1::Participant::STATE_APPROVED);
  EXPECT_EQ(envoy.delegation(), "");
}

TEST_F(RegistryTest, ParticipantLifeCycle) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  // Zelensky has no accreditation in the seed: ask for one.
  v1::CreateParticipantRequest request;
  request.set_parent(kSummit);
  request.mutable_participant()->set_person("people/zelensky");
  request.mutable_participant()->set_role(v1::Participant::ROLE_DELEGATE);
  // Output-only fields a client sends are ignored.
  request.mutable_participant()->set_state(v1::Participant::STATE_APPROVED);
  request.mutable_participant()->set_state_reason("trust me");
  request.mutable_participant()->set_delegation(kUkraineDelegation);
  ASSERT_OK_AND_ASSIGN(v1::Participant pending, registry_->CreateParticipant(Organizer(), request));
  EXPECT_EQ(pending.name(), SummitParticipant("zelensky"));
  EXPECT_EQ(pending.person(), "people/zelensky");
  EXPECT_EQ(pending.state(), v1::Participant::STATE_PENDING);
  EXPECT_EQ(pending.state_reason(), "");
  EXPECT_EQ(pending.delegation(), "");
  EXPECT_THAT(Must(GetParticipant(pending.name())), EqualsProto(pending));

  // At most one accreditation per person and event.
  EXPECT_THAT(Accredit(kSummit, "zelensky", v1::Participant::ROLE_OBSERVER),
              StatusIs(Code::kAlreadyExists));

  ASSERT_OK_AND_ASSIGN(v1::BatchGetParticipantsResponse batch,
                       BatchGetParticipants(kSummit, {SummitParticipant("zelensky"),
                                                      SummitParticipant("umerov")}));
  EXPECT_THAT(NamesOf(batch.participants()),
              ElementsAre(SummitParticipant("zelensky"), SummitParticipant("umerov")));
  EXPECT_THAT(ParticipantNames(kSummit, "state = STATE_PENDING"),
              ElementsAre(SummitParticipant("jane-doe"), SummitParticipant("zelensky")));

  now_ += absl::Hours(2);
  ASSERT_OK_AND_ASSIGN(v1::Participant approved, Approve(pending.name(), pending.etag()));
  EXPECT_EQ(approved.state(), v1::Participant::STATE_APPROVED);
  EXPECT_EQ(approved.update_time().seconds(), absl::ToUnixSeconds(now_));
  EXPECT_NE(approved.etag(), pending.etag());

  ASSERT_OK_AND_ASSIGN(v1::Participant rejected,
                       Reject(SummitParticipant("jane-doe"), "Press pool is full"));
  EXPECT_EQ(rejected.state(), v1::Participant::STATE_REJECTED);
  EXPECT_EQ(rejected.state_reason(), "Press pool is full");

  ASSERT_OK_AND_ASSIGN(v1::Participant revoked,
                       Revoke(approved.name(), "Attends by video link", approved.etag()));
  EXPECT_EQ(revoked.state(), v1::Participant::STATE_REVOKED);
  EXPECT_EQ(revoked.state_reason(), "Attends by video link");
  EXPECT_THAT(Must(GetParticipant(approved.name())), EqualsProto(revoked));
}

TEST_F(RegistryTest, CreateWithoutIdChoosesOneAndTakenIdsAreRefused) {
  ASSERT_OK_AND_ASSIGN(v1::Event event, CreateEvent(SomeEvent(), ""));
  EXPECT_THAT(event.name(), MatchesRegex("events/[a-z][a-z0-9]{19}"));
  ASSERT_OK_AND_ASSIGN(v1::Person person, CreatePerson(SomePerson(), ""));
  EXPECT_THAT(person.name(), MatchesRegex("people/[a-z][a-z0-9]{19}"));
  ASSERT_OK_AND_ASSIGN(
      v1::Organization organization,
      CreateOrganization(Organization("Think Tank", v1::Organization::KIND_THINK_TANK, "US"), ""));
  EXPECT_THAT(organization.name(), MatchesRegex("organizations/[a-z][a-z0-9]{19}"));

  ASSERT_OK(CreateEvent(SomeEvent(), "lviv-2024").status());
  const std::string before = Snapshot();
  EXPECT_THAT(CreateEvent(SomeEvent("Another"), "lviv-2024"),
              IsErrorWithReason(Code::kAlreadyExists, "RESOURCE_EXISTS"));
  ASSERT_OK(CreatePerson(SomePerson(), "someone").status());
  const std::string with_person = Snapshot();
  EXPECT_THAT(CreatePerson(SomePerson("Other"), "someone"), StatusIs(Code::kAlreadyExists));
  EXPECT_UNCHANGED(with_person);
  EXPECT_NE(before, with_person);
}

TEST_F(RegistryTest, NotFound) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_THAT(GetEvent("events/nowhere"), StatusIs(Code::kNotFound));
  EXPECT_THAT(GetOrganization("organizations/nobody"), StatusIs(Code::kNotFound));
  EXPECT_THAT(GetPerson("people/nobody"), StatusIs(Code::kNotFound));
  EXPECT_THAT(GetDelegation("events/udib-2023/delegations/nobody"), StatusIs(Code::kNotFound));
  EXPECT_THAT(GetDelegation("events/nowhere/delegations/ukraine"), StatusIs(Code::kNotFound));
  EXPECT_THAT(GetParticipant("events/udib-2023/participants/zelensky"), StatusIs(Code::kNotFound));
  EXPECT_THAT(ListParticipants("events/nowhere"), StatusIs(Code::kNotFound));
  EXPECT_THAT(ListDelegations("events/nowhere"), StatusIs(Code::kNotFound));
  EXPECT_THAT(Approve("events/udib-2023/participants/zelensky"), StatusIs(Code::kNotFound));
  EXPECT_THAT(BatchGetParticipants(kSummit, {SummitParticipant("umerov"),
                                             SummitParticipant("zelensky")}),
              StatusIs(Code::kNotFound));

  const std::string before = Snapshot();
  v1::Person patch = SomePerson();
  patch.set_name("people/nobody");
  EXPECT_THAT(UpdatePerson(patch, {"title"}), StatusIs(Code::kNotFound));
  EXPECT_THAT(DeleteOrganization("organizations/nobody"), StatusIs(Code::kNotFound));
  EXPECT_THAT(Accredit("events/nowhere", "zelensky", v1::Participant::ROLE_DELEGATE),
              StatusIs(Code::kNotFound));
  EXPECT_THAT(CreateDelegation("events/nowhere", Delegation("D", "UA", "", {}), "d"),
              StatusIs(Code::kNotFound));
  EXPECT_UNCHANGED(before);
}

// ---------------------------------------------------------------------------------------------
// Paging and filters.

TEST_F(RegistryTest, PagingThousandPeopleInPagesOf37YieldsEachExactlyOnce) {
  std::set<std::string> created;
  for (int i = 0; i < 1000; ++i) {
    v1::Person person = SomePerson(absl::StrCat("Person ", i));
    person.set_country(i % 2 == 0 ? "UA" : "US");
    // Ids in an order unlike the creation order, so paging follows ids, not insertion.
    const std::string id = absl::StrCat("p", (i * 7919) % 1000 + 1000);
    ASSERT_OK(CreatePerson(person, id).status()) << i;
    created.insert(PersonName(id));
  }
  ASSERT_THAT(created, SizeIs(1000));

  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  for (; pages < 100; ++pages) {
    ASSERT_OK_AND_ASSIGN(v1::ListPeopleResponse page, ListPeople("", 37, token));
    EXPECT_LE(page.people_size(), 37);
    for (const v1::Person& person : page.people()) seen.push_back(person.name());
    token = page.next_page_token();
    if (token.empty()) break;
    EXPECT_EQ(page.people_size(), 37);
  }
  EXPECT_EQ(pages + 1, 28);  // 27 full pages and one of 1
  EXPECT_THAT(seen, SizeIs(1000));
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);

  // Page sizes: default 50, at most 1000, never negative.
  EXPECT_THAT(Must(ListPeople("", 0)).people(), SizeIs(50));
  ASSERT_OK_AND_ASSIGN(v1::ListPeopleResponse all, ListPeople("", 5000));
  EXPECT_THAT(all.people(), SizeIs(1000));
  EXPECT_EQ(all.next_page_token(), "");
  EXPECT_THAT(ListPeople("", -1), InvalidOn({"page_size"}));

  // A token belongs to its filter.
  ASSERT_OK_AND_ASSIGN(v1::ListPeopleResponse ua, ListPeople("country = \"UA\"", 37));
  ASSERT_FALSE(ua.next_page_token().empty());
  EXPECT_THAT(ListPeople("country = \"US\"", 37, ua.next_page_token()), InvalidOn({"page_token"}));
  EXPECT_THAT(ListPeople("", 37, ua.next_page_token()), InvalidOn({"page_token"}));
  EXPECT_THAT(ListPeople("", 37, "not-a-page-token"), InvalidOn({"page_token"}));
  // The page size may change between pages.
  ASSERT_OK_AND_ASSIGN(v1::ListPeopleResponse next,
                       ListPeople("country = \"UA\"", 10, ua.next_page_token()));
  EXPECT_THAT(next.people(), SizeIs(10));
  EXPECT_GT(next.people(0).name(), ua.people(36).name());
  for (const v1::Person& person : next.people()) EXPECT_EQ(person.country(), "UA");

  // Filtered paging also yields each once.
  std::set<std::string> us;
  token.clear();
  for (int page = 0; page < 100; ++page) {
    ASSERT_OK_AND_ASSIGN(v1::ListPeopleResponse response, ListPeople("country = \"US\"", 37, token));
    for (const v1::Person& person : response.people()) {
      EXPECT_EQ(person.country(), "US");
      EXPECT_TRUE(us.insert(person.name()).second) << person.name();
    }
    token = response.next_page_token();
    if (token.empty()) break;
  }
  EXPECT_THAT(us, SizeIs(500));
}

TEST_F(RegistryTest, PageTokenOfAnotherCollectionIsRefused) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  // The organizations list, in pages of 2: its token must not resume a list of people.
  ASSERT_OK_AND_ASSIGN(v1::ListOrganizationsResponse organizations, ListOrganizations("", 2));
  ASSERT_FALSE(organizations.next_page_token().empty());
  EXPECT_THAT(ListPeople("", 2, organizations.next_page_token()), InvalidOn({"page_token"}));
  // Nor a list of delegations resume a list of participants of the same event.
  ASSERT_OK(CreateDelegation(kSummit, Delegation("Observers", "US", "", {}), "zz-observers")
                .status());
  ASSERT_OK_AND_ASSIGN(v1::ListDelegationsResponse delegations, ListDelegations(kSummit, "", 1));
  ASSERT_FALSE(delegations.next_page_token().empty());
  EXPECT_THAT(ListParticipants(kSummit, "", 1, delegations.next_page_token()),
              InvalidOn({"page_token"}));
}

TEST_F(RegistryTest, PageTokenOfAnotherEventIsRefused) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK_AND_ASSIGN(v1::ListParticipantsResponse page, ListParticipants(kSummit, "", 2));
  ASSERT_FALSE(page.next_page_token().empty());
  EXPECT_THAT(ListParticipants(kForum, "", 2, page.next_page_token()), InvalidOn({"page_token"}));
}

TEST_F(RegistryTest, FiltersSelectByTheFieldsUsersFilterBy) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_THAT(EventNames("country = \"US\""), ElementsAre(kSummit));
  EXPECT_THAT(EventNames("country = UA"), ElementsAre(kForum));
  EXPECT_THAT(EventNames("kind = KIND_FORUM"), ElementsAre(kForum));
  EXPECT_THAT(EventNames("state = STATE_PLANNED"), ElementsAre(kSummit));
  EXPECT_THAT(EventNames("country = \"US\" AND kind = KIND_SUMMIT"), ElementsAre(kSummit));
  EXPECT_THAT(EventNames("country = \"UA\" AND kind = KIND_SUMMIT"), IsEmpty());

  EXPECT_THAT(OrganizationNames("kind = KIND_LEGISLATURE"),
              ElementsAre("organizations/us-congress", "organizations/verkhovna-rada"));
  EXPECT_THAT(OrganizationNames("capabilities = \"air-defense\""),
              ElementsAre("organizations/pentagon", "organizations/ua-strategic-industries"));
  EXPECT_THAT(OrganizationNames("country = \"US\" AND capabilities = \"air-defense\""),
              ElementsAre("organizations/pentagon"));
  EXPECT_THAT(OrganizationNames("kind = KIND_POLITICAL_PARTY"),
              ElementsAre("organizations/servant-of-the-people"));
  EXPECT_THAT(OrganizationNames("country = \"US\""), SizeIs(5));

  EXPECT_THAT(PeopleNames("organization = \"organizations/ua-president-office\""),
              ElementsAre("people/yermak", "people/zelensky"));
  EXPECT_THAT(PeopleNames("country = \"US\""),
              ElementsAre("people/biden", "people/jane-doe", "people/john-roe"));
  EXPECT_THAT(PeopleNames("country = \"US\" AND organization = \"organizations/white-house\""),
              ElementsAre("people/biden"));

  EXPECT_THAT(DelegationNames(kSummit, "country = \"UA\""), ElementsAre(kUkraineDelegation));
  EXPECT_THAT(DelegationNames(kSummit, "country = \"US\""), IsEmpty());
  EXPECT_THAT(DelegationNames(kForum, "country = \"UA\""), IsEmpty());

  EXPECT_THAT(ParticipantNames(kSummit, "role = ROLE_PRESS"),
              ElementsAre(SummitParticipant("jane-doe")));
  EXPECT_THAT(ParticipantNames(kSummit, "state = STATE_REJECTED"),
              ElementsAre(SummitParticipant("john-roe")));
  std::vector<std::string> members;
  for (const std::string& id : DelegationMembers()) members.push_back(SummitParticipant(id));
  std::sort(members.begin(), members.end());
  EXPECT_THAT(ParticipantNames(kSummit, absl::StrCat("delegation = \"", kUkraineDelegation, "\"")),
              ElementsAreArray(members));
  EXPECT_THAT(ParticipantNames(kSummit, "state = STATE_APPROVED AND role = ROLE_DELEGATE"),
              ElementsAreArray(members));
  EXPECT_THAT(ParticipantNames(kForum, "role = ROLE_HOST_GOVERNMENT"),
              ElementsAre(absl::StrCat(kForum, "/participants/kamyshin")));
}

TEST_F(RegistryTest, BadFiltersAreInvalidArgumentOnFilter) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  for (const char* filter : {
           "nationality = \"UA\"",                       // not a field of events
           "kind = KIND_BOGUS",                          // not a kind
           "kind = KIND_UNSPECIFIED",                    // not a value one can have
           "kind = 1",                                   // names, not numbers
           "state = STATE_APPROVED",                     // a participant state, not an event's
           "country",                                    // no =
           "country =",                                  // no value
           "country = \"UA",                             // unterminated
           "country = \"UA\" OR kind = KIND_FORUM",      // only AND
           "country = \"UA\" AND",                       // dangling AND
           "country = \"UA\" and kind = KIND_FORUM",     // AND is a keyword
           "(country = \"UA\")",                         // no parentheses
           "country != \"UA\"",                          // only equality
       }) {
    EXPECT_THAT(ListEvents(filter), InvalidOn({"filter"})) << filter;
  }
  EXPECT_THAT(ListEvents(std::string(api::kMaxFilterLength + 1, ' ')), InvalidOn({"filter"}));
  for (const char* filter : {"capability = \"air-defense\"", "kind = KIND_SUMMIT",
                             "website = \"https://www.mil.gov.ua\""}) {
    EXPECT_THAT(ListOrganizations(filter), InvalidOn({"filter"})) << filter;
  }
  for (const char* filter : {"organization = \"ua-mod\"", "kind = KIND_GOVERNMENT_BODY",
                             "email = \"umerov@example.org\"", "display_name = \"Rustem Umerov\""}) {
    EXPECT_THAT(ListPeople(filter), InvalidOn({"filter"})) << filter;
  }
  EXPECT_THAT(ListDelegations(kSummit, "head = \"people/yermak\""), InvalidOn({"filter"}));
  for (const char* filter : {"role = ROLE_CHEF", "state = STATE_PLANNED", "role = ROLE_UNSPECIFIED",
                             "delegation = \"ukraine\"",
                             "delegation = \"events/kyiv-forum-2023/delegations/ukraine\"",
                             "person = \"people/umerov\""}) {
    EXPECT_THAT(ListParticipants(kSummit, filter), InvalidOn({"filter"})) << filter;
  }
}

// ---------------------------------------------------------------------------------------------
// Optimistic concurrency and retries.

TEST_F(RegistryTest, StaleEtagIsAbortedAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  constexpr char kStale[] = "0123456789abcdef";

  {  // Event: two organizers read it, the first one writes.
    ASSERT_OK_AND_ASSIGN(v1::Event read, GetEvent(kSummit));
    v1::Event first = read;
    first.set_city("Washington, D.C.");
    ASSERT_OK(UpdateEvent(first, {"city"}).status());
    const std::string before = Snapshot();
    v1::Event second = read;
    second.set_display_name("Renamed");
    EXPECT_THAT(UpdateEvent(second, {"display_name"}),
                IsErrorWithReason(Code::kAborted, "ETAG_MISMATCH"));
    EXPECT_THAT(DeleteEvent(kForum, kStale), IsErrorWithReason(Code::kAborted, "ETAG_MISMATCH"));
    EXPECT_UNCHANGED(before);
  }
  {  // Organization.
    ASSERT_OK_AND_ASSIGN(v1::Organization read, GetOrganization("organizations/us-congress"));
    v1::Organization first = read;
    first.set_website("https://www.congress.gov");
    ASSERT_OK(UpdateOrganization(first, {"website"}).status());
    const std::string before = Snapshot();
    v1::Organization second = read;
    second.set_website("https://example.org");
    EXPECT_THAT(UpdateOrganization(second, {"website"}), StatusIs(Code::kAborted));
    EXPECT_THAT(DeleteOrganization("organizations/us-congress", read.etag()),
                StatusIs(Code::kAborted));
    EXPECT_UNCHANGED(before);
  }
  {  // Person.
    ASSERT_OK_AND_ASSIGN(v1::Person read, GetPerson("people/biden"));
    v1::Person first = read;
    first.set_title("46th President of the United States");
    ASSERT_OK(UpdatePerson(first, {"title"}).status());
    const std::string before = Snapshot();
    v1::Person second = read;
    second.set_title("Senator");
    EXPECT_THAT(UpdatePerson(second, {"title"}), StatusIs(Code::kAborted));
    EXPECT_THAT(DeletePerson("people/biden", read.etag()), StatusIs(Code::kAborted));
    EXPECT_UNCHANGED(before);
  }
  {  // Delegation.
    ASSERT_OK_AND_ASSIGN(v1::Delegation read, GetDelegation(kUkraineDelegation));
    v1::Delegation first = read;
    first.set_display_name("Ukrainian delegation");
    ASSERT_OK(UpdateDelegation(first, {"display_name"}).status());
    const std::string before = Snapshot();
    v1::Delegation second = read;
    second.set_head("people/umerov");
    EXPECT_THAT(UpdateDelegation(second, {"head"}), StatusIs(Code::kAborted));
    EXPECT_THAT(DeleteDelegation(kUkraineDelegation, read.etag()), StatusIs(Code::kAborted));
    EXPECT_UNCHANGED(before);
  }
  {  // Accreditation decisions.
    const std::string before = Snapshot();
    EXPECT_THAT(Approve(SummitParticipant("jane-doe"), kStale), StatusIs(Code::kAborted));
    EXPECT_THAT(Reject(SummitParticipant("jane-doe"), "no", kStale), StatusIs(Code::kAborted));
    EXPECT_THAT(Revoke(SummitParticipant("umerov"), "no", kStale), StatusIs(Code::kAborted));
    EXPECT_UNCHANGED(before);
    ASSERT_OK_AND_ASSIGN(v1::Participant jane, GetParticipant(SummitParticipant("jane-doe")));
    EXPECT_OK(Approve(jane.name(), jane.etag()).status());  // the current etag works
  }
}

TEST_F(RegistryTest, RequestIdRetryReturnsTheFirstResultAndCreatesNothingNew) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const size_t events = EventNames("").size();
  const size_t organizations = OrganizationNames("").size();
  const size_t people = PeopleNames("").size();

  ASSERT_OK_AND_ASSIGN(v1::Event event, CreateEvent(SomeEvent(), "", "0b9e7c3e-event"));
  now_ += absl::Seconds(1);
  // Same request id: the first result, even if the payload was changed.
  ASSERT_OK_AND_ASSIGN(v1::Event again, CreateEvent(SomeEvent("Changed"), "", "0b9e7c3e-event"));
  EXPECT_THAT(again, EqualsProto(event));
  EXPECT_THAT(EventNames(""), SizeIs(events + 1));

  ASSERT_OK_AND_ASSIGN(
      v1::Organization organization,
      CreateOrganization(Organization("Atlantic Council", v1::Organization::KIND_THINK_TANK, "US"),
                         "", "0b9e7c3e-organization"));
  ASSERT_OK_AND_ASSIGN(
      v1::Organization organization_again,
      CreateOrganization(Organization("Atlantic Council", v1::Organization::KIND_THINK_TANK, "US"),
                         "", "0b9e7c3e-organization"));
  EXPECT_THAT(organization_again, EqualsProto(organization));
  EXPECT_THAT(OrganizationNames(""), SizeIs(organizations + 1));

  ASSERT_OK_AND_ASSIGN(v1::Person person, CreatePerson(SomePerson(), "", "0b9e7c3e-person"));
  ASSERT_OK_AND_ASSIGN(v1::Person person_again, CreatePerson(SomePerson(), "", "0b9e7c3e-person"));
  EXPECT_THAT(person_again, EqualsProto(person));
  EXPECT_THAT(PeopleNames(""), SizeIs(people + 1));

  const std::string person_id = person.name().substr(std::string("people/").size());
  ASSERT_OK_AND_ASSIGN(v1::Participant participant,
                       Accredit(kSummit, person_id, v1::Participant::ROLE_OBSERVER,
                                "0b9e7c3e-participant"));
  ASSERT_OK_AND_ASSIGN(v1::Participant participant_again,
                       Accredit(kSummit, person_id, v1::Participant::ROLE_OBSERVER,
                                "0b9e7c3e-participant"));
  EXPECT_THAT(participant_again, EqualsProto(participant));
  EXPECT_THAT(ParticipantNames(kSummit, ""), SizeIs(DelegationMembers().size() + 3));

  ASSERT_OK_AND_ASSIGN(v1::Delegation delegation,
                       CreateDelegation(kSummit, Delegation("Observers", "US", "", {}), "",
                                        "0b9e7c3e-delegation"));
  ASSERT_OK_AND_ASSIGN(v1::Delegation delegation_again,
                       CreateDelegation(kSummit, Delegation("Observers", "US", "", {}), "",
                                        "0b9e7c3e-delegation"));
  EXPECT_THAT(delegation_again, EqualsProto(delegation));
  EXPECT_THAT(DelegationNames(kSummit, ""), SizeIs(2));

  // A request that failed is not remembered: the same id may be used again once it is fixed.
  v1::Event bad = SomeEvent();
  bad.set_country("XX");
  EXPECT_THAT(CreateEvent(bad, "", "0b9e7c3e-fixed"), InvalidOn({"event.country"}));
  ASSERT_OK_AND_ASSIGN(v1::Event fixed, CreateEvent(SomeEvent(), "", "0b9e7c3e-fixed"));
  EXPECT_THAT(EventNames(""), SizeIs(events + 2));
  // Without a request id, every create is a new one.
  ASSERT_OK(CreateEvent(SomeEvent(), "").status());
  ASSERT_OK(CreateEvent(SomeEvent(), "").status());
  EXPECT_THAT(EventNames(""), SizeIs(events + 4));

  // Request ids are printable ASCII without spaces, at most 100 characters.
  const std::string before = Snapshot();
  EXPECT_THAT(CreateEvent(SomeEvent(), "", "has space"), InvalidOn({"request_id"}));
  EXPECT_THAT(CreateEvent(SomeEvent(), "", std::string(101, 'r')), InvalidOn({"request_id"}));
  EXPECT_THAT(CreatePerson(SomePerson(), "", "naïve"), InvalidOn({"request_id"}));
  EXPECT_UNCHANGED(before);
  EXPECT_OK(CreateEvent(SomeEvent(), "", std::string(100, 'r')).status());
}

TEST_F(RegistryTest, RequestIdsAreScopedToTheirCollection) {
  ASSERT_OK_AND_ASSIGN(v1::Event event, CreateEvent(SomeEvent(), "", "shared-request-id"));
  // The same id sent to another collection is another request: it creates a
  // person (never answers with the event), and its own retry returns that
  // person.
  ASSERT_OK_AND_ASSIGN(v1::Person person, CreatePerson(SomePerson(), "", "shared-request-id"));
  EXPECT_THAT(person.name(), StartsWith("people/"));
  const std::string before = Snapshot();
  ASSERT_OK_AND_ASSIGN(v1::Person again, CreatePerson(SomePerson(), "", "shared-request-id"));
  EXPECT_EQ(again.name(), person.name());
  ASSERT_OK_AND_ASSIGN(v1::Event event_again, CreateEvent(SomeEvent(), "", "shared-request-id"));
  EXPECT_EQ(event_again.name(), event.name());
  EXPECT_UNCHANGED(before);
}

TEST_F(RegistryTest, ConcurrentRetriesOfOneCreateMakeOneResource) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const size_t people = PeopleNames("").size();
  constexpr int kThreads = 8;
  std::vector<absl::StatusOr<v1::Person>> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      results[i] = CreatePerson(SomePerson("Retried Person"), "", "7d3f2c1a-concurrent");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& result : results) {
    ASSERT_OK(result.status());
    EXPECT_EQ(result->name(), results[0]->name());
  }
  EXPECT_THAT(PeopleNames(""), SizeIs(people + 1));
}

TEST_F(RegistryTest, ConcurrentDelegationsCannotShareAMember) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_NO_FATAL_FAILURE(ParticipantIn(v1::Participant::STATE_APPROVED, "contested"));
  constexpr int kThreads = 6;
  std::vector<absl::Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      results[i] = CreateDelegation(kSummit, Delegation("D", "UA", "", {"people/contested"}),
                                    absl::StrCat("contender-", i))
                       .status();
    });
  }
  for (std::thread& thread : threads) thread.join();
  int created = 0;
  for (const absl::Status& status : results) {
    if (status.ok()) {
      ++created;
    } else {
      EXPECT_THAT(status,
                  IsErrorWithReason(Code::kFailedPrecondition, "MEMBER_OF_ANOTHER_DELEGATION"));
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_THAT(DelegationNames(kSummit, ""), SizeIs(2));
}

// ---------------------------------------------------------------------------------------------
// Accreditation life cycle.

TEST_F(RegistryTest, EveryInvalidAccreditationTransitionFailsAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  using P = v1::Participant;
  enum Action { kApprove, kReject, kRevoke };
  const std::map<P::State, std::set<Action>> allowed = {
      {P::STATE_PENDING, {kApprove, kReject}},
      {P::STATE_APPROVED, {kRevoke}},
      {P::STATE_REJECTED, {}},
      {P::STATE_REVOKED, {}},
  };
  int refused = 0;
  int id = 0;
  for (const auto& [from, actions] : allowed) {
    for (Action action : {kApprove, kReject, kRevoke}) {
      if (actions.count(action) > 0) continue;
      const std::string name = ParticipantIn(from, absl::StrCat("applicant-", id++));
      ASSERT_OK_AND_ASSIGN(P before, GetParticipant(name));
      const std::string snapshot = Snapshot();
      absl::StatusOr<P> result = action == kApprove  ? Approve(name)
                                 : action == kReject ? Reject(name, "a reason")
                                                     : Revoke(name, "a reason");
      SCOPED_TRACE(absl::StrCat(P::State_Name(from), " action ", action));
      EXPECT_THAT(result, IsErrorWithReason(Code::kFailedPrecondition,
                                            "INVALID_ACCREDITATION_TRANSITION"));
      EXPECT_THAT(Must(GetParticipant(name)), EqualsProto(before));
      EXPECT_UNCHANGED(snapshot);
      ++refused;
    }
  }
  // PENDING→REVOKED; APPROVED→APPROVED, →REJECTED; REJECTED→APPROVED, →REJECTED, →REVOKED;
  // REVOKED→APPROVED, →REJECTED, →REVOKED.
  EXPECT_EQ(refused, 9);
}

TEST_F(RegistryTest, RejectAndRevokeNeedAReason) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  for (const std::string& reason :
       {std::string(), std::string("   "), std::string("bad\x01reason"), std::string(1001, 'x'),
        std::string("\xff\xfe")}) {
    EXPECT_THAT(Reject(SummitParticipant("jane-doe"), reason), InvalidOn({"reason"}));
    EXPECT_THAT(Revoke(SummitParticipant("umerov"), reason), InvalidOn({"reason"}));
  }
  EXPECT_UNCHANGED(before);
  ASSERT_OK_AND_ASSIGN(v1::Participant rejected,
                       Reject(SummitParticipant("jane-doe"), std::string(1000, 'x')));
  EXPECT_THAT(rejected.state_reason(), SizeIs(1000));
  ASSERT_OK_AND_ASSIGN(v1::Participant revoked,
                       Revoke(SummitParticipant("umerov"), "Причина: відкликано"));
  EXPECT_EQ(revoked.state_reason(), "Причина: відкликано");
}

TEST_F(RegistryTest, RevokeRemovesThePersonFromTheirDelegationAlsoAsHead) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK_AND_ASSIGN(v1::Delegation before, GetDelegation(kUkraineDelegation));
  ASSERT_OK_AND_ASSIGN(v1::Participant umerov,
                       Revoke(SummitParticipant("umerov"), "Recalled to Kyiv"));
  EXPECT_EQ(umerov.delegation(), "");
  ASSERT_OK_AND_ASSIGN(v1::Delegation after_member, GetDelegation(kUkraineDelegation));
  EXPECT_THAT(after_member.members(), Not(Contains("people/umerov")));
  EXPECT_THAT(after_member.members(), SizeIs(before.members_size() - 1));
  EXPECT_EQ(after_member.head(), "people/yermak");
  EXPECT_NE(after_member.etag(), before.etag());

  ASSERT_OK(Revoke(SummitParticipant("yermak"), "Returned early").status());
  ASSERT_OK_AND_ASSIGN(v1::Delegation after_head, GetDelegation(kUkraineDelegation));
  EXPECT_EQ(after_head.head(), "");
  EXPECT_THAT(after_head.members(), Not(Contains("people/yermak")));
  EXPECT_THAT(after_head.members(), SizeIs(before.members_size() - 2));
  EXPECT_THAT(ParticipantNames(kSummit, absl::StrCat("delegation = \"", kUkraineDelegation, "\"")),
              SizeIs(before.members_size() - 2));
  // The revoked can join no delegation now.
  v1::Delegation patch = after_head;
  patch.add_members("people/umerov");
  EXPECT_THAT(UpdateDelegation(patch, {"members"}),
              IsErrorWithReason(Code::kFailedPrecondition, "MEMBER_NOT_ACCREDITED"));
}

TEST_F(RegistryTest, DelegationMembersMustBeApprovedParticipantsOfTheEvent) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK(Revoke(SummitParticipant("arakhamia"), "Stayed in Kyiv").status());
  const std::string before = Snapshot();
  for (const char* id : {"jane-doe" /* pending */, "john-roe" /* rejected */,
                         "arakhamia" /* revoked */, "zelensky" /* no accreditation */,
                         "biden" /* none either */}) {
    EXPECT_THAT(CreateDelegation(kSummit, Delegation("D", "US", "", {PersonName(id)}), "other"),
                IsErrorWithReason(Code::kFailedPrecondition, "MEMBER_NOT_ACCREDITED"))
        << id;
    EXPECT_THAT(CreateDelegation(kSummit, Delegation("D", "US", PersonName(id), {}), "other"),
                IsErrorWithReason(Code::kFailedPrecondition, "MEMBER_NOT_ACCREDITED"))
        << "head " << id;
  }
  // Approved for the summit, but not for the Kyiv forum.
  EXPECT_THAT(CreateDelegation(kForum, Delegation("D", "UA", "", {"people/umerov"}), "ukraine"),
              IsErrorWithReason(Code::kFailedPrecondition, "MEMBER_NOT_ACCREDITED"));
  v1::Delegation patch;
  patch.set_name(kUkraineDelegation);
  patch.set_head("people/jane-doe");
  EXPECT_THAT(UpdateDelegation(patch, {"head"}), StatusIs(Code::kFailedPrecondition));
  EXPECT_UNCHANGED(before);

  // Kamyshin is approved at both events: a delegation at each is fine.
  ASSERT_OK_AND_ASSIGN(v1::Delegation hosts,
                       CreateDelegation(kForum, Delegation("Hosts", "UA", "people/kamyshin", {}),
                                        "hosts"));
  EXPECT_THAT(hosts.members(), ElementsAre("people/kamyshin"));
}

TEST_F(RegistryTest, APersonIsInAtMostOneDelegationOfAnEvent) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  EXPECT_THAT(CreateDelegation(kSummit, Delegation("Second", "UA", "", {"people/umerov"}), "second"),
              IsErrorWithReason(Code::kFailedPrecondition, "MEMBER_OF_ANOTHER_DELEGATION"));
  EXPECT_THAT(CreateDelegation(kSummit, Delegation("Second", "UA", "people/yermak", {}), "second"),
              IsErrorWithReason(Code::kFailedPrecondition, "MEMBER_OF_ANOTHER_DELEGATION"));
  EXPECT_UNCHANGED(before);

  ASSERT_OK(CreateDelegation(kSummit, Delegation("Second", "UA", "", {}), "second").status());
  v1::Delegation patch;
  patch.set_name("events/udib-2023/delegations/second");
  patch.add_members("people/markarova");
  const std::string with_second = Snapshot();
  EXPECT_THAT(UpdateDelegation(patch, {"members"}),
              IsErrorWithReason(Code::kFailedPrecondition, "MEMBER_OF_ANOTHER_DELEGATION"));
  EXPECT_UNCHANGED(with_second);

  // Leaving one delegation frees the person for another.
  ASSERT_OK_AND_ASSIGN(v1::Delegation ukraine, GetDelegation(kUkraineDelegation));
  auto* members = ukraine.mutable_members();
  members->erase(std::remove(members->begin(), members->end(), "people/markarova"),
                 members->end());
  ASSERT_OK(UpdateDelegation(ukraine, {"members"}).status());
  ASSERT_OK(UpdateDelegation(patch, {"members"}).status());
  EXPECT_EQ(Must(GetParticipant(SummitParticipant("markarova"))).delegation(),
            "events/udib-2023/delegations/second");
}

// ---------------------------------------------------------------------------------------------
// Deleting what is still referenced.

TEST_F(RegistryTest, DeleteOfSomethingReferencedFailsAndDeletesNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  EXPECT_THAT(DeleteOrganization("organizations/ua-mod"),
              IsErrorWithReason(Code::kFailedPrecondition, "RESOURCE_IN_USE"));
  EXPECT_THAT(DeletePerson("people/umerov"),
              IsErrorWithReason(Code::kFailedPrecondition, "RESOURCE_IN_USE"));
  EXPECT_THAT(DeletePerson("people/jane-doe"), StatusIs(Code::kFailedPrecondition));  // pending
  EXPECT_THAT(DeletePerson("people/john-roe"), StatusIs(Code::kFailedPrecondition));  // rejected
  EXPECT_THAT(DeleteEvent(kSummit), IsErrorWithReason(Code::kFailedPrecondition, "RESOURCE_IN_USE"));
  EXPECT_THAT(DeleteEvent(kForum), IsErrorWithReason(Code::kFailedPrecondition, "RESOURCE_IN_USE"));
  EXPECT_UNCHANGED(before);

  // Unreferenced ones go.
  EXPECT_OK(DeletePerson("people/zelensky"));
  EXPECT_OK(DeleteOrganization("organizations/us-commerce-department"));
}

TEST_F(RegistryTest, EventWithOnlyASuccessorOrADelegationOrAParticipantStays) {
  ASSERT_OK(CreateEvent(SomeEvent("First"), "first").status());
  v1::Event second = SomeEvent("Second");
  second.set_predecessor("events/first");
  ASSERT_OK(CreateEvent(second, "second").status());
  EXPECT_THAT(DeleteEvent("events/first"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("events/second")));
  EXPECT_OK(DeleteEvent("events/second"));
  EXPECT_OK(DeleteEvent("events/first"));

  ASSERT_OK(CreateEvent(SomeEvent(), "with-delegation").status());
  ASSERT_OK(CreateDelegation("events/with-delegation", Delegation("D", "UA", "", {}), "d").status());
  EXPECT_THAT(DeleteEvent("events/with-delegation"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("events/with-delegation/delegations/d")));
  EXPECT_OK(DeleteDelegation("events/with-delegation/delegations/d"));
  EXPECT_OK(DeleteEvent("events/with-delegation"));

  ASSERT_OK(CreateEvent(SomeEvent(), "with-participant").status());
  ASSERT_OK(CreatePerson(SomePerson(), "someone").status());
  ASSERT_OK(Accredit("events/with-participant", "someone", v1::Participant::ROLE_OBSERVER).status());
  EXPECT_THAT(DeleteEvent("events/with-participant"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("events/with-participant/participants/someone")));
  EXPECT_THAT(GetEvent("events/with-participant"), IsOk());

  ASSERT_OK(CreateOrganization(Organization("O", v1::Organization::KIND_OTHER, "UA"), "o").status());
  v1::Person member = SomePerson();
  member.set_organization("organizations/o");
  ASSERT_OK(CreatePerson(member, "member").status());
  EXPECT_THAT(DeleteOrganization("organizations/o"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("people/member")));
  member.set_name("people/member");
  member.clear_organization();
  ASSERT_OK(UpdatePerson(member, {"organization"}).status());
  EXPECT_OK(DeleteOrganization("organizations/o"));
}

// ---------------------------------------------------------------------------------------------
// Field checks: one violation per bad field, nothing stored.

TEST_F(RegistryTest, InvalidEventFields) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  struct Case {
    const char* what;
    std::function<void(v1::Event&)> change;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"country XX", [](v1::Event& e) { e.set_country("XX"); }, {"event.country"}},
      {"country lowercase", [](v1::Event& e) { e.set_country("ua"); }, {"event.country"}},
      {"country alpha-3", [](v1::Event& e) { e.set_country("UKR"); }, {"event.country"}},
      {"country missing", [](v1::Event& e) { e.clear_country(); }, {"event.country"}},
      {"time zone on Mars", [](v1::Event& e) { e.set_time_zone("Mars/Base"); }, {"event.time_zone"}},
      {"time zone offset", [](v1::Event& e) { e.set_time_zone("UTC+3"); }, {"event.time_zone"}},
      {"time zone missing", [](v1::Event& e) { e.clear_time_zone(); }, {"event.time_zone"}},
      {"end before start", [](v1::Event& e) { *e.mutable_end_date() = Day(2023, 12, 5); },
       {"event.end_date"}},
      {"too long", [](v1::Event& e) { *e.mutable_end_date() = Day(2024, 2, 4); }, {"event.end_date"}},
      {"start missing", [](v1::Event& e) { e.clear_start_date(); }, {"event.start_date"}},
      {"no such day", [](v1::Event& e) { *e.mutable_start_date() = Day(2023, 2, 30); },
       {"event.start_date"}},
      {"month only", [](v1::Event& e) { *e.mutable_end_date() = Day(2023, 12, 0); },
       {"event.end_date"}},
      {"display name missing", [](v1::Event& e) { e.clear_display_name(); }, {"event.display_name"}},
      {"display name blank", [](v1::Event& e) { e.set_display_name("   "); },
       {"event.display_name"}},
      {"display name too long", [](v1::Event& e) { e.set_display_name(std::string(201, 'x')); },
       {"event.display_name"}},
      {"display name control", [](v1::Event& e) { e.set_display_name("UDIB\nSummit"); },
       {"event.display_name"}},
      {"display name not UTF-8", [](v1::Event& e) { e.set_display_name("Summit \xc3"); },
       {"event.display_name"}},
      {"kind missing", [](v1::Event& e) { e.set_kind(v1::Event::KIND_UNSPECIFIED); }, {"event.kind"}},
      {"kind unknown", [](v1::Event& e) { e.set_kind(static_cast<v1::Event::Kind>(42)); },
       {"event.kind"}},
      {"state unknown", [](v1::Event& e) { e.set_state(static_cast<v1::Event::State>(42)); },
       {"event.state"}},
      {"city missing", [](v1::Event& e) { e.clear_city(); }, {"event.city"}},
      {"city too long", [](v1::Event& e) { e.set_city(std::string(101, 'c')); }, {"event.city"}},
      {"predecessor not a name", [](v1::Event& e) { e.set_predecessor("kyiv-forum-2023"); },
       {"event.predecessor"}},
      {"predecessor bad id", [](v1::Event& e) { e.set_predecessor("events/Kyiv_Forum"); },
       {"event.predecessor"}},
      {"predecessor missing", [](v1::Event& e) { e.set_predecessor("events/no-such-forum"); },
       {"event.predecessor"}},
      {"three bad fields",
       [](v1::Event& e) {
         e.set_country("XX");
         e.set_time_zone("Mars/Base");
         *e.mutable_end_date() = Day(2023, 12, 1);
       },
       {"event.country", "event.time_zone", "event.end_date"}},
  };
  for (const Case& c : cases) {
    v1::Event event = WashingtonSummit();
    c.change(event);
    EXPECT_THAT(CreateEvent(event, "new-event"), InvalidOn(c.fields)) << c.what;
    EXPECT_THAT(CreateEvent(event, ""), InvalidOn(c.fields)) << c.what;
  }
  for (const char* id : {"Bad_Id", "1st-event", "-event", "event-", "événement", "a.b"}) {
    EXPECT_THAT(CreateEvent(WashingtonSummit(), id), InvalidOn({"event_id"})) << id;
  }
  EXPECT_THAT(CreateEvent(WashingtonSummit(), std::string(64, 'e')), InvalidOn({"event_id"}));
  v1::Event two_bad = WashingtonSummit();
  two_bad.set_country("ua");
  EXPECT_THAT(CreateEvent(two_bad, "Bad_Id"), InvalidOn({"event.country", "event_id"}));
  EXPECT_UNCHANGED(before);

  // The limits themselves are fine: 200 characters (not bytes), 60 days.
  v1::Event at_limits = WashingtonSummit();
  std::string cyrillic;
  for (int i = 0; i < 200; ++i) cyrillic += "Ж";
  at_limits.set_display_name(cyrillic);
  *at_limits.mutable_end_date() = Day(2024, 2, 3);
  EXPECT_OK(CreateEvent(at_limits, std::string(63, 'e')).status());
}

TEST_F(RegistryTest, TextWithC1ControlCharactersOrOnlyUnicodeSpacesIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  // U+0085 NEXT LINE and U+009B CONTROL SEQUENCE INTRODUCER are control characters (Unicode
  // category Cc) just like U+0007 or U+001B.
  EXPECT_THAT(CreatePerson(Person("Rustem\u0085Umerov", "", "", "", "UA"), "next-line"),
              InvalidOn({"person.display_name"}));
  EXPECT_THAT(CreatePerson(Person("Rustem \u009b31mUmerov", "", "", "", "UA"), "csi"),
              InvalidOn({"person.display_name"}));
  EXPECT_THAT(CreateEvent(Event("Summit\u0085", v1::Event::KIND_SUMMIT, "Washington", "US",
                                "America/New_York", Day(2023, 12, 6), Day(2023, 12, 7)),
                          "c1-event"),
              InvalidOn({"event.display_name"}));
  // A name of no-break spaces only is as blank as one of ASCII spaces.
  EXPECT_THAT(CreatePerson(Person("\u00a0\u00a0", "", "", "", "UA"), "blank-name"),
              InvalidOn({"person.display_name"}));
  EXPECT_UNCHANGED(before);
}

TEST_F(RegistryTest, InvalidOrganizationFields) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  struct Case {
    const char* what;
    std::function<void(v1::Organization&)> change;
    std::vector<std::string> fields;
  };
  using O = v1::Organization;
  const std::vector<Case> cases = {
      {"website ftp", [](O& o) { o.set_website("ftp://example.org"); }, {"organization.website"}},
      {"website no scheme", [](O& o) { o.set_website("www.example.org"); },
       {"organization.website"}},
      {"website no host", [](O& o) { o.set_website("https://"); }, {"organization.website"}},
      {"website space", [](O& o) { o.set_website("https://exa mple.org"); },
       {"organization.website"}},
      {"capability with space", [](O& o) { o.add_capabilities("Air Defense"); },
       {"organization.capabilities[0]"}},
      {"capability underscore", [](O& o) { o.add_capabilities("air_defense"); },
       {"organization.capabilities[0]"}},
      {"capability empty", [](O& o) { o.add_capabilities(""); }, {"organization.capabilities[0]"}},
      {"capabilities twice",
       [](O& o) {
         o.add_capabilities("air-defense");
         o.add_capabilities("air-defense");
       },
       {"organization.capabilities"}},
      {"two bad capabilities",
       [](O& o) {
         o.add_capabilities("drones");
         o.add_capabilities("Drones");
         o.add_capabilities("-drones");
       },
       {"organization.capabilities[1]", "organization.capabilities[2]"}},
      {"kind missing", [](O& o) { o.set_kind(O::KIND_UNSPECIFIED); }, {"organization.kind"}},
      {"country", [](O& o) { o.set_country("XX"); }, {"organization.country"}},
      {"display name", [](O& o) { o.set_display_name(std::string(201, 'o')); },
       {"organization.display_name"}},
      {"display name tab", [](O& o) { o.set_display_name("Ministry\tof Defence"); },
       {"organization.display_name"}},
  };
  for (const Case& c : cases) {
    O organization =
        Organization("Atlantic Council", O::KIND_THINK_TANK, "US", {}, "https://example.org");
    c.change(organization);
    EXPECT_THAT(CreateOrganization(organization, "atlantic-council"), InvalidOn(c.fields))
        << c.what;
  }
  EXPECT_THAT(CreateOrganization(Organization("A", O::KIND_THINK_TANK, "US"), "Atlantic"),
              InvalidOn({"organization_id"}));
  EXPECT_UNCHANGED(before);
}

TEST_F(RegistryTest, InvalidPersonFields) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  struct Case {
    const char* what;
    std::function<void(v1::Person&)> change;
    std::vector<std::string> fields;
  };
  using P = v1::Person;
  std::vector<Case> cases = {
      {"country", [](P& p) { p.set_country("ua"); }, {"person.country"}},
      {"country missing", [](P& p) { p.clear_country(); }, {"person.country"}},
      {"display name missing", [](P& p) { p.clear_display_name(); }, {"person.display_name"}},
      {"display name too long", [](P& p) { p.set_display_name(std::string(201, 'n')); },
       {"person.display_name"}},
      {"display name control", [](P& p) { p.set_display_name("Rustem\x1bUmerov"); },
       {"person.display_name"}},
      {"native name control", [](P& p) { p.set_native_name("Рустем\x7fУмєров"); },
       {"person.native_name"}},
      {"title too long", [](P& p) { p.set_title(std::string(301, 't')); }, {"person.title"}},
      {"organization not a name", [](P& p) { p.set_organization("ua-mod"); },
       {"person.organization"}},
      {"organization bad id", [](P& p) { p.set_organization("organizations/UA-MOD"); },
       {"person.organization"}},
      {"organization missing", [](P& p) { p.set_organization("organizations/no-such"); },
       {"person.organization"}},
      {"languages twice",
       [](P& p) {
         p.clear_languages();
         p.add_languages("uk");
         p.add_languages("uk");
       },
       {"person.languages"}},
      {"several bad fields",
       [](P& p) {
         p.set_email("nobody");
         p.set_phone("12345");
         p.set_country("XX");
       },
       {"person.email", "person.phone", "person.country"}},
  };
  for (const char* email : {"not-an-email", "a@b", "a@.org", "a b@example.org", "@example.org",
                            "a@@example.org", "a@example.org."}) {
    cases.push_back({email, [email](P& p) { p.set_email(email); }, {"person.email"}});
  }
  for (const char* phone : {"0441234567", "+380 44 123 4567", "+0441234567", "+1234",
                            "+12345678901234567", "380441234567", "+38044123456x"}) {
    cases.push_back({phone, [phone](P& p) { p.set_phone(phone); }, {"person.phone"}});
  }
  for (const char* language : {"Ukrainian", "UK", "u", "en_US", "", "en-us", "uk-"}) {
    cases.push_back({language,
                     [language](P& p) {
                       p.clear_languages();
                       p.add_languages(language);
                     },
                     {"person.languages[0]"}});
  }
  for (const Case& c : cases) {
    P person = Person("Rustem Umerov", "Рустем Умєров", "Minister", "organizations/ua-mod", "UA",
                      {"uk", "en-US", "sr-Latn"}, "rustem@example.org", "+380441234567");
    c.change(person);
    EXPECT_THAT(CreatePerson(person, "new-person"), InvalidOn(c.fields)) << c.what;
  }
  EXPECT_THAT(CreatePerson(SomePerson(), "Zelensky"), InvalidOn({"person_id"}));
  EXPECT_UNCHANGED(before);
}

TEST_F(RegistryTest, InvalidDelegationAndParticipantFields) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  EXPECT_THAT(CreateDelegation(kSummit, Delegation("D", "XX", "", {}), "d"),
              InvalidOn({"delegation.country"}));
  EXPECT_THAT(CreateDelegation(kSummit, Delegation("", "US", "", {}), "d"),
              InvalidOn({"delegation.display_name"}));
  EXPECT_THAT(CreateDelegation(kSummit, Delegation("D", "US", "yermak", {}), "d"),
              InvalidOn({"delegation.head"}));
  EXPECT_THAT(CreateDelegation(kSummit, Delegation("D", "US", "", {"people/biden", "biden"}), "d"),
              InvalidOn({"delegation.members[1]"}));
  EXPECT_THAT(CreateDelegation(kSummit, Delegation("D", "US", "", {""}), "d"),
              InvalidOn({"delegation.members[0]"}));
  EXPECT_THAT(CreateDelegation(kSummit,
                               Delegation("D", "US", "", {"people/umerov", "people/umerov"}), "d"),
              InvalidOn({"delegation.members"}));
  EXPECT_THAT(CreateDelegation(kSummit, Delegation("D", "US", "", {}), "D"),
              InvalidOn({"delegation_id"}));
  EXPECT_THAT(CreateDelegation("udib-2023", Delegation("D", "US", "", {}), "d"),
              InvalidOn({"parent"}));

  v1::CreateParticipantRequest request;
  request.set_parent(kSummit);
  EXPECT_THAT(registry_->CreateParticipant(Organizer(), request),
              InvalidOn({"participant.person", "participant.role"}));
  request.mutable_participant()->set_person("zelensky");
  request.mutable_participant()->set_role(v1::Participant::ROLE_DELEGATE);
  EXPECT_THAT(registry_->CreateParticipant(Organizer(), request), InvalidOn({"participant.person"}));
  request.mutable_participant()->set_person("people/no-such-person");
  EXPECT_THAT(registry_->CreateParticipant(Organizer(), request), InvalidOn({"participant.person"}));
  request.mutable_participant()->set_person("people/zelensky");
  request.mutable_participant()->set_role(static_cast<v1::Participant::Role>(17));
  EXPECT_THAT(registry_->CreateParticipant(Organizer(), request), InvalidOn({"participant.role"}));
  request.mutable_participant()->set_role(v1::Participant::ROLE_DELEGATE);
  request.set_parent("events/UDIB");
  EXPECT_THAT(registry_->CreateParticipant(Organizer(), request), InvalidOn({"parent"}));
  EXPECT_UNCHANGED(before);
}

TEST_F(RegistryTest, BadResourceNamesAreInvalidArgument) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_THAT(GetEvent("udib-2023"), InvalidOn({"name"}));
  EXPECT_THAT(GetEvent(""), InvalidOn({"name"}));
  EXPECT_THAT(GetEvent("events/udib-2023/delegations/ukraine"), InvalidOn({"name"}));
  EXPECT_THAT(GetOrganization("organisations/ua-mod"), InvalidOn({"name"}));
  EXPECT_THAT(GetPerson("people/Zelensky"), InvalidOn({"name"}));
  EXPECT_THAT(GetPerson("people/"), InvalidOn({"name"}));
  EXPECT_THAT(GetPerson("persons/zelensky"), InvalidOn({"name"}));
  EXPECT_THAT(GetDelegation("events/udib-2023/delegations/Ukraine"), InvalidOn({"name"}));
  EXPECT_THAT(GetParticipant("events/udib-2023/participants"), InvalidOn({"name"}));
  EXPECT_THAT(GetParticipant("events/udib-2023/participants/umerov/extra"), InvalidOn({"name"}));
  EXPECT_THAT(BatchGetPeople({"people/umerov", "people/Bad"}), InvalidOn({"names[1]"}));
  EXPECT_THAT(BatchGetPeople(std::vector<std::string>(1001, "people/umerov")),
              InvalidOn({"names"}));
  EXPECT_THAT(BatchGetParticipants(kSummit, {absl::StrCat(kForum, "/participants/kamyshin")}),
              InvalidOn({"names[0]"}));
  EXPECT_THAT(ListParticipants("udib-2023"), InvalidOn({"parent"}));
  EXPECT_THAT(ListDelegations(""), InvalidOn({"parent"}));

  const std::string before = Snapshot();
  v1::Event event = WashingtonSummit();
  event.set_name("events/UDIB");
  EXPECT_THAT(UpdateEvent(event, {"city"}), InvalidOn({"event.name"}));
  v1::Person person = SomePerson();
  person.set_name("zelensky");
  EXPECT_THAT(UpdatePerson(person, {"title"}), InvalidOn({"person.name"}));
  EXPECT_THAT(DeletePerson("people/Zelensky"), InvalidOn({"name"}));
  EXPECT_THAT(Approve("people/umerov"), InvalidOn({"name"}));
  EXPECT_UNCHANGED(before);
}

// ---------------------------------------------------------------------------------------------
// Update masks.

TEST_F(RegistryTest, UpdateMaskStarExplicitAndEmpty) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK_AND_ASSIGN(v1::Person stored, GetPerson("people/umerov"));

  // Explicit: only the named fields change, even if others are sent.
  v1::Person patch;
  patch.set_name(stored.name());
  patch.set_title("Secretary of the National Security and Defense Council");
  patch.set_email("changed@example.org");
  ASSERT_OK_AND_ASSIGN(v1::Person explicit_update, UpdatePerson(patch, {"title"}));
  EXPECT_EQ(explicit_update.title(), "Secretary of the National Security and Defense Council");
  EXPECT_EQ(explicit_update.email(), stored.email());
  EXPECT_EQ(explicit_update.display_name(), stored.display_name());

  // A named field left unset is cleared.
  patch.clear_title();
  ASSERT_OK_AND_ASSIGN(v1::Person cleared, UpdatePerson(patch, {"title", "phone"}));
  EXPECT_EQ(cleared.title(), "");
  EXPECT_EQ(cleared.phone(), "");
  EXPECT_EQ(cleared.email(), stored.email());

  // Empty mask: the fields the patch sets.
  v1::Person set_only;
  set_only.set_name(stored.name());
  set_only.set_title("Minister of Defense of Ukraine");
  set_only.add_languages("uk");
  ASSERT_OK_AND_ASSIGN(v1::Person empty_mask, UpdatePerson(set_only, {}));
  EXPECT_EQ(empty_mask.title(), "Minister of Defense of Ukraine");
  EXPECT_THAT(empty_mask.languages(), ElementsAre("uk"));
  EXPECT_EQ(empty_mask.email(), stored.email());
  EXPECT_EQ(empty_mask.native_name(), stored.native_name());

  // "*": every updatable field, so what is not sent is cleared.
  ASSERT_OK_AND_ASSIGN(v1::Person full, GetPerson("people/umerov"));
  full.clear_phone();
  full.clear_native_name();
  full.set_title("Minister");
  ASSERT_OK_AND_ASSIGN(v1::Person star, UpdatePerson(full, {"*"}));
  EXPECT_EQ(star.phone(), "");
  EXPECT_EQ(star.native_name(), "");
  EXPECT_EQ(star.title(), "Minister");
  EXPECT_EQ(star.display_name(), stored.display_name());
  EXPECT_THAT(star.create_time(), EqualsProto(stored.create_time()));
  // "*" with a required field missing is invalid, and changes nothing.
  const std::string before = Snapshot();
  v1::Person missing = star;
  missing.clear_display_name();
  missing.clear_etag();
  EXPECT_THAT(UpdatePerson(missing, {"*"}), InvalidOn({"person.display_name"}));
  EXPECT_UNCHANGED(before);
}

TEST_F(RegistryTest, UpdateMaskWithAForbiddenPathChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Snapshot();
  ASSERT_OK_AND_ASSIGN(v1::Person person, GetPerson("people/umerov"));
  person.set_title("Changed");
  for (const char* path : {"name", "etag", "create_time", "update_time", "email_address",
                           "organization.name", "title,email"}) {
    EXPECT_THAT(UpdatePerson(person, {"title", path}), InvalidOn({"update_mask"})) << path;
  }
  ASSERT_OK_AND_ASSIGN(v1::Event event, GetEvent(kSummit));
  EXPECT_THAT(UpdateEvent(event, {"name"}), InvalidOn({"update_mask"}));
  EXPECT_THAT(UpdateEvent(event, {"start_date.year"}), InvalidOn({"update_mask"}));
  ASSERT_OK_AND_ASSIGN(v1::Organization organization, GetOrganization("organizations/ua-mod"));
  EXPECT_THAT(UpdateOrganization(organization, {"create_time"}), InvalidOn({"update_mask"}));
  ASSERT_OK_AND_ASSIGN(v1::Delegation delegation, GetDelegation(kUkraineDelegation));
  EXPECT_THAT(UpdateDelegation(delegation, {"name"}), InvalidOn({"update_mask"}));
  EXPECT_UNCHANGED(before);

  // Updates are validated like creates.
  v1::Event bad = event;
  bad.set_time_zone("Mars/Base");
  *bad.mutable_end_date() = Day(2023, 12, 1);
  EXPECT_THAT(UpdateEvent(bad, {"time_zone", "end_date"}),
              InvalidOn({"event.time_zone", "event.end_date"}));
  v1::Event self = event;
  self.set_predecessor(kSummit);
  EXPECT_THAT(UpdateEvent(self, {"predecessor"}), InvalidOn({"event.predecessor"}));
  v1::Person bad_person = person;
  bad_person.set_organization("organizations/no-such");
  EXPECT_THAT(UpdatePerson(bad_person, {"organization"}), InvalidOn({"person.organization"}));
  v1::Organization bad_organization = organization;
  bad_organization.set_website("mil.gov.ua");
  EXPECT_THAT(UpdateOrganization(bad_organization, {"website"}), InvalidOn({"organization.website"}));
  EXPECT_UNCHANGED(before);
}

TEST_F(RegistryTest, PredecessorsFormNoCycle) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  // The Washington summit continues the Kyiv forum; the forum cannot also continue the summit.
  const std::string before = Snapshot();
  ASSERT_OK_AND_ASSIGN(v1::Event forum, GetEvent(kForum));
  forum.set_predecessor(kSummit);
  EXPECT_THAT(UpdateEvent(forum, {"predecessor"}), InvalidOn({"event.predecessor"}));
  EXPECT_UNCHANGED(before);
}

// ---------------------------------------------------------------------------------------------
// The role matrix.

TEST_F(RegistryTest, OnlyOrganizersWrite) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK(CreatePerson(SomePerson(), "unaccredited").status());
  ASSERT_OK(CreateOrganization(Organization("Unused", v1::Organization::KIND_OTHER, "UA"), "unused")
                .status());
  ASSERT_OK(CreateEvent(SomeEvent(), "unused-event").status());
  ASSERT_OK(CreateDelegation(kSummit, Delegation("Empty", "US", "", {}), "empty").status());
  const std::string before = Snapshot();

  struct Caller {
    Principal principal;
    Code expected;
  };
  const std::vector<Caller> callers = {
      {Anonymous(), Code::kUnauthenticated},
      {As(Role::kPublic, "umerov"), Code::kPermissionDenied},
      {Press(), Code::kPermissionDenied},
      {As(Role::kDelegate, "umerov"), Code::kPermissionDenied},
      {As(Role::kDelegate, "jane-doe"), Code::kPermissionDenied},
      {Service(), Code::kPermissionDenied},
  };
  for (const Caller& caller : callers) {
    SCOPED_TRACE(::testing::PrintToString(caller.principal));
    const Principal& p = caller.principal;
    const Code code = caller.expected;
    ASSERT_OK_AND_ASSIGN(v1::Event event, GetEvent(kSummit));
    ASSERT_OK_AND_ASSIGN(v1::Organization organization, GetOrganization("organizations/ua-mod"));
    ASSERT_OK_AND_ASSIGN(v1::Person umerov, GetPerson("people/umerov"));
    ASSERT_OK_AND_ASSIGN(v1::Delegation delegation, GetDelegation(kUkraineDelegation));
    event.set_city("Elsewhere");
    organization.set_website("https://example.org");
    umerov.set_title("Changed by themself");
    delegation.set_display_name("Changed");

    EXPECT_THAT(CreateEvent(SomeEvent(), "new-event", "", p), StatusIs(code));
    EXPECT_THAT(UpdateEvent(event, {"city"}, p), StatusIs(code));
    EXPECT_THAT(DeleteEvent("events/unused-event", "", p), StatusIs(code));
    EXPECT_THAT(CreateOrganization(Organization("O", v1::Organization::KIND_OTHER, "UA"), "o", "", p),
                StatusIs(code));
    EXPECT_THAT(UpdateOrganization(organization, {"website"}, p), StatusIs(code));
    EXPECT_THAT(DeleteOrganization("organizations/unused", "", p), StatusIs(code));
    EXPECT_THAT(CreatePerson(SomePerson(), "new-person", "", p), StatusIs(code));
    EXPECT_THAT(UpdatePerson(umerov, {"title"}, p), StatusIs(code));
    EXPECT_THAT(DeletePerson("people/unaccredited", "", p), StatusIs(code));
    EXPECT_THAT(CreateDelegation(kSummit, Delegation("D", "US", "", {}), "d", "", p),
                StatusIs(code));
    EXPECT_THAT(UpdateDelegation(delegation, {"display_name"}, p), StatusIs(code));
    EXPECT_THAT(DeleteDelegation("events/udib-2023/delegations/empty", "", p), StatusIs(code));
    EXPECT_THAT(Accredit(kSummit, "zelensky", v1::Participant::ROLE_DELEGATE, "", p),
                StatusIs(code));
    EXPECT_THAT(Approve(SummitParticipant("jane-doe"), "", p), StatusIs(code));
    EXPECT_THAT(Reject(SummitParticipant("jane-doe"), "no", "", p), StatusIs(code));
    EXPECT_THAT(Revoke(SummitParticipant("umerov"), "no", "", p), StatusIs(code));
    EXPECT_UNCHANGED(before);
  }
  // The refusals carry a reason clients can switch on.
  EXPECT_THAT(CreateEvent(SomeEvent(), "e", "", Anonymous()),
              IsErrorWithReason(Code::kUnauthenticated, "CREDENTIALS_REQUIRED"));
  EXPECT_THAT(CreateEvent(SomeEvent(), "e", "", Press()),
              IsErrorWithReason(Code::kPermissionDenied, "ORGANIZER_ONLY"));
}

TEST_F(RegistryTest, EveryoneReadsEventsOrganizationsPeopleAndDelegations) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  for (const Principal& caller : {Anonymous(), Press(), As(Role::kDelegate, "umerov"), Service(),
                                  Organizer()}) {
    SCOPED_TRACE(::testing::PrintToString(caller));
    EXPECT_OK(GetEvent(kSummit, caller).status());
    EXPECT_THAT(Must(ListEvents("", 0, "", caller)).events(), SizeIs(2));
    EXPECT_OK(GetOrganization("organizations/verkhovna-rada", caller).status());
    EXPECT_THAT(Must(ListOrganizations("", 0, "", caller)).organizations(),
                SizeIs(SeedOrganizations().size()));
    EXPECT_OK(GetPerson("people/stefanchuk", caller).status());
    EXPECT_OK(BatchGetPeople({"people/stefanchuk", "people/biden"}, caller).status());
    EXPECT_THAT(Must(ListPeople("", 0, "", caller)).people(), SizeIs(SeedPeople().size()));
    EXPECT_OK(Search("Stefanchuk", 0, caller).status());
    EXPECT_OK(GetDelegation(kUkraineDelegation, caller).status());
    EXPECT_THAT(Must(ListDelegations(kSummit, "", 0, "", caller)).delegations(), SizeIs(1));
    EXPECT_OK(GetParticipant(SummitParticipant("umerov"), caller).status());
  }
}

TEST_F(RegistryTest, EmailAndPhoneOnlyForOrganizersServicesAndThePerson) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  struct Case {
    Principal caller;
    bool sees;
  };
  const std::vector<Case> cases = {
      {Organizer(), true},
      {Service(), true},
      {As(Role::kDelegate, "umerov"), true},   // themself
      {As(Role::kPress, "umerov"), true},      // themself, whatever the role
      {As(Role::kPublic, "umerov"), true},     // themself
      {As(Role::kDelegate, "yermak"), false},  // a colleague
      {Press(), false},
      {Anonymous(), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.caller));
    const std::string email = c.sees ? "umerov@example.org" : "";
    ASSERT_OK_AND_ASSIGN(v1::Person got, GetPerson("people/umerov", c.caller));
    EXPECT_EQ(got.email(), email);
    EXPECT_EQ(got.phone().empty(), !c.sees);
    EXPECT_EQ(got.display_name(), "Rustem Umerov");  // the rest is public
    EXPECT_EQ(got.title(), "Minister of Defense of Ukraine");

    ASSERT_OK_AND_ASSIGN(v1::BatchGetPeopleResponse batch,
                         BatchGetPeople({"people/umerov", "people/zelensky"}, c.caller));
    EXPECT_EQ(batch.people(0).email(), email);
    EXPECT_EQ(batch.people(1).email().empty(),
              !(c.caller.IsOrganizer() || c.caller.IsService()));  // Zelensky's

    ASSERT_OK_AND_ASSIGN(v1::ListPeopleResponse list,
                         ListPeople("organization = \"organizations/ua-mod\"", 0, "", c.caller));
    ASSERT_THAT(list.people(), SizeIs(1));
    EXPECT_EQ(list.people(0).email(), email);
    EXPECT_EQ(list.people(0).phone().empty(), !c.sees);

    ASSERT_OK_AND_ASSIGN(v1::SearchPeopleResponse search, Search("Umerov", 0, c.caller));
    ASSERT_THAT(search.results(), SizeIs(1));
    EXPECT_EQ(search.results(0).person().email(), email);
    EXPECT_EQ(search.results(0).person().phone().empty(), !c.sees);
  }
}

TEST_F(RegistryTest, UnapprovedAccreditationsAreHiddenFromOthers) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_OK(Revoke(SummitParticipant("arakhamia"), "Stayed in Kyiv").status());
  const std::vector<std::string> hidden = {"jane-doe" /* pending */, "john-roe" /* rejected */,
                                           "arakhamia" /* revoked */};
  struct Case {
    Principal caller;
    std::set<std::string> sees;  // which of `hidden` the caller sees
  };
  const std::vector<Case> cases = {
      {Organizer(), {"jane-doe", "john-roe", "arakhamia"}},
      {Service(), {"jane-doe", "john-roe", "arakhamia"}},
      {As(Role::kPress, "jane-doe"), {"jane-doe"}},       // her own request
      {As(Role::kPublic, "john-roe"), {"john-roe"}},      // his own
      {As(Role::kDelegate, "arakhamia"), {"arakhamia"}},  // his own
      {As(Role::kDelegate, "umerov"), {}},
      {Press(), {}},
      {Anonymous(), {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.caller));
    const std::vector<std::string> listed = ParticipantNames(kSummit, "", c.caller);
    const std::vector<std::string> pending_listed =
        ParticipantNames(kSummit, "state = STATE_PENDING", c.caller);
    for (const std::string& id : hidden) {
      const std::string name = SummitParticipant(id);
      const bool sees = c.sees.count(id) > 0;
      SCOPED_TRACE(id);
      if (sees) {
        EXPECT_OK(GetParticipant(name, c.caller).status());
        EXPECT_OK(BatchGetParticipants(kSummit, {SummitParticipant("umerov"), name}, c.caller)
                      .status());
        EXPECT_THAT(listed, Contains(name));
      } else {
        // Hidden: NOT_FOUND, just like an accreditation that does not exist.
        EXPECT_THAT(GetParticipant(name, c.caller),
                    IsErrorWithReason(Code::kNotFound, "RESOURCE_NOT_FOUND"));
        EXPECT_THAT(BatchGetParticipants(kSummit, {SummitParticipant("umerov"), name}, c.caller),
                    StatusIs(Code::kNotFound));
        EXPECT_THAT(listed, Not(Contains(name)));
      }
    }
    EXPECT_EQ(static_cast<int>(std::count(pending_listed.begin(), pending_listed.end(),
                                          SummitParticipant("jane-doe"))),
              static_cast<int>(c.sees.count("jane-doe")));
    // Approved accreditations are public.
    for (const char* id : {"umerov", "yermak", "markarova"}) {
      EXPECT_THAT(listed, Contains(SummitParticipant(id)));
      EXPECT_OK(GetParticipant(SummitParticipant(id), c.caller).status());
    }
    EXPECT_EQ(listed.size(), DelegationMembers().size() - 1 + c.sees.size());
  }
}

// ---------------------------------------------------------------------------------------------
// Name search.

TEST_F(RegistryTest, SearchFindsZelenskyAndUmerovWhateverTheSpelling) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  for (const char* query : {"zelensk", "Zelenskyy", "Zelenskiy", "Zelensky", "Зеленськ",
                            "Зеленський", "ZELENSKY", "Volodymyr Zelensky", "zelensky volodymyr",
                            "Vladimir Zelenskiy"}) {
    std::vector<std::string> found = Found(query);
    ASSERT_THAT(found, Not(IsEmpty())) << query;
    EXPECT_EQ(found.front(), "people/zelensky") << query;
  }
  for (const char* query : {"Umerov", "Умєров", "Umierov", "umer", "Rustem Umerov"}) {
    EXPECT_THAT(Found(query), ElementsAre("people/umerov")) << query;
  }
  EXPECT_THAT(Found("Yermak"), ElementsAre("people/yermak"));
  EXPECT_THAT(Found("Ермак"), ElementsAre("people/yermak"));
  EXPECT_THAT(Found("Kamishin"), ElementsAre("people/kamyshin"));
  EXPECT_THAT(Found("Tochitsky"), ElementsAre("people/tochytskyi"));
  EXPECT_THAT(Found("Arakhamiya"), ElementsAre("people/arakhamia"));
  EXPECT_THAT(Found("Маркарова"), ElementsAre("people/markarova"));
  EXPECT_THAT(Found("Стефанчук"), ElementsAre("people/stefanchuk"));
  EXPECT_THAT(Found("Xylophone"), IsEmpty());

  ASSERT_OK_AND_ASSIGN(v1::SearchPeopleResponse exact, Search("Zelenskyy"));
  EXPECT_EQ(exact.results(0).match_quality(), v1::SearchPeopleResponse::MATCH_QUALITY_EXACT);
  ASSERT_OK_AND_ASSIGN(v1::SearchPeopleResponse prefix, Search("Зеленськ"));
  EXPECT_EQ(prefix.results(0).match_quality(), v1::SearchPeopleResponse::MATCH_QUALITY_PREFIX);
}

TEST_F(RegistryTest, SearchCrossesScriptsBothWays) {
  // Only one script stored: the other finds it all the same.
  ASSERT_OK(CreatePerson(Person("Рустем Умєров", "", "Міністр оборони України", "", "UA"), "umerov")
                .status());
  ASSERT_OK(CreatePerson(Person("Volodymyr Zelensky", "", "President of Ukraine", "", "UA"),
                         "zelensky")
                .status());
  EXPECT_THAT(Found("Umerov"), ElementsAre("people/umerov"));
  EXPECT_THAT(Found("Зеленський"), ElementsAre("people/zelensky"));
  EXPECT_THAT(Found("Зеленськ"), ElementsAre("people/zelensky"));
}

TEST_F(RegistryTest, SearchRanksExactBeforePrefixBeforeFuzzyThenByName) {
  for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
           {"bidenko", "Joseph Bidenko"},
           {"bidan", "Hunter Bidan"},
           {"joseph-biden", "Joseph Biden"},
           {"jill-biden", "Jill Biden"},
           {"boden", "Mary Boden"},
       }) {
    ASSERT_OK(CreatePerson(Person(name, "", "", "", "US"), id).status());
  }
  ASSERT_OK_AND_ASSIGN(v1::SearchPeopleResponse response, Search("Biden"));
  using Ranked = std::pair<std::string, int>;
  std::vector<Ranked> ranked;
  for (const auto& result : response.results()) {
    ranked.emplace_back(result.person().display_name(), result.match_quality());
  }
  using R = v1::SearchPeopleResponse;
  EXPECT_THAT(ranked, ElementsAre(Ranked("Jill Biden", R::MATCH_QUALITY_EXACT),
                                  Ranked("Joseph Biden", R::MATCH_QUALITY_EXACT),
                                  Ranked("Joseph Bidenko", R::MATCH_QUALITY_PREFIX),
                                  Ranked("Hunter Bidan", R::MATCH_QUALITY_FUZZY),
                                  Ranked("Mary Boden", R::MATCH_QUALITY_FUZZY)));
  // page_size cuts after the best.
  ASSERT_OK_AND_ASSIGN(v1::SearchPeopleResponse one, Search("Biden", 1));
  ASSERT_THAT(one.results(), SizeIs(1));
  EXPECT_EQ(one.results(0).person().name(), "people/jill-biden");
  ASSERT_OK_AND_ASSIGN(v1::SearchPeopleResponse three, Search("Biden", 3));
  EXPECT_THAT(three.results(), SizeIs(3));
}

// SearchPeople reads at most kMaxSearchCandidates people by the prefix of the query's longest
// word (in id order) before ranking them; past that, a second read by whole words must still
// bring every exact match, however late its id, and the page must still rank them first.
TEST_F(RegistryTest, SearchPastItsCandidateLimitStillFindsEveryExactMatchFirst) {
  // One more than the limit of people whose name only starts with "Li" (and who all have "Lina"
  // as a whole word), with ids sorting before every exact match's but one; created by a few
  // writers at once, whose commits the database groups.
  constexpr int kWriters = 8;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([this, w] {
      for (int i = w; i <= kMaxSearchCandidates; i += kWriters) {
        EXPECT_OK(CreatePerson(Person(absl::StrCat("Lina Number", i), "", "", "", "UA"),
                               absl::StrCat("a", 10000 + i))
                      .status())
            << i;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  // Exact matches of "Li", their display names in another order than their ids; "a0-wang-li"
  // sorts before the Linas, so that both reads find her.
  for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
           {"li-wei", "Li Wei"}, {"zz-li-zhang", "Li Zhang"}, {"m-anna-li", "Anna Li"},
           {"a0-wang-li", "Wang Li"}}) {
    ASSERT_OK(CreatePerson(Person(name, "", "", "", "CN"), id).status()) << id;
  }
  // And a person whose two words are both exact, behind more than the limit of namesakes.
  ASSERT_OK(CreatePerson(Person("Lina Li", "", "", "", "CN"), "zz-lina-li").status());

  using R = v1::SearchPeopleResponse;
  ASSERT_OK_AND_ASSIGN(R page, Search("Li", kMaxSearchResults));
  ASSERT_THAT(page.results(), SizeIs(kMaxSearchResults));
  std::vector<std::string> exact;
  std::vector<std::string> prefix_names;
  std::set<std::string> seen;
  for (const R::Result& result : page.results()) {
    EXPECT_TRUE(seen.insert(result.person().name()).second) << result.person().name() << " twice";
    if (result.match_quality() == R::MATCH_QUALITY_EXACT) {
      EXPECT_THAT(prefix_names, IsEmpty()) << result.person().name() << " after a prefix match";
      exact.push_back(result.person().display_name());
    } else {
      EXPECT_EQ(result.match_quality(), R::MATCH_QUALITY_PREFIX) << result.person().name();
      prefix_names.push_back(result.person().display_name());
    }
  }
  // Every exact match, best first and then by display name, and the page filled up with prefix
  // matches, by display name too.
  EXPECT_THAT(exact, ElementsAre("Anna Li", "Li Wei", "Li Zhang", "Lina Li", "Wang Li"));
  EXPECT_THAT(prefix_names, SizeIs(kMaxSearchResults - 5));
  EXPECT_TRUE(std::is_sorted(prefix_names.begin(), prefix_names.end()));

  // page_size cuts after the best; the Cyrillic spelling finds the same.
  ASSERT_OK_AND_ASSIGN(R two, Search("Li", 2));
  ASSERT_THAT(two.results(), SizeIs(2));
  EXPECT_EQ(two.results(0).person().name(), "people/m-anna-li");
  EXPECT_EQ(two.results(1).person().name(), "people/li-wei");
  EXPECT_THAT(Found("Лі"), Contains("people/zz-li-zhang"));

  // Two exact words, the longer one shared by more than the limit: still found, and alone.
  ASSERT_OK_AND_ASSIGN(R both, Search("Lina Li"));
  ASSERT_THAT(both.results(), SizeIs(1));
  EXPECT_EQ(both.results(0).person().name(), "people/zz-lina-li");
  EXPECT_EQ(both.results(0).match_quality(), R::MATCH_QUALITY_EXACT);
}

TEST_F(RegistryTest, SearchRejectsQueriesWithNothingToSearch) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  for (const std::string& query : {std::string(""), std::string("   "), std::string("?!-"),
                                   std::string("zel\x01"), std::string(201, 'z'),
                                   std::string("\xff")}) {
    EXPECT_THAT(Search(query), InvalidOn({"query"})) << query;
  }
  EXPECT_THAT(Search("Umerov", -1), InvalidOn({"page_size"}));
  EXPECT_OK(Search("Umerov", 1000).status());  // capped, not refused
}

TEST_F(RegistryTest, SearchFollowsRenamesAndDeletes) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  v1::Person patch;
  patch.set_name("people/biden");
  patch.set_display_name("Kamala Harris");
  ASSERT_OK(UpdatePerson(patch, {"display_name"}).status());
  EXPECT_THAT(Found("Biden"), IsEmpty());
  EXPECT_THAT(Found("Harris"), ElementsAre("people/biden"));
  ASSERT_OK(DeletePerson("people/biden"));
  EXPECT_THAT(Found("Harris"), IsEmpty());
}

TEST_F(RegistryTest, RefreshSearchIndexRebuildsTheWords) {
  // On a fresh database it has nothing to do but succeeds, and may run again.
  ASSERT_OK(registry_->RefreshSearchIndex());
  ASSERT_OK(registry_->RefreshSearchIndex());
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_THAT(Found("Zelensky"), Not(IsEmpty()));

  // The index lost, with its version current: nothing to refresh, nothing found.
  ASSERT_NO_FATAL_FAILURE(ExecuteSql("DELETE FROM person_name_words"));
  ASSERT_NO_FATAL_FAILURE(ExecuteSql("UPDATE people SET name_words = ''"));
  EXPECT_THAT(Found("Zelensky"), IsEmpty());
  ASSERT_OK(registry_->RefreshSearchIndex());
  EXPECT_THAT(Found("Zelensky"), IsEmpty());

  // Built by older folding rules (version 0): refreshed from the people themselves.
  ASSERT_NO_FATAL_FAILURE(ExecuteSql("UPDATE name_index_version SET version = 0"));
  ASSERT_OK(registry_->RefreshSearchIndex());
  EXPECT_THAT(Found("Zelensky"), ElementsAre("people/zelensky"));
  EXPECT_THAT(Found("Зеленськ"), ElementsAre("people/zelensky"));
  EXPECT_THAT(Found("Umerov"), ElementsAre("people/umerov"));
  EXPECT_THAT(Found("Markarova"), ElementsAre("people/markarova"));

  // A second registry on the same file (a restart) sees the same index.
  Registry restarted(*database_, [this] { return now_; });
  ASSERT_OK(restarted.RefreshSearchIndex());
  v1::SearchPeopleRequest request;
  request.set_query("Єрмак");
  ASSERT_OK_AND_ASSIGN(v1::SearchPeopleResponse response,
                       restarted.SearchPeople(Anonymous(), request));
  ASSERT_THAT(response.results(), SizeIs(1));
  EXPECT_EQ(response.results(0).person().name(), "people/yermak");
}

}  // namespace
}  // namespace summit::registry
