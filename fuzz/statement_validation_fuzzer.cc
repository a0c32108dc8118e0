// Statements' rules for what a client sends (services/statements/statement_rules.h):
// ValidateStatement and ValidateText on any Statement, and TextHash, which must not depend on
// the order of the bodies. Input: protobuf wire format of a Statement.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "fuzz/validation_checks.h"
#include "services/statements/statement_rules.h"
#include "services/statements/statement_visibility.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace v1 = summit::statements::v1;
  namespace st = summit::statements;
  v1::Statement statement;
  if (!summit::fuzz::Parse(absl::string_view(reinterpret_cast<const char*>(data), size),
                           statement)) {
    return 0;
  }
  summit::fuzz::CheckViolations(st::ValidateStatement(statement, "udib-2023", "statement"),
                                "statement");
  summit::fuzz::CheckViolations(st::ValidateText(statement.title(), statement.bodies(), "text"),
                                "text");
  (void)st::IsPublicVisible(statement);
  (void)st::AllSignatoriesApproved(statement);

  const std::string hash = st::TextHash(statement.title(), statement.bodies());
  if (hash.size() != 64) std::abort();
  // Reversed bodies, the same text: the same hash, when no two bodies share a language
  // (which validation refuses anyway).
  v1::Statement reversed = statement;
  std::reverse(reversed.mutable_bodies()->begin(), reversed.mutable_bodies()->end());
  bool distinct_languages = statement.bodies_size() <= 50;  // bounds the quadratic check
  for (int i = 0; i < statement.bodies_size(); ++i) {
    for (int j = i + 1; j < statement.bodies_size(); ++j) {
      distinct_languages = distinct_languages && statement.bodies(i).language_code() !=
                                                     statement.bodies(j).language_code();
    }
  }
  if (distinct_languages && st::TextHash(reversed.title(), reversed.bodies()) != hash) std::abort();
  return 0;
}
