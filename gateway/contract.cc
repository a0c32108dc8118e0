#include "gateway/contract.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/type.pb.h"
#include "google/protobuf/util/type_resolver_util.h"

extern const unsigned char summit_descriptor_set[];
extern const std::size_t summit_descriptor_set_size;

namespace summit::gateway {
namespace {

// The pool's type resolver, remembering each answer. The JSON converter asks for every type a
// message holds on every conversion, and the pool's resolver builds each answer anew from the
// descriptor; the contract never changes, so each type is built once. Bounded by the contract's
// types.
class ResolvedTypes final : public google::protobuf::util::TypeResolver {
 public:
  explicit ResolvedTypes(google::protobuf::util::TypeResolver* pool) : pool_(pool) {}

  google::protobuf::util::Status ResolveMessageType(const std::string& type_url,
                                                    google::protobuf::Type* type) override {
    return Resolve(type_url, messages_, type, &TypeResolver::ResolveMessageType);
  }
  google::protobuf::util::Status ResolveEnumType(const std::string& type_url,
                                                 google::protobuf::Enum* enum_type) override {
    return Resolve(type_url, enums_, enum_type, &TypeResolver::ResolveEnumType);
  }

 private:
  template <typename T>
  google::protobuf::util::Status Resolve(
      const std::string& type_url, absl::flat_hash_map<std::string, T>& known, T* out,
      google::protobuf::util::Status (TypeResolver::*resolve)(const std::string&, T*)) {
    {
      absl::MutexLock lock(&mu_);
      if (const auto it = known.find(type_url); it != known.end()) {
        *out = it->second;
        return google::protobuf::util::Status();
      }
    }
    T resolved;
    google::protobuf::util::Status status = (pool_.get()->*resolve)(type_url, &resolved);
    if (!status.ok()) return status;
    *out = resolved;
    absl::MutexLock lock(&mu_);
    known.emplace(type_url, std::move(resolved));
    return status;
  }

  const std::unique_ptr<google::protobuf::util::TypeResolver> pool_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, google::protobuf::Type> messages_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, google::protobuf::Enum> enums_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

namespace {

// The (method, path, body) of one HttpRule.
absl::Status AddRule(const google::api::HttpRule& rule, const google::protobuf::MethodDescriptor* method,
                     std::vector<Route>& routes) {
  std::string verb;
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet: verb = "GET"; path = rule.get(); break;
    case google::api::HttpRule::kPost: verb = "POST"; path = rule.post(); break;
    case google::api::HttpRule::kPatch: verb = "PATCH"; path = rule.patch(); break;
    case google::api::HttpRule::kPut: verb = "PUT"; path = rule.put(); break;
    case google::api::HttpRule::kDelete: verb = "DELETE"; path = rule.delete_(); break;
    case google::api::HttpRule::kCustom: verb = rule.custom().kind(); path = rule.custom().path(); break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": an http rule without a pattern"));
  }
  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(path);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(method->full_name(), ": ", parsed.status().message()));
  }
  // Every variable and the body must name real fields, or the route could
  // never be served: refuse to start rather than fail per request.
  for (const std::string& field_path : parsed->field_paths()) {
    const google::protobuf::Descriptor* type = method->input_type();
    for (absl::string_view part : absl::StrSplit(field_path, '.')) {
      const google::protobuf::FieldDescriptor* field =
          type == nullptr ? nullptr : type->FindFieldByName(std::string(part));
      if (field == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(method->full_name(), ": no field ", field_path));
      }
      type = field->message_type();
    }
  }
  if (!rule.body().empty() && rule.body() != "*" &&
      method->input_type()->FindFieldByName(rule.body()) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": no body field ", rule.body()));
  }
  routes.push_back(Route{verb, *std::move(parsed), rule.body(), method,
                         absl::StrCat("/", method->service()->full_name(), "/", method->name())});
  for (const google::api::HttpRule& more : rule.additional_bindings()) {
    absl::Status added = AddRule(more, method, routes);
    if (!added.ok()) return added;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Contract>> Contract::Load(const std::vector<std::string>& services) {
  return FromDescriptorSet(std::string(reinterpret_cast<const char*>(summit_descriptor_set),
                                       summit_descriptor_set_size),
                           services);
}

absl::StatusOr<std::unique_ptr<Contract>> Contract::FromDescriptorSet(
    const std::string& bytes, const std::vector<std::string>& services) {
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromString(bytes)) {
    return absl::InternalError("the embedded descriptor set cannot be read");
  }
  auto contract = std::unique_ptr<Contract>(new Contract());
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (contract->pool_.BuildFile(file) == nullptr) {
      return absl::InternalError(absl::StrCat("the descriptor of ", file.name(), " does not build"));
    }
  }
  contract->resolver_ = std::make_unique<ResolvedTypes>(
      google::protobuf::util::NewTypeResolverForDescriptorPool("type.googleapis.com", &contract->pool_));
  // The annotations are read from the descriptor protos, where the linked-in
  // google.api.http extension parses them.
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    for (const google::protobuf::ServiceDescriptorProto& service : file.service()) {
      const std::string full_name =
          file.package().empty() ? service.name() : absl::StrCat(file.package(), ".", service.name());
      if (std::find(services.begin(), services.end(), full_name) == services.end()) continue;
      const google::protobuf::ServiceDescriptor* descriptor =
          contract->pool_.FindServiceByName(full_name);
      contract->services_.push_back(descriptor);
      for (const google::protobuf::MethodDescriptorProto& method : service.method()) {
        if (!method.options().HasExtension(google::api::http)) continue;
        absl::Status added = AddRule(method.options().GetExtension(google::api::http),
                                     descriptor->FindMethodByName(method.name()), contract->routes_);
        if (!added.ok()) return added;
      }
    }
  }
  for (const std::string& name : services) {
    if (contract->pool_.FindServiceByName(name) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("the contract has no service ", name));
    }
  }
  return contract;
}

std::unique_ptr<google::protobuf::Message> Contract::NewMessage(
    const google::protobuf::Descriptor* type) const {
  return std::unique_ptr<google::protobuf::Message>(factory_.GetPrototype(type)->New());
}

std::vector<Contract::Match> Contract::Find(absl::string_view http_method,
                                            absl::string_view path) const {
  std::vector<Match> matches;
  for (const Route& route : routes_) {
    if (route.http_method != http_method) continue;
    std::optional<std::vector<PathBinding>> bindings = route.path.Match(path);
    if (bindings.has_value()) matches.push_back({&route, *std::move(bindings)});
  }
  std::stable_sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.route->path.literal_count() > b.route->path.literal_count();
  });
  return matches;
}

bool Contract::PathExists(absl::string_view path) const {
  return std::any_of(routes_.begin(), routes_.end(),
                     [&](const Route& route) { return route.path.Match(path).has_value(); });
}

}  // namespace summit::gateway
