// Creating, reading, listing, editing and deleting statements.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/api/field_mask.h"
#include "common/api/page_token.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/api/violations.h"
#include "common/auth/access.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/list_query.h"
#include "services/statements/statements.h"
#include "services/statements/statements_internal.h"
#include "services/statements/statements_store.h"

namespace summit::statements {
namespace {

using internal::kStatementPattern;

constexpr absl::string_view kUpdatableFields[] = {
    "kind", "speakers", "signatories", "session", "title", "bodies", "embargo_time",
    "embargo_session", "said_time"};

std::vector<std::string> ToVector(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return std::vector<std::string>(items.begin(), items.end());
}

// Clears what a client may not set.
void ClearOutputOnly(v1::Statement& statement) {
  statement.clear_state();
  statement.clear_embargoed();
  statement.clear_revision_id();
  statement.clear_text_hash();
  statement.clear_publish_time();
  statement.clear_correction_note();
  statement.clear_retraction_reason();
  statement.clear_provenance();
  statement.clear_approvals();
  statement.clear_etag();
  statement.clear_create_time();
  statement.clear_update_time();
}

}  // namespace

namespace internal {

v1::StatementRevision CurrentRevision(const v1::Statement& statement, absl::Time now) {
  v1::StatementRevision revision;
  revision.set_name(absl::StrCat(statement.name(), "/revisions/", statement.revision_id()));
  revision.set_revision_id(statement.revision_id());
  revision.set_title(statement.title());
  *revision.mutable_bodies() = statement.bodies();
  revision.set_text_hash(statement.text_hash());
  *revision.mutable_create_time() = api::ToTimestamp(now);
  return revision;
}

v1::StatementEvent FeedEvent(v1::StatementEvent::Kind kind, const v1::Statement& statement,
                             absl::Time now) {
  v1::StatementEvent event;
  event.set_kind(kind);
  *event.mutable_statement() = statement;
  *event.mutable_commit_time() = api::ToTimestamp(now);
  return event;
}

std::string IdOf(const std::string& name) { return name.substr(name.rfind('/') + 1); }

absl::Status CheckTimeToWrite(const Caller& caller) {
  // Room for the commit and the reply to reach the caller.
  constexpr absl::Duration kTimeToWrite = absl::Milliseconds(50);
  if (absl::Now() + kTimeToWrite < caller.deadline) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kDeadlineExceeded, "DEADLINE_TOO_NEAR",
                         "the call's deadline is too near to write and answer in time; nothing "
                         "was written");
}

}  // namespace internal

absl::StatusOr<v1::Statement> Statements::CreateStatement(
    const Caller& caller, const v1::CreateStatementRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "create statements"));
  std::vector<FieldViolation> violations;
  absl::StatusOr<std::string> event_id = api::ResourceIdOf(request.parent(), "events/*", "parent");
  if (!event_id.ok()) {
    for (FieldViolation& violation : FieldViolationsOf(event_id.status())) {
      violations.push_back(std::move(violation));
    }
  }
  api::ValidateOptionalId(request.statement_id(), "statement_id", violations);
  api::ValidateRequestId(request.request_id(), violations);
  for (FieldViolation& violation :
       ValidateStatement(request.statement(), event_id.ok() ? *event_id : "", "statement")) {
    violations.push_back(std::move(violation));
  }
  RETURN_IF_ERROR(api::ToStatus(std::move(violations)));

  // Everything the statement names must exist; asked before the transaction.
  const v1::Statement& given = request.statement();
  RETURN_IF_ERROR(peers_.CheckEventExists(caller.outgoing, request.parent()));
  ASSIGN_OR_RETURN(std::vector<v1::SpeakerProvenance> provenance,
                   peers_.Speakers(caller.outgoing, ToVector(given.speakers()), "statement.speakers"));
  RETURN_IF_ERROR(peers_.Delegations(caller.outgoing, ToVector(given.signatories()),
                                     "statement.signatories")
                      .status());
  if (!given.session().empty()) {
    RETURN_IF_ERROR(
        peers_.SessionEnd(caller.outgoing, given.session(), "statement.session").status());
  }
  if (!given.embargo_session().empty()) {
    RETURN_IF_ERROR(peers_.SessionEnd(caller.outgoing, given.embargo_session(),
                                      "statement.embargo_session")
                        .status());
  }

  const std::string id = api::ChosenOrNewId(request.statement_id());
  v1::Statement statement = given;
  ClearOutputOnly(statement);
  statement.set_name(absl::StrCat(request.parent(), "/statements/", id));
  statement.set_state(v1::Statement::STATE_DRAFT);
  statement.set_revision_id("1");
  statement.set_text_hash(TextHash(statement.title(), statement.bodies()));
  for (v1::SpeakerProvenance& speaker : provenance) {
    *statement.add_provenance() = std::move(speaker);
  }
  const absl::Time now = clock_();
  api::StampCreated(statement, now);
  const v1::StatementRevision revision = internal::CurrentRevision(statement, now);

  v1::Statement result = statement;
  RETURN_IF_ERROR(internal::CheckTimeToWrite(caller));
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    StatementsStore store(tx);
    result = statement;
    return storage::CreateOnce<v1::Statement>(
        tx, request.request_id(),
        [&](const std::string& name) { return store.Find(*event_id, internal::IdOf(name)); },
        [&]() -> absl::Status {
          ASSIGN_OR_RETURN(std::optional<v1::Statement> existing, store.Find(*event_id, id));
          if (existing.has_value()) return AlreadyExistsError(statement.name());
          return store.Insert(*event_id, id, statement, revision);
        },
        result);
  }));
  return result;
}

absl::StatusOr<v1::Statement> Statements::ReadVisible(const Caller& caller, const std::string& name,
                                                      absl::string_view method,
                                                      const std::optional<Reader>& reader) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(name, kStatementPattern, "name"));
  std::optional<v1::Statement> stored;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(stored, StatementsStore(tx).Find(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!stored.has_value()) return NotFoundError(name);
  std::optional<Reader> at_event = reader;
  if (!at_event.has_value()) {
    ASSIGN_OR_RETURN(at_event, ReaderAt(caller, ids[0]));
  }
  if (!MayRead(*at_event, *stored)) return NotFoundError(name);
  RETURN_IF_ERROR(AuditEmbargoedReads(caller, {*stored}, method));
  return *std::move(stored);
}

absl::StatusOr<Reader> Statements::ReaderAt(const Caller& caller, const std::string& event_id) {
  Reader reader{AudienceOf(caller.principal), ""};
  if (MayHeadADelegation(caller.principal)) {
    ASSIGN_OR_RETURN(reader.heads, peers_.DelegationHeadedBy(caller.outgoing,
                                                             absl::StrCat("events/", event_id),
                                                             caller.principal.subject));
  }
  return reader;
}

absl::Status Statements::AuditEmbargoedReads(const Caller& caller,
                                             const std::vector<v1::Statement>& read,
                                             absl::string_view method) {
  if (!caller.principal.IsPress()) return absl::OkStatus();
  std::vector<const v1::Statement*> embargoed;
  for (const v1::Statement& statement : read) {
    if (statement.embargoed()) embargoed.push_back(&statement);
  }
  if (embargoed.empty()) return absl::OkStatus();
  const absl::Time now = clock_();
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    StatementsStore store(tx);
    for (const v1::Statement* statement : embargoed) {
      ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       api::ParseResourceName(statement->name(), kStatementPattern, "name"));
      v1::EmbargoedRead record;
      record.set_statement(statement->name());
      record.set_revision_id(statement->revision_id());
      record.set_reader(caller.principal.subject);
      record.set_method(std::string(method));
      *record.mutable_read_time() = api::ToTimestamp(now);
      RETURN_IF_ERROR(store.RecordEmbargoedRead(ids[0], ids[1], record));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Statement> Statements::GetStatement(const Caller& caller,
                                                       const v1::GetStatementRequest& request) {
  return ReadVisible(caller, request.name(), "GetStatement");
}

absl::StatusOr<v1::ListStatementsResponse> Statements::ListStatements(
    const Caller& caller, const v1::ListStatementsRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  static const storage::FilterField kFields[] = {
      {"kind", "t.kind = ?", v1::Statement::Kind_descriptor()},
      {"state", "t.state = ?", v1::Statement::State_descriptor()},
      {"session", "t.session = ?"},
      {"speaker",
       "EXISTS (SELECT 1 FROM statement_speakers AS p WHERE p.event_id = t.event_id AND "
       "p.statement_id = t.id AND p.person = ?)"},
  };
  ASSIGN_OR_RETURN(storage::ListQuery query,
                   storage::ParseListQuery(absl::StrCat(request.parent(), "/statements"),
                                           request.page_size(), request.page_token(),
                                           request.filter(), kFields));
  ASSIGN_OR_RETURN(const Reader reader, ReaderAt(caller, event_id));
  if (auto visible = VisibleStatementsCondition(reader, "t")) {
    query.conditions.push_back(*std::move(visible));
  }
  const bool newest_first = request.order_by() == "publish_time desc";
  if (!request.order_by().empty() && !newest_first) {
    return InvalidArgumentError(
        {{"order_by", absl::StrCat(EchoInput(request.order_by()),
                                   " is not an order; empty or \"publish_time desc\"")}});
  }
  v1::ListStatementsResponse response;
  std::vector<v1::Statement> statements;
  if (!newest_first) {
    RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(statements, StatementsStore(tx).List(event_id, query.conditions,
                                                            query.after_id, query.fetch_limit()));
      return absl::OkStatus();
    }));
    response.set_next_page_token(query.FinishPage(statements));
  } else {
    // The page token holds the last (publish time, id) of the previous page.
    const std::string fingerprint = query.fingerprint + "\npublish_time desc";
    ASSIGN_OR_RETURN(api::PageToken token, api::DecodePageToken(request.page_token(), fingerprint));
    int64_t before_us = INT64_MAX;
    std::string before_id;
    if (!token.last_key.empty()) {
      const std::vector<std::string> parts = absl::StrSplit(token.last_key, absl::MaxSplits('/', 1));
      if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &before_us)) {
        return InvalidArgumentError({{"page_token", "not a token of this list"}});
      }
      before_id = parts[1];
    }
    RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(statements,
                       StatementsStore(tx).ListByPublishTime(event_id, query.conditions, before_us,
                                                             before_id, query.fetch_limit()));
      return absl::OkStatus();
    }));
    if (const size_t length = storage::PageLength(statements, query.page_size);
        length < statements.size()) {
      statements.resize(length);
      const v1::Statement& last = statements.back();
      response.set_next_page_token(api::EncodePageToken(
          absl::StrCat(absl::ToUnixMicros(api::FromTimestamp(last.publish_time())), "/",
                       internal::IdOf(last.name())),
          fingerprint));
    }
  }
  RETURN_IF_ERROR(AuditEmbargoedReads(caller, statements, "ListStatements"));
  for (v1::Statement& statement : statements) *response.add_statements() = std::move(statement);
  return response;
}

absl::StatusOr<v1::Statement> Statements::UpdateStatement(
    const Caller& caller, const v1::UpdateStatementRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "edit statements"));
  const std::string& name = request.statement().name();
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(name, kStatementPattern, "statement.name"));
  std::optional<v1::Statement> stored;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(stored, StatementsStore(tx).Find(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!stored.has_value()) return NotFoundError(name);
  RETURN_IF_ERROR(api::CheckEtag(request.statement().etag(), stored->etag(), name));
  RETURN_IF_ERROR(RequireState(*stored,
                               {v1::Statement::STATE_DRAFT, v1::Statement::STATE_IN_REVIEW,
                                v1::Statement::STATE_APPROVED},
                               "edit"));
  v1::Statement updated = *stored;
  RETURN_IF_ERROR(
      api::ApplyFieldMask(request.statement(), request.update_mask(), kUpdatableFields, &updated));
  RETURN_IF_ERROR(api::ToStatus(ValidateStatement(updated, ids[0], "statement")));

  // What changed and must be checked again with the other services.
  std::vector<std::string> new_speakers;
  for (const std::string& speaker : updated.speakers()) {
    const bool known = std::any_of(stored->provenance().begin(), stored->provenance().end(),
                                   [&](const auto& p) { return p.person() == speaker; });
    if (!known) new_speakers.push_back(speaker);
  }
  ASSIGN_OR_RETURN(std::vector<v1::SpeakerProvenance> fresh,
                   peers_.Speakers(caller.outgoing, new_speakers, "statement.speakers"));
  const bool signatories_changed = ToVector(updated.signatories()) != ToVector(stored->signatories());
  if (signatories_changed) {
    RETURN_IF_ERROR(peers_.Delegations(caller.outgoing, ToVector(updated.signatories()),
                                       "statement.signatories")
                        .status());
  }
  if (!updated.session().empty() && updated.session() != stored->session()) {
    RETURN_IF_ERROR(
        peers_.SessionEnd(caller.outgoing, updated.session(), "statement.session").status());
  }
  if (!updated.embargo_session().empty() && updated.embargo_session() != stored->embargo_session()) {
    RETURN_IF_ERROR(peers_.SessionEnd(caller.outgoing, updated.embargo_session(),
                                      "statement.embargo_session")
                        .status());
  }

  // Provenance: kept for speakers who stay, fresh for new ones, in the
  // order of the speakers.
  std::map<std::string, v1::SpeakerProvenance> by_person;
  for (const v1::SpeakerProvenance& p : stored->provenance()) by_person[p.person()] = p;
  for (v1::SpeakerProvenance& p : fresh) by_person[p.person()] = std::move(p);
  updated.clear_provenance();
  for (const std::string& speaker : updated.speakers()) {
    *updated.add_provenance() = by_person[speaker];
  }

  const absl::Time now = clock_();
  const std::string text_hash = TextHash(updated.title(), updated.bodies());
  const bool text_changed = text_hash != stored->text_hash();
  std::optional<v1::StatementRevision> revision;
  if (text_changed) {
    int64_t number = 0;
    (void)absl::SimpleAtoi(stored->revision_id(), &number);
    updated.set_revision_id(absl::StrCat(number + 1));
    updated.set_text_hash(text_hash);
    revision = internal::CurrentRevision(updated, now);
  }
  if (text_changed || signatories_changed) {
    // An approval is of one exact text by one set of signatories.
    updated.clear_approvals();
    if (updated.state() == v1::Statement::STATE_APPROVED) {
      updated.set_state(v1::Statement::STATE_IN_REVIEW);
    }
  }
  api::StampUpdated(updated, now);

  RETURN_IF_ERROR(internal::CheckTimeToWrite(caller));
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    StatementsStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Statement> current, store.Find(ids[0], ids[1]));
    if (!current.has_value()) return NotFoundError(name);
    // What was checked above must still be what is stored.
    RETURN_IF_ERROR(api::CheckEtag(stored->etag(), current->etag(), name));
    if (revision.has_value()) RETURN_IF_ERROR(store.PutRevision(ids[0], ids[1], *revision));
    return store.Replace(ids[0], ids[1], updated);
  }));
  return updated;
}

absl::Status Statements::DeleteStatement(const Caller& caller,
                                         const v1::DeleteStatementRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "delete statements"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.name(), kStatementPattern, "name"));
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    StatementsStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Statement> stored, store.Find(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(request.name());
    RETURN_IF_ERROR(api::CheckEtag(request.etag(), stored->etag(), request.name()));
    RETURN_IF_ERROR(RequireState(*stored, {v1::Statement::STATE_DRAFT}, "delete"));
    return store.Delete(ids[0], ids[1]);
  });
}

}  // namespace summit::statements
