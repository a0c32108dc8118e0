// What makes a registry resource well-formed, checked before anything is
// stored: each function returns one field violation per bad field (empty when
// all is well), with field paths as the request names them (e.g.
// "person.email"). References to other resources are checked for shape here
// and for existence by Registry, inside the write's transaction.
#ifndef SUMMIT_SERVICES_REGISTRY_REGISTRY_VALIDATION_H_
#define SUMMIT_SERVICES_REGISTRY_REGISTRY_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/api/violations.h"
#include "common/status/error.h"
#include "summit/registry/v1/resources.pb.h"

namespace summit::registry {

// Limits on what people type, in characters.
inline constexpr size_t kMaxDisplayNameChars = 200;
inline constexpr size_t kMaxCityChars = 100;
inline constexpr size_t kMaxTitleChars = 300;
inline constexpr size_t kMaxReasonChars = 1000;
inline constexpr int kMaxCapabilities = 50;
inline constexpr int kMaxLanguages = 20;
inline constexpr int kMaxMembers = 500;
inline constexpr int kMaxEventDays = 60;
inline constexpr int kMaxBatchNames = 1000;
// SearchPeople's pages (results, not the lists' kMaxPageSize).
inline constexpr int kDefaultSearchResults = 20;
inline constexpr int kMaxSearchResults = 100;
// How many candidate people SearchPeople reads at most, per read, before ranking them.
inline constexpr int kMaxSearchCandidates = 2000;

std::vector<FieldViolation> ValidateEvent(const v1::Event& event, absl::string_view prefix);
std::vector<FieldViolation> ValidateOrganization(const v1::Organization& organization,
                                                 absl::string_view prefix);
std::vector<FieldViolation> ValidatePerson(const v1::Person& person, absl::string_view prefix);
std::vector<FieldViolation> ValidateDelegation(const v1::Delegation& delegation,
                                               absl::string_view prefix);
std::vector<FieldViolation> ValidateParticipant(const v1::Participant& participant,
                                                absl::string_view prefix);

// A reason for a rejection or revocation: required, up to 1000 characters.
void ValidateReason(absl::string_view reason, std::vector<FieldViolation>& violations);

using api::ToStatus;
using api::ValidateOptionalId;
using api::ValidateRequestId;

}  // namespace summit::registry

#endif  // SUMMIT_SERVICES_REGISTRY_REGISTRY_VALIDATION_H_
