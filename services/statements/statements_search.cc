// Reading across statements: full-text search, revisions, and the audit of
// embargoed reads.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/page_token.h"
#include "common/api/resource_meta.h"
#include "common/api/resource_name.h"
#include "common/auth/access.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/list_query.h"
#include "services/statements/statements.h"
#include "services/statements/statements_internal.h"
#include "services/statements/statements_store.h"

namespace summit::statements {
namespace {

// A page token holding a number (an offset, a revision, a position).
absl::StatusOr<int64_t> NumberOfPageToken(absl::string_view token, absl::string_view query) {
  ASSIGN_OR_RETURN(api::PageToken decoded, api::DecodePageToken(token, query));
  int64_t number = 0;
  if (!decoded.last_key.empty() && !absl::SimpleAtoi(decoded.last_key, &number)) {
    return InvalidArgumentError({{"page_token", "not a token of this list"}});
  }
  return number;
}

}  // namespace

absl::StatusOr<v1::SearchStatementsResponse> Statements::SearchStatements(
    const Caller& caller, const v1::SearchStatementsRequest& request) {
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  ASSIGN_OR_RETURN(const std::vector<std::string> words, SearchWords(request.query(), "query"));
  static const storage::FilterField kFields[] = {
      {"kind", "s.kind = ?", v1::Statement::Kind_descriptor()},
      {"state", "s.state = ?", v1::Statement::State_descriptor()},
      {"session", "s.session = ?"},
      {"speaker",
       "EXISTS (SELECT 1 FROM statement_speakers AS p WHERE p.event_id = s.event_id AND "
       "p.statement_id = s.id AND p.person = ?)"},
      {"language", "b.language = ?"},
  };
  ASSIGN_OR_RETURN(const int page_size, api::EffectivePageSize(request.page_size(),
                                                              kDefaultSearchPageSize,
                                                              kMaxSearchPageSize));
  // The token is bound to everything that shapes the results.
  const std::string collection =
      absl::StrCat(request.parent(), "/statements:search\n", request.query(), "\n",
                   request.publish_time_start().ShortDebugString(), "\n",
                   request.publish_time_end().ShortDebugString());
  ASSIGN_OR_RETURN(storage::ListQuery query,
                   storage::ParseListQuery(collection, page_size, request.page_token(),
                                           request.filter(), kFields));
  int64_t offset = 0;
  if (!query.after_id.empty() && (!absl::SimpleAtoi(query.after_id, &offset) || offset < 0)) {
    return InvalidArgumentError({{"page_token", "not a token of this search"}});
  }
  ASSIGN_OR_RETURN(const Reader reader, ReaderAt(caller, event_id));
  if (auto visible = VisibleStatementsCondition(reader, "s")) {
    query.conditions.push_back(*std::move(visible));
  }
  if (request.has_publish_time_start()) {
    query.conditions.emplace_back(
        "s.publish_us >= ?", absl::ToUnixMicros(api::FromTimestamp(request.publish_time_start())));
  }
  if (request.has_publish_time_end()) {
    query.conditions.emplace_back(
        "s.publish_us < ?", absl::ToUnixMicros(api::FromTimestamp(request.publish_time_end())));
  }

  std::vector<SearchHit> hits;
  std::vector<v1::Statement> statements;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    StatementsStore store(tx);
    ASSIGN_OR_RETURN(hits, store.Search(event_id, words, query.conditions, static_cast<int>(offset),
                                        query.fetch_limit()));
    for (size_t i = 0; i < hits.size() && static_cast<int>(i) < query.page_size; ++i) {
      ASSIGN_OR_RETURN(std::optional<v1::Statement> statement,
                       store.Find(event_id, hits[i].statement_id));
      if (!statement.has_value()) return absl::InternalError("a search hit has no statement");
      statements.push_back(*std::move(statement));
    }
    return absl::OkStatus();
  }));
  v1::SearchStatementsResponse response;
  statements.resize(storage::PageLength(statements, query.page_size));
  if (hits.size() > statements.size()) {
    response.set_next_page_token(
        api::EncodePageToken(absl::StrCat(offset + statements.size()), query.fingerprint));
  }
  RETURN_IF_ERROR(AuditEmbargoedReads(caller, statements, "SearchStatements"));
  // Snippets are cut from the bodies here rather than by the full-text
  // index, which would run the whole match again for every row it cuts.
  for (size_t i = 0; i < statements.size(); ++i) {
    v1::SearchResult* result = response.add_results();
    v1::Statement& statement = statements[i];
    for (const v1::StatementBody& body : statement.bodies()) {
      if (MentionsAny(body.text(), words)) {
        *result->add_snippets() = MakeSnippet(body.language_code(), body.text(), words);
      }
    }
    if (result->snippets().empty()) {
      // The words were in the title (shown highlighted, in the original's
      // language) or in a speaker's name (the original's beginning).
      for (const v1::StatementBody& body : statement.bodies()) {
        if (!body.original()) continue;
        *result->add_snippets() =
            MentionsAny(statement.title(), words)
                ? MakeSnippet(body.language_code(), statement.title(), words)
                : MakeSnippet(body.language_code(), body.text(), words);
      }
    }
    *result->mutable_statement() = std::move(statement);
    // bm25 is better when lower (more negative); the API says higher is
    // better.
    result->set_score(-hits[i].rank);
  }
  return response;
}

absl::StatusOr<v1::ListStatementRevisionsResponse> Statements::ListStatementRevisions(
    const Caller& caller, const v1::ListStatementRevisionsRequest& request) {
  ASSIGN_OR_RETURN(const int page_size, api::EffectivePageSize(request.page_size()));
  const std::string token_query = absl::StrCat(request.name(), "/revisions");
  ASSIGN_OR_RETURN(const int64_t after, NumberOfPageToken(request.page_token(), token_query));
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   api::ParseResourceName(request.name(), internal::kStatementPattern, "name"));
  ASSIGN_OR_RETURN(const Reader reader, ReaderAt(caller, ids[0]));
  ASSIGN_OR_RETURN(v1::Statement statement,
                   ReadVisible(caller, request.name(), "ListStatementRevisions", reader));
  const bool published_only = !MayReadUnpublishedRevisions(reader, statement);
  std::vector<v1::StatementRevision> revisions;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(revisions, StatementsStore(tx).ListRevisions(ids[0], ids[1], published_only,
                                                                  after, page_size + 1));
    return absl::OkStatus();
  }));
  v1::ListStatementRevisionsResponse response;
  if (const size_t length = storage::PageLength(revisions, page_size);
      length < revisions.size()) {
    revisions.resize(length);
    response.set_next_page_token(
        api::EncodePageToken(revisions.back().revision_id(), token_query));
  }
  for (v1::StatementRevision& revision : revisions) {
    *response.add_revisions() = std::move(revision);
  }
  return response;
}

absl::StatusOr<v1::ListEmbargoedReadsResponse> Statements::ListEmbargoedReads(
    const Caller& caller, const v1::ListEmbargoedReadsRequest& request) {
  RETURN_IF_ERROR(auth::RequireOrganizer(caller.principal, "see who read embargoed statements"));
  ASSIGN_OR_RETURN(std::string event_id, api::ResourceIdOf(request.parent(), "events/*", "parent"));
  std::string statement_id;
  if (!request.statement().empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     api::ParseResourceName(request.statement(), internal::kStatementPattern,
                                            "statement"));
    if (ids[0] != event_id) {
      return InvalidArgumentError(
          {{"statement", absl::StrCat("must be a statement of ", request.parent())}});
    }
    statement_id = ids[1];
  }
  ASSIGN_OR_RETURN(const int page_size, api::EffectivePageSize(request.page_size()));
  const std::string token_query =
      absl::StrCat(request.parent(), "/embargoedReads\n", request.statement());
  ASSIGN_OR_RETURN(const int64_t before, NumberOfPageToken(request.page_token(), token_query));
  std::vector<std::pair<int64_t, v1::EmbargoedRead>> reads;
  RETURN_IF_ERROR(database_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(reads, StatementsStore(tx).ListEmbargoedReads(event_id, statement_id, before,
                                                                   page_size + 1));
    return absl::OkStatus();
  }));
  v1::ListEmbargoedReadsResponse response;
  if (static_cast<int>(reads.size()) > page_size) {
    reads.resize(page_size);
    response.set_next_page_token(
        api::EncodePageToken(absl::StrCat(reads.back().first), token_query));
  }
  for (auto& [seq, read] : reads) *response.add_reads() = std::move(read);
  return response;
}

}  // namespace summit::statements
