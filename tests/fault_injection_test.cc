// Summit under network faults: the fault proxy (tools/faultproxy) between a client and a real
// summit-registry process, and between a real summit-scheduling and the summit-registry it asks.
//
// What they prove, over real gRPC:
// - calls pass through the proxy unchanged; a reset makes them UNAVAILABLE and a black hole
//   DEADLINE_EXCEEDED, and the channel recovers when the fault is lifted;
// - a create whose answer is lost (the request arrives, the answer never does), retried with
//   the same request_id, creates one person, not two; and so does every create of a client
//   that retries through a connection reset over and over at random moments (AIP-155);
// - a service whose peer is black-holed or slow answers its caller itself, before the caller's
//   deadline, with a google.rpc.Status of its own — not a deadline the caller's library hit —
//   and writes nothing.
//
// Waits are bounded (kPatience, bounded loops) and never asserted on. Seeds are fixed.
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/rpc_status.h"
#include "tests/support/serving_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_folder.h"
#include "tools/faultproxy/fault_proxy.h"

namespace summit {
namespace {

using ::summit::faultproxy::Fault;
using ::summit::faultproxy::FaultProxy;
using ::summit::faultproxy::ParseFault;
using ::summit::testing::BinaryPath;
using ::summit::testing::ChildProcess;
using ::summit::testing::Describe;
using ::summit::testing::DetailsOf;
using ::summit::testing::Escape;
using ::summit::testing::FreshDatabaseUrl;
using ::summit::testing::Http;
using ::summit::testing::HttpResponse;
using ::summit::testing::kPatience;
using ::summit::testing::LoggedPort;
using ::summit::testing::ParseJson;
using ::summit::testing::RpcCode;
using ::summit::testing::RpcOk;
using ::summit::testing::ServingProcess;
using ::summit::testing::StartServing;
using ::summit::testing::TestFolder;
using ::summit::testing::ToJson;
using ::testing::AnyOf;
using ::testing::Eq;
using Code = grpc::StatusCode;
using RegistryStub = registry::v1::RegistryService::Stub;
using SchedulingStub = scheduling::v1::SchedulingService::Stub;
namespace rv1 = registry::v1;
namespace sv1 = scheduling::v1;

constexpr char kEvent[] = "events/udib-2023";

Fault Parsed(absl::string_view text) { return ParseFault(text).value(); }

// Whether the status came from the server (Summit's servers always send a google.rpc.Status
// in the details), rather than from the client's own library (its deadline, a broken
// connection), which sends none.
bool AnsweredByServer(const grpc::Status& status) { return DetailsOf(status).parsed; }

// Starts a Summit binary and returns the gRPC port it serves on.
void StartServer(const std::string& binary, const std::vector<std::string>& args,
                 std::unique_ptr<ChildProcess>* process, int* port) {
  absl::StatusOr<ServingProcess> serving = StartServing(binary, args);
  ASSERT_OK(serving.status());
  *process = std::move(serving->process);
  *port = serving->port;
}

// A channel of its own (its own connection, not shared with other stubs of the test).
std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // Reconnect soon after a fault is lifted: the default backoff grows to two minutes.
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
}

// ---------------------------------------------------------------------------------------------
// The fixture: summit-registry on a fresh database, a fault proxy in front of it, and a stub
// that calls the Registry through the proxy.

class RegistryBehindProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(folder_, TestFolder::Create("fault_injection"));
    ASSERT_NO_FATAL_FAILURE(StartRegistry());
    absl::StatusOr<std::unique_ptr<FaultProxy>> proxy =
        FaultProxy::Start({.upstream = absl::StrCat("127.0.0.1:", registry_port_)});
    ASSERT_OK(proxy.status());
    proxy_ = *std::move(proxy);
    registry_ = rv1::RegistryService::NewStub(NewChannel(proxy_->address()));
    direct_registry_ =
        rv1::RegistryService::NewStub(NewChannel(absl::StrCat("127.0.0.1:", registry_port_)));
  }

  void TearDown() override {
    registry_.reset();
    direct_registry_.reset();
    proxy_.reset();
    registry_process_.reset();
  }

  std::vector<std::string> CommonFlags(const std::string& database) {
    absl::StatusOr<std::string> url = FreshDatabaseUrl(folder_->path(), database);
    EXPECT_TRUE(url.ok()) << url.status();
    return {"--listen=127.0.0.1:0", "--admin_listen=127.0.0.1:0",
            absl::StrCat("--database=", url.value_or("")), folder_->KeyFlag(),
            "--shutdown_drain_delay=0s"};
  }

  void StartRegistry() {
    ASSERT_NO_FATAL_FAILURE(StartServer(BinaryPath("services/registry/summit-registry"),
                                        CommonFlags("registry"), &registry_process_,
                                        &registry_port_));
  }

  std::string Organizer() {
    return folder_->Token({"people/secretariat-officer", auth::Role::kOrganizer});
  }

  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response, absl::Duration timeout,
                    bool wait_for_ready = false) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    context.set_wait_for_ready(wait_for_ready);
    context.AddMetadata("authorization", absl::StrCat("Bearer ", Organizer()));
    return (stub->*method)(&context, request, response);
  }

  static rv1::CreatePersonRequest NewPerson(const std::string& display_name,
                                            const std::string& request_id) {
    rv1::CreatePersonRequest request;
    request.set_request_id(request_id);  // no person_id: the Registry picks one each time
    request.mutable_person()->set_display_name(display_name);
    request.mutable_person()->set_country("UA");
    return request;
  }

  grpc::Status CreatePerson(RegistryStub* stub, const rv1::CreatePersonRequest& request,
                            rv1::Person* out, absl::Duration timeout = absl::Seconds(5),
                            bool wait_for_ready = false) {
    return Call(stub, &RegistryStub::CreatePerson, request, out, timeout, wait_for_ready);
  }

  // Every person, read directly (not through the proxy).
  std::vector<rv1::Person> People() {
    rv1::ListPeopleRequest request;
    request.set_page_size(1000);
    rv1::ListPeopleResponse response;
    EXPECT_THAT(
        Call(direct_registry_.get(), &RegistryStub::ListPeople, request, &response, kPatience),
        RpcOk());
    EXPECT_EQ(response.next_page_token(), "");
    return {response.people().begin(), response.people().end()};
  }

  // A call through the proxy that succeeds, retried (bounded) while the channel reconnects.
  void ExpectRecovers() {
    grpc::Status status;
    for (int attempt = 0; attempt < 100; ++attempt) {
      rv1::ListPeopleRequest request;
      rv1::ListPeopleResponse response;
      // wait_for_ready: wait out the channel's reconnect backoff instead of failing fast.
      status = Call(registry_.get(), &RegistryStub::ListPeople, request, &response,
                    absl::Seconds(2), /*wait_for_ready=*/true);
      if (status.ok()) return;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "no call succeeded after the fault was lifted: " << Describe(status)
                  << "; proxy accepted " << proxy_->stats().connections_accepted << ", reset "
                  << proxy_->stats().connections_reset << ", fault "
                  << faultproxy::FaultToString(proxy_->fault());
  }

  // How many CreatePerson calls the Registry has logged as answered OK.
  int CreatesAnsweredOk() {
    int count = 0;
    for (absl::string_view line : absl::StrSplit(registry_process_->AllStderr(), '\n')) {
      if (absl::StrContains(line, "RegistryService/CreatePerson") &&
          absl::StrContains(line, "\"code\":\"OK\"")) {
        ++count;
      }
    }
    return count;
  }

  // `people` creates through `stub` while the proxy resets every connection at random
  // moments (every 1 to `max_gap` ms), each retried with its request_id, with backoff, until
  // it succeeds. Every person must exist exactly once, under the name its final answer gave.
  // One create as a client makes it (over gRPC or HTTP), answered with a gRPC status.
  using CreateCall = std::function<grpc::Status(const rv1::CreatePersonRequest&, rv1::Person*)>;

  // A gRPC client's create: waiting for the channel to reconnect rather than failing fast
  // while it is in backoff, as a retrying client would.
  CreateCall OverGrpc(RegistryStub* stub) {
    return [this, stub](const rv1::CreatePersonRequest& request, rv1::Person* out) {
      return CreatePerson(stub, request, out, absl::Seconds(2), /*wait_for_ready=*/true);
    };
  }

  void CreateEachOnceThroughRandomResets(const CreateCall& create, int people,
                                         absl::string_view request_id_prefix, int max_gap) {
    // The resets come at random moments, but each only after a create has succeeded since the
    // one before: on a loaded machine a call can take longer than the gap between resets, and
    // resets on a clock alone then fail every attempt (one run spent ten minutes so). Gated by
    // progress, they still cut calls at every stage, and the creates always finish.
    absl::Mutex mu;
    bool done = false;  // guarded by mu
    int succeeded = 0;  // guarded by mu
    std::thread resetter([&] {
      std::mt19937 random(8);
      int succeeded_at_last_reset = 0;
      for (int round = 0; round < 20000; ++round) {  // bounded: one reset per create at most
        {
          absl::MutexLock lock(&mu);
          const auto done_or_progressed = [&] {
            return done || succeeded > succeeded_at_last_reset;
          };
          mu.Await(absl::Condition(&done_or_progressed));
          if (done) return;
          succeeded_at_last_reset = succeeded;
        }
        absl::SleepFor(absl::Milliseconds(1 + random() % max_gap));
        proxy_->ResetConnections();
      }
    });
    std::map<std::string, std::string> name_of;  // display name → the name the answer gave
    int failed_attempts = 0;
    for (int i = 0; i < people; ++i) {
      const rv1::CreatePersonRequest request =
          NewPerson(absl::StrCat("Delegate ", i), absl::StrCat(request_id_prefix, i));
      grpc::Status status;
      rv1::Person out;
      for (int attempt = 0; attempt < 200; ++attempt) {
        status = create(request, &out);
        if (status.ok()) break;
        ++failed_attempts;
        EXPECT_THAT(status, AnyOf(RpcCode(Code::UNAVAILABLE), RpcCode(Code::DEADLINE_EXCEEDED)));
        // Backoff: 5 ms doubling to 320 ms, as a client's retry policy would.
        absl::SleepFor(absl::Milliseconds(5 << std::min(attempt, 6)));
      }
      EXPECT_THAT(status, RpcOk()) << "person " << i;
      if (!status.ok()) break;  // the resetter is joined below
      name_of[out.display_name()] = out.name();
      absl::MutexLock lock(&mu);
      ++succeeded;
    }
    {
      absl::MutexLock lock(&mu);
      done = true;
    }
    resetter.join();

    const std::vector<rv1::Person> stored_people = People();
    EXPECT_EQ(stored_people.size(), static_cast<size_t>(people));
    std::map<std::string, std::string> stored;
    for (const rv1::Person& person : stored_people) {
      EXPECT_TRUE(stored.emplace(person.display_name(), person.name()).second)
          << person.display_name() << " twice";
    }
    EXPECT_EQ(stored, name_of);
    // For the record (docs/RELIABILITY.md): how often the network failed a call, and how many
    // creates reached the Registry more than once (answered from the request_id record).
    RecordProperty("failed_attempts", failed_attempts);
    RecordProperty("replayed_creates", CreatesAnsweredOk() - people);
    RecordProperty("connections_reset", static_cast<int>(proxy_->stats().connections_reset));
    std::printf(
        "%d creates: %d attempts failed, %d answered from the request_id record, %lld "
        "connections reset\n",
        people, failed_attempts, CreatesAnsweredOk() - people,
        static_cast<long long>(proxy_->stats().connections_reset));
  }

  std::unique_ptr<TestFolder> folder_;
  std::unique_ptr<ChildProcess> registry_process_;
  int registry_port_ = 0;
  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<RegistryStub> registry_;         // through the proxy
  std::unique_ptr<RegistryStub> direct_registry_;  // around it, to check what was stored
};

TEST_F(RegistryBehindProxyTest, CallsPassThroughTheProxyUnchanged) {
  rv1::Person created;
  ASSERT_THAT(CreatePerson(registry_.get(), NewPerson("Rustem Umerov", ""), &created), RpcOk());
  rv1::GetPersonRequest get;
  get.set_name(created.name());
  rv1::Person read;
  ASSERT_THAT(Call(registry_.get(), &RegistryStub::GetPerson, get, &read, kPatience), RpcOk());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
  EXPECT_GT(proxy_->stats().bytes_up, 0);
  EXPECT_GT(proxy_->stats().bytes_down, 0);
}

TEST_F(RegistryBehindProxyTest, ResetsMakeCallsUnavailableUntilLifted) {
  ExpectRecovers();  // connected
  proxy_->SetFault(Parsed("reset,reset_new"));
  for (int call = 0; call < 3; ++call) {
    rv1::Person out;
    const grpc::Status status =
        CreatePerson(registry_.get(), NewPerson("Never", ""), &out, absl::Seconds(5));
    EXPECT_THAT(status, RpcCode(Code::UNAVAILABLE)) << "call " << call;
    EXPECT_FALSE(AnsweredByServer(status));
  }
  EXPECT_GE(proxy_->stats().connections_reset, 1);
  EXPECT_TRUE(People().empty());
  proxy_->SetFault(Fault());
  ExpectRecovers();
}

TEST_F(RegistryBehindProxyTest, BlackHoleMakesCallsEndAtTheirDeadlineUntilLifted) {
  ExpectRecovers();
  proxy_->SetFault(Parsed("black_hole"));
  rv1::ListPeopleRequest request;
  rv1::ListPeopleResponse response;
  const absl::Time start = absl::Now();
  const grpc::Status status =
      Call(registry_.get(), &RegistryStub::ListPeople, request, &response, absl::Seconds(1));
  EXPECT_THAT(status, RpcCode(Code::DEADLINE_EXCEEDED));
  EXPECT_GE(absl::Now() - start, absl::Seconds(1));  // it did wait: the call was held
  proxy_->SetFault(Fault());
  ExpectRecovers();
}

// The request reaches the Registry, which creates the person; the answer is lost (one-way
// black hole, then a reset). The client, not knowing, retries with the same request_id: it
// gets the person created the first time, and there is one person, not two.
TEST_F(RegistryBehindProxyTest, ARetryAfterALostAnswerCreatesNothingMore) {
  ExpectRecovers();
  const rv1::CreatePersonRequest request = NewPerson("Oleksandr Kamyshin", "a1b2c3-lost-answer");
  proxy_->SetFault(Parsed("down.black_hole"));
  rv1::Person lost;
  EXPECT_THAT(CreatePerson(registry_.get(), request, &lost, absl::Seconds(2)),
              RpcCode(Code::DEADLINE_EXCEEDED));
  // The Registry did create it (bounded wait for its log line).
  for (int wait = 0; wait < 600 && CreatesAnsweredOk() == 0; ++wait) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(CreatesAnsweredOk(), 1) << registry_process_->AllStderr();
  proxy_->SetFault(Parsed("reset"));  // the held answer is dropped with the connection
  proxy_->SetFault(Fault());

  rv1::Person retried;
  grpc::Status status;
  for (int attempt = 0; attempt < 100; ++attempt) {
    status = CreatePerson(registry_.get(), request, &retried, absl::Seconds(2),
                          /*wait_for_ready=*/true);
    if (status.ok()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_THAT(status, RpcOk());
  const std::vector<rv1::Person> people = People();
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].name(), retried.name());
  EXPECT_EQ(people[0].display_name(), "Oleksandr Kamyshin");
  EXPECT_EQ(CreatesAnsweredOk(), 2);  // the first create, and the replay of it
}

// Many clients' worth of creates while the proxy resets every connection at random moments
// (every 1 to 15 ms): each create is retried with its request_id until it succeeds. Every
// person exists exactly once, under the name its final answer gave.
// Many creates while the proxy resets every connection every 1 to 15 ms; each is retried
// with its request_id until it succeeds: each creates exactly one person.
TEST_F(RegistryBehindProxyTest, RetriesThroughRandomResetsCreateEachPersonOnce) {
  ExpectRecovers();
  CreateEachOnceThroughRandomResets(OverGrpc(registry_.get()), 500, "flaky-network-",
                                    /*max_gap=*/15);
}

// The same with the gateway in front: clients call the gateway's gRPC port, and the resets are
// between the gateway and the Registry.
class GatewayInFrontTest : public RegistryBehindProxyTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(RegistryBehindProxyTest::SetUp());
    const std::string backends = proxy_->address();  // only the Registry is called
    int port = 0;
    ASSERT_NO_FATAL_FAILURE(
        StartServer(BinaryPath("gateway/summit-gateway"),
                    {"--listen=127.0.0.1:0", "--admin_listen=127.0.0.1:0",
                     "--http_listen=127.0.0.1:0", absl::StrCat("--registry_address=", backends),
                     absl::StrCat("--scheduling_address=", backends),
                     absl::StrCat("--statements_address=", backends), "--shutdown_drain_delay=0s"},
                    &gateway_process_, &port));
    gateway_ = rv1::RegistryService::NewStub(NewChannel(absl::StrCat("127.0.0.1:", port)));
    ASSERT_OK_AND_ASSIGN(http_port_, LoggedPort(*gateway_process_, "\"message\":\"http serving\"",
                                                "\"http_port\":"));
  }

  // A create over HTTP/JSON, as a browser or curl makes it: POST /v1/people with the person as
  // the body and request_id in the query. The answer's google.rpc.Status body, when not 200.
  CreateCall OverHttp() {
    return [this](const rv1::CreatePersonRequest& request, rv1::Person* out) {
      const HttpResponse answer =
          Http(http_port_, "POST", absl::StrCat("/v1/people?request_id=", Escape(request.request_id())),
               Organizer(), ToJson(request.person()));
      if (!answer.answered) return grpc::Status(Code::UNAVAILABLE, answer.Describe());
      if (answer.status == 200) {
        return ParseJson(answer.body, out) ? grpc::Status::OK
                                           : grpc::Status(Code::INTERNAL, answer.Describe());
      }
      google::rpc::Status error;
      if (!ParseJson(answer.body, &error)) return grpc::Status(Code::UNKNOWN, answer.Describe());
      return grpc::Status(static_cast<Code>(error.code()), error.message());
    };
  }
  void TearDown() override {
    gateway_.reset();
    gateway_process_.reset();
    RegistryBehindProxyTest::TearDown();
  }

  std::unique_ptr<ChildProcess> gateway_process_;
  std::unique_ptr<RegistryStub> gateway_;
  int http_port_ = 0;
};

TEST_F(GatewayInFrontTest, RetriesThroughResetsBehindTheGatewayCreateEachPersonOnce) {
  rv1::ListPeopleRequest request;
  rv1::ListPeopleResponse response;
  ASSERT_THAT(Call(gateway_.get(), &RegistryStub::ListPeople, request, &response, kPatience,
                   /*wait_for_ready=*/true),
              RpcOk());  // the gateway serves and reaches the Registry
  // Resets less often than between client and Registry: the gateway's channel reconnects and
  // health-checks the Registry after each, and fails calls fast until it has (resets every 1 to
  // 15 ms let about one call in fifty through; it serves again within a second once they stop).
  CreateEachOnceThroughRandomResets(OverGrpc(gateway_.get()), 1000, "via-gateway-",
                                    /*max_gap=*/60);
}

// The same over HTTP/JSON: the gateway transcodes each POST into CreatePerson with the query's
// request_id, and a client retrying a 503 or 504 with it makes each person once.
TEST_F(GatewayInFrontTest, HttpRetriesThroughResetsBehindTheGatewayCreateEachPersonOnce) {
  const HttpResponse listing = Http(http_port_, "GET", "/v1/people", Organizer());
  ASSERT_EQ(listing.status, 200) << listing.Describe();  // the gateway serves and reaches it
  CreateEachOnceThroughRandomResets(OverHttp(), 1000, "via-http-", /*max_gap=*/60);
}

// ---------------------------------------------------------------------------------------------
// summit-scheduling asking summit-registry through the proxy.

class SchedulingWithRegistryBehindProxyTest : public RegistryBehindProxyTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(RegistryBehindProxyTest::SetUp());
    std::vector<std::string> args = CommonFlags("scheduling");
    args.push_back(absl::StrCat("--registry_address=", proxy_->address()));
    int port = 0;
    ASSERT_NO_FATAL_FAILURE(StartServer(BinaryPath("services/scheduling/summit-scheduling"), args,
                                        &scheduling_process_, &port));
    scheduling_ = sv1::SchedulingService::NewStub(NewChannel(absl::StrCat("127.0.0.1:", port)));
    ASSERT_NO_FATAL_FAILURE(Seed());
  }

  void TearDown() override {
    scheduling_.reset();
    scheduling_process_.reset();
    RegistryBehindProxyTest::TearDown();
  }

  // The summit, two approved delegates (umerov, hill) and a room, created directly.
  void Seed() {
    RegistryStub* registry = direct_registry_.get();
    rv1::CreateEventRequest event;
    event.set_event_id("udib-2023");
    rv1::Event* e = event.mutable_event();
    e->set_display_name("Ukraine Defense Industrial Base Summit");
    e->set_kind(rv1::Event::KIND_SUMMIT);
    e->set_city("Washington");
    e->set_country("US");
    e->set_time_zone("America/New_York");
    e->mutable_start_date()->set_year(2023);
    e->mutable_start_date()->set_month(12);
    e->mutable_start_date()->set_day(6);
    *e->mutable_end_date() = e->start_date();
    e->mutable_end_date()->set_day(7);
    rv1::Event event_out;
    ASSERT_THAT(Call(registry, &RegistryStub::CreateEvent, event, &event_out, kPatience), RpcOk());
    for (const char* id : {"umerov", "hill"}) {
      rv1::CreatePersonRequest person = NewPerson(id, "");
      person.set_person_id(id);
      rv1::Person person_out;
      ASSERT_THAT(CreatePerson(registry, person, &person_out), RpcOk());
      rv1::CreateParticipantRequest participant;
      participant.set_parent(kEvent);
      participant.mutable_participant()->set_person(absl::StrCat("people/", id));
      participant.mutable_participant()->set_role(rv1::Participant::ROLE_DELEGATE);
      rv1::Participant participant_out;
      ASSERT_THAT(Call(registry, &RegistryStub::CreateParticipant, participant, &participant_out,
                       kPatience),
                  RpcOk());
      rv1::ApproveParticipantRequest approve;
      approve.set_name(participant_out.name());
      ASSERT_THAT(
          Call(registry, &RegistryStub::ApproveParticipant, approve, &participant_out, kPatience),
          RpcOk());
    }
    sv1::CreateRoomRequest room;
    room.set_parent(kEvent);
    room.set_room_id("east-room");
    room.mutable_room()->set_display_name("East Room");
    room.mutable_room()->set_kind(sv1::Room::KIND_MEETING_ROOM);
    room.mutable_room()->set_capacity(6);
    sv1::Room room_out;
    ASSERT_THAT(Call(scheduling_.get(), &SchedulingStub::CreateRoom, room, &room_out, kPatience),
                RpcOk());
  }

  // A bilateral of umerov and hill on 6 December at `hour` (Washington), created through
  // Scheduling, which asks the Registry (through the proxy) whether both are accredited.
  grpc::Status CreateBilateral(const std::string& id, int hour, absl::Duration timeout) {
    static const absl::TimeZone kNewYork = [] {
      absl::TimeZone zone;
      absl::LoadTimeZone("America/New_York", &zone);
      return zone;
    }();
    sv1::CreateSessionRequest request;
    request.set_parent(kEvent);
    request.set_session_id(id);
    sv1::Session* session = request.mutable_session();
    session->set_title(absl::StrCat("Bilateral ", id));
    session->set_kind(sv1::Session::KIND_BILATERAL);
    const absl::Time start = absl::FromCivil(absl::CivilHour(2023, 12, 6, hour), kNewYork);
    session->mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
    session->mutable_end_time()->set_seconds(absl::ToUnixSeconds(start + absl::Hours(1)));
    session->set_room(absl::StrCat(kEvent, "/rooms/east-room"));
    session->add_participants("people/umerov");
    session->add_participants("people/hill");
    sv1::Session out;
    return Call(scheduling_.get(), &SchedulingStub::CreateSession, request, &out, timeout);
  }

  int SessionCount() {
    sv1::ListSessionsRequest request;
    request.set_parent(kEvent);
    request.set_page_size(1000);
    sv1::ListSessionsResponse response;
    EXPECT_THAT(
        Call(scheduling_.get(), &SchedulingStub::ListSessions, request, &response, kPatience),
        RpcOk());
    return response.sessions_size();
  }

  // With the Registry unreachable in the way `fault` says, a create that needs it is answered
  // by Scheduling itself — a status carrying its google.rpc.Status, so it came before the
  // caller's deadline and not from the caller's own timer — and writes nothing.
  void ExpectAnsweredBeforeTheDeadline(absl::string_view fault) {
    ASSERT_THAT(CreateBilateral("before", 9, kPatience), RpcOk());  // connected, warm
    proxy_->SetFault(Parsed(fault));
    for (int call = 0; call < 3; ++call) {
      const grpc::Status status =
          CreateBilateral(absl::StrCat("during-", call), 10 + call, absl::Seconds(2));
      EXPECT_THAT(status, AnyOf(RpcCode(Code::UNAVAILABLE), RpcCode(Code::DEADLINE_EXCEEDED)))
          << fault;
      EXPECT_TRUE(AnsweredByServer(status))
          << fault << ": Scheduling did not answer within its caller's deadline; "
          << Describe(status);
    }
    proxy_->SetFault(Fault());
    EXPECT_EQ(SessionCount(), 1);
    grpc::Status after;
    for (int attempt = 0; attempt < 100; ++attempt) {
      after = CreateBilateral("after", 15, absl::Seconds(5));
      if (after.ok()) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    EXPECT_THAT(after, RpcOk());
    EXPECT_EQ(SessionCount(), 2);
  }

  std::unique_ptr<ChildProcess> scheduling_process_;
  std::unique_ptr<SchedulingStub> scheduling_;
};

TEST_F(SchedulingWithRegistryBehindProxyTest, ABlackHoledRegistryIsAnsweredForBeforeTheDeadline) {
  ExpectAnsweredBeforeTheDeadline("black_hole");
}

TEST_F(SchedulingWithRegistryBehindProxyTest, ASlowRegistryIsAnsweredForBeforeTheDeadline) {
  ExpectAnsweredBeforeTheDeadline("latency=5s");
}

TEST_F(SchedulingWithRegistryBehindProxyTest, ARegistryResettingEveryConnectionIsUnavailable) {
  ExpectAnsweredBeforeTheDeadline("reset,reset_new");
}

}  // namespace
}  // namespace summit
