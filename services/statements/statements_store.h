// Persistence of statements inside one transaction: the statement rows (with
// their speakers, signatories and searchable bodies kept in step), revisions,
// the live feed, embargo bookkeeping and the audit of embargoed reads. It
// decides nothing about who may do what; Statements does, in the same
// transaction.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENTS_STORE_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENTS_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "common/storage/proto_table.h"
#include "summit/statements/v1/statements_service.pb.h"

namespace summit::statements {

// A feed row: its position and what it says.
struct FeedEntry {
  int64_t seq = 0;
  v1::StatementEvent event;  // resume_token not set
};

// A published statement whose embargo the lifter should look at.
struct DueEmbargo {
  std::string event_id;
  std::string statement_id;
};

// One statement found by a search, with its best score (lower is better,
// as FTS5's bm25 ranks; PostgreSQL's ts_rank is negated to match).
struct SearchHit {
  std::string statement_id;
  double rank = 0;
};

class StatementsStore {
 public:
  explicit StatementsStore(storage::Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<v1::Statement>> Find(const std::string& event_id,
                                                    const std::string& id);
  // Inserts the statement with its speakers, signatories, bodies and first
  // revision.
  absl::Status Insert(const std::string& event_id, const std::string& id,
                      const v1::Statement& statement, const v1::StatementRevision& revision);
  // Replaces the stored statement, its speakers, signatories and searchable
  // bodies.
  absl::Status Replace(const std::string& event_id, const std::string& id,
                       const v1::Statement& statement);
  absl::Status Delete(const std::string& event_id, const std::string& id);
  absl::StatusOr<std::vector<v1::Statement>> List(
      const std::string& event_id, const std::vector<storage::ListCondition>& conditions,
      const std::string& after_id, int limit);

  // Published statements meeting the conditions, newest first, after the
  // (publish time, id) key given (INT64_MAX, "" for the first page).
  absl::StatusOr<std::vector<v1::Statement>> ListByPublishTime(
      const std::string& event_id, const std::vector<storage::ListCondition>& conditions,
      int64_t before_publish_us, const std::string& before_id, int limit);

  // Revisions, numbered from 1.
  absl::Status PutRevision(const std::string& event_id, const std::string& id,
                           const v1::StatementRevision& revision);
  absl::StatusOr<std::optional<v1::StatementRevision>> FindRevision(const std::string& event_id,
                                                                   const std::string& id,
                                                                   int64_t revision);
  absl::StatusOr<std::vector<v1::StatementRevision>> ListRevisions(const std::string& event_id,
                                                                   const std::string& id,
                                                                   bool published_only,
                                                                   int64_t after_revision,
                                                                   int limit);

  // When the lifter should next look at the statement's embargo (nullopt:
  // never).
  absl::Status SetEmbargoCheck(const std::string& event_id, const std::string& id,
                               std::optional<absl::Time> when);
  // Up to `limit` embargoed statements whose check time is at or before
  // `now`.
  absl::StatusOr<std::vector<DueEmbargo>> DueEmbargoes(absl::Time now, int limit);
  // Every published statement still under embargo, at most `limit`.
  absl::StatusOr<std::vector<v1::Statement>> PendingEmbargoes(int limit);
  // The earliest check time of any embargo, if any.
  absl::StatusOr<std::optional<absl::Time>> NextEmbargoCheck();

  // Called first in a transaction that will append to the feed: from here
  // to its commit no other transaction appends, on any replica, so the
  // time it stamps its entry with (read after this) follows the entry
  // before it, as its position does. (SQLite writes one transaction at a
  // time anyway; PostgreSQL takes the feed's transaction-scoped lock, the
  // one statement_feed's numbering trigger takes.)
  absl::Status OrderFeedWrites();

  // Appends to the feed; returns the entry's position.
  absl::StatusOr<int64_t> AppendFeed(const std::string& event_id, const std::string& statement_id,
                                     bool is_public, const v1::StatementEvent& event);
  // Up to `limit` entries of the event after `after_seq`, only public ones
  // when `public_only`.
  absl::StatusOr<std::vector<FeedEntry>> ReadFeed(const std::string& event_id, int64_t after_seq,
                                                  bool public_only, int limit);
  // The position of the last entry of any event (0 when none).
  absl::StatusOr<int64_t> LastFeedSeq();

  absl::Status RecordEmbargoedRead(const std::string& event_id, const std::string& statement_id,
                                   const v1::EmbargoedRead& read);
  // Newest first, before `before_seq` (0: from the newest); each with its
  // position.
  absl::StatusOr<std::vector<std::pair<int64_t, v1::EmbargoedRead>>> ListEmbargoedReads(
      const std::string& event_id, const std::string& statement_id, int64_t before_seq,
      int limit);

  // Statements of the event with a body holding every one of `words` (as
  // prefixes; see SearchWords) and meeting the conditions (over `s`, the
  // statements row, and `b`, the matching body), best first, skipping
  // `offset`.
  absl::StatusOr<std::vector<SearchHit>> Search(
      const std::string& event_id, const std::vector<std::string>& words,
      const std::vector<storage::ListCondition>& conditions, int offset, int limit);

  // Indexes the signatories of up to `limit` statements made before migration 3
  // (statements_schema.h, IndexEarlierSignatories); returns how many it did.
  absl::StatusOr<int> IndexEarlierSignatories(int limit);

 private:
  absl::Status WriteIndexedParts(const std::string& event_id, const std::string& id,
                                 const v1::Statement& statement);
  absl::Status WriteSignatories(const std::string& event_id, const std::string& id,
                                const v1::Statement& statement);

  storage::Transaction& tx_;
};

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENTS_STORE_H_
