// Registry: organizations.
#include "common/api/field_mask.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/create_requests.h"
#include "common/storage/list_query.h"
#include "services/registry/access_policy.h"
#include "services/registry/registry.h"
#include "services/registry/registry_internal.h"
#include "services/registry/registry_store.h"
#include "services/registry/registry_validation.h"

namespace summit::registry {
namespace {

constexpr absl::string_view kPattern = "organizations/*";
constexpr absl::string_view kUpdatableOrganizationFields[] = {"display_name", "kind", "country",
                                                              "capabilities", "website"};

}  // namespace

absl::StatusOr<v1::Organization> Registry::CreateOrganization(
    const Caller& caller, const v1::CreateOrganizationRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "create organizations"));
  std::vector<FieldViolation> violations =
      ValidateOrganization(request.organization(), "organization");
  ValidateOptionalId(request.organization_id(), "organization_id", violations);
  ValidateRequestId(request.request_id(), violations);
  RETURN_IF_ERROR(ToStatus(std::move(violations)));

  v1::Organization organization = request.organization();
  const std::string id = api::ChosenOrNewId(request.organization_id());
  organization.set_name(absl::StrCat("organizations/", id));
  api::StampCreated(organization, clock_());

  // Every rule of a new organization is also a key of the schema (the
  // request id and the organization's id unused): see
  // WriteIsolation::kReadCommitted.
  RETURN_IF_ERROR(database_.Write(
      storage::WriteIsolation::kReadCommitted, [&](storage::Transaction& tx) -> absl::Status {
        RegistryStore store(tx);
        return storage::CreateOnce<v1::Organization>(
            tx, request.request_id(),
            [&](const std::string& name) -> absl::StatusOr<std::optional<v1::Organization>> {
              ASSIGN_OR_RETURN(std::string earlier_id, api::ResourceIdOf(name, kPattern, "name"));
              return store.FindOrganization(earlier_id);
            },
            [&]() -> absl::Status {
              ASSIGN_OR_RETURN(std::optional<v1::Organization> existing,
                               store.FindOrganization(id));
              if (existing.has_value()) return AlreadyExistsError(organization.name());
              return store.InsertOrganization(id, organization);
            },
            organization);
      }));
  return organization;
}

absl::StatusOr<v1::Organization> Registry::GetOrganization(
    const Caller& caller, const v1::GetOrganizationRequest& request) {
  ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(request.name(), kPattern, "name"));
  std::optional<v1::Organization> organization;
  RETURN_IF_ERROR(database_.ReadOneQuery([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(organization, RegistryStore(tx).FindOrganization(id));
    return absl::OkStatus();
  }));
  if (!organization.has_value()) return NotFoundError(request.name());
  return *std::move(organization);
}

absl::StatusOr<v1::ListOrganizationsResponse> Registry::ListOrganizations(
    const Caller& caller, const v1::ListOrganizationsRequest& request) {
  static const storage::FilterField kFields[] = {
      {"country", "country = ?"},
      {"kind", "kind = ?", v1::Organization::Kind_descriptor()},
      {"capabilities",
       "EXISTS (SELECT 1 FROM organization_capabilities c "
       "WHERE c.organization_id = t.id AND c.capability = ?)"},
  };
  ASSIGN_OR_RETURN(storage::ListQuery query, storage::ParseListQuery("organizations", request.page_size(),
                                                                     request.page_token(),
                                                                     request.filter(), kFields));
  std::vector<v1::Organization> organizations;
  RETURN_IF_ERROR(database_.ReadOneQuery([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(organizations, RegistryStore(tx).ListOrganizations(
                                        query.conditions, query.after_id, query.fetch_limit()));
    return absl::OkStatus();
  }));
  v1::ListOrganizationsResponse response;
  response.set_next_page_token(query.FinishPage(organizations));
  for (v1::Organization& organization : organizations) {
    *response.add_organizations() = std::move(organization);
  }
  return response;
}

absl::StatusOr<v1::Organization> Registry::UpdateOrganization(
    const Caller& caller, const v1::UpdateOrganizationRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "change organizations"));
  ASSIGN_OR_RETURN(std::string id,
                   api::ResourceIdOf(request.organization().name(), kPattern, "organization.name"));
  v1::Organization updated;
  RETURN_IF_ERROR(database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Organization> stored, store.FindOrganization(id));
    if (!stored.has_value()) return NotFoundError(request.organization().name());
    RETURN_IF_ERROR(api::CheckEtag(request.organization().etag(), stored->etag(), stored->name()));
    updated = *stored;
    RETURN_IF_ERROR(api::ApplyFieldMask(request.organization(), request.update_mask(),
                                        kUpdatableOrganizationFields, &updated));
    RETURN_IF_ERROR(ToStatus(ValidateOrganization(updated, "organization")));
    api::StampUpdated(updated, clock_());
    return store.ReplaceOrganization(id, updated);
  }));
  return updated;
}

absl::Status Registry::DeleteOrganization(const Caller& caller,
                                          const v1::DeleteOrganizationRequest& request) {
  RETURN_IF_ERROR(RequireOrganizer(caller, "delete organizations"));
  ASSIGN_OR_RETURN(std::string id, api::ResourceIdOf(request.name(), kPattern, "name"));
  return database_.Write([&](storage::Transaction& tx) -> absl::Status {
    RegistryStore store(tx);
    ASSIGN_OR_RETURN(std::optional<v1::Organization> stored, store.FindOrganization(id));
    if (!stored.has_value()) return NotFoundError(request.name());
    RETURN_IF_ERROR(api::CheckEtag(request.etag(), stored->etag(), stored->name()));
    ASSIGN_OR_RETURN(std::vector<std::string> references, store.OrganizationReferences(id));
    if (!references.empty()) return InUseError(request.name(), references);
    return store.DeleteOrganization(id);
  });
}

}  // namespace summit::registry
