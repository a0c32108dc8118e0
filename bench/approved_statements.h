// Statements ready to publish, written straight into a Statements database (any URL Database
// opens) as CreateStatement, SubmitStatement and ApproveStatement would have left them, for the
// benchmarks that time publication or its way to the live feed.
//
//   RETURN_IF_ERROR(SeedApproved("sqlite:///tmp/x.db", "bench-2023", 2560));
//   ... PublishStatement(ApprovedStatementName("bench-2023", i)) for i in [0, 2560) ...
#ifndef SUMMIT_BENCH_APPROVED_STATEMENTS_H_
#define SUMMIT_BENCH_APPROVED_STATEMENTS_H_

#include <string>

#include "absl/status/status.h"

namespace summit::bench {

// "events/<event_id>/statements/s-000042" for i = 42.
std::string ApprovedStatementName(const std::string& event_id, int i);

// Applies the Statements migrations to the database at `url` and inserts `count` press releases
// of `event_id` in STATE_APPROVED, each with its first revision, in one transaction.
absl::Status SeedApproved(const std::string& url, const std::string& event_id, int count);

}  // namespace summit::bench

#endif  // SUMMIT_BENCH_APPROVED_STATEMENTS_H_
