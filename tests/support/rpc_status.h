// What tests say about a grpc::Status: what its google.rpc details carry (DetailsOf), a
// readable description (code, message and details), and matchers that print it when they fail.
//
//   EXPECT_THAT(stub->GetPerson(&context, request, &person), RpcOk());
//   EXPECT_THAT(stub->GetPerson(&context, missing, &person), RpcCode(grpc::StatusCode::NOT_FOUND));
//   EXPECT_THAT(status, RpcErrorWithReason(grpc::StatusCode::FAILED_PRECONDITION, "WRONG_STATE"));
//   EXPECT_THAT(status, RpcInvalidOn("person.email"));
//   EXPECT_THAT(status, RpcInvalidOnExactly({"event.country", "event.time_zone"}));
//
// Including this header also makes GoogleTest print any grpc::Status as Describe() does, so a
// failed matcher shows the whole status.
#ifndef SUMMIT_TESTS_SUPPORT_RPC_STATUS_H_
#define SUMMIT_TESTS_SUPPORT_RPC_STATUS_H_

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/support/status.h"

namespace summit::testing {

// What a status carries in grpc-status-details-bin, read back.
struct RpcDetails {
  bool parsed = false;                          // error_details held a google.rpc.Status
  int code = 0;                                 // the google.rpc.Status's own code
  std::vector<std::string> fields;              // BadRequest field violations, in the order sent
  std::vector<std::string> descriptions;        // what each of them says, in the same order
  std::string reason;                           // ErrorInfo reason
  std::string domain;                           // ErrorInfo domain
  std::map<std::string, std::string> metadata;  // ErrorInfo metadata
  absl::Duration retry_delay;                   // RetryInfo, zero when none
};
RpcDetails DetailsOf(const grpc::Status& status);

// `code 5 "events/x not found" details {...}`, or `... without google.rpc.Status details` for
// a status a server did not send (a client's own deadline, a broken connection).
std::string Describe(const grpc::Status& status);

MATCHER(RpcOk, "is OK") { return arg.ok(); }

MATCHER_P(RpcCode, code, absl::StrCat("has code ", static_cast<int>(code))) {
  return arg.error_code() == code;
}

// `code`, with a google.rpc.Status of the same code and an ErrorInfo `reason` in Summit's
// domain.
MATCHER_P2(RpcErrorWithReason, code, reason,
           absl::StrCat("has code ", static_cast<int>(code), " and reason ", std::string(reason))) {
  const RpcDetails details = ::summit::testing::DetailsOf(arg);
  return arg.error_code() == code && details.parsed && details.code == static_cast<int>(code) &&
         details.reason == std::string(reason) && details.domain == "summit.example.org";
}

// INVALID_ARGUMENT with a BadRequest violation on `field` (among others, perhaps).
MATCHER_P(RpcInvalidOn, field, absl::StrCat("is INVALID_ARGUMENT on ", std::string(field))) {
  const RpcDetails details = ::summit::testing::DetailsOf(arg);
  return arg.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
         std::find(details.fields.begin(), details.fields.end(), std::string(field)) !=
             details.fields.end();
}

// INVALID_ARGUMENT, reason INVALID_ARGUMENT, with one BadRequest violation on each of
// `fields` (sorted) and no other.
MATCHER_P(RpcInvalidOnSorted, fields,
          "is INVALID_ARGUMENT with violations on exactly {" + absl::StrJoin(fields, ", ") + "}") {
  RpcDetails details = ::summit::testing::DetailsOf(arg);
  std::sort(details.fields.begin(), details.fields.end());
  return arg.error_code() == grpc::StatusCode::INVALID_ARGUMENT && details.parsed &&
         details.code == grpc::StatusCode::INVALID_ARGUMENT && details.fields == fields &&
         details.reason == "INVALID_ARGUMENT";
}
inline auto RpcInvalidOnExactly(std::vector<std::string> fields) {
  std::sort(fields.begin(), fields.end());
  return RpcInvalidOnSorted(fields);
}

}  // namespace summit::testing

// GoogleTest prints a grpc::Status it finds by argument-dependent lookup: as Describe() does,
// not as bytes.
namespace grpc {
void PrintTo(const Status& status, std::ostream* os);
}  // namespace grpc

#endif  // SUMMIT_TESTS_SUPPORT_RPC_STATUS_H_
