#include "gateway/views/view_parts.h"

#include <algorithm>

#include "absl/time/civil_time.h"
#include "common/api/resource_meta.h"
#include "common/status/grpc_status.h"

namespace summit::gateway {
namespace {

constexpr size_t kPeoplePerBatch = 1000;

}  // namespace

google::rpc::Status SectionError(const grpc::Status& status) {
  google::rpc::Status error;
  if (!status.error_details().empty() && error.ParseFromString(status.error_details())) {
    return error;
  }
  error.set_code(static_cast<int>(status.error_code()));
  error.set_message(status.error_message());
  return error;
}

void PeopleLookup::StartOrganizations(Wave& wave, rv1::RegistryService::Stub& registry) {
  organizations_request_.set_page_size(1000);
  organizations_ = wave.Call<rv1::ListOrganizationsResponse>(
      [this, &registry](auto* context, auto* response, auto done) {
        registry.async()->ListOrganizations(context, &organizations_request_, response,
                                            std::move(done));
      });
}

const rv1::Organization* PeopleLookup::Organization(const std::string& name) const {
  if (organizations_ == nullptr || !organizations_->status.ok()) return nullptr;
  for (const rv1::Organization& organization : organizations_->response.organizations()) {
    if (organization.name() == name) return &organization;
  }
  return nullptr;
}

grpc::Status PeopleLookup::organizations_status() const {
  return organizations_ == nullptr ? grpc::Status::OK : organizations_->status;
}

void PeopleLookup::StartPeople(Wave& wave, rv1::RegistryService::Stub& registry,
                               std::vector<std::string> people) {
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  people.erase(std::remove(people.begin(), people.end(), std::string()), people.end());
  for (size_t first = 0; first < people.size(); first += kPeoplePerBatch) {
    rv1::BatchGetPeopleRequest& request = requests_.emplace_back();
    for (size_t i = first; i < std::min(people.size(), first + kPeoplePerBatch); ++i) {
      request.add_names(people[i]);
    }
  }
  if (requests_.empty()) return;
  for (const rv1::BatchGetPeopleRequest& request : requests_) {
    batches_.push_back(wave.Call<rv1::BatchGetPeopleResponse>(
        [&registry, &request](auto* context, auto* response, auto done) {
          registry.async()->BatchGetPeople(context, &request, response, std::move(done));
        }));
  }
}

grpc::Status PeopleLookup::status() const {
  for (const auto& batch : batches_) {
    if (!batch->status.ok()) return batch->status;
  }
  return grpc::Status::OK;
}

gv1::PersonSummary PeopleLookup::Summary(const std::string& person) const {
  gv1::PersonSummary summary;
  summary.set_person(person);
  for (const auto& batch : batches_) {
    if (!batch->status.ok()) continue;
    for (const rv1::Person& found : batch->response.people()) {
      if (found.name() != person) continue;
      summary.set_display_name(found.display_name());
      summary.set_native_name(found.native_name());
      summary.set_title(found.title());
      summary.set_organization(found.organization());
    }
  }
  if (const rv1::Organization* organization = Organization(summary.organization())) {
    summary.set_organization_display_name(organization->display_name());
  }
  return summary;
}

absl::TimeZone ZoneOf(const std::string& name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(name, &zone)) return absl::UTCTimeZone();
  return zone;
}

gv1::SessionSummary SummarizeSession(const scheduling::v1::Session& session,
                                     const absl::TimeZone& zone) {
  gv1::SessionSummary summary;
  *summary.mutable_session() = session;
  const absl::CivilSecond start = absl::ToCivilSecond(api::FromTimestamp(session.start_time()), zone);
  const absl::CivilSecond end = absl::ToCivilSecond(api::FromTimestamp(session.end_time()), zone);
  summary.mutable_local_date()->set_year(static_cast<int>(start.year()));
  summary.mutable_local_date()->set_month(start.month());
  summary.mutable_local_date()->set_day(start.day());
  summary.mutable_local_start_time()->set_hours(start.hour());
  summary.mutable_local_start_time()->set_minutes(start.minute());
  summary.mutable_local_end_time()->set_hours(end.hour());
  summary.mutable_local_end_time()->set_minutes(end.minute());
  return summary;
}

}  // namespace summit::gateway
