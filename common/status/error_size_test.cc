// Tests of the bound on every error (error_size.h): violations listed up to
// kMaxListedViolations and the rest counted exactly, as they are collected
// and as an error is made; and, at the RPC boundary, whatever a domain put
// in an absl::Status, what a gRPC client receives stays well under its 8 KiB
// header limit.
#include "common/status/error_size.h"

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/violations.h"
#include "common/status/error.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"
#include "gtest/gtest.h"

namespace summit {

bool operator==(const FieldViolation& a, const FieldViolation& b) {
  return a.field == b.field && a.description == b.description;
}
void PrintTo(const FieldViolation& violation, std::ostream* os) {
  *os << "{" << violation.field << ": " << violation.description << "}";
}

namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

// grpc-message as gRPC percent-encodes it: printable ASCII but '%' as is,
// every other byte as "%XX".
size_t PercentEncodedSize(const std::string& message) {
  size_t size = 0;
  for (unsigned char c : message) size += (c >= 0x20 && c <= 0x7E && c != '%') ? 1 : 3;
  return size;
}

// What an error takes in a response's headers as gRPC's HPACK parser counts
// them (name, value, 32 bytes an entry): grpc-status, grpc-message
// (percent-encoded), grpc-status-details-bin (base64).
size_t HeaderBytes(const grpc::Status& status) {
  return (11 + 2 + 32) + (12 + PercentEncodedSize(status.error_message()) + 32) +
         (23 + absl::Base64Escape(status.error_details()).size() + 32);
}

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  return details;
}

google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
  google::rpc::BadRequest bad_request;
  const google::rpc::Status details = DetailsOf(status);
  for (const google::protobuf::Any& any : details.details()) {
    if (any.type_url() == kBadRequestTypeUrl) {
      EXPECT_TRUE(any.UnpackTo(&bad_request));
    }
  }
  return bad_request;
}

// How many violations a BadRequest stands for: those listed, and those its
// note says were left out.
size_t ViolationsStoodFor(const google::rpc::BadRequest& bad_request) {
  size_t count = 0;
  for (const auto& violation : bad_request.field_violations()) {
    count += ViolationsCounted({violation.field(), violation.description()});
  }
  return count;
}

std::vector<FieldViolation> BadIntervals(int n) {
  std::vector<FieldViolation> violations;
  for (int i = 0; i < n; ++i) {
    violations.push_back({absl::StrCat("availability.unavailable[", i, "]"),
                          "needs a start_time before its end_time"});
  }
  return violations;
}

std::string Cyrillic(size_t characters) {
  std::string text;
  for (size_t i = 0; i < characters; ++i) text += "ж";
  return text;
}

// --- As violations are collected and an error is made ----------------------

TEST(ErrorSizeTest, ACollectorKeepsTheFirstViolationsAndCountsEveryOther) {
  std::vector<FieldViolation> out;
  api::Violations v("statement", out);
  for (int i = 0; i < 15003; ++i) v.Add(absl::StrCat("bodies[", i, "]"), "required");
  ASSERT_THAT(out, SizeIs(kMaxListedViolations + 1));
  EXPECT_EQ(out[0].field, "statement.bodies[0]");
  EXPECT_EQ(out[kMaxListedViolations - 1].field,
            absl::StrCat("statement.bodies[", kMaxListedViolations - 1, "]"));
  EXPECT_EQ(out.back().field, "");
  EXPECT_EQ(LeftOutCountOf(out.back()), 15003 - kMaxListedViolations);
  EXPECT_EQ(out.back().description, LeftOutNote(15003 - kMaxListedViolations).description);
}

TEST(ErrorSizeTest, ListsMergedFromSeveralCollectorsCountExactly) {
  std::vector<FieldViolation> first;
  std::vector<FieldViolation> second;
  for (int i = 0; i < 100; ++i) AppendViolation(first, {absl::StrCat("a[", i, "]"), "bad"});
  for (int i = 0; i < 7; ++i) AppendViolation(second, {absl::StrCat("b[", i, "]"), "bad"});
  std::vector<FieldViolation> merged = {{"parent", "bad"}};
  merged.insert(merged.end(), first.begin(), first.end());
  merged.insert(merged.end(), second.begin(), second.end());

  const std::vector<FieldViolation> listed = ListViolations(merged);
  ASSERT_THAT(listed, SizeIs(kMaxListedViolations + 1));
  EXPECT_EQ(listed[0].field, "parent");
  EXPECT_EQ(listed[1].field, "a[0]");
  EXPECT_EQ(LeftOutCountOf(listed.back()), 1 + 100 + 7 - kMaxListedViolations);
  size_t total = 0;
  for (const FieldViolation& violation : listed) total += ViolationsCounted(violation);
  EXPECT_EQ(total, 108u);
}

TEST(ErrorSizeTest, ANoteIsToldFromAViolationThatLooksLikeOne) {
  EXPECT_EQ(LeftOutNote(1).description.substr(0, 16), "1 more violation");
  EXPECT_EQ(LeftOutCountOf(LeftOutNote(1)), 1u);
  EXPECT_EQ(LeftOutCountOf({"", "3 more things"}), std::nullopt);
  EXPECT_EQ(LeftOutCountOf({"x", LeftOutNote(3).description}), std::nullopt);
  EXPECT_EQ(ViolationsCounted({"", "required"}), 1u);
}

TEST(ErrorSizeTest, InvalidArgumentErrorListsTwentyAndSaysHowManyWereLeftOut) {
  const absl::Status status = InvalidArgumentError(BadIntervals(150));
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  ASSERT_THAT(violations, SizeIs(kMaxListedViolations + 1));
  for (size_t i = 0; i < kMaxListedViolations; ++i) {
    EXPECT_EQ(violations[i].field, absl::StrCat("availability.unavailable[", i, "]"));
  }
  EXPECT_EQ(LeftOutCountOf(violations.back()), 150 - kMaxListedViolations);
  EXPECT_LE(status.message().size(), kMaxMessageChars + std::string("…").size());
  EXPECT_THAT(status.message(), HasSubstr("availability.unavailable[0]: needs a start_time"));
}

TEST(ErrorSizeTest, FieldsAndMetadataKeysAreCutToo) {
  const absl::Status invalid = InvalidArgumentError({{std::string(5000, 'f'), "bad"}});
  EXPECT_EQ(FieldViolationsOf(invalid)[0].field, std::string(kMaxFieldChars, 'f') + "…");
  const absl::Status reasoned = ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND", "gone",
                                                {{std::string(5000, 'k'), "v"}});
  EXPECT_EQ(ErrorMetadataOf(reasoned).begin()->first,
            std::string(kMaxMetadataKeyChars, 'k') + "…");
}

// --- Texts ---------------------------------------------------------------

TEST(ErrorSizeTest, CutToEncodedBytesCountsWhatPercentEncodingMakesOfEachByte) {
  const std::string ascii(kMaxMessageChars, 'a');
  EXPECT_EQ(CutToEncodedBytes(ascii, kMaxEncodedMessageBytes), ascii);  // fits whole

  const std::string cyrillic = Cyrillic(1000);  // 2,000 bytes, 6,000 encoded
  const std::string cut = CutToEncodedBytes(cyrillic, kMaxEncodedMessageBytes);
  EXPECT_LE(PercentEncodedSize(cut), kMaxEncodedMessageBytes);
  EXPECT_GT(PercentEncodedSize(cut), kMaxEncodedMessageBytes - 6 - 9);  // as much as fits
  EXPECT_TRUE(absl::EndsWith(cut, "ж…")) << "cut inside a character";

  const std::string percents(1000, '%');  // three bytes each, encoded
  EXPECT_LE(PercentEncodedSize(CutToEncodedBytes(percents, 100)), 100u);
  EXPECT_EQ(CutText("Зеленський", 3), "Зел…");
}

// --- At the RPC boundary, whatever a domain returns --------------------------

TEST(ErrorSizeTest, AnErrorFromAnyDomainFitsInTheCallersHeaders) {
  // Made by hand, past every constructor's cuts: 500 long violations in two
  // BadRequests, a long non-ASCII message, an ErrorInfo with 100 long
  // entries, and another detail of 20 KB.
  absl::Status status(absl::StatusCode::kInvalidArgument, Cyrillic(20000));
  google::rpc::BadRequest bad_request;
  for (int i = 0; i < 250; ++i) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field(absl::StrCat("items[", i, "].", std::string(1000, 'f')));
    violation->set_description(Cyrillic(2000));
  }
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(bad_request.SerializeAsString()));
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(500, 'R'));
  info.set_domain("summit.example.org");
  for (int i = 0; i < 100; ++i) {
    (*info.mutable_metadata())[absl::StrCat("key", i, std::string(300, 'k'))] = Cyrillic(1000);
  }
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  google::rpc::DebugInfo debug;
  debug.set_detail(std::string(20000, 'd'));
  status.SetPayload("type.googleapis.com/google.rpc.DebugInfo",
                    absl::Cord(debug.SerializeAsString()));

  const grpc::Status sent = ToGrpcStatus(status);
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(PercentEncodedSize(sent.error_message()), kMaxEncodedMessageBytes);
  EXPECT_LE(sent.error_details().size(), kMaxDetailsBytes);
  EXPECT_LE(HeaderBytes(sent), kMaxErrorHeaderBytes);
  EXPECT_LT(kMaxErrorHeaderBytes, 8192u * 3 / 4);  // well under gRPC's default

  const google::rpc::Status details = DetailsOf(sent);
  EXPECT_EQ(details.message(), sent.error_message());
  google::rpc::ErrorInfo sent_info;
  for (const auto& any : details.details()) {
    if (any.type_url() == kErrorInfoTypeUrl) {
      ASSERT_TRUE(any.UnpackTo(&sent_info));
    }
  }
  EXPECT_EQ(sent_info.reason(), std::string(kMaxMetadataKeyChars, 'R') + "…");
  EXPECT_EQ(sent_info.domain(), "summit.example.org");
  const google::rpc::BadRequest sent_violations = BadRequestOf(sent);
  ASSERT_GE(sent_violations.field_violations_size(), 2) << "no violation fits at all";
  EXPECT_TRUE(absl::StartsWith(sent_violations.field_violations(0).field(), "items[0]."));
  EXPECT_EQ(ViolationsStoodFor(sent_violations), 250u);
}

TEST(ErrorSizeTest, OneHundredFiftyBadIntervalsReachTheCallerListedAndCounted) {
  // Defect 4: Scheduling's answer to 150 intervals that end before they
  // start was 14 KB of headers, which the gateway refused.
  const grpc::Status sent = ToGrpcStatus(InvalidArgumentError(BadIntervals(150)));
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(HeaderBytes(sent), kMaxErrorHeaderBytes);
  const google::rpc::BadRequest bad_request = BadRequestOf(sent);
  ASSERT_EQ(bad_request.field_violations_size(), static_cast<int>(kMaxListedViolations) + 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "availability.unavailable[0]");
  EXPECT_EQ(bad_request.field_violations(0).description(),
            "needs a start_time before its end_time");
  EXPECT_EQ(ViolationsStoodFor(bad_request), 150u);
  // What a client reads back is what the service made.
  EXPECT_EQ(FieldViolationsOf(FromGrpcStatus(sent)),
            FieldViolationsOf(InvalidArgumentError(BadIntervals(150))));
}

TEST(ErrorSizeTest, FittingIsIdempotentAndLeavesASmallErrorAsItWas) {
  const absl::Status small = ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "SESSION_CLASH", "umerov is busy then",
      {{"session", "events/udib-2023/sessions/s1"}, {"person", "people/umerov"}});
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(ToGrpcStatus(small).error_details()));
  EXPECT_EQ(FitToHeaders(details).SerializeAsString(), details.SerializeAsString());

  const grpc::Status big = ToGrpcStatus(InvalidArgumentError(BadIntervals(5001)));
  const grpc::Status again = ToGrpcStatus(FromGrpcStatus(big));  // a peer's error passed on
  EXPECT_EQ(again.error_message(), big.error_message());
  EXPECT_EQ(FieldViolationsOf(FromGrpcStatus(again)), FieldViolationsOf(FromGrpcStatus(big)));
  EXPECT_EQ(ViolationsStoodFor(BadRequestOf(again)), 5001u);
}

}  // namespace
}  // namespace summit
