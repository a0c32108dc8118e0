// RETURN_IF_ERROR and ASSIGN_OR_RETURN: early return of a failed absl::Status,
// which Abseil 20220623 does not yet ship.
//
//   absl::StatusOr<Person> Registry::GetPerson(absl::string_view name) {
//     RETURN_IF_ERROR(ValidatePersonName(name));
//     ASSIGN_OR_RETURN(Person person, store_.GetPerson(name));
//     return person;
//   }
#ifndef SUMMIT_COMMON_STATUS_MACROS_H_
#define SUMMIT_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SUMMIT_STATUS_CONCAT_INNER_(a, b) a##b
#define SUMMIT_STATUS_CONCAT_(a, b) SUMMIT_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) once; returns it if not OK.
#define RETURN_IF_ERROR(expr)                                  \
  do {                                                         \
    ::absl::Status summit_status_ = (expr);                    \
    if (!summit_status_.ok()) return summit_status_;           \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>) once; returns its status if not OK,
// otherwise moves the value into `lhs`, which may be a declaration.
#define ASSIGN_OR_RETURN(lhs, rexpr)                                         \
  SUMMIT_ASSIGN_OR_RETURN_IMPL_(                                             \
      SUMMIT_STATUS_CONCAT_(summit_statusor_, __LINE__), lhs, rexpr)

#define SUMMIT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()

#endif  // SUMMIT_COMMON_STATUS_MACROS_H_
