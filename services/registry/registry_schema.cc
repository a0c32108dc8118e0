#include "services/registry/registry_schema.h"

#include "absl/strings/str_cat.h"
#include "common/storage/create_requests.h"
#include "common/storage/postgres_database.h"

namespace summit::registry {

namespace {

// Each table keeps the resource itself in `data` (a serialized proto) and
// copies out the columns that lists filter on and constraints need. Foreign
// keys make "delete of something still referenced" impossible even if a
// check in code were missed.
constexpr char kRegistryTables[] = R"sql(
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  country TEXT NOT NULL,
  kind INTEGER NOT NULL,
  state INTEGER NOT NULL,
  predecessor_id TEXT REFERENCES events (id),
  data BLOB NOT NULL
);
CREATE INDEX events_by_predecessor ON events (predecessor_id);

CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  country TEXT NOT NULL,
  kind INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE organization_capabilities (
  capability TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  PRIMARY KEY (capability, organization_id)
);

CREATE TABLE people (
  id TEXT PRIMARY KEY,
  country TEXT NOT NULL,
  organization_id TEXT REFERENCES organizations (id),
  -- The search skeletons of the names, space-separated (see name_search.h).
  name_words TEXT NOT NULL DEFAULT '',
  data BLOB NOT NULL
);
CREATE INDEX people_by_organization ON people (organization_id, id);
-- Search index: each skeleton word of a person's names, and its candidate
-- key (the class of its first letter) for near-miss matching.
CREATE TABLE person_name_words (
  word TEXT NOT NULL,
  person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  candidate_key TEXT NOT NULL,
  PRIMARY KEY (word, person_id)
);
CREATE INDEX person_name_words_by_person ON person_name_words (person_id);
CREATE INDEX person_name_words_by_candidate_key ON person_name_words (candidate_key, person_id);
-- Which version of the name folding rules built the search index.
CREATE TABLE name_index_version (version INTEGER NOT NULL);
INSERT INTO name_index_version (version) VALUES (0);

CREATE TABLE participants (
  event_id TEXT NOT NULL REFERENCES events (id),
  id TEXT NOT NULL REFERENCES people (id),
  role INTEGER NOT NULL,
  state INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, id)
);
CREATE INDEX participants_by_person ON participants (id);

CREATE TABLE delegations (
  event_id TEXT NOT NULL REFERENCES events (id),
  id TEXT NOT NULL,
  country TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, id)
);
-- One row per member; a person is in at most one delegation of an event,
-- and only as an accredited participant of it.
CREATE TABLE delegation_members (
  event_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  delegation_id TEXT NOT NULL,
  PRIMARY KEY (event_id, person_id),
  FOREIGN KEY (event_id, delegation_id) REFERENCES delegations (event_id, id) ON DELETE CASCADE,
  FOREIGN KEY (event_id, person_id) REFERENCES participants (event_id, id)
);
CREATE INDEX delegation_members_by_delegation ON delegation_members (event_id, delegation_id);
)sql";

}  // namespace

const std::vector<storage::Migration>& RegistryMigrations() {
  static const auto* const kMigrations = new std::vector<storage::Migration>{
      {1, "registry resources",
       absl::StrCat(kRegistryTables, storage::kCreateRequestsTableSql, ";"),
       storage::PostgresDdl(absl::StrCat(kRegistryTables, storage::kCreateRequestsTableSql, ";"))},
  };
  return *kMigrations;
}

}  // namespace summit::registry
