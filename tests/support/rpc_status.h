// What tests say about a grpc::Status: a readable description (code, message and the
// google.rpc details), and matchers that print it when they fail.
//
//   EXPECT_THAT(stub->GetPerson(&context, request, &person), RpcOk());
//   EXPECT_THAT(stub->GetPerson(&context, missing, &person), RpcCode(grpc::StatusCode::NOT_FOUND));
#ifndef SUMMIT_TESTS_SUPPORT_RPC_STATUS_H_
#define SUMMIT_TESTS_SUPPORT_RPC_STATUS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/support/status.h"

namespace summit::testing {

// `code 5 "events/x not found" details {...}`.
std::string Describe(const grpc::Status& status);

MATCHER(RpcOk, "is OK") {
  *result_listener << "which is " << Describe(arg);
  return arg.ok();
}

MATCHER_P(RpcCode, code, absl::StrCat("has code ", static_cast<int>(code))) {
  *result_listener << "which is " << Describe(arg);
  return arg.error_code() == code;
}

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_RPC_STATUS_H_
