// Statements: what officials said, cleared and published. This is the
// service's domain layer: it authorizes the caller, validates the request,
// asks the Registry and Scheduling what it must before its transaction, and
// then checks the state and writes inside one database transaction — the
// statement, its revision, its searchable text and, for what the public or
// the press may now read, the live feed entry, all committed together.
//
// Visibility (statement_visibility.h, one rule for every read): organizers
// and services see everything; accredited press see published statements,
// embargoed ones included (each such read is recorded); everyone else sees
// published statements whose embargo has lifted and gets NOT_FOUND for the
// rest. The heads of a statement's signatory delegations also read it, with
// its revisions, before publication: in Get, List and Search alike.
//
// Thread-safety: all methods may be called concurrently.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENTS_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENTS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/storage/database.h"
#include "google/protobuf/empty.pb.h"
#include "services/statements/feed_hub.h"
#include "services/statements/statement_peers.h"
#include "services/statements/statement_rules.h"
#include "services/statements/statement_visibility.h"
#include "summit/statements/v1/statements_service.pb.h"

namespace summit::statements {

// Who calls, and how to call peers on their behalf (their deadline and
// credentials).
struct Caller {
  auth::Principal principal;
  OutgoingContextFactory outgoing;
  // When the caller stops waiting (the incoming call's deadline). A write
  // that could no longer be acknowledged in time is not started, so that a
  // caller told DEADLINE_EXCEEDED never finds the write done afterwards.
  absl::Time deadline = absl::InfiniteFuture();
};

// Where a watcher of the feed stands: the event and the last position seen.
struct FeedCursor {
  std::string event_id;
  int64_t after_seq = 0;
};

class Statements {
 public:
  // `database` must have StatementsMigrations() applied; it, `peers` and
  // `feed` must outlive this. `clock` is the time used for every stamp and
  // every embargo decision.
  Statements(storage::Database& database, StatementPeers& peers, FeedHub& feed,
             std::function<absl::Time()> clock = [] { return absl::Now(); })
      : database_(database), peers_(peers), feed_(feed), clock_(std::move(clock)) {}

  absl::StatusOr<v1::Statement> CreateStatement(const Caller& caller,
                                                const v1::CreateStatementRequest& request);
  absl::StatusOr<v1::Statement> GetStatement(const Caller& caller,
                                             const v1::GetStatementRequest& request);
  absl::StatusOr<v1::ListStatementsResponse> ListStatements(
      const Caller& caller, const v1::ListStatementsRequest& request);
  absl::StatusOr<v1::Statement> UpdateStatement(const Caller& caller,
                                                const v1::UpdateStatementRequest& request);
  absl::Status DeleteStatement(const Caller& caller, const v1::DeleteStatementRequest& request);

  absl::StatusOr<v1::Statement> SubmitStatement(const Caller& caller,
                                                const v1::SubmitStatementRequest& request);
  absl::StatusOr<v1::Statement> ApproveStatement(const Caller& caller,
                                                 const v1::ApproveStatementRequest& request);
  absl::StatusOr<v1::Statement> PublishStatement(const Caller& caller,
                                                 const v1::PublishStatementRequest& request);
  absl::StatusOr<v1::Statement> CorrectStatement(const Caller& caller,
                                                 const v1::CorrectStatementRequest& request);
  absl::StatusOr<v1::Statement> RetractStatement(const Caller& caller,
                                                 const v1::RetractStatementRequest& request);

  absl::StatusOr<v1::ListStatementRevisionsResponse> ListStatementRevisions(
      const Caller& caller, const v1::ListStatementRevisionsRequest& request);
  absl::StatusOr<v1::SearchStatementsResponse> SearchStatements(
      const Caller& caller, const v1::SearchStatementsRequest& request);
  absl::StatusOr<v1::ListEmbargoedReadsResponse> ListEmbargoedReads(
      const Caller& caller, const v1::ListEmbargoedReadsRequest& request);

  // The live feed: where a WatchStatements call starts, and the next entries
  // the caller may see after a cursor (each with its resume token), which
  // also advances the cursor past entries the caller may not see.
  absl::StatusOr<FeedCursor> StartWatching(const Caller& caller,
                                           const v1::WatchStatementsRequest& request);
  absl::StatusOr<std::vector<v1::StatementEvent>> NextFeedEvents(const Caller& caller,
                                                                 FeedCursor& cursor, int limit);
  // The sequence number of the feed's newest entry (0 when it is empty),
  // whoever wrote it: what the feed hub polls, so that it wakes the watchers
  // only when the feed moved (another replica may have written to it).
  absl::StatusOr<int64_t> LastFeedSeq();

  // The embargo lifter's work (embargo_lifter.h runs it): lifts every
  // embargo that is due — for a session embargo, after asking Scheduling
  // when the session ends now and waiting longer if it moved — and returns
  // how many it lifted. `own_calls` makes the contexts of calls to peers.
  absl::StatusOr<int> LiftDueEmbargoes(const OutgoingContextFactory& own_calls);
  // Asks Scheduling again when each pending session embargo's session ends,
  // so one that moved earlier lifts on time.
  absl::Status RefreshEmbargoSessions(const OutgoingContextFactory& own_calls);
  // When the next embargo is due, if any is pending.
  absl::StatusOr<std::optional<absl::Time>> NextEmbargoCheck();

  absl::Time Now() const { return clock_(); }

 private:
  // Reads the statement the caller may read, or NOT_FOUND; `reader`, when
  // given, is the caller at the statement's event (ReaderAt).
  absl::StatusOr<v1::Statement> ReadVisible(const Caller& caller, const std::string& name,
                                            absl::string_view method,
                                            const std::optional<Reader>& reader = std::nullopt);
  // The caller as a reader of the event's statements: its audience and, for
  // a delegate, the delegation it heads there (asked of the Registry).
  absl::StatusOr<Reader> ReaderAt(const Caller& caller, const std::string& event_id);
  // Runs `change` on the stored statement in one transaction after checking
  // the etag, stamps and stores the result and, when `change` returns a kind
  // of feed event, announces it in the feed in the same transaction.
  using StatementChange =
      std::function<absl::StatusOr<std::optional<v1::StatementEvent::Kind>>(
          v1::Statement&, class StatementsStore&, absl::Time now)>;
  absl::StatusOr<v1::Statement> Change(const std::string& name, const std::string& etag,
                                       const StatementChange& change);
  // Records press reads of embargoed statements (no-op for other callers).
  absl::Status AuditEmbargoedReads(const Caller& caller, const std::vector<v1::Statement>& read,
                                   absl::string_view method);

  storage::Database& database_;
  StatementPeers& peers_;
  FeedHub& feed_;
  std::function<absl::Time()> clock_;
};

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENTS_H_
