// Summit as a stranger meets it: raw bytes on every port of the four real processes (the
// gateway's HTTP/JSON and gRPC ports, each service's gRPC port, every admin port), written by
// hand so that nothing refuses to send them — HTTP/1.1 requests over a socket
// (tests/support/http_client.h) and HTTP/2 frames (tests/support/raw_http2.h):
//
// - header values with control and non-ASCII bytes in every header Summit reads or forwards
//   (authorization, x-request-id, grpc-timeout, last-event-id, origin), alone and around a
//   valid token;
// - repeated headers (two authorizations: a forged one and a valid one);
// - framing conflicts (Transfer-Encoding with Content-Length, unknown codings);
// - oversized and deeply nested bodies and messages, oversized metadata;
// - stream floods: thousands of streams opened, or opened and reset, on one connection.
//
// After each attack every process is alive (the fixture's TearDown: no server stopped) and
// serving (a call on every port is answered), and no refused write changed anything
// (tests/support/summit_state.h). Each answer is checked for the code a stranger should get:
// 401 / UNAUTHENTICATED for a token that cannot be taken as it is, 400 for a request whose
// framing or fields are wrong. Waits are bounded (kAnswerPatience) and are not measurements.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/gateway/v1/gateway_service.grpc.pb.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/raw_http2.h"
#include "tests/support/rpc_status.h"
#include "tests/support/shared_suite_test.h"
#include "tests/support/summit_state.h"

namespace summit {
namespace {

namespace rv1 = registry::v1;
namespace sv1 = scheduling::v1;
namespace tv1 = statements::v1;
namespace gv1 = gateway::v1;
using ::summit::testing::ErrorBody;
using ::summit::testing::HttpConnection;
using ::summit::testing::HttpResponse;
using ::summit::testing::IsHttpError;
using ::summit::testing::RawHeaders;
using ::summit::testing::RawHttp2Connection;
using ::summit::testing::RawHttp2Stream;
using ::summit::testing::Server;
using ::summit::testing::SuiteOptions;

constexpr char kEvent[] = "events/udib-2023";
const auth::Principal kOrganizer{"people/duty-officer", auth::Role::kOrganizer};
// How long an attack's answer is waited for, at most; not a measurement.
constexpr absl::Duration kAnswerPatience = absl::Seconds(30);

// gRPC status codes as the grpc-status trailer spells them.
constexpr char kGrpcOk[] = "0";
constexpr char kGrpcUnauthenticated[] = "16";

// Header values gRPC would not send (a tab, UTF-8, bytes that are not text) that a stranger
// can send all the same, as the issue found them. (Over HTTP/1.1 a tab at either end is
// whitespace around the value, not part of it; HTTP/2 has no such whitespace.)
std::vector<std::string> UnsendableAuthorizations(const std::string& valid_token) {
  return {"Bearer\tzzz", "Bearer \xc3\xa9t\xc3\xa9" /* "Bearer été" */, "Bearer \xff\xfe", "a\tb",
          absl::StrCat("Bearer\t", valid_token)};
}

rv1::GetPersonRequest GetUmerov() {
  rv1::GetPersonRequest request;
  request.set_name("people/umerov");
  return request;
}

constexpr char kGetPerson[] = "/summit.registry.v1.RegistryService/GetPerson";

// A read every role may make on `server`'s own port: its method's path and request.
std::pair<std::string, std::string> PlainCallOn(Server server) {
  switch (server) {
    case Server::kScheduling: {
      sv1::ListRoomsRequest request;
      request.set_parent("events/udib-2023");
      return {"/summit.scheduling.v1.SchedulingService/ListRooms", request.SerializeAsString()};
    }
    case Server::kStatements: {
      tv1::ListStatementsRequest request;
      request.set_parent("events/udib-2023");
      request.set_page_size(1);
      return {"/summit.statements.v1.StatementsService/ListStatements", request.SerializeAsString()};
    }
    default:
      return {kGetPerson, GetUmerov().SerializeAsString()};
  }
}

class HostileWireTest : public testing::SharedSuiteTest<HostileWireTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "hostile";
    return options;
  }

 protected:
  std::string OrganizerToken() const { return suite().Token(kOrganizer); }

  // What the services hold, to compare before and after refused writes.
  std::string State() const {
    absl::StatusOr<std::string> state = testing::ReadSummitState(suite(), {kEvent}, {});
    EXPECT_TRUE(state.ok()) << state.status();
    return state.ok() ? *state : "";
  }

  // Every port answers a plain call: the processes are alive and serving.
  void ExpectEveryPortServes() const {
    const std::string token = absl::StrCat("Bearer ", OrganizerToken());
    auto deadline = [] { return absl::ToChronoTime(absl::Now() + kAnswerPatience); };
    for (Server server : {Server::kRegistry, Server::kGateway}) {
      grpc::ClientContext context;
      context.set_deadline(deadline());
      rv1::Person person;
      EXPECT_THAT(rv1::RegistryService::NewStub(suite().Channel(server))
                      ->GetPerson(&context, GetUmerov(), &person),
                  testing::RpcOk())
          << testing::ServerName(server);
    }
    {
      grpc::ClientContext context;
      context.set_deadline(deadline());
      context.AddMetadata("authorization", token);
      sv1::ListRoomsRequest request;
      request.set_parent(kEvent);
      sv1::ListRoomsResponse response;
      EXPECT_THAT(sv1::SchedulingService::NewStub(suite().Channel(Server::kScheduling))
                      ->ListRooms(&context, request, &response),
                  testing::RpcOk());
    }
    {
      grpc::ClientContext context;
      context.set_deadline(deadline());
      context.AddMetadata("authorization", token);
      tv1::ListStatementsRequest request;
      request.set_parent(kEvent);
      request.set_page_size(1);
      tv1::ListStatementsResponse response;
      EXPECT_THAT(tv1::StatementsService::NewStub(suite().Channel(Server::kStatements))
                      ->ListStatements(&context, request, &response),
                  testing::RpcOk());
    }
    const HttpResponse http =
        testing::Http(suite().http_port(), "GET", "/v1/people/umerov", OrganizerToken());
    EXPECT_EQ(http.status, 200) << http.Describe();
    for (Server server :
         {Server::kRegistry, Server::kScheduling, Server::kStatements, Server::kGateway}) {
      const HttpResponse metrics = testing::Http(suite().AdminPort(server), "GET", "/metrics");
      EXPECT_EQ(metrics.status, 200) << testing::ServerName(server) << " " << metrics.Describe();
    }
  }

  // An HTTP/1.1 request to the gateway written by hand: `head_lines` as they are.
  HttpResponse RawHttp(const std::string& request_line, const std::vector<std::string>& head_lines,
                       const std::string& body = "", int port = 0) const {
    std::string bytes = absl::StrCat(request_line, "\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (const std::string& line : head_lines) absl::StrAppend(&bytes, line, "\r\n");
    if (!body.empty()) absl::StrAppend(&bytes, "Content-Length: ", body.size(), "\r\n");
    absl::StrAppend(&bytes, "\r\n", body);
    return testing::Exchange(port == 0 ? suite().http_port() : port, bytes, kAnswerPatience);
  }

  // One gRPC call over a fresh raw HTTP/2 connection to `server`'s port.
  RawHttp2Stream RawGrpc(Server server, const std::string& path, const RawHeaders& metadata,
                         const google::protobuf::Message& request) const {
    std::unique_ptr<RawHttp2Connection> h2 = RawHttp2Connection::Connect(suite().Port(server));
    if (h2 == nullptr) {
      ADD_FAILURE() << "no connection to " << testing::ServerName(server);
      return {};
    }
    const uint32_t stream = h2->StartGrpcCall(path, metadata, request.SerializeAsString());
    return h2->Await(stream, absl::Now() + kAnswerPatience);
  }
};

// --- Defect 1 and 2: header bytes gRPC cannot send -----------------------------------------

// One request with `Authorization: Bearer<TAB>zzz` (or UTF-8, or 0xFF) aborted the gateway;
// a valid token after a tab passed the token check and aborted Scheduling and Statements when
// they called the Registry on the caller's behalf. Now: 401, nothing written, all alive.
TEST_F(HostileWireTest, HttpAuthorizationWithBytesGrpcCannotSendIs401) {
  const std::string before = State();
  for (const std::string& authorization : UnsendableAuthorizations(OrganizerToken())) {
    SCOPED_TRACE(absl::CEscape(authorization));
    const std::string header = absl::StrCat("Authorization: ", authorization);
    ErrorBody error;
    EXPECT_TRUE(IsHttpError(RawHttp("GET /v1/people/jordan-avery HTTP/1.1", {header}), 401,
                            grpc::StatusCode::UNAUTHENTICATED, &error));
    EXPECT_EQ(error.reason, auth::kReasonAuthHeaderMalformed);
    // A view, which calls every backend, and a feed.
    EXPECT_TRUE(IsHttpError(RawHttp(absl::StrCat("GET /v1/", kEvent, ":overview HTTP/1.1"), {header}),
                            401, grpc::StatusCode::UNAUTHENTICATED));
    EXPECT_TRUE(IsHttpError(
        RawHttp(absl::StrCat("GET /v1/", kEvent, "/statements:watch HTTP/1.1"), {header}), 401,
        grpc::StatusCode::UNAUTHENTICATED));
    // Writes that call the Registry first.
    EXPECT_TRUE(IsHttpError(
        RawHttp(absl::StrCat("POST /v1/", kEvent, "/rooms HTTP/1.1"),
                {header, "Content-Type: application/json"},
                R"({"displayName":"Hostile room","kind":"KIND_MEETING_ROOM","capacity":4})"),
        401, grpc::StatusCode::UNAUTHENTICATED));
    EXPECT_TRUE(IsHttpError(
        RawHttp(absl::StrCat("POST /v1/", kEvent, "/statements HTTP/1.1"),
                {header, "Content-Type: application/json"},
                R"({"kind":"KIND_PRESS_RELEASE","title":"Hostile","bodies":[{"languageCode":"en","text":"x","original":true}]})"),
        401, grpc::StatusCode::UNAUTHENTICATED));
  }
  EXPECT_TRUE(testing::Unchanged(before, State()));
  ExpectEveryPortServes();
}

// The same bytes as gRPC metadata, over raw HTTP/2, on every gRPC port: the gateway's proxy
// and views, the Registry, and Scheduling and Statements on methods that call the Registry.
TEST_F(HostileWireTest, GrpcAuthorizationWithBytesGrpcCannotSendIsUnauthenticated) {
  const std::string before = State();
  sv1::CreateRoomRequest room;
  room.set_parent(kEvent);
  room.mutable_room()->set_display_name("Hostile room");
  room.mutable_room()->set_kind(sv1::Room::KIND_MEETING_ROOM);
  room.mutable_room()->set_capacity(4);
  sv1::ExportCalendarRequest calendar;
  calendar.set_parent(kEvent);
  tv1::CreateStatementRequest statement;
  statement.set_parent(kEvent);
  statement.mutable_statement()->set_kind(tv1::Statement::KIND_PRESS_RELEASE);
  statement.mutable_statement()->set_title("Hostile");
  tv1::StatementBody* body = statement.mutable_statement()->add_bodies();
  body->set_language_code("en");
  body->set_text("x");
  body->set_original(true);
  gv1::GetEventOverviewRequest overview;
  overview.set_event(kEvent);
  struct Attempt {
    Server server;
    std::string path;
    const google::protobuf::Message* request;
  };
  const rv1::GetPersonRequest person = GetUmerov();
  const std::vector<Attempt> attempts = {
      {Server::kGateway, kGetPerson, &person},
      {Server::kGateway, "/summit.gateway.v1.GatewayService/GetEventOverview", &overview},
      {Server::kGateway, "/summit.scheduling.v1.SchedulingService/CreateRoom", &room},
      {Server::kRegistry, kGetPerson, &person},
      {Server::kScheduling, "/summit.scheduling.v1.SchedulingService/ExportCalendar", &calendar},
      {Server::kScheduling, "/summit.scheduling.v1.SchedulingService/CreateRoom", &room},
      {Server::kStatements, "/summit.statements.v1.StatementsService/CreateStatement", &statement},
  };
  for (const std::string& authorization : UnsendableAuthorizations(OrganizerToken())) {
    for (const Attempt& attempt : attempts) {
      SCOPED_TRACE(absl::StrCat(testing::ServerName(attempt.server), " ", attempt.path, " ",
                                absl::CEscape(authorization)));
      const RawHttp2Stream answer =
          RawGrpc(attempt.server, attempt.path, {{"authorization", authorization}}, *attempt.request);
      EXPECT_EQ(answer.GrpcStatus(), kGrpcUnauthenticated) << answer.Describe();
    }
  }
  for (const Attempt& attempt : attempts) {
    const RawHttp2Stream answer =
        RawGrpc(attempt.server, attempt.path,
                {{"authorization", absl::StrCat("Bearer ", OrganizerToken(), "\t")}}, *attempt.request);
    EXPECT_EQ(answer.GrpcStatus(), kGrpcUnauthenticated) << attempt.path << " " << answer.Describe();
  }
  EXPECT_TRUE(testing::Unchanged(before, State()));
  ExpectEveryPortServes();
}

// A request id (and any other metadata) with such bytes is not passed on: the call is served,
// through the gateway's proxy and by Scheduling's calls to the Registry alike.
TEST_F(HostileWireTest, OtherMetadataWithBytesGrpcCannotSendIsNotPassedOn) {
  const std::string token = absl::StrCat("Bearer ", OrganizerToken());
  sv1::ExportCalendarRequest calendar;
  calendar.set_parent(kEvent);
  for (const std::string& value : {std::string("a\tb"), std::string("\xc3\xa9t\xc3\xa9"),
                                   std::string("\xff\xfe"), std::string(2000, 'x')}) {
    SCOPED_TRACE(absl::CEscape(value.substr(0, 20)));
    const RawHeaders metadata = {{"authorization", token},
                                 {"x-request-id", value},
                                 {"traceparent", value},
                                 {"x-anything", value}};
    RawHttp2Stream answer = RawGrpc(Server::kGateway, kGetPerson, metadata, GetUmerov());
    EXPECT_EQ(answer.GrpcStatus(), kGrpcOk) << answer.Describe();
    answer = RawGrpc(Server::kScheduling, "/summit.scheduling.v1.SchedulingService/ExportCalendar",
                     metadata, calendar);
    EXPECT_EQ(answer.GrpcStatus(), kGrpcOk) << answer.Describe();
    // Over HTTP, where the gateway makes its own request id.
    const HttpResponse http =
        RawHttp("GET /v1/people/umerov HTTP/1.1",
                {absl::StrCat("Authorization: ", token), absl::StrCat("X-Request-Id: ", value),
                 absl::StrCat("Origin: ", value)});
    EXPECT_EQ(http.status, 200) << http.Describe();
    EXPECT_NE(http.Header("x-request-id"), value);
    EXPECT_EQ(http.Header("access-control-allow-origin"), "");
  }
  ExpectEveryPortServes();
}

// Header names no HTTP/2 peer may send (upper case, bytes that are not a token, pseudo-headers
// no request has) and grpc-timeouts that are not one: gRPC's transport answers them as it sees
// fit (a refused stream, an error, or the call served without the field), and the process stays.
// Authorization values with a NUL or a line break are Summit's to refuse: UNAUTHENTICATED.
TEST_F(HostileWireTest, MalformedHeaderFieldsOverHttp2LeaveEveryProcessServing) {
  const std::vector<std::pair<std::string, std::string>> transport_fields = {
      {"Authorization", "Bearer x"}, {"x-\xff", "1"},          {"x y", "1"},
      {"", "empty name"},           {":unknown", "1"},        {"grpc-timeout", "\xff\xff"},
      {"grpc-timeout", "99999999999S"}, {"content-type", "\xff"}, {"te", "\t"}};
  const std::vector<std::string> refused_authorizations = {std::string("Bearer a\0b", 10),
                                                           "Bearer a\r\nb: c", "Bearer \x7f"};
  for (Server server :
       {Server::kGateway, Server::kRegistry, Server::kScheduling, Server::kStatements}) {
    for (const auto& [name, value] : transport_fields) {
      SCOPED_TRACE(absl::StrCat(testing::ServerName(server), " ", absl::CEscape(name), ": ",
                                absl::CEscape(value)));
      std::unique_ptr<RawHttp2Connection> h2 = RawHttp2Connection::Connect(suite().Port(server));
      ASSERT_NE(h2, nullptr);
      const auto [path, request] = PlainCallOn(server);
      const uint32_t stream = h2->StartGrpcCall(path, {{name, value}}, request);
      const RawHttp2Stream answer = h2->Await(stream, absl::Now() + kAnswerPatience);
      EXPECT_TRUE(answer.ended || h2->closed() || h2->goaway()) << answer.Describe();
    }
    for (const std::string& authorization : refused_authorizations) {
      SCOPED_TRACE(absl::StrCat(testing::ServerName(server), " ", absl::CEscape(authorization)));
      std::unique_ptr<RawHttp2Connection> h2 = RawHttp2Connection::Connect(suite().Port(server));
      ASSERT_NE(h2, nullptr);
      const auto [path, request] = PlainCallOn(server);
      const uint32_t stream = h2->StartGrpcCall(path, {{"authorization", authorization}}, request);
      const RawHttp2Stream answer = h2->Await(stream, absl::Now() + kAnswerPatience);
      EXPECT_EQ(answer.GrpcStatus(), kGrpcUnauthenticated) << answer.Describe();
    }
  }
  ExpectEveryPortServes();
}

// --- Defect 5: a header given twice ----------------------------------------------------------

// A forged token and then a valid one were answered with the valid one's view (the last header
// won). gRPC refuses a repeated authorization; so does HTTP now, in either order.
TEST_F(HostileWireTest, TwoAuthorizationHeadersAre401OnEveryWayIn) {
  const std::string valid = absl::StrCat("Authorization: Bearer ", OrganizerToken());
  const std::string forged = "Authorization: Bearer forged.token.here";
  for (const auto& pair : {std::vector<std::string>{forged, valid}, std::vector<std::string>{valid, forged},
                           std::vector<std::string>{valid, valid}}) {
    ErrorBody error;
    EXPECT_TRUE(IsHttpError(RawHttp("GET /v1/people/umerov HTTP/1.1", pair), 401,
                            grpc::StatusCode::UNAUTHENTICATED, &error));
    EXPECT_EQ(error.reason, auth::kReasonAuthHeaderRepeated);
  }
  const std::string token = absl::StrCat("Bearer ", OrganizerToken());
  for (Server server :
       {Server::kGateway, Server::kRegistry}) {
    const RawHttp2Stream answer = RawGrpc(
        server, kGetPerson, {{"authorization", "Bearer forged"}, {"authorization", token}},
        GetUmerov());
    EXPECT_EQ(answer.GrpcStatus(), kGrpcUnauthenticated)
        << testing::ServerName(server) << " " << answer.Describe();
  }
  gv1::GetEventOverviewRequest overview;
  overview.set_event(kEvent);
  const RawHttp2Stream view =
      RawGrpc(Server::kGateway, "/summit.gateway.v1.GatewayService/GetEventOverview",
              {{"authorization", "Bearer forged"}, {"authorization", token}}, overview);
  EXPECT_EQ(view.GrpcStatus(), kGrpcUnauthenticated) << view.Describe();
  ExpectEveryPortServes();
}

// Other headers the gateway reads take one value too: which of two would count is a guess.
TEST_F(HostileWireTest, OtherSingleValueHeadersGivenTwiceAre400) {
  for (const auto& pair :
       {std::vector<std::string>{"Grpc-Timeout: 10S", "Grpc-Timeout: 1n"},
        std::vector<std::string>{"X-Request-Id: a", "X-Request-Id: b"},
        std::vector<std::string>{"Origin: https://a.example", "Origin: https://b.example"}}) {
    EXPECT_TRUE(IsHttpError(RawHttp("GET /v1/people/umerov HTTP/1.1", pair), 400,
                            grpc::StatusCode::INVALID_ARGUMENT))
        << pair[0];
  }
  EXPECT_TRUE(IsHttpError(RawHttp(absl::StrCat("GET /v1/", kEvent, "/statements:watch HTTP/1.1"),
                                  {"Last-Event-ID: 1", "Last-Event-ID: 2"}),
                          400, grpc::StatusCode::INVALID_ARGUMENT));
}

// --- Defect 6: conflicting framing -----------------------------------------------------------

// `Transfer-Encoding: xchunked` with `Content-Length: 2` was framed by Content-Length and what
// followed answered as a second request, which a proxy in front would have taken as body:
// request smuggling. RFC 9112 section 6.3: 400, and the connection closed. On the gateway's
// HTTP port and every admin port (the same HTTP server).
TEST_F(HostileWireTest, AmbiguousFramingIs400AndClosesTheConnection) {
  const std::string smuggled = "GET /v1/people/umerov HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<std::string> heads = {
      "Transfer-Encoding: xchunked\r\nContent-Length: 2",
      "Transfer-Encoding: chunked\r\nContent-Length: 2",
      "Content-Length: 2\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: gzip, chunked\r\nContent-Length: 2",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
      "Transfer-Encoding: identity",
      "Content-Length: 2\r\nContent-Length: 3",
  };
  std::vector<int> ports = {suite().http_port()};
  for (Server server :
       {Server::kRegistry, Server::kScheduling, Server::kStatements, Server::kGateway}) {
    ports.push_back(suite().AdminPort(server));
  }
  for (int port : ports) {
    for (const std::string& head : heads) {
      SCOPED_TRACE(absl::StrCat("port ", port, ": ", absl::CEscape(head)));
      std::unique_ptr<HttpConnection> connection = HttpConnection::Connect(port);
      ASSERT_NE(connection, nullptr);
      connection->Send(absl::StrCat("POST /v1/people HTTP/1.1\r\nHost: x\r\n", head,
                                    "\r\n\r\n0\r\n\r\n", smuggled));
      const absl::Time deadline = absl::Now() + kAnswerPatience;
      HttpResponse first = connection->ReadHead(deadline);
      ASSERT_TRUE(first.answered);
      EXPECT_EQ(first.status, 400);
      connection->ReadBody(first, deadline);
      // Nothing more: no second answer, and the server closed the connection.
      const HttpResponse second = connection->ReadHead(deadline);
      EXPECT_FALSE(second.answered) << second.Describe();
      EXPECT_TRUE(connection->closed());
    }
  }
  ExpectEveryPortServes();
}

// --- Oversized and deeply nested input --------------------------------------------------------

TEST_F(HostileWireTest, DeeplyNestedAndOversizedInputIsRefusedAndChangesNothing) {
  const std::string before = State();
  const std::string bearer = absl::StrCat("Bearer ", OrganizerToken());
  const std::string token = absl::StrCat("Authorization: ", bearer);
  // JSON nested far deeper than any message: the transcoder's parser refuses it.
  for (const std::string& body :
       {std::string(100000, '['), absl::StrCat(std::string(50000, '['), std::string(50000, ']')),
        absl::StrCat(R"({"displayName":)", std::string(20000, '{'))}) {
    const HttpResponse answer =
        RawHttp("POST /v1/people HTTP/1.1", {token, "Content-Type: application/json"}, body);
    EXPECT_TRUE(IsHttpError(answer, 400, grpc::StatusCode::INVALID_ARGUMENT)) << answer.Describe();
  }
  // A protobuf message of groups nested 100,000 deep in an unknown field: refused by the
  // parser's recursion limit, on every port.
  std::string nested;
  for (int i = 0; i < 100000; ++i) nested += "\xbb\x3e";  // field 999, start group
  for (Server server :
       {Server::kGateway, Server::kRegistry, Server::kScheduling, Server::kStatements}) {
    std::unique_ptr<RawHttp2Connection> h2 = RawHttp2Connection::Connect(suite().Port(server));
    ASSERT_NE(h2, nullptr);
    const uint32_t stream = h2->StartGrpcCall("/summit.registry.v1.RegistryService/CreatePerson",
                                              {{"authorization", bearer}}, nested);
    const RawHttp2Stream answer = h2->Await(stream, absl::Now() + kAnswerPatience);
    EXPECT_NE(answer.GrpcStatus(), kGrpcOk) << answer.Describe();
    // 100 KiB of metadata: over gRPC's header limit, refused.
    const RawHttp2Stream large =
        RawGrpc(server, kGetPerson, {{"x-large", std::string(100 * 1024, 'x')}}, GetUmerov());
    EXPECT_NE(large.GrpcStatus(), kGrpcOk) << large.Describe();
  }
  EXPECT_TRUE(testing::Unchanged(before, State()));
  ExpectEveryPortServes();
}

// --- Stream floods ----------------------------------------------------------------------------

// 10,000 streams opened on one connection and left waiting for their message, and 10,000 opened
// and reset at once (HTTP/2 "rapid reset"): the server keeps at most its limit open, and another
// client is served meanwhile and after.
TEST_F(HostileWireTest, StreamFloodsOnOneConnectionStarveNoOne) {
  const std::string token = absl::StrCat("Bearer ", OrganizerToken());
  for (Server server : {Server::kGateway, Server::kStatements}) {
    SCOPED_TRACE(testing::ServerName(server));
    std::unique_ptr<RawHttp2Connection> open = RawHttp2Connection::Connect(suite().Port(server));
    std::unique_ptr<RawHttp2Connection> reset = RawHttp2Connection::Connect(suite().Port(server));
    ASSERT_NE(open, nullptr);
    ASSERT_NE(reset, nullptr);
    const RawHeaders headers = RawHttp2Connection::GrpcRequestHeaders(
        "/summit.statements.v1.StatementsService/ListStatements", {{"authorization", token}});
    std::string rst_payload("\0\0\0\x8", 4);  // CANCEL
    for (int batch = 0; batch < 20; ++batch) {
      for (int i = 0; i < 500; ++i) {
        open->SendHeaders(open->NextStreamId(), headers, /*end_stream=*/false);
        const uint32_t id = reset->NextStreamId();
        reset->SendHeaders(id, headers, /*end_stream=*/false);
        reset->SendRaw(testing::Http2Frame(0x3, 0, id, rst_payload));
      }
      // Read what came back, so that the server's writes never wait on this client.
      open->Drain(absl::Now() + absl::Milliseconds(10));
      reset->Drain(absl::Now() + absl::Milliseconds(10));
    }
    // Another client, meanwhile.
    auto statements = tv1::StatementsService::NewStub(suite().Channel(server));
    grpc::ClientContext context;
    context.AddMetadata("authorization", token);
    context.set_deadline(absl::ToChronoTime(absl::Now() + kAnswerPatience));
    tv1::ListStatementsRequest request;
    request.set_parent(kEvent);
    request.set_page_size(1);
    tv1::ListStatementsResponse response;
    EXPECT_THAT(statements->ListStatements(&context, request, &response), testing::RpcOk());
  }
  ExpectEveryPortServes();
}

}  // namespace
}  // namespace summit
