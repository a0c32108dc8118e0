// The path templates of google.api.http rules, e.g.
// "/v1/{name=events/*/statements/*}:publish": parsed once, then matched
// against request paths, giving the value of each variable by field path.
//
//   Template = "/" Segments [ ":" Verb ]
//   Segment  = "*" | "**" | LITERAL | "{" FieldPath [ "=" Segments ] "}"
#ifndef SUMMIT_GATEWAY_PATH_TEMPLATE_H_
#define SUMMIT_GATEWAY_PATH_TEMPLATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace summit::gateway {

// A variable's value, bound to the request field it fills.
struct PathBinding {
  std::string field_path;  // e.g. "statement.name"
  std::string value;       // e.g. "events/udib-2023/statements/unity"
};

class PathTemplate {
 public:
  // INVALID_ARGUMENT for a template that breaks the grammar.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // The bindings when `path` (no query string; percent-encoded as sent)
  // matches, else nullopt.
  std::optional<std::vector<PathBinding>> Match(absl::string_view path) const;

  // How specific the template is (its literal segments): when two
  // templates match one path, the more specific wins.
  int literal_count() const { return literal_count_; }
  const std::string& text() const { return text_; }
  const std::string& verb() const { return verb_; }
  // The variables' field paths, in order.
  std::vector<std::string> field_paths() const;

 private:
  struct Segment {
    enum Kind { kLiteral, kOne, kRest } kind;
    std::string literal;
  };
  struct Variable {
    std::string field_path;
    int first;  // index of its first segment
    int end;    // one past its last segment
  };

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
  int literal_count_ = 0;
};

// Percent-decodes `text`; nullopt when an escape is malformed.
std::optional<std::string> PercentDecode(absl::string_view text);

// Percent-encodes every byte but the unreserved ones (RFC 3986: letters,
// digits, "-._~"), e.g. for a value put into a query string.
std::string PercentEncode(absl::string_view text);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_PATH_TEMPLATE_H_
