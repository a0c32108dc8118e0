#include "bench/approved_statements.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/api/resource_meta.h"
#include "common/status/macros.h"
#include "common/storage/database.h"
#include "services/statements/statement_rules.h"
#include "services/statements/statements_schema.h"
#include "services/statements/statements_store.h"
#include "summit/statements/v1/resources.pb.h"

namespace summit::bench {
namespace {

namespace v1 = ::summit::statements::v1;

std::string StatementId(int i) { return absl::StrFormat("s-%06d", i); }

}  // namespace

std::string ApprovedStatementName(const std::string& event_id, int i) {
  return absl::StrCat("events/", event_id, "/statements/", StatementId(i));
}

absl::Status SeedApproved(const std::string& url, const std::string& event_id, int count) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> database, storage::Database::Open(url));
  RETURN_IF_ERROR(database->ApplyMigrations(statements::StatementsMigrations()).status());
  const absl::Time now = absl::Now();
  return database->Write([&](storage::Transaction& tx) -> absl::Status {
    statements::StatementsStore store(tx);
    for (int i = 0; i < count; ++i) {
      v1::Statement statement;
      statement.set_name(ApprovedStatementName(event_id, i));
      statement.set_kind(v1::Statement::KIND_PRESS_RELEASE);
      statement.set_title(absl::StrCat("Press release ", i));
      v1::StatementBody* body = statement.add_bodies();
      body->set_language_code("en");
      body->set_text(absl::StrCat("The delegations met today; statement number ", i,
                                  " records what they agreed on energy and reconstruction."));
      body->set_original(true);
      statement.set_state(v1::Statement::STATE_APPROVED);
      statement.set_revision_id("1");
      statement.set_text_hash(statements::TextHash(statement.title(), statement.bodies()));
      api::StampCreated(statement, now);
      // The first revision, as CreateStatement stores it.
      v1::StatementRevision revision;
      revision.set_name(absl::StrCat(statement.name(), "/revisions/1"));
      revision.set_revision_id("1");
      revision.set_title(statement.title());
      *revision.mutable_bodies() = statement.bodies();
      revision.set_text_hash(statement.text_hash());
      *revision.mutable_create_time() = api::ToTimestamp(now);
      RETURN_IF_ERROR(store.Insert(event_id, StatementId(i), statement, revision));
    }
    return absl::OkStatus();
  });
}

}  // namespace summit::bench
