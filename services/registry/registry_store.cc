#include "services/registry/registry_store.h"

#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/macros.h"
#include "services/registry/name_search.h"

namespace summit::registry {
namespace {

using storage::ListCondition;
using storage::ProtoTable;
using storage::SqlValue;

const ProtoTable<v1::Event>& Events() {
  static const auto* const kTable = new ProtoTable<v1::Event>(
      "events", {"id"}, {"country", "kind", "state", "predecessor_id"},
      [](const v1::Event& event) {
        const std::string predecessor = std::string(absl::StripPrefix(event.predecessor(), "events/"));
        return std::vector<SqlValue>{event.country(), int64_t{event.kind()}, int64_t{event.state()},
                                     predecessor.empty() ? SqlValue(nullptr) : SqlValue(predecessor)};
      });
  return *kTable;
}

const ProtoTable<v1::Organization>& Organizations() {
  static const auto* const kTable = new ProtoTable<v1::Organization>(
      "organizations", {"id"}, {"country", "kind"}, [](const v1::Organization& organization) {
        return std::vector<SqlValue>{organization.country(), int64_t{organization.kind()}};
      });
  return *kTable;
}

const ProtoTable<v1::Person>& People() {
  // name_words is written separately (WriteNameWords): it is not in the proto.
  static const auto* const kTable = new ProtoTable<v1::Person>(
      "people", {"id"}, {"country", "organization_id"}, [](const v1::Person& person) {
        const std::string organization =
            std::string(absl::StripPrefix(person.organization(), "organizations/"));
        return std::vector<SqlValue>{person.country(), organization.empty()
                                                           ? SqlValue(nullptr)
                                                           : SqlValue(organization)};
      });
  return *kTable;
}

const ProtoTable<v1::Delegation>& Delegations() {
  static const auto* const kTable = new ProtoTable<v1::Delegation>(
      "delegations", {"event_id", "id"}, {"country"},
      [](const v1::Delegation& delegation) { return std::vector<SqlValue>{delegation.country()}; });
  return *kTable;
}

const ProtoTable<v1::Participant>& Participants() {
  static const auto* const kTable = new ProtoTable<v1::Participant>(
      "participants", {"event_id", "id"}, {"role", "state"}, [](const v1::Participant& participant) {
        return std::vector<SqlValue>{int64_t{participant.role()}, int64_t{participant.state()}};
      });
  return *kTable;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> RegistryStore::Names(absl::string_view sql,
                                                              std::vector<SqlValue> params) {
  ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx_.Query(sql, params));
  std::vector<std::string> names;
  for (const storage::Row& row : rows) names.push_back(row.Text(0));
  return names;
}

// Events.

absl::StatusOr<std::optional<v1::Event>> RegistryStore::FindEvent(const std::string& id) {
  return Events().Find(tx_, {id});
}
absl::Status RegistryStore::InsertEvent(const std::string& id, const v1::Event& event) {
  return Events().Insert(tx_, {id}, event);
}
absl::Status RegistryStore::ReplaceEvent(const std::string& id, const v1::Event& event) {
  return Events().Replace(tx_, {id}, event);
}
absl::Status RegistryStore::DeleteEvent(const std::string& id) { return Events().Delete(tx_, {id}); }
absl::StatusOr<std::vector<v1::Event>> RegistryStore::ListEvents(
    const std::vector<ListCondition>& conditions, const std::string& after_id, int limit) {
  return Events().List(tx_, {}, conditions, after_id, limit);
}

absl::StatusOr<std::vector<std::string>> RegistryStore::EventReferences(const std::string& id,
                                                                        bool successors_only) {
  if (successors_only) {
    return Names("SELECT 'events/' || id FROM events WHERE predecessor_id = ? LIMIT 5", {id});
  }
  return Names(
      "SELECT 'events/' || event_id || '/delegations/' || id FROM delegations WHERE event_id = ?1 "
      "UNION ALL SELECT 'events/' || event_id || '/participants/' || id FROM participants "
      "WHERE event_id = ?1 "
      "UNION ALL SELECT 'events/' || id FROM events WHERE predecessor_id = ?1 LIMIT 5",
      {id});
}

absl::Status RegistryStore::DeleteEventChildren(const std::string& id) {
  // Members first: they refer to both delegations and participants.
  RETURN_IF_ERROR(tx_.Execute("DELETE FROM delegation_members WHERE event_id = ?", {id}).status());
  RETURN_IF_ERROR(tx_.Execute("DELETE FROM delegations WHERE event_id = ?", {id}).status());
  return tx_.Execute("DELETE FROM participants WHERE event_id = ?", {id}).status();
}

// Organizations.

absl::StatusOr<std::optional<v1::Organization>> RegistryStore::FindOrganization(
    const std::string& id) {
  return Organizations().Find(tx_, {id});
}
absl::Status RegistryStore::InsertOrganization(const std::string& id,
                                               const v1::Organization& organization) {
  RETURN_IF_ERROR(Organizations().Insert(tx_, {id}, organization));
  return WriteCapabilities(id, organization);
}
absl::Status RegistryStore::ReplaceOrganization(const std::string& id,
                                                const v1::Organization& organization) {
  RETURN_IF_ERROR(Organizations().Replace(tx_, {id}, organization));
  return WriteCapabilities(id, organization);
}
absl::Status RegistryStore::DeleteOrganization(const std::string& id) {
  return Organizations().Delete(tx_, {id});
}
absl::StatusOr<std::vector<v1::Organization>> RegistryStore::ListOrganizations(
    const std::vector<ListCondition>& conditions, const std::string& after_id, int limit) {
  return Organizations().List(tx_, {}, conditions, after_id, limit);
}
absl::StatusOr<std::vector<std::string>> RegistryStore::OrganizationReferences(
    const std::string& id) {
  return Names("SELECT 'people/' || id FROM people WHERE organization_id = ? LIMIT 5", {id});
}

absl::Status RegistryStore::WriteCapabilities(const std::string& id,
                                              const v1::Organization& organization) {
  RETURN_IF_ERROR(
      tx_.Execute("DELETE FROM organization_capabilities WHERE organization_id = ?", {id}).status());
  for (const std::string& capability : organization.capabilities()) {
    RETURN_IF_ERROR(tx_.Execute("INSERT INTO organization_capabilities "
                                "(capability, organization_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                {capability, id})
                        .status());
  }
  return absl::OkStatus();
}

// People.

absl::StatusOr<std::optional<v1::Person>> RegistryStore::FindPerson(const std::string& id) {
  return People().Find(tx_, {id});
}
absl::Status RegistryStore::InsertPerson(const std::string& id, const v1::Person& person,
                                         const std::vector<std::string>& name_words) {
  // Sent with the transaction's COMMIT (or next statement): one round trip
  // on PostgreSQL for the whole write; every caller passes errors on.
  RETURN_IF_ERROR(People().InsertLater(tx_, {id}, person));
  return AddNameWords(id, name_words);
}
absl::Status RegistryStore::ReplacePerson(const std::string& id, const v1::Person& person,
                                          const std::vector<std::string>& name_words) {
  RETURN_IF_ERROR(People().Replace(tx_, {id}, person));
  return WriteNameWords(id, name_words);
}
absl::Status RegistryStore::DeletePerson(const std::string& id) { return People().Delete(tx_, {id}); }
absl::StatusOr<std::vector<v1::Person>> RegistryStore::ListPeople(
    const std::vector<ListCondition>& conditions, const std::string& after_id, int limit) {
  return People().List(tx_, {}, conditions, after_id, limit);
}
absl::StatusOr<std::vector<std::string>> RegistryStore::PersonReferences(const std::string& id) {
  return Names(
      "SELECT 'events/' || event_id || '/participants/' || id FROM participants WHERE id = ? "
      "LIMIT 5",
      {id});
}

absl::Status RegistryStore::WriteNameWords(const std::string& id,
                                           const std::vector<std::string>& words) {
  RETURN_IF_ERROR(tx_.ExecuteLater("DELETE FROM person_name_words WHERE person_id = ?", {id}));
  return AddNameWords(id, words);
}

absl::Status RegistryStore::AddNameWords(const std::string& id,
                                         const std::vector<std::string>& words) {
  // Each sent later (Transaction::ExecuteLater): their callers pass errors
  // on, and on PostgreSQL they then cost no round trip of their own.
  RETURN_IF_ERROR(tx_.ExecuteLater("UPDATE people SET name_words = ? WHERE id = ?",
                                   {absl::StrJoin(words, " "), id}));
  // One statement for all the words; a word twice in the names is one row.
  const absl::btree_set<std::string> distinct(words.begin(), words.end());
  if (distinct.empty()) return absl::OkStatus();
  std::vector<std::string> rows;
  std::vector<SqlValue> values;
  for (const std::string& word : distinct) {
    rows.push_back("(?, ?, ?)");
    values.insert(values.end(), {word, id, CandidateKey(word)});
  }
  return tx_.ExecuteLater(
      absl::StrCat("INSERT INTO person_name_words (word, person_id, candidate_key) VALUES ",
                   absl::StrJoin(rows, ", "), " ON CONFLICT DO NOTHING"),
      values);
}

absl::StatusOr<std::vector<PersonWithWords>> RegistryStore::FindPeopleByWordRanges(
    const std::vector<WordRange>& ranges, int limit) {
  std::vector<std::string> selects;
  std::vector<SqlValue> params;
  for (const WordRange& range : ranges) {
    selects.push_back("SELECT person_id FROM person_name_words WHERE word >= ? AND word < ?");
    params.push_back(range.low);
    params.push_back(range.high);
  }
  params.push_back(int64_t{limit});
  return PeopleWithWords(
      absl::StrCat("SELECT data, name_words FROM people WHERE id IN (",
                   absl::StrJoin(selects, " INTERSECT "), ") ORDER BY id LIMIT ?"),
      std::move(params));
}

absl::StatusOr<std::vector<PersonWithWords>> RegistryStore::FindPeopleByCandidateKey(
    const std::string& key, int limit) {
  return PeopleWithWords(
      "SELECT data, name_words FROM people WHERE id IN ("
      "SELECT person_id FROM person_name_words WHERE candidate_key = ?) ORDER BY id LIMIT ?",
      {key, int64_t{limit}});
}

absl::StatusOr<std::vector<PersonWithWords>> RegistryStore::PeopleWithWords(
    absl::string_view sql, std::vector<SqlValue> params) {
  ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx_.Query(sql, params));
  std::vector<PersonWithWords> found;
  for (const storage::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Person person, ProtoTable<v1::Person>::Parse(row));
    found.push_back({std::move(person), absl::StrSplit(row.Text(1), ' ', absl::SkipEmpty())});
  }
  return found;
}

absl::StatusOr<int> RegistryStore::NameIndexVersion() {
  ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx_.Query("SELECT version FROM name_index_version"));
  return rows.empty() ? 0 : static_cast<int>(rows.front().Int(0));
}

absl::Status RegistryStore::SetNameIndexVersion(int version) {
  return tx_.Execute("UPDATE name_index_version SET version = ?", {int64_t{version}}).status();
}

absl::StatusOr<std::vector<v1::Person>> RegistryStore::AllPeople() {
  ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx_.Query("SELECT data FROM people"));
  std::vector<v1::Person> people;
  for (const storage::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Person person, ProtoTable<v1::Person>::Parse(row));
    people.push_back(std::move(person));
  }
  return people;
}

// Delegations.

absl::StatusOr<std::optional<v1::Delegation>> RegistryStore::FindDelegation(
    const std::string& event_id, const std::string& id) {
  return Delegations().Find(tx_, {event_id, id});
}
absl::Status RegistryStore::InsertDelegation(const std::string& event_id, const std::string& id,
                                             const v1::Delegation& delegation) {
  RETURN_IF_ERROR(Delegations().Insert(tx_, {event_id, id}, delegation));
  return WriteMembers(event_id, id, delegation);
}
absl::Status RegistryStore::ReplaceDelegation(const std::string& event_id, const std::string& id,
                                              const v1::Delegation& delegation) {
  RETURN_IF_ERROR(Delegations().Replace(tx_, {event_id, id}, delegation));
  return WriteMembers(event_id, id, delegation);
}
absl::Status RegistryStore::DeleteDelegation(const std::string& event_id, const std::string& id) {
  return Delegations().Delete(tx_, {event_id, id});
}
absl::StatusOr<std::vector<v1::Delegation>> RegistryStore::ListDelegations(
    const std::string& event_id, const std::vector<ListCondition>& conditions,
    const std::string& after_id, int limit) {
  return Delegations().List(tx_, {event_id}, conditions, after_id, limit);
}

absl::StatusOr<std::optional<std::string>> RegistryStore::DelegationOfMember(
    const std::string& event_id, const std::string& person_id) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   Names("SELECT delegation_id FROM delegation_members "
                         "WHERE event_id = ? AND person_id = ?",
                         {event_id, person_id}));
  if (ids.empty()) return std::optional<std::string>();
  return std::optional<std::string>(ids.front());
}

absl::Status RegistryStore::WriteMembers(const std::string& event_id, const std::string& id,
                                         const v1::Delegation& delegation) {
  RETURN_IF_ERROR(tx_.Execute("DELETE FROM delegation_members WHERE event_id = ? AND delegation_id = ?",
                              {event_id, id})
                      .status());
  for (const std::string& member : delegation.members()) {
    RETURN_IF_ERROR(tx_.Execute("INSERT INTO delegation_members (event_id, person_id, delegation_id) "
                                "VALUES (?, ?, ?)",
                                {event_id, std::string(absl::StripPrefix(member, "people/")), id})
                        .status());
  }
  return absl::OkStatus();
}

// Participants.

void RegistryStore::SetDelegation(const std::string& event_id, const std::string& delegation_id,
                                  v1::Participant& participant) {
  participant.set_delegation(
      delegation_id.empty() ? "" : absl::StrCat("events/", event_id, "/delegations/", delegation_id));
}

absl::Status RegistryStore::FillDelegation(const std::string& event_id,
                                           v1::Participant& participant) {
  ASSIGN_OR_RETURN(std::optional<std::string> delegation,
                   DelegationOfMember(event_id,
                                      std::string(absl::StripPrefix(participant.person(), "people/"))));
  SetDelegation(event_id, delegation.value_or(""), participant);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Participant>> RegistryStore::FindParticipant(
    const std::string& event_id, const std::string& person_id) {
  ASSIGN_OR_RETURN(std::optional<v1::Participant> participant,
                   Participants().Find(tx_, {event_id, person_id}));
  if (participant.has_value()) RETURN_IF_ERROR(FillDelegation(event_id, *participant));
  return participant;
}
absl::Status RegistryStore::InsertParticipant(const std::string& event_id,
                                              const std::string& person_id,
                                              const v1::Participant& participant) {
  v1::Participant stored = participant;
  stored.clear_delegation();  // derived from delegation members on read
  return Participants().Insert(tx_, {event_id, person_id}, stored);
}
absl::Status RegistryStore::ReplaceParticipant(const std::string& event_id,
                                               const std::string& person_id,
                                               const v1::Participant& participant) {
  v1::Participant stored = participant;
  stored.clear_delegation();
  return Participants().Replace(tx_, {event_id, person_id}, stored);
}
absl::StatusOr<std::vector<v1::Participant>> RegistryStore::ListParticipants(
    const std::string& event_id, const std::vector<ListCondition>& conditions,
    const std::string& after_id, int limit, std::vector<v1::Person>* people) {
  // The page with each participant's delegation (and person) in one query:
  // on PostgreSQL every query is a round trip, and a page has up to a
  // thousand participants. A participant's id is their person's id; a person
  // is in at most one delegation of an event (the members' primary key).
  std::vector<std::string> extra = {
      "(SELECT m.delegation_id FROM delegation_members m "
      "WHERE m.event_id = t.event_id AND m.person_id = t.id)"};
  if (people != nullptr) extra.push_back("(SELECT p.data FROM people p WHERE p.id = t.id)");
  ASSIGN_OR_RETURN(std::vector<storage::Row> rows,
                   Participants().ListRows(tx_, {event_id}, conditions, after_id, limit, extra));
  std::vector<v1::Participant> participants;
  participants.reserve(rows.size());
  for (const storage::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Participant participant, ProtoTable<v1::Participant>::Parse(row));
    SetDelegation(event_id, row.Text(1), participant);
    if (people != nullptr) {
      if (row.IsNull(2)) {
        return absl::InternalError(
            absl::StrCat(participant.person(), " of ", participant.name(), " is missing"));
      }
      ASSIGN_OR_RETURN(v1::Person person, ProtoTable<v1::Person>::Parse(row, 2));
      people->push_back(std::move(person));
    }
    participants.push_back(std::move(participant));
  }
  return participants;
}

}  // namespace summit::registry
