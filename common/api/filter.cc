#include "common/api/filter.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/field_checks.h"
#include "common/status/error.h"

namespace summit::api {
namespace {

bool IsBareWordChar(char c) {
  return absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == ':';
}

// A cursor over the filter text that reports errors with their position.
class FilterParser {
 public:
  FilterParser(absl::string_view text, absl::Span<const absl::string_view> allowed)
      : text_(text), allowed_(allowed) {}

  absl::StatusOr<std::vector<FilterTerm>> Parse() {
    std::vector<FilterTerm> terms;
    SkipSpaces();
    if (AtEnd()) return terms;
    while (true) {
      absl::StatusOr<FilterTerm> term = ParseTerm();
      if (!term.ok()) return term.status();
      terms.push_back(*std::move(term));
      SkipSpaces();
      if (AtEnd()) return terms;
      while (ConsumeKeyword("OR")) {
        absl::StatusOr<FilterTerm> alternative = ParseTerm();
        if (!alternative.ok()) return alternative.status();
        FilterTerm& last = terms.back();
        if (alternative->field != last.field) {
          return Error("OR joins conditions on one field (e.g. speaker = \"a\" OR speaker = \"b\")");
        }
        if (last.values.size() >= kMaxFilterAlternatives) {
          return Error(absl::StrCat("at most ", kMaxFilterAlternatives, " alternatives joined by OR"));
        }
        last.values.push_back(std::move(alternative->values.front()));
        SkipSpaces();
      }
      if (AtEnd()) return terms;
      if (!ConsumeKeyword("AND")) {
        return Error("expected AND or OR between conditions (field = value)");
      }
    }
  }

 private:
  absl::StatusOr<FilterTerm> ParseTerm() {
    SkipSpaces();
    const size_t start = pos_;
    while (!AtEnd() && (absl::ascii_isalnum(text_[pos_]) || text_[pos_] == '_')) ++pos_;
    std::string field(text_.substr(start, pos_ - start));
    if (field.empty()) return Error("expected a field name");
    if (std::find(allowed_.begin(), allowed_.end(), field) == allowed_.end()) {
      return Error(absl::StrCat("cannot filter on ", EchoInput(field), "; fields: ",
                                absl::StrJoin(allowed_, ", ")),
                   start);
    }
    SkipSpaces();
    if (AtEnd() || text_[pos_] != '=') return Error("expected = after the field name");
    ++pos_;
    SkipSpaces();
    absl::StatusOr<std::string> value = ParseValue();
    if (!value.ok()) return value.status();
    return FilterTerm{std::move(field), {*std::move(value)}};
  }

  absl::StatusOr<std::string> ParseValue() {
    if (AtEnd()) return Error("expected a value");
    if (text_[pos_] == '"') {
      ++pos_;
      std::string value;
      while (!AtEnd() && text_[pos_] != '"') {
        if (text_[pos_] == '\\') {
          ++pos_;
          if (AtEnd()) break;
        }
        value.push_back(text_[pos_++]);
      }
      if (AtEnd()) return Error("unterminated quoted value");
      ++pos_;
      return value;
    }
    const size_t start = pos_;
    while (!AtEnd() && IsBareWordChar(text_[pos_])) ++pos_;
    if (pos_ == start) return Error("expected a value: a \"quoted string\" or a word");
    return std::string(text_.substr(start, pos_ - start));
  }

  bool ConsumeKeyword(absl::string_view keyword) {
    if (text_.substr(pos_, keyword.size()) != keyword) return false;
    const size_t end = pos_ + keyword.size();
    if (end < text_.size() && !absl::ascii_isspace(text_[end])) return false;
    pos_ = end;
    return true;
  }

  void SkipSpaces() {
    while (!AtEnd() && absl::ascii_isspace(text_[pos_])) ++pos_;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }

  absl::Status Error(absl::string_view why) const { return Error(why, pos_); }
  absl::Status Error(absl::string_view why, size_t at) const {
    return InvalidArgumentError({{"filter", absl::StrCat(why, " (at character ", at + 1, ")")}});
  }

  absl::string_view text_;
  absl::Span<const absl::string_view> allowed_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(
    absl::string_view filter, absl::Span<const absl::string_view> allowed_fields) {
  if (filter.size() > kMaxFilterLength) {
    return InvalidArgumentError(
        {{"filter", absl::StrCat("must be at most ", kMaxFilterLength, " characters")}});
  }
  // No stored text holds a NUL, another control or a text-direction
  // character, so no value holding one can match; and a database may refuse
  // such a parameter outright (PostgreSQL: NUL in text).
  if (std::string problem = ParagraphsProblem(filter, kMaxFilterLength, /*required=*/false);
      !problem.empty()) {
    return InvalidArgumentError({{"filter", problem}});
  }
  return FilterParser(filter, allowed_fields).Parse();
}

}  // namespace summit::api
