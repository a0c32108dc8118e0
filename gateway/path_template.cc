#include "gateway/path_template.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace summit::gateway {
namespace {

absl::Status Malformed(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("path template \"", text, "\": ", why));
}

bool IsFieldPath(absl::string_view path) {
  if (path.empty()) return false;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (part.empty() || !(absl::ascii_isalpha(part[0]) || part[0] == '_')) return false;
    for (char c : part) {
      if (!absl::ascii_isalnum(c) && c != '_') return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::string PercentEncode(absl::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate result;
  result.text_ = std::string(text);
  if (text.empty() || text[0] != '/') return Malformed(text, "must start with /");
  absl::string_view rest = text.substr(1);
  // The verb follows the last ':' that is outside braces.
  int depth = 0;
  size_t verb_at = absl::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '{') ++depth;
    if (rest[i] == '}') --depth;
    if (rest[i] == ':' && depth == 0) verb_at = i;
  }
  if (verb_at != absl::string_view::npos) {
    result.verb_ = std::string(rest.substr(verb_at + 1));
    rest = rest.substr(0, verb_at);
    if (result.verb_.empty()) return Malformed(text, "empty verb");
  }
  // Split on '/' outside braces; a variable's own segments are split later.
  std::vector<std::string> parts;
  std::string current;
  depth = 0;
  for (char c : rest) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (depth < 0) return Malformed(text, "unbalanced }");
    if (c == '/' && depth == 0) {
      parts.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (depth != 0) return Malformed(text, "unbalanced {");
  parts.push_back(std::move(current));

  const auto add_segment = [&](absl::string_view part) -> absl::Status {
    if (part.empty()) return Malformed(text, "empty segment");
    if (!result.segments_.empty() && result.segments_.back().kind == Segment::kRest) {
      return Malformed(text, "** must be the last segment");
    }
    if (part == "*") {
      result.segments_.push_back({Segment::kOne, ""});
    } else if (part == "**") {
      result.segments_.push_back({Segment::kRest, ""});
    } else {
      if (part.find_first_of("{}*=") != absl::string_view::npos) {
        return Malformed(text, absl::StrCat("bad segment \"", part, "\""));
      }
      result.segments_.push_back({Segment::kLiteral, std::string(part)});
      ++result.literal_count_;
    }
    return absl::OkStatus();
  };

  for (const std::string& part : parts) {
    if (!part.empty() && part.front() == '{') {
      if (part.back() != '}') return Malformed(text, "a variable must be a whole segment");
      absl::string_view inside = absl::string_view(part).substr(1, part.size() - 2);
      const size_t equals = inside.find('=');
      const absl::string_view field = inside.substr(0, equals);
      if (!IsFieldPath(field)) return Malformed(text, absl::StrCat("bad field path \"", field, "\""));
      Variable variable{std::string(field), static_cast<int>(result.segments_.size()), 0};
      if (equals == absl::string_view::npos) {
        result.segments_.push_back({Segment::kOne, ""});
      } else {
        for (absl::string_view sub : absl::StrSplit(inside.substr(equals + 1), '/')) {
          absl::Status added = add_segment(sub);
          if (!added.ok()) return added;
        }
      }
      variable.end = static_cast<int>(result.segments_.size());
      result.variables_.push_back(std::move(variable));
    } else {
      absl::Status added = add_segment(part);
      if (!added.ok()) return added;
    }
  }
  return result;
}

std::optional<std::vector<PathBinding>> PathTemplate::Match(absl::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  absl::string_view rest = path.substr(1);
  // The verb: after the last ':' of the last segment.
  const size_t last_slash = rest.rfind('/');
  const size_t colon = rest.rfind(':');
  std::string verb;
  if (colon != absl::string_view::npos && (last_slash == absl::string_view::npos || colon > last_slash)) {
    verb = std::string(rest.substr(colon + 1));
    if (verb.empty()) return std::nullopt;  // ":" must name a verb
    rest = rest.substr(0, colon);
  }
  if (verb != verb_) return std::nullopt;
  std::vector<absl::string_view> parts = absl::StrSplit(rest, '/');
  std::vector<std::string> decoded;
  decoded.reserve(parts.size());
  for (absl::string_view part : parts) {
    std::optional<std::string> plain = PercentDecode(part);
    if (!plain.has_value() || plain->empty()) return std::nullopt;
    decoded.push_back(*std::move(plain));
  }
  // Where each template segment starts in the path (a ** takes the rest).
  std::vector<int> start(segments_.size() + 1, 0);
  size_t at = 0;
  for (size_t s = 0; s < segments_.size(); ++s) {
    start[s] = static_cast<int>(at);
    const Segment& segment = segments_[s];
    if (segment.kind == Segment::kRest) {
      if (at >= decoded.size()) return std::nullopt;
      at = decoded.size();
      continue;
    }
    if (at >= decoded.size()) return std::nullopt;
    if (segment.kind == Segment::kLiteral && decoded[at] != segment.literal) return std::nullopt;
    ++at;
  }
  if (at != decoded.size()) return std::nullopt;
  start[segments_.size()] = static_cast<int>(at);
  std::vector<PathBinding> bindings;
  for (const Variable& variable : variables_) {
    std::string value;
    for (int i = start[variable.first]; i < start[variable.end]; ++i) {
      if (!value.empty()) value.push_back('/');
      value += decoded[i];
    }
    bindings.push_back({variable.field_path, std::move(value)});
  }
  return bindings;
}

std::vector<std::string> PathTemplate::field_paths() const {
  std::vector<std::string> paths;
  for (const Variable& variable : variables_) paths.push_back(variable.field_path);
  return paths;
}

}  // namespace summit::gateway
