// Tests of the one error path: details attached in the domain (error.h),
// converted once at the RPC boundary (grpc_status.h), read back by a client,
// and the early-return macros (macros.h).
#include "common/status/error.h"

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "common/status/grpc_status.h"
#include "common/status/macros.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "grpcpp/support/status.h"

namespace summit {

// Printed in failure messages of the matchers below.
void PrintTo(const FieldViolation& violation, std::ostream* os) {
  *os << "{" << violation.field << ": " << violation.description << "}";
}

namespace {

using ::summit::testing::IsOk;
using ::summit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";

auto IsViolation(const std::string& field, const std::string& description) {
  return AllOf(Field(&FieldViolation::field, field),
               Field(&FieldViolation::description, description));
}

// The type URLs of the details in a grpc::Status, as any gRPC client would
// read them from the grpc-status-details-bin trailer.
google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()))
      << "error_details() is not a serialized google.rpc.Status";
  return details;
}

template <typename Message>
Message UnpackDetail(const google::rpc::Status& details, const std::string& type_url) {
  Message message;
  for (const google::protobuf::Any& any : details.details()) {
    if (any.type_url() == type_url) {
      EXPECT_TRUE(any.UnpackTo(&message)) << type_url;
      return message;
    }
  }
  ADD_FAILURE() << "no detail of type " << type_url;
  return message;
}

std::vector<std::string> TypeUrlsOf(const google::rpc::Status& details) {
  std::vector<std::string> urls;
  for (const google::protobuf::Any& any : details.details()) urls.push_back(any.type_url());
  return urls;
}

// --- InvalidArgumentError -------------------------------------------------

TEST(InvalidArgumentErrorTest, CarriesEveryFieldViolationInOrder) {
  absl::Status status = InvalidArgumentError({
      {"person.email", "must be an e-mail address"},
      {"person.display_name", "must not be empty"},
      {"person.languages[1]", "\"xx-\" is not a BCP-47 tag"},
  });

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(IsViolation("person.email", "must be an e-mail address"),
                          IsViolation("person.display_name", "must not be empty"),
                          IsViolation("person.languages[1]", "\"xx-\" is not a BCP-47 tag")));
  EXPECT_EQ(ReasonOf(status), "INVALID_ARGUMENT");
  EXPECT_THAT(ErrorMetadataOf(status), IsEmpty());
}

TEST(InvalidArgumentErrorTest, MessageNamesEveryFieldForHumans) {
  absl::Status status = InvalidArgumentError(
      {{"page_size", "must not be negative"}, {"filter", "unterminated quoted value"}});

  EXPECT_THAT(status.message(), HasSubstr("page_size: must not be negative"));
  EXPECT_THAT(status.message(), HasSubstr("filter: unterminated quoted value"));
}

TEST(InvalidArgumentErrorTest, KeepsNonAsciiAndOddBytesInDescriptions) {
  const std::string description = "\"Зеленський\" \\ has a \n newline";
  const std::string with_nul = std::string("a\0b", 3);
  absl::Status status = InvalidArgumentError({{"person.native_name", description},
                                              {with_nul, with_nul}});

  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(IsViolation("person.native_name", description),
                          IsViolation(with_nul, with_nul)));
}

TEST(InvalidArgumentErrorTest, CutsWhatARequestPutInItSoThatTheErrorFitsInHeaders) {
  // A request's megabyte echoed back: cut, on a character boundary, with "…".
  const std::string echoed = "\"" + std::string(1 << 20, 'x') + "\" is not a kind";
  const std::string cyrillic(5000, 'a');  // ASCII, then a two-byte character at the cut
  absl::Status status = InvalidArgumentError(
      {{"filter", echoed}, {"query", cyrillic.substr(0, 299) + "Зеленський"}});

  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].description, "\"" + std::string(299, 'x') + "…");
  EXPECT_EQ(violations[1].description, cyrillic.substr(0, 299) + "З…");
  EXPECT_LE(status.message().size(), 1000u + std::string("…").size());
  EXPECT_TRUE(absl::EndsWith(status.message(), "…"));
  // What a gRPC client receives stays well under its 8 KiB header limit.
  const grpc::Status over_the_wire = ToGrpcStatus(status);
  EXPECT_LT(over_the_wire.error_message().size() * 3 + over_the_wire.error_details().size() * 4 / 3,
            8192u);
}

// --- ErrorWithReason ------------------------------------------------------

TEST(ErrorWithReasonTest, CutsALongMessageAndMetadataValues) {
  absl::Status status = ErrorWithReason(absl::StatusCode::kNotFound, "RESOURCE_NOT_FOUND",
                                        "people/" + std::string(5000, 'x') + " does not exist",
                                        {{"resource", std::string(5000, 'x')}});
  EXPECT_EQ(status.message(), "people/" + std::string(993, 'x') + "…");
  EXPECT_EQ(ErrorMetadataOf(status).at("resource"), std::string(300, 'x') + "…");
}

TEST(ErrorWithReasonTest, CarriesCodeMessageReasonDomainAndMetadata) {
  absl::Status status = ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "PARTICIPANT_NOT_PENDING",
      "only a PENDING accreditation can be approved",
      {{"participant", "events/udib-2023/participants/umerov"}, {"state", "APPROVED"}});

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               "only a PENDING accreditation can be approved"));
  EXPECT_EQ(ReasonOf(status), "PARTICIPANT_NOT_PENDING");
  EXPECT_THAT(ErrorMetadataOf(status),
              UnorderedElementsAre(Pair("participant", "events/udib-2023/participants/umerov"),
                                   Pair("state", "APPROVED")));
  EXPECT_THAT(FieldViolationsOf(status), IsEmpty());

  // The domain is only visible in the ErrorInfo itself.
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(info.ParseFromString(std::string(*payload)));
  EXPECT_EQ(info.domain(), kErrorDomain);
  EXPECT_EQ(info.reason(), "PARTICIPANT_NOT_PENDING");
}

TEST(ErrorWithReasonTest, WithoutMetadataHasEmptyMetadata) {
  absl::Status status =
      ErrorWithReason(absl::StatusCode::kAborted, "ETAG_MISMATCH", "the person changed");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
  EXPECT_THAT(ErrorMetadataOf(status), IsEmpty());
}

TEST(ErrorReadersTest, PlainStatusesHaveNoDetails) {
  const absl::Status plain = absl::NotFoundError("no such person");
  EXPECT_EQ(ReasonOf(plain), "");
  EXPECT_THAT(ErrorMetadataOf(plain), IsEmpty());
  EXPECT_THAT(FieldViolationsOf(plain), IsEmpty());

  EXPECT_EQ(ReasonOf(absl::OkStatus()), "");
  EXPECT_THAT(FieldViolationsOf(absl::OkStatus()), IsEmpty());
}

TEST(ErrorReadersTest, GarbagePayloadReadsAsNoDetails) {
  absl::Status status = absl::InvalidArgumentError("x");
  status.SetPayload(kBadRequestUrl, absl::Cord("\xff\xff\xff not a proto"));
  status.SetPayload(kErrorInfoUrl, absl::Cord("\x0a\xff"));  // truncated field
  EXPECT_THAT(FieldViolationsOf(status), IsEmpty());
  EXPECT_EQ(ReasonOf(status), "");
}

// --- ToGrpcStatus / FromGrpcStatus ----------------------------------------

TEST(GrpcStatusTest, OkMapsToOkBothWays) {
  grpc::Status grpc_ok = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(grpc_ok.ok());
  EXPECT_EQ(grpc_ok.error_code(), grpc::StatusCode::OK);
  EXPECT_EQ(grpc_ok.error_details(), "");
  EXPECT_THAT(FromGrpcStatus(grpc::Status::OK), IsOk());
}

TEST(GrpcStatusTest, BadRequestTravelsAsGoogleRpcStatusDetails) {
  absl::Status status =
      InvalidArgumentError({{"person.email", "must be an e-mail address"},
                            {"person.country", "must be ISO 3166-1 alpha-2"}});

  grpc::Status grpc_status = ToGrpcStatus(status);
  EXPECT_EQ(grpc_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(grpc_status.error_message(), status.message());

  google::rpc::Status details = DetailsOf(grpc_status);
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.message(), status.message());
  EXPECT_THAT(TypeUrlsOf(details), UnorderedElementsAre(kBadRequestUrl, kErrorInfoUrl));

  auto bad_request = UnpackDetail<google::rpc::BadRequest>(details, kBadRequestUrl);
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "person.email");
  EXPECT_EQ(bad_request.field_violations(0).description(), "must be an e-mail address");
  EXPECT_EQ(bad_request.field_violations(1).field(), "person.country");
  auto info = UnpackDetail<google::rpc::ErrorInfo>(details, kErrorInfoUrl);
  EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(info.domain(), kErrorDomain);
}

TEST(GrpcStatusTest, ErrorInfoTravelsAsGoogleRpcStatusDetails) {
  absl::Status status = ErrorWithReason(absl::StatusCode::kAlreadyExists, "PERSON_EXISTS",
                                        "people/umerov already exists",
                                        {{"person", "people/umerov"}});

  grpc::Status grpc_status = ToGrpcStatus(status);
  EXPECT_EQ(grpc_status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  google::rpc::Status details = DetailsOf(grpc_status);
  EXPECT_THAT(TypeUrlsOf(details), ElementsAre(kErrorInfoUrl));
  auto info = UnpackDetail<google::rpc::ErrorInfo>(details, kErrorInfoUrl);
  EXPECT_EQ(info.reason(), "PERSON_EXISTS");
  EXPECT_EQ(info.domain(), kErrorDomain);
  EXPECT_THAT(info.metadata(), UnorderedElementsAre(Pair("person", "people/umerov")));
}

TEST(GrpcStatusTest, RoundTripKeepsCodeMessageAndDetails) {
  const absl::Status original =
      ErrorWithReason(absl::StatusCode::kFailedPrecondition, "SESSION_CLASH",
                      "umerov is already in a session then",
                      {{"session", "events/udib-2023/sessions/s1"}});

  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));

  EXPECT_THAT(back, StatusIs(absl::StatusCode::kFailedPrecondition,
                             "umerov is already in a session then"));
  EXPECT_EQ(ReasonOf(back), "SESSION_CLASH");
  EXPECT_THAT(ErrorMetadataOf(back),
              UnorderedElementsAre(Pair("session", "events/udib-2023/sessions/s1")));
  EXPECT_EQ(back, original);  // payloads compare too
}

TEST(GrpcStatusTest, RoundTripKeepsFieldViolations) {
  const absl::Status original = InvalidArgumentError({{"a", "one"}, {"b", "two"}});
  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(back), ElementsAre(IsViolation("a", "one"), IsViolation("b", "two")));
  EXPECT_EQ(ReasonOf(back), "INVALID_ARGUMENT");
  EXPECT_EQ(back, original);
}

TEST(GrpcStatusTest, EveryCodeMapsToTheSameGrpcCode) {
  for (int code = 1; code <= 16; ++code) {
    const auto absl_code = static_cast<absl::StatusCode>(code);
    absl::Status status(absl_code, "something");
    grpc::Status grpc_status = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(grpc_status.error_code()), code);
    const bool server_fault = absl_code == absl::StatusCode::kInternal ||
                              absl_code == absl::StatusCode::kUnknown ||
                              absl_code == absl::StatusCode::kDataLoss;
    const ::testing::Matcher<const std::string&> message =
        server_fault ? ::testing::Matcher<const std::string&>(Not(HasSubstr("something")))
                     : ::testing::Matcher<const std::string&>(Eq("something"));
    EXPECT_THAT(FromGrpcStatus(grpc_status), StatusIs(absl_code, message));
  }
}

TEST(GrpcStatusTest, AServerFaultReachesTheCallerAsAReferenceOnly) {
  const absl::Status fault = WithServerDetail(
      absl::InternalError("relation \"sessions\" does not exist"), "in: SELECT * FROM sessions");
  const grpc::Status reply = ToGrpcStatus(fault);
  EXPECT_EQ(reply.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(reply.error_message(), HasSubstr("internal error"));
  EXPECT_THAT(reply.error_message(), ContainsRegex("reference [0-9a-f]{16}"));
  EXPECT_THAT(reply.error_message(), Not(HasSubstr("sessions")));
  EXPECT_THAT(reply.error_details(), Not(HasSubstr("sessions")));
  // Each fault its own reference, so an operator finds the one a caller quotes.
  EXPECT_NE(ToGrpcStatus(fault).error_message(), reply.error_message());
}

TEST(GrpcStatusTest, AServerDetailStaysOnTheServerAndTheMessageTravels) {
  absl::Status status = WithServerDetail(
      ErrorWithReason(absl::StatusCode::kUnavailable, "DATABASE_DOWN", "the database is unavailable"),
      "could not connect to server at 10.1.2.3");
  status = WithServerDetail(status, "second note");
  EXPECT_EQ(ServerDetailOf(status), "could not connect to server at 10.1.2.3; second note");
  const grpc::Status reply = ToGrpcStatus(status);
  EXPECT_THAT(reply.error_message(), StartsWith("the database is unavailable (server log reference "));
  EXPECT_THAT(reply.error_details(), Not(HasSubstr("10.1.2.3")));
  const absl::Status back = FromGrpcStatus(reply);
  EXPECT_EQ(ReasonOf(back), "DATABASE_DOWN");  // google.rpc details still travel
  EXPECT_EQ(ServerDetailOf(back), "");
}

TEST(GrpcStatusTest, WithMessageKeepsWhatTheStatusCarries) {
  const absl::Status inner =
      WithServerDetail(ErrorWithReason(absl::StatusCode::kAborted, "BUSY", "busy"), "lock wait");
  const absl::Status outer = WithMessage(inner, absl::StatusCode::kUnavailable, "stayed busy: busy");
  EXPECT_THAT(outer, StatusIs(absl::StatusCode::kUnavailable, "stayed busy: busy"));
  EXPECT_EQ(ReasonOf(outer), "BUSY");
  EXPECT_EQ(ServerDetailOf(outer), "lock wait");
}

TEST(GrpcStatusTest, PlainGrpcErrorFromAPeerHasNoDetails) {
  absl::Status status =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable, "connection refused"));
  EXPECT_EQ(ReasonOf(status), "");
  EXPECT_THAT(FieldViolationsOf(status), IsEmpty());
}

TEST(GrpcStatusTest, GarbageDetailsFromAPeerAreIgnored) {
  absl::Status status = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::INTERNAL, "boom", std::string("\xff\xff\x00junk", 7)));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInternal, "boom"));
  EXPECT_EQ(ReasonOf(status), "");
}

// --- RETURN_IF_ERROR / ASSIGN_OR_RETURN -----------------------------------

// Counts calls so a test can show an expression is evaluated exactly once.
struct Calls {
  int status_calls = 0;
  int value_calls = 0;
  absl::Status NextStatus(absl::Status status) {
    ++status_calls;
    return status;
  }
  absl::StatusOr<std::string> NextValue(absl::StatusOr<std::string> value) {
    ++value_calls;
    return value;
  }
};

absl::Status ReturnIfError(Calls& calls, absl::Status first, bool* reached_end) {
  RETURN_IF_ERROR(calls.NextStatus(first));
  *reached_end = true;
  return absl::OkStatus();
}

TEST(MacrosTest, ReturnIfErrorPassesOkThroughAndEvaluatesOnce) {
  Calls calls;
  bool reached_end = false;
  EXPECT_OK(ReturnIfError(calls, absl::OkStatus(), &reached_end));
  EXPECT_TRUE(reached_end);
  EXPECT_EQ(calls.status_calls, 1);
}

TEST(MacrosTest, ReturnIfErrorReturnsTheErrorWithItsDetails) {
  Calls calls;
  bool reached_end = false;
  const absl::Status error =
      ErrorWithReason(absl::StatusCode::kNotFound, "EVENT_NOT_FOUND", "no such event");
  absl::Status result = ReturnIfError(calls, error, &reached_end);
  EXPECT_EQ(result, error);
  EXPECT_EQ(ReasonOf(result), "EVENT_NOT_FOUND");
  EXPECT_FALSE(reached_end);
  EXPECT_EQ(calls.status_calls, 1);
}

absl::StatusOr<size_t> AssignOrReturnIntoDeclaration(Calls& calls,
                                                     absl::StatusOr<std::string> input) {
  ASSIGN_OR_RETURN(std::string value, calls.NextValue(std::move(input)));
  return value.size();
}

absl::StatusOr<std::string> AssignOrReturnIntoExisting(Calls& calls,
                                                       absl::StatusOr<std::string> first,
                                                       absl::StatusOr<std::string> second) {
  std::string value = "unchanged";
  ASSIGN_OR_RETURN(value, calls.NextValue(std::move(first)));
  std::string joined = value;
  ASSIGN_OR_RETURN(value, calls.NextValue(std::move(second)));  // twice in one function
  return joined + "+" + value;
}

TEST(MacrosTest, AssignOrReturnAssignsTheValueAndEvaluatesOnce) {
  Calls calls;
  ASSERT_OK_AND_ASSIGN(size_t size, AssignOrReturnIntoDeclaration(calls, std::string("Umerov")));
  EXPECT_EQ(size, 6u);
  EXPECT_EQ(calls.value_calls, 1);
}

TEST(MacrosTest, AssignOrReturnPropagatesTheError) {
  Calls calls;
  absl::StatusOr<size_t> result = AssignOrReturnIntoDeclaration(
      calls, ErrorWithReason(absl::StatusCode::kPermissionDenied, "NOT_ORGANIZER", "no"));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kPermissionDenied, "no"));
  EXPECT_EQ(ReasonOf(result.status()), "NOT_ORGANIZER");
  EXPECT_EQ(calls.value_calls, 1);
}

TEST(MacrosTest, AssignOrReturnWorksTwiceInOneFunctionAndStopsAtTheFirstError) {
  Calls calls;
  ASSERT_OK_AND_ASSIGN(std::string joined,
                       AssignOrReturnIntoExisting(calls, std::string("a"), std::string("b")));
  EXPECT_EQ(joined, "a+b");
  EXPECT_EQ(calls.value_calls, 2);

  Calls failing;
  EXPECT_THAT(AssignOrReturnIntoExisting(failing, absl::InternalError("first"), std::string("b")),
              StatusIs(absl::StatusCode::kInternal, "first"));
  EXPECT_EQ(failing.value_calls, 1);
}

absl::StatusOr<std::unique_ptr<int>> MoveOnly(absl::StatusOr<std::unique_ptr<int>> input) {
  ASSIGN_OR_RETURN(std::unique_ptr<int> value, std::move(input));
  *value += 1;
  return value;
}

TEST(MacrosTest, AssignOrReturnMovesMoveOnlyValues) {
  absl::StatusOr<std::unique_ptr<int>> result = MoveOnly(std::make_unique<int>(41));
  ASSERT_OK(result.status());
  EXPECT_EQ(**result, 42);
  EXPECT_THAT(MoveOnly(absl::DataLossError("gone")), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(MacrosTest, ReturnIfErrorIsOneStatementInsideIfElse) {
  auto run = [](bool fail) -> absl::Status {
    if (fail)
      RETURN_IF_ERROR(absl::CancelledError("stop"));
    else
      RETURN_IF_ERROR(absl::OkStatus());
    return absl::OkStatus();
  };
  EXPECT_THAT(run(true), StatusIs(absl::StatusCode::kCancelled));
  EXPECT_OK(run(false));
}

TEST(MatchersTest, AssertOkAndAssignUnwraps) {
  ASSERT_OK_AND_ASSIGN(std::string value, absl::StatusOr<std::string>("x"));
  EXPECT_EQ(value, "x");
}

}  // namespace
}  // namespace summit
