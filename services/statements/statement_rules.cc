#include "services/statements/statement_rules.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <utility>

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
  for (const auto& [field, time] :
       {std::pair<const char*, const google::protobuf::Timestamp&>{"embargo_time",
                                                                   statement.embargo_time()},
        {"said_time", statement.said_time()}}) {
    if (IsSet(time) && (time.seconds() < 0 || time.nanos() < 0 || time.nanos() > 999999999)) {
      v.Add(field, "not a valid time");
    }
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

std::vector<std::string> QueryWords(absl::string_view query) {
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
  return words;
}

absl::StatusOr<std::vector<std::string>> SearchWords(absl::string_view query,
                                                     absl::string_view field) {
  const std::string problem = api::TextProblem(query, kMaxQueryChars, /*required=*/true);
  if (!problem.empty()) {
    return InvalidArgumentError({{std::string(field), absl::StrCat("words to find: ", problem)}});
  }
  std::vector<std::string> words = QueryWords(query);
  if (words.empty()) {
    return InvalidArgumentError({{std::string(field), "holds no word to search for"}});
  }
  if (static_cast<int>(words.size()) > kMaxQueryWords) {
    return InvalidArgumentError(
        {{std::string(field), absl::StrCat("at most ", kMaxQueryWords, " words")}});
  }
  return words;
}

// Words hold no quote of either kind (not word characters), so quoting them
// is safe: the search engine sees each as a plain string, never as syntax.
std::string Fts5Query(const std::vector<std::string>& words) {
  std::vector<std::string> terms;
  for (const std::string& w : words) terms.push_back(absl::StrCat("\"", w, "\"*"));
  return absl::StrJoin(terms, " ");
}

namespace {

// Whether a character stays a letter or digit when the database folds the
// query (summit_search_fold: lower(unaccent(…)), applied to the tsquery as
// built here). unaccent turns some letters and many symbols into ASCII
// punctuation — ＇ ʼ ‘ into a quote, ＼ ∖ into a backslash, ŉ into 'n — and
// a quote or backslash inside a quoted lexeme ends it early, letting the rest
// be read as tsquery syntax. So a lexeme keeps only ASCII letters and digits
// and the letters of alphabetic blocks whose fold is letters; anything else
// separates, as PostgreSQL's parser would separate the folded text anyway.
bool StaysALetterWhenFolded(char32_t c) {
  if (c < 0x80) return absl::ascii_isalnum(static_cast<unsigned char>(c));
  if (c == 0xD7 || c == 0xF7 || c == 0x149) return false;  // × ÷ ŉ
  static constexpr std::pair<char32_t, char32_t> kLetters[] = {
      {0x00C0, 0x02AF},    // Latin-1 letters, Latin Extended-A and -B, IPA
      {0x0300, 0x036F},    // combining diacritics (folded away)
      {0x0370, 0x03FF},    // Greek
      {0x0400, 0x052F},    // Cyrillic
      {0x0530, 0x058F},    // Armenian
      {0x0590, 0x06FF},    // Hebrew, Arabic
      {0x0900, 0x0DFF},    // Indic scripts
      {0x0E00, 0x0EFF},    // Thai, Lao
      {0x10A0, 0x11FF},    // Georgian, Hangul Jamo
      {0x1E00, 0x1FFF},    // Latin Extended Additional, Greek Extended
      {0x3040, 0x30FF},    // kana
      {0x3400, 0x9FFF},    // CJK ideographs
      {0xAC00, 0xD7AF},    // Hangul syllables
      {0xFF10, 0xFF19},    // fullwidth digits
      {0xFF21, 0xFF3A},    // fullwidth capital letters
      {0xFF41, 0xFF5A},    // fullwidth small letters
      {0x20000, 0x2FFFF},  // CJK ideographs, supplementary
  };
  for (const auto& [first, last] : kLetters) {
    if (c >= first && c <= last) return true;
  }
  return false;
}

}  // namespace

std::string PostgresTsQuery(const std::vector<std::string>& words) {
  std::vector<std::string> terms;
  for (const std::string& w : words) {
    std::string lexeme;
    const auto flush = [&] {
      if (!lexeme.empty()) terms.push_back(absl::StrCat("'", std::exchange(lexeme, ""), "':*"));
    };
    for (char32_t c : text::DecodeUtf8(w)) {
      if (StaysALetterWhenFolded(c)) {
        text::AppendUtf8(c, &lexeme);
      } else {
        flush();
      }
    }
    flush();
  }
  return absl::StrJoin(terms, " & ");
}

namespace {

// A character as the full-text index compares it (unicode61 with
// remove_diacritics 2): lower case, without accents, for Latin and Cyrillic.
char32_t Fold(char32_t c) {
  if (c < 0x80) return absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 0x410 && c <= 0x42F) {
    c += 0x20;  // А–Я → а–я
  } else if (c >= 0x400 && c <= 0x40F) {
    c += 0x50;  // Ѐ–Џ → ѐ–џ
  } else if (c >= 0x490 && c <= 0x4BF && c % 2 == 0) {
    c += 1;  // Ґ → ґ and its neighbours
  }
  switch (c) {
    case 0x439: return 0x438;              // й → и
    case 0x451: case 0x450: return 0x435;  // ё, ѐ → е
    case 0x457: return 0x456;              // ї → і
    case 0x45E: return 0x443;              // ў → у
    default: break;
  }
  static constexpr struct {
    char32_t from;
    char to;
  } kLatin[] = {
      {0xC0, 'a'}, {0xC1, 'a'}, {0xC2, 'a'}, {0xC3, 'a'}, {0xC4, 'a'}, {0xC5, 'a'}, {0xC7, 'c'},
      {0xC8, 'e'}, {0xC9, 'e'}, {0xCA, 'e'}, {0xCB, 'e'}, {0xCC, 'i'}, {0xCD, 'i'}, {0xCE, 'i'},
      {0xCF, 'i'}, {0xD1, 'n'}, {0xD2, 'o'}, {0xD3, 'o'}, {0xD4, 'o'}, {0xD5, 'o'}, {0xD6, 'o'},
      {0xD8, 'o'}, {0xD9, 'u'}, {0xDA, 'u'}, {0xDB, 'u'}, {0xDC, 'u'}, {0xDD, 'y'}, {0xE0, 'a'},
      {0xE1, 'a'}, {0xE2, 'a'}, {0xE3, 'a'}, {0xE4, 'a'}, {0xE5, 'a'}, {0xE7, 'c'}, {0xE8, 'e'},
      {0xE9, 'e'}, {0xEA, 'e'}, {0xEB, 'e'}, {0xEC, 'i'}, {0xED, 'i'}, {0xEE, 'i'}, {0xEF, 'i'},
      {0xF1, 'n'}, {0xF2, 'o'}, {0xF3, 'o'}, {0xF4, 'o'}, {0xF5, 'o'}, {0xF6, 'o'}, {0xF8, 'o'},
      {0xF9, 'u'}, {0xFA, 'u'}, {0xFB, 'u'}, {0xFC, 'u'}, {0xFD, 'y'}, {0xFF, 'y'}};
  for (const auto& pair : kLatin) {
    if (pair.from == c) return static_cast<char32_t>(pair.to);
  }
  return c;
}

// One word of a text: where it is (bytes) and how the index sees it.
struct TextWord {
  size_t begin;
  size_t end;
  std::u32string folded;
};

std::vector<TextWord> WordsOf(absl::string_view text) {
  std::vector<TextWord> words;
  size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    size_t length = text::DecodeOne(text.substr(i), &c);
    if (length == 0) length = 1;
    if (!IsWordCharacter(c)) {
      i += length;
      continue;
    }
    TextWord word{i, i, {}};
    while (i < text.size()) {
      length = text::DecodeOne(text.substr(i), &c);
      if (length == 0 || !IsWordCharacter(c)) break;
      word.folded.push_back(Fold(c));
      i += length;
    }
    word.end = i;
    words.push_back(std::move(word));
  }
  return words;
}

std::vector<std::u32string> FoldedWords(const std::vector<std::string>& words) {
  std::vector<std::u32string> folded;
  for (const std::string& word : words) {
    std::u32string one;
    for (char32_t c : text::DecodeUtf8(word)) one.push_back(Fold(c));
    folded.push_back(std::move(one));
  }
  return folded;
}

bool StartsWithAny(const std::u32string& word, const std::vector<std::u32string>& prefixes) {
  for (const std::u32string& prefix : prefixes) {
    if (word.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

}  // namespace

bool MentionsAny(absl::string_view text, const std::vector<std::string>& words) {
  const std::vector<std::u32string> prefixes = FoldedWords(words);
  for (const TextWord& word : WordsOf(text)) {
    if (StartsWithAny(word.folded, prefixes)) return true;
  }
  return false;
}

namespace {

// Keeps the first `max_chars` characters of the snippet, then "…". A highlighted part cut
// shorter than the word it matched is no longer a match, so it loses its highlight.
void CutSnippet(v1::Snippet& snippet, size_t max_chars, const std::vector<std::string>& words) {
  size_t chars = 0;
  for (int i = 0; i < snippet.parts_size(); ++i) {
    std::string& text = *snippet.mutable_parts(i)->mutable_text();
    for (size_t at = 0; at < text.size(); ++at) {
      const bool continues_a_character = (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
      if (continues_a_character || chars++ < max_chars) continue;
      text.resize(at);
      if (!MentionsAny(text, words)) snippet.mutable_parts(i)->set_highlighted(false);
      const int kept = text.empty() ? i : i + 1;
      snippet.mutable_parts()->DeleteSubrange(kept, snippet.parts_size() - kept);
      snippet.add_parts()->set_text("…");
      return;
    }
  }
}

}  // namespace

v1::Snippet MakeSnippet(absl::string_view language_code, absl::string_view text,
                        const std::vector<std::string>& words, int max_words) {
  v1::Snippet snippet;
  snippet.set_language_code(std::string(language_code));
  const std::vector<std::u32string> prefixes = FoldedWords(words);
  const std::vector<TextWord> text_words = WordsOf(text);
  if (text_words.empty()) return snippet;
  size_t first = 0;
  for (size_t i = 0; i < text_words.size(); ++i) {
    if (StartsWithAny(text_words[i].folded, prefixes)) {
      first = i;
      break;
    }
  }
  // A little context before the first match.
  const size_t begin_word = first > 3 ? first - 3 : 0;
  const size_t end_word =
      std::min(text_words.size(), begin_word + static_cast<size_t>(std::max(max_words, 1)));
  const size_t begin = begin_word == 0 ? 0 : text_words[begin_word].begin;
  const size_t end = end_word == text_words.size() ? text.size() : text_words[end_word - 1].end;
  const auto add = [&](std::string part_text, bool highlighted) {
    if (part_text.empty()) return;
    v1::SnippetPart* part = snippet.add_parts();
    part->set_text(std::move(part_text));
    part->set_highlighted(highlighted);
  };
  std::string plain = begin > 0 ? "…" : "";
  size_t at = begin;
  for (size_t i = begin_word; i < end_word; ++i) {
    if (!StartsWithAny(text_words[i].folded, prefixes)) continue;
    absl::StrAppend(&plain, text.substr(at, text_words[i].begin - at));
    add(std::exchange(plain, ""), false);
    add(std::string(text.substr(text_words[i].begin, text_words[i].end - text_words[i].begin)), true);
    at = text_words[i].end;
  }
  absl::StrAppend(&plain, text.substr(at, end - at));
  if (end < text.size()) plain.append("…");
  add(std::move(plain), false);
  CutSnippet(snippet, kMaxSnippetChars, words);
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
