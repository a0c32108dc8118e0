// GoogleTest matchers for absl::Status and absl::StatusOr, which Abseil
// 20220623 does not ship.
//
//   EXPECT_THAT(registry.GetPerson("people/nobody"),
//               StatusIs(absl::StatusCode::kNotFound));
//   EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
//                                HasSubstr("email")));
//   ASSERT_OK(store.Migrate());
//   ASSERT_OK_AND_ASSIGN(Person person, registry.GetPerson(name));
#ifndef SUMMIT_COMMON_STATUS_STATUS_MATCHERS_H_
#define SUMMIT_COMMON_STATUS_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/status/macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P2(StatusIs, code, message_matcher,
           absl::StrCat("has status code ", absl::StatusCodeToString(code))) {
  const absl::Status& status = ::summit::testing::GetStatus(arg);
  *result_listener << "which is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher,
                                       std::string(status.message()),
                                       result_listener);
}

template <typename Code>
auto StatusIs(Code code) {
  return StatusIs(code, ::testing::_);
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = ::summit::testing::GetStatus(arg);
  *result_listener << "which is " << status;
  return status.ok();
}

}  // namespace summit::testing

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::summit::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::summit::testing::IsOk())

#define ASSERT_OK_AND_ASSIGN(lhs, rexpr)                                   \
  SUMMIT_ASSERT_OK_AND_ASSIGN_IMPL_(                                       \
      SUMMIT_STATUS_CONCAT_(summit_statusor_, __LINE__), lhs, rexpr)

#define SUMMIT_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, rexpr)   \
  auto statusor = (rexpr);                                        \
  ASSERT_THAT(statusor.status(), ::summit::testing::IsOk());      \
  lhs = std::move(statusor).value()

#endif  // SUMMIT_COMMON_STATUS_STATUS_MATCHERS_H_
