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
  organizations_call_ = wave.Call<rv1::ListOrganizationsResponse>(
      [this, &registry](auto* context, auto* response, auto done) {
        registry.async()->ListOrganizations(context, &organizations_request_, response,
                                            std::move(done));
      });
}

void PeopleLookup::UseOrganizations(
    std::shared_ptr<const rv1::ListOrganizationsResponse> organizations) {
  organizations_ = std::move(organizations);
}

std::shared_ptr<const rv1::ListOrganizationsResponse> PeopleLookup::organizations() const {
  if (organizations_call_ == nullptr || !organizations_call_->status.ok()) return nullptr;
  // The call's result lives as long as the answer handed out.
  return std::shared_ptr<const rv1::ListOrganizationsResponse>(organizations_call_,
                                                               &organizations_call_->response);
}

void PeopleLookup::StartParticipants(Wave& wave, rv1::RegistryService::Stub& registry,
                                     const std::string& event) {
  participants_request_.set_parent(event);
  participants_request_.set_page_size(1000);
  participants_request_.set_view(rv1::PARTICIPANT_VIEW_WITH_PEOPLE);
  participants_ = wave.Call<rv1::ListParticipantsResponse>(
      [this, &registry](auto* context, auto* response, auto done) {
        registry.async()->ListParticipants(context, &participants_request_, response,
                                           std::move(done));
      });
}

void PeopleLookup::IndexParticipants() {
  if (participants_indexed_ || participants_ == nullptr || !participants_->status.ok()) return;
  participants_indexed_ = true;
  for (const rv1::Person& person : participants_->response.people()) {
    people_.emplace(person.name(), &person);
  }
}

const rv1::Organization* PeopleLookup::Organization(const std::string& name) const {
  const auto it = organizations_by_name_.find(name);
  return it == organizations_by_name_.end() ? nullptr : it->second;
}

grpc::Status PeopleLookup::organizations_status() const {
  return organizations_call_ == nullptr ? grpc::Status::OK : organizations_call_->status;
}

void PeopleLookup::StartPeople(Wave& wave, rv1::RegistryService::Stub& registry,
                               std::vector<std::string> people) {
  IndexParticipants();
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  people.erase(std::remove_if(people.begin(), people.end(),
                              [&](const std::string& person) {
                                return person.empty() || people_.contains(person);
                              }),
               people.end());
  const size_t first_new = requests_.size();
  for (size_t first = 0; first < people.size(); first += kPeoplePerBatch) {
    rv1::BatchGetPeopleRequest& request = requests_.emplace_back();
    for (size_t i = first; i < std::min(people.size(), first + kPeoplePerBatch); ++i) {
      request.add_names(people[i]);
    }
  }
  for (size_t i = first_new; i < requests_.size(); ++i) {
    const rv1::BatchGetPeopleRequest& request = requests_[i];
    batches_.push_back(wave.Call<rv1::BatchGetPeopleResponse>(
        [&registry, &request](auto* context, auto* response, auto done) {
          registry.async()->BatchGetPeople(context, &request, response, std::move(done));
        }));
  }
}

void PeopleLookup::Finish() {
  IndexParticipants();
  for (const auto& batch : batches_) {
    if (!batch->status.ok()) continue;
    for (const rv1::Person& person : batch->response.people()) people_.emplace(person.name(), &person);
  }
  if (organizations_ == nullptr) organizations_ = organizations();
  if (organizations_ != nullptr) {
    for (const rv1::Organization& organization : organizations_->organizations()) {
      organizations_by_name_.emplace(organization.name(), &organization);
    }
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
  if (const auto it = people_.find(person); it != people_.end()) {
    const rv1::Person& found = *it->second;
    summary.set_display_name(found.display_name());
    summary.set_native_name(found.native_name());
    summary.set_title(found.title());
    summary.set_organization(found.organization());
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
