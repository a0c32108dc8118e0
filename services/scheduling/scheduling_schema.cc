#include "services/scheduling/scheduling_schema.h"

#include "absl/strings/str_cat.h"
#include "common/storage/create_requests.h"
#include "common/storage/postgres_database.h"

namespace summit::scheduling {

namespace {

// Resources live in `data` (a serialized proto) with the columns lists and
// constraints need. The no-double-booking invariant lives in the database
// itself: every non-cancelled session writes one row per participant into
// person_bookings and one into room_bookings, and the database refuses a row
// that overlaps another of the same person or room (kSqliteNoOverlaps,
// kPostgresNoOverlaps). The service checks first to name the clash; the
// database makes a missed check impossible, on one replica or many.
constexpr char kSchedulingTables[] = R"sql(
CREATE TABLE rooms (
  event_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, id)
);

CREATE TABLE sessions (
  event_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  state INTEGER NOT NULL,
  visibility INTEGER NOT NULL,
  room_id TEXT,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL CHECK (end_us > start_us),
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, id),
  FOREIGN KEY (event_id, room_id) REFERENCES rooms (event_id, id)
);
CREATE INDEX sessions_by_time ON sessions (event_id, start_us);

CREATE TABLE person_bookings (
  event_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  PRIMARY KEY (event_id, person_id, session_id),
  FOREIGN KEY (event_id, session_id) REFERENCES sessions (event_id, id) ON DELETE CASCADE
);
CREATE INDEX person_bookings_by_time ON person_bookings (event_id, person_id, start_us);

CREATE TABLE room_bookings (
  event_id TEXT NOT NULL,
  room_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  PRIMARY KEY (event_id, session_id),
  FOREIGN KEY (event_id, session_id) REFERENCES sessions (event_id, id) ON DELETE CASCADE
);
CREATE INDEX room_bookings_by_time ON room_bookings (event_id, room_id, start_us);

CREATE TABLE meeting_requests (
  event_id TEXT NOT NULL,
  id TEXT NOT NULL,
  state INTEGER NOT NULL,
  requester_id TEXT NOT NULL,
  invitee TEXT NOT NULL,
  attendee_id TEXT,
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, id)
);

CREATE TABLE pair_rules (
  event_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_a TEXT NOT NULL,
  organization_b TEXT NOT NULL CHECK (organization_a < organization_b),
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, id),
  UNIQUE (event_id, organization_a, organization_b)
);

CREATE TABLE availabilities (
  event_id TEXT NOT NULL,
  id TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, id)
);
CREATE TABLE unavailable_intervals (
  event_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL CHECK (end_us > start_us),
  FOREIGN KEY (event_id, person_id) REFERENCES availabilities (event_id, id) ON DELETE CASCADE
);
CREATE INDEX unavailable_intervals_by_person ON unavailable_intervals (event_id, person_id, start_us);

-- Bumped by every write that a schedule plan depends on, so that a plan made
-- from one revision is refused once the data moved on.
CREATE TABLE event_revisions (
  event_id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
);
)sql";

// SQLite: triggers that look for an overlapping row before each insert
// (SQLite runs one write at a time, so the look cannot race).
constexpr char kSqliteNoOverlaps[] = R"sql(
CREATE TRIGGER person_bookings_never_overlap BEFORE INSERT ON person_bookings
WHEN EXISTS (SELECT 1 FROM person_bookings b
             WHERE b.event_id = NEW.event_id AND b.person_id = NEW.person_id
               AND b.session_id <> NEW.session_id
               AND b.start_us < NEW.end_us AND NEW.start_us < b.end_us)
BEGIN
  SELECT RAISE(ABORT, 'a person would be in two overlapping sessions');
END;

CREATE TRIGGER room_bookings_never_overlap BEFORE INSERT ON room_bookings
WHEN EXISTS (SELECT 1 FROM room_bookings b
             WHERE b.event_id = NEW.event_id AND b.room_id = NEW.room_id
               AND b.session_id <> NEW.session_id
               AND b.start_us < NEW.end_us AND NEW.start_us < b.end_us)
BEGIN
  SELECT RAISE(ABORT, 'a room would hold two overlapping sessions');
END;
)sql";

// PostgreSQL: exclusion constraints, which hold across concurrent
// transactions and replicas: no two rows of one person (or room) with
// different sessions and intersecting [start, end) ranges.
constexpr char kPostgresNoOverlaps[] = R"sql(
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE person_bookings ADD CONSTRAINT person_bookings_never_overlap
  EXCLUDE USING gist (event_id WITH =, person_id WITH =, session_id WITH <>,
                      int8range(start_us, end_us) WITH &&);
ALTER TABLE room_bookings ADD CONSTRAINT room_bookings_never_overlap
  EXCLUDE USING gist (event_id WITH =, room_id WITH =, session_id WITH <>,
                      int8range(start_us, end_us) WITH &&);
-- A rule names its two organizations in C++'s (byte) order; compare them
-- the same way whatever collation the database was created with.
ALTER TABLE pair_rules ALTER COLUMN organization_a TYPE TEXT COLLATE "C",
                      ALTER COLUMN organization_b TYPE TEXT COLLATE "C";
)sql";

}  // namespace

const std::vector<storage::Migration>& SchedulingMigrations() {
  static const auto* const kMigrations = new std::vector<storage::Migration>{
      {1, "scheduling resources",
       absl::StrCat(kSchedulingTables, storage::kCreateRequestsTableSql, ";", kSqliteNoOverlaps),
       absl::StrCat(storage::PostgresDdl(kSchedulingTables), storage::kCreateRequestsTableSql, ";",
                    kPostgresNoOverlaps)},
  };
  return *kMigrations;
}

}  // namespace summit::scheduling
