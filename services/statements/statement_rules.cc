#include "services/statements/statement_rules.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/api/field_checks.h"
#include "common/api/violations.h"
#include "common/text/utf8.h"

namespace summit::statements {
namespace {

using api::Violations;

constexpr absl::string_view kResumeTokenPrefix = "feed-";
constexpr size_t kMaxQueryChars = 200;
constexpr int kMaxQueryWords = 16;

bool IsSet(const google::protobuf::Timestamp& time) {
  return time.seconds() != 0 || time.nanos() != 0;
}

bool IsOneOf(v1::Statement::State state, std::initializer_list<v1::Statement::State> states) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

// Letters and digits of any script make words; everything else separates
// them. ASCII is decided exactly; every code point above ASCII counts as a
// letter except the common punctuation and spaces, which is what FTS5's
// unicode61 tokenizer would split on too.
bool IsWordCharacter(char32_t c) {
  if (c < 0x80) return absl::ascii_isalnum(static_cast<unsigned char>(c));
  if (c >= 0x2000 && c <= 0x206F) return false;  // general punctuation, spaces
  if (c == 0xA0 || c == 0xAB || c == 0xBB || c == 0x3000 || c == 0xFEFF) return false;
  return true;
}

}  // namespace

std::vector<FieldViolation> ValidateText(
    const std::string& title, const google::protobuf::RepeatedPtrField<v1::StatementBody>& bodies,
    absl::string_view prefix) {
  std::vector<FieldViolation> out;
  Violations v(prefix, out);
  v.Check("title", api::TextProblem(title, kMaxTitleChars, /*required=*/true));
  if (bodies.empty()) v.Add("bodies", "required: the text in at least one language");
  if (bodies.size() > kMaxBodies) v.Add("bodies", absl::StrCat("at most ", kMaxBodies, " languages"));
  absl::flat_hash_set<std::string> languages;
  int originals = 0;
  for (int i = 0; i < bodies.size(); ++i) {
    const v1::StatementBody& body = bodies[i];
    const std::string field = absl::StrCat("bodies[", i, "]");
    v.Check(field + ".language_code", api::LanguageTagProblem(body.language_code()));
    if (!languages.insert(absl::AsciiStrToLower(body.language_code())).second) {
      v.Add(field + ".language_code",
            absl::StrCat("\"", body.language_code(), "\" has another body already"));
    }
    v.Check(field + ".text", api::ParagraphsProblem(body.text(), kMaxBodyChars, /*required=*/true));
    if (body.original()) ++originals;
  }
  if (!bodies.empty() && originals != 1) {
    v.Add("bodies", absl::StrCat("exactly one body must be marked original; ", originals, " are"));
  }
  return out;
}

std::vector<FieldViolation> ValidateStatement(const v1::Statement& statement,
                                              absl::string_view event_id,
                                              absl::string_view prefix) {
  std::vector<FieldViolation> out =
      ValidateText(statement.title(), statement.bodies(), prefix);
  Violations v(prefix, out);
  const v1::Statement::Kind kind = statement.kind();
  if (kind == v1::Statement::KIND_UNSPECIFIED || !v1::Statement::Kind_IsValid(kind)) {
    v.Add("kind", "required: KIND_QUOTE, KIND_PRESS_RELEASE, KIND_JOINT_STATEMENT, "
                  "KIND_COMMUNIQUE or KIND_TRANSCRIPT");
  }
  const std::string event = absl::StrCat("events/", event_id);

  if (statement.speakers_size() > kMaxSpeakers) {
    v.Add("speakers", absl::StrCat("at most ", kMaxSpeakers, " people"));
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < statement.speakers_size(); ++i) {
    v.Reference(absl::StrCat("speakers[", i, "]"), statement.speakers(i), "people/*", true);
    if (!seen.insert(statement.speakers(i)).second) {
      v.Add("speakers", absl::StrCat("lists ", statement.speakers(i), " twice"));
    }
  }
  const bool said = kind == v1::Statement::KIND_QUOTE || kind == v1::Statement::KIND_TRANSCRIPT;
  if (said && statement.speakers_size() == 0) {
    v.Add("speakers", "required: who said it (people/{person})");
  }
  if (kind == v1::Statement::KIND_JOINT_STATEMENT && statement.speakers_size() > 0) {
    v.Add("speakers", "a joint statement has signatories, not speakers");
  }

  if (statement.signatories_size() > kMaxSignatories) {
    v.Add("signatories", absl::StrCat("at most ", kMaxSignatories, " delegations"));
  }
  seen.clear();
  for (int i = 0; i < statement.signatories_size(); ++i) {
    const std::string field = absl::StrCat("signatories[", i, "]");
    const std::string& signatory = statement.signatories(i);
    v.Reference(field, signatory, "events/*/delegations/*", true);
    if (!signatory.empty() && !absl::StartsWith(signatory, event + "/")) {
      v.Add(field, absl::StrCat("must be a delegation of ", event));
    }
    if (!seen.insert(signatory).second) v.Add("signatories", absl::StrCat("lists ", signatory, " twice"));
  }
  const bool signed_kind =
      kind == v1::Statement::KIND_JOINT_STATEMENT || kind == v1::Statement::KIND_COMMUNIQUE;
  if (kind == v1::Statement::KIND_JOINT_STATEMENT && statement.signatories_size() < 2) {
    v.Add("signatories", "a joint statement needs at least two signatory delegations");
  }
  if (!signed_kind && statement.signatories_size() > 0 && kind != v1::Statement::KIND_UNSPECIFIED) {
    v.Add("signatories", "only joint statements and communiqués have signatories");
  }

  for (const auto& [field, session] : {std::pair<const char*, const std::string&>{
                                           "session", statement.session()},
                                       {"embargo_session", statement.embargo_session()}}) {
    v.Reference(field, session, "events/*/sessions/*", false);
    if (!session.empty() && !absl::StartsWith(session, event + "/")) {
      v.Add(field, absl::StrCat("must be a session of ", event));
    }
  }
  if (IsSet(statement.embargo_time()) && !statement.embargo_session().empty()) {
    v.Add("embargo_session", "give embargo_time or embargo_session, not both");
  }
  if (IsSet(statement.embargo_time()) &&
      (statement.embargo_time().seconds() < 0 || statement.embargo_time().nanos() < 0 ||
       statement.embargo_time().nanos() > 999999999)) {
    v.Add("embargo_time", "not a valid time");
  }
  return out;
}

std::string TextHash(const std::string& title,
                     const google::protobuf::RepeatedPtrField<v1::StatementBody>& bodies) {
  std::vector<const v1::StatementBody*> ordered;
  for (const v1::StatementBody& body : bodies) ordered.push_back(&body);
  std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return a->language_code() < b->language_code();
  });
  // Length-prefixed fields, so no two different texts encode alike.
  std::string canonical;
  const auto append = [&canonical](absl::string_view field) {
    absl::StrAppend(&canonical, field.size(), ":", field, ";");
  };
  append(title);
  for (const v1::StatementBody* body : ordered) {
    append(body->language_code());
    append(body->original() ? "original" : "translation");
    append(body->text());
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char byte : digest) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", byte);
    hex.append(pair, 2);
  }
  return hex;
}

absl::Status RequireState(const v1::Statement& statement,
                          std::initializer_list<v1::Statement::State> allowed,
                          absl::string_view action) {
  if (IsOneOf(statement.state(), allowed)) return absl::OkStatus();
  std::vector<std::string> names;
  for (v1::Statement::State state : allowed) names.push_back(v1::Statement::State_Name(state));
  return ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "WRONG_STATE",
      absl::StrCat("cannot ", action, " ", statement.name(), ": it is ",
                   v1::Statement::State_Name(statement.state()), ", and only ",
                   absl::StrJoin(names, " or "), " allows it"),
      {{"statement", statement.name()}, {"state", v1::Statement::State_Name(statement.state())}});
}

bool AllSignatoriesApproved(const v1::Statement& statement) {
  for (const std::string& signatory : statement.signatories()) {
    const bool approved = std::any_of(
        statement.approvals().begin(), statement.approvals().end(),
        [&](const v1::SignatoryApproval& approval) {
          return approval.delegation() == signatory && approval.text_hash() == statement.text_hash();
        });
    if (!approved) return false;
  }
  return true;
}

bool IsPublicVisible(const v1::Statement& statement) {
  return (statement.state() == v1::Statement::STATE_PUBLISHED ||
          statement.state() == v1::Statement::STATE_RETRACTED) &&
         !statement.embargoed();
}

Audience AudienceOf(const auth::Principal& caller) {
  if (caller.IsOrganizer() || caller.IsService()) return Audience::kEverything;
  if (caller.IsPress()) return Audience::kPress;
  return Audience::kPublic;
}

bool MayRead(Audience audience, v1::Statement::State state, bool public_visible) {
  switch (audience) {
    case Audience::kEverything:
      return true;
    case Audience::kPress:
      return state == v1::Statement::STATE_PUBLISHED || state == v1::Statement::STATE_RETRACTED;
    case Audience::kPublic:
      return public_visible;
  }
  return false;
}

std::string VisibleStatementsSql(Audience audience, absl::string_view alias) {
  switch (audience) {
    case Audience::kEverything:
      return "";
    case Audience::kPress:
      return absl::StrCat(alias, ".state IN (", v1::Statement::STATE_PUBLISHED, ", ",
                          v1::Statement::STATE_RETRACTED, ")");
    case Audience::kPublic:
      return absl::StrCat(alias, ".public_visible = 1");
  }
  return "0";
}

absl::StatusOr<std::string> MatchQuery(absl::string_view query, absl::string_view field) {
  if (api::TextProblem(query, kMaxQueryChars, /*required=*/true) != "") {
    return InvalidArgumentError({{std::string(field),
                                  absl::StrCat("words to find: ",
                                               api::TextProblem(query, kMaxQueryChars, true))}});
  }
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) words.push_back(std::exchange(word, ""));
  };
  for (char32_t c : text::DecodeUtf8(query)) {
    if (IsWordCharacter(c)) {
      text::AppendUtf8(c, &word);
    } else {
      flush();
    }
  }
  flush();
  if (words.empty()) {
    return InvalidArgumentError({{std::string(field), "holds no word to search for"}});
  }
  if (static_cast<int>(words.size()) > kMaxQueryWords) {
    return InvalidArgumentError(
        {{std::string(field), absl::StrCat("at most ", kMaxQueryWords, " words")}});
  }
  // Words hold no double quote (not a word character), so quoting is safe:
  // FTS5 sees each as a plain string, never as syntax.
  std::vector<std::string> terms;
  for (const std::string& w : words) terms.push_back(absl::StrCat("\"", w, "\"*"));
  return absl::StrJoin(terms, " ");
}

v1::Snippet SnippetFromMarked(absl::string_view language_code, absl::string_view marked) {
  v1::Snippet snippet;
  snippet.set_language_code(std::string(language_code));
  bool highlighted = false;
  std::string piece;
  const auto flush = [&] {
    if (piece.empty()) return;
    v1::SnippetPart* part = snippet.add_parts();
    part->set_text(std::exchange(piece, ""));
    part->set_highlighted(highlighted);
  };
  for (char c : marked) {
    if (c == kMatchStart[0] || c == kMatchEnd[0]) {
      flush();
      highlighted = c == kMatchStart[0];
    } else {
      piece.push_back(c);
    }
  }
  flush();
  return snippet;
}

std::string ResumeToken(int64_t seq) { return absl::StrCat(kResumeTokenPrefix, seq); }

absl::StatusOr<int64_t> SeqOfResumeToken(absl::string_view token) {
  int64_t seq = 0;
  if (!absl::ConsumePrefix(&token, kResumeTokenPrefix) || !absl::SimpleAtoi(token, &seq) ||
      seq < 0) {
    return InvalidArgumentError(
        {{"resume_token", "not a token this feed gave: pass a StatementEvent's resume_token"}});
  }
  return seq;
}

}  // namespace summit::statements
