#include "tests/support/reflection_client.h"

#include <optional>

#include "absl/time/clock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/support/serving_process.h"

namespace summit::testing {
namespace {

using ::google::protobuf::UnknownFieldSet;

constexpr char kReflection[] = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

// The length-delimited values of field `number` in `bytes`.
std::vector<std::string> Values(const std::string& bytes, int number) {
  std::vector<std::string> values;
  UnknownFieldSet fields;
  if (!fields.ParseFromString(bytes)) return values;
  for (int i = 0; i < fields.field_count(); ++i) {
    if (fields.field(i).number() == number &&
        fields.field(i).type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      values.push_back(fields.field(i).length_delimited());
    }
  }
  return values;
}

// One request (ServerReflectionRequest field `field` set to `value`) on a stream of its own,
// and the one response; nullopt when the stream failed.
std::optional<std::string> Ask(const std::shared_ptr<grpc::Channel>& channel, int field,
                               const std::string& value) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> stream =
      stub.PrepareCall(&context, kReflection, &queue);
  void* tag;
  bool ok = false;
  auto step = [&](intptr_t expected) {
    return queue.Next(&tag, &ok) && tag == reinterpret_cast<void*>(expected) && ok;
  };
  UnknownFieldSet request;
  request.AddLengthDelimited(field, value);
  std::string request_bytes;
  request.SerializeToString(&request_bytes);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::Status status;

  stream->StartCall(reinterpret_cast<void*>(1));
  bool good = step(1);
  if (good) stream->Write(request_buffer, reinterpret_cast<void*>(2));
  good = good && step(2);
  if (good) stream->WritesDone(reinterpret_cast<void*>(3));
  good = good && step(3);
  if (good) stream->Read(&response_buffer, reinterpret_cast<void*>(4));
  good = good && step(4);
  stream->Finish(&status, reinterpret_cast<void*>(5));
  while (queue.Next(&tag, &ok) && tag != reinterpret_cast<void*>(5)) {
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  EXPECT_TRUE(good) << "reflection stream failed: " << status.error_message();
  if (!good) return std::nullopt;
  std::vector<grpc::Slice> slices;
  std::string response;
  if (!response_buffer.Dump(&slices).ok()) return std::nullopt;
  for (const grpc::Slice& part : slices) {
    response.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  return response;
}

}  // namespace

std::vector<std::string> ListServicesByReflection(const std::shared_ptr<grpc::Channel>& channel) {
  // ServerReflectionRequest.list_services = 7; the response's ListServiceResponse = 6 holds
  // ServiceResponse = 1, each with name = 1.
  std::vector<std::string> names;
  const std::optional<std::string> response = Ask(channel, 7, "");
  if (!response.has_value()) return names;
  for (const std::string& list : Values(*response, 6)) {
    for (const std::string& service : Values(list, 1)) {
      for (const std::string& name : Values(service, 1)) names.push_back(name);
    }
  }
  return names;
}

std::vector<std::string> FilesDescribing(const std::shared_ptr<grpc::Channel>& channel,
                                         const std::string& symbol) {
  // file_containing_symbol = 4; the response's FileDescriptorResponse = 4 holds
  // file_descriptor_proto = 1, each a serialized FileDescriptorProto.
  std::vector<std::string> names;
  const std::optional<std::string> response = Ask(channel, 4, symbol);
  if (!response.has_value()) return names;
  for (const std::string& files : Values(*response, 4)) {
    for (const std::string& file : Values(files, 1)) {
      google::protobuf::FileDescriptorProto proto;
      if (proto.ParseFromString(file)) names.push_back(proto.name());
    }
  }
  return names;
}

}  // namespace summit::testing
