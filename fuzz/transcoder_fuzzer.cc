// The HTTP/JSON transcoder (gateway/transcoder.h) on any request: method, target (path and
// query string) and body, against the real contract. It either refuses with an HTTP error in
// the 4xx range, or makes a call whose bytes are a valid request message of the route's
// method, which the transcoder can also print back as JSON.
//
// Input: METHOD '\n' TARGET '\n' BODY.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/contract.h"
#include "gateway/transcoder.h"

namespace {

const summit::gateway::Contract& TheContract() {
  static const summit::gateway::Contract* contract = [] {
    absl::StatusOr<std::unique_ptr<summit::gateway::Contract>> loaded =
        summit::gateway::Contract::Load(
            {"summit.registry.v1.RegistryService", "summit.scheduling.v1.SchedulingService",
             "summit.statements.v1.StatementsService", "summit.gateway.v1.GatewayService"});
    if (!loaded.ok()) std::abort();
    return loaded->release();
  }();
  return *contract;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using summit::gateway::GrpcCall;
  using summit::gateway::HttpError;
  const summit::gateway::Transcoder transcoder(TheContract());
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t first = input.find('\n');
  if (first == absl::string_view::npos) return 0;
  const size_t second = input.find('\n', first + 1);
  const absl::string_view method = input.substr(0, first);
  const absl::string_view target = input.substr(
      first + 1, second == absl::string_view::npos ? absl::string_view::npos : second - first - 1);
  const absl::string_view body =
      second == absl::string_view::npos ? absl::string_view() : input.substr(second + 1);

  GrpcCall call;
  HttpError error;
  if (!transcoder.ToCall(method, target, body, call, error)) {
    if (error.http_status < 400 || error.http_status > 499) std::abort();
    (void)transcoder.ErrorJson(error);
    return 0;
  }
  if (call.route == nullptr) std::abort();
  std::unique_ptr<google::protobuf::Message> request =
      TheContract().NewMessage(call.route->method->input_type());
  if (!request->ParseFromString(call.request)) std::abort();
  std::string json;
  if (!transcoder.MessageToJson(call.route->method->input_type(), call.request, json)) std::abort();
  // The body bytes read as the method's response too: a backend's answer is untrusted as well.
  (void)transcoder.ResponseToJson(*call.route, std::string(body), json, error);
  return 0;
}
