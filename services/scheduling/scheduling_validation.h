// What makes a scheduling resource well-formed, checked before anything is
// read or stored: one field violation per bad field.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "common/api/violations.h"
#include "common/status/error.h"
#include "summit/scheduling/v1/resources.pb.h"
#include "summit/scheduling/v1/scheduling_service.pb.h"

namespace summit::scheduling {

inline constexpr int kMaxSessionParticipants = 2000;
inline constexpr int kMaxRoomCapacity = 10000;
inline constexpr int kMaxUnavailableIntervals = 200;
// The most sessions one ExportCalendar answer holds: a person's summit, or a
// busy room's, is far smaller.
inline constexpr int kMaxCalendarSessions = 5000;
// The longest texts, in characters.
inline constexpr size_t kMaxRoomNameChars = 200;
inline constexpr size_t kMaxSessionTitleChars = 300;
inline constexpr size_t kMaxSessionDescriptionChars = 10000;
inline constexpr size_t kMaxSessionLocationChars = 300;
inline constexpr size_t kMaxTopicChars = 500;
inline constexpr size_t kMaxPairRuleReasonChars = 1000;

std::vector<FieldViolation> ValidateRoom(const v1::Room& room, absl::string_view prefix);
std::vector<FieldViolation> ValidateSession(const v1::Session& session, absl::string_view prefix);
std::vector<FieldViolation> ValidateMeetingRequest(const v1::MeetingRequest& request,
                                                   absl::string_view prefix);
std::vector<FieldViolation> ValidatePairRule(const v1::PairRule& rule, absl::string_view prefix);
std::vector<FieldViolation> ValidateAvailability(const v1::Availability& availability,
                                                 absl::string_view prefix);
std::vector<FieldViolation> ValidateScheduleOptions(const v1::ScheduleOptions& options,
                                                    absl::string_view prefix);

using api::ToStatus;
using api::ValidateOptionalId;
using api::ValidateRequestId;

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_
