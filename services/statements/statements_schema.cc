#include "services/statements/statements_schema.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/postgres_database.h"
#include "services/statements/statements_store.h"
#include "summit/statements/v1/resources.pb.h"

namespace summit::statements {

namespace {

// Statements live in `data` (a serialized proto) with the columns that
// lists, search and visibility need:
// - `public_visible` is 1 once a statement is published and its embargo has
//   lifted; what the public may read is decided by this column alone, which
//   only PublishStatement and the embargo lifter set.
// - `embargo_until_us` is when the lifter next looks at an embargo (the
//   embargo time, or the end of the embargo session as last known).
// - statement_bodies holds the current text per language (with the title and
//   the speakers' names in both scripts, so "Зеленський" finds his quotes),
//   indexed for full-text search (kSqliteSearch, kPostgresSearch). Both fold
//   case and strip diacritics in every script, so "Зеленський" and
//   "зеленський" match alike.
// - statement_feed is the live feed in commit order: a row's seq is its
//   position; `public` says whether the public may see the row.
constexpr char kStatementsTables[] = R"sql(
CREATE TABLE statements (
  event_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  state INTEGER NOT NULL,
  session TEXT NOT NULL,
  public_visible INTEGER NOT NULL DEFAULT 0,
  embargo_until_us INTEGER,
  publish_us INTEGER,
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, id)
);
CREATE INDEX statements_embargoes ON statements (embargo_until_us)
  WHERE public_visible = 0 AND embargo_until_us IS NOT NULL;

CREATE TABLE statement_speakers (
  event_id TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  person TEXT NOT NULL,
  PRIMARY KEY (event_id, statement_id, person),
  FOREIGN KEY (event_id, statement_id) REFERENCES statements (event_id, id) ON DELETE CASCADE
);
CREATE INDEX statement_speakers_by_person ON statement_speakers (event_id, person);

CREATE TABLE statement_revisions (
  event_id TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (event_id, statement_id, revision),
  FOREIGN KEY (event_id, statement_id) REFERENCES statements (event_id, id) ON DELETE CASCADE
);

CREATE TABLE statement_bodies (
  rowid INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  language TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  speakers TEXT NOT NULL,
  UNIQUE (event_id, statement_id, language),
  FOREIGN KEY (event_id, statement_id) REFERENCES statements (event_id, id) ON DELETE CASCADE
);

CREATE TABLE statement_feed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  public INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX statement_feed_by_event ON statement_feed (event_id, seq);

CREATE TABLE embargoed_reads (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX embargoed_reads_by_event ON embargoed_reads (event_id, seq);
CREATE INDEX embargoed_reads_by_statement ON embargoed_reads (event_id, statement_id, seq);
)sql";

// SQLite: statement_text, an FTS5 external-content index over
// statement_bodies kept in step by triggers.
constexpr char kSqliteSearch[] = R"sql(
CREATE VIRTUAL TABLE statement_text USING fts5(
  title, body, speakers, content='statement_bodies', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER statement_bodies_indexed AFTER INSERT ON statement_bodies BEGIN
  INSERT INTO statement_text (rowid, title, body, speakers)
    VALUES (new.rowid, new.title, new.body, new.speakers);
END;
CREATE TRIGGER statement_bodies_unindexed AFTER DELETE ON statement_bodies BEGIN
  INSERT INTO statement_text (statement_text, rowid, title, body, speakers)
    VALUES ('delete', old.rowid, old.title, old.body, old.speakers);
END;
)sql";

// PostgreSQL: a tsvector of each body, generated from its text folded as
// unicode61 folds it (lower case, no diacritics; unaccent is a trusted
// extension, and the wrapper pins its dictionary so the fold is IMMUTABLE,
// as a generated column needs), with a GIN index. The title and speakers
// weigh more than the body, as bm25's weights do on SQLite.
//
// The feed's positions must follow commit order on every replica, or a
// reader resuming after position 11 could miss a 10 committed later. A
// sequence alone does not give that (numbers are taken before commit), so
// the trigger takes the next number under a transaction-scoped lock held
// until commit: whoever numbers next commits after.
constexpr char kPostgresSearchAndFeed[] = R"sql(
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE FUNCTION summit_search_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
ALTER TABLE statement_bodies ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', summit_search_fold(title)), 'A') ||
  setweight(to_tsvector('simple', summit_search_fold(body)), 'B') ||
  setweight(to_tsvector('simple', summit_search_fold(speakers)), 'A')) STORED;
CREATE INDEX statement_bodies_search ON statement_bodies USING gin (search);

CREATE FUNCTION statement_feed_in_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('statement_feed'));
  NEW.seq := nextval(pg_get_serial_sequence('statement_feed', 'seq'));
  RETURN NEW;
END $$;
CREATE TRIGGER statement_feed_in_commit_order BEFORE INSERT ON statement_feed
  FOR EACH ROW EXECUTE FUNCTION statement_feed_in_commit_order();
)sql";

// PostgreSQL: one number per feed entry, and a word to every replica.
// - The identity default and the trigger each took a number from the same
//   sequence (the default before the trigger ran), so positions went 2, 4,
//   6…; the trigger alone numbers now, from a sequence of its own that
//   starts after the last position. (A transaction that rolls back after
//   numbering still leaves a gap: sequences are never rolled back.)
// - NOTIFY in the same transaction: listeners hear of the entry only once
//   it is committed, and a replica's watchers need not wait for its poll.
std::string PostgresFeedPositionsAndNotices() {
  return absl::StrCat(R"sql(
ALTER TABLE statement_feed ALTER COLUMN seq DROP IDENTITY;
CREATE SEQUENCE statement_feed_position OWNED BY statement_feed.seq;
SELECT setval('statement_feed_position', COALESCE((SELECT MAX(seq) FROM statement_feed), 0) + 1,
              false);
CREATE OR REPLACE FUNCTION statement_feed_in_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('statement_feed'));
  NEW.seq := nextval('statement_feed_position');
  PERFORM pg_notify(')sql",
                      kFeedChannel, R"sql(', NEW.seq::text);
  RETURN NEW;
END $$;
)sql");
}

// Each statement's signatory delegations, kept in step with the statement by
// every write (statements_store.cc), so that lists and searches keep what
// the heads of those delegations may read in their query
// (statement_visibility.h). The statements made before this table are in
// statement_signatories_backfill until IndexEarlierSignatories has read
// their signatories out of their data, which SQL cannot.
const std::string& SignatoriesTables() {
  static const auto* const kSql = new std::string(absl::StrCat(R"sql(
CREATE TABLE statement_signatories (
  event_id TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  delegation TEXT NOT NULL,
  PRIMARY KEY (event_id, statement_id, delegation),
  FOREIGN KEY (event_id, statement_id) REFERENCES statements (event_id, id) ON DELETE CASCADE
);
CREATE INDEX statement_signatories_by_delegation ON statement_signatories (event_id, delegation);
CREATE TABLE statement_signatories_backfill (
  event_id TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  PRIMARY KEY (event_id, statement_id)
);
INSERT INTO statement_signatories_backfill (event_id, statement_id)
  SELECT event_id, id FROM statements WHERE kind IN ()sql",
                                                               v1::Statement::KIND_JOINT_STATEMENT,
                                                               ", ", v1::Statement::KIND_COMMUNIQUE,
                                                               ")"));
  return *kSql;
}

}  // namespace

const std::vector<storage::Migration>& StatementsMigrations() {
  static const auto* const kMigrations = new std::vector<storage::Migration>{
      {1, "statements, revisions, search, feed and embargo audit",
       absl::StrCat(kStatementsTables, storage::kCreateRequestsTableSql, ";", kSqliteSearch),
       absl::StrCat(storage::PostgresDdl(kStatementsTables), storage::kCreateRequestsTableSql, ";",
                    kPostgresSearchAndFeed)},
      // Prefix indexes for words of two and three letters: every word of a
      // search matches as a prefix, and without them a short prefix makes
      // the index merge the lists of every word it begins.
      {2, "prefix indexes for search", R"sql(
DROP TABLE statement_text;
CREATE VIRTUAL TABLE statement_text USING fts5(
  title, body, speakers, content='statement_bodies', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
INSERT INTO statement_text (statement_text) VALUES ('rebuild');
)sql",
       // PostgreSQL's prefix search needs no index of its own.
       "SELECT 1"},
      {3, "signatory delegations, for what their heads may read", SignatoriesTables()},
      // What a search looks up for each match it ranks, in narrow indexes:
      // the body's statement (by the full-text rowid) and the statement's
      // visibility and filter columns. Without them each of the window's
      // matches (kRankedWindow, statements_store.cc) reads a page of whole
      // bodies and a page of whole statements, and the pages a search touches
      // outgrow the page cache. PostgreSQL's search reads its rows another
      // way (a GIN index, then the rows).
      {4, "narrow indexes for search", R"sql(
CREATE INDEX statement_bodies_keys ON statement_bodies (rowid, event_id, statement_id, language);
CREATE INDEX statements_search ON statements (event_id, id, public_visible, state, kind, session,
  publish_us);
)sql",
       "SELECT 1"},
      // SQLite's AUTOINCREMENT numbers the feed 1, 2, 3… already; replicas
      // sharing a SQLite file (on one machine) find each other's entries by
      // the feed hub's poll.
      {5, "feed positions one by one, and a notice to every replica", "SELECT 1",
       PostgresFeedPositionsAndNotices()},
  };
  return *kMigrations;
}

absl::Status IndexEarlierSignatories(storage::Database& database) {
  constexpr int kBatch = 100;
  for (bool more = true; more;) {
    RETURN_IF_ERROR(database.Write([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(int indexed, StatementsStore(tx).IndexEarlierSignatories(kBatch));
      more = indexed == kBatch;
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

}  // namespace summit::statements
