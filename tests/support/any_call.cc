#include "tests/support/any_call.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"

extern const unsigned char summit_descriptor_set[];
extern const std::size_t summit_descriptor_set_size;

namespace summit::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using google::protobuf::Reflection;

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

std::string BytesOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (buffer.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  return bytes;
}

// What an error tells its caller, as text: code, message and details.
std::string ErrorText(const grpc::Status& status) {
  std::string text =
      absl::StrCat("code ", static_cast<int>(status.error_code()), " ", status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    absl::StrAppend(&text, " ", details.DebugString());
  }
  // The raw bytes too: the details' Any values hold text a DebugString shows escaped.
  absl::StrAppend(&text, " ", status.error_details());
  return text;
}

// Waits for the one operation in flight on `queue`.
bool Await(grpc::CompletionQueue& queue) {
  void* tag = nullptr;
  bool ok = false;
  if (!queue.Next(&tag, &ok)) return false;
  return ok;
}

bool IsWellKnownString(const Descriptor& type) {
  static const std::set<std::string> kTypes = {
      "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask"};
  return kTypes.count(type.full_name()) > 0;
}

// The text of a singular or repeated (index) scalar field as a query value.
std::string ScalarText(const Message& message, const FieldDescriptor& field, int index) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? reflection.GetRepeatedString(message, &field, index)
                      : reflection.GetString(message, &field);
    case FieldDescriptor::CPPTYPE_ENUM:
      return repeated ? reflection.GetRepeatedEnum(message, &field, index)->name()
                      : reflection.GetEnum(message, &field)->name();
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? reflection.GetRepeatedBool(message, &field, index)
                       : reflection.GetBool(message, &field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(repeated ? reflection.GetRepeatedInt32(message, &field, index)
                                   : reflection.GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(repeated ? reflection.GetRepeatedInt64(message, &field, index)
                                   : reflection.GetInt64(message, &field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(repeated ? reflection.GetRepeatedUInt32(message, &field, index)
                                   : reflection.GetUInt32(message, &field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(repeated ? reflection.GetRepeatedUInt64(message, &field, index)
                                   : reflection.GetUInt64(message, &field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(repeated ? reflection.GetRepeatedDouble(message, &field, index)
                                   : reflection.GetDouble(message, &field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(repeated ? reflection.GetRepeatedFloat(message, &field, index)
                                   : reflection.GetFloat(message, &field));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "";
}

// Query parameters for every set field of `message` not bound in the path: `prefix` is the
// field path of `message` ("" or e.g. "day."), `json_prefix` the same in JSON names.
void AddQueryParameters(const Message& message, const std::string& prefix,
                        const std::string& json_prefix, const std::set<std::string>& bound,
                        std::vector<std::string>& out) {
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = absl::StrCat(prefix, field->name());
    if (bound.count(path) > 0) continue;
    const std::string name = absl::StrCat(json_prefix, field->json_name());
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const Message& value = message.GetReflection()->GetMessage(message, field);
      if (IsWellKnownString(*field->message_type())) {
        std::string json;
        (void)google::protobuf::util::MessageToJsonString(value, &json);
        out.push_back(absl::StrCat(name, "=",
                                   Escape(absl::StripPrefix(absl::StripSuffix(json, "\""), "\""))));
      } else {
        AddQueryParameters(value, absl::StrCat(path, "."), absl::StrCat(name, "."), bound, out);
      }
      continue;
    }
    const int count = field->is_repeated() ? message.GetReflection()->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      out.push_back(absl::StrCat(name, "=", Escape(ScalarText(message, *field, i))));
    }
  }
}

// The string at a dotted field path of `message` ("statement.name").
std::string StringAt(const Message& message, absl::string_view path) {
  const Message* at = &message;
  std::vector<std::string> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field = at->GetDescriptor()->FindFieldByName(names[i]);
    if (field == nullptr) return "";
    if (i + 1 == names.size()) return at->GetReflection()->GetString(*at, field);
    at = &at->GetReflection()->GetMessage(*at, field);
  }
  return "";
}

// Clears the field at a dotted path of `message`.
void ClearAt(Message& message, absl::string_view path) {
  Message* at = &message;
  std::vector<std::string> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field = at->GetDescriptor()->FindFieldByName(names[i]);
    if (field == nullptr) return;
    if (i + 1 == names.size()) {
      at->GetReflection()->ClearField(at, field);
      return;
    }
    at = at->GetReflection()->MutableMessage(at, field);
  }
}

// Percent-encodes a path variable's value, keeping its '/' separators.
std::string PathEscape(absl::string_view value) {
  std::vector<std::string> segments;
  for (absl::string_view segment : absl::StrSplit(value, '/')) segments.push_back(Escape(segment));
  return absl::StrJoin(segments, "/");
}

// The answer of an HTTP call as the gateway promises it: the method's response as JSON, or a
// google.rpc.Status whose code matches the HTTP status.
void ReadHttpAnswer(const HttpResponse& http, const Descriptor& output, AnyCallResult& result) {
  result.http_status = http.status;
  result.everything = http.body;
  if (!http.answered) {
    result.status = grpc::Status(grpc::StatusCode::UNKNOWN, "no HTTP answer");
    return;
  }
  if (http.status == 200) {
    std::unique_ptr<Message> response = NewMessage(&output);
    if (::testing::AssertionResult parsed = ParseJson(http.body, response.get()); !parsed) {
      result.status = grpc::Status(grpc::StatusCode::UNKNOWN, parsed.message());
      return;
    }
    result.responses.push_back(std::move(response));
    result.status = grpc::Status::OK;
    return;
  }
  google::rpc::Status body;
  if (::testing::AssertionResult parsed = ParseJson(http.body, &body); !parsed) {
    result.status = grpc::Status(grpc::StatusCode::UNKNOWN,
                                 absl::StrCat("HTTP ", http.status, ": ", parsed.message()));
    return;
  }
  const auto code = static_cast<grpc::StatusCode>(body.code());
  if (HttpStatusOf(code) != http.status) {
    result.status = grpc::Status(grpc::StatusCode::UNKNOWN,
                                 absl::StrCat("HTTP ", http.status, " does not go with code ",
                                              body.code(), ": ", http.body));
    return;
  }
  result.status = grpc::Status(code, body.message(), body.SerializeAsString());
}

}  // namespace

const google::protobuf::MethodDescriptor& MethodNamed(const std::string& full_name) {
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  if (method == nullptr) ADD_FAILURE() << "no method " << full_name;
  return *method;
}

AnyCallResult CallOverGrpc(const std::shared_ptr<grpc::Channel>& channel,
                           const MethodDescriptor& method, const Message& request,
                           const std::string& token, const StopAfter& stop_after) {
  AnyCallResult result;
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallPatience));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  grpc::CompletionQueue queue;
  const std::string path = absl::StrCat("/", method.service()->full_name(), "/", method.name());
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, path, &queue);
  call->StartCall(nullptr);
  bool open = Await(queue);
  if (open) {
    const std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    call->WriteLast(buffer, grpc::WriteOptions(), nullptr);
    open = Await(queue);
  }
  // Bounded: a stream ends at its stop, its end, or the deadline.
  bool stopped = false;
  for (int read = 0; open && read < 100000; ++read) {
    grpc::ByteBuffer buffer;
    call->Read(&buffer, nullptr);
    if (!Await(queue)) break;
    std::unique_ptr<Message> response = NewMessage(method.output_type());
    if (!response->ParseFromString(BytesOf(buffer))) {
      result.status = grpc::Status(grpc::StatusCode::UNKNOWN, "an answer that does not parse");
      stopped = true;
      break;
    }
    absl::StrAppend(&result.everything, response->DebugString(), "\n");
    const bool enough = !method.server_streaming() || (stop_after && stop_after(*response));
    result.responses.push_back(std::move(response));
    if (enough) {
      stopped = method.server_streaming();
      break;
    }
  }
  // A stream read far enough is cancelled; it ends CANCELLED, and what was read stands.
  if (stopped) context.TryCancel();
  grpc::Status finished;
  call->Finish(&finished, nullptr);
  Await(queue);
  if (!stopped) {
    result.status = finished;
  } else if (result.status.ok() && finished.error_code() != grpc::StatusCode::CANCELLED) {
    result.status = finished;
  }
  if (!result.status.ok()) {
    result.responses.clear();
    absl::StrAppend(&result.everything, ErrorText(result.status));
  }
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  return result;
}

grpc::Status CallPathOverGrpc(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& path, const std::string& request_bytes,
                              const std::string& token) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallPatience));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  absl::Notification done;
  grpc::Status status;
  stub.UnaryCall(&context, path, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status finished) {
                   status = std::move(finished);
                   done.Notify();
                 });
  done.WaitForNotification();
  return status;
}

AnyCallResult CallOverHttp(int port, const MethodDescriptor& method, const Message& request,
                           const std::string& token, const StopAfter& stop_after) {
  AnyCallResult result;
  absl::StatusOr<HttpRequestFor> http = ToHttpRequest(method, request);
  if (!http.ok()) {
    result.status =
        grpc::Status(grpc::StatusCode::UNIMPLEMENTED, std::string(http.status().message()));
    return result;
  }
  if (!method.server_streaming()) {
    ReadHttpAnswer(Http(port, http->method, http->target, token, http->body), *method.output_type(),
                   result);
    return result;
  }
  Headers headers = {{"Accept", "text/event-stream"}};
  if (!token.empty()) headers.emplace_back("Authorization", absl::StrCat("Bearer ", token));
  HttpStream stream(port, http->target, headers);
  if (!stream.head().answered || stream.head().status != 200) {
    HttpResponse answer = stream.head();
    if (std::optional<std::string> body = stream.Body(absl::Now() + kCallPatience)) {
      answer.body = *std::move(body);
    }
    ReadHttpAnswer(answer, *method.output_type(), result);
    return result;
  }
  result.http_status = 200;
  result.status = grpc::Status::OK;
  const absl::Time deadline = absl::Now() + kCallPatience;
  for (int read = 0; read < 100000; ++read) {  // bounded
    std::optional<SseEvent> event = stream.NextEvent(deadline);
    if (!event.has_value()) break;
    absl::StrAppend(&result.everything, event->data, "\n");
    if (event->event == "error") {
      google::rpc::Status body;
      (void)ParseJson(event->data, &body);
      result.status = grpc::Status(static_cast<grpc::StatusCode>(body.code()), body.message(),
                                   body.SerializeAsString());
      break;
    }
    std::unique_ptr<Message> response = NewMessage(method.output_type());
    if (::testing::AssertionResult parsed = ParseJson(event->data, response.get()); !parsed) {
      result.status = grpc::Status(grpc::StatusCode::UNKNOWN, parsed.message());
      break;
    }
    const bool enough = stop_after && stop_after(*response);
    result.responses.push_back(std::move(response));
    if (enough) break;
  }
  if (!result.status.ok()) result.responses.clear();
  return result;
}

absl::StatusOr<HttpRequestFor> ToHttpRequest(const MethodDescriptor& method,
                                             const Message& request) {
  if (!method.options().HasExtension(google::api::http)) {
    return absl::NotFoundError(absl::StrCat(method.full_name(), " has no google.api.http rule"));
  }
  const google::api::HttpRule& rule = method.options().GetExtension(google::api::http);
  HttpRequestFor http;
  std::string path_template;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      http.method = "GET";
      path_template = rule.get();
      break;
    case google::api::HttpRule::kPut:
      http.method = "PUT";
      path_template = rule.put();
      break;
    case google::api::HttpRule::kPost:
      http.method = "POST";
      path_template = rule.post();
      break;
    case google::api::HttpRule::kDelete:
      http.method = "DELETE";
      path_template = rule.delete_();
      break;
    case google::api::HttpRule::kPatch:
      http.method = "PATCH";
      path_template = rule.patch();
      break;
    case google::api::HttpRule::kCustom:
      http.method = rule.custom().kind();
      path_template = rule.custom().path();
      break;
    case google::api::HttpRule::PATTERN_NOT_SET:
      return absl::InvalidArgumentError(
          absl::StrCat(method.full_name(), ": a rule without a path"));
  }
  // The path: each {field.path=pattern} replaced by the field's value.
  std::set<std::string> bound;
  std::string path;
  for (size_t at = 0; at < path_template.size();) {
    const size_t open = path_template.find('{', at);
    if (open == std::string::npos) {
      path += path_template.substr(at);
      break;
    }
    const size_t close = path_template.find('}', open);
    if (close == std::string::npos) return absl::InvalidArgumentError(path_template);
    path += path_template.substr(at, open - at);
    const std::string variable = path_template.substr(open + 1, close - open - 1);
    const std::string field_path = variable.substr(0, variable.find('='));
    bound.insert(field_path);
    path += PathEscape(StringAt(request, field_path));
    at = close + 1;
  }
  std::vector<std::string> query;
  if (rule.body() == "*") {
    std::unique_ptr<Message> body(request.New());
    body->CopyFrom(request);
    for (const std::string& field_path : bound) ClearAt(*body, field_path);
    (void)google::protobuf::util::MessageToJsonString(*body, &http.body);
  } else {
    std::set<std::string> not_in_query = bound;
    if (!rule.body().empty()) {
      const FieldDescriptor* field = request.GetDescriptor()->FindFieldByName(rule.body());
      if (field == nullptr) return absl::InvalidArgumentError(rule.body());
      (void)google::protobuf::util::MessageToJsonString(
          request.GetReflection()->GetMessage(request, field), &http.body);
      not_in_query.insert(rule.body());
    }
    AddQueryParameters(request, "", "", not_in_query, query);
  }
  http.target = query.empty() ? path : absl::StrCat(path, "?", absl::StrJoin(query, "&"));
  return http;
}

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNKNOWN:
      return 500;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 400;
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::INTERNAL:
      return 500;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DATA_LOSS:
      return 500;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    default:
      break;
  }
  return 500;
}

std::vector<std::string> EveryMethodOfTheContract() {
  google::protobuf::FileDescriptorSet set;
  std::vector<std::string> methods;
  if (!set.ParseFromArray(summit_descriptor_set, static_cast<int>(summit_descriptor_set_size))) {
    return methods;
  }
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (!absl::StartsWith(file.package(), "summit.")) continue;
    for (const google::protobuf::ServiceDescriptorProto& service : file.service()) {
      for (const google::protobuf::MethodDescriptorProto& method : service.method()) {
        methods.push_back(absl::StrCat(file.package(), ".", service.name(), ".", method.name()));
      }
    }
  }
  return methods;
}

}  // namespace summit::testing
