// The OpenAPI 3 document of the HTTP/JSON API, generated from the same
// contract the transcoder serves: a path per route, its parameters (path
// variables; for methods without a body, the request's other fields in the
// query string), its request body, its response, and a schema per message
// in the protobuf JSON mapping (lowerCamel names, enums as strings, 64-bit
// integers as strings, well-known types as their JSON forms), with the
// protos' comments as descriptions.
//
// A resource name in a path is written out, one parameter per id:
// "/v1/{name=events/*/statements/*}:publish" is
// "/v1/events/{event}/statements/{statement}:publish" (x-summit-field and
// x-summit-pattern on each parameter say which field it fills), so that
// every parameter is one segment and no two RPCs share a path and method.
// The document is deterministic: built once at start, served as is.
#ifndef SUMMIT_GATEWAY_OPENAPI_H_
#define SUMMIT_GATEWAY_OPENAPI_H_

#include <string>

#include "gateway/contract.h"

namespace summit::gateway {

std::string OpenApiDocument(const Contract& contract);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_OPENAPI_H_
