// What Statements asks the other services: the Registry whether the event,
// the speakers and the signatory delegations exist (and who heads a
// delegation, and which one a person heads), and Scheduling whether a session exists and when it ends.
// Every call carries the deadline and credentials of the call it serves
// (peers::OutgoingContext) or, for the embargo lifter, the service's own
// token; a peer that does not answer makes the operation fail with
// UNAVAILABLE or DEADLINE_EXCEEDED, and nothing is written.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENT_PEERS_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENT_PEERS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/peers/peer_channel.h"
#include "grpcpp/channel.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/resources.pb.h"

namespace summit::statements {

using peers::OutgoingContextFactory;

class StatementPeers {
 public:
  StatementPeers(std::shared_ptr<grpc::Channel> registry,
                 std::shared_ptr<grpc::Channel> scheduling);

  // NOT_FOUND when the event does not exist.
  absl::Status CheckEventExists(const OutgoingContextFactory& context, const std::string& event);

  // Each speaker as the Registry knows them now, in the order given, from
  // one BatchGetPeople call; INVALID_ARGUMENT on `field` naming a speaker
  // who does not exist.
  absl::StatusOr<std::vector<v1::SpeakerProvenance>> Speakers(
      const OutgoingContextFactory& context, const std::vector<std::string>& people,
      const std::string& field);

  // The delegations, in the order given; INVALID_ARGUMENT on `field` naming
  // one that does not exist.
  absl::StatusOr<std::vector<registry::v1::Delegation>> Delegations(
      const OutgoingContextFactory& context, const std::vector<std::string>& names,
      const std::string& field);

  // The delegation `person` heads at `event` (`events/{event}/delegations/{d}`), "" when none:
  // their accreditation's delegation, if the accreditation is approved and the delegation names
  // them its head. Two calls: GetParticipant, then GetDelegation.
  absl::StatusOr<std::string> DelegationHeadedBy(const OutgoingContextFactory& context,
                                                 const std::string& event,
                                                 const std::string& person);

  // When the session ends; INVALID_ARGUMENT on `field` when it does not
  // exist (for this caller).
  absl::StatusOr<absl::Time> SessionEnd(const OutgoingContextFactory& context,
                                        const std::string& session, const std::string& field);

 private:
  std::unique_ptr<registry::v1::RegistryService::Stub> registry_;
  std::unique_ptr<scheduling::v1::SchedulingService::Stub> scheduling_;
};

// The idempotent methods this client calls, for each channel's retry policy.
std::vector<std::string> RegistryMethodsCalled();
std::vector<std::string> SchedulingMethodsCalled();

}  // namespace summit::statements

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENT_PEERS_H_
