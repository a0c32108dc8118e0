// Where a test's service keeps its data: a fresh SQLite file in the test's folder, or, when
// the test runs against PostgreSQL, a fresh database of its own on the test server.
//
//   ASSERT_OK_AND_ASSIGN(std::string url, FreshDatabaseUrl(dir_, "registry"));
//   ... ChildProcess::Start(registry, {absl::StrCat("--database=", url), ...});
//
// A test binary runs against PostgreSQL when SUMMIT_TEST_POSTGRES_URL_FILE names a file holding
// a server's URL (scripts/postgres-server.sh writes one; CTest registers every integration suite
// a second time, as NAME_postgres, with the server started by its `postgres` fixture). Each call
// creates a new database on that server, so tests never see each other's rows.
#ifndef SUMMIT_TESTS_SUPPORT_TEST_DATABASE_H_
#define SUMMIT_TESTS_SUPPORT_TEST_DATABASE_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace summit::testing {

// Whether this test binary runs its services on PostgreSQL.
bool TestingOnPostgres();

// A database URL no other test uses, named after `name`: `sqlite://DIR/NAME.db`, or a new
// PostgreSQL database when TestingOnPostgres().
absl::StatusOr<std::string> FreshDatabaseUrl(const std::string& dir, const std::string& name);

// The URL of the PostgreSQL test server's maintenance database (to create or inspect
// databases); FAILED_PRECONDITION when the binary does not run on PostgreSQL.
absl::StatusOr<std::string> PostgresServerUrl();

// The databases of one test: the same name gives the same database every time (a service
// restarted "on its database" finds its rows), another TestDatabases gives new ones.
//
//   TestDatabases databases_;
//   databases_.Reset(dir_);                        // in SetUp, once the folder exists
//   args.push_back(databases_.Flag("registry"));   // --database=URL
class TestDatabases {
 public:
  // Forgets every database and keeps SQLite files in `dir` from now on.
  void Reset(std::string dir);

  // "--database=URL" for the database `name` (a trailing ".db" is ignored), created on first
  // use. A test server that cannot create one is a broken environment, not a test outcome: the
  // reason is printed and the binary aborts.
  std::string Flag(const std::string& name) const;
  std::string Url(const std::string& name) const;

 private:
  mutable absl::Mutex mu_;
  std::string dir_ ABSL_GUARDED_BY(mu_);
  mutable std::map<std::string, std::string> urls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_TEST_DATABASE_H_
