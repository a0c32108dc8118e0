// The OpenAPI 3 document of the HTTP/JSON API, generated from the same
// contract the transcoder serves: a path per route, its parameters (path
// variables; for methods without a body, the request's other fields in the
// query string), its request body, its response, and a schema per message
// in the protobuf JSON mapping (lowerCamel names, enums as strings, 64-bit
// integers as strings, well-known types as their JSON forms), with the
// protos' comments as descriptions.
#ifndef SUMMIT_GATEWAY_OPENAPI_H_
#define SUMMIT_GATEWAY_OPENAPI_H_

#include <string>

#include "gateway/contract.h"

namespace summit::gateway {

std::string OpenApiDocument(const Contract& contract);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_OPENAPI_H_
