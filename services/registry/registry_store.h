// Persistence of the registry's resources inside one transaction: which rows
// and columns hold what, and the side tables kept in step with a resource
// (an organization's capability tags, a person's search words, a
// delegation's members). It decides nothing about who may do what or which
// values are valid; Registry does, in the same transaction.
#ifndef SUMMIT_SERVICES_REGISTRY_REGISTRY_STORE_H_
#define SUMMIT_SERVICES_REGISTRY_REGISTRY_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/storage/database.h"
#include "common/storage/proto_table.h"
#include "summit/registry/v1/resources.pb.h"

namespace summit::registry {

// A person found by a search-word prefix, with the words of their names.
struct PersonWithWords {
  v1::Person person;
  std::vector<std::string> name_words;
};

// The search words w with low <= w < high.
struct WordRange {
  std::string low;
  std::string high;
};

class RegistryStore {
 public:
  explicit RegistryStore(storage::Transaction& tx) : tx_(tx) {}

  // Events, keyed by id.
  absl::StatusOr<std::optional<v1::Event>> FindEvent(const std::string& id);
  absl::Status InsertEvent(const std::string& id, const v1::Event& event);
  absl::Status ReplaceEvent(const std::string& id, const v1::Event& event);
  absl::Status DeleteEvent(const std::string& id);
  absl::StatusOr<std::vector<v1::Event>> ListEvents(
      const std::vector<storage::ListCondition>& conditions, const std::string& after_id,
      int limit);
  // Names of what still refers to the event, at most a few: its delegations
  // and participants (unless `successors_only`) and the events continuing it.
  absl::StatusOr<std::vector<std::string>> EventReferences(const std::string& id,
                                                           bool successors_only);
  // Deletes the event's delegations (with their members) and participants.
  absl::Status DeleteEventChildren(const std::string& id);

  // Organizations, keyed by id; capability tags kept in a side table.
  absl::StatusOr<std::optional<v1::Organization>> FindOrganization(const std::string& id);
  absl::Status InsertOrganization(const std::string& id, const v1::Organization& organization);
  absl::Status ReplaceOrganization(const std::string& id, const v1::Organization& organization);
  absl::Status DeleteOrganization(const std::string& id);
  absl::StatusOr<std::vector<v1::Organization>> ListOrganizations(
      const std::vector<storage::ListCondition>& conditions, const std::string& after_id,
      int limit);
  absl::StatusOr<std::vector<std::string>> OrganizationReferences(const std::string& id);

  // People, keyed by id; `name_words` are the search skeletons of their names.
  absl::StatusOr<std::optional<v1::Person>> FindPerson(const std::string& id);
  absl::Status InsertPerson(const std::string& id, const v1::Person& person,
                            const std::vector<std::string>& name_words);
  absl::Status ReplacePerson(const std::string& id, const v1::Person& person,
                             const std::vector<std::string>& name_words);
  absl::Status DeletePerson(const std::string& id);
  absl::StatusOr<std::vector<v1::Person>> ListPeople(
      const std::vector<storage::ListCondition>& conditions, const std::string& after_id,
      int limit);
  absl::StatusOr<std::vector<std::string>> PersonReferences(const std::string& id);
  // People with a search word in each of `ranges` (one word may serve
  // several), in order of their ids, at most `limit`.
  absl::StatusOr<std::vector<PersonWithWords>> FindPeopleByWordRanges(
      const std::vector<WordRange>& ranges, int limit);
  // People with a search word whose candidate key is `key`, at most `limit`.
  absl::StatusOr<std::vector<PersonWithWords>> FindPeopleByCandidateKey(const std::string& key,
                                                                       int limit);

  // The version of the name folding rules the search index was built with.
  absl::StatusOr<int> NameIndexVersion();
  absl::Status SetNameIndexVersion(int version);
  // Every person, with no search words needed (for re-indexing).
  absl::StatusOr<std::vector<v1::Person>> AllPeople();
  // Replaces the person's search words.
  absl::Status WriteNameWords(const std::string& id, const std::vector<std::string>& words);

  // Delegations, keyed by (event id, id); members kept in a side table.
  absl::StatusOr<std::optional<v1::Delegation>> FindDelegation(const std::string& event_id,
                                                               const std::string& id);
  absl::Status InsertDelegation(const std::string& event_id, const std::string& id,
                                const v1::Delegation& delegation);
  absl::Status ReplaceDelegation(const std::string& event_id, const std::string& id,
                                 const v1::Delegation& delegation);
  absl::Status DeleteDelegation(const std::string& event_id, const std::string& id);
  absl::StatusOr<std::vector<v1::Delegation>> ListDelegations(
      const std::string& event_id, const std::vector<storage::ListCondition>& conditions,
      const std::string& after_id, int limit);
  // The id of the delegation of the event the person belongs to, if any.
  absl::StatusOr<std::optional<std::string>> DelegationOfMember(const std::string& event_id,
                                                                const std::string& person_id);

  // Participants, keyed by (event id, person id); `delegation` filled from
  // the delegation members on every read.
  absl::StatusOr<std::optional<v1::Participant>> FindParticipant(const std::string& event_id,
                                                                 const std::string& person_id);
  absl::Status InsertParticipant(const std::string& event_id, const std::string& person_id,
                                 const v1::Participant& participant);
  absl::Status ReplaceParticipant(const std::string& event_id, const std::string& person_id,
                                  const v1::Participant& participant);
  // With `people`, also each listed participant's person, in the same order,
  // read in the same query (none is missing: the schema refers to them).
  absl::StatusOr<std::vector<v1::Participant>> ListParticipants(
      const std::string& event_id, const std::vector<storage::ListCondition>& conditions,
      const std::string& after_id, int limit, std::vector<v1::Person>* people = nullptr);

 private:
  absl::Status WriteCapabilities(const std::string& id, const v1::Organization& organization);
  // Stores the search words of a person who has none stored.
  absl::Status AddNameWords(const std::string& id, const std::vector<std::string>& words);
  absl::Status WriteMembers(const std::string& event_id, const std::string& id,
                            const v1::Delegation& delegation);
  absl::Status FillDelegation(const std::string& event_id, v1::Participant& participant);
  static void SetDelegation(const std::string& event_id, const std::string& delegation_id,
                            v1::Participant& participant);
  absl::StatusOr<std::vector<PersonWithWords>> PeopleWithWords(absl::string_view sql,
                                                               std::vector<storage::SqlValue> params);
  absl::StatusOr<std::vector<std::string>> Names(absl::string_view sql,
                                                 std::vector<storage::SqlValue> params);

  storage::Transaction& tx_;
};

}  // namespace summit::registry

#endif  // SUMMIT_SERVICES_REGISTRY_REGISTRY_STORE_H_
