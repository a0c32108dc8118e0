// What Scheduling asks the Registry: the event (dates, time zone), whether
// people are APPROVED participants of it, and which organization each person
// belongs to. Every call carries the incoming call's deadline and
// credentials (peers::OutgoingContext); a Registry that does not answer in
// time makes the calling operation fail with UNAVAILABLE or
// DEADLINE_EXCEEDED and write nothing.
#ifndef SUMMIT_SERVICES_SCHEDULING_REGISTRY_CLIENT_H_
#define SUMMIT_SERVICES_SCHEDULING_REGISTRY_CLIENT_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/peers/peer_channel.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"

namespace summit::scheduling {

using peers::OutgoingContextFactory;

// The event facts Scheduling needs.
struct EventFacts {
  std::string name;  // events/{event}
  std::string time_zone;
  google::type::Date start_date;
  google::type::Date end_date;
};

class RegistryClient {
 public:
  explicit RegistryClient(std::shared_ptr<grpc::Channel> channel);

  absl::StatusOr<EventFacts> GetEvent(const OutgoingContextFactory& context,
                                      const std::string& event_name);

  // OK when every person (however many) is an APPROVED participant of the
  // event; otherwise FAILED_PRECONDITION naming the first who is not
  // (NOT_PARTICIPANT).
  absl::Status CheckApproved(const OutgoingContextFactory& context, const std::string& event_name,
                             const std::vector<std::string>& people);

  // NOT_FOUND-free check that an organization exists: INVALID_ARGUMENT on
  // `field` when it does not.
  absl::Status CheckOrganizationExists(const OutgoingContextFactory& context,
                                       const std::string& organization, const std::string& field);

  // The organization (`organizations/{organization}`, or "") of each person,
  // however many.
  absl::StatusOr<std::map<std::string, std::string>> OrganizationsOf(
      const OutgoingContextFactory& context, const std::vector<std::string>& people);

  // The display name of each person, however many.
  absl::StatusOr<std::map<std::string, std::string>> DisplayNamesOf(
      const OutgoingContextFactory& context, const std::vector<std::string>& people);

 private:
  absl::StatusOr<std::vector<registry::v1::Person>> People(const OutgoingContextFactory& context,
                                                           const std::vector<std::string>& people);
  // CheckApproved for one batch, as many people as the Registry answers a call.
  absl::Status CheckApprovedBatch(const OutgoingContextFactory& context,
                                  const std::string& event_name,
                                  const std::vector<std::string>& people);

  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
};

// The names of the Registry's idempotent methods this client calls, for the
// channel's retry policy.
std::vector<std::string> RegistryReadMethods();

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_REGISTRY_CLIENT_H_
