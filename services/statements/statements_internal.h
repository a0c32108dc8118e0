// What the Statements domain files share and nobody else needs.
#ifndef SUMMIT_SERVICES_STATEMENTS_STATEMENTS_INTERNAL_H_
#define SUMMIT_SERVICES_STATEMENTS_STATEMENTS_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "summit/statements/v1/statements_service.pb.h"

namespace summit::statements {
struct Caller;
}  // namespace summit::statements

namespace summit::statements::internal {

// DEADLINE_EXCEEDED when the caller's deadline is too near for a write to be
// committed and acknowledged before it (a peer may have answered just before
// the deadline); called after the peers were asked, before the transaction.
absl::Status CheckTimeToWrite(const Caller& caller);

inline constexpr absl::string_view kStatementPattern = "events/*/statements/*";

// The revision the statement's current text is, stamped `now`.
v1::StatementRevision CurrentRevision(const v1::Statement& statement, absl::Time now);

// The feed entry announcing `kind` for the statement as it now is.
v1::StatementEvent FeedEvent(v1::StatementEvent::Kind kind, const v1::Statement& statement,
                             absl::Time now);

// The last segment of a resource name ("events/e/statements/s" → "s").
std::string IdOf(const std::string& name);

}  // namespace summit::statements::internal

#endif  // SUMMIT_SERVICES_STATEMENTS_STATEMENTS_INTERNAL_H_
