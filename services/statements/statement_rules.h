// The rules of statements that need neither a database nor a peer: what a
// well-formed statement is, which state allows which change, what an
// approval binds to, and how a search query and its snippets are spelled.
// Who may read what is statement_visibility.h's. Pure functions, unit-tested
// on their own.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENT_RULES_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENT_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/error.h"
#include "summit/statements/v1/statements_service.pb.h"

namespace summit::statements {

inline constexpr int kMaxBodies = 20;
inline constexpr size_t kMaxBodyChars = 100000;
inline constexpr size_t kMaxTitleChars = 300;
inline constexpr int kMaxSpeakers = 50;
inline constexpr int kMaxSignatories = 50;
// A correction's note and a retraction's reason.
inline constexpr size_t kMaxNoteChars = 2000;
// A search: its words, and its pages (results, not the lists' kMaxPageSize).
inline constexpr size_t kMaxQueryChars = 200;
inline constexpr int kMaxQueryWords = 16;
inline constexpr int kDefaultSearchPageSize = 20;
inline constexpr int kMaxSearchPageSize = 100;
inline constexpr size_t kMaxSnippetChars = 400;

// Every problem of the statement's own fields (`prefix` is the path of the
// message, e.g. "statement"), for a statement of event `event_id`.
std::vector<FieldViolation> ValidateStatement(const v1::Statement& statement,
                                              absl::string_view event_id,
                                              absl::string_view prefix);

// Every problem of a title and bodies, as CorrectStatement receives them.
std::vector<FieldViolation> ValidateText(const std::string& title,
                                         const google::protobuf::RepeatedPtrField<v1::StatementBody>& bodies,
                                         absl::string_view prefix);

// SHA-256 (hex) of the title and the bodies (in language order, so that
// reordering changes nothing): what an approval binds to.
std::string TextHash(const std::string& title,
                     const google::protobuf::RepeatedPtrField<v1::StatementBody>& bodies);

// FAILED_PRECONDITION (reason WRONG_STATE) unless the statement is in one
// of `allowed`; `action` says what was refused, e.g. "publish".
absl::Status RequireState(const v1::Statement& statement,
                          std::initializer_list<v1::Statement::State> allowed,
                          absl::string_view action);

// True when the statement needs its signatories' approvals rather than an
// organizer's.
inline bool NeedsSignatories(const v1::Statement& statement) {
  return statement.signatories_size() > 0;
}

// True when every signatory has approved the current text.
bool AllSignatoriesApproved(const v1::Statement& statement);

// The words of a user's search (letters and digits, any script; everything
// else separates them), checked: INVALID_ARGUMENT on `field` when nothing
// searchable is left or the query is too long. Each word matches as a
// prefix, and all are required.
absl::StatusOr<std::vector<std::string>> SearchWords(absl::string_view query,
                                                     absl::string_view field);

// The words of a user's query, as SearchWords finds them, unchecked.
std::vector<std::string> QueryWords(absl::string_view query);

// `words` as an FTS5 MATCH expression (SQLite): each quoted, so that no word
// is ever read as search syntax, and a prefix.
std::string Fts5Query(const std::vector<std::string>& words);

// `words` as a tsquery (PostgreSQL's to_tsquery): each quoted and a prefix,
// all required. The database folds the tsquery before it reads it, so a word
// is cut at every character whose fold is not a letter (＇ folds to a quote):
// nothing a user types is ever read as tsquery syntax. "" when nothing is left.
std::string PostgresTsQuery(const std::vector<std::string>& words);

// A passage of `text` around its first word that starts with one of
// `words` — compared the way the full-text index compares them (case and
// diacritics ignored, Latin and Cyrillic) — with every such word
// highlighted; the text's beginning, unhighlighted, when none does. At most
// about `max_words` words and kMaxSnippetChars characters (a "word" may be a
// whole line of a script written without spaces), with "…" where it is cut.
v1::Snippet MakeSnippet(absl::string_view language_code, absl::string_view text,
                        const std::vector<std::string>& words, int max_words = 24);

// Whether some word of `text` starts with one of `words` (as MakeSnippet
// compares them).
bool MentionsAny(absl::string_view text, const std::vector<std::string>& words);

// A feed position as a resume token, and back (INVALID_ARGUMENT on
// "resume_token" for anything not made by ResumeToken).
std::string ResumeToken(int64_t seq);
absl::StatusOr<int64_t> SeqOfResumeToken(absl::string_view token);

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENT_RULES_H_
