#include "gateway/transcoder.h"

#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.pb.h"
#include "summit/statements/v1/statements_service.pb.h"

namespace summit::gateway {
namespace {

using ::testing::HasSubstr;

// The test reads requests back with the generated classes to check the
// bytes the transcoder built from the contract alone.
class TranscoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(contract_, Contract::Load({"summit.registry.v1.RegistryService",
                                                   "summit.scheduling.v1.SchedulingService",
                                                   "summit.statements.v1.StatementsService",
                                                   "summit.gateway.v1.GatewayService"}));
    transcoder_ = std::make_unique<Transcoder>(*contract_);
  }

  GrpcCall Call(const std::string& method, const std::string& target, const std::string& body = "") {
    GrpcCall call;
    HttpError error;
    EXPECT_TRUE(transcoder_->ToCall(method, target, body, call, error)) << error.message;
    return call;
  }

  HttpError Error(const std::string& method, const std::string& target, const std::string& body = "") {
    GrpcCall call;
    HttpError error;
    EXPECT_FALSE(transcoder_->ToCall(method, target, body, call, error));
    return error;
  }

  std::unique_ptr<Contract> contract_;
  std::unique_ptr<Transcoder> transcoder_;
};

TEST_F(TranscoderTest, GetFillsThePathVariable) {
  const GrpcCall call = Call("GET", "/v1/people/umerov");
  EXPECT_EQ(call.route->grpc_path, "/summit.registry.v1.RegistryService/GetPerson");
  registry::v1::GetPersonRequest request;
  ASSERT_TRUE(request.ParseFromString(call.request));
  EXPECT_EQ(request.name(), "people/umerov");
}

TEST_F(TranscoderTest, QueryParametersByEitherNameRepeatedAndNested) {
  const GrpcCall list = Call(
      "GET", "/v1/events/udib-2023/statements?pageSize=5&page_token=abc&filter=kind%20%3D%20KIND_QUOTE&orderBy=publish_time+desc");
  statements::v1::ListStatementsRequest request;
  ASSERT_TRUE(request.ParseFromString(list.request));
  EXPECT_EQ(request.parent(), "events/udib-2023");
  EXPECT_EQ(request.page_size(), 5);
  EXPECT_EQ(request.page_token(), "abc");
  EXPECT_EQ(request.filter(), "kind = KIND_QUOTE");
  EXPECT_EQ(request.order_by(), "publish_time desc");

  const GrpcCall batch = Call("GET", "/v1/people:batchGet?names=people/a&names=people%2Fb");
  registry::v1::BatchGetPeopleRequest people;
  ASSERT_TRUE(people.ParseFromString(batch.request));
  EXPECT_THAT(people.names(), ::testing::ElementsAre("people/a", "people/b"));

  const GrpcCall search = Call(
      "GET", "/v1/events/e/statements:search?query=%D1%94%D0%B4%D0%BD&publishTimeStart=2023-12-06T00:00:00Z");
  statements::v1::SearchStatementsRequest searched;
  ASSERT_TRUE(searched.ParseFromString(search.request));
  EXPECT_EQ(searched.query(), "єдн");
  EXPECT_EQ(searched.publish_time_start().seconds(), 1701820800);
}

TEST_F(TranscoderTest, FieldBodiesAndCustomMethods) {
  const GrpcCall create = Call("POST", "/v1/events/e/statements?statementId=s1&requestId=r1",
                               R"({"kind":"KIND_QUOTE","title":"T","speakers":["people/a"]})");
  statements::v1::CreateStatementRequest request;
  ASSERT_TRUE(request.ParseFromString(create.request));
  EXPECT_EQ(request.parent(), "events/e");
  EXPECT_EQ(request.statement_id(), "s1");
  EXPECT_EQ(request.request_id(), "r1");
  EXPECT_EQ(request.statement().title(), "T");
  EXPECT_EQ(request.statement().kind(), statements::v1::Statement::KIND_QUOTE);

  const GrpcCall publish = Call("POST", "/v1/events/e/statements/s1:publish", R"({"etag":"x"})");
  EXPECT_EQ(publish.route->grpc_path, "/summit.statements.v1.StatementsService/PublishStatement");
  statements::v1::PublishStatementRequest published;
  ASSERT_TRUE(published.ParseFromString(publish.request));
  EXPECT_EQ(published.name(), "events/e/statements/s1");
  EXPECT_EQ(published.etag(), "x");

  const GrpcCall patch = Call("PATCH", "/v1/people/umerov?updateMask=title,languages",
                              R"({"title":"Minister"})");
  registry::v1::UpdatePersonRequest update;
  ASSERT_TRUE(update.ParseFromString(patch.request));
  EXPECT_EQ(update.person().name(), "people/umerov");
  EXPECT_EQ(update.person().title(), "Minister");
  EXPECT_THAT(update.update_mask().paths(), ::testing::ElementsAre("title", "languages"));
}

TEST_F(TranscoderTest, ThePathWinsOverTheBody) {
  const GrpcCall call = Call("POST", "/v1/events/e/statements/s1:publish",
                             R"({"name":"events/other/statements/x"})");
  statements::v1::PublishStatementRequest request;
  ASSERT_TRUE(request.ParseFromString(call.request));
  EXPECT_EQ(request.name(), "events/e/statements/s1");
}

TEST_F(TranscoderTest, MalformedRequestsAreClearErrorsAndNeverCalls) {
  EXPECT_EQ(Error("GET", "/v1/nowhere").http_status, 404);
  EXPECT_EQ(Error("PUT", "/v1/people/umerov").http_status, 405);
  HttpError unknown = Error("GET", "/v1/people/umerov?colour=red");
  EXPECT_EQ(unknown.http_status, 400);
  EXPECT_EQ(unknown.field, "colour");
  HttpError wrong_type = Error("GET", "/v1/events/e/statements?pageSize=many");
  EXPECT_EQ(wrong_type.http_status, 400);
  EXPECT_EQ(wrong_type.field, "pageSize");
  EXPECT_EQ(Error("POST", "/v1/events/e/statements", "{not json").http_status, 400);
  EXPECT_THAT(Error("POST", "/v1/events/e/statements", R"({"titel":"x"})").message,
              HasSubstr("titel"));
  EXPECT_EQ(Error("POST", "/v1/events/e/statements", R"({"title":5})").http_status, 400);
  EXPECT_EQ(Error("POST", "/v1/events/e/statements", "[]").http_status, 400);
  // What the protobuf parser would take beyond RFC 8259 is refused too.
  for (const char* lenient : {R"({title:"x"})", R"({"title":"x",})", R"({"title":"x"}})",
                              R"({"title":'x'})", R"({"title":"x"} x)"}) {
    EXPECT_EQ(Error("POST", "/v1/events/e/statements", lenient).http_status, 400) << lenient;
  }
  EXPECT_EQ(Error("GET", "/v1/people/umerov", R"({"a":1})").http_status, 400);  // no body here
  EXPECT_EQ(Error("GET", "/v1/people/umerov?name=%zz").http_status, 400);
  EXPECT_EQ(Error("POST", "/v1/events/e/statements/s:publish?etag=x", "{}").http_status, 400);
  // A message field is not a query parameter; its leaves are.
  EXPECT_EQ(Error("GET", "/v1/events/e/statements:search?publishTimeStart.seconds=abc").http_status, 400);
}

TEST_F(TranscoderTest, ResponsesAndStatusesAsJson) {
  const GrpcCall call = Call("GET", "/v1/people/umerov");
  registry::v1::Person person;
  person.set_name("people/umerov");
  person.set_display_name("Rustem Umerov");
  person.add_languages("uk");
  std::string json;
  HttpError error;
  ASSERT_TRUE(transcoder_->ResponseToJson(*call.route, person.SerializeAsString(), json, error));
  EXPECT_EQ(json, R"({"name":"people/umerov","displayName":"Rustem Umerov","languages":["uk"]})");

  EXPECT_EQ(Transcoder::HttpStatusOf(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(Transcoder::HttpStatusOf(grpc::StatusCode::CANCELLED), 499);
  EXPECT_EQ(Transcoder::HttpStatusOf(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(Transcoder::HttpStatusOf(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(Transcoder::HttpStatusOf(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(Transcoder::HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(transcoder_->StatusJson(grpc::Status(grpc::StatusCode::NOT_FOUND, "gone \"x\"")),
            R"({"code":5,"message":"gone \"x\""})");
}

}  // namespace
}  // namespace summit::gateway
