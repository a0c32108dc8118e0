#include "tools/summitctl/call_command.h"

#include <future>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tools/summitctl/connection.h"
#include "tools/summitctl/raw_call.h"
#include "tools/summitctl/contract.h"

namespace summit::ctl {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

}  // namespace

int RunCall(const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 2) {
    std::cerr << "usage: summitctl call SERVICE/METHOD [JSON]\n";
    return 1;
  }
  const std::string& full = args[0];
  const size_t slash = full.rfind('/');
  const std::string lookup =
      slash == std::string::npos ? full : absl::StrCat(full.substr(0, slash), ".", full.substr(slash + 1));
  KnownServices();  // keeps the services' descriptors linked in
  const MethodDescriptor* method = DescriptorPool::generated_pool()->FindMethodByName(
      std::string(absl::StripPrefix(lookup, "/")));
  if (method == nullptr || method->client_streaming() || method->server_streaming()) {
    std::cerr << "no unary method " << full << " (see: summitctl methods)\n";
    return 1;
  }
  std::unique_ptr<Message> request = NewMessage(method->input_type());
  const std::string json = args.size() == 2 ? args[1] : "{}";
  if (auto parsed = google::protobuf::util::JsonStringToMessage(json, request.get()); !parsed.ok()) {
    std::cerr << "the request is not a valid " << method->input_type()->full_name()
              << " in JSON: " << parsed.ToString() << "\n";
    return 1;
  }
  absl::StatusOr<std::string> token = BearerToken();
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 1;
  }

  std::string bytes;
  const grpc::Status status =
      CallRaw(absl::StrCat("/", method->service()->full_name(), "/", method->name()),
              request->SerializeAsString(), *token, bytes);
  if (!status.ok()) {
    PrintError(status);
    return 2 + static_cast<int>(status.error_code());
  }
  std::unique_ptr<Message> response = NewMessage(method->output_type());
  if (!response->ParseFromString(bytes)) {
    std::cerr << "the response could not be decoded\n";
    return 2 + static_cast<int>(grpc::StatusCode::INTERNAL);
  }
  std::cout << ToJson(*response);
  return 0;
}

int RunListMethods() {
  for (const google::protobuf::ServiceDescriptor* service : KnownServices()) {
    for (int m = 0; m < service->method_count(); ++m) {
      std::cout << service->full_name() << "/" << service->method(m)->name() << "\n";
    }
  }
  return 0;
}

}  // namespace summit::ctl
