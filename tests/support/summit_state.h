// What the three services hold, read by an organizer through their List and Get methods and
// written down as text: two readings are equal exactly when nothing any list shows changed
// (every resource carries its etag and update time). What tests compare before and after
// calls that must change nothing — refused writes, hostile input.
//
//   absl::StatusOr<std::string> before = ReadSummitState(suite, {"events/udib-2023"}, {});
//   ... calls that must change nothing ...
//   EXPECT_TRUE(Unchanged(*before, *ReadSummitState(suite, {"events/udib-2023"}, {})));
//
// Thread-compatible.
#ifndef SUMMIT_TESTS_SUPPORT_SUMMIT_STATE_H_
#define SUMMIT_TESTS_SUPPORT_SUMMIT_STATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "tests/support/suite.h"

namespace summit::testing {

// Every event, organization and person; for each of `events`: its delegations, accreditations,
// rooms, sessions, meeting requests, pair rules and statements (with their revisions); and the
// availabilities named in `availabilities` (`events/{event}/availabilities/{person}`), which no
// list shows. Read directly from the services (not through the gateway) as an organizer.
absl::StatusOr<std::string> ReadSummitState(const Suite& suite,
                                            const std::vector<std::string>& events,
                                            const std::vector<std::string>& availabilities);

// Whether two readings (of ReadSummitState, or any text of one line per thing) are equal; if
// not, the failure lists the lines that went ("- ") and came ("+ "), each cut to 3,000
// characters.
::testing::AssertionResult Unchanged(const std::string& before, const std::string& after);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_SUMMIT_STATE_H_
