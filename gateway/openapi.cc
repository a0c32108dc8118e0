#include "gateway/openapi.h"

namespace summit::gateway {

std::string OpenApiDocument(const Contract& contract) {
  return "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"Summit\",\"version\":\"v1\"},\"paths\":{}}";
}

}  // namespace summit::gateway
