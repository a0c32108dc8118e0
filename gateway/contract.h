// The public contract as data: every proto of the three services (and the
// gateway's own), read from the descriptor set compiled into the binary, with
// the HTTP routes their google.api.http annotations declare. The transcoder
// and the OpenAPI document work from this alone — no backend's generated
// code — so a new RPC with an annotation is served without gateway code.
//
// Immutable after Load(); safe to share between threads.
#ifndef SUMMIT_GATEWAY_CONTRACT_H_
#define SUMMIT_GATEWAY_CONTRACT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/path_template.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/type_resolver.h"

namespace summit::gateway {

// One HTTP binding of one RPC.
struct Route {
  std::string http_method;  // "GET", "POST", "PATCH", "DELETE", "PUT"
  PathTemplate path;
  // "" (no body), "*" (the whole request) or a top-level field name.
  std::string body;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // "/summit.registry.v1.RegistryService/GetPerson"
  std::string grpc_path;
};

class Contract {
 public:
  // From the embedded descriptor set; `services` are the full names of the
  // services to route (e.g. "summit.registry.v1.RegistryService").
  static absl::StatusOr<std::unique_ptr<Contract>> Load(const std::vector<std::string>& services);
  // From given FileDescriptorSet bytes (tests).
  static absl::StatusOr<std::unique_ptr<Contract>> FromDescriptorSet(
      const std::string& bytes, const std::vector<std::string>& services);

  const google::protobuf::DescriptorPool& pool() const { return pool_; }
  google::protobuf::util::TypeResolver& resolver() const { return *resolver_; }
  const std::vector<Route>& routes() const { return routes_; }
  const std::vector<const google::protobuf::ServiceDescriptor*>& services() const {
    return services_;
  }

  // A new, empty message of `type`, owned by the caller.
  std::unique_ptr<google::protobuf::Message> NewMessage(
      const google::protobuf::Descriptor* type) const;

  // The routes whose method and path match, most specific first.
  struct Match {
    const Route* route;
    std::vector<PathBinding> bindings;
  };
  std::vector<Match> Find(absl::string_view http_method, absl::string_view path) const;
  // Whether some route has this path under another method (405 vs 404).
  bool PathExists(absl::string_view path) const;

  static std::string TypeUrl(const google::protobuf::Descriptor* type) {
    return "type.googleapis.com/" + type->full_name();
  }

 private:
  Contract() = default;

  google::protobuf::DescriptorPool pool_;
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
  mutable google::protobuf::DynamicMessageFactory factory_{&pool_};
  std::vector<const google::protobuf::ServiceDescriptor*> services_;
  std::vector<Route> routes_;
};

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_CONTRACT_H_
