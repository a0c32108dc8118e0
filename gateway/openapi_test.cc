#include "gateway/openapi.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/contract.h"
#include "gmock/gmock.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace summit::gateway {
namespace {

using google::protobuf::Value;
using ::testing::Contains;
using ::testing::IsSupersetOf;

constexpr char kSchemas[] = "#/components/schemas/";

// The document as a JSON value; a parse failure fails the test.
Value Parse(const std::string& json) {
  Value root;
  google::protobuf::util::JsonParseOptions options;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, root.mutable_struct_value(), options);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return root;
}

// The member of `value` at a path of keys, or null.
const Value* At(const Value& value, const std::vector<std::string>& keys) {
  const Value* at = &value;
  for (const std::string& key : keys) {
    if (at->kind_case() != Value::kStructValue) return nullptr;
    const auto& fields = at->struct_value().fields();
    const auto found = fields.find(key);
    if (found == fields.end()) return nullptr;
    at = &found->second;
  }
  return at;
}

std::string StringAt(const Value& value, const std::vector<std::string>& keys) {
  const Value* at = At(value, keys);
  return at == nullptr ? "<absent>" : at->string_value();
}

// The parameters of an operation with `in` == where, by name.
std::map<std::string, const Value*> Parameters(const Value& operation, const std::string& where) {
  std::map<std::string, const Value*> found;
  const Value* parameters = At(operation, {"parameters"});
  if (parameters == nullptr) return found;
  for (const Value& parameter : parameters->list_value().values()) {
    if (StringAt(parameter, {"in"}) == where) found[StringAt(parameter, {"name"})] = &parameter;
  }
  return found;
}

std::set<std::string> Names(const std::map<std::string, const Value*>& parameters) {
  std::set<std::string> names;
  for (const auto& [name, parameter] : parameters) names.insert(name);
  return names;
}

// Every "$ref" under `value`.
void CollectRefs(const Value& value, std::vector<std::string>& refs) {
  if (value.kind_case() == Value::kStructValue) {
    for (const auto& [key, member] : value.struct_value().fields()) {
      if (key == "$ref") refs.push_back(member.string_value());
      CollectRefs(member, refs);
    }
  } else if (value.kind_case() == Value::kListValue) {
    for (const Value& item : value.list_value().values()) CollectRefs(item, refs);
  }
}

// A schema, its $ref (or a description's allOf wrapper around one) followed.
const Value* Resolve(const Value& document, const Value* schema) {
  if (schema == nullptr) return nullptr;
  if (const Value* all_of = At(*schema, {"allOf"})) schema = &all_of->list_value().values(0);
  const Value* ref = At(*schema, {"$ref"});
  if (ref == nullptr) return schema;
  return At(document, {"components", "schemas", ref->string_value().substr(sizeof(kSchemas) - 1)});
}

class OpenApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Contract::Load({"summit.registry.v1.RegistryService",
                                  "summit.scheduling.v1.SchedulingService",
                                  "summit.statements.v1.StatementsService",
                                  "summit.gateway.v1.GatewayService"});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    contract_ = loaded->release();
    json_ = new std::string(OpenApiDocument(*contract_));
    document_ = new Value(Parse(*json_));
  }
  static void TearDownTestSuite() {
    delete document_;
    delete json_;
    delete contract_;
  }

  static const Value* Operation(const std::string& path, const std::string& method) {
    return At(*document_, {"paths", path, method});
  }
  static const Value* Schema(const std::string& name) {
    return At(*document_, {"components", "schemas", name});
  }

  static const Contract* contract_;
  static const std::string* json_;
  static const Value* document_;
};

const Contract* OpenApiTest::contract_ = nullptr;
const std::string* OpenApiTest::json_ = nullptr;
const Value* OpenApiTest::document_ = nullptr;

TEST_F(OpenApiTest, IsAnOpenApi3DocumentAndTheSameEveryTime) {
  EXPECT_EQ(StringAt(*document_, {"openapi"}), "3.0.3");
  EXPECT_EQ(StringAt(*document_, {"info", "title"}), "Summit");
  EXPECT_EQ(StringAt(*document_, {"info", "version"}), "v1");
  EXPECT_THAT(StringAt(*document_, {"info", "description"}), ::testing::HasSubstr("StatementsService"));
  EXPECT_EQ(OpenApiDocument(*contract_), *json_);
}

// Each route is an operation at a path that, filled in, the transcoder
// routes to that route's RPC, with a parameter for each path variable.
TEST_F(OpenApiTest, EveryRouteIsAnOperationWhosePathReachesIt) {
  std::map<std::string, std::pair<std::string, std::string>> by_id;  // id → (path, method)
  for (const auto& [path, item] : At(*document_, {"paths"})->struct_value().fields()) {
    for (const auto& [method, operation] : item.struct_value().fields()) {
      const std::string id = StringAt(operation, {"operationId"});
      EXPECT_TRUE(by_id.emplace(id, std::make_pair(path, method)).second) << "duplicate " << id;
    }
  }
  ASSERT_FALSE(contract_->routes().empty());
  EXPECT_EQ(by_id.size(), contract_->routes().size());
  for (const Route& route : contract_->routes()) {
    const std::string id = absl::StrCat(route.method->service()->name(), "_", route.method->name());
    const auto found = by_id.find(id);
    ASSERT_NE(found, by_id.end()) << id;
    const auto& [path, method] = found->second;
    EXPECT_EQ(method, absl::AsciiStrToLower(route.http_method)) << id;
    EXPECT_EQ(StringAt(*Operation(path, method), {"x-summit-grpc-method"}), route.grpc_path);

    // Fill each {parameter} and ask the contract where the path leads.
    std::string filled;
    std::set<std::string> in_path;
    for (size_t i = 0; i < path.size(); ++i) {
      if (path[i] != '{') {
        filled.push_back(path[i]);
        continue;
      }
      const size_t close = path.find('}', i);
      in_path.insert(path.substr(i + 1, close - i - 1));
      absl::StrAppend(&filled, "p", in_path.size());
      i = close;
    }
    EXPECT_EQ(Names(Parameters(*Operation(path, method), "path")), in_path) << id;
    const std::vector<Contract::Match> matches = contract_->Find(route.http_method, filled);
    ASSERT_FALSE(matches.empty()) << id << ": " << filled;
    EXPECT_EQ(matches.front().route, &route) << id << ": " << filled;
  }
}

TEST_F(OpenApiTest, PublishIsAPostWithTheRequestAsItsBody) {
  const Value* publish = Operation("/v1/events/{event}/statements/{statement}:publish", "post");
  ASSERT_NE(publish, nullptr);
  EXPECT_EQ(StringAt(*publish, {"operationId"}), "StatementsService_PublishStatement");
  EXPECT_EQ(StringAt(*publish, {"requestBody", "content", "application/json", "schema", "$ref"}),
            absl::StrCat(kSchemas, "summit.statements.v1.PublishStatementRequest"));
  EXPECT_TRUE(Parameters(*publish, "query").empty());
  EXPECT_EQ(At(*publish, {"tags"})->list_value().values(0).string_value(), "StatementsService");
  EXPECT_EQ(StringAt(*publish, {"responses", "200", "content", "application/json", "schema", "$ref"}),
            absl::StrCat(kSchemas, "summit.statements.v1.Statement"));
  EXPECT_EQ(StringAt(*publish, {"responses", "default", "content", "application/json", "schema", "$ref"}),
            absl::StrCat(kSchemas, "google.rpc.Status"));
  EXPECT_THAT(StringAt(*publish, {"summary"}), ::testing::StartsWith("APPROVED"));
}

TEST_F(OpenApiTest, GetPersonHasItsIdInThePath) {
  const Value* get = Operation("/v1/people/{person}", "get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(StringAt(*get, {"operationId"}), "RegistryService_GetPerson");
  const auto path = Parameters(*get, "path");
  ASSERT_EQ(Names(path), std::set<std::string>{"person"});
  const Value& person = *path.at("person");
  EXPECT_TRUE(At(person, {"required"})->bool_value());
  EXPECT_EQ(StringAt(person, {"schema", "type"}), "string");
  EXPECT_EQ(StringAt(person, {"x-summit-field"}), "name");
  EXPECT_EQ(StringAt(person, {"x-summit-pattern"}), "people/*");
  EXPECT_THAT(StringAt(person, {"description"}), ::testing::HasSubstr("people/{person}"));
  EXPECT_EQ(At(*get, {"requestBody"}), nullptr);
  // Update and delete share the path item.
  EXPECT_EQ(StringAt(*Operation("/v1/people/{person}", "patch"), {"operationId"}),
            "RegistryService_UpdatePerson");
  EXPECT_EQ(StringAt(*Operation("/v1/people/{person}", "delete"), {"operationId"}),
            "RegistryService_DeletePerson");
}

TEST_F(OpenApiTest, ListStatementsReadsTheOtherFieldsFromTheQuery) {
  const Value* list = Operation("/v1/events/{event}/statements", "get");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(StringAt(*list, {"operationId"}), "StatementsService_ListStatements");
  const auto query = Parameters(*list, "query");
  EXPECT_EQ(Names(query), (std::set<std::string>{"pageSize", "pageToken", "filter", "orderBy"}));
  EXPECT_EQ(StringAt(*query.at("pageSize"), {"schema", "type"}), "integer");
  EXPECT_EQ(StringAt(*query.at("pageSize"), {"schema", "format"}), "int32");
  EXPECT_THAT(StringAt(*query.at("pageSize"), {"description"}), ::testing::HasSubstr("default 50"));
  EXPECT_EQ(StringAt(*Parameters(*list, "path").at("event"), {"x-summit-field"}), "parent");
}

TEST_F(OpenApiTest, QueryParametersReachWellKnownAndNestedFields) {
  const auto search = Parameters(*Operation("/v1/events/{event}/statements:search", "get"), "query");
  ASSERT_EQ(search.count("publishTimeStart"), 1u);
  EXPECT_EQ(StringAt(*search.at("publishTimeStart"), {"schema", "format"}), "date-time");
  // A google.type.Date is a message: its fields, dotted.
  const auto overview = Parameters(*Operation("/v1/events/{event}:overview", "get"), "query");
  EXPECT_EQ(Names(overview), (std::set<std::string>{"day.year", "day.month", "day.day"}));
}

TEST_F(OpenApiTest, ABodyFieldLeavesTheRestToTheQuery) {
  const Value* update = Operation("/v1/events/{event}/statements/{statement}", "patch");
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(StringAt(*update, {"operationId"}), "StatementsService_UpdateStatement");
  EXPECT_EQ(StringAt(*update, {"requestBody", "content", "application/json", "schema", "$ref"}),
            absl::StrCat(kSchemas, "summit.statements.v1.Statement"));
  EXPECT_EQ(Names(Parameters(*update, "query")), std::set<std::string>{"updateMask"});
  EXPECT_EQ(StringAt(*Parameters(*update, "path").at("statement"), {"x-summit-field"}),
            "statement.name");
  const auto create = Parameters(*Operation("/v1/events/{event}/statements", "post"), "query");
  EXPECT_EQ(Names(create), (std::set<std::string>{"statementId", "requestId"}));
}

TEST_F(OpenApiTest, PersonSchemaFollowsTheJsonMapping) {
  const Value* person = Schema("summit.registry.v1.Person");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(StringAt(*person, {"type"}), "object");
  EXPECT_FALSE(StringAt(*person, {"description"}).empty());
  EXPECT_EQ(StringAt(*person, {"properties", "displayName", "type"}), "string");
  EXPECT_FALSE(StringAt(*person, {"properties", "displayName", "description"}).empty());
  EXPECT_EQ(StringAt(*person, {"properties", "languages", "type"}), "array");
  EXPECT_EQ(StringAt(*person, {"properties", "languages", "items", "type"}), "string");
  EXPECT_EQ(StringAt(*person, {"properties", "createTime", "format"}), "date-time");
  EXPECT_TRUE(At(*person, {"properties", "createTime", "readOnly"})->bool_value());
  EXPECT_EQ(At(*person, {"properties", "display_name"}), nullptr);
}

TEST_F(OpenApiTest, EnumsAreStringsByName) {
  const Value* kind = Resolve(*document_, At(*Schema("summit.statements.v1.Statement"),
                                             {"properties", "kind"}));
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(StringAt(*kind, {"type"}), "string");
  std::vector<std::string> names;
  for (const Value& name : At(*kind, {"enum"})->list_value().values()) {
    names.push_back(name.string_value());
  }
  EXPECT_THAT(names, IsSupersetOf({"KIND_UNSPECIFIED", "KIND_QUOTE", "KIND_JOINT_STATEMENT"}));
  EXPECT_THAT(StringAt(*kind, {"description"}), ::testing::HasSubstr("`KIND_QUOTE`: "));
  // Its field keeps its own description beside the reference.
  EXPECT_FALSE(
      StringAt(*Schema("summit.statements.v1.Statement"), {"properties", "kind", "description"}).empty());
}

TEST_F(OpenApiTest, TheWatchIsAnEventStream) {
  const Value* watch = Operation("/v1/events/{event}/statements:watch", "get");
  ASSERT_NE(watch, nullptr);
  const std::string event = absl::StrCat(kSchemas, "summit.statements.v1.StatementEvent");
  EXPECT_EQ(StringAt(*watch, {"responses", "200", "content", "text/event-stream", "schema", "$ref"}), event);
  EXPECT_EQ(StringAt(*watch, {"responses", "200", "content", "application/x-ndjson", "schema", "$ref"}),
            event);
  EXPECT_THAT(StringAt(*watch, {"responses", "200", "description"}),
              ::testing::HasSubstr("Last-Event-ID"));
  EXPECT_THAT(Names(Parameters(*watch, "header")), Contains("Last-Event-ID"));
  EXPECT_THAT(Names(Parameters(*watch, "query")), IsSupersetOf({"resumeToken", "fromBeginning"}));
}

TEST_F(OpenApiTest, EveryReferenceNamesASchema) {
  std::vector<std::string> refs;
  CollectRefs(*document_, refs);
  EXPECT_GT(refs.size(), 100u);
  for (const std::string& ref : refs) {
    ASSERT_TRUE(absl::StartsWith(ref, kSchemas)) << ref;
    EXPECT_NE(Schema(ref.substr(sizeof(kSchemas) - 1)), nullptr) << ref;
  }
  // The error, and google.rpc.Status's details as Any.
  const Value* status = Schema("google.rpc.Status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(StringAt(*status, {"properties", "details", "items", "properties", "@type", "type"}),
            "string");
}

// A contract of its own, for the types and characters the real one lacks.
class OpenApiMappingTest : public ::testing::Test {
 protected:
  static std::string DescriptorSet() {
    google::protobuf::FileDescriptorSet set;
    // The imports, in dependency order, from the descriptors linked in.
    for (const char* name :
         {"google/protobuf/descriptor.proto", "google/api/http.proto", "google/api/annotations.proto",
          "google/protobuf/any.proto", "google/protobuf/duration.proto",
          "google/protobuf/field_mask.proto", "google/protobuf/struct.proto",
          "google/protobuf/timestamp.proto", "google/protobuf/wrappers.proto"}) {
      const auto* file = google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
      EXPECT_NE(file, nullptr) << name;
      if (file != nullptr) file->CopyTo(set.add_file());
    }
    constexpr char kShelves[] = R"pb(
      name: "test/shelves.proto"
      package: "test.v1"
      syntax: "proto3"
      dependency: [
        "google/api/annotations.proto", "google/protobuf/any.proto",
        "google/protobuf/duration.proto", "google/protobuf/field_mask.proto",
        "google/protobuf/struct.proto", "google/protobuf/timestamp.proto",
        "google/protobuf/wrappers.proto"
      ]
      message_type {
        name: "Shelf"
        field { name: "name" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING json_name: "name" }
        field { name: "book_count" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 json_name: "bookCount" }
        field { name: "cover" number: 3 label: LABEL_OPTIONAL type: TYPE_BYTES json_name: "cover" }
        field { name: "weight" number: 4 label: LABEL_OPTIONAL type: TYPE_DOUBLE json_name: "weight" }
        field { name: "labels" number: 5 label: LABEL_REPEATED type: TYPE_MESSAGE
                type_name: ".test.v1.Shelf.LabelsEntry" json_name: "labels" }
        field { name: "loan" number: 6 label: LABEL_OPTIONAL type: TYPE_MESSAGE
                type_name: ".google.protobuf.Duration" json_name: "loan" }
        field { name: "floor" number: 7 label: LABEL_OPTIONAL type: TYPE_MESSAGE
                type_name: ".google.protobuf.Int32Value" json_name: "floor" }
        field { name: "extra" number: 8 label: LABEL_OPTIONAL type: TYPE_MESSAGE
                type_name: ".google.protobuf.Struct" json_name: "extra" }
        field { name: "payload" number: 9 label: LABEL_OPTIONAL type: TYPE_MESSAGE
                type_name: ".google.protobuf.Any" json_name: "payload" }
        field { name: "serial" number: 10 label: LABEL_OPTIONAL type: TYPE_UINT64 json_name: "serial"
                oneof_index: 0 }
        field { name: "code" number: 11 label: LABEL_OPTIONAL type: TYPE_STRING json_name: "code"
                oneof_index: 0 }
        field { name: "visits" number: 12 label: LABEL_REPEATED type: TYPE_MESSAGE
                type_name: ".google.protobuf.Timestamp" json_name: "visits" }
        nested_type {
          name: "LabelsEntry"
          field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING json_name: "key" }
          field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 json_name: "value" }
          options { map_entry: true }
        }
        oneof_decl { name: "id" }
      }
      message_type {
        name: "GetShelfRequest"
        field { name: "name" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING json_name: "name" }
        field { name: "mask" number: 2 label: LABEL_OPTIONAL type: TYPE_MESSAGE
                type_name: ".google.protobuf.FieldMask" json_name: "mask" }
        field { name: "filter" number: 3 label: LABEL_OPTIONAL type: TYPE_MESSAGE
                type_name: ".google.protobuf.Struct" json_name: "filter" }
        field { name: "tags" number: 4 label: LABEL_REPEATED type: TYPE_STRING json_name: "tags" }
      }
      service {
        name: "ShelfService"
        method {
          name: "GetShelf"
          input_type: ".test.v1.GetShelfRequest"
          output_type: ".test.v1.Shelf"
          options {
            [google.api.http] {
              get: "/v1/{name=shelves/**}"
              additional_bindings { get: "/v1/{name}:lookup" }
            }
          }
        }
      }
      source_code_info {
        location { path: [ 4, 0 ] span: [ 1, 0, 10 ] leading_comments: " A \"shelf\"\\ with\ta tab and a \001 and a bad \377 byte; ünïcode stays.\n" }
        location { path: [ 4, 0, 2, 1 ] span: [ 2, 0, 10 ] leading_comments: " How many. Output only.\n" }
        location { path: [ 6, 0, 2, 0 ] span: [ 3, 0, 10 ] leading_comments: " Finds a shelf, e.g. by name. Then more.\n" }
      }
    )pb";
    google::protobuf::FileDescriptorProto shelves;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kShelves, &shelves));
    *set.add_file() = shelves;
    return set.SerializeAsString();
  }

  void SetUp() override {
    // The comment with a byte that is not UTF-8 makes protobuf log an error
    // as it writes and reads the set; that byte is the point.
    google::protobuf::LogSilencer silence;
    auto loaded = Contract::FromDescriptorSet(DescriptorSet(), {"test.v1.ShelfService"});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    contract_ = *std::move(loaded);
    json_ = OpenApiDocument(*contract_);
    document_ = Parse(json_);
  }

  const Value* Property(const std::string& name) {
    return At(document_, {"components", "schemas", "test.v1.Shelf", "properties", name});
  }

  std::unique_ptr<Contract> contract_;
  std::string json_;
  Value document_;
};

TEST_F(OpenApiMappingTest, ScalarsAndWellKnownTypesTakeTheirJsonForms) {
  EXPECT_EQ(StringAt(*Property("bookCount"), {"type"}), "string");
  EXPECT_EQ(StringAt(*Property("bookCount"), {"format"}), "int64");
  EXPECT_TRUE(At(*Property("bookCount"), {"readOnly"})->bool_value());
  EXPECT_EQ(StringAt(*Property("serial"), {"format"}), "uint64");
  EXPECT_EQ(StringAt(*Property("cover"), {"format"}), "byte");
  EXPECT_EQ(StringAt(*Property("weight"), {"type"}), "number");
  EXPECT_EQ(StringAt(*Property("labels"), {"type"}), "object");
  EXPECT_EQ(StringAt(*Property("labels"), {"additionalProperties", "format"}), "int64");
  EXPECT_EQ(StringAt(*Property("loan"), {"type"}), "string");
  EXPECT_EQ(StringAt(*Property("floor"), {"type"}), "integer");
  EXPECT_EQ(StringAt(*Property("extra"), {"type"}), "object");
  EXPECT_EQ(StringAt(*Property("payload"), {"properties", "@type", "type"}), "string");
  EXPECT_EQ(StringAt(*Property("visits"), {"items", "format"}), "date-time");
  EXPECT_THAT(StringAt(*Property("code"), {"description"}), ::testing::HasSubstr("`serial`, `code`"));
  // No google.rpc.Status in this contract: the document writes its own.
  EXPECT_NE(At(document_, {"components", "schemas", "google.rpc.Status", "properties", "code"}), nullptr);
}

TEST_F(OpenApiMappingTest, CommentsAreEscapedIntoValidJson) {
  EXPECT_EQ(StringAt(document_, {"components", "schemas", "test.v1.Shelf", "description"}),
            "A \"shelf\"\\ with\ta tab and a \001 and a bad \xEF\xBF\xBD byte; ünïcode stays.");
  const Value* get = At(document_, {"paths", "/v1/shelves/{name}", "get"});
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(StringAt(*get, {"summary"}), "Finds a shelf, e.g. by name.");
}

TEST_F(OpenApiMappingTest, ARestWildcardAndAnAdditionalBinding) {
  const Value* get = At(document_, {"paths", "/v1/shelves/{name}", "get"});
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(StringAt(*get, {"operationId"}), "ShelfService_GetShelf");
  const auto path = Parameters(*get, "path");
  ASSERT_EQ(path.count("name"), 1u);
  EXPECT_THAT(StringAt(*path.at("name"), {"description"}), ::testing::HasSubstr("slashes"));
  // Struct cannot be one query value; FieldMask and repeated strings can.
  EXPECT_EQ(Names(Parameters(*get, "query")), (std::set<std::string>{"mask", "tags"}));
  EXPECT_EQ(StringAt(*Parameters(*get, "query").at("tags"), {"schema", "type"}), "array");

  const Value* lookup = At(document_, {"paths", "/v1/{name}:lookup", "get"});
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(StringAt(*lookup, {"operationId"}), "ShelfService_GetShelf_2");
  EXPECT_THAT(StringAt(*Parameters(*lookup, "path").at("name"), {"description"}),
              ::testing::HasSubstr("The request's `name`."));
}

}  // namespace
}  // namespace summit::gateway
