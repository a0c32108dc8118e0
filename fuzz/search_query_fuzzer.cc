// The statements search (services/statements/statement_rules.h): the query parser
// (SearchWords, QueryWords) and the queries made of its words (Fts5Query for SQLite,
// PostgresTsQuery for PostgreSQL) on any query, and the snippet maker (MakeSnippet,
// MentionsAny) on any text with the query's words. Input: QUERY '\n' TEXT (no newline: the
// input is both).
//
// Promises checked: both queries quote every word and hold nothing else (no search syntax gets
// through to the database); snippets are pieces of the text, highlights are words of the query.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/statements/statement_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace st = summit::statements;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const absl::string_view query = input.substr(0, newline);
  const absl::string_view text =
      newline == absl::string_view::npos ? input : input.substr(newline + 1);

  const std::vector<std::string> words = st::QueryWords(query);
  for (const std::string& word : words) {
    if (word.empty() || absl::StrContains(word, '"')) std::abort();
  }
  absl::StatusOr<std::vector<std::string>> checked = st::SearchWords(query, "query");
  if (checked.ok()) {
    if (*checked != words) std::abort();
    // Quoting a word is safe only if it holds no ASCII but letters and digits: no quote,
    // backslash, star, colon, operator or space of either search syntax.
    for (const std::string& word : *checked) {
      for (const char c : word) {
        if (static_cast<unsigned char>(c) < 0x80 && !absl::ascii_isalnum(c)) std::abort();
      }
    }
    // "w1"* "w2"* … for SQLite's FTS5; 'w1':* & 'w2':* … for PostgreSQL's to_tsquery.
    const std::vector<std::string> fts5 = absl::StrSplit(st::Fts5Query(*checked), ' ');
    const std::vector<std::string> tsquery =
        absl::StrSplit(st::PostgresTsQuery(*checked), " & ");
    if (fts5.size() != checked->size()) std::abort();
    for (size_t i = 0; i < checked->size(); ++i) {
      if (fts5[i] != "\"" + (*checked)[i] + "\"*") std::abort();
    }
    // PostgresTsQuery keeps only what stays a letter once PostgreSQL folds it, so a word may
    // give several lexemes or none; every one is quoted, a prefix, and free of tsquery syntax.
    const std::string joined = st::PostgresTsQuery(*checked);
    if (!joined.empty()) {
      for (const std::string& term : tsquery) {
        if (term.size() < 5 || term.front() != '\'' || term.substr(term.size() - 3) != "':*") {
          std::abort();
        }
        for (const char c : term.substr(1, term.size() - 4)) {
          if (static_cast<unsigned char>(c) < 0x80 && !absl::ascii_isalnum(c)) std::abort();
        }
      }
    }
  } else if (checked.status().code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }

  const summit::statements::v1::Snippet snippet = st::MakeSnippet("en", text, words, 12);
  for (const auto& part : snippet.parts()) {
    if (part.text().empty()) std::abort();
    if (part.highlighted() &&
        (!absl::StrContains(text, part.text()) || !st::MentionsAny(part.text(), words))) {
      std::abort();
    }
  }
  (void)st::MentionsAny(text, words);
  return 0;
}
