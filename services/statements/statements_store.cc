#include "services/statements/statements_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/resource_meta.h"
#include "common/status/macros.h"
#include "services/statements/statement_rules.h"
#include "services/statements/statement_visibility.h"

namespace summit::statements {
namespace {

// How many matching texts, the newest first, a search ranks. A query whose
// words are rare ranks every match; one whose words are in most texts ranks
// the newest this many — which is what a reader of a summit's statements
// wants first — so its cost stays bounded however large the archive grows.
constexpr int kRankedWindow = 500;

using storage::Blob;
using storage::ListCondition;
using storage::ProtoTable;
using storage::Row;
using storage::SqlValue;

const ProtoTable<v1::Statement>& Statements() {
  static const auto* const kTable = new ProtoTable<v1::Statement>(
      "statements", {"event_id", "id"}, {"kind", "state", "session", "public_visible", "publish_us"},
      [](const v1::Statement& s) {
        return std::vector<SqlValue>{
            int64_t{s.kind()}, int64_t{s.state()}, s.session(),
            int64_t{IsPublicVisible(s) ? 1 : 0},
            s.has_publish_time() ? SqlValue(absl::ToUnixMicros(api::FromTimestamp(s.publish_time())))
                                 : SqlValue(nullptr)};
      });
  return *kTable;
}

int64_t RevisionNumber(const v1::StatementRevision& revision) {
  int64_t number = 0;
  return absl::SimpleAtoi(revision.revision_id(), &number) ? number : 0;
}

}  // namespace

absl::StatusOr<std::optional<v1::Statement>> StatementsStore::Find(const std::string& event_id,
                                                                   const std::string& id) {
  return Statements().Find(tx_, {event_id, id});
}

absl::Status StatementsStore::Insert(const std::string& event_id, const std::string& id,
                                     const v1::Statement& statement,
                                     const v1::StatementRevision& revision) {
  RETURN_IF_ERROR(Statements().Insert(tx_, {event_id, id}, statement));
  RETURN_IF_ERROR(WriteIndexedParts(event_id, id, statement));
  return PutRevision(event_id, id, revision);
}

absl::Status StatementsStore::Replace(const std::string& event_id, const std::string& id,
                                      const v1::Statement& statement) {
  RETURN_IF_ERROR(Statements().Replace(tx_, {event_id, id}, statement));
  for (const char* table : {"statement_speakers", "statement_signatories", "statement_bodies"}) {
    RETURN_IF_ERROR(
        tx_.Execute(absl::StrCat("DELETE FROM ", table, " WHERE event_id = ? AND statement_id = ?"),
                    {event_id, id})
            .status());
  }
  return WriteIndexedParts(event_id, id, statement);
}

absl::StatusOr<int> StatementsStore::IndexEarlierSignatories(int limit) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT event_id, statement_id FROM statement_signatories_backfill "
                             "ORDER BY event_id, statement_id LIMIT ?",
                             {int64_t{limit}}));
  for (const Row& row : rows) {
    const std::string& event_id = row.Text(0);
    const std::string& id = row.Text(1);
    ASSIGN_OR_RETURN(std::optional<v1::Statement> statement, Find(event_id, id));
    // A write since the migration indexed it already; writing again gives the same rows.
    RETURN_IF_ERROR(tx_.Execute("DELETE FROM statement_signatories WHERE event_id = ? AND "
                                "statement_id = ?",
                                {event_id, id})
                        .status());
    if (statement.has_value()) RETURN_IF_ERROR(WriteSignatories(event_id, id, *statement));
    RETURN_IF_ERROR(tx_.Execute("DELETE FROM statement_signatories_backfill WHERE event_id = ? "
                                "AND statement_id = ?",
                                {event_id, id})
                        .status());
  }
  return static_cast<int>(rows.size());
}

absl::Status StatementsStore::WriteSignatories(const std::string& event_id, const std::string& id,
                                               const v1::Statement& statement) {
  for (const std::string& delegation : statement.signatories()) {
    RETURN_IF_ERROR(tx_.Execute("INSERT INTO statement_signatories (event_id, statement_id, "
                                "delegation) VALUES (?, ?, ?)",
                                {event_id, id, delegation})
                        .status());
  }
  return absl::OkStatus();
}

absl::Status StatementsStore::WriteIndexedParts(const std::string& event_id, const std::string& id,
                                                const v1::Statement& statement) {
  RETURN_IF_ERROR(WriteSignatories(event_id, id, statement));
  for (const std::string& speaker : statement.speakers()) {
    RETURN_IF_ERROR(tx_.Execute("INSERT INTO statement_speakers (event_id, statement_id, person) "
                                "VALUES (?, ?, ?)",
                                {event_id, id, speaker})
                        .status());
  }
  std::vector<std::string> names;
  for (const v1::SpeakerProvenance& speaker : statement.provenance()) {
    names.push_back(speaker.display_name());
    if (!speaker.native_name().empty()) names.push_back(speaker.native_name());
  }
  const std::string speakers = absl::StrJoin(names, "; ");
  for (const v1::StatementBody& body : statement.bodies()) {
    RETURN_IF_ERROR(tx_.Execute("INSERT INTO statement_bodies (event_id, statement_id, language, "
                                "title, body, speakers) VALUES (?, ?, ?, ?, ?, ?)",
                                {event_id, id, body.language_code(), statement.title(), body.text(),
                                 speakers})
                        .status());
  }
  return absl::OkStatus();
}

absl::Status StatementsStore::Delete(const std::string& event_id, const std::string& id) {
  return Statements().Delete(tx_, {event_id, id});
}

absl::StatusOr<std::vector<v1::Statement>> StatementsStore::List(
    const std::string& event_id, const std::vector<ListCondition>& conditions,
    const std::string& after_id, int limit) {
  return Statements().List(tx_, {event_id}, conditions, after_id, limit);
}

absl::StatusOr<std::vector<v1::Statement>> StatementsStore::ListByPublishTime(
    const std::string& event_id, const std::vector<ListCondition>& conditions,
    int64_t before_publish_us, const std::string& before_id, int limit) {
  std::vector<std::string> where = {"t.event_id = ?", "t.publish_us IS NOT NULL",
                                    "(t.publish_us < ? OR (t.publish_us = ? AND t.id < ?))"};
  std::vector<SqlValue> values = {event_id, before_publish_us, before_publish_us, before_id};
  for (const ListCondition& condition : conditions) {
    where.push_back("(" + condition.sql + ")");
    values.insert(values.end(), condition.values.begin(), condition.values.end());
  }
  values.emplace_back(int64_t{limit});
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query(absl::StrCat("SELECT data FROM statements AS t WHERE ",
                                          absl::StrJoin(where, " AND "),
                                          " ORDER BY t.publish_us DESC, t.id DESC LIMIT ?"),
                             values));
  std::vector<v1::Statement> statements;
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Statement statement, ProtoTable<v1::Statement>::Parse(row));
    statements.push_back(std::move(statement));
  }
  return statements;
}

absl::Status StatementsStore::PutRevision(const std::string& event_id, const std::string& id,
                                          const v1::StatementRevision& revision) {
  return tx_.Execute("INSERT INTO statement_revisions (event_id, statement_id, revision, data) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT (event_id, statement_id, revision) "
                     "DO UPDATE SET data = excluded.data",
                     {event_id, id, RevisionNumber(revision), Blob{revision.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::optional<v1::StatementRevision>> StatementsStore::FindRevision(
    const std::string& event_id, const std::string& id, int64_t revision) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT data FROM statement_revisions WHERE event_id = ? AND "
                             "statement_id = ? AND revision = ?",
                             {event_id, id, revision}));
  if (rows.empty()) return std::optional<v1::StatementRevision>();
  return ProtoTable<v1::StatementRevision>::Parse(rows.front());
}

absl::StatusOr<std::vector<v1::StatementRevision>> StatementsStore::ListRevisions(
    const std::string& event_id, const std::string& id, bool published_only,
    int64_t after_revision, int limit) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT data FROM statement_revisions WHERE event_id = ? AND "
                             "statement_id = ? AND revision > ? ORDER BY revision",
                             {event_id, id, after_revision}));
  std::vector<v1::StatementRevision> revisions;
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(v1::StatementRevision revision,
                     ProtoTable<v1::StatementRevision>::Parse(row));
    if (published_only && !revision.has_publish_time()) continue;
    revisions.push_back(std::move(revision));
    if (static_cast<int>(revisions.size()) == limit) break;
  }
  return revisions;
}

absl::Status StatementsStore::SetEmbargoCheck(const std::string& event_id, const std::string& id,
                                              std::optional<absl::Time> when) {
  return tx_.Execute("UPDATE statements SET embargo_until_us = ? WHERE event_id = ? AND id = ?",
                     {when.has_value() ? SqlValue(absl::ToUnixMicros(*when)) : SqlValue(nullptr),
                      event_id, id})
      .status();
}

absl::StatusOr<std::vector<DueEmbargo>> StatementsStore::DueEmbargoes(absl::Time now, int limit) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT event_id, id FROM statements WHERE public_visible = 0 AND "
                             "embargo_until_us IS NOT NULL AND embargo_until_us <= ? "
                             "ORDER BY embargo_until_us LIMIT ?",
                             {absl::ToUnixMicros(now), int64_t{limit}}));
  std::vector<DueEmbargo> due;
  for (const Row& row : rows) due.push_back({row.Text(0), row.Text(1)});
  return due;
}

absl::StatusOr<std::vector<v1::Statement>> StatementsStore::PendingEmbargoes(int limit) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT data FROM statements WHERE public_visible = 0 AND "
                             "embargo_until_us IS NOT NULL ORDER BY embargo_until_us LIMIT ?",
                             {int64_t{limit}}));
  std::vector<v1::Statement> pending;
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Statement statement, ProtoTable<v1::Statement>::Parse(row));
    pending.push_back(std::move(statement));
  }
  return pending;
}

absl::StatusOr<std::optional<absl::Time>> StatementsStore::NextEmbargoCheck() {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("SELECT MIN(embargo_until_us) FROM statements WHERE "
                             "public_visible = 0 AND embargo_until_us IS NOT NULL"));
  if (rows.empty() || rows.front().IsNull(0)) return std::optional<absl::Time>();
  return std::optional<absl::Time>(absl::FromUnixMicros(rows.front().Int(0)));
}

absl::Status StatementsStore::OrderFeedWrites() {
  if (tx_.dialect() != storage::SqlDialect::kPostgres) return absl::OkStatus();
  return tx_.Execute("SELECT pg_advisory_xact_lock(hashtext('statement_feed'))").status();
}

absl::StatusOr<int64_t> StatementsStore::AppendFeed(const std::string& event_id,
                                                    const std::string& statement_id,
                                                    bool is_public,
                                                    const v1::StatementEvent& event) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query("INSERT INTO statement_feed (event_id, statement_id, public, data) "
                             "VALUES (?, ?, ?, ?) RETURNING seq",
                             {event_id, statement_id, int64_t{is_public ? 1 : 0},
                              Blob{event.SerializeAsString()}}));
  if (rows.empty()) return absl::InternalError("the feed gave no position");
  return rows.front().Int(0);
}

absl::StatusOr<std::vector<FeedEntry>> StatementsStore::ReadFeed(const std::string& event_id,
                                                                 int64_t after_seq,
                                                                 bool public_only, int limit) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query(public_only
                                 ? "SELECT seq, data FROM statement_feed WHERE event_id = ? "
                                   "AND seq > ? AND public = 1 ORDER BY seq LIMIT ?"
                                 : "SELECT seq, data FROM statement_feed WHERE event_id = ? "
                                   "AND seq > ? ORDER BY seq LIMIT ?",
                             {event_id, after_seq, int64_t{limit}}));
  std::vector<FeedEntry> entries;
  for (const Row& row : rows) {
    FeedEntry& entry = entries.emplace_back();
    entry.seq = row.Int(0);
    ASSIGN_OR_RETURN(entry.event, ProtoTable<v1::StatementEvent>::Parse(row, 1));
  }
  return entries;
}

absl::StatusOr<int64_t> StatementsStore::LastFeedSeq() {
  ASSIGN_OR_RETURN(std::vector<Row> rows, tx_.Query("SELECT COALESCE(MAX(seq), 0) FROM statement_feed"));
  return rows.empty() ? 0 : rows.front().Int(0);
}

absl::Status StatementsStore::RecordEmbargoedRead(const std::string& event_id,
                                                  const std::string& statement_id,
                                                  const v1::EmbargoedRead& read) {
  return tx_.Execute("INSERT INTO embargoed_reads (event_id, statement_id, data) VALUES (?, ?, ?)",
                     {event_id, statement_id, Blob{read.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::vector<std::pair<int64_t, v1::EmbargoedRead>>>
StatementsStore::ListEmbargoedReads(const std::string& event_id, const std::string& statement_id,
                                    int64_t before_seq, int limit) {
  const int64_t before = before_seq > 0 ? before_seq : INT64_MAX;
  ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      statement_id.empty()
          ? tx_.Query("SELECT seq, data FROM embargoed_reads WHERE event_id = ? AND seq < ? "
                      "ORDER BY seq DESC LIMIT ?",
                      {event_id, before, int64_t{limit}})
          : tx_.Query("SELECT seq, data FROM embargoed_reads WHERE event_id = ? AND "
                      "statement_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                      {event_id, statement_id, before, int64_t{limit}}));
  std::vector<std::pair<int64_t, v1::EmbargoedRead>> reads;
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(v1::EmbargoedRead read, ProtoTable<v1::EmbargoedRead>::Parse(row, 1));
    reads.emplace_back(row.Int(0), std::move(read));
  }
  return reads;
}

absl::StatusOr<std::vector<SearchHit>> StatementsStore::Search(
    const std::string& event_id, const std::vector<std::string>& words,
    const std::vector<ListCondition>& conditions, int offset, int limit) {
  const bool postgres = tx_.dialect() == storage::SqlDialect::kPostgres;
  std::vector<std::string> where = {
      postgres ? "b.search @@ to_tsquery('simple', summit_search_fold(?))" : "statement_text MATCH ?",
      "b.event_id = ?"};
  std::vector<SqlValue> values = {postgres ? PostgresTsQuery(words) : Fts5Query(words), event_id};
  for (const ListCondition& condition : conditions) {
    where.push_back("(" + condition.sql + ")");
    values.insert(values.end(), condition.values.begin(), condition.values.end());
  }
  values.emplace_back(int64_t{limit});
  values.emplace_back(int64_t{offset});
  // Ranked per body, then the best body of each statement ranks it; the id
  // breaks ties so pages never overlap. Matches are taken newest first and
  // only a window of them is ranked: a word found in most of 100,000
  // statements costs a window's work, not the whole list's (kRankedWindow).
  const std::string matches =
      postgres
          // The tsquery is bound once more for ts_rank; the weights give
          // the title and speakers (A) twice the body (B), as on SQLite.
          ? absl::StrCat(
                "SELECT b.statement_id AS statement_id, "
                "-ts_rank('{0, 0, 0.5, 1.0}', b.search, to_tsquery('simple', summit_search_fold(?))) "
                "AS score FROM statement_bodies AS b "
                "JOIN statements AS s ON s.event_id = b.event_id AND s.id = b.statement_id WHERE ",
                absl::StrJoin(where, " AND "), " ORDER BY b.rowid DESC LIMIT ", kRankedWindow)
          // bm25 works only while the full-text index drives the loop:
          // CROSS JOIN keeps statement_text outermost, and MATERIALIZED
          // keeps SQLite from folding the ranking into the grouping. Each
          // match's body is found in the narrow statement_bodies_keys (the
          // planner would take the table itself, rowid being its key, and
          // read a page of whole texts a match; migration 4).
          : absl::StrCat(
                "SELECT b.statement_id AS statement_id, bm25(statement_text, 2.0, 1.0, 2.0) AS score "
                "FROM statement_text CROSS JOIN statement_bodies AS b "
                "INDEXED BY statement_bodies_keys ON b.rowid = statement_text.rowid "
                "CROSS JOIN statements AS s ON s.event_id = b.event_id AND s.id = b.statement_id "
                "WHERE ",
                absl::StrJoin(where, " AND "), " ORDER BY statement_text.rowid DESC LIMIT ",
                kRankedWindow);
  if (postgres) values.insert(values.begin(), values[0]);
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx_.Query(absl::StrCat("WITH matches AS MATERIALIZED (", matches,
                                          ") SELECT statement_id, MIN(score) AS best FROM matches "
                                          "GROUP BY statement_id ORDER BY best, statement_id "
                                          "LIMIT ? OFFSET ?"),
                             values));
  std::vector<SearchHit> hits;
  for (const Row& row : rows) hits.push_back({row.Text(0), row.Double(1)});
  return hits;
}

}  // namespace summit::statements
