// Registry: people, and finding them by name.
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "common/api/field_checks.h"
#include "common/api/field_mask.h"
#include "common/api/page_token.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/list_query.h"
#include "services/registry/access_policy.h"
#include "services/registry/name_search.h"
#include "services/registry/registry.h"
#include "services/registry/registry_internal.h"
#include "services/registry/registry_store.h"
#include "services/registry/registry_validation.h"

namespace summit::registry {
namespace {

constexpr absl::string_view kPattern = "people/*";
constexpr absl::string_view kUpdatablePersonFields[] = {
    "display_name", "native_name", "title", "organization", "country", "languages", "email", "phone"};

std::vector<std::string> NameWordsOf(const v1::Person& person) {
  std::vector<std::string> words = NameSkeletons(person.display_name());
  for (std::string& word : NameSkeletons(person.native_name())) words.push_back(std::move(word));
  return words;
}

absl::Status CheckPersonReferences(RegistryStore& store, const v1::Person& person) {
  if (person.organization().empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string id,
                   api::ResourceIdOf(person.organization(), "organizations/*", "person.organization"));
  ASSIGN_OR_RETURN(std::optional<v1::Organization> organization, store.FindOrganization(id));
  if (!organization.has_value()) {
    return MissingReferenceError("person.organization", person.organization());
  }
  return absl::OkStatus();
}

v1::SearchPeopleResponse::MatchQuality ToMatchQuality(NameMatch match) {
  switch (match) {
    case NameMatch::kExact: return v1::SearchPeopleResponse::MATCH_QUALITY_EXACT;
    case NameMatch::kPrefix: return v1::SearchPeopleResponse::MATCH_QUALITY_PREFIX;
    case NameMatch::kFuzzy: return v1::SearchPeopleResponse::MATCH_QUALITY_FUZZY;
    case NameMatch::kNone: break;
  }
  return v1::SearchPeopleResponse::MATCH_QUALITY_UNSPECIFIED;
}

}  // namespace

absl::Status Registry::RefreshSearchIndex() {
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(int version, store.NameIndexVersion());
    if (version == kNameSkeletonVersion) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::vector<v1::Person> people, store.AllPeople());
    for (const v1::Person& person : people) {
      RETURN_IF_ERROR(store.WriteNameWords(std::string(absl::StripPrefix(person.name(), "people/")),
                                           NameWordsOf(person)));
    }
    return store.SetNameIndexVersion(kNameSkeletonVersion);
  });
}

absl::StatusOr<v1::Person> Registry::CreatePerson(const Caller& caller,
                                                  const v1::CreatePersonRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "create people"));
  std::vector<FieldViolation> violations = ValidatePerson(request.person(), "person");
  ValidateOptionalId(request.person_id(), "person_id", violations);
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  v1::Person person = request.person();
  const std::string id = api::ChosenOrNewId(request.person_id());
  person.set_name(internal::PersonName(id));
  api::StampCreated(person, clock_());

  // Every rule of a new person is also a key of the schema (the request id
  // and the person's id unused, the organization there), so a concurrent
  // create needs no serializable transaction to be seen: see
  // WriteIsolation::kReadCommitted.
  RETURN_IF_ERROR(database_.Write(
      storage::WriteIsolation::kReadCommitted, [&](storage::Transaction& tx) -> absl::Status {
        RegistryStore store(tx);
        return storage::CreateOnce<v1::Person>(
            tx, request.request_id(),
            [&](const std::string& name) -> absl::StatusOr<std::optional<v1::Person>> {
              ASSIGN_OR_RETURN(std::string earlier_id, api::ResourceIdOf(name, kPattern, "name"));
              return store.FindPerson(earlier_id);
            },
            [&]() -> absl::Status {
              ASSIGN_OR_RETURN(std::optional<v1::Person> existing, store.FindPerson(id));
              if (existing.has_value()) return AlreadyExistsError(person.name());
              RETURN_IF_ERROR(CheckPersonReferences(store, person));
              return store.InsertPerson(id, person, NameWordsOf(person));
            },
            person);
      }));
  RedactPerson(caller, person);
  return person;
}

absl::StatusOr<v1::Person> Registry::GetPerson(const Caller& caller,
                                               const v1::GetPersonRequest& request) {
  ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(request.name(), kPattern, "name"));
  std::optional<v1::Person> person;
  RETURN_IF_ERROR(database_.ReadOneQuery([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(person, RegistryStore(tx).FindPerson(id));
    return absl::OkStatus();
  }));
  if (!person.has_value()) return NotFoundError(request.name());
  RedactPerson(caller, *person);
  return *std::move(person);
}

absl::StatusOr<v1::BatchGetPeopleResponse> Registry::BatchGetPeople(
    const Caller& caller, const v1::BatchGetPeopleRequest& request) {
  if (request.names_size() > kMaxBatchNames) {
    return InvalidArgumentError({{"names", absl::StrCat("at most ", kMaxBatchNames, " names")}});
  }
  std::vector<std::string> ids;
  for (int i = 0; i < request.names_size(); ++i) {
    ASSIGN_OR_RETURN(std::string id,
                     api::ResourceIdOf(request.names(i), kPattern, absl::StrCat("names[", i, "]")));
    ids.push_back(std::move(id));
  }
  v1::BatchGetPeopleResponse response;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    for (size_t i = 0; i < ids.size(); ++i) {
      ASSIGN_OR_RETURN(std::optional<v1::Person> person, store.FindPerson(ids[i]));
      if (!person.has_value()) return NotFoundError(request.names(static_cast<int>(i)));
      *response.add_people() = *std::move(person);
    }
    return absl::OkStatus();
  }));
  for (v1::Person& person : *response.mutable_people()) RedactPerson(caller, person);
  return response;
}

absl::StatusOr<v1::ListPeopleResponse> Registry::ListPeople(const Caller& caller,
                                                            const v1::ListPeopleRequest& request) {
  static const storage::FilterField kFields[] = {
      {"country", "country = ?"},
      {"organization", "organization_id = ?", nullptr, "organizations/"},
  };
  ASSIGN_OR_RETURN(storage::ListQuery query, storage::ParseListQuery("people", request.page_size(),
                                                                     request.page_token(),
                                                                     request.filter(), kFields));
  std::vector<v1::Person> people;
  RETURN_IF_ERROR(database_.ReadOneQuery([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(people, RegistryStore(tx).ListPeople(query.conditions, query.after_id,
                                                          query.fetch_limit()));
    return absl::OkStatus();
  }));
  v1::ListPeopleResponse response;
  response.set_next_page_token(query.FinishPage(people));
  for (v1::Person& person : people) {
    RedactPerson(caller, person);
    *response.add_people() = std::move(person);
  }
  return response;
}

absl::StatusOr<v1::SearchPeopleResponse> Registry::SearchPeople(
    const Caller& caller, const v1::SearchPeopleRequest& request) {
  std::vector<FieldViolation> violations;
  if (std::string problem = api::TextProblem(request.query(), kMaxDisplayNameChars, true);
      !problem.empty()) {
    violations.push_back({"query", problem});
  }
  absl::StatusOr<int> page_size =
      api::EffectivePageSize(request.page_size(), kDefaultSearchResults, kMaxSearchResults);
  if (!page_size.ok()) violations.push_back({"page_size", "must not be negative"});
  const std::vector<std::string> query = NameSkeletons(request.query());
  if (violations.empty() && query.empty()) {
    violations.push_back({"query", "holds no letters or digits to search for"});
  }
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  // Candidates: people with a word starting with the query's longest word
  // (and, should that hit its limit, those with every query word as a whole
  // word, so that no number of namesakes crowds out the exact matches,
  // unless there are more of those than the limit too); when those do not
  // fill the page, also everyone with a word of the same candidate key, for
  // near misses.
  const std::string& longest = *std::max_element(
      query.begin(), query.end(),
      [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
  absl::flat_hash_map<std::string, std::pair<v1::Person, NameMatch>> matches;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    auto consider = [&](std::vector<PersonWithWords> candidates) {
      for (PersonWithWords& candidate : candidates) {
        const NameMatch match = MatchName(query, candidate.name_words);
        if (match == NameMatch::kNone) continue;
        std::string name = candidate.person.name();
        matches.try_emplace(std::move(name), std::move(candidate.person), match);
      }
    };
    // Skeletons hold no control characters, so [w, w + "\x7f") is every
    // word starting with w, and [w, w + "\x01") is w alone. The whole-word
    // query is only needed when the prefix query hit its limit.
    ASSIGN_OR_RETURN(
        std::vector<PersonWithWords> by_prefix,
        store.FindPeopleByWordRanges({{longest, longest + "\x7f"}}, kMaxSearchCandidates));
    const bool prefix_limited = static_cast<int>(by_prefix.size()) >= kMaxSearchCandidates;
    consider(std::move(by_prefix));
    if (prefix_limited) {
      std::vector<WordRange> whole_words;
      for (const std::string& word : query) whole_words.push_back({word, word + "\x01"});
      ASSIGN_OR_RETURN(std::vector<PersonWithWords> exact,
                       store.FindPeopleByWordRanges(whole_words, kMaxSearchCandidates));
      consider(std::move(exact));
    }
    if (static_cast<int>(matches.size()) < *page_size) {
      ASSIGN_OR_RETURN(std::vector<PersonWithWords> by_key,
                       store.FindPeopleByCandidateKey(CandidateKey(longest), kMaxSearchCandidates));
      consider(std::move(by_key));
    }
    return absl::OkStatus();
  }));

  std::vector<std::pair<v1::Person, NameMatch>> ranked;
  ranked.reserve(matches.size());
  for (auto& [name, match] : matches) ranked.push_back(std::move(match));
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    if (a.first.display_name() != b.first.display_name()) {
      return a.first.display_name() < b.first.display_name();
    }
    return a.first.name() < b.first.name();
  });
  v1::SearchPeopleResponse response;
  for (auto& [person, match] : ranked) {
    if (response.results_size() >= *page_size) break;
    v1::SearchPeopleResponse::Result* result = response.add_results();
    RedactPerson(caller, person);
    *result->mutable_person() = std::move(person);
    result->set_match_quality(ToMatchQuality(match));
  }
  return response;
}

absl::StatusOr<v1::Person> Registry::UpdatePerson(const Caller& caller,
                                                  const v1::UpdatePersonRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "change people"));
  ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(request.person().name(), kPattern, "person.name"));
  v1::Person updated;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Person> stored, store.FindPerson(id));
    if (!stored.has_value()) return NotFoundError(request.person().name());
    RETURN_IF_ERROR(api::CheckEtag(request.person().etag(), stored->etag(), stored->name()));
    updated = *stored;
    RETURN_IF_ERROR(api::ApplyFieldMask(request.person(), request.update_mask(),
                                        kUpdatablePersonFields, &updated));
    RETURN_IF_ERROR(ToStatus(ValidatePerson(updated, "person")));
    RETURN_IF_ERROR(CheckPersonReferences(store, updated));
    api::StampUpdated(updated, clock_());
    return store.ReplacePerson(id, updated, NameWordsOf(updated));
  }));
  RedactPerson(caller, updated);
  return updated;
}

absl::Status Registry::DeletePerson(const Caller& caller, const v1::DeletePersonRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "delete people"));
  ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(request.name(), kPattern, "name"));
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Person> stored, store.FindPerson(id));
    if (!stored.has_value()) return NotFoundError(request.name());
    RETURN_IF_ERROR(api::CheckEtag(request.etag(), stored->etag(), stored->name()));
    ASSIGN_OR_RETURN(std::vector<std::string> references, store.PersonReferences(id));
    if (!references.empty()) return InUseError(request.name(), references);
    return store.DeletePerson(id);
  });
}

}  // namespace summit::registry
