// Moving statements through their life: submit, approve, publish, correct,
// retract. Each change is one transaction; a publication, correction or
// retraction enters the live feed in the same transaction.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/api/violations.h"
#include "common/auth/access.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "services/statements/statements.h"
#include "services/statements/statements_internal.h"
#include "services/statements/statements_store.h"

namespace summit::statements {
namespace {

using internal::kStatementPattern;


using ChangeResult = absl::StatusOr<std::optional<v1::StatementEvent::Kind>>;
const std::optional<v1::StatementEvent::Kind> kNoAnnouncement;

}  // namespace

absl::StatusOr<v1::Statement> Statements::Change(const std::string& name, const std::string& etag,
                                                 const StatementChange& change) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(name, kStatementPattern, "name"));
  v1::Statement changed;
  bool fed = false;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    StatementsStore store(tx);
    RETURN_IF_ERROR(store.OrderFeedWrites());
    ASSIGN_OR_RETURN(std::optional<v1::Statement> stored, store.Find(ids[0], ids[1]));
    if (!stored.has_value()) return NotFoundError(name);
    RETURN_IF_ERROR(api::CheckEtag(etag, stored->etag(), name));
    changed = *std::move(stored);
    const absl::Time now = clock_();
    ASSIGN_OR_RETURN(std::optional<v1::StatementEvent::Kind> announce, change(changed, store, now));
    api::StampUpdated(changed, now);
    RETURN_IF_ERROR(store.Replace(ids[0], ids[1], changed));
    fed = announce.has_value();
    if (!fed) return absl::OkStatus();
    return store
        .AppendFeed(ids[0], ids[1], IsPublicVisible(changed),
                    internal::FeedEvent(*announce, changed, now))
        .status();
  }));
  if (fed) feed_.Notify();
  return changed;
}

absl::StatusOr<v1::Statement> Statements::SubmitStatement(
    const Caller& caller, const v1::SubmitStatementRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "submit statements"));
  return Change(request.name(), request.etag(), [&](v1::Statement& statement, StatementsStore&, absl::Time now) -> ChangeResult {
    RETURN_IF_ERROR(RequireState(statement, {v1::Statement::STATE_DRAFT}, "submit"));
    statement.set_state(v1::Statement::STATE_IN_REVIEW);
    return kNoAnnouncement;
  });
}

absl::StatusOr<v1::Statement> Statements::ApproveStatement(
    const Caller& caller, const v1::ApproveStatementRequest& request) {
  const auth::Principal& who = caller.principal;
  if (!who.IsOrganizer() && !who.IsDelegate()) {
    return auth::Refuse(who, "APPROVER_REQUIRED",
                        "only organizers and the heads of signatory delegations approve statements");
  }
  std::vector<FieldViolation> violations;
  api::Violations v("", violations);
  if (request.text_hash().empty()) {
    v.Add("text_hash", "required: the text_hash of the text you approve");
  }
  v.Reference("delegation", request.delegation(), "events/*/delegations/*", false);
  RETURN_IF_ERROR(api::ToStatus(std::move(violations)));
  // Read first: whether a delegation must be named, and the caller's right
  // to approve for it, are asked of the Registry outside the transaction.
  ASSIGN_OR_RETURN(v1::Statement current, ReadVisible(caller, request.name(), "ApproveStatement"));
  if (NeedsSignatories(current)) {
    if (request.delegation().empty()) {
      return InvalidArgumentError(
          {{"delegation", "required: the signatory delegation that approves"}});
    }
    if (std::find(current.signatories().begin(), current.signatories().end(),
                  request.delegation()) == current.signatories().end()) {
      return InvalidArgumentError(
          {{"delegation", absl::StrCat(request.delegation(), " is not a signatory of ",
                                       request.name())}});
    }
    if (!who.IsOrganizer()) {
      ASSIGN_OR_RETURN(std::vector<registry::v1::Delegation> delegation,
                       peers_.Delegations(caller.outgoing, {request.delegation()}, "delegation"));
      if (!who.Is(delegation.front().head())) {
        return auth::Refuse(who, "NOT_DELEGATION_HEAD",
                            absl::StrCat("only the head of ", request.delegation(),
                                         " or an organizer approves for it"));
      }
    }
  } else {
    if (!request.delegation().empty()) {
      return InvalidArgumentError(
          {{"delegation", "this statement has no signatories; leave delegation empty"}});
    }
    RETURN_IF_ERROR(auth::RequireOrganizer(who, "approve statements"));
  }

  RETURN_IF_ERROR(internal::CheckTimeToWrite(caller));
  return Change(request.name(), "", [&](v1::Statement& statement, StatementsStore&, absl::Time now) -> ChangeResult {
    RETURN_IF_ERROR(RequireState(statement, {v1::Statement::STATE_IN_REVIEW}, "approve"));
    if (request.text_hash() != statement.text_hash()) {
      return ErrorWithReason(absl::StatusCode::kAborted, "TEXT_CHANGED",
                             absl::StrCat("the text of ", statement.name(),
                                          " changed since it was read; read it again and approve "
                                          "the current text"),
                             {{"statement", statement.name()}, {"text_hash", statement.text_hash()}});
    }
    if (!NeedsSignatories(statement)) {
      statement.set_state(v1::Statement::STATE_APPROVED);
      return kNoAnnouncement;
    }
    // One approval per delegation: a later one replaces an earlier one.
    auto* approvals = statement.mutable_approvals();
    approvals->erase(std::remove_if(approvals->begin(), approvals->end(),
                                    [&](const v1::SignatoryApproval& approval) {
                                      return approval.delegation() == request.delegation();
                                    }),
                     approvals->end());
    v1::SignatoryApproval* approval = statement.add_approvals();
    approval->set_delegation(request.delegation());
    approval->set_approver(who.subject);
    approval->set_text_hash(statement.text_hash());
    *approval->mutable_approve_time() = api::ToTimestamp(now);
    if (AllSignatoriesApproved(statement)) statement.set_state(v1::Statement::STATE_APPROVED);
    return kNoAnnouncement;
  });
}

absl::StatusOr<v1::Statement> Statements::PublishStatement(
    const Caller& caller, const v1::PublishStatementRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "publish statements"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.name(), kStatementPattern, "name"));
  // When an embargo session ends is asked of Scheduling before the
  // transaction; the lifter asks again before it lifts.
  std::optional<v1::Statement> read;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(read, StatementsStore(tx).Find(ids[0], ids[1]));
    return absl::OkStatus();
  }));
  if (!read.has_value()) return NotFoundError(request.name());
  std::optional<absl::Time> embargo_until;
  if (read->has_embargo_time()) embargo_until = api::FromTimestamp(read->embargo_time());
  if (!read->embargo_session().empty()) {
    ASSIGN_OR_RETURN(embargo_until,
                     peers_.SessionEnd(caller.outgoing, read->embargo_session(), "embargo_session"));
  }
  RETURN_IF_ERROR(internal::CheckTimeToWrite(caller));

  return Change(request.name(), request.etag(), [&](v1::Statement& statement, StatementsStore& store, absl::Time now) -> ChangeResult {
    RETURN_IF_ERROR(RequireState(statement, {v1::Statement::STATE_APPROVED}, "publish"));
    if (statement.embargo_session() != read->embargo_session() ||
        statement.has_embargo_time() != read->has_embargo_time()) {
      return ErrorWithReason(absl::StatusCode::kAborted, "CONCURRENT_CHANGE",
                             absl::StrCat("the embargo of ", statement.name(),
                                          " changed while publishing; try again"));
    }
    statement.set_state(v1::Statement::STATE_PUBLISHED);
    *statement.mutable_publish_time() = api::ToTimestamp(now);
    const bool embargoed = embargo_until.has_value() && *embargo_until > now;
    statement.set_embargoed(embargoed);
    RETURN_IF_ERROR(store.SetEmbargoCheck(ids[0], ids[1],
                                          embargoed ? embargo_until : std::optional<absl::Time>()));
    int64_t number = 0;
    (void)absl::SimpleAtoi(statement.revision_id(), &number);
    ASSIGN_OR_RETURN(std::optional<v1::StatementRevision> revision,
                     store.FindRevision(ids[0], ids[1], number));
    if (!revision.has_value()) revision = internal::CurrentRevision(statement, now);
    *revision->mutable_publish_time() = api::ToTimestamp(now);
    RETURN_IF_ERROR(store.PutRevision(ids[0], ids[1], *revision));
    return v1::StatementEvent::KIND_PUBLISHED;
  });
}

absl::StatusOr<v1::Statement> Statements::CorrectStatement(
    const Caller& caller, const v1::CorrectStatementRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "correct statements"));
  std::vector<FieldViolation> violations;
  api::Violations v("", violations);
  v.Check("correction_note", api::TextProblem(request.correction_note(), kMaxNoteChars, true));
  RETURN_IF_ERROR(api::ToStatus(std::move(violations)));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.name(), kStatementPattern, "name"));
  return Change(request.name(), request.etag(), [&](v1::Statement& statement, StatementsStore& store, absl::Time now) -> ChangeResult {
    RETURN_IF_ERROR(RequireState(statement, {v1::Statement::STATE_PUBLISHED}, "correct"));
    const std::string title = request.title().empty() ? statement.title() : request.title();
    google::protobuf::RepeatedPtrField<v1::StatementBody> bodies =
        request.bodies().empty() ? statement.bodies() : request.bodies();
    RETURN_IF_ERROR(api::ToStatus(ValidateText(title, bodies, "")));
    const std::string text_hash = TextHash(title, bodies);
    if (text_hash == statement.text_hash()) {
      return InvalidArgumentError(
          {{"bodies", "the corrected text is the same as the published one"}});
    }
    int64_t number = 0;
    (void)absl::SimpleAtoi(statement.revision_id(), &number);
    statement.set_revision_id(absl::StrCat(number + 1));
    statement.set_title(title);
    *statement.mutable_bodies() = std::move(bodies);
    statement.set_text_hash(text_hash);
    statement.set_correction_note(request.correction_note());
    v1::StatementRevision revision = internal::CurrentRevision(statement, now);
    revision.set_correction_note(request.correction_note());
    *revision.mutable_publish_time() = api::ToTimestamp(now);
    RETURN_IF_ERROR(store.PutRevision(ids[0], ids[1], revision));
    return v1::StatementEvent::KIND_CORRECTED;
  });
}

absl::StatusOr<v1::Statement> Statements::RetractStatement(
    const Caller& caller, const v1::RetractStatementRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "retract statements"));
  std::vector<FieldViolation> violations;
  api::Violations v("", violations);
  v.Check("reason", api::TextProblem(request.reason(), kMaxNoteChars, true));
  RETURN_IF_ERROR(api::ToStatus(std::move(violations)));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.name(), kStatementPattern, "name"));
  return Change(request.name(), request.etag(), [&](v1::Statement& statement, StatementsStore& store, absl::Time now) -> ChangeResult {
    RETURN_IF_ERROR(RequireState(statement, {v1::Statement::STATE_PUBLISHED}, "retract"));
    statement.set_state(v1::Statement::STATE_RETRACTED);
    statement.set_retraction_reason(request.reason());
    return v1::StatementEvent::KIND_RETRACTED;
  });
}

}  // namespace summit::statements
