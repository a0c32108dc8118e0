// A test's own folder, and the HS256 key that the Summit processes of the test share, written
// in it as "key": what every test that starts servers makes first. The folder, with all in it,
// is removed when the TestFolder is destroyed.
//
//   absl::StatusOr<std::unique_ptr<TestFolder>> folder = TestFolder::Create("tls_integration");
//   args.push_back((*folder)->KeyFlag());  // --auth_key_file=…/key
//   context.AddMetadata("authorization",
//                       "Bearer " + (*folder)->Token({"people/x", auth::Role::kOrganizer}));
//
// Thread-safety: const methods may be called from any thread.
#ifndef SUMMIT_TESTS_SUPPORT_TEST_FOLDER_H_
#define SUMMIT_TESTS_SUPPORT_TEST_FOLDER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace summit::testing {

class TestFolder {
 public:
  // A new folder under the test's temporary directory, named after `name` (so that the tests
  // of one binary never share one), with the key written in it. The key comes from a fixed
  // seed: the same in every run.
  static absl::StatusOr<std::unique_ptr<TestFolder>> Create(absl::string_view name);

  ~TestFolder();
  TestFolder(const TestFolder&) = delete;
  TestFolder& operator=(const TestFolder&) = delete;

  const std::string& path() const { return path_; }
  // `path()/file`.
  std::string Path(absl::string_view file) const;

  // The raw bytes of the key, and the flag that gives its file to a Summit binary.
  const std::string& key() const { return key_; }
  std::string KeyFlag() const;

  // A token for `principal`, valid from now for `lifetime`, signed with the key.
  std::string Token(const auth::Principal& principal,
                    absl::Duration lifetime = absl::Hours(1)) const;

 private:
  TestFolder(std::string path, std::string key) : path_(std::move(path)), key_(std::move(key)) {}

  const std::string path_;
  const std::string key_;
};

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_TEST_FOLDER_H_
