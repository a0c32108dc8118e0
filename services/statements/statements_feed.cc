// The live feed and the embargoes that hold statements back from it.
#include "absl/strings/str_cat.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/observability/log.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "services/statements/statements.h"
#include "services/statements/statements_internal.h"
#include "services/statements/statements_store.h"

namespace summit::statements {
namespace {

// How many embargoes one pass of the lifter handles; the next pass follows
// at once when there were more.
constexpr int kLiftBatch = 100;
// How long to wait before asking Scheduling again about an embargo session
// it could not answer for. The statement stays embargoed meanwhile.
constexpr absl::Duration kRetryUnansweredSession = absl::Seconds(15);

}  // namespace

absl::StatusOr<FeedCursor> Statements::StartWatching(const Caller& caller,
                                                     const v1::WatchStatementsRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  FeedCursor cursor{event_id, 0};
  if (!request.resume_token().empty()) {
    ASSIGN_OR_RETURN(cursor.after_seq, SeqOfResumeToken(request.resume_token()));
    return cursor;
  }
  // A new watcher of an event that does not exist would wait for ever.
  RETURN_IF_ERROR(peers_.CheckEventExists(caller.outgoing, request.parent()));
  if (request.from_beginning()) return cursor;
  ASSIGN_OR_RETURN(cursor.after_seq, LastFeedSeq());
  return cursor;
}

absl::StatusOr<int64_t> Statements::LastFeedSeq() {
  int64_t seq = 0;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(seq, StatementsStore(tx).LastFeedSeq());
    return absl::OkStatus();
  }));
  return seq;
}

absl::StatusOr<std::vector<v1::StatementEvent>> Statements::NextFeedEvents(const Caller& caller,
                                                                           FeedCursor& cursor,
                                                                           int limit) {
  const bool public_only = !FeedShowsEmbargoed(AudienceOf(caller.principal));
  std::vector<FeedEntry> entries;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(entries,
                     StatementsStore(tx).ReadFeed(cursor.event_id, cursor.after_seq, public_only, limit));
    return absl::OkStatus();
  }));
  std::vector<v1::StatementEvent> events;
  std::vector<v1::Statement> read;
  for (FeedEntry& entry : entries) {
    cursor.after_seq = entry.seq;
    entry.event.set_resume_token(ResumeToken(entry.seq));
    read.push_back(entry.event.statement());
    events.push_back(std::move(entry.event));
  }
  RETURN_IF_ERROR(AuditEmbargoedReads(caller, read, "WatchStatements"));
  return events;
}

absl::StatusOr<int> Statements::LiftDueEmbargoes(const OutgoingContextFactory& own_calls) {
  std::vector<DueEmbargo> due;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(due, StatementsStore(tx).DueEmbargoes(clock_(), kLiftBatch));
    return absl::OkStatus();
  }));
  int lifted = 0;
  for (const DueEmbargo& embargo : due) {
    std::optional<v1::Statement> statement;
    RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(statement, StatementsStore(tx).Find(embargo.event_id, embargo.statement_id));
      return absl::OkStatus();
    }));
    if (!statement.has_value()) continue;
    // A session embargo lifts when the session ends now, not when it ended
    // when the statement was published: ask again.
    std::optional<absl::Time> session_end;
    if (!statement->embargo_session().empty()) {
      absl::StatusOr<absl::Time> end =
          peers_.SessionEnd(own_calls, statement->embargo_session(), "embargo_session");
      if (!end.ok()) {
        log::Warning("embargo session not answered; the statement stays embargoed",
                     {{"statement", statement->name()}, {"error", end.status().ToString()}});
        session_end = clock_() + kRetryUnansweredSession;
      } else {
        session_end = *end;
      }
    }
    bool did_lift = false;
    RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
      StatementsStore store(tx);
      did_lift = false;
      RETURN_IF_ERROR(store.OrderFeedWrites());
      ASSIGN_OR_RETURN(std::optional<v1::Statement> current,
                       store.Find(embargo.event_id, embargo.statement_id));
      if (!current.has_value()) return absl::OkStatus();
      if (!current->embargoed()) {
        return store.SetEmbargoCheck(embargo.event_id, embargo.statement_id, std::nullopt);
      }
      if (current->state() == v1::Statement::STATE_RETRACTED) {
        // Retracted before the public ever saw it: its embargo never lifts, so the text of a
        // retraction the press office made in time never reaches the public.
        return store.SetEmbargoCheck(embargo.event_id, embargo.statement_id, std::nullopt);
      }
      const absl::Time now = clock_();
      if (session_end.has_value() && *session_end > now) {
        return store.SetEmbargoCheck(embargo.event_id, embargo.statement_id, session_end);
      }
      current->set_embargoed(false);
      api::StampUpdated(*current, now);
      RETURN_IF_ERROR(store.Replace(embargo.event_id, embargo.statement_id, *current));
      RETURN_IF_ERROR(store.SetEmbargoCheck(embargo.event_id, embargo.statement_id, std::nullopt));
      did_lift = true;
      return store
          .AppendFeed(embargo.event_id, embargo.statement_id, /*is_public=*/true,
                      internal::FeedEvent(v1::StatementEvent::KIND_EMBARGO_LIFTED, *current, now))
          .status();
    }));
    if (did_lift) {
      ++lifted;
      log::Info("embargo lifted", {{"statement", statement->name()}});
    }
  }
  if (lifted > 0) feed_.Notify();
  return lifted;
}

absl::Status Statements::RefreshEmbargoSessions(const OutgoingContextFactory& own_calls) {
  std::vector<v1::Statement> pending;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(pending, StatementsStore(tx).PendingEmbargoes(1000));
    return absl::OkStatus();
  }));
  for (const v1::Statement& statement : pending) {
    if (statement.embargo_session().empty()) continue;
    absl::StatusOr<absl::Time> end =
        peers_.SessionEnd(own_calls, statement.embargo_session(), "embargo_session");
    if (!end.ok()) continue;  // asked again at the next refresh or when due
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     api::ParseResourceName(statement.name(), internal::kStatementPattern, "name"));
    RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
      StatementsStore store(tx);
      ASSIGN_OR_RETURN(std::optional<v1::Statement> current, store.Find(ids[0], ids[1]));
      if (!current.has_value() || !current->embargoed()) return absl::OkStatus();
      return store.SetEmbargoCheck(ids[0], ids[1], *end);
    }));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<absl::Time>> Statements::NextEmbargoCheck() {
  std::optional<absl::Time> next;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(next, StatementsStore(tx).NextEmbargoCheck());
    return absl::OkStatus();
  }));
  return next;
}

}  // namespace summit::statements
