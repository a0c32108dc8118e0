#include "gateway/contract_reflection.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/backends.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/support/status.h"

namespace summit::gateway {
namespace {

using google::protobuf::FileDescriptor;
using google::protobuf::FileDescriptorProto;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

// Field numbers of grpc.reflection.v1(alpha).ServerReflectionRequest.
constexpr int kHost = 1;
constexpr int kFileByFilename = 3;
constexpr int kFileContainingSymbol = 4;
constexpr int kFileContainingExtension = 5;  // ExtensionRequest{containing_type = 1, number = 2}
constexpr int kAllExtensionNumbersOfType = 6;
constexpr int kListServices = 7;
// … and of ServerReflectionResponse.
constexpr int kValidHost = 1;
constexpr int kOriginalRequest = 2;
constexpr int kFileDescriptorResponse = 4;     // {repeated bytes file_descriptor_proto = 1}
constexpr int kAllExtensionNumbersResponse = 5;  // {base_type_name = 1, repeated int32 = 2}
constexpr int kListServicesResponse = 6;       // {repeated ServiceResponse{name = 1} = 1}
constexpr int kErrorResponse = 7;              // {int32 error_code = 1, error_message = 2}

constexpr char kHealthService[] = "grpc.health.v1.Health";
constexpr char kReflectionService[] = "grpc.reflection.v1alpha.ServerReflection";

std::string Serialized(const UnknownFieldSet& fields) {
  std::string bytes;
  fields.SerializeToString(&bytes);
  return bytes;
}

std::string ErrorResponse(grpc::StatusCode code, absl::string_view message) {
  UnknownFieldSet error;
  error.AddVarint(1, static_cast<uint64_t>(code));
  error.AddLengthDelimited(2, std::string(message));
  return Serialized(error);
}

// One reflection stream: each request read is answered with one response, in order.
class ReflectionStream final : public grpc::ServerGenericBidiReactor {
 public:
  explicit ReflectionStream(const ContractReflection& reflection) : reflection_(reflection) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) return Finish(grpc::Status::OK);  // the client has no more requests
    response_ = ToByteBuffer(reflection_.Answer(FromByteBuffer(request_), sent_files_));
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const ContractReflection& reflection_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::vector<std::string> sent_files_;
};

}  // namespace

ContractReflection::ContractReflection(const google::protobuf::DescriptorPool& pool,
                                       std::vector<std::string> services)
    : pool_(pool), services_(std::move(services)) {
  services_.emplace_back(kHealthService);
  services_.emplace_back(kReflectionService);
}

bool ContractReflection::IsReflectionMethod(absl::string_view method) {
  return method == "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo" ||
         method == "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
}

grpc::ServerGenericBidiReactor* ContractReflection::NewStream() const {
  return new ReflectionStream(*this);
}

const FileDescriptor* ContractReflection::FindFile(const std::string& name) const {
  const FileDescriptor* file = pool_.FindFileByName(name);
  return file != nullptr ? file
                         : google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
}

const FileDescriptor* ContractReflection::FindFileOfSymbol(const std::string& symbol) const {
  const FileDescriptor* file = pool_.FindFileContainingSymbol(symbol);
  return file != nullptr
             ? file
             : google::protobuf::DescriptorPool::generated_pool()->FindFileContainingSymbol(symbol);
}

std::string ContractReflection::Answer(absl::string_view request_bytes,
                                       std::vector<std::string>& sent_files) const {
  UnknownFieldSet request;
  UnknownFieldSet response;
  if (!request.ParseFromArray(request_bytes.data(), static_cast<int>(request_bytes.size()))) {
    response.AddLengthDelimited(
        kErrorResponse, ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT, "unreadable request"));
    return Serialized(response);
  }
  // The request's own fields, as strings (every field it has but one is a string).
  auto text = [&request](int number) -> std::optional<std::string> {
    for (int i = 0; i < request.field_count(); ++i) {
      const UnknownField& field = request.field(i);
      if (field.number() == number && field.type() == UnknownField::TYPE_LENGTH_DELIMITED) {
        return field.length_delimited();
      }
    }
    return std::nullopt;
  };
  response.AddLengthDelimited(kValidHost, text(kHost).value_or(""));
  response.AddLengthDelimited(kOriginalRequest, std::string(request_bytes));

  // A file and what it imports, each file once a stream.
  auto files_response = [&](const FileDescriptor* file) {
    UnknownFieldSet files;
    std::vector<const FileDescriptor*> pending = {file};
    while (!pending.empty()) {
      const FileDescriptor* next = pending.back();
      pending.pop_back();
      if (std::find(sent_files.begin(), sent_files.end(), next->name()) != sent_files.end()) {
        continue;
      }
      sent_files.push_back(next->name());
      FileDescriptorProto proto;
      next->CopyTo(&proto);
      files.AddLengthDelimited(1, proto.SerializeAsString());
      for (int i = 0; i < next->dependency_count(); ++i) pending.push_back(next->dependency(i));
    }
    response.AddLengthDelimited(kFileDescriptorResponse, Serialized(files));
  };
  auto not_found = [&](const std::string& what) {
    response.AddLengthDelimited(kErrorResponse,
                                ErrorResponse(grpc::StatusCode::NOT_FOUND, what + " not found"));
  };

  if (text(kListServices).has_value()) {
    UnknownFieldSet list;
    for (const std::string& service : services_) {
      UnknownFieldSet entry;
      entry.AddLengthDelimited(1, service);
      list.AddLengthDelimited(1, Serialized(entry));
    }
    response.AddLengthDelimited(kListServicesResponse, Serialized(list));
  } else if (std::optional<std::string> name = text(kFileByFilename)) {
    const FileDescriptor* file = FindFile(*name);
    if (file == nullptr) {
      not_found(absl::StrCat("file ", *name));
    } else {
      files_response(file);
    }
  } else if (std::optional<std::string> symbol = text(kFileContainingSymbol)) {
    const FileDescriptor* file = FindFileOfSymbol(*symbol);
    if (file == nullptr) {
      not_found(absl::StrCat("symbol ", *symbol));
    } else {
      files_response(file);
    }
  } else if (std::optional<std::string> extension = text(kFileContainingExtension)) {
    UnknownFieldSet asked;
    std::string type;
    int64_t number = -1;
    if (asked.ParseFromString(*extension)) {
      for (int i = 0; i < asked.field_count(); ++i) {
        const UnknownField& field = asked.field(i);
        if (field.number() == 1 && field.type() == UnknownField::TYPE_LENGTH_DELIMITED) {
          type = field.length_delimited();
        }
        if (field.number() == 2 && field.type() == UnknownField::TYPE_VARINT) {
          number = static_cast<int64_t>(field.varint());
        }
      }
    }
    const google::protobuf::Descriptor* message = pool_.FindMessageTypeByName(type);
    const google::protobuf::FieldDescriptor* field =
        message == nullptr ? nullptr : pool_.FindExtensionByNumber(message, static_cast<int>(number));
    if (field == nullptr) {
      not_found(absl::StrCat("extension ", number, " of ", type));
    } else {
      files_response(field->file());
    }
  } else if (std::optional<std::string> type = text(kAllExtensionNumbersOfType)) {
    const google::protobuf::Descriptor* message = pool_.FindMessageTypeByName(*type);
    if (message == nullptr) {
      not_found(absl::StrCat("type ", *type));
    } else {
      std::vector<const google::protobuf::FieldDescriptor*> extensions;
      pool_.FindAllExtensions(message, &extensions);
      UnknownFieldSet numbers;
      numbers.AddLengthDelimited(1, *type);
      for (const auto* extension : extensions) numbers.AddVarint(2, extension->number());
      response.AddLengthDelimited(kAllExtensionNumbersResponse, Serialized(numbers));
    }
  } else {
    response.AddLengthDelimited(
        kErrorResponse,
        ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT, "the request asks for nothing known"));
  }
  return Serialized(response);
}

}  // namespace summit::gateway
