// Who may read which statement: the one rule every way of reading statements follows —
// GetStatement (and the writes that read first), ListStatements, SearchStatements,
// ListStatementRevisions, the live feed, and the gateway's views built on them — so that they
// never disagree about what a caller sees, and no page, page token or error gives away a
// statement the caller may not read (lists and searches apply the rule in their query, before
// any limit, as VisibleStatementsCondition).
//
//   Reader reader{AudienceOf(caller), headed_delegation};  // statements.h: ReaderAt
//   if (!MayRead(reader, statement)) return NotFoundError(name);
//   if (auto visible = VisibleStatementsCondition(reader, "t")) conditions.push_back(*visible);
//
// The rule:
// - organizers and Summit services read every statement, in every state;
// - accredited press read published and retracted statements, embargoed ones included;
// - everyone else reads published and retracted statements whose embargo has lifted;
// - and besides, the head of a signatory delegation reads the statement before publication
//   (draft, in review, approved) with all its revisions: what they are asked to approve. Who
//   heads a delegation is the Registry's to say, for a delegate whose accreditation to the
//   statement's event is approved (statement_peers.h, DelegationHeadedBy); a token alone does
//   not make its bearer a head.
//
// Thread-safety: pure functions and plain values.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENT_VISIBILITY_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENT_VISIBILITY_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/storage/proto_table.h"
#include "summit/statements/v1/resources.pb.h"

namespace summit::statements {

// What a caller reads by its role alone.
enum class Audience {
  kEverything,  // organizers and services: every statement in every state
  kPress,       // accredited press: published statements, embargoed ones too
  kPublic,      // everyone else: published statements whose embargo lifted
};
Audience AudienceOf(const auth::Principal& caller);

// Whether the caller's reach may also depend on a delegation it heads: only a delegate's
// (and only theirs is worth asking the Registry about).
bool MayHeadADelegation(const auth::Principal& caller);

// A caller as a reader of one event's statements.
struct Reader {
  Audience audience = Audience::kPublic;
  // The delegation of the event the caller heads, `events/{event}/delegations/{delegation}`;
  // "" when none.
  std::string heads;
};

// Published (or retracted) and no longer embargoed: what the public reads.
bool IsPublicVisible(const v1::Statement& statement);

// Draft, in review or approved: not published yet.
bool IsUnpublished(v1::Statement::State state);

// Whether the reader may read the statement.
bool MayRead(const Reader& reader, const v1::Statement& statement);

// Whether the reader may read the statement's unpublished revisions (earlier drafts, and the
// current text before publication) besides its published ones.
bool MayReadUnpublishedRevisions(const Reader& reader, const v1::Statement& statement);

// Whether the live feed shows the reader entries the public may not read yet (publications
// under embargo). The feed holds publications only, so what it shows depends on the audience
// alone: a signatory head's reach before publication never meets it.
bool FeedShowsEmbargoed(Audience audience);

// The condition over a statements row aliased `alias` (with its event_id, id, state and
// public_visible columns) that keeps exactly what MayRead keeps; nullopt when the reader
// reads everything.
std::optional<storage::ListCondition> VisibleStatementsCondition(const Reader& reader,
                                                                 absl::string_view alias);

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENT_VISIBILITY_H_
