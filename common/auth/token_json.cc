#include "common/auth/token_json.h"

#include <algorithm>
#include <system_error>

#include "absl/strings/charconv.h"
#include "common/text/utf8.h"

namespace summit::auth {
namespace {

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A recursive-descent reader over one JSON text. Every method returns false
// at the first thing RFC 8259 (or a limit in token_json.h) does not allow;
// the caller then gives up on the whole text.
class Reader {
 public:
  explicit Reader(absl::string_view text) : text_(text) {}

  bool AtEnd() {
    SkipWhitespace();
    return pos_ == text_.size();
  }

  // The object at the current position; the values of the members named in
  // `wanted` go to `kept`, the others are checked and dropped.
  bool ReadObject(int depth, absl::Span<const absl::string_view> wanted,
                  absl::InlinedVector<std::pair<absl::string_view, TokenJsonValue>, 6>* kept) {
    if (depth > TokenJsonObject::kMaxDepth || !Consume('{')) return false;
    absl::InlinedVector<std::string, 8> names;
    if (!Consume('}')) {
      do {
        std::string name;
        SkipWhitespace();
        if (!ReadString(&name) || !Consume(':')) return false;
        TokenJsonValue* value = nullptr;
        for (absl::string_view w : wanted) {
          if (w == name) {
            value = &kept->emplace_back(w, TokenJsonValue()).second;
            break;
          }
        }
        if (!ReadValue(depth, value)) return false;
        names.push_back(std::move(name));
      } while (Consume(','));
      if (!Consume('}')) return false;
    }
    std::sort(names.begin(), names.end());
    return std::adjacent_find(names.begin(), names.end()) == names.end();
  }

 private:
  void SkipWhitespace() {
    while (pos_ < text_.size() && IsJsonWhitespace(text_[pos_])) ++pos_;
  }

  // Skips whitespace, then takes `c` if it comes next.
  bool Consume(char c) {
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // The value at the current position (after whitespace), inside a
  // container at `depth`; described in `*out` unless it is nullptr.
  bool ReadValue(int depth, TokenJsonValue* out) {
    SkipWhitespace();
    if (pos_ == text_.size()) return false;
    const char c = text_[pos_];
    if (c == '"') {
      if (out == nullptr) return ReadString(nullptr);
      out->type = TokenJsonValue::Type::kString;
      return ReadString(&out->string_value);
    }
    if (c == '-' || IsDigit(c)) {
      double number = 0.0;
      if (!ReadNumber(&number)) return false;
      if (out != nullptr) {
        out->type = TokenJsonValue::Type::kNumber;
        out->number_value = number;
      }
      return true;
    }
    // Everything else is kOther, the default of a kept value.
    if (c == '{') return ReadObject(depth + 1, {}, nullptr);
    if (c == '[') return ReadArray(depth + 1);
    return ReadWord("true") || ReadWord("false") || ReadWord("null");
  }

  bool ReadArray(int depth) {
    if (depth > TokenJsonObject::kMaxDepth || !Consume('[')) return false;
    if (Consume(']')) return true;
    do {
      if (!ReadValue(depth, nullptr)) return false;
    } while (Consume(','));
    return Consume(']');
  }

  bool ReadWord(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool ReadNumber(double* out) {
    const size_t start = pos_;
    auto digits = [this] {
      const size_t first = pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
      return pos_ - first;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;  // a leading zero stands alone: "01" is refused below
    } else if (digits() == 0) {
      return false;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return false;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return false;
    }
    if (pos_ < text_.size() && IsDigit(text_[pos_])) return false;  // "01"
    // The grammar is checked; from_chars parses exactly this span, and a
    // range error (overflow, or underflow to zero) refuses the number.
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    const absl::from_chars_result result = absl::from_chars(first, last, *out);
    return result.ec == std::errc() && result.ptr == last;
  }

  // Four hex digits of a \u escape.
  bool ReadHex4(char32_t* out) {
    if (text_.size() - pos_ < 4) return false;
    char32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = HexValue(text_[pos_ + i]);
      if (digit < 0) return false;
      value = (value << 4) | static_cast<char32_t>(digit);
    }
    pos_ += 4;
    *out = value;
    return true;
  }

  // After "\u": one code point, a surrogate pair counting as one; a lone
  // surrogate encodes no character and is refused.
  bool ReadUnicodeEscape(char32_t* out) {
    char32_t unit = 0;
    if (!ReadHex4(&unit)) return false;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      char32_t low = 0;
      if (!ReadWord("\\u") || !ReadHex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    *out = unit;
    return true;
  }

  // The string at the current position, unescaped into `*out` unless it is
  // nullptr (then only checked).
  bool ReadString(std::string* out) {
    if (pos_ == text_.size() || text_[pos_] != '"') return false;
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      const unsigned char byte = static_cast<unsigned char>(c);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (byte < 0x20) return false;  // control characters must be escaped
      if (byte >= 0x80) {
        char32_t cp = 0;
        const size_t length = text::DecodeOne(text_.substr(pos_), &cp);
        if (length == 0) return false;
        if (out != nullptr) out->append(text_.data() + pos_, length);
        pos_ += length;
        continue;
      }
      ++pos_;
      if (c != '\\') {
        if (out != nullptr) out->push_back(c);
        continue;
      }
      if (pos_ == text_.size()) return false;
      const char escape = text_[pos_++];
      char plain = 0;
      switch (escape) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': {
          char32_t cp = 0;
          if (!ReadUnicodeEscape(&cp)) return false;
          if (out != nullptr) text::AppendUtf8(cp, out);
          continue;
        }
        default:
          return false;
      }
      if (out != nullptr) out->push_back(plain);
    }
    return false;  // no closing quote
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<TokenJsonObject> TokenJsonObject::Parse(absl::string_view json,
                                                      absl::Span<const absl::string_view> wanted) {
  TokenJsonObject object;
  Reader reader(json);
  if (!reader.ReadObject(1, wanted, &object.members_) || !reader.AtEnd()) return std::nullopt;
  return object;
}

const TokenJsonValue* TokenJsonObject::Find(absl::string_view name) const {
  for (const auto& [member, value] : members_) {
    if (member == name) return &value;
  }
  return nullptr;
}

}  // namespace summit::auth
