#include "tests/support/ways_in.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "tests/support/any_call.h"

namespace summit::testing {

absl::string_view NameOf(WayIn way) {
  switch (way) {
    case WayIn::kDirect:
      return "directly";
    case WayIn::kGatewayGrpc:
      return "through the gateway's gRPC port";
    case WayIn::kGatewayHttp:
      return "through the gateway's HTTP/JSON";
  }
  return "?";
}

std::string CallerAndWay(const auth::Principal& caller, WayIn way) {
  std::ostringstream text;
  text << caller << " " << NameOf(way);
  return text.str();
}

std::string TokenOf(const Suite& suite, const auth::Principal& caller) {
  return caller.IsPublic() ? "" : suite.Token(caller);
}

std::unique_ptr<grpc::ClientContext> ContextAs(const Suite& suite, const auth::Principal& caller) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (const std::string token = TokenOf(suite, caller); !token.empty()) {
    context->AddMetadata("authorization", "Bearer " + token);
  }
  context->set_deadline(absl::ToChronoTime(absl::Now() + kCallPatience));
  return context;
}

grpc::Status CallAs(const Suite& suite, WayIn way, absl::string_view method,
                    const google::protobuf::Message& request, const auth::Principal& caller,
                    google::protobuf::Message* response) {
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(std::string(method));
  if (descriptor == nullptr) {
    return grpc::Status(grpc::StatusCode::INTERNAL, absl::StrCat("no method ", method));
  }
  const std::string token = TokenOf(suite, caller);
  AnyCallResult result;
  switch (way) {
    case WayIn::kDirect:
      result = CallOverGrpc(suite.Channel(ServerOf(descriptor->service()->full_name())),
                            *descriptor, request, token);
      break;
    case WayIn::kGatewayGrpc:
      result = CallOverGrpc(suite.Channel(Server::kGateway), *descriptor, request, token);
      break;
    case WayIn::kGatewayHttp:
      result = CallOverHttp(suite.http_port(), *descriptor, request, token);
      break;
  }
  if (result.status.ok()) {
    if (result.responses.size() != 1 ||
        !response->ParseFromString(result.responses.front()->SerializeAsString())) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          absl::StrCat(method, " answered OK without one ",
                                       response->GetDescriptor()->full_name()));
    }
  }
  return result.status;
}

}  // namespace summit::testing
