// HTTP/JSON ⇄ gRPC for one call, from the contract alone: finds the route of
// an HTTP request, builds the request message's bytes from the path
// variables, the query string and the JSON body (the protobuf JSON mapping:
// lowerCamel or original field names in, lowerCamel out), and turns the
// response bytes or the call's status back into JSON.
//
// Anything malformed — an unknown route, bad JSON, an unknown field, a
// value of the wrong type — is an HttpError, and no call is made.
#ifndef SUMMIT_GATEWAY_TRANSCODER_H_
#define SUMMIT_GATEWAY_TRANSCODER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "gateway/contract.h"
#include "grpcpp/support/status.h"

namespace summit::gateway {

// What the gateway answers instead of calling a backend.
struct HttpError {
  int http_status;
  grpc::StatusCode code;
  std::string message;
  std::string field;  // the offending field or parameter, "" when none
};

// A call to make.
struct GrpcCall {
  const Route* route = nullptr;
  std::string request;  // serialized request message
};

class Transcoder {
 public:
  explicit Transcoder(const Contract& contract) : contract_(contract) {}

  // `target` is the request target as sent: path and query string.
  // Returns false and fills `error` when the request cannot be made a call.
  bool ToCall(absl::string_view http_method, absl::string_view target, absl::string_view body,
              GrpcCall& call, HttpError& error) const;

  // The response message's JSON; false (and `error`) when the bytes are not
  // a valid response.
  bool ResponseToJson(const Route& route, const std::string& response, std::string& json,
                      HttpError& error) const;
  // Any message of the contract as JSON (e.g. one event of a stream).
  bool MessageToJson(const google::protobuf::Descriptor* type, const std::string& bytes,
                     std::string& json) const;

  // The JSON google.rpc.Status body for a failed call (with its details) or
  // for an HttpError.
  std::string StatusJson(const grpc::Status& status) const;
  std::string ErrorJson(const HttpError& error) const;

  // The HTTP status for a gRPC code, as google/rpc/code.proto maps them.
  static int HttpStatusOf(grpc::StatusCode code);

 private:
  bool SetField(google::protobuf::Message& request, absl::string_view field_path,
                absl::string_view value, bool from_path, HttpError& error) const;

  const Contract& contract_;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_TRANSCODER_H_
