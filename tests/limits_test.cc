// Every limit Summit enforces against greedy or careless clients, tried at the limit and one past
// it against the four real processes (tests/support/suite.h), with the limits read from the
// headers that define them, so that the test follows the code:
//
// - message size: a gRPC request of exactly ServerOptions' max_receive_message_bytes reaches the
//   service (accepted, or refused by validation), one byte more is RESOURCE_EXHAUSTED from gRPC
//   itself, directly and through the gateway; over HTTP, a body of exactly the gateway's
//   max_body_bytes is transcoded, one byte more is 413, and header fields of max_header_bytes
//   are read, twice as many 431, each with a google.rpc.Status;
// - page sizes: at most kMaxPageSize (search: its own maximum) items a page, a larger page_size
//   served as the maximum (AIP-158), a negative one INVALID_ARGUMENT, on every List and Search;
// - string lengths and repeated counts: every field check's constant, at the maximum OK and one
//   past it INVALID_ARGUMENT with a BadRequest naming exactly that field; a bearer token of
//   kMaxTokenBytes taken, a longer one UNAUTHENTICATED, on every way in;
// - calendars: ExportCalendar answers with the whole calendar or refuses it, FAILED_PRECONDITION
//   CALENDAR_TOO_LARGE, when it would hold more than kMaxCalendarSessions sessions or more than
//   storage::kMaxPageBytes; never a calendar cut short, never an answer gRPC's client refuses;
// - concurrent streams: max_concurrent_streams streams open on one channel, the next ones wait
//   (gRPC's client honours the server's HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS and queues them)
//   and go ahead as soon as one closes, while the server keeps serving other channels;
// - error size: a request with thousands of bad items (150 intervals that end before they
//   start, 5,001 empty bodies) gets INVALID_ARGUMENT (400) listing the first violations and
//   counting the rest, on every way in, and other callers' calls through the gateway to the
//   same backend at that moment are served;
// - metric series: invented gRPC methods, HTTP verbs and paths add at most one series each to
//   the gateway's /metrics, counted with the code their callers got, and a service's methods
//   keep their own names while invented ones sent to it directly add no series;
// - the gateway's per-principal rate limit on every way in: gRPC (a backend's method and each
//   view) and HTTP, RESOURCE_EXHAUSTED with RetryInfo / 429 with Retry-After, one bucket per
//   principal whichever the way in, and a view over HTTP counted once.
//
// Every refused write is checked to have changed nothing (tests/support/summit_state.h). Waits
// are bounded (kPatience, kCallPatience) and are not measurements.
#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/field_checks.h"
#include "common/api/filter.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/api/violations.h"
#include "common/auth/jwt.h"
#include "common/http/http_server.h"
#include "common/server/summit_server.h"
#include "common/status/error_size.h"
#include "common/status/status_matchers.h"
#include "common/storage/list_query.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "openssl/evp.h"
#include "openssl/hmac.h"
#include "services/registry/registry_validation.h"
#include "services/scheduling/scheduling_validation.h"
#include "services/statements/statement_rules.h"
#include "summit/gateway/v1/gateway_service.grpc.pb.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/any_call.h"
#include "tests/support/held_feed.h"
#include "tests/support/http_client.h"
#include "tests/support/metric_samples.h"
#include "tests/support/proto_values.h"
#include "tests/support/rpc_status.h"
#include "tests/support/shared_suite_test.h"
#include "tests/support/suite.h"
#include "tests/support/summit_state.h"

namespace summit {
namespace {

namespace rv1 = registry::v1;
namespace sv1 = scheduling::v1;
namespace tv1 = statements::v1;
namespace gv1 = gateway::v1;
using ::google::protobuf::Message;
using ::google::protobuf::MethodDescriptor;
using ::summit::testing::AnyCallResult;
using ::summit::testing::DetailsOf;
using ::summit::testing::CallOverGrpc;
using ::summit::testing::Day;
using ::summit::testing::HeldFeed;
using ::summit::testing::MethodNamed;
using ::summit::testing::OwnChannel;
using ::summit::testing::RpcCode;
using ::summit::testing::RpcErrorWithReason;
using ::summit::testing::RpcOk;
using ::summit::testing::Server;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Code = grpc::StatusCode;

// The demo's event (its published statements feed the streams) and the event this test fills.
constexpr char kDemoEvent[] = "events/udib-2023";
constexpr char kEventId[] = "limits-2030";
constexpr char kEvent[] = "events/limits-2030";
const auth::Principal kOrganizer{"people/duty-officer", auth::Role::kOrganizer};

// `n` characters of two bytes each in UTF-8: limits count characters, not bytes.
std::string Text(size_t n) {
  std::string text;
  text.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) text += "ж";
  return text;
}

// A new id for each call, so that a create at the limit never meets an earlier one.
std::string UniqueId(absl::string_view prefix) {
  static std::atomic<int> next{0};
  return absl::StrCat(prefix, "-", next++);
}

// 2030-06-03 at `hour`:`minute` UTC, inside the test's event.
google::protobuf::Timestamp At(int hour, int minute = 0) {
  google::protobuf::Timestamp time;
  time.set_seconds(absl::ToUnixSeconds(absl::FromCivil(absl::CivilMinute(2030, 6, 3, hour, minute),
                                                       absl::UTCTimeZone())));
  return time;
}

// A limit on one field: `make(n)` is a request whose field holds n of what is counted
// (characters, items); `prepare` (optional) makes what the requests refer to, before the state
// the refusal must leave unchanged is read.
struct Limit {
  std::string method;  // e.g. "summit.registry.v1.RegistryService.CreatePerson"
  std::string field;   // the violation's path one past the limit, e.g. "person.display_name"
  size_t max;
  std::function<std::unique_ptr<Message>(size_t n)> make;
  std::function<void()> prepare = nullptr;
};

template <typename Request>
std::unique_ptr<Message> Own(Request request) {
  return std::make_unique<Request>(std::move(request));
}

class LimitsTest : public testing::SharedSuiteTest<LimitsTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "limits";
    return options;
  }

  // The event the test fills, beside the demo's.
  static absl::Status Prepare(Suite& suite) { return CreateEvent(kEventId); }

  // A new event `events/{id}` on the test event's days (June 3–4, 2030, in Brussels).
  static absl::Status CreateEvent(const std::string& id) {
    rv1::CreateEventRequest event;
    event.set_event_id(id);
    event.mutable_event()->set_display_name("Limits Summit");
    event.mutable_event()->set_kind(rv1::Event::KIND_SUMMIT);
    event.mutable_event()->set_city("Brussels");
    event.mutable_event()->set_country("BE");
    event.mutable_event()->set_time_zone("Europe/Brussels");
    *event.mutable_event()->mutable_start_date() = Day(2030, 6, 3);
    *event.mutable_event()->mutable_end_date() = Day(2030, 6, 4);
    event.mutable_event()->set_state(rv1::Event::STATE_CONFIRMED);
    const AnyCallResult created = Call("summit.registry.v1.RegistryService.CreateEvent", event);
    if (created.status.ok()) return absl::OkStatus();
    return absl::InternalError(
        absl::StrCat("cannot create events/", id, ": ", testing::Describe(created.status)));
  }

 protected:
  static std::string Organizer() { return suite().Token(kOrganizer); }

  // One call of `method` (full name), directly to the service that serves it, as the organizer.
  static AnyCallResult Call(const std::string& method, const Message& request) {
    const MethodDescriptor& descriptor = MethodNamed(method);
    return CallOverGrpc(suite().Channel(testing::ServerOf(descriptor.service()->full_name())),
                        descriptor, request, Organizer());
  }

  // The same, and its answer as a `Response`.
  template <typename Response>
  static Response CallOk(const std::string& method, const Message& request) {
    AnyCallResult result = Call(method, request);
    EXPECT_THAT(result.status, RpcOk()) << method;
    Response response;
    if (result.status.ok() && !result.responses.empty()) response.CopyFrom(*result.responses[0]);
    return response;
  }

  static std::string State() {
    absl::StatusOr<std::string> state = testing::ReadSummitState(suite(), {kEvent}, {});
    EXPECT_TRUE(state.ok()) << state.status();
    return state.ok() ? *state : "";
  }

  // One past the limit: INVALID_ARGUMENT naming exactly the field, and nothing changed; at the
  // limit: OK.
  static void ExpectLimit(const Limit& limit) {
    SCOPED_TRACE(absl::StrCat(limit.method, " ", limit.field, " at most ", limit.max));
    if (limit.prepare) limit.prepare();
    const std::string before = State();
    const AnyCallResult over = Call(limit.method, *limit.make(limit.max + 1));
    EXPECT_THAT(over.status, RpcCode(Code::INVALID_ARGUMENT));
    EXPECT_THAT(DetailsOf(over.status).fields, ElementsAre(limit.field))
        << testing::Describe(over.status);
    EXPECT_EQ(State(), before) << "the refused request changed something";
    const AnyCallResult at = Call(limit.method, *limit.make(limit.max));
    EXPECT_THAT(at.status, RpcOk());
  }

  // A new person, accredited to the test's event and approved when `approve`; its name.
  static std::string NewParticipant(const std::string& id, bool approve) {
    rv1::CreatePersonRequest person;
    person.set_person_id(id);
    person.mutable_person()->set_display_name(absl::StrCat("Crowd Member ", id));
    person.mutable_person()->set_country("BE");
    const rv1::Person created =
        CallOk<rv1::Person>("summit.registry.v1.RegistryService.CreatePerson", person);
    rv1::CreateParticipantRequest participant;
    participant.set_parent(kEvent);
    participant.mutable_participant()->set_person(created.name());
    participant.mutable_participant()->set_role(rv1::Participant::ROLE_DELEGATE);
    const rv1::Participant accreditation = CallOk<rv1::Participant>(
        "summit.registry.v1.RegistryService.CreateParticipant", participant);
    if (approve) {
      rv1::ApproveParticipantRequest approval;
      approval.set_name(accreditation.name());
      approval.set_etag(accreditation.etag());
      CallOk<rv1::Participant>("summit.registry.v1.RegistryService.ApproveParticipant", approval);
    }
    return created.name();
  }

  // kMaxSessionParticipants + 1 people approved for the test's event (more than any other
  // count limit needs), made once by a few writers at a time.
  static const std::vector<std::string>& Crowd() {
    static const std::vector<std::string>* const kCrowd = [] {
      auto* crowd = new std::vector<std::string>(scheduling::kMaxSessionParticipants + 1);
      constexpr int kWriters = 8;
      std::vector<std::thread> writers;
      for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([crowd, w] {
          for (size_t i = w; i < crowd->size(); i += kWriters) {
            (*crowd)[i] = NewParticipant(absl::StrCat("crowd-", i), /*approve=*/true);
          }
        });
      }
      for (std::thread& writer : writers) writer.join();
      return crowd;
    }();
    return *kCrowd;
  }

  static std::vector<std::string> CrowdOf(size_t n) {
    return std::vector<std::string>(Crowd().begin(), Crowd().begin() + n);
  }

  // Creates the sessions, a few writers at a time.
  static void CreateSessions(const std::vector<sv1::CreateSessionRequest>& requests) {
    constexpr size_t kWriters = 8;
    std::vector<std::thread> writers;
    for (size_t w = 0; w < kWriters; ++w) {
      writers.emplace_back([&requests, w] {
        for (size_t i = w; i < requests.size(); i += kWriters) {
          CallOk<sv1::Session>("summit.scheduling.v1.SchedulingService.CreateSession", requests[i]);
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
  }

  // ExportCalendar through `way_in` (Scheduling itself, or the gateway's gRPC port) as the
  // organizer, who sees every session, with a gRPC client's default limits.
  static AnyCallResult ExportCalendar(Server way_in, const sv1::ExportCalendarRequest& request) {
    return CallOverGrpc(suite().Channel(way_in),
                        MethodNamed("summit.scheduling.v1.SchedulingService.ExportCalendar"),
                        request, Organizer());
  }
  static const std::string& CalendarOf(const AnyCallResult& answer) {
    return dynamic_cast<const sv1::ExportCalendarResponse&>(*answer.responses.at(0)).calendar();
  }
  // The whole event's calendar refused on both ways in, with its reason and the way out.
  static void ExpectCalendarTooLarge(const sv1::ExportCalendarRequest& whole,
                                     absl::string_view why) {
    for (Server way_in : {Server::kScheduling, Server::kGateway}) {
      SCOPED_TRACE(testing::ServerName(way_in));
      const AnyCallResult over = ExportCalendar(way_in, whole);
      EXPECT_THAT(over.status, RpcErrorWithReason(Code::FAILED_PRECONDITION, "CALENDAR_TOO_LARGE"));
      EXPECT_THAT(over.status.error_message(),
                  AllOf(HasSubstr(why), HasSubstr("person"), HasSubstr("room")));
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Message size.

// A CreatePersonRequest for a valid new person whose serialized size is exactly `bytes`: padded
// with a field the Registry does not know (parsed, then ignored) when `valid`, else with an
// over-long display name, which only validation refuses.
rv1::CreatePersonRequest PersonRequestOfSize(size_t bytes, bool valid) {
  rv1::CreatePersonRequest request;
  request.set_person_id(UniqueId("sized"));
  request.mutable_person()->set_display_name("Sized Person");
  request.mutable_person()->set_country("UA");
  const size_t base = request.ByteSizeLong();
  std::string padding(bytes - base, 'x');
  auto set = [&] {
    if (valid) {
      rv1::CreatePersonRequest fresh;
      fresh.set_person_id(request.person_id());
      *fresh.mutable_person() = request.person();
      fresh.mutable_person()->set_display_name("Sized Person");
      fresh.GetReflection()->MutableUnknownFields(&fresh)->AddLengthDelimited(9999, padding);
      request = std::move(fresh);
    } else {
      request.mutable_person()->set_display_name(padding);
    }
  };
  // The padding's tag and length come on top: adjust until the whole is exactly `bytes`.
  set();
  for (int i = 0; i < 4 && request.ByteSizeLong() != bytes; ++i) {
    padding.resize(padding.size() + bytes - request.ByteSizeLong(), 'x');
    set();
  }
  EXPECT_EQ(request.ByteSizeLong(), bytes);
  return request;
}

TEST_F(LimitsTest, AGrpcRequestOfTheMaximumSizeArrivesAndOneByteMoreIsRefusedByGrpc) {
  const size_t max = server::ServerOptions().max_receive_message_bytes;
  const MethodDescriptor& create = MethodNamed("summit.registry.v1.RegistryService.CreatePerson");
  for (Server way_in : {Server::kRegistry, Server::kGateway}) {
    SCOPED_TRACE(testing::ServerName(way_in));
    const std::string before = State();
    // One byte over: gRPC refuses it before any Summit code runs.
    const AnyCallResult over =
        CallOverGrpc(suite().Channel(way_in), create, PersonRequestOfSize(max + 1, true),
                     Organizer());
    EXPECT_THAT(over.status, RpcCode(Code::RESOURCE_EXHAUSTED));
    // At the maximum, but invalid: the Registry's validation answers.
    const AnyCallResult invalid =
        CallOverGrpc(suite().Channel(way_in), create, PersonRequestOfSize(max, false),
                     Organizer());
    EXPECT_THAT(invalid.status, RpcCode(Code::INVALID_ARGUMENT));
    EXPECT_THAT(DetailsOf(invalid.status).fields, ElementsAre("person.display_name"));
    EXPECT_EQ(State(), before) << "a refused request changed something";
    // At the maximum and valid: created.
    const rv1::CreatePersonRequest valid = PersonRequestOfSize(max, true);
    const AnyCallResult created = CallOverGrpc(suite().Channel(way_in), create, valid, Organizer());
    ASSERT_THAT(created.status, RpcOk());
    const auto& person = dynamic_cast<const rv1::Person&>(*created.responses[0]);
    EXPECT_EQ(person.name(), absl::StrCat("people/", valid.person_id()));
  }
}

TEST_F(LimitsTest, AnHttpBodyOfTheMaximumSizeIsTranscodedAndOneByteMoreIs413) {
  const size_t max = http::HttpServerOptions().max_body_bytes;
  // A valid person's JSON padded with blanks (JSON ignores them) to `bytes`.
  auto body_of = [](size_t bytes) {
    std::string json = absl::StrCat(R"({"displayName":"Sized Person","country":"UA"})");
    const std::string padding(bytes - json.size(), ' ');
    return absl::StrCat(padding, json);
  };
  const std::string before = State();
  const std::string over_id = UniqueId("http-sized");
  const testing::HttpResponse over =
      testing::Exchange(suite().http_port(),
                        testing::RequestBytes("POST", absl::StrCat("/v1/people?personId=", over_id),
                                              suite().http_port(),
                                              {{"authorization", "Bearer " + Organizer()},
                                               {"content-type", "application/json"}},
                                              body_of(max + 1)));
  testing::ErrorBody error;
  EXPECT_TRUE(testing::IsHttpError(over, 413, Code::RESOURCE_EXHAUSTED, &error));
  EXPECT_TRUE(absl::StrContains(error.status.message(), absl::StrCat(max))) << over.Describe();
  EXPECT_EQ(State(), before) << "a refused request changed something";

  const std::string id = UniqueId("http-sized");
  const testing::HttpResponse at =
      testing::Http(suite().http_port(), "POST", absl::StrCat("/v1/people?personId=", id),
                    Organizer(), body_of(max), {{"content-type", "application/json"}});
  EXPECT_EQ(at.status, 200) << at.Describe();
  rv1::GetPersonRequest get;
  get.set_name(absl::StrCat("people/", id));
  EXPECT_THAT(Call("summit.registry.v1.RegistryService.GetPerson", get).status, RpcOk());
}

// Boost.Beast's parser applies its header limit to what it has not yet consumed of the head,
// which depends on how the bytes arrive, so the limit is no exact edge: header fields of the
// maximum are always read, and twice as many never are.
TEST_F(LimitsTest, HttpHeaderFieldsOfTheMaximumSizeAreReadAndTwiceAsManyAre431) {
  const size_t max = http::HttpServerOptions().max_header_bytes;
  // A GET whose header fields (from the line after the request line to the blank line that
  // ends them, included) are exactly `bytes` long.
  auto fields_size = [](const std::string& request) {
    return request.find("\r\n\r\n") + 4 - (request.find("\r\n") + 2);
  };
  auto request_of = [&](size_t bytes) {
    std::string padding;
    std::string request;
    for (int i = 0; i < 3; ++i) {
      request = testing::RequestBytes("GET", "/v1/people/umerov", suite().http_port(),
                                      {{"authorization", "Bearer " + Organizer()},
                                       {"x-padding", padding}},
                                      "");
      padding.resize(padding.size() + bytes - fields_size(request), 'p');
    }
    EXPECT_EQ(fields_size(request), bytes);
    return request;
  };
  const testing::HttpResponse over = testing::Exchange(suite().http_port(), request_of(2 * max));
  testing::ErrorBody error;
  EXPECT_TRUE(testing::IsHttpError(over, 431, Code::RESOURCE_EXHAUSTED, &error));
  EXPECT_TRUE(absl::StrContains(error.status.message(), absl::StrCat(max))) << over.Describe();
  const testing::HttpResponse at = testing::Exchange(suite().http_port(), request_of(max));
  EXPECT_EQ(at.status, 200) << at.Describe();
}

// A correctly signed token for the organizer, as long as it can be up to `bytes` (base64 grows
// in steps of whole characters: at most 3 short of it), padded with a claim services ignore.
std::string OrganizerTokenOfAtMost(size_t bytes, const std::string& key) {
  auto base64 = [](absl::string_view data) { return absl::WebSafeBase64Escape(data); };
  auto token_with = [&](size_t filler) {
    const std::string claims = absl::StrCat(
        R"({"sub":"people/duty-officer","role":"organizer","exp":)",
        absl::ToUnixSeconds(absl::Now() + absl::Hours(1)), R"(,"filler":")",
        std::string(filler, 'x'), R"("})");
    const std::string signed_part =
        absl::StrCat(base64(R"({"alg":"HS256","typ":"JWT"})"), ".", base64(claims));
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
         &mac_size);
    return absl::StrCat(signed_part, ".",
                        base64(absl::string_view(reinterpret_cast<char*>(mac), mac_size)));
  };
  size_t filler = 0;
  while (token_with(filler + 1).size() <= bytes) ++filler;
  return token_with(filler);
}

TEST_F(LimitsTest, ATokenOfTheMaximumLengthIsTakenAndALongerOneIsRefusedOnEveryWayIn) {
  const size_t max = auth::kMaxTokenBytes;
  const std::string at = OrganizerTokenOfAtMost(max, suite().key());
  const std::string over = OrganizerTokenOfAtMost(max + 4, suite().key());
  ASSERT_GT(at.size(), max - 4);
  ASSERT_GT(over.size(), max);
  rv1::GetPersonRequest get;
  get.set_name("people/umerov");
  const MethodDescriptor& method = MethodNamed("summit.registry.v1.RegistryService.GetPerson");
  for (Server way_in : {Server::kRegistry, Server::kGateway}) {
    SCOPED_TRACE(testing::ServerName(way_in));
    EXPECT_THAT(CallOverGrpc(suite().Channel(way_in), method, get, at).status, RpcOk());
    const grpc::Status refused = CallOverGrpc(suite().Channel(way_in), method, get, over).status;
    EXPECT_THAT(refused, RpcCode(Code::UNAUTHENTICATED));
    EXPECT_TRUE(absl::StrContains(testing::Describe(refused), "TOKEN_MALFORMED"))
        << testing::Describe(refused);
  }
  EXPECT_EQ(testing::Http(suite().http_port(), "GET", "/v1/people/umerov", at).status, 200);
  // Over HTTP a token far past the limit too, which the gateway must not forward: gRPC's
  // metadata limit would refuse it with RESOURCE_EXHAUSTED, which reads as 429 over HTTP.
  for (const std::string& token : {over, std::string(2 * max, 'a')}) {
    testing::ErrorBody error;
    EXPECT_TRUE(testing::IsHttpError(testing::Http(suite().http_port(), "GET", "/v1/people/umerov",
                                                   token),
                                     401, Code::UNAUTHENTICATED, &error));
    EXPECT_EQ(error.reason, "TOKEN_MALFORMED");
  }
}

// ---------------------------------------------------------------------------------------------
// Page sizes.

// The items of a list or search answer (its one repeated message field).
int ItemsOf(const Message& response) {
  const auto* descriptor = response.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->is_repeated() && field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      return response.GetReflection()->FieldSize(response, field);
    }
  }
  return -1;
}

TEST_F(LimitsTest, APageSizeOverTheMaximumIsServedAsTheMaximum) {
  ASSERT_GT(Crowd().size(), static_cast<size_t>(api::kMaxPageSize));
  rv1::ListPeopleRequest list;
  for (int asked : {api::kMaxPageSize, api::kMaxPageSize + 1, 1 << 30}) {
    list.set_page_size(asked);
    const auto page = CallOk<rv1::ListPeopleResponse>("summit.registry.v1.RegistryService.ListPeople", list);
    EXPECT_EQ(page.people_size(), api::kMaxPageSize) << asked;
    EXPECT_FALSE(page.next_page_token().empty()) << asked;
  }
  rv1::SearchPeopleRequest search;
  search.set_query("crowd member");
  for (int asked : {registry::kMaxSearchResults, registry::kMaxSearchResults + 1}) {
    search.set_page_size(asked);
    const auto page =
        CallOk<rv1::SearchPeopleResponse>("summit.registry.v1.RegistryService.SearchPeople", search);
    EXPECT_EQ(page.results_size(), registry::kMaxSearchResults) << asked;
  }
}

TEST_F(LimitsTest, EveryListAndSearchTakesAnyPageSizeUpToItsMaximumAndRefusesANegativeOne) {
  // The parents and queries each needs to answer at all.
  auto request_for = [](const MethodDescriptor& method) {
    std::unique_ptr<Message> request(google::protobuf::MessageFactory::generated_factory()
                                         ->GetPrototype(method.input_type())
                                         ->New());
    const auto* reflection = request->GetReflection();
    const auto* descriptor = request->GetDescriptor();
    if (const auto* parent = descriptor->FindFieldByName("parent")) {
      reflection->SetString(request.get(), parent, kDemoEvent);
    }
    if (const auto* query = descriptor->FindFieldByName("query")) {
      reflection->SetString(request.get(), query, "unity");
    }
    if (method.name() == "ListStatementRevisions") {
      reflection->SetString(request.get(), descriptor->FindFieldByName("name"),
                            absl::StrCat(kDemoEvent, "/statements/zelensky-new-level-of-unity"));
    }
    if (method.name() == "ListItinerary") {
      reflection->SetString(request.get(), descriptor->FindFieldByName("person"), "people/umerov");
    }
    return request;
  };
  int lists = 0;
  for (const std::string& name : testing::EveryMethodOfTheContract()) {
    const MethodDescriptor& method = MethodNamed(name);
    const auto* page_size = method.input_type()->FindFieldByName("page_size");
    if (page_size == nullptr) continue;
    SCOPED_TRACE(name);
    ++lists;
    for (int asked : {0, 1, api::kMaxPageSize, api::kMaxPageSize + 1}) {
      std::unique_ptr<Message> request = request_for(method);
      request->GetReflection()->SetInt32(request.get(), page_size, asked);
      const AnyCallResult answer = Call(name, *request);
      EXPECT_THAT(answer.status, RpcOk()) << asked;
      if (answer.status.ok()) {
        EXPECT_LE(ItemsOf(*answer.responses[0]), asked == 0 ? api::kMaxPageSize : asked)
            << asked;
      }
    }
    std::unique_ptr<Message> negative = request_for(method);
    negative->GetReflection()->SetInt32(negative.get(), page_size, -1);
    const AnyCallResult refused = Call(name, *negative);
    EXPECT_THAT(refused.status, RpcCode(Code::INVALID_ARGUMENT));
    EXPECT_THAT(DetailsOf(refused.status).fields, ElementsAre("page_size"));
  }
  EXPECT_GE(lists, 10);
}

// ---------------------------------------------------------------------------------------------
// String lengths.

TEST_F(LimitsTest, RegistryTextsAndEventLengthAtTheirMaximumAreTakenAndOneMoreIsRefused) {
  auto event = [](const std::string& name, const std::string& city) {
    rv1::CreateEventRequest request;
    request.set_event_id(UniqueId("event"));
    rv1::Event* event = request.mutable_event();
    event->set_display_name(name);
    event->set_kind(rv1::Event::KIND_FORUM);
    event->set_city(city);
    event->set_country("BE");
    event->set_time_zone("Europe/Brussels");
    *event->mutable_start_date() = Day(2031, 1, 1);
    *event->mutable_end_date() = Day(2031, 1, 2);
    return Own(request);
  };
  auto organization = [](const std::string& name, const std::string& website,
                         std::vector<std::string> tags) {
    rv1::CreateOrganizationRequest request;
    request.set_organization_id(UniqueId("org"));
    request.mutable_organization()->set_display_name(name);
    request.mutable_organization()->set_kind(rv1::Organization::KIND_DEFENSE_COMPANY);
    request.mutable_organization()->set_country("UA");
    request.mutable_organization()->set_website(website);
    for (std::string& tag : tags) request.mutable_organization()->add_capabilities(std::move(tag));
    return request;
  };
  auto person = [](std::function<void(rv1::CreatePersonRequest&)> change) {
    rv1::CreatePersonRequest request;
    request.set_person_id(UniqueId("person"));
    request.mutable_person()->set_display_name("Limit Person");
    request.mutable_person()->set_country("UA");
    change(request);
    return Own(request);
  };
  const std::string kCreateEvent = "summit.registry.v1.RegistryService.CreateEvent";
  const std::string kCreateOrganization = "summit.registry.v1.RegistryService.CreateOrganization";
  const std::string kCreatePerson = "summit.registry.v1.RegistryService.CreatePerson";
  std::string pending;  // a participant to reject
  const std::vector<Limit> limits = {
      {kCreateEvent, "event.display_name", registry::kMaxDisplayNameChars,
       [&](size_t n) { return event(Text(n), "Brussels"); }},
      {kCreateEvent, "event.city", registry::kMaxCityChars,
       [&](size_t n) { return event("Limit Forum", Text(n)); }},
      {kCreateEvent, "event.end_date", static_cast<size_t>(registry::kMaxEventDays),
       [&](size_t n) {
         // An event of n days, both ends included.
         auto request = event("Long Forum", "Brussels");
         auto& create = dynamic_cast<rv1::CreateEventRequest&>(*request);
         const absl::CivilDay end = absl::CivilDay(2031, 1, 1) + static_cast<int>(n) - 1;
         *create.mutable_event()->mutable_end_date() =
             Day(static_cast<int>(end.year()), end.month(), end.day());
         return request;
       }},
      {kCreateOrganization, "organization.display_name", registry::kMaxDisplayNameChars,
       [&](size_t n) { return Own(organization(Text(n), "", {})); }},
      {kCreateOrganization, "organization.website", api::kMaxWebUrlChars,
       [&](size_t n) {
         const std::string prefix = "https://example.org/";
         return Own(organization("Limit Works", prefix + std::string(n - prefix.size(), 'a'), {}));
       }},
      {kCreateOrganization, "organization.capabilities[0]", api::kMaxTagChars,
       [&](size_t n) { return Own(organization("Limit Works", "", {std::string(n, 'a')})); }},
      {kCreatePerson, "person.display_name", registry::kMaxDisplayNameChars,
       [&](size_t n) {
         return person([n](auto& r) { r.mutable_person()->set_display_name(Text(n)); });
       }},
      {kCreatePerson, "person.native_name", registry::kMaxDisplayNameChars,
       [&](size_t n) {
         return person([n](auto& r) { r.mutable_person()->set_native_name(Text(n)); });
       }},
      {kCreatePerson, "person.title", registry::kMaxTitleChars,
       [&](size_t n) { return person([n](auto& r) { r.mutable_person()->set_title(Text(n)); }); }},
      {kCreatePerson, "person.email", api::kMaxEmailChars,
       [&](size_t n) {
         const std::string domain = "@example.org";
         return person([&](auto& r) {
           r.mutable_person()->set_email(std::string(n - domain.size(), 'a') + domain);
         });
       }},
      {kCreatePerson, "person_id", api::kMaxResourceIdChars,
       [&](size_t n) {
         return person([n](auto& r) {
           r.set_person_id(absl::StrCat(r.person_id(), std::string(n - r.person_id().size(), 'a')));
         });
       }},
      {kCreatePerson, "request_id", api::kMaxRequestIdChars,
       [&](size_t n) {
         return person([n](auto& r) {
           r.set_request_id(absl::StrCat(r.person_id(), std::string(n - r.person_id().size(), 'r')));
         });
       }},
      {"summit.registry.v1.RegistryService.CreateDelegation", "delegation.display_name",
       registry::kMaxDisplayNameChars,
       [&](size_t n) {
         rv1::CreateDelegationRequest request;
         request.set_parent(kEvent);
         request.mutable_delegation()->set_display_name(Text(n));
         request.mutable_delegation()->set_country("UA");
         return Own(request);
       }},
      {"summit.registry.v1.RegistryService.RejectParticipant", "reason",
       registry::kMaxReasonChars,
       [&](size_t n) {
         rv1::RejectParticipantRequest request;
         request.set_name(absl::StrCat(kEvent, "/participants/", pending.substr(7)));
         request.set_reason(Text(n));
         return Own(request);
       },
       [&] { pending = NewParticipant(UniqueId("pending"), /*approve=*/false); }},
      {"summit.registry.v1.RegistryService.SearchPeople", "query",
       registry::kMaxDisplayNameChars,
       [&](size_t n) {
         rv1::SearchPeopleRequest request;
         request.set_query(Text(n));
         return Own(request);
       }},
  };
  for (const Limit& limit : limits) ExpectLimit(limit);
}

TEST_F(LimitsTest, SchedulingTextsAtTheirMaximumAreTakenAndOneCharacterMoreIsRefused) {
  // A site visit (no room) without participants: nothing else can refuse it.
  auto session = [](std::function<void(sv1::Session&)> change) {
    sv1::CreateSessionRequest request;
    request.set_parent(kEvent);
    sv1::Session* session = request.mutable_session();
    session->set_title("Limit visit");
    session->set_kind(sv1::Session::KIND_SITE_VISIT);
    session->set_location("Brussels");
    *session->mutable_start_time() = At(9);
    *session->mutable_end_time() = At(10);
    change(*session);
    return Own(request);
  };
  const std::string kCreateSession = "summit.scheduling.v1.SchedulingService.CreateSession";
  std::string requester, invitee, organization_a, organization_b;
  const std::vector<Limit> limits = {
      {"summit.scheduling.v1.SchedulingService.CreateRoom", "room.display_name",
       scheduling::kMaxRoomNameChars,
       [](size_t n) {
         sv1::CreateRoomRequest request;
         request.set_parent(kEvent);
         request.mutable_room()->set_display_name(Text(n));
         request.mutable_room()->set_kind(sv1::Room::KIND_MEETING_ROOM);
         request.mutable_room()->set_capacity(10);
         return Own(request);
       }},
      {kCreateSession, "session.title", scheduling::kMaxSessionTitleChars,
       [&](size_t n) { return session([n](sv1::Session& s) { s.set_title(Text(n)); }); }},
      {kCreateSession, "session.description", scheduling::kMaxSessionDescriptionChars,
       [&](size_t n) { return session([n](sv1::Session& s) { s.set_description(Text(n)); }); }},
      {kCreateSession, "session.location", scheduling::kMaxSessionLocationChars,
       [&](size_t n) { return session([n](sv1::Session& s) { s.set_location(Text(n)); }); }},
      {"summit.scheduling.v1.SchedulingService.CreateMeetingRequest", "meeting_request.topic",
       scheduling::kMaxTopicChars,
       [&](size_t n) {
         sv1::CreateMeetingRequestRequest request;
         request.set_parent(kEvent);
         request.mutable_meeting_request()->set_requester(requester);
         request.mutable_meeting_request()->set_invitee(invitee);
         request.mutable_meeting_request()->set_topic(Text(n));
         request.mutable_meeting_request()->mutable_duration()->set_seconds(1800);
         return Own(request);
       },
       [&] {
         requester = NewParticipant(UniqueId("requester"), true);
         invitee = NewParticipant(UniqueId("invitee"), true);
       }},
      {"summit.scheduling.v1.SchedulingService.CreatePairRule", "pair_rule.reason",
       scheduling::kMaxPairRuleReasonChars,
       [&](size_t n) {
         sv1::CreatePairRuleRequest request;
         request.set_parent(kEvent);
         request.mutable_pair_rule()->set_organization_a(organization_a);
         request.mutable_pair_rule()->set_organization_b(organization_b);
         request.mutable_pair_rule()->set_reason(Text(n));
         return Own(request);
       },
       [&] {
         for (std::string* name : {&organization_a, &organization_b}) {
           rv1::CreateOrganizationRequest request;
           request.mutable_organization()->set_display_name("Paired Works");
           request.mutable_organization()->set_kind(rv1::Organization::KIND_DEFENSE_COMPANY);
           request.mutable_organization()->set_country("UA");
           *name = CallOk<rv1::Organization>(
                       "summit.registry.v1.RegistryService.CreateOrganization", request)
                       .name();
         }
       }},
  };
  for (const Limit& limit : limits) ExpectLimit(limit);
}

// A quote by `speakers` (the crowd's first when none), with `bodies` bodies of `chars`
// characters each.
tv1::CreateStatementRequest Quote(std::vector<std::string> speakers, int bodies, size_t chars) {
  tv1::CreateStatementRequest request;
  request.set_parent(kEvent);
  tv1::Statement* statement = request.mutable_statement();
  statement->set_kind(tv1::Statement::KIND_QUOTE);
  statement->set_title("Limit quote");
  for (std::string& speaker : speakers) statement->add_speakers(std::move(speaker));
  for (int i = 0; i < bodies; ++i) {
    tv1::StatementBody* body = statement->add_bodies();
    // "en-AA", "en-AB", …: as many distinct languages as needed.
    body->set_language_code(absl::StrCat("en-", std::string(1, 'A' + i / 26),
                                         std::string(1, 'A' + i % 26)));
    body->set_text(Text(chars));
    body->set_original(i == 0);
  }
  return request;
}

TEST_F(LimitsTest, StatementTextsAtTheirMaximumAreTakenAndOneCharacterMoreIsRefused) {
  const std::string speaker = Crowd()[0];
  auto statement_named = [](const std::string& id) {
    tv1::GetStatementRequest get;
    get.set_name(absl::StrCat(kDemoEvent, "/statements/", id));
    return CallOk<tv1::Statement>("summit.statements.v1.StatementsService.GetStatement", get);
  };
  const tv1::Statement corrected = statement_named("zelensky-thanks-partners");
  const tv1::Statement retracted = statement_named("markarova-unprecedented-format");
  ASSERT_EQ(corrected.state(), tv1::Statement::STATE_PUBLISHED);
  ASSERT_EQ(retracted.state(), tv1::Statement::STATE_PUBLISHED);
  const std::string kCreate = "summit.statements.v1.StatementsService.CreateStatement";
  const std::vector<Limit> limits = {
      {kCreate, "statement.title", statements::kMaxTitleChars,
       [&](size_t n) {
         tv1::CreateStatementRequest request = Quote({speaker}, 1, 10);
         request.mutable_statement()->set_title(Text(n));
         return Own(request);
       }},
      {kCreate, "statement.bodies[0].text", statements::kMaxBodyChars,
       [&](size_t n) { return Own(Quote({speaker}, 1, n)); }},
      {"summit.statements.v1.StatementsService.CorrectStatement", "correction_note",
       statements::kMaxNoteChars,
       [&](size_t n) {
         tv1::CorrectStatementRequest request;
         request.set_name(corrected.name());
         request.set_title(corrected.title());
         *request.mutable_bodies() = corrected.bodies();
         request.mutable_bodies(0)->set_text(corrected.bodies(0).text() + " [corrected]");
         request.set_correction_note(Text(n));
         return Own(request);
       }},
      {"summit.statements.v1.StatementsService.RetractStatement", "reason",
       statements::kMaxNoteChars,
       [&](size_t n) {
         tv1::RetractStatementRequest request;
         request.set_name(retracted.name());
         request.set_reason(Text(n));
         return Own(request);
       }},
      {"summit.statements.v1.StatementsService.SearchStatements", "query",
       statements::kMaxQueryChars,
       [&](size_t n) {
         tv1::SearchStatementsRequest request;
         request.set_parent(kDemoEvent);
         request.set_query(Text(n));
         return Own(request);
       }},
  };
  for (const Limit& limit : limits) ExpectLimit(limit);
}

// ---------------------------------------------------------------------------------------------
// Repeated counts.

TEST_F(LimitsTest, RepeatedFieldsAtTheirMaximumCountAreTakenAndOneMoreIsRefused) {
  // The delegations a joint statement may be signed by.
  std::vector<std::string> delegations;
  std::string room;
  const std::vector<Limit> limits = {
      {"summit.registry.v1.RegistryService.CreateOrganization", "organization.capabilities",
       static_cast<size_t>(registry::kMaxCapabilities),
       [](size_t n) {
         rv1::CreateOrganizationRequest request;
         request.mutable_organization()->set_display_name("Capable Works");
         request.mutable_organization()->set_kind(rv1::Organization::KIND_DEFENSE_COMPANY);
         request.mutable_organization()->set_country("UA");
         for (size_t i = 0; i < n; ++i) {
           request.mutable_organization()->add_capabilities(absl::StrCat("capability-", i));
         }
         return Own(request);
       }},
      {"summit.registry.v1.RegistryService.CreatePerson", "person.languages",
       static_cast<size_t>(registry::kMaxLanguages),
       [](size_t n) {
         rv1::CreatePersonRequest request;
         request.mutable_person()->set_display_name("Polyglot");
         request.mutable_person()->set_country("UA");
         for (size_t i = 0; i < n; ++i) {
           request.mutable_person()->add_languages(
               absl::StrCat("en-", std::string(1, 'A' + i / 26), std::string(1, 'A' + i % 26)));
         }
         return Own(request);
       }},
      {"summit.registry.v1.RegistryService.CreateDelegation", "delegation.members",
       static_cast<size_t>(registry::kMaxMembers),
       [](size_t n) {
         rv1::CreateDelegationRequest request;
         request.set_parent(kEvent);
         request.mutable_delegation()->set_display_name("Large Delegation");
         request.mutable_delegation()->set_country("UA");
         for (const std::string& member : CrowdOf(n)) request.mutable_delegation()->add_members(member);
         return Own(request);
       }},
      {"summit.registry.v1.RegistryService.BatchGetPeople", "names",
       static_cast<size_t>(registry::kMaxBatchNames),
       [](size_t n) {
         rv1::BatchGetPeopleRequest request;
         for (const std::string& person : CrowdOf(n)) request.add_names(person);
         return Own(request);
       }},
      {"summit.registry.v1.RegistryService.BatchGetParticipants", "names",
       static_cast<size_t>(registry::kMaxBatchNames),
       [](size_t n) {
         rv1::BatchGetParticipantsRequest request;
         request.set_parent(kEvent);
         for (const std::string& person : CrowdOf(n)) {
           request.add_names(absl::StrCat(kEvent, "/participants/", person.substr(7)));
         }
         return Own(request);
       }},
      {"summit.registry.v1.RegistryService.ListPeople", "filter",
       api::kMaxFilterAlternatives,
       [](size_t n) {
         rv1::ListPeopleRequest request;
         std::string filter = "country = \"UA\"";
         for (size_t i = 1; i < n; ++i) absl::StrAppend(&filter, " OR country = \"BE\"");
         request.set_filter(filter);
         return Own(request);
       }},
      {"summit.scheduling.v1.SchedulingService.CreateRoom", "room.capacity",
       static_cast<size_t>(scheduling::kMaxRoomCapacity),
       [](size_t n) {
         sv1::CreateRoomRequest request;
         request.set_parent(kEvent);
         request.mutable_room()->set_display_name("Arena");
         request.mutable_room()->set_kind(sv1::Room::KIND_PLENARY_HALL);
         request.mutable_room()->set_capacity(static_cast<int>(n));
         return Own(request);
       }},
      {"summit.scheduling.v1.SchedulingService.CreateSession", "session.participants",
       static_cast<size_t>(scheduling::kMaxSessionParticipants),
       [&](size_t n) {
         sv1::CreateSessionRequest request;
         request.set_parent(kEvent);
         sv1::Session* session = request.mutable_session();
         session->set_title("Everyone");
         session->set_kind(sv1::Session::KIND_PLENARY);
         session->set_room(room);
         *session->mutable_start_time() = At(7);
         *session->mutable_end_time() = At(8);
         for (const std::string& person : CrowdOf(n)) session->add_participants(person);
         return Own(request);
       },
       [&] {
         sv1::CreateRoomRequest request;
         request.set_parent(kEvent);
         request.mutable_room()->set_display_name("Great Hall");
         request.mutable_room()->set_kind(sv1::Room::KIND_PLENARY_HALL);
         request.mutable_room()->set_capacity(scheduling::kMaxRoomCapacity);
         room = CallOk<sv1::Room>("summit.scheduling.v1.SchedulingService.CreateRoom", request)
                    .name();
       }},
      {"summit.scheduling.v1.SchedulingService.SetAvailability", "availability.unavailable",
       static_cast<size_t>(scheduling::kMaxUnavailableIntervals),
       [](size_t n) {
         sv1::SetAvailabilityRequest request;
         request.mutable_availability()->set_name(
             absl::StrCat(kEvent, "/availabilities/", Crowd()[1].substr(7)));
         for (size_t i = 0; i < n; ++i) {
           sv1::TimeInterval* interval = request.mutable_availability()->add_unavailable();
           // Minute-long gaps from 09:00 on: disjoint, inside the event.
           *interval->mutable_start_time() = At(9 + static_cast<int>(2 * i / 60), 2 * i % 60);
           *interval->mutable_end_time() = At(9 + static_cast<int>((2 * i + 1) / 60),
                                              (2 * i + 1) % 60);
         }
         return Own(request);
       }},
      {"summit.statements.v1.StatementsService.CreateStatement", "statement.bodies",
       static_cast<size_t>(statements::kMaxBodies),
       [](size_t n) { return Own(Quote({Crowd()[0]}, static_cast<int>(n), 10)); }},
      {"summit.statements.v1.StatementsService.CreateStatement", "statement.speakers",
       static_cast<size_t>(statements::kMaxSpeakers),
       [](size_t n) { return Own(Quote(CrowdOf(n), 1, 10)); }},
      {"summit.statements.v1.StatementsService.CreateStatement", "statement.signatories",
       static_cast<size_t>(statements::kMaxSignatories),
       [&](size_t n) {
         tv1::CreateStatementRequest request = Quote({}, 1, 10);
         request.mutable_statement()->set_kind(tv1::Statement::KIND_JOINT_STATEMENT);
         for (size_t i = 0; i < n; ++i) {
           // One past the limit names a delegation that does not exist: the count is refused
           // before anything is looked up.
           request.mutable_statement()->add_signatories(
               i < delegations.size() ? delegations[i]
                                      : absl::StrCat(kEvent, "/delegations/not-made"));
         }
         return Own(request);
       },
       [&] {
         for (int i = 0; i < statements::kMaxSignatories; ++i) {
           rv1::CreateDelegationRequest request;
           request.set_parent(kEvent);
           request.mutable_delegation()->set_display_name(absl::StrCat("Signatory ", i));
           request.mutable_delegation()->set_country("UA");
           delegations.push_back(
               CallOk<rv1::Delegation>("summit.registry.v1.RegistryService.CreateDelegation",
                                       request)
                   .name());
         }
       }},
      {"summit.statements.v1.StatementsService.SearchStatements", "query",
       static_cast<size_t>(statements::kMaxQueryWords),
       [](size_t n) {
         tv1::SearchStatementsRequest request;
         request.set_parent(kDemoEvent);
         std::string query = "unity";
         for (size_t i = 1; i < n; ++i) absl::StrAppend(&query, " w", i);
         request.set_query(query);
         return Own(request);
       }},
  };
  for (const Limit& limit : limits) ExpectLimit(limit);
}

TEST_F(LimitsTest, AFilterOfTheMaximumLengthIsTakenAndOneCharacterMoreIsRefused) {
  ExpectLimit({"summit.registry.v1.RegistryService.ListPeople", "filter", api::kMaxFilterLength,
               [](size_t n) {
                 rv1::ListPeopleRequest request;
                 const std::string filter = "country = \"UA\"";
                 request.set_filter(filter + std::string(n - filter.size(), ' '));
                 return Own(request);
               }});
}

// Two statements as large as a request may carry (kMaxBodies bodies of kMaxBodyChars two-byte
// characters each: about 4 MB) make more than one gRPC message: lists and searches return them
// a page each, with a next page token, rather than an answer no client can receive.
TEST_F(LimitsTest, AListOfResourcesTooLargeForOneMessageComesInPagesThatArrive) {
  tv1::CreateStatementRequest request = Quote({Crowd().back()}, statements::kMaxBodies, 10);
  const std::string word = "manifold";
  for (tv1::StatementBody& body : *request.mutable_statement()->mutable_bodies()) {
    body.set_text(absl::StrCat(word, " ", Text(statements::kMaxBodyChars - word.size() - 1)));
  }
  ASSERT_LT(request.ByteSizeLong(), static_cast<size_t>(server::ServerOptions().max_receive_message_bytes));
  std::set<std::string> created;
  for (int i = 0; i < 2; ++i) {
    request.set_statement_id(UniqueId("large"));
    created.insert(CallOk<tv1::Statement>("summit.statements.v1.StatementsService.CreateStatement",
                                          request)
                       .name());
  }
  for (Server way_in : {Server::kStatements, Server::kGateway}) {
    SCOPED_TRACE(testing::ServerName(way_in));
    tv1::ListStatementsRequest list;
    list.set_parent(kEvent);
    // A speaker whom no other test quotes.
    list.set_filter(absl::StrCat("speaker = \"", Crowd().back(), "\""));
    tv1::SearchStatementsRequest search;
    search.set_parent(kEvent);
    search.set_query(word);
    for (Message* request : std::initializer_list<Message*>{&list, &search}) {
      const MethodDescriptor& method = MethodNamed(absl::StrCat(
          "summit.statements.v1.StatementsService.",
          request == &list ? "ListStatements" : "SearchStatements"));
      std::set<std::string> listed;
      for (int page = 0; page < 4; ++page) {
        const AnyCallResult answer =
            CallOverGrpc(suite().Channel(way_in), method, *request, Organizer());
        ASSERT_THAT(answer.status, RpcOk()) << method.name() << " page " << page;
        const Message& response = *answer.responses[0];
        if (request == &list) {
          for (const auto& statement : dynamic_cast<const tv1::ListStatementsResponse&>(response).statements()) {
            if (statement.bodies_size() == statements::kMaxBodies) listed.insert(statement.name());
          }
        } else {
          for (const auto& result : dynamic_cast<const tv1::SearchStatementsResponse&>(response).results()) {
            listed.insert(result.statement().name());
          }
        }
        const std::string next = response.GetReflection()->GetString(
            response, response.GetDescriptor()->FindFieldByName("next_page_token"));
        if (next.empty()) break;
        request->GetReflection()->SetString(
            request, request->GetDescriptor()->FindFieldByName("page_token"), next);
      }
      EXPECT_EQ(listed, created) << method.name();
      request->GetReflection()->ClearField(request,
                                           request->GetDescriptor()->FindFieldByName("page_token"));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Calendars: ExportCalendar answers with one message, however much the event holds.

// A site visit (no room, no participants: nothing can refuse it, and any number may overlap)
// `events/{event_id}/sessions/{id}`, with `description`.
sv1::CreateSessionRequest SiteVisit(const std::string& event_id, const std::string& id,
                                    const std::string& description = "") {
  sv1::CreateSessionRequest request;
  request.set_parent(absl::StrCat("events/", event_id));
  request.set_session_id(id);
  sv1::Session* session = request.mutable_session();
  session->set_title("Factory visit");
  session->set_description(description);
  session->set_kind(sv1::Session::KIND_SITE_VISIT);
  session->set_location("Brussels");
  *session->mutable_start_time() = At(9);
  *session->mutable_end_time() = At(10);
  return request;
}

// How many sessions an iCalendar text holds.
int Vevents(const std::string& calendar) {
  const std::vector<absl::string_view> lines = absl::StrSplit(calendar, "\r\n");
  return static_cast<int>(std::count(lines.begin(), lines.end(), "BEGIN:VEVENT"));
}

TEST_F(LimitsTest, ACalendarOfTheMaximumSessionsIsExportedAndOneMoreIsRefusedNotCut) {
  const std::string event_id = "calendar-count-2030";
  ASSERT_OK(CreateEvent(event_id));
  std::vector<sv1::CreateSessionRequest> visits;
  for (int i = 0; i < scheduling::kMaxCalendarSessions; ++i) {
    visits.push_back(SiteVisit(event_id, absl::StrCat("visit-", i)));
  }
  ASSERT_NO_FATAL_FAILURE(CreateSessions(visits));
  sv1::ExportCalendarRequest whole;
  whole.set_parent(absl::StrCat("events/", event_id));
  for (Server way_in : {Server::kScheduling, Server::kGateway}) {
    SCOPED_TRACE(testing::ServerName(way_in));
    const AnyCallResult at = ExportCalendar(way_in, whole);
    ASSERT_THAT(at.status, RpcOk());
    EXPECT_EQ(Vevents(CalendarOf(at)), scheduling::kMaxCalendarSessions);
  }

  // One more, in a room: the whole event's calendar would miss a session, and is refused; the
  // room's, which the refusal points to, is exported.
  sv1::CreateRoomRequest room;
  room.set_parent(whole.parent());
  room.set_room_id("hall");
  room.mutable_room()->set_display_name("Hall");
  room.mutable_room()->set_kind(sv1::Room::KIND_PLENARY_HALL);
  room.mutable_room()->set_capacity(100);
  const sv1::Room hall =
      CallOk<sv1::Room>("summit.scheduling.v1.SchedulingService.CreateRoom", room);
  sv1::CreateSessionRequest one_more = SiteVisit(event_id, "one-more");
  one_more.mutable_session()->set_kind(sv1::Session::KIND_PLENARY);
  one_more.mutable_session()->set_room(hall.name());
  ASSERT_NO_FATAL_FAILURE(CreateSessions({one_more}));
  sv1::ExportCalendarRequest of_the_hall = whole;
  of_the_hall.set_room(hall.name());
  ExpectCalendarTooLarge(whole, absl::StrCat(scheduling::kMaxCalendarSessions, " sessions"));
  for (Server way_in : {Server::kScheduling, Server::kGateway}) {
    SCOPED_TRACE(testing::ServerName(way_in));
    const AnyCallResult hall_only = ExportCalendar(way_in, of_the_hall);
    ASSERT_THAT(hall_only.status, RpcOk());
    EXPECT_EQ(Vevents(CalendarOf(hall_only)), 1);
  }
}

TEST_F(LimitsTest, ACalendarTooLargeForOneMessageIsRefusedWithItsReasonNotByGrpc) {
  const std::string event_id = "calendar-bytes-2030";
  ASSERT_OK(CreateEvent(event_id));
  // Site visits with the longest description, each adding as many bytes to the calendar.
  const std::string description = Text(scheduling::kMaxSessionDescriptionChars);
  auto visit = [&](int i) {
    return SiteVisit(event_id, absl::StrFormat("visit-%04d", i), description);
  };
  sv1::ExportCalendarRequest whole;
  whole.set_parent(absl::StrCat("events/", event_id));
  auto calendar_bytes = [&] {
    const AnyCallResult answer = ExportCalendar(Server::kScheduling, whole);
    EXPECT_THAT(answer.status, RpcOk());
    return answer.status.ok() ? CalendarOf(answer).size() : 0;
  };
  ASSERT_NO_FATAL_FAILURE(CreateSessions({visit(0)}));
  const size_t one = calendar_bytes();
  ASSERT_NO_FATAL_FAILURE(CreateSessions({visit(1)}));
  const size_t per_visit = calendar_bytes() - one;
  ASSERT_GT(per_visit, 2 * scheduling::kMaxSessionDescriptionChars);
  // As many as fit in storage::kMaxPageBytes, the most one answer holds.
  const int fitting = 1 + static_cast<int>((storage::kMaxPageBytes - one) / per_visit);
  ASSERT_LT(fitting, scheduling::kMaxCalendarSessions);
  std::vector<sv1::CreateSessionRequest> visits;
  for (int i = 2; i < fitting; ++i) visits.push_back(visit(i));
  ASSERT_NO_FATAL_FAILURE(CreateSessions(visits));
  for (Server way_in : {Server::kScheduling, Server::kGateway}) {
    SCOPED_TRACE(testing::ServerName(way_in));
    const AnyCallResult at = ExportCalendar(way_in, whole);
    ASSERT_THAT(at.status, RpcOk());
    EXPECT_EQ(CalendarOf(at).size(), one + (fitting - 1) * per_visit);
    EXPECT_LE(CalendarOf(at).size(), storage::kMaxPageBytes);
  }

  // One more, and then more than a gRPC client takes (4 MiB): refused by Scheduling, with its
  // reason, never left to fail in gRPC's transport.
  const int past_grpc =
      2 + static_cast<int>((GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH - one) / per_visit);
  int created = fitting;
  for (const int total : {fitting + 1, past_grpc}) {
    SCOPED_TRACE(absl::StrCat(total, " visits"));
    visits.clear();
    for (; created < total; ++created) visits.push_back(visit(created));
    ASSERT_NO_FATAL_FAILURE(CreateSessions(visits));
    ExpectCalendarTooLarge(whole, "bytes");
  }
}

// ---------------------------------------------------------------------------------------------
// Concurrent streams.

TEST_F(LimitsTest, StreamsOverTheConcurrencyLimitWaitOnTheirChannelWhileOtherChannelsAreServed) {
  const int max = server::ServerOptions().max_concurrent_streams;
  constexpr int kExtra = 4;
  const std::string token = Organizer();
  std::shared_ptr<grpc::Channel> channel = OwnChannel(suite().Port(Server::kStatements));
  auto stub = tv1::StatementsService::NewStub(channel);
  std::vector<std::unique_ptr<HeldFeed>> open;
  for (int i = 0; i < max; ++i) open.push_back(std::make_unique<HeldFeed>(*stub, token, kDemoEvent));
  for (int i = 0; i < max; ++i) {
    ASSERT_TRUE(open[i]->WaitForFirstEvent(testing::kPatience)) << "stream " << i;
  }
  // Past the limit: the server's SETTINGS allow no more on this connection, and gRPC's client
  // queues the new streams rather than failing them.
  std::vector<std::unique_ptr<HeldFeed>> extra;
  for (int i = 0; i < kExtra; ++i) extra.push_back(std::make_unique<HeldFeed>(*stub, token, kDemoEvent));
  absl::SleepFor(absl::Seconds(2));
  for (int i = 0; i < kExtra; ++i) EXPECT_FALSE(extra[i]->has_first_event()) << "extra " << i;

  // Meanwhile another channel is served: a unary call and a stream of its own.
  std::shared_ptr<grpc::Channel> other = OwnChannel(suite().Port(Server::kStatements));
  tv1::GetStatementRequest get;
  get.set_name(absl::StrCat(kDemoEvent, "/statements/zelensky-new-level-of-unity"));
  EXPECT_THAT(CallOverGrpc(other, MethodNamed("summit.statements.v1.StatementsService.GetStatement"),
                           get, token)
                  .status,
              RpcOk());
  auto other_stub = tv1::StatementsService::NewStub(other);
  HeldFeed other_feed(*other_stub, token, kDemoEvent);
  EXPECT_TRUE(other_feed.WaitForFirstEvent(testing::kPatience));

  // As streams close, the waiting ones go ahead, one for each.
  for (int i = 0; i < kExtra; ++i) open[i]->Cancel();
  for (int i = 0; i < kExtra; ++i) {
    EXPECT_TRUE(extra[i]->WaitForFirstEvent(testing::kPatience)) << "extra " << i;
  }

  other_feed.Cancel();
  for (auto* feeds : {&open, &extra}) {
    for (auto& feed : *feeds) feed->Cancel();
  }
  EXPECT_TRUE(other_feed.WaitForDone(testing::kPatience));
  for (auto* feeds : {&open, &extra}) {
    for (auto& feed : *feeds) EXPECT_TRUE(feed->WaitForDone(testing::kPatience));
  }
}

// ---------------------------------------------------------------------------------------------
// Error size: an error names what is wrong with a request, and a request decides how much is
// wrong; whatever it holds, the error fits in gRPC's response headers (common/status/
// error_size.h), and the caller's connection, which the gateway shares with other callers, is
// never torn down by one.

// A summary of the BadRequest a caller received: its violations (fields and descriptions, in
// order) and how many in all they stand for (a LeftOutNote counts those not listed).
struct ReceivedViolations {
  std::vector<std::string> fields;
  size_t stood_for = 0;
  bool counted_the_rest = false;  // the last is a LeftOutNote
};
ReceivedViolations Received(const std::vector<std::string>& fields,
                            const std::vector<std::string>& descriptions) {
  ReceivedViolations received;
  received.fields = fields;
  for (size_t i = 0; i < fields.size() && i < descriptions.size(); ++i) {
    received.stood_for += ViolationsCounted({fields[i], descriptions[i]});
  }
  received.counted_the_rest =
      !fields.empty() && LeftOutCountOf({fields.back(), descriptions.back()}).has_value();
  return received;
}

// While `refused` runs (a caller's request answered with a large error), another caller keeps
// calling through the gateway to the same backend (`other`, over HTTP and over gRPC by turns)
// until it is done; every one of those calls must be answered OK. Calls at the very moment of
// the refusal shared the gateway's connection to the backend with it.
void ExpectOthersServedMeanwhile(const std::function<void()>& refused,
                                 const std::function<grpc::Status(bool over_http)>& other) {
  std::atomic<bool> done{false};
  std::vector<grpc::Status> failed;
  int answered = 0;
  absl::Notification first_answered;
  std::thread caller([&] {
    for (bool over_http = true; !done.load(); over_http = !over_http) {
      const grpc::Status status = other(over_http);
      if (!status.ok()) failed.push_back(status);
      ++answered;
      if (!first_answered.HasBeenNotified()) first_answered.Notify();
    }
  });
  first_answered.WaitForNotification();
  for (int i = 0; i < 3; ++i) refused();
  done = true;
  caller.join();
  EXPECT_GE(answered, 1);
  for (const grpc::Status& status : failed) ADD_FAILURE() << testing::Describe(status);
}

const std::string kUmerovAvailability = absl::StrCat(kDemoEvent, "/availabilities/umerov");

// A delegate's own availability with `n` intervals that each end an hour before they start.
sv1::SetAvailabilityRequest BackwardsIntervals(int n) {
  sv1::SetAvailabilityRequest request;
  request.mutable_availability()->set_name(kUmerovAvailability);
  for (int i = 0; i < n; ++i) {
    sv1::TimeInterval* interval = request.mutable_availability()->add_unavailable();
    *interval->mutable_start_time() = At(10, i % 60);
    *interval->mutable_end_time() = At(9, i % 60);
  }
  return request;
}

TEST_F(LimitsTest, AnAvailabilityWith150BadIntervalsIsRefusedWithABoundedErrorOnEveryWayIn) {
  // Issue 16, defect 4: answered 429 "received initial metadata size exceeds limit", and the
  // gateway's connection to Scheduling torn down, failing other callers' calls.
  constexpr int kBad = 150;
  const std::string delegate = suite().Token({"people/umerov", auth::Role::kDelegate});
  const sv1::SetAvailabilityRequest request = BackwardsIntervals(kBad);
  const MethodDescriptor& set = MethodNamed("summit.scheduling.v1.SchedulingService.SetAvailability");
  absl::StatusOr<testing::HttpRequestFor> http = testing::ToHttpRequest(set, request);
  ASSERT_TRUE(http.ok()) << http.status();
  ASSERT_EQ(http->method, "PUT");
  ASSERT_EQ(http->target, "/v1/events/udib-2023/availabilities/umerov");
  const auto before = testing::ReadSummitState(suite(), {kDemoEvent}, {kUmerovAvailability});
  ASSERT_TRUE(before.ok()) << before.status();

  sv1::ListSessionsRequest sessions;
  sessions.set_parent(kDemoEvent);
  sessions.set_page_size(1);
  const MethodDescriptor& list = MethodNamed("summit.scheduling.v1.SchedulingService.ListSessions");
  ExpectOthersServedMeanwhile(
      [&] {
        // Over HTTP through the gateway: 400 with the first violations and a count of the rest.
        const testing::HttpResponse answer =
            testing::Http(suite().http_port(), http->method, http->target, delegate, http->body);
        testing::ErrorBody error;
        ASSERT_TRUE(testing::IsHttpError(answer, 400, Code::INVALID_ARGUMENT, &error));
        EXPECT_EQ(error.reason, "INVALID_ARGUMENT");
        const ReceivedViolations over_http = Received(error.bad_fields, error.bad_descriptions);
        EXPECT_LE(over_http.fields.size(), kMaxListedViolations + 1);
        EXPECT_EQ(over_http.fields.front(), "availability.unavailable[0]");
        EXPECT_TRUE(over_http.counted_the_rest);
        EXPECT_EQ(over_http.stood_for, static_cast<size_t>(kBad));

        // Over gRPC, directly and through the gateway's gRPC port: INVALID_ARGUMENT, the same.
        for (Server way_in : {Server::kScheduling, Server::kGateway}) {
          SCOPED_TRACE(testing::ServerName(way_in));
          const AnyCallResult refused = CallOverGrpc(suite().Channel(way_in), set, request, delegate);
          EXPECT_THAT(refused.status, RpcCode(Code::INVALID_ARGUMENT));
          const testing::RpcDetails details = DetailsOf(refused.status);
          EXPECT_EQ(details.fields, over_http.fields);
          EXPECT_EQ(Received(details.fields, details.descriptions).stood_for,
                    static_cast<size_t>(kBad));
        }
      },
      [&](bool over_http) {
        const std::string token = Organizer();
        return over_http ? testing::CallOverHttp(suite().http_port(), list, sessions, token).status
                         : CallOverGrpc(suite().Channel(Server::kGateway), list, sessions, token)
                               .status;
      });
  const auto after = testing::ReadSummitState(suite(), {kDemoEvent}, {kUmerovAvailability});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(testing::Unchanged(*before, *after));
}

TEST_F(LimitsTest, AStatementWith5001EmptyBodiesIsRefusedWithABoundedErrorOnEveryWayIn) {
  // Issue 16, defect 4, as an organizer's create: thousands of violations, one error.
  constexpr int kBodies = 5001;
  tv1::CreateStatementRequest request;
  request.set_parent(kDemoEvent);
  request.mutable_statement()->set_kind(tv1::Statement::KIND_PRESS_RELEASE);
  request.mutable_statement()->set_title("Empty bodies");
  for (int i = 0; i < kBodies; ++i) request.mutable_statement()->add_bodies();
  const MethodDescriptor& create =
      MethodNamed("summit.statements.v1.StatementsService.CreateStatement");
  absl::StatusOr<testing::HttpRequestFor> http = testing::ToHttpRequest(create, request);
  ASSERT_TRUE(http.ok()) << http.status();
  const auto before = testing::ReadSummitState(suite(), {kDemoEvent}, {});
  ASSERT_TRUE(before.ok()) << before.status();

  tv1::ListStatementsRequest statements;
  statements.set_parent(kDemoEvent);
  statements.set_page_size(1);
  const MethodDescriptor& list =
      MethodNamed("summit.statements.v1.StatementsService.ListStatements");
  ExpectOthersServedMeanwhile(
      [&] {
        const testing::HttpResponse answer = testing::Http(
            suite().http_port(), http->method, http->target, Organizer(), http->body);
        testing::ErrorBody error;
        ASSERT_TRUE(testing::IsHttpError(answer, 400, Code::INVALID_ARGUMENT, &error));
        const ReceivedViolations over_http = Received(error.bad_fields, error.bad_descriptions);
        EXPECT_LE(over_http.fields.size(), kMaxListedViolations + 1);
        EXPECT_EQ(over_http.fields.front(), "statement.bodies");  // "at most 20 languages"
        EXPECT_TRUE(over_http.counted_the_rest);
        EXPECT_GE(over_http.stood_for, static_cast<size_t>(kBodies));

        for (Server way_in : {Server::kStatements, Server::kGateway}) {
          SCOPED_TRACE(testing::ServerName(way_in));
          const AnyCallResult refused =
              CallOverGrpc(suite().Channel(way_in), create, request, Organizer());
          EXPECT_THAT(refused.status, RpcCode(Code::INVALID_ARGUMENT));
          const testing::RpcDetails details = DetailsOf(refused.status);
          EXPECT_EQ(details.fields, over_http.fields);
          EXPECT_EQ(Received(details.fields, details.descriptions).stood_for, over_http.stood_for);
        }
      },
      [&](bool over_http) {
        const std::string token = Organizer();
        return over_http
                   ? testing::CallOverHttp(suite().http_port(), list, statements, token).status
                   : CallOverGrpc(suite().Channel(Server::kGateway), list, statements, token)
                         .status;
      });
  const auto after = testing::ReadSummitState(suite(), {kDemoEvent}, {});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(testing::Unchanged(*before, *after));
}

// ---------------------------------------------------------------------------------------------
// Metric series: every label value comes from what a process serves, never from what a caller
// sends (common/observability/rpc_metrics.h), or unauthenticated callers could grow a
// server's memory and every scrape without bound.

// What the gateway's admin port counts: summit_rpc_requests_total by series.
std::map<std::string, double> MetricsOf(int admin_port) {
  const testing::HttpResponse scrape = testing::Http(admin_port, "GET", "/metrics");
  EXPECT_EQ(scrape.status, 200) << scrape.Describe();
  std::map<std::string, double> samples = testing::ParseSamples(scrape.body);
  for (const auto& [series, value] : samples) {
    EXPECT_FALSE(absl::StrContains(series, "attacker") || absl::StrContains(series, "BREW"))
        << "an invented name became a label: " << series;
  }
  return samples;
}
// The same, once `series` has counted `count` calls: the gateway records a proxied call when it
// is done with it, just after its caller has the answer.
std::map<std::string, double> MetricsOnceCounted(int admin_port, const std::string& series,
                                                 double count) {
  const absl::Time give_up = absl::Now() + testing::kPatience;
  std::map<std::string, double> samples = MetricsOf(admin_port);
  while (samples[series] < count && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
    samples = MetricsOf(admin_port);
  }
  return samples;
}
int RequestSeries(const std::map<std::string, double>& samples) {
  return testing::SeriesCount(samples, "summit_rpc_requests_total");
}

TEST_F(LimitsTest, InventedMethodsPathsAndVerbsAddAtMostOneMetricSeriesEachAtTheGateway) {
  // Issue 16, defect 7: each invented gRPC method or HTTP verb was a series of its own, and an
  // unknown gRPC method was counted OK although its caller got UNIMPLEMENTED.
  constexpr int kInvented = 20;
  const int admin_port = suite().AdminPort(Server::kGateway);
  ASSERT_GT(admin_port, 0);
  const std::shared_ptr<grpc::Channel> gateway = suite().Channel(Server::kGateway);

  // gRPC: methods no service has, and methods a backend's service does not have (forwarded,
  // and refused by the backend). All one series, code UNIMPLEMENTED.
  const std::string unknown = testing::RequestsSeries("unknown", "UNIMPLEMENTED");
  std::map<std::string, double> before = MetricsOf(admin_port);
  const double unknown_before = before[unknown];
  for (int i = 0; i < kInvented; ++i) {
    for (const std::string& path :
         {absl::StrCat("/attacker.Chosen/Method", i),
          absl::StrCat("/summit.registry.v1.RegistryService/attacker", i)}) {
      EXPECT_THAT(testing::CallPathOverGrpc(gateway, path, "", ""), RpcCode(Code::UNIMPLEMENTED))
          << path;
    }
  }
  std::map<std::string, double> after =
      MetricsOnceCounted(admin_port, unknown, unknown_before + 2 * kInvented);
  EXPECT_LE(RequestSeries(after), RequestSeries(before) + 1);
  EXPECT_EQ(after[unknown] - unknown_before, 2 * kInvented);

  // HTTP: verbs no route takes.
  before = after;
  for (int i = 0; i < kInvented; ++i) {
    const testing::HttpResponse answer = testing::Exchange(
        suite().http_port(), testing::RequestBytes(absl::StrCat("BREW", i), "/v1/people",
                                                   suite().http_port(), {}, ""));
    EXPECT_TRUE(answer.answered);
    EXPECT_GE(answer.status, 400) << answer.Describe();
  }
  after = MetricsOf(admin_port);
  EXPECT_LE(RequestSeries(after), RequestSeries(before) + 1);

  // HTTP: paths no route has, with a verb routes take.
  before = after;
  for (int i = 0; i < kInvented; ++i) {
    const testing::HttpResponse answer =
        testing::Http(suite().http_port(), "GET", absl::StrCat("/v1/attacker", i));
    EXPECT_EQ(answer.status, 404) << answer.Describe();
  }
  after = MetricsOf(admin_port);
  EXPECT_LE(RequestSeries(after), RequestSeries(before) + 1);

  // A service given invented methods directly (gRPC answers them itself) adds no series, and
  // keeps its own methods' names.
  const int scheduling_admin = suite().AdminPort(Server::kScheduling);
  before = MetricsOf(scheduling_admin);
  for (int i = 0; i < kInvented; ++i) {
    EXPECT_THAT(testing::CallPathOverGrpc(suite().Channel(Server::kScheduling),
                                          absl::StrCat("/summit.scheduling.v1.SchedulingService/"
                                                       "attacker",
                                                       i),
                                          "", ""),
                RpcCode(Code::UNIMPLEMENTED));
  }
  sv1::ListSessionsRequest sessions;
  sessions.set_parent(kDemoEvent);
  sessions.set_page_size(1);
  ASSERT_THAT(CallOverGrpc(suite().Channel(Server::kScheduling),
                           MethodNamed("summit.scheduling.v1.SchedulingService.ListSessions"),
                           sessions, Organizer())
                  .status,
              RpcOk());
  const std::string list_sessions_ok =
      testing::RequestsSeries("/summit.scheduling.v1.SchedulingService/ListSessions", "OK");
  after = MetricsOnceCounted(scheduling_admin, list_sessions_ok, before[list_sessions_ok] + 1);
  EXPECT_EQ(after[list_sessions_ok], before[list_sessions_ok] + 1);
  EXPECT_LE(RequestSeries(after), RequestSeries(before) + 1);

  // A method the gateway serves keeps its own series.
  rv1::GetPersonRequest get;
  get.set_name("people/umerov");
  const MethodDescriptor& get_person = MethodNamed("summit.registry.v1.RegistryService.GetPerson");
  ASSERT_THAT(CallOverGrpc(gateway, get_person, get, Organizer()).status, RpcOk());
  const std::string get_person_ok =
      testing::RequestsSeries("/summit.registry.v1.RegistryService/GetPerson", "OK");
  EXPECT_GE(MetricsOnceCounted(admin_port, get_person_ok, 1)[get_person_ok], 1);
}

// ---------------------------------------------------------------------------------------------
// Per-principal rate limits at the gateway.

// The gateway of this suite allows each caller kBurst calls, refilled so slowly (one per
// 1000 s) that nothing refills while the test runs.
constexpr int kBurst = 3;

class RateLimitTest : public testing::SharedSuiteTest<RateLimitTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "limits_rate";
    options.load_demo = false;
    options.gateway_flags = {"--rate_limit_per_second=0.001",
                             absl::StrCat("--rate_limit_burst=", kBurst)};
    return options;
  }

 protected:
  // A token for a principal no other test uses: a fresh bucket.
  static std::string FreshToken(auth::Role role = auth::Role::kDelegate) {
    return suite().Token({absl::StrCat("people/", UniqueId("caller")), role});
  }

  // `method` of the gateway's contract (full name) over the gateway's gRPC port.
  static grpc::Status OverGrpc(const std::string& method, const Message& request,
                               const std::string& token) {
    return CallOverGrpc(suite().Channel(Server::kGateway), MethodNamed(method), request, token)
        .status;
  }
  // The same over HTTP/JSON, as its google.api.http annotation says.
  static testing::HttpResponse OverHttp(const std::string& method, const Message& request,
                                        const std::string& token) {
    absl::StatusOr<testing::HttpRequestFor> http =
        testing::ToHttpRequest(MethodNamed(method), request);
    EXPECT_TRUE(http.ok()) << http.status();
    if (!http.ok()) return {};
    return testing::Http(suite().http_port(), http->method, http->target, token, http->body);
  }
};

// RESOURCE_EXHAUSTED with ErrorInfo RATE_LIMITED and a positive RetryInfo.
::testing::AssertionResult IsRateLimited(const grpc::Status& status) {
  if (status.error_code() != Code::RESOURCE_EXHAUSTED) {
    return ::testing::AssertionFailure() << testing::Describe(status);
  }
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) {
    return ::testing::AssertionFailure() << "no details: " << testing::Describe(status);
  }
  bool retry = false, reason = false;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::RetryInfo info;
    google::rpc::ErrorInfo error;
    if (any.UnpackTo(&info)) {
      retry = info.retry_delay().seconds() > 0 || info.retry_delay().nanos() > 0;
    }
    if (any.UnpackTo(&error)) reason = error.reason() == "RATE_LIMITED";
  }
  if (!retry || !reason) return ::testing::AssertionFailure() << testing::Describe(status);
  return ::testing::AssertionSuccess();
}

// Each way into the gateway, as one request of one method.
struct WayIn {
  std::string method;
  std::function<std::unique_ptr<Message>()> request;
};

std::vector<WayIn> EveryKindOfGatewayMethod() {
  return {
      {"summit.registry.v1.RegistryService.GetPerson",
       [] {
         rv1::GetPersonRequest request;
         request.set_name("people/nobody");
         return Own(request);
       }},
      {"summit.gateway.v1.GatewayService.GetEventOverview",
       [] {
         gv1::GetEventOverviewRequest request;
         request.set_event("events/nothing");
         return Own(request);
       }},
      {"summit.gateway.v1.GatewayService.GetPersonBriefing",
       [] {
         gv1::GetPersonBriefingRequest request;
         request.set_person("people/nobody");
         request.set_event("events/nothing");
         return Own(request);
       }},
      {"summit.gateway.v1.GatewayService.GetDelegationBriefing",
       [] {
         gv1::GetDelegationBriefingRequest request;
         request.set_delegation("events/nothing/delegations/none");
         return Own(request);
       }},
  };
}

TEST_F(RateLimitTest, EveryGrpcMethodOfTheGatewayIsLimitedPerPrincipal) {
  for (const WayIn& way : EveryKindOfGatewayMethod()) {
    SCOPED_TRACE(way.method);
    const std::string greedy = FreshToken();
    for (int i = 0; i < kBurst; ++i) {
      EXPECT_FALSE(IsRateLimited(OverGrpc(way.method, *way.request(), greedy))) << i;
    }
    EXPECT_TRUE(IsRateLimited(OverGrpc(way.method, *way.request(), greedy)));
    // The same principal is refused over HTTP too: one bucket whichever the way in.
    const testing::HttpResponse http = OverHttp(way.method, *way.request(), greedy);
    EXPECT_EQ(http.status, 429) << http.Describe();
    // Another principal has a bucket of its own.
    EXPECT_FALSE(IsRateLimited(OverGrpc(way.method, *way.request(), FreshToken())));
  }
}

TEST_F(RateLimitTest, EveryHttpMethodOfTheGatewayIsLimitedPerPrincipalAndCountedOnce) {
  for (const WayIn& way : EveryKindOfGatewayMethod()) {
    SCOPED_TRACE(way.method);
    const std::string greedy = FreshToken();
    // The whole burst gets through: a view over HTTP calls the gateway's own gRPC server, and
    // is counted once, not twice.
    for (int i = 0; i < kBurst; ++i) {
      const testing::HttpResponse answer = OverHttp(way.method, *way.request(), greedy);
      EXPECT_TRUE(answer.answered) << i;
      EXPECT_NE(answer.status, 429) << i << " " << answer.Describe();
    }
    const testing::HttpResponse refused = OverHttp(way.method, *way.request(), greedy);
    testing::ErrorBody error;
    EXPECT_TRUE(testing::IsHttpError(refused, 429, Code::RESOURCE_EXHAUSTED, &error));
    EXPECT_EQ(error.reason, "RATE_LIMITED");
    int retry_after = 0;
    EXPECT_TRUE(absl::SimpleAtoi(refused.Header("retry-after"), &retry_after))
        << refused.Describe();
    EXPECT_GT(retry_after, 0);
    // The same principal over gRPC: the same bucket, spent.
    EXPECT_TRUE(IsRateLimited(OverGrpc(way.method, *way.request(), greedy)));
    // Another principal is unaffected.
    EXPECT_NE(OverHttp(way.method, *way.request(), FreshToken()).status, 429);
  }
}

TEST_F(RateLimitTest, ARefusedWriteChangesNothing) {
  const std::string organizer = FreshToken(auth::Role::kOrganizer);
  rv1::ListPeopleRequest list;
  auto people = [&] {
    return CallOverGrpc(suite().Channel(Server::kRegistry),
                        MethodNamed("summit.registry.v1.RegistryService.ListPeople"), list,
                        suite().Token(kOrganizer))
        .everything;
  };
  const std::string before = people();
  rv1::GetPersonRequest get;
  get.set_name("people/nobody");
  for (int i = 0; i < kBurst; ++i) {
    (void)OverGrpc("summit.registry.v1.RegistryService.GetPerson", get, organizer);
  }
  rv1::CreatePersonRequest create;
  create.set_person_id("too-late");
  create.mutable_person()->set_display_name("Too Late");
  create.mutable_person()->set_country("UA");
  EXPECT_TRUE(
      IsRateLimited(OverGrpc("summit.registry.v1.RegistryService.CreatePerson", create, organizer)));
  EXPECT_EQ(OverHttp("summit.registry.v1.RegistryService.CreatePerson", create, organizer).status,
            429);
  EXPECT_EQ(people(), before);
}

}  // namespace
}  // namespace summit
