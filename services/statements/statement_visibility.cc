#include "services/statements/statement_visibility.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"

namespace summit::statements {
namespace {

using S = v1::Statement;

bool IsPublished(S::State state) {
  return state == S::STATE_PUBLISHED || state == S::STATE_RETRACTED;
}

// Whether the reader heads one of the statement's signatories.
bool HeadsASignatory(const Reader& reader, const v1::Statement& statement) {
  return !reader.heads.empty() &&
         std::find(statement.signatories().begin(), statement.signatories().end(), reader.heads) !=
             statement.signatories().end();
}

}  // namespace

Audience AudienceOf(const auth::Principal& caller) {
  if (caller.IsOrganizer() || caller.IsService()) return Audience::kEverything;
  if (caller.IsPress()) return Audience::kPress;
  return Audience::kPublic;
}

bool MayHeadADelegation(const auth::Principal& caller) {
  return caller.IsDelegate() && !caller.subject.empty();
}

bool IsPublicVisible(const v1::Statement& statement) {
  return IsPublished(statement.state()) && !statement.embargoed();
}

bool IsUnpublished(S::State state) {
  return state == S::STATE_DRAFT || state == S::STATE_IN_REVIEW || state == S::STATE_APPROVED;
}

bool MayRead(const Reader& reader, const v1::Statement& statement) {
  switch (reader.audience) {
    case Audience::kEverything:
      return true;
    case Audience::kPress:
      if (IsPublished(statement.state())) return true;
      break;
    case Audience::kPublic:
      if (IsPublicVisible(statement)) return true;
      break;
  }
  return IsUnpublished(statement.state()) && HeadsASignatory(reader, statement);
}

bool MayReadUnpublishedRevisions(const Reader& reader, const v1::Statement& statement) {
  return reader.audience == Audience::kEverything ||
         (IsUnpublished(statement.state()) && HeadsASignatory(reader, statement));
}

bool FeedShowsEmbargoed(Audience audience) { return audience != Audience::kPublic; }

std::optional<storage::ListCondition> VisibleStatementsCondition(const Reader& reader,
                                                                 absl::string_view alias) {
  std::string by_audience;
  switch (reader.audience) {
    case Audience::kEverything:
      return std::nullopt;
    case Audience::kPress:
      by_audience =
          absl::StrCat(alias, ".state IN (", S::STATE_PUBLISHED, ", ", S::STATE_RETRACTED, ")");
      break;
    case Audience::kPublic:
      by_audience = absl::StrCat(alias, ".public_visible = 1");
      break;
  }
  if (reader.heads.empty()) {
    return storage::ListCondition(std::move(by_audience), std::vector<storage::SqlValue>{});
  }
  // statement_signatories holds each statement's signatory delegations (statements_schema.cc).
  return storage::ListCondition(
      absl::StrCat(by_audience, " OR (", alias, ".state IN (", S::STATE_DRAFT, ", ",
                   S::STATE_IN_REVIEW, ", ", S::STATE_APPROVED,
                   ") AND EXISTS (SELECT 1 FROM statement_signatories AS g WHERE g.event_id = ",
                   alias, ".event_id AND g.statement_id = ", alias, ".id AND g.delegation = ?))"),
      storage::SqlValue(reader.heads));
}

}  // namespace summit::statements
