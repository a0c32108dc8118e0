#include "tools/summitctl/resource_command.h"

#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gateway/contract.h"
#include "gateway/path_template.h"
#include "gateway/transcoder.h"
#include "google/protobuf/util/time_util.h"
#include "tools/summitctl/connection.h"
#include "tools/summitctl/raw_call.h"

ABSL_FLAG(std::string, output, "", "output format: json or table (default: table for list, else json)");

namespace summit::ctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const gateway::Contract& TheContract() {
  static const gateway::Contract* const contract = [] {
    auto loaded = gateway::Contract::Load({"summit.registry.v1.RegistryService",
                                           "summit.scheduling.v1.SchedulingService",
                                           "summit.statements.v1.StatementsService"});
    if (!loaded.ok()) {
      std::cerr << "the contract cannot be read: " << loaded.status() << "\n";
      std::exit(1);
    }
    return loaded->release();
  }();
  return *contract;
}

std::string NewRequestId() {
  std::mt19937_64 generator{std::random_device{}()};
  return absl::StrFormat("ctl-%016x%016x", generator(), generator());
}

// A request body given as JSON text or @FILE.
bool ReadBody(const std::string& argument, std::string& body) {
  if (!absl::StartsWith(argument, "@")) {
    body = argument;
    return true;
  }
  std::ifstream file(argument.substr(1));
  if (!file) {
    std::cerr << "cannot read " << argument.substr(1) << "\n";
    return false;
  }
  std::stringstream contents;
  contents << file.rdbuf();
  body = contents.str();
  return true;
}

// A cell of a table: the field's value in short.
std::string Cell(const Message& message, const FieldDescriptor* field) {
  const Reflection* reflection = message.GetReflection();
  if (field->is_repeated()) {
    std::vector<std::string> values;
    for (int i = 0; i < reflection->FieldSize(message, field) && i < 3; ++i) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        values.push_back(reflection->GetRepeatedString(message, field, i));
      }
    }
    if (reflection->FieldSize(message, field) > 3) values.push_back("…");
    return absl::StrJoin(values, ",");
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return reflection->GetString(message, field);
    case FieldDescriptor::CPPTYPE_ENUM: return reflection->GetEnum(message, field)->name();
    case FieldDescriptor::CPPTYPE_INT32: return absl::StrCat(reflection->GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_INT64: return absl::StrCat(reflection->GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_BOOL: return reflection->GetBool(message, field) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field->message_type()->full_name() == "google.protobuf.Timestamp" &&
          reflection->HasField(message, field)) {
        const Message& time = reflection->GetMessage(message, field);
        const auto* seconds = time.GetDescriptor()->FindFieldByName("seconds");
        return google::protobuf::util::TimeUtil::ToString(
            google::protobuf::util::TimeUtil::SecondsToTimestamp(
                time.GetReflection()->GetInt64(time, seconds)));
      }
      return "";
    default: return "";
  }
}

// A list's items as a table: the name and the fields people scan for.
void PrintTable(const Message& response) {
  const Descriptor* type = response.GetDescriptor();
  const FieldDescriptor* items = nullptr;
  for (int f = 0; f < type->field_count() && items == nullptr; ++f) {
    if (type->field(f)->is_repeated() &&
        type->field(f)->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      items = type->field(f);
    }
  }
  if (items == nullptr) return;
  // Search results wrap the resource (`{statement, snippets, score}`): show
  // the resource.
  const Descriptor* item_type = items->message_type();
  const FieldDescriptor* wrapped = nullptr;
  if (item_type->FindFieldByName("name") == nullptr) {
    for (int f = 0; f < item_type->field_count() && wrapped == nullptr; ++f) {
      const FieldDescriptor* field = item_type->field(f);
      if (!field->is_repeated() && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
          field->message_type()->FindFieldByName("name") != nullptr) {
        wrapped = field;
      }
    }
  }
  const Descriptor* row_type = wrapped != nullptr ? wrapped->message_type() : item_type;
  std::vector<const FieldDescriptor*> columns;
  for (const char* name : {"name", "display_name", "title", "topic", "kind", "role", "state",
                           "country", "start_time", "end_time", "speakers", "person"}) {
    const FieldDescriptor* field = row_type->FindFieldByName(name);
    if (field != nullptr && columns.size() < 6) columns.push_back(field);
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const FieldDescriptor* column : columns) header.push_back(absl::AsciiStrToUpper(column->name()));
  rows.push_back(header);
  const Reflection* reflection = response.GetReflection();
  for (int i = 0; i < reflection->FieldSize(response, items); ++i) {
    const Message& listed = reflection->GetRepeatedMessage(response, items, i);
    const Message& item =
        wrapped != nullptr ? listed.GetReflection()->GetMessage(listed, wrapped) : listed;
    std::vector<std::string> row;
    for (const FieldDescriptor* column : columns) row.push_back(Cell(item, column));
    rows.push_back(row);
  }
  std::vector<size_t> widths(columns.size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], std::min<size_t>(row[c].size(), 48));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cell = row[c].size() > 48 ? row[c].substr(0, 47) + "…" : row[c];
      absl::StrAppend(&line, cell, std::string(widths[c] + 2 > cell.size() ? widths[c] + 2 - cell.size() : 2, ' '));
    }
    std::cout << std::string(absl::StripTrailingAsciiWhitespace(line)) << "\n";
  }
  const FieldDescriptor* next = type->FindFieldByName("next_page_token");
  if (next != nullptr && !reflection->GetString(response, next).empty()) {
    std::cout << "(more: add pageToken=" << reflection->GetString(response, next) << ")\n";
  }
}

}  // namespace

bool IsResourceCommand(const std::string& command) {
  if (command == "get" || command == "list" || command == "create" || command == "update" ||
      command == "delete") {
    return true;
  }
  for (const gateway::Route& route : TheContract().routes()) {
    if (route.path.verb() == command) return true;
  }
  return false;
}

int RunResourceCommand(const std::string& command, const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << "usage: summitctl " << command << " NAME [JSON|@FILE] [key=value…] (see summitctl help)\n";
    return 1;
  }
  const std::string& name = args[0];
  std::string body;
  std::vector<std::string> parameters;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (absl::StartsWith(arg, "{") || absl::StartsWith(arg, "@")) {
      if (!ReadBody(arg, body)) return 1;
    } else if (arg.find('=') != std::string::npos) {
      const size_t equals = arg.find('=');
      parameters.push_back(absl::StrCat(gateway::PercentEncode(arg.substr(0, equals)), "=",
                                        gateway::PercentEncode(arg.substr(equals + 1))));
    } else {
      std::cerr << "not a JSON body, @FILE or key=value: " << arg << "\n";
      return 1;
    }
  }

  std::vector<std::pair<std::string, std::string>> attempts;  // (HTTP method, path)
  if (command == "get" || command == "list") {
    attempts.push_back({"GET", "/v1/" + name});
  } else if (command == "create") {
    attempts.push_back({"POST", "/v1/" + name});
  } else if (command == "update") {
    attempts.push_back({"PATCH", "/v1/" + name});
  } else if (command == "delete") {
    attempts.push_back({"DELETE", "/v1/" + name});
  } else {
    attempts.push_back({"POST", absl::StrCat("/v1/", name, ":", command)});
    attempts.push_back({"GET", absl::StrCat("/v1/", name, ":", command)});
  }
  const gateway::Contract& contract = TheContract();
  const gateway::Transcoder transcoder(contract);
  for (const auto& [http_method, path] : attempts) {
    std::vector<gateway::Contract::Match> matches = contract.Find(http_method, path);
    if (matches.empty()) continue;
    const gateway::Route& route = *matches.front().route;
    std::vector<std::string> query = parameters;
    if (command == "create") {
      // `id=…` names the new resource's id field; a fresh request id makes
      // the create safe to retry.
      const Descriptor* input = route.method->input_type();
      for (std::string& parameter : query) {
        if (!absl::StartsWith(parameter, "id=")) continue;
        for (int f = 0; f < input->field_count(); ++f) {
          const std::string& field = input->field(f)->name();
          if (absl::EndsWith(field, "_id") && field != "request_id") {
            parameter = absl::StrCat(field, parameter.substr(2));
          }
        }
      }
      const bool has_request_id = std::any_of(query.begin(), query.end(), [](const std::string& p) {
        return absl::StartsWith(p, "request_id=") || absl::StartsWith(p, "requestId=");
      });
      if (!has_request_id && input->FindFieldByName("request_id") != nullptr) {
        query.push_back("requestId=" + NewRequestId());
      }
    }
    std::string target = path;
    if (!query.empty()) absl::StrAppend(&target, "?", absl::StrJoin(query, "&"));
    std::string request_body = body;
    if (request_body.empty() && !route.body.empty()) request_body = "{}";
    gateway::GrpcCall call;
    gateway::HttpError error;
    if (!transcoder.ToCall(http_method, target, request_body, call, error)) {
      std::cerr << "ERROR: " << error.message << "\n";
      return 1;
    }
    absl::StatusOr<std::string> token = BearerToken();
    if (!token.ok()) {
      std::cerr << token.status().message() << "\n";
      return 1;
    }
    std::string response;
    const grpc::Status status = CallRaw(call.route->grpc_path, call.request, *token, response);
    if (!status.ok()) {
      PrintError(status);
      return ExitCodeOf(status);
    }
    const std::string output = absl::GetFlag(FLAGS_output);
    const bool table = output == "table" || (output.empty() && command == "list");
    if (table) {
      std::unique_ptr<Message> message = contract.NewMessage(route.method->output_type());
      message->ParseFromString(response);
      PrintTable(*message);
    } else {
      std::string json;
      if (!transcoder.MessageToJson(route.method->output_type(), response, json)) {
        std::cerr << "the response could not be decoded\n";
        return 1;
      }
      std::cout << json << "\n";
    }
    return 0;
  }
  std::cerr << "no method answers \"" << command << " " << name << "\" (see summitctl help)\n";
  return 1;
}

}  // namespace summit::ctl
