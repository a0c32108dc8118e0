#include "gateway/transcoder.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/text/json_quote.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"

namespace summit::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The JSON value a text from a path or query string stands for, as the
// field's JSON mapping expects it.
std::string JsonValueFor(const FieldDescriptor& field, absl::string_view text) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL:
      // The JSON mapping wants a literal; anything else fails to parse there.
      return text == "true" || text == "false" ? std::string(text) : text::JsonQuote(text);
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_ENUM:
    case FieldDescriptor::CPPTYPE_STRING:
    case FieldDescriptor::CPPTYPE_MESSAGE:
      // Numbers may be quoted in the JSON mapping; enums by name are
      // strings; well-known types (Timestamp, FieldMask…) are strings.
      return text::JsonQuote(text);
  }
  return text::JsonQuote(text);
}

// Splits a query string into decoded (name, value) pairs; '+' is a space.
bool ParseQuery(absl::string_view query, std::vector<std::pair<std::string, std::string>>& out) {
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    const size_t equals = pair.find('=');
    std::string name(pair.substr(0, equals));
    std::string value(equals == absl::string_view::npos ? "" : pair.substr(equals + 1));
    absl::StrReplaceAll({{"+", " "}}, &name);
    absl::StrReplaceAll({{"+", " "}}, &value);
    std::optional<std::string> plain_name = PercentDecode(name);
    std::optional<std::string> plain_value = PercentDecode(value);
    if (!plain_name.has_value() || !plain_value.has_value()) return false;
    out.emplace_back(*std::move(plain_name), *std::move(plain_value));
  }
  return true;
}

// Whether `text` is one JSON value and nothing more, by RFC 8259's grammar.
// The protobuf JSON parser is more lenient (it takes unquoted keys and
// trailing commas, for one), and what it takes would become a call: a body
// must pass this first.
class StrictJson {
 public:
  static bool Valid(absl::string_view text) {
    StrictJson json(text);
    json.SkipBlanks();
    if (!json.Value(0)) return false;
    json.SkipBlanks();
    return json.at_ == text.size();
  }

 private:
  // Deeper than the protobuf parser goes anyway; bounds the recursion.
  static constexpr int kMaxDepth = 100;

  explicit StrictJson(absl::string_view text) : text_(text) {}

  bool Peek(char c) const { return at_ < text_.size() && text_[at_] == c; }
  bool PeekDigit() const { return at_ < text_.size() && absl::ascii_isdigit(static_cast<unsigned char>(text_[at_])); }
  void SkipBlanks() {
    while (Peek(' ') || Peek('\t') || Peek('\n') || Peek('\r')) ++at_;
  }
  bool Word(absl::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  bool Value(int depth) {
    if (at_ >= text_.size()) return false;
    switch (text_[at_]) {
      case '{': return Container(depth + 1, '}', /*members=*/true);
      case '[': return Container(depth + 1, ']', /*members=*/false);
      case '"': return String();
      case 't': return Word("true");
      case 'f': return Word("false");
      case 'n': return Word("null");
      default: return Number();
    }
  }

  // An object (`members`: "key": value pairs) or an array, at the opening
  // bracket.
  bool Container(int depth, char close, bool members) {
    if (depth > kMaxDepth) return false;
    ++at_;
    SkipBlanks();
    if (Peek(close)) {
      ++at_;
      return true;
    }
    while (true) {
      SkipBlanks();
      if (members) {
        if (!Peek('"') || !String()) return false;
        SkipBlanks();
        if (!Peek(':')) return false;
        ++at_;
        SkipBlanks();
      }
      if (!Value(depth)) return false;
      SkipBlanks();
      if (Peek(',')) {
        ++at_;
        continue;
      }
      if (!Peek(close)) return false;
      ++at_;
      return true;
    }
  }

  bool String() {
    ++at_;  // the opening quote
    while (at_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[at_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') continue;
      if (at_ >= text_.size()) return false;
      const char escaped = text_[at_++];
      if (escaped == 'u') {
        for (int i = 0; i < 4; ++i, ++at_) {
          if (at_ >= text_.size() || !absl::ascii_isxdigit(static_cast<unsigned char>(text_[at_]))) {
            return false;
          }
        }
      } else if (!absl::StrContains("\"\\/bfnrt", escaped)) {
        return false;
      }
    }
    return false;
  }

  bool Number() {
    if (Peek('-')) ++at_;
    if (Peek('0')) {
      ++at_;
    } else if (PeekDigit()) {
      while (PeekDigit()) ++at_;
    } else {
      return false;
    }
    if (Peek('.')) {
      ++at_;
      if (!PeekDigit()) return false;
      while (PeekDigit()) ++at_;
    }
    if (Peek('e') || Peek('E')) {
      ++at_;
      if (Peek('+') || Peek('-')) ++at_;
      if (!PeekDigit()) return false;
      while (PeekDigit()) ++at_;
    }
    return true;
  }

  const absl::string_view text_;
  size_t at_ = 0;
};

// Sets a singular string or int32 field to `text` directly when the JSON
// mapping would surely read it so (printable ASCII for a string; a plain
// decimal of at most nine digits for an int32), sparing the JSON converter
// on the common path variables and page sizes. False: the caller takes the
// JSON mapping's way, which also words any error.
bool SetPlainly(Message& holder, const FieldDescriptor& field, absl::string_view text) {
  if (field.is_repeated()) return false;
  if (field.type() == FieldDescriptor::TYPE_STRING) {
    for (const char c : text) {
      if (c < 0x20 || c > 0x7e) return false;
    }
    holder.GetReflection()->SetString(&holder, &field, std::string(text));
    return true;
  }
  if (field.type() == FieldDescriptor::TYPE_INT32) {
    absl::string_view digits = text;
    if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 9 || (digits.size() > 1 && digits.front() == '0') ||
        !std::all_of(digits.begin(), digits.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
      return false;
    }
    int32_t number = 0;
    if (!absl::SimpleAtoi(text, &number)) return false;
    holder.GetReflection()->SetInt32(&holder, &field, number);
    return true;
  }
  return false;
}

HttpError BadRequest(std::string message, std::string field = "") {
  return HttpError{400, grpc::StatusCode::INVALID_ARGUMENT, std::move(message), std::move(field)};
}

}  // namespace

int Transcoder::HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return 200;
    case grpc::StatusCode::CANCELLED: return 499;
    case grpc::StatusCode::UNKNOWN: return 500;
    case grpc::StatusCode::INVALID_ARGUMENT: return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return 504;
    case grpc::StatusCode::NOT_FOUND: return 404;
    case grpc::StatusCode::ALREADY_EXISTS: return 409;
    case grpc::StatusCode::PERMISSION_DENIED: return 403;
    case grpc::StatusCode::UNAUTHENTICATED: return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return 429;
    case grpc::StatusCode::FAILED_PRECONDITION: return 400;
    case grpc::StatusCode::ABORTED: return 409;
    case grpc::StatusCode::OUT_OF_RANGE: return 400;
    case grpc::StatusCode::UNIMPLEMENTED: return 501;
    case grpc::StatusCode::INTERNAL: return 500;
    case grpc::StatusCode::UNAVAILABLE: return 503;
    case grpc::StatusCode::DATA_LOSS: return 500;
    default: return 500;
  }
}

bool Transcoder::SetField(Message& request, absl::string_view field_path, absl::string_view value,
                          bool from_path, HttpError& error) const {
  // Walk to the message that holds the last field, creating the way.
  Message* holder = &request;
  std::vector<absl::string_view> parts = absl::StrSplit(field_path, '.');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const FieldDescriptor* field = holder->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (field == nullptr) field = holder->GetDescriptor()->FindFieldByLowercaseName(std::string(parts[i]));
    if (field == nullptr) {
      for (int f = 0; f < holder->GetDescriptor()->field_count(); ++f) {
        if (holder->GetDescriptor()->field(f)->json_name() == parts[i]) field = holder->GetDescriptor()->field(f);
      }
    }
    if (field == nullptr || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
        field->is_repeated()) {
      error = BadRequest(absl::StrCat("unknown parameter \"", field_path, "\""), std::string(field_path));
      return false;
    }
    holder = holder->GetReflection()->MutableMessage(holder, field);
  }
  const Descriptor* type = holder->GetDescriptor();
  const std::string leaf(parts.back());
  const FieldDescriptor* field = type->FindFieldByName(leaf);
  if (field == nullptr) {
    for (int f = 0; f < type->field_count(); ++f) {
      if (type->field(f)->json_name() == leaf) field = type->field(f);
    }
  }
  const bool is_plain_message = field != nullptr &&
                                field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                                !absl::StartsWith(field->message_type()->full_name(), "google.protobuf.");
  if (field == nullptr || is_plain_message || field->is_map()) {
    error = BadRequest(absl::StrCat("unknown parameter \"", field_path, "\""), std::string(field_path));
    return false;
  }
  if (SetPlainly(*holder, *field, value)) return true;
  // Parse `{"leaf": value}` into a fresh message of the holder's type and
  // merge it: the JSON mapping checks the type, and merging appends to
  // repeated fields and sets singular ones.
  const std::string json = absl::StrCat("{", text::JsonQuote(field->name()), ":",
                                        field->is_repeated() ? "[" : "",
                                        JsonValueFor(*field, value),
                                        field->is_repeated() ? "]" : "", "}");
  std::string bytes;
  google::protobuf::util::JsonParseOptions options;
  const auto parsed = google::protobuf::util::JsonToBinaryString(
      &contract_.resolver(), Contract::TypeUrl(type), json, &bytes, options);
  if (!parsed.ok()) {
    error = BadRequest(absl::StrCat(from_path ? "path" : "query", " parameter \"", field_path,
                                    "\": ", std::string(parsed.message())),
                       std::string(field_path));
    return false;
  }
  if (!holder->MergeFromString(bytes)) {
    error = BadRequest(absl::StrCat("parameter \"", field_path, "\" cannot be read"),
                       std::string(field_path));
    return false;
  }
  return true;
}

bool Transcoder::ToCall(absl::string_view http_method, absl::string_view target,
                        absl::string_view body, GrpcCall& call, HttpError& error) const {
  const size_t question = target.find('?');
  const absl::string_view path = target.substr(0, question);
  const absl::string_view query =
      question == absl::string_view::npos ? absl::string_view() : target.substr(question + 1);
  std::vector<Contract::Match> matches = contract_.Find(http_method, path);
  if (matches.empty()) {
    if (contract_.PathExists(path)) {
      error = HttpError{405, grpc::StatusCode::UNIMPLEMENTED,
                        absl::StrCat("method ", http_method, " is not allowed on this path"), ""};
    } else {
      error = HttpError{404, grpc::StatusCode::NOT_FOUND, "no such route", ""};
    }
    return false;
  }
  const Contract::Match& match = matches.front();
  const Route& route = *match.route;
  std::unique_ptr<Message> request = contract_.NewMessage(route.method->input_type());

  // The body first, so that path variables win over it.
  const bool has_body = !absl::StripAsciiWhitespace(body).empty();
  if (route.body.empty() && has_body) {
    error = BadRequest(absl::StrCat(http_method, " ", route.path.text(), " takes no body"));
    return false;
  }
  if (!route.body.empty() && has_body) {
    google::protobuf::util::JsonParseOptions options;  // unknown fields are errors
    std::string bytes;
    const Descriptor* body_type = route.body == "*"
                                      ? route.method->input_type()
                                      : route.method->input_type()->FindFieldByName(route.body)->message_type();
    if (body_type == nullptr) {
      error = BadRequest("the body field is not a message");
      return false;
    }
    if (!StrictJson::Valid(body)) {
      error = BadRequest("the body is not valid JSON", route.body == "*" ? "" : route.body);
      return false;
    }
    const auto parsed = google::protobuf::util::JsonToBinaryString(
        &contract_.resolver(), Contract::TypeUrl(body_type), std::string(body), &bytes, options);
    if (!parsed.ok()) {
      error = BadRequest(absl::StrCat("the body is not a valid ", body_type->full_name(), ": ",
                                      std::string(parsed.message())),
                         route.body == "*" ? "" : route.body);
      return false;
    }
    Message* target_message =
        route.body == "*" ? request.get()
                          : request->GetReflection()->MutableMessage(
                                request.get(), route.method->input_type()->FindFieldByName(route.body));
    if (!target_message->MergeFromString(bytes)) {
      error = BadRequest("the body cannot be read");
      return false;
    }
  }
  for (const PathBinding& binding : match.bindings) {
    if (!SetField(*request, binding.field_path, binding.value, /*from_path=*/true, error)) return false;
  }
  std::vector<std::pair<std::string, std::string>> parameters;
  if (!ParseQuery(query, parameters)) {
    error = BadRequest("the query string has a malformed %-escape");
    return false;
  }
  for (const auto& [name, value] : parameters) {
    if (route.body == "*") {
      error = BadRequest(absl::StrCat("unknown parameter \"", name, "\": this method takes its request in the body"), name);
      return false;
    }
    if (!SetField(*request, name, value, /*from_path=*/false, error)) return false;
  }
  call.route = &route;
  call.request = request->SerializeAsString();
  return true;
}

bool Transcoder::MessageToJson(const Descriptor* type, const std::string& bytes,
                               std::string& json) const {
  google::protobuf::util::JsonPrintOptions options;
  return google::protobuf::util::BinaryToJsonString(&contract_.resolver(), Contract::TypeUrl(type),
                                                    bytes, &json, options)
      .ok();
}

bool Transcoder::ResponseToJson(const Route& route, const std::string& response, std::string& json,
                                HttpError& error) const {
  if (MessageToJson(route.method->output_type(), response, json)) return true;
  error = HttpError{502, grpc::StatusCode::INTERNAL, "the backend's answer could not be read", ""};
  return false;
}

std::string Transcoder::StatusJson(const grpc::Status& status) const {
  std::string json;
  if (!status.error_details().empty() &&
      MessageToJson(contract_.pool().FindMessageTypeByName("google.rpc.Status"),
                    status.error_details(), json)) {
    return json;
  }
  google::rpc::Status plain;
  plain.set_code(static_cast<int>(status.error_code()));
  plain.set_message(status.error_message());
  return absl::StrCat("{\"code\":", plain.code(), ",\"message\":", text::JsonQuote(plain.message()), "}");
}

std::string Transcoder::ErrorJson(const HttpError& error) const {
  std::string json = absl::StrCat("{\"code\":", static_cast<int>(error.code),
                                  ",\"message\":", text::JsonQuote(error.message));
  if (!error.field.empty()) {
    absl::StrAppend(&json,
                    ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\","
                    "\"fieldViolations\":[{\"field\":",
                    text::JsonQuote(error.field), ",\"description\":", text::JsonQuote(error.message), "}]}]");
  }
  absl::StrAppend(&json, "}");
  return json;
}

}  // namespace summit::gateway
