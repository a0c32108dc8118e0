#include "tools/summitctl/raw_call.h"

#include <future>
#include <iostream>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tools/summitctl/connection.h"

namespace summit::ctl {
using google::protobuf::DescriptorPool;
using google::protobuf::Message;

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

std::string ToJson(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

grpc::Status CallRaw(const std::string& grpc_path, const std::string& request,
                     const std::string& token, std::string& response) {
  const std::string service = grpc_path.substr(1, grpc_path.rfind('/') - 1);
  grpc::GenericStub stub(ChannelFor(service));
  std::unique_ptr<grpc::ClientContext> context = CallContext(token);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_bytes(&slice, 1);
  grpc::ByteBuffer response_bytes;
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), grpc_path, grpc::StubOptions(), &request_bytes, &response_bytes,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  response.clear();
  if (response_bytes.Dump(&slices).ok()) {
    for (const grpc::Slice& part : slices) {
      response.append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
  }
  return status;
}

// Prints a failed call the way an operator wants to read it: code, message
// and the google.rpc details as JSON.
void PrintError(const grpc::Status& status) {
  std::cerr << "ERROR: " << absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()))
            << ": " << status.error_message() << "\n";
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      const std::string type_name(any.type_url().substr(any.type_url().rfind('/') + 1));
      const auto* type = DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
      if (type == nullptr) continue;
      std::unique_ptr<Message> detail = NewMessage(type);
      if (detail->ParseFromString(any.value())) std::cerr << type_name << " " << ToJson(*detail);
    }
  }
}

}  // namespace summit::ctl
