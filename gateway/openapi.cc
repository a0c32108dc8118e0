#include "gateway/openapi.h"

#include "common/text/json_quote.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"

namespace summit::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

// A JSON value whose objects keep their members in insertion order, so the
// document reads in the order of the contract and is the same on every run.
class Json {
 public:
  Json() = default;  // null
  Json(const char* text) : kind_(Kind::kString), text_(text) {}   // NOLINT: implicit by design
  Json(std::string text) : kind_(Kind::kString), text_(std::move(text)) {}  // NOLINT
  Json(bool value) : kind_(Kind::kLiteral), text_(value ? "true" : "false") {}  // NOLINT
  Json(int value) : kind_(Kind::kLiteral), text_(absl::StrCat(value)) {}  // NOLINT

  static Json Object() {
    Json json;
    json.kind_ = Kind::kObject;
    return json;
  }
  static Json Array() {
    Json json;
    json.kind_ = Kind::kArray;
    return json;
  }

  // The member `key` of an object, added as null when absent (a null
  // becomes an object).
  Json& operator[](const std::string& key) {
    if (kind_ == Kind::kNull) kind_ = Kind::kObject;
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == key) return values_[i];
    }
    keys_.push_back(key);
    values_.emplace_back();
    return values_.back();
  }
  bool Has(const std::string& key) const {
    for (const std::string& name : keys_) {
      if (name == key) return true;
    }
    return false;
  }
  // Appends to an array (a null becomes an array).
  Json& Push(Json value) {
    if (kind_ == Kind::kNull) kind_ = Kind::kArray;
    values_.push_back(std::move(value));
    return values_.back();
  }
  bool empty() const { return values_.empty(); }

  void Write(std::string& out) const {
    switch (kind_) {
      case Kind::kNull: out += "null"; return;
      case Kind::kLiteral: out += text_; return;
      case Kind::kString: WriteString(text_, out); return;
      case Kind::kArray:
        out += '[';
        for (size_t i = 0; i < values_.size(); ++i) {
          if (i > 0) out += ',';
          values_[i].Write(out);
        }
        out += ']';
        return;
      case Kind::kObject:
        out += '{';
        for (size_t i = 0; i < keys_.size(); ++i) {
          if (i > 0) out += ',';
          WriteString(keys_[i], out);
          out += ':';
          values_[i].Write(out);
        }
        out += '}';
        return;
    }
  }

 private:
  enum class Kind { kNull, kLiteral, kString, kArray, kObject };

  static void WriteString(absl::string_view text, std::string& out) { out += text::JsonQuote(text); }


  Kind kind_ = Kind::kNull;
  std::string text_;
  std::vector<std::string> keys_;  // objects
  std::vector<Json> values_;       // objects (beside keys_) and arrays
};

// A descriptor's leading comment without the "// " markers: the text the
// proto's author wrote, paragraphs kept (descriptions are CommonMark).
template <typename D>
std::string CommentOf(const D& descriptor) {
  google::protobuf::SourceLocation location;
  if (!descriptor.GetSourceLocation(&location)) return "";
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(location.leading_comments, '\n')) {
    if (absl::StartsWith(line, " ")) line.remove_prefix(1);
    lines.emplace_back(absl::StripTrailingAsciiWhitespace(line));
  }
  return std::string(absl::StripAsciiWhitespace(absl::StrJoin(lines, "\n")));
}

// The first sentence of a comment, on one line: an operation's summary.
std::string FirstSentence(absl::string_view comment) {
  absl::string_view paragraph = comment.substr(0, comment.find("\n\n"));
  std::string text = absl::StrJoin(absl::StrSplit(paragraph, '\n'), " ");
  for (size_t at = text.find(". "); at != std::string::npos; at = text.find(". ", at + 1)) {
    const absl::string_view before = absl::string_view(text).substr(0, at);
    if (absl::EndsWith(before, "e.g") || absl::EndsWith(before, "i.e")) continue;
    return text.substr(0, at + 1);
  }
  return text;
}

// "statements" → "statement", "people" → "person": the name of one item
// of a collection, for the path parameter that stands for its id.
std::string Singular(absl::string_view collection) {
  if (collection == "people") return "person";
  if (absl::EndsWith(collection, "ies") && collection.size() > 3) {
    return absl::StrCat(collection.substr(0, collection.size() - 3), "y");
  }
  for (absl::string_view ending : {"sses", "shes", "ches", "xes"}) {
    if (absl::EndsWith(collection, ending)) {
      return std::string(collection.substr(0, collection.size() - 2));
    }
  }
  if (absl::EndsWith(collection, "s") && !absl::EndsWith(collection, "ss")) {
    return std::string(collection.substr(0, collection.size() - 1));
  }
  return absl::StrCat(collection, "Id");
}

std::string SchemaRef(absl::string_view full_name) {
  return absl::StrCat("#/components/schemas/", full_name);
}

Json Ref(absl::string_view full_name) {
  Json ref = Json::Object();
  ref["$ref"] = SchemaRef(full_name);
  return ref;
}

Json TypeSchema(const char* type, const char* format = nullptr) {
  Json schema = Json::Object();
  schema["type"] = type;
  if (format != nullptr) schema["format"] = format;
  return schema;
}

// Whether `name` (a message's full name) is one of the JSON mapping's
// well-known types, written in their own JSON forms rather than as objects.
bool IsWellKnown(absl::string_view name) {
  static const std::set<absl::string_view> kNames = {
      "google.protobuf.Any",         "google.protobuf.Duration",    "google.protobuf.Empty",
      "google.protobuf.FieldMask",   "google.protobuf.ListValue",   "google.protobuf.Struct",
      "google.protobuf.Timestamp",   "google.protobuf.Value",       "google.protobuf.BoolValue",
      "google.protobuf.BytesValue",  "google.protobuf.DoubleValue", "google.protobuf.FloatValue",
      "google.protobuf.Int32Value",  "google.protobuf.Int64Value",  "google.protobuf.StringValue",
      "google.protobuf.UInt32Value", "google.protobuf.UInt64Value"};
  return kNames.count(name) > 0;
}

// The schema of a well-known type's JSON form (IsWellKnown(name)).
Json WellKnownSchema(absl::string_view name) {
  if (name == "google.protobuf.Timestamp") return TypeSchema("string", "date-time");
  if (name == "google.protobuf.Duration") {
    Json schema = TypeSchema("string");
    schema["description"] = "Seconds with up to 9 fractional digits and the suffix `s`, e.g. `1.5s`.";
    schema["example"] = "1.5s";
    return schema;
  }
  if (name == "google.protobuf.FieldMask") {
    Json schema = TypeSchema("string");
    schema["description"] = "Field paths in lowerCamel, separated by commas, e.g. `title,bodies`.";
    return schema;
  }
  if (name == "google.protobuf.Empty") return TypeSchema("object");
  if (name == "google.protobuf.Struct") {
    Json schema = TypeSchema("object");
    schema["additionalProperties"] = true;
    return schema;
  }
  if (name == "google.protobuf.Value") {
    Json schema = Json::Object();
    schema["description"] = "Any JSON value.";
    schema["nullable"] = true;
    return schema;
  }
  if (name == "google.protobuf.ListValue") {
    Json schema = TypeSchema("array");
    schema["items"] = Json::Object();
    return schema;
  }
  if (name == "google.protobuf.Any") {
    Json schema = TypeSchema("object");
    schema["description"] =
        "A message of any type: `@type` names it (`type.googleapis.com/<full name>`), the other "
        "members are its fields.";
    schema["properties"]["@type"] = TypeSchema("string");
    schema["required"].Push("@type");
    schema["additionalProperties"] = true;
    return schema;
  }
  // The wrappers: their value's form, or null.
  Json schema;
  if (name == "google.protobuf.BoolValue") schema = TypeSchema("boolean");
  if (name == "google.protobuf.BytesValue") schema = TypeSchema("string", "byte");
  if (name == "google.protobuf.DoubleValue") schema = TypeSchema("number", "double");
  if (name == "google.protobuf.FloatValue") schema = TypeSchema("number", "float");
  if (name == "google.protobuf.Int32Value") schema = TypeSchema("integer", "int32");
  if (name == "google.protobuf.Int64Value") schema = TypeSchema("string", "int64");
  if (name == "google.protobuf.StringValue") schema = TypeSchema("string");
  if (name == "google.protobuf.UInt32Value") schema = TypeSchema("integer", "int64");
  if (name == "google.protobuf.UInt64Value") schema = TypeSchema("string", "uint64");
  schema["nullable"] = true;
  return schema;
}

// The OpenAPI name of an HTTP method, or "" for one OpenAPI cannot name.
std::string OperationKey(absl::string_view http_method) {
  const std::string key = absl::AsciiStrToLower(http_method);
  static const std::set<std::string> kKnown = {"get",  "put",     "post", "delete",
                                               "options", "head", "patch", "trace"};
  return kKnown.count(key) > 0 ? key : "";
}

// One parameter of an OpenAPI path: a wildcard segment of a template.
struct PathParameter {
  std::string name;        // e.g. "statement"
  std::string field_path;  // the request field it fills, e.g. "name"; "" for none
  std::string pattern;     // that variable's pattern, e.g. "events/*/statements/*"
  std::string shape;       // the pattern with names, "events/{event}/statements/{statement}"
  bool rest = false;       // a "**": several segments
};

struct OpenApiPath {
  std::string text;  // e.g. "/v1/events/{event}/statements/{statement}:publish"
  std::vector<PathParameter> parameters;
};

// The OpenAPI path of a template. A variable's pattern is written out, one
// parameter per wildcard ("{name=events/*/statements/*}" becomes
// "events/{event}/statements/{statement}"): an OpenAPI path parameter is
// one segment, which clients percent-encode ('/' as %2F, which the
// transcoder does not split on), and "{name}" alone would give many RPCs
// the same path and method ("GET /v1/{name}" for GetEvent, GetPerson,
// GetStatement…), which OpenAPI cannot tell apart.
OpenApiPath ToOpenApiPath(const PathTemplate& path) {
  absl::string_view rest = path.text();
  if (absl::StartsWith(rest, "/")) rest.remove_prefix(1);
  if (!path.verb().empty()) rest.remove_suffix(path.verb().size() + 1);
  // Split on '/' outside braces, as the template's grammar does.
  std::vector<std::string> parts(1);
  int depth = 0;
  for (char c : rest) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == '/' && depth == 0) {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }

  OpenApiPath result;
  std::set<std::string> taken;
  const auto unique_name = [&](std::string name) {
    std::string candidate = name;
    for (int n = 2; taken.count(candidate) > 0; ++n) candidate = absl::StrCat(name, "_", n);
    taken.insert(candidate);
    return candidate;
  };
  std::vector<std::string> out;
  int anonymous = 0;
  for (const std::string& part : parts) {
    if (part.empty() || part.front() != '{') {
      if (part == "*" || part == "**") {
        // A wildcard outside any variable: matched, bound to no field.
        PathParameter parameter{unique_name(absl::StrCat("segment", ++anonymous)), "", part, "",
                                part == "**"};
        parameter.shape = absl::StrCat("{", parameter.name, "}");
        out.push_back(parameter.shape);
        result.parameters.push_back(std::move(parameter));
      } else {
        out.push_back(part);
      }
      continue;
    }
    absl::string_view inside = absl::string_view(part).substr(1, part.size() - 2);
    const size_t equals = inside.find('=');
    const std::string field_path(inside.substr(0, equals));
    const std::string pattern(equals == absl::string_view::npos ? "*" : inside.substr(equals + 1));
    std::vector<std::string> segments = absl::StrSplit(pattern, '/');
    int wildcards = 0;
    for (const std::string& segment : segments) wildcards += segment == "*" || segment == "**";
    std::vector<PathParameter> own;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (segments[i] != "*" && segments[i] != "**") continue;
      const bool after_literal = i > 0 && segments[i - 1] != "*" && segments[i - 1] != "**";
      // Named for the collection it is an id in ("events/*": event), else
      // (and for a "**", which is the rest of the name) for the field.
      const bool rest = segments[i] == "**";
      std::string name = after_literal && !rest ? Singular(segments[i - 1])
                         : wildcards == 1       ? field_path
                                                : absl::StrCat(field_path, "_", own.size() + 1);
      own.push_back({unique_name(std::move(name)), field_path, pattern, "", rest});
      segments[i] = absl::StrCat("{", own.back().name, "}");
    }
    const std::string shape = absl::StrJoin(segments, "/");
    for (PathParameter& parameter : own) {
      parameter.shape = shape;
      result.parameters.push_back(std::move(parameter));
    }
    out.push_back(shape);
  }
  result.text = absl::StrCat("/", absl::StrJoin(out, "/"));
  if (!path.verb().empty()) absl::StrAppend(&result.text, ":", path.verb());
  return result;
}

// The field a dotted path of proto names reaches from `type`, or null.
const FieldDescriptor* FieldAt(const Descriptor* type, absl::string_view field_path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(field_path, '.')) {
    if (type == nullptr) return nullptr;
    field = type->FindFieldByName(std::string(part));
    if (field == nullptr) return nullptr;
    type = field->message_type();
  }
  return field;
}

// Builds the document: paths first, gathering the messages and enums they
// name, then a schema for each of those and for what their fields name.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(const Contract& contract) : contract_(contract) {}

  std::string Build() {
    Json document = Json::Object();
    document["openapi"] = "3.0.3";
    document["info"] = Info();
    Json& tags = document["tags"] = Json::Array();
    for (const auto* service : contract_.services()) {
      Json tag = Json::Object();
      tag["name"] = service->name();
      const std::string comment = CommentOf(*service);
      if (!comment.empty()) tag["description"] = comment;
      tags.Push(std::move(tag));
    }
    document["paths"] = Paths();

    // The error of every operation.
    if (const Descriptor* status = contract_.pool().FindMessageTypeByName("google.rpc.Status")) {
      Need(status);
    } else {
      schemas_["google.rpc.Status"] = FallbackStatusSchema();
    }
    while (!pending_.empty()) {
      const Descriptor* type = pending_.back();
      pending_.pop_back();
      schemas_[type->full_name()] = MessageSchema(*type);
    }
    Json& components = document["components"] = Json::Object();
    Json& schemas = components["schemas"] = Json::Object();
    for (auto& [name, schema] : schemas_) schemas[name] = std::move(schema);
    Json& bearer = components["securitySchemes"]["bearerAuth"];
    bearer["type"] = "http";
    bearer["scheme"] = "bearer";
    bearer["bearerFormat"] = "JWT";
    bearer["description"] = "A Summit token; without one, the call is the public's.";
    // A token is optional: the public may read what is public.
    Json& security = document["security"] = Json::Array();
    security.Push(Json::Object())["bearerAuth"] = Json::Array();
    security.Push(Json::Object());

    std::string out;
    document.Write(out);
    return out;
  }

 private:
  Json Info() {
    Json info = Json::Object();
    info["title"] = "Summit";
    info["version"] = "v1";
    std::string description =
        "The HTTP/JSON API of Summit, transcoded by the gateway to the gRPC services from their "
        "`google.api.http` annotations. Bodies and responses are the protobuf JSON mapping "
        "(lowerCamel names, enums by name, 64-bit integers as strings); errors are "
        "`google.rpc.Status`. A resource name such as `events/{event}/statements/{statement}` is "
        "written out in the path, one parameter per id.\n";
    for (const auto* service : contract_.services()) {
      const std::string summary = FirstSentence(CommentOf(*service));
      absl::StrAppend(&description, "\n- **", service->name(), "**", summary.empty() ? "" : ": ",
                      summary);
    }
    info["description"] = std::move(description);
    return info;
  }

  Json Paths() {
    Json paths = Json::Object();
    std::map<std::string, int> operation_ids;
    for (const Route& route : contract_.routes()) {
      const std::string key = OperationKey(route.http_method);
      if (key.empty()) continue;
      const OpenApiPath path = ToOpenApiPath(route.path);
      Json& item = paths[path.text];
      // The same path and method twice: the transcoder serves the first
      // (Contract::Find keeps the order of equally specific routes).
      if (item.Has(key)) continue;
      std::string id = absl::StrCat(route.method->service()->name(), "_", route.method->name());
      // An additional binding of the same RPC needs an id of its own.
      if (const int seen = operation_ids[id]++; seen > 0) absl::StrAppend(&id, "_", seen + 1);
      item[key] = Operation(route, path, id);
    }
    return paths;
  }

  Json Operation(const Route& route, const OpenApiPath& path, const std::string& id) {
    const auto& method = *route.method;
    const Descriptor* input = method.input_type();
    Json operation = Json::Object();
    operation["operationId"] = id;
    const std::string comment = CommentOf(method);
    if (!comment.empty()) {
      operation["summary"] = FirstSentence(comment);
      operation["description"] = comment;
    }
    operation["tags"].Push(method.service()->name());

    Json parameters = Json::Array();
    for (const PathParameter& parameter : path.parameters) {
      parameters.Push(PathParameterJson(parameter, input));
    }
    if (route.body != "*") {
      // The fields neither in the path nor in the body come from the query.
      std::set<std::string> bound;
      for (const std::string& field_path : route.path.field_paths()) bound.insert(field_path);
      if (!route.body.empty()) bound.insert(route.body);
      AddQueryParameters(*input, "", "", 1, bound, parameters);
    }
    if (method.server_streaming()) {
      Json header = Json::Object();
      header["name"] = "Last-Event-ID";
      header["in"] = "header";
      header["description"] =
          "The id of the last event received (its resume token): the stream continues right "
          "after it. The same as the `resumeToken` parameter.";
      header["schema"] = TypeSchema("string");
      parameters.Push(std::move(header));
    }
    if (!parameters.empty()) operation["parameters"] = std::move(parameters);

    if (!route.body.empty()) operation["requestBody"] = RequestBody(route);

    Json& responses = operation["responses"] = Json::Object();
    Json& ok = responses["200"] = Json::Object();
    const Descriptor* output = method.output_type();
    if (method.server_streaming()) {
      ok["description"] = absl::StrCat(
          "A stream of events: one JSON ", output->name(),
          " per event; SSE ids are resume tokens, send Last-Event-ID to resume. Server-Sent "
          "Events by default (`data:` the JSON; an error after the start comes as `event: "
          "error` with a google.rpc.Status); newline-delimited JSON when the request's Accept "
          "names `application/x-ndjson` (an error comes as a line `{\"error\": Status}`).");
      ok["content"]["text/event-stream"]["schema"] = MessageSchemaRef(output);
      ok["content"]["application/x-ndjson"]["schema"] = MessageSchemaRef(output);
    } else {
      ok["description"] = absl::StrCat("The ", output->name(), ".");
      ok["content"]["application/json"]["schema"] = MessageSchemaRef(output);
    }
    Json& error = responses["default"] = Json::Object();
    error["description"] =
        "The error: its HTTP status follows the gRPC code (e.g. NOT_FOUND is 404), the body is "
        "a google.rpc.Status with its details.";
    error["content"]["application/json"]["schema"] = Ref("google.rpc.Status");
    operation["x-summit-grpc-method"] = route.grpc_path;
    return operation;
  }

  Json PathParameterJson(const PathParameter& parameter, const Descriptor* input) {
    Json json = Json::Object();
    json["name"] = parameter.name;
    json["in"] = "path";
    json["required"] = true;
    std::string description;
    if (parameter.field_path.empty()) {
      description = "Any one segment (not read by the service).";
    } else if (parameter.shape == absl::StrCat("{", parameter.name, "}")) {
      // The whole field, e.g. "{event_id}".
      const FieldDescriptor* field = FieldAt(input, parameter.field_path);
      description = absl::StrCat("The request's `", parameter.field_path, "`.");
      if (field != nullptr) {
        const std::string comment = CommentOf(*field);
        if (!comment.empty()) absl::StrAppend(&description, " ", comment);
      }
    } else {
      description = absl::StrCat("The `{", parameter.name, "}` of the request's `",
                                 parameter.field_path, "`, `", parameter.shape, "`.");
    }
    if (parameter.rest) {
      absl::StrAppend(&description,
                      " Spans one or more segments: its slashes are part of the value and are "
                      "sent as they are, not as %2F.");
    }
    json["description"] = std::move(description);
    json["schema"] = TypeSchema("string");
    if (!parameter.field_path.empty()) json["x-summit-field"] = parameter.field_path;
    json["x-summit-pattern"] = parameter.pattern;
    return json;
  }

  // The query parameters of `type`'s fields under a prefix: the leaves the
  // transcoder reads from a query string (scalars, enums and well-known
  // types in their string forms, repeated by repeating the parameter),
  // reaching into singular messages as "a.b", at most three deep.
  void AddQueryParameters(const Descriptor& type, const std::string& proto_prefix,
                          const std::string& json_prefix, int depth,
                          const std::set<std::string>& bound, Json& parameters) {
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      const std::string proto_path = absl::StrCat(proto_prefix, field.name());
      const std::string json_path = absl::StrCat(json_prefix, field.json_name());
      if (bound.count(proto_path) > 0 || field.is_map()) continue;
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const std::string& name = field.message_type()->full_name();
        if (!IsWellKnown(name)) {
          if (!field.is_repeated() && depth < 3) {
            AddQueryParameters(*field.message_type(), proto_path + ".", json_path + ".", depth + 1,
                               bound, parameters);
          }
          continue;
        }
        // Those whose JSON form is not one string cannot be written there.
        if (name == "google.protobuf.Any" || name == "google.protobuf.Empty" ||
            name == "google.protobuf.Struct" || name == "google.protobuf.Value" ||
            name == "google.protobuf.ListValue") {
          continue;
        }
      }
      Json parameter = Json::Object();
      parameter["name"] = json_path;
      parameter["in"] = "query";
      const std::string comment = CommentOf(field);
      if (!comment.empty()) parameter["description"] = comment;
      if (field.is_repeated()) {
        Json array = TypeSchema("array");
        array["items"] = ValueSchema(field);
        parameter["schema"] = std::move(array);
        parameter["style"] = "form";
        parameter["explode"] = true;
      } else {
        parameter["schema"] = ValueSchema(field);
      }
      parameters.Push(std::move(parameter));
    }
  }

  Json RequestBody(const Route& route) {
    const Descriptor* input = route.method->input_type();
    Json body = Json::Object();
    const Descriptor* type = input;
    std::string description;
    if (route.body == "*") {
      std::vector<std::string> from_path;
      for (const std::string& field_path : route.path.field_paths()) {
        from_path.push_back(absl::StrCat("`", field_path, "`"));
      }
      description = absl::StrCat("The request, ", input->full_name(), ".");
      if (!from_path.empty()) {
        absl::StrAppend(&description, " ", absl::StrJoin(from_path, ", "),
                        " come", from_path.size() == 1 ? "s" : "", " from the path.");
      }
    } else {
      const FieldDescriptor* field = input->FindFieldByName(route.body);
      type = field->message_type();
      description = absl::StrCat("The request's `", route.body, "`.");
      const std::string comment = CommentOf(*field);
      if (!comment.empty()) absl::StrAppend(&description, " ", comment);
    }
    body["description"] = std::move(description);
    if (type != nullptr) {
      body["content"]["application/json"]["schema"] = MessageSchemaRef(type);
    } else {
      // A scalar body field: its JSON value.
      body["content"]["application/json"]["schema"] =
          ValueSchema(*input->FindFieldByName(route.body));
    }
    return body;
  }

  // The schema of a message's JSON: a well-known type's form, or a $ref to
  // the message's schema (which will be written).
  Json MessageSchemaRef(const Descriptor* type) {
    if (IsWellKnown(type->full_name())) return WellKnownSchema(type->full_name());
    Need(type);
    return Ref(type->full_name());
  }

  void Need(const Descriptor* type) {
    if (named_.insert(type->full_name()).second) pending_.push_back(type);
  }

  Json EnumSchemaRef(const EnumDescriptor* type) {
    if (type->full_name() == "google.protobuf.NullValue") {
      Json schema = Json::Object();
      schema["nullable"] = true;
      schema["description"] = "null";
      return schema;
    }
    if (named_.insert(type->full_name()).second) {
      Json schema = TypeSchema("string");
      std::string description = CommentOf(*type);
      for (int i = 0; i < type->value_count(); ++i) {
        const auto* value = type->value(i);
        schema["enum"].Push(value->name());
        const std::string comment = CommentOf(*value);
        absl::StrAppend(&description, description.empty() ? "" : i == 0 ? "\n\n" : "\n", "- `",
                        value->name(), "`", comment.empty() ? "" : ": ",
                        absl::StrJoin(absl::StrSplit(comment, '\n'), " "));
      }
      if (!description.empty()) schema["description"] = std::move(description);
      schemas_[type->full_name()] = std::move(schema);
    }
    return Ref(type->full_name());
  }

  // The schema of one value of a field (an element, when it is repeated).
  Json ValueSchema(const FieldDescriptor& field) {
    switch (field.type()) {
      case FieldDescriptor::TYPE_STRING: return TypeSchema("string");
      case FieldDescriptor::TYPE_BYTES: return TypeSchema("string", "byte");
      case FieldDescriptor::TYPE_BOOL: return TypeSchema("boolean");
      case FieldDescriptor::TYPE_DOUBLE: return TypeSchema("number", "double");
      case FieldDescriptor::TYPE_FLOAT: return TypeSchema("number", "float");
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32: return TypeSchema("integer", "int32");
      // Beyond int32, within the int64 every JSON reader has.
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32: return TypeSchema("integer", "int64");
      // Strings, as JSON numbers lose precision beyond 2^53.
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64: return TypeSchema("string", "int64");
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64: return TypeSchema("string", "uint64");
      case FieldDescriptor::TYPE_ENUM: return EnumSchemaRef(field.enum_type());
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP: return MessageSchemaRef(field.message_type());
    }
    return Json::Object();
  }

  Json FieldSchema(const FieldDescriptor& field) {
    std::string description = CommentOf(field);
    if (const auto* oneof = field.real_containing_oneof()) {
      std::vector<std::string> names;
      for (int i = 0; i < oneof->field_count(); ++i) {
        names.push_back(absl::StrCat("`", oneof->field(i)->json_name(), "`"));
      }
      absl::StrAppend(&description, description.empty() ? "" : "\n\n", "At most one of ",
                      absl::StrJoin(names, ", "), " is set.");
    }
    const bool read_only = absl::StrContains(description, "Output only");
    Json schema;
    if (field.is_map()) {
      schema = TypeSchema("object");
      schema["additionalProperties"] = ValueSchema(*field.message_type()->map_value());
    } else if (field.is_repeated()) {
      schema = TypeSchema("array");
      schema["items"] = ValueSchema(field);
    } else {
      schema = ValueSchema(field);
      // In OpenAPI 3.0 a $ref's siblings are ignored: wrap it to describe it.
      if (schema.Has("$ref") && (!description.empty() || read_only)) {
        Json wrapped = Json::Object();
        wrapped["allOf"].Push(std::move(schema));
        schema = std::move(wrapped);
      }
    }
    if (!description.empty()) schema["description"] = std::move(description);
    if (read_only) schema["readOnly"] = true;
    return schema;
  }

  Json MessageSchema(const Descriptor& type) {
    Json schema = TypeSchema("object");
    const std::string comment = CommentOf(type);
    if (!comment.empty()) schema["description"] = comment;
    Json& properties = schema["properties"] = Json::Object();
    for (int i = 0; i < type.field_count(); ++i) {
      properties[type.field(i)->json_name()] = FieldSchema(*type.field(i));
    }
    return schema;
  }

  // google.rpc.Status when the contract lacks its descriptor.
  static Json FallbackStatusSchema() {
    Json schema = TypeSchema("object");
    schema["description"] = "An error: its gRPC code, a message, and details.";
    schema["properties"]["code"] = TypeSchema("integer", "int32");
    schema["properties"]["message"] = TypeSchema("string");
    Json& details = schema["properties"]["details"] = TypeSchema("array");
    details["items"] = WellKnownSchema("google.protobuf.Any");
    return schema;
  }

  const Contract& contract_;
  std::map<std::string, Json> schemas_;  // by full name: written sorted
  std::set<std::string> named_;          // messages and enums with a schema (to be) written
  std::vector<const Descriptor*> pending_;
};

}  // namespace

std::string OpenApiDocument(const Contract& contract) { return DocumentBuilder(contract).Build(); }

}  // namespace summit::gateway
