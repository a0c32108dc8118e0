#include "common/storage/database.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/error.h"
#include "common/status/macros.h"
#include "common/storage/postgres_database.h"
#include "common/storage/sqlite_database.h"

namespace summit::storage {
namespace {
const std::string& EmptyText() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}
}  // namespace

bool Row::IsNull(int column) const {
  return std::holds_alternative<std::nullptr_t>(values_.at(column));
}

int64_t Row::Int(int column) const {
  const SqlValue& value = values_.at(column);
  if (const auto* integer = std::get_if<int64_t>(&value)) return *integer;
  if (const auto* real = std::get_if<double>(&value)) return static_cast<int64_t>(*real);
  return 0;
}

double Row::Double(int column) const {
  const SqlValue& value = values_.at(column);
  if (const auto* real = std::get_if<double>(&value)) return *real;
  if (const auto* integer = std::get_if<int64_t>(&value)) return static_cast<double>(*integer);
  return 0;
}

const std::string& Row::Text(int column) const {
  const SqlValue& value = values_.at(column);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* blob = std::get_if<Blob>(&value)) return blob->bytes;
  return EmptyText();
}

std::string RedactedUrl(absl::string_view url) {
  std::string out(url);
  // user:password@ in the authority.
  const size_t scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const size_t authority = scheme_end + 3;
    const size_t at = out.find('@', authority);
    const size_t slash = out.find('/', authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=… in the query.
  for (size_t at = out.find("password="); at != std::string::npos;
       at = out.find("password=", at + 1)) {
    if (at > 0 && out[at - 1] != '?' && out[at - 1] != '&') continue;
    const size_t value = at + 9;
    const size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

absl::StatusOr<bool> ApplyMigrationOnce(
    Transaction& tx, const Migration& migration,
    const std::function<absl::Status(const std::string& sql)>& run_script) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   tx.Query("SELECT 1 FROM schema_migrations WHERE version = ?",
                            {int64_t{migration.version}}));
  if (!rows.empty()) return false;
  const absl::Status status = run_script(migration.SqlFor(tx.dialect()));
  if (!status.ok()) {
    return WithMessage(status, status.code(),
                       absl::StrCat("migration ", migration.version, " (", migration.description,
                                    "): ", status.message()));
  }
  RETURN_IF_ERROR(tx.Execute("INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                             {int64_t{migration.version}, migration.description})
                      .status());
  return true;
}

absl::Status DatabaseError(absl::StatusCode code, absl::string_view doing,
                           absl::string_view database_text) {
  absl::string_view kind;
  switch (code) {
    case absl::StatusCode::kAlreadyExists:
      kind = "the database already holds a record with this key";
      break;
    case absl::StatusCode::kFailedPrecondition:
      kind = "the database refused a change that breaks one of its rules";
      break;
    case absl::StatusCode::kAborted:
      kind = "the database refused the change for concurrent ones";
      break;
    case absl::StatusCode::kUnavailable:
      kind = "the database is unavailable";
      break;
    case absl::StatusCode::kInvalidArgument:
      kind = "the database cannot store this text (invalid UTF-8 or a NUL character)";
      break;
    default:
      kind = "the database failed";
      break;
  }
  return WithServerDetail(absl::Status(code, absl::StrCat(doing, ": ", kind)), database_text);
}

bool IsContention(const absl::Status& status) {
  // A store's own ABORTED (an etag mismatch) carries a reason; the database's does not.
  return absl::IsAborted(status) && ReasonOf(status).empty();
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(absl::string_view url) {
  constexpr absl::string_view kSqlite = "sqlite://";
  if (absl::StartsWith(url, kSqlite)) {
    std::pair<absl::string_view, absl::string_view> path_and_query =
        absl::StrSplit(url.substr(kSqlite.size()), absl::MaxSplits('?', 1));
    if (path_and_query.first.empty()) {
      return absl::InvalidArgumentError("sqlite:// URL names no file");
    }
    SqliteOptions options;
    if (absl::StrContains(url, '?')) {
      for (absl::string_view parameter : absl::StrSplit(path_and_query.second, '&')) {
        if (parameter == "group_commit=on" || parameter == "group_commit=off") {
          options.group_commit = parameter == "group_commit=on";
        } else if (parameter == "synchronous=full" || parameter == "synchronous=off") {
          options.synchronous = parameter == "synchronous=full";
        } else {
          return absl::InvalidArgumentError(absl::StrCat(
              "unsupported parameter \"", parameter,
              "\" in a sqlite:// URL: expected group_commit=on|off or synchronous=full|off"));
        }
      }
    }
    return OpenSqliteDatabase(std::string(path_and_query.first), options);
  }
  if (absl::StartsWith(url, "postgres://") || absl::StartsWith(url, "postgresql://")) {
    return OpenPostgresDatabase(url);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported database URL \"", url,
                   "\": expected sqlite:///PATH or postgres://…"));
}

}  // namespace summit::storage
