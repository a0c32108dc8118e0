#include "tests/support/test_folder.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "gtest/gtest.h"

namespace summit::testing {

absl::StatusOr<std::unique_ptr<TestFolder>> TestFolder::Create(absl::string_view name) {
  std::string pattern = absl::StrCat(::testing::TempDir(), name, ".XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, " failed"));
  }
  // 48 bytes from a fixed seed.
  std::mt19937 random(20231206);
  std::string key;
  for (int i = 0; i < 48; ++i) key.push_back(static_cast<char>(random() & 0xFF));
  std::ofstream file(pattern + "/key", std::ios::binary);
  file << key;
  file.close();
  if (!file) return absl::InternalError(absl::StrCat("cannot write ", pattern, "/key"));
  return std::unique_ptr<TestFolder>(new TestFolder(std::move(pattern), std::move(key)));
}

TestFolder::~TestFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TestFolder::Path(absl::string_view file) const {
  return absl::StrCat(path_, "/", file);
}

std::string TestFolder::KeyFlag() const { return absl::StrCat("--auth_key_file=", Path("key")); }

std::string TestFolder::Token(const auth::Principal& principal, absl::Duration lifetime) const {
  return auth::MintToken(principal, lifetime, key_, absl::Now());
}

}  // namespace summit::testing
