#include "common/api/resource_name.h"

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/status/error.h"

namespace summit::api {

std::string ResourceIdProblem(absl::string_view id) {
  if (id.empty()) return "must not be empty";
  if (id.size() > kMaxResourceIdChars) {
    return absl::StrCat("must be at most ", kMaxResourceIdChars, " characters");
  }
  if (!absl::ascii_islower(id.front())) return "must start with a lowercase letter";
  if (id.back() == '-') return "must not end with a hyphen";
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return "may hold only lowercase letters, digits and hyphens";
    }
  }
  return "";
}

bool IsValidResourceId(absl::string_view id) { return ResourceIdProblem(id).empty(); }

absl::StatusOr<std::vector<std::string>> ParseResourceName(absl::string_view name,
                                                           absl::string_view pattern,
                                                           absl::string_view field) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  const std::vector<absl::string_view> expected = absl::StrSplit(pattern, '/');
  auto invalid = [&](absl::string_view why) {
    return InvalidArgumentError({{std::string(field),
                                  absl::StrCat(EchoInput(name), " is not a resource name of the form ",
                                               pattern, ": ", why)}});
  };
  if (name.empty()) {
    return InvalidArgumentError({{std::string(field), absl::StrCat("required, of the form ", pattern)}});
  }
  if (parts.size() != expected.size()) return invalid("wrong number of segments");
  std::vector<std::string> ids;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (expected[i] == "*") {
      std::string problem = ResourceIdProblem(parts[i]);
      if (!problem.empty()) return invalid(absl::StrCat("the id ", EchoInput(parts[i]), " ", problem));
      ids.emplace_back(parts[i]);
    } else if (parts[i] != expected[i]) {
      return invalid(absl::StrCat("expected \"", expected[i], "\" where it says ", EchoInput(parts[i])));
    }
  }
  return ids;
}

absl::StatusOr<std::string> ResourceIdOf(absl::string_view name, absl::string_view pattern,
                                         absl::string_view field) {
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName(name, pattern, field);
  if (!ids.ok()) return ids.status();
  return ids->back();
}

std::string ChosenOrNewId(const std::string& requested) {
  return requested.empty() ? NewResourceId() : requested;
}

std::string NewResourceId() {
  static absl::Mutex mu(absl::kConstInit);
  static std::mt19937_64* generator ABSL_GUARDED_BY(mu) = nullptr;
  constexpr absl::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
  constexpr absl::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  absl::MutexLock lock(&mu);
  if (generator == nullptr) generator = new std::mt19937_64(std::random_device{}());
  std::string id(1, kLetters[(*generator)() % kLetters.size()]);
  for (int i = 1; i < 20; ++i) id.push_back(kAlphabet[(*generator)() % kAlphabet.size()]);
  return id;
}

}  // namespace summit::api
