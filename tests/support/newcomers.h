// People a test adds to a running suite beside the demo: each of an organization of their own
// (new too, unless the test names one that exists) and accredited, approved, to an event. What
// the test then does with them (meeting requests, pair rules, delegations) touches nothing of
// the demo's, so that tests sharing one suite stay independent.
//
//   Newcomer rep{"dv-rep", "dv-company", "events/udib-2023"};
//   absl::StatusOr<registry::v1::Person> person = AddNewcomer(suite, rep);
//
// Thread-compatible: the calls share nothing.
#ifndef SUMMIT_TESTS_SUPPORT_NEWCOMERS_H_
#define SUMMIT_TESTS_SUPPORT_NEWCOMERS_H_

#include <string>

#include "absl/status/statusor.h"
#include "summit/registry/v1/resources.pb.h"
#include "tests/support/suite.h"

namespace summit::testing {

struct Newcomer {
  std::string id;            // the person's id: people/{id}
  std::string organization;  // an organization's id; made (a defense company) if missing
  std::string event;         // `events/{event}`: accredited and approved there; "" for none
  registry::v1::Participant::Role role = registry::v1::Participant::ROLE_INDUSTRY;
  std::string email = "";  // contact details, when the test needs them
  std::string phone = "";
};

// Makes the organization (unless it exists), the person and the approved accreditation, each
// directly on the Registry as an organizer; returns the person as the create answered.
absl::StatusOr<registry::v1::Person> AddNewcomer(const Suite& suite, const Newcomer& newcomer);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_NEWCOMERS_H_
