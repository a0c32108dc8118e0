#include "tests/support/test_database.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace summit::testing {
namespace {

const char* PostgresUrlFile() {
  const char* file = std::getenv("SUMMIT_TEST_POSTGRES_URL_FILE");
  return file != nullptr && *file != '\0' ? file : nullptr;
}

// Database names: lower-case letters, digits and '_', unique per process and call.
std::string DatabaseName(const std::string& name) {
  static std::atomic<int> next{0};
  std::string safe;
  for (char c : name) safe.push_back(absl::ascii_isalnum(c) ? absl::ascii_tolower(c) : '_');
  return absl::StrCat("t", getpid(), "_", next.fetch_add(1), "_", safe.substr(0, 30));
}

}  // namespace

bool TestingOnPostgres() { return PostgresUrlFile() != nullptr; }

absl::StatusOr<std::string> PostgresServerUrl() {
  const char* file = PostgresUrlFile();
  if (file == nullptr) return absl::FailedPreconditionError("not testing on PostgreSQL");
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no PostgreSQL server URL in ", file,
                     ": start one with scripts/postgres-server.sh start DIR"));
  }
  return std::string(absl::StripAsciiWhitespace(url));
}

absl::StatusOr<std::string> FreshDatabaseUrl(const std::string& dir, const std::string& name) {
  if (!TestingOnPostgres()) return absl::StrCat("sqlite://", dir, "/", name, ".db");
  absl::StatusOr<std::string> server = PostgresServerUrl();
  if (!server.ok()) return server.status();
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(server->c_str()), &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("connecting to the PostgreSQL test server ",
                                               *server, ": ",
                                               PQerrorMessage(connection.get())));
  }
  const std::string database = DatabaseName(name);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(
      PQexec(connection.get(), absl::StrCat("CREATE DATABASE ", database).c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return absl::InternalError(absl::StrCat("creating database ", database, ": ",
                                            PQerrorMessage(connection.get())));
  }
  // The server URL names its maintenance database last: swap in the new one.
  const size_t slash = server->rfind('/');
  return absl::StrCat(server->substr(0, slash + 1), database);
}

void TestDatabases::Reset(std::string dir) {
  absl::MutexLock lock(&mu_);
  dir_ = std::move(dir);
  urls_.clear();
}

std::string TestDatabases::Url(const std::string& name) const {
  const std::string key(absl::StripSuffix(name, ".db"));
  absl::MutexLock lock(&mu_);
  auto it = urls_.find(key);
  if (it != urls_.end()) return it->second;
  absl::StatusOr<std::string> url = FreshDatabaseUrl(dir_, key);
  if (!url.ok()) {
    std::fprintf(stderr, "FATAL: no database for the test: %s\n", url.status().ToString().c_str());
    std::abort();
  }
  return urls_.emplace(key, *url).first->second;
}

std::string TestDatabases::Flag(const std::string& name) const {
  return absl::StrCat("--database=", Url(name));
}

}  // namespace summit::testing
