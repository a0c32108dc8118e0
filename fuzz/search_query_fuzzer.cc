// The statements search (services/statements/statement_rules.h): the query parser (MatchQuery,
// QueryWords) on any query, and the snippet maker (MakeSnippet, MentionsAny) on any text with
// the query's words. Input: QUERY '\n' TEXT (no newline: the input is both).
//
// Promises checked: the FTS5 query quotes every word and holds nothing else (no syntax gets
// through to SQLite); snippets are pieces of the text in order, highlights are words of the
// query.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

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
  absl::StatusOr<std::string> match = st::MatchQuery(query, "query");
  if (match.ok()) {
    // "w1"* "w2"* …: each term a quoted word and a star, separated by single spaces.
    std::vector<std::string> terms = absl::StrSplit(*match, ' ');
    if (terms.size() != words.size()) std::abort();
    for (size_t i = 0; i < terms.size(); ++i) {
      if (terms[i] != "\"" + words[i] + "\"*") std::abort();
    }
  } else if (match.status().code() != absl::StatusCode::kInvalidArgument) {
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
