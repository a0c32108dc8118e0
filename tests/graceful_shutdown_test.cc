// Graceful shutdown under load: each server (summit-registry, summit-scheduling,
// summit-statements, summit-gateway) gets SIGTERM while six clients write and read through it,
// at a random moment of a fixed seed, and then:
// - every call its handlers took got its real answer: the answers the server logged (its "rpc"
//   lines, by method and code) are exactly the answers its clients received. The others were
//   refused, did nothing, and a client retries them on another replica, or on this one
//   restarted, as under Kubernetes: UNAVAILABLE from the draining server itself (logged too) or
//   from gRPC once it stopped; rarely CANCELLED, from gRPC's own shutdown (see IsRefusal);
// - no call ended in any other way: no DEADLINE_EXCEEDED, no HTTP request left without an answer
//   on a connection the server had taken;
// - after a restart, every acknowledged write is there and no refused one is;
// - health, watched throughout, turned NOT_SERVING;
// - the process exited 0 within the grace period, which never ran out;
// - a live feed (WatchStatements directly, through the gateway's gRPC port, and as Server-Sent
//   Events from its HTTP port) open while Statements or the gateway drains ends with
//   UNAVAILABLE saying how to resume; resumed the same way after the restart with its last
//   token, it misses nothing and repeats nothing.
// "In flight" is what a server has accepted: a call its handler began. Runs on both backends
// (graceful_shutdown_test_postgres).
#include <signal.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/gateway/v1/gateway_service.grpc.pb.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/health_watch.h"
#include "tests/support/http_client.h"
#include "tests/support/publication.h"
#include "tests/support/rpc_status.h"
#include "tests/support/suite.h"

namespace summit {
namespace {

namespace gv1 = ::summit::gateway::v1;
namespace rv1 = ::summit::registry::v1;
namespace sv1 = ::summit::scheduling::v1;
namespace tv1 = ::summit::statements::v1;
using ::summit::testing::Describe;
using ::summit::testing::HealthWatch;
using ::summit::testing::HttpResponse;
using ::summit::testing::HttpStream;
using ::summit::testing::kPatience;
using ::summit::testing::ParseJson;
using ::summit::testing::Server;
using ::summit::testing::SseEvent;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;

constexpr int kClients = 6;
constexpr int kMaxRoundsPerClient = 300;  // bounds the load if the signal came late
constexpr int kMaxDrains = 4;  // bounds the drains a test repeats (DrainUntilCallsInFlight)
constexpr char kEvent[] = "events/udib-2023";
// Who the load calls as. Servers log the caller of every call, which tells the load's calls
// from the calls of peers.
constexpr char kLoadCaller[] = "people/drain-tester";
// Who reads back what the load wrote, after a restart. Not the load's caller: when a test drains
// again (DrainUntilCallsInFlight), the restarted server's log holds these reads too, and they must
// not count among the answers its load's clients received (they did: "GetPerson OK 658,
// NOT_FOUND 1" logged against 429 received, whenever a second drain ran).
constexpr char kChecker[] = "people/drain-checker";
// The servers' grace period (the flag's default, which the Suite keeps).
constexpr absl::Duration kGracePeriod = absl::Seconds(10);

std::string Method(absl::string_view service, absl::string_view method) {
  return absl::StrCat("/", service, "/", method);
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// One call of the load, as its client saw it.
struct Outcome {
  // As servers log it: "/pkg.Service/Method", or "HTTP /pkg.Service/Method".
  std::string method;
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  // A write: the resource it makes or changes, and what reading it back says if the write was
  // done, and if it was not.
  std::string resource;
  std::string state_if_done;
  std::string state_if_not;

  bool ok() const { return code == grpc::StatusCode::OK; }
};

Outcome Answered(std::string method, const grpc::Status& status) {
  Outcome outcome;
  outcome.method = std::move(method);
  outcome.code = status.error_code();
  outcome.message = status.error_message();
  return outcome;
}

Outcome Wrote(std::string method, const grpc::Status& status, std::string resource,
              std::string state_if_done, std::string state_if_not) {
  Outcome outcome = Answered(std::move(method), status);
  outcome.resource = std::move(resource);
  outcome.state_if_done = std::move(state_if_done);
  outcome.state_if_not = std::move(state_if_not);
  return outcome;
}

// An HTTP answer as the call it stands for: 200 is OK, an error its google.rpc.Status, and no
// answer at all (a connection refused, or closed before the server read the request) is
// UNAVAILABLE, as gRPC reports a refused call.
grpc::Status HttpOutcome(const HttpResponse& http) {
  if (!http.answered) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no HTTP answer");
  if (http.status == 200) return grpc::Status::OK;
  google::rpc::Status body;
  if (!ParseJson(http.body, &body)) {
    return grpc::Status(grpc::StatusCode::UNKNOWN, absl::StrCat("HTTP ", http.status, " ", http.body));
  }
  return grpc::Status(static_cast<grpc::StatusCode>(body.code()), body.message());
}

// The calls a server answered, by method and then code, read from its "rpc" log lines: those
// made as `caller`, or all when `caller` is empty.
struct LoggedAnswers {
  std::map<std::string, std::map<std::string, int>> by_method;
  // Answered OK after the server logged "draining": calls that were in flight when the drain
  // began, or reached it before it stopped accepting.
  int ok_while_draining = 0;
};

LoggedAnswers ReadLoggedAnswers(const std::string& log, const std::string& caller) {
  LoggedAnswers answers;
  bool draining = false;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct parsed;
    if (!google::protobuf::util::JsonStringToMessage(std::string(line), &parsed).ok()) continue;
    const auto& fields = parsed.fields();
    const auto message = fields.find("message");
    if (message == fields.end()) continue;
    if (message->second.string_value() == "draining") draining = true;
    if (message->second.string_value() != "rpc") continue;
    if (!caller.empty() && fields.at("principal").string_value() != caller) continue;
    const std::string code = fields.at("code").string_value();
    ++answers.by_method[fields.at("method").string_value()][code];
    if (draining && code == "OK") ++answers.ok_while_draining;
  }
  return answers;
}

// A server's log without its "rpc" lines: what it said about itself.
std::string WithoutCallLines(const std::string& log) {
  std::string kept;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    if (!absl::StrContains(line, "\"message\":\"rpc\"")) absl::StrAppend(&kept, line, "\n");
  }
  return kept;
}

// A call the server never handled, which therefore did nothing: UNAVAILABLE, from the draining
// server itself or from gRPC once it stopped listening; or CANCELLED, which gRPC 1.51 answers a
// call that reaches it at the very moment its own shutdown begins (grpc/grpc#41785). The server
// holds that moment back until calls have stopped arriving for a while (common/server/
// call_gate.h), so it takes a client that was silent so long and sends right then; on this
// shared two-core machine a client thread is sometimes descheduled that long.
bool IsRefusal(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::CANCELLED;
}

// One event of the live feed, as a watcher received it.
struct FeedEntry {
  std::string resume_token;
  std::string statement;
  bool operator==(const FeedEntry& other) const {
    return resume_token == other.resume_token && statement == other.statement;
  }
};

std::ostream& operator<<(std::ostream& out, const FeedEntry& entry) {
  return out << entry.statement << "@" << entry.resume_token;
}

// The ways a client reads the live feed.
enum class FeedWay { kDirect, kThroughGateway, kServerSentEvents };

const char* FeedWayName(FeedWay way) {
  switch (way) {
    case FeedWay::kDirect:
      return "WatchStatements on summit-statements";
    case FeedWay::kThroughGateway:
      return "WatchStatements through the gateway";
    case FeedWay::kServerSentEvents:
      return "Server-Sent Events from the gateway";
  }
  return "?";
}

// A watcher of the event's live feed, reading on a thread of its own from `resume_token` (from
// the beginning when empty) until the stream ends or the watcher is destroyed.
class FeedWatcher {
 public:
  FeedWatcher(const Suite& suite, FeedWay way, const std::string& token,
              const std::string& resume_token)
      : way_(way) {
    if (way == FeedWay::kServerSentEvents) {
      thread_ = std::thread([this, port = suite.http_port(), token, resume_token] {
        ReadEvents(port, token, resume_token);
      });
      return;
    }
    context_.set_deadline(absl::ToChronoTime(absl::Now() + 10 * kPatience));
    context_.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    context_.set_wait_for_ready(true);
    tv1::WatchStatementsRequest request;
    request.set_parent(kEvent);
    request.set_resume_token(resume_token);
    request.set_from_beginning(resume_token.empty());
    std::shared_ptr<grpc::Channel> channel =
        suite.Channel(way == FeedWay::kDirect ? Server::kStatements : Server::kGateway);
    thread_ = std::thread([this, channel, request] { ReadGrpc(channel, request); });
  }

  ~FeedWatcher() {
    stop_ = true;
    context_.TryCancel();
    thread_.join();
  }

  FeedWay way() const { return way_; }

  // How the stream ended, waiting at most `timeout` for it to end.
  std::optional<grpc::Status> WaitForEnd(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto ended = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return ended_.has_value(); };
    mu_.AwaitWithTimeout(absl::Condition(&ended), timeout);
    return ended_;
  }

  // Whether every statement of `names` has come, waiting at most `timeout`; false as soon as the
  // stream ended without them.
  bool WaitForStatements(const std::set<std::string>& names, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto all_seen = [this, &names]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      for (const std::string& name : names) {
        if (seen_.count(name) == 0) return false;
      }
      return true;
    };
    auto seen_or_ended = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return ended_.has_value() || all_seen();
    };
    mu_.AwaitWithTimeout(absl::Condition(&seen_or_ended), timeout);
    return all_seen();
  }

  // Whether an event has come (the feed is open and read), waiting at most `timeout`; false as
  // soon as the stream ended without one.
  bool WaitForFirstEvent(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto came_or_ended = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !entries_.empty() || ended_.has_value();
    };
    mu_.AwaitWithTimeout(absl::Condition(&came_or_ended), timeout);
    return !entries_.empty();
  }

  std::vector<FeedEntry> entries() const {
    absl::MutexLock lock(&mu_);
    return entries_;
  }

 private:
  void Received(const tv1::StatementEvent& event) {
    absl::MutexLock lock(&mu_);
    entries_.push_back({event.resume_token(), event.statement().name()});
    seen_.insert(event.statement().name());
  }

  void Ended(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    ended_ = std::move(status);
  }

  void ReadGrpc(std::shared_ptr<grpc::Channel> channel, tv1::WatchStatementsRequest request) {
    auto statements = tv1::StatementsService::NewStub(channel);
    std::unique_ptr<grpc::ClientReader<tv1::StatementEvent>> reader =
        statements->WatchStatements(&context_, request);
    tv1::StatementEvent event;
    while (reader->Read(&event)) Received(event);
    Ended(reader->Finish());
  }

  // The stream's end as a grpc::Status: its error event's google.rpc.Status, OK for a clean end
  // without one, UNKNOWN when the connection closed in the middle of the stream.
  void ReadEvents(int port, const std::string& token, const std::string& resume_token) {
    testing::Headers headers = {{"Authorization", absl::StrCat("Bearer ", token)},
                                {"Accept", "text/event-stream"}};
    std::string target = absl::StrCat("/v1/", kEvent, "/statements:watch");
    if (resume_token.empty()) {
      absl::StrAppend(&target, "?fromBeginning=true");
    } else {
      headers.emplace_back("Last-Event-ID", resume_token);
    }
    HttpStream stream(port, target, headers);
    if (!stream.head().answered || stream.head().status != 200) {
      return Ended(HttpOutcome(HttpResponse{stream.head().answered, stream.head().status,
                                            stream.head().headers,
                                            stream.Body(absl::Now() + kPatience).value_or("")}));
    }
    // Short reads, so that a destroyed watcher stops soon; bounded in all.
    const absl::Time give_up = absl::Now() + 10 * kPatience;
    while (!stop_ && absl::Now() < give_up) {
      std::optional<SseEvent> event = stream.NextEvent(absl::Now() + absl::Milliseconds(100));
      if (!event.has_value()) {
        if (!stream.ended()) continue;
        return Ended(grpc::Status(grpc::StatusCode::UNKNOWN,
                                  "the event stream closed without an error event"));
      }
      if (event->event == "error") {
        google::rpc::Status status;
        if (!ParseJson(event->data, &status)) {
          return Ended(grpc::Status(grpc::StatusCode::UNKNOWN, event->data));
        }
        return Ended(grpc::Status(static_cast<grpc::StatusCode>(status.code()), status.message()));
      }
      tv1::StatementEvent parsed;
      if (!ParseJson(event->data, &parsed)) {
        return Ended(grpc::Status(grpc::StatusCode::UNKNOWN, event->data));
      }
      Received(parsed);
    }
    Ended(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher stopped reading"));
  }

  const FeedWay way_;
  grpc::ClientContext context_;
  std::atomic<bool> stop_{false};
  mutable absl::Mutex mu_;
  std::vector<FeedEntry> entries_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> seen_ ABSL_GUARDED_BY(mu_);
  std::optional<grpc::Status> ended_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

// What one client does in round `round`: one or more calls, each appended to `made`, stopping
// at the first that is not OK.
using ClientRound = std::function<void(int client, int round, std::vector<Outcome>& made)>;

class GracefulShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    options.name = "drain";
    absl::StatusOr<std::unique_ptr<Suite>> suite = Suite::Start(options);
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    token_ = suite_->Token({kLoadCaller, auth::Role::kOrganizer}, absl::Hours(2));
    checker_token_ = suite_->Token({kChecker, auth::Role::kOrganizer}, absl::Hours(2));
  }

  void TearDown() override {
    if (suite_ != nullptr) {
      const std::string stopped = suite_->NewlyStoppedServers();
      EXPECT_EQ(stopped, "") << "a server stopped unexpectedly";
    }
  }

  // A call of the load: it fails at once (UNAVAILABLE) when the server refuses it.
  std::unique_ptr<grpc::ClientContext> LoadContext() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token_));
    return context;
  }

  // A read after a restart, as the checker: it waits for the channel to connect again.
  std::unique_ptr<grpc::ClientContext> ReadContext() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    context->AddMetadata("authorization", absl::StrCat("Bearer ", checker_token_));
    context->set_wait_for_ready(true);
    return context;
  }

  // Registry's load: a person created with a request id, then read.
  void PersonRound(const std::shared_ptr<grpc::Channel>& channel, int client, int round,
                   std::vector<Outcome>& made) const {
    static const std::string kService = rv1::RegistryService::service_full_name();
    auto registry = rv1::RegistryService::NewStub(channel);
    const std::string id = absl::StrCat("drain", drain_, "-c", client, "-n", round);
    rv1::CreatePersonRequest create;
    create.set_person_id(id);
    create.set_request_id(id);
    create.mutable_person()->set_display_name(absl::StrCat("Drain Tester ", client, " ", round));
    create.mutable_person()->set_title("Drain tester");
    create.mutable_person()->set_country("UA");
    rv1::Person person;
    made.push_back(Wrote(Method(kService, "CreatePerson"),
                         registry->CreatePerson(LoadContext().get(), create, &person),
                         absl::StrCat("people/", id), "present", "absent"));
    if (!made.back().ok()) return;
    rv1::GetPersonRequest get;
    get.set_name(person.name());
    made.push_back(Answered(Method(kService, "GetPerson"),
                            registry->GetPerson(LoadContext().get(), get, &person)));
  }

  // The same over HTTP/JSON through the gateway.
  void PersonOverHttpRound(int client, int round, std::vector<Outcome>& made) const {
    static const std::string kService = rv1::RegistryService::service_full_name();
    const std::string id = absl::StrCat("drain", drain_, "-http-c", client, "-n", round);
    made.push_back(Wrote(
        absl::StrCat("HTTP ", Method(kService, "CreatePerson")),
        HttpOutcome(testing::Http(
            suite_->http_port(), "POST",
            absl::StrCat("/v1/people?personId=", id, "&requestId=", id), token_,
            absl::StrCat(R"({"displayName":"Drain Tester )", client, " ", round,
                         R"(","title":"Drain tester","country":"UA"})"))),
        absl::StrCat("people/", id), "present", "absent"));
    if (!made.back().ok()) return;
    made.push_back(Answered(absl::StrCat("HTTP ", Method(kService, "GetPerson")),
                            HttpOutcome(testing::Http(suite_->http_port(), "GET",
                                                      absl::StrCat("/v1/people/", id), token_))));
  }

  // Scheduling's load: a room, a meeting request (which Scheduling checks with the Registry),
  // and the request read back.
  void MeetingRound(const std::shared_ptr<grpc::Channel>& channel, int client, int round,
                    std::vector<Outcome>& made) const {
    static const std::string kService = sv1::SchedulingService::service_full_name();
    static const char* const kMembers[] = {"umerov", "yermak", "stefanchuk", "kamyshin"};
    auto scheduling = sv1::SchedulingService::NewStub(channel);
    const std::string id = absl::StrCat("drain", drain_, "-c", client, "-n", round);
    sv1::CreateRoomRequest room;
    room.set_parent(kEvent);
    room.set_room_id(id);
    room.set_request_id(absl::StrCat("room-", id));
    room.mutable_room()->set_display_name(absl::StrCat("Drain table ", client, " ", round));
    room.mutable_room()->set_kind(sv1::Room::KIND_TABLE);
    room.mutable_room()->set_capacity(4);
    sv1::Room created_room;
    made.push_back(Wrote(Method(kService, "CreateRoom"),
                         scheduling->CreateRoom(LoadContext().get(), room, &created_room),
                         absl::StrCat(kEvent, "/rooms/", id), "present", "absent"));
    if (!made.back().ok()) return;
    sv1::CreateMeetingRequestRequest meeting;
    meeting.set_parent(kEvent);
    meeting.set_meeting_request_id(id);
    meeting.set_request_id(absl::StrCat("meeting-", id));
    meeting.mutable_meeting_request()->set_requester("people/jordan-avery");
    meeting.mutable_meeting_request()->set_invitee(
        absl::StrCat("people/", kMembers[(client + round) % 4]));
    meeting.mutable_meeting_request()->set_topic("Drain: co-production");
    meeting.mutable_meeting_request()->mutable_duration()->set_seconds(20 * 60);
    sv1::MeetingRequest created;
    made.push_back(Wrote(Method(kService, "CreateMeetingRequest"),
                         scheduling->CreateMeetingRequest(LoadContext().get(), meeting, &created),
                         absl::StrCat(kEvent, "/meetingRequests/", id), "present", "absent"));
    if (!made.back().ok()) return;
    sv1::GetMeetingRequestRequest get;
    get.set_name(created.name());
    made.push_back(Answered(Method(kService, "GetMeetingRequest"),
                            scheduling->GetMeetingRequest(LoadContext().get(), get, &created)));
  }

  // Statements' load: a statement created, submitted, approved and published (the live feed
  // grows), then read.
  void PublicationRound(const std::shared_ptr<grpc::Channel>& channel, int client, int round,
                        std::vector<Outcome>& made) const {
    auto statements = tv1::StatementsService::NewStub(channel);
    const std::string id = absl::StrCat("drain", drain_, "-c", client, "-n", round);
    const std::string name = absl::StrCat(kEvent, "/statements/", id);
    tv1::CreateStatementRequest create;
    create.set_parent(kEvent);
    create.set_statement_id(id);
    create.set_request_id(id);
    create.mutable_statement()->set_kind(tv1::Statement::KIND_PRESS_RELEASE);
    create.mutable_statement()->set_title(absl::StrCat("Drain ", client, " ", round));
    tv1::StatementBody* body = create.mutable_statement()->add_bodies();
    body->set_language_code("en");
    body->set_text(absl::StrCat("Said while draining, ", client, "-", round, "."));
    body->set_original(true);
    testing::PublishStepByStep(
        *statements, create, [this] { return LoadContext(); },
        [&](const testing::PublicationStep& step) {
          made.push_back(Wrote(step.method, step.status, name,
                               tv1::Statement::State_Name(step.state_if_done),
                               step.state_if_not == tv1::Statement::STATE_UNSPECIFIED
                                   ? "absent"
                                   : tv1::Statement::State_Name(step.state_if_not)));
        });
    if (!made.back().ok()) return;
    tv1::GetStatementRequest get;
    get.set_name(name);
    tv1::Statement statement;
    made.push_back(Answered(
        absl::StrCat("/", tv1::StatementsService::service_full_name(), "/GetStatement"),
        statements->GetStatement(LoadContext().get(), get, &statement)));
  }

  // The gateway's own work: an aggregated view, which fans out to the three backends.
  void OverviewRound(const std::shared_ptr<grpc::Channel>& channel, std::vector<Outcome>& made) const {
    auto gateway = gv1::GatewayService::NewStub(channel);
    gv1::GetEventOverviewRequest request;
    request.set_event(kEvent);
    gv1::EventOverview overview;
    made.push_back(
        Answered(Method(gv1::GatewayService::service_full_name(), "GetEventOverview"),
                 gateway->GetEventOverview(LoadContext().get(), request, &overview)));
  }

  // What a resource the load wrote is now, read from its service: "absent", "present", or a
  // statement's state.
  std::string StateOf(const std::string& resource) const {
    grpc::Status status;
    std::string state = "present";
    if (absl::StartsWith(resource, "people/")) {
      rv1::GetPersonRequest get;
      get.set_name(resource);
      rv1::Person person;
      status = rv1::RegistryService::NewStub(suite_->Channel(Server::kRegistry))
                   ->GetPerson(ReadContext().get(), get, &person);
    } else if (absl::StrContains(resource, "/rooms/")) {
      sv1::GetRoomRequest get;
      get.set_name(resource);
      sv1::Room room;
      status = sv1::SchedulingService::NewStub(suite_->Channel(Server::kScheduling))
                   ->GetRoom(ReadContext().get(), get, &room);
    } else if (absl::StrContains(resource, "/meetingRequests/")) {
      sv1::GetMeetingRequestRequest get;
      get.set_name(resource);
      sv1::MeetingRequest meeting;
      status = sv1::SchedulingService::NewStub(suite_->Channel(Server::kScheduling))
                   ->GetMeetingRequest(ReadContext().get(), get, &meeting);
    } else {
      tv1::GetStatementRequest get;
      get.set_name(resource);
      tv1::Statement statement;
      status = tv1::StatementsService::NewStub(suite_->Channel(Server::kStatements))
                   ->GetStatement(ReadContext().get(), get, &statement);
      state = tv1::Statement::State_Name(statement.state());
    }
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) return "absent";
    if (!status.ok()) return absl::StrCat("unreadable: ", Describe(status));
    return state;
  }

  // Runs `round` on kClients clients, each until a call is not OK (the server refuses: it is
  // gone) or kMaxRoundsPerClient; sends `server` SIGTERM at a random moment; checks the drain
  // (answers, health, exit); restarts it and checks what was written. The outcomes of every
  // call go to `outcomes`.
  void DrainUnderLoad(Server server, const std::string& health_name, const ClientRound& round,
                      std::vector<Outcome>& outcomes, int& answered_while_draining) {
    SCOPED_TRACE(absl::StrCat("draining summit-", testing::ServerName(server)));
    HealthWatch health(suite_->Channel(server), health_name);
    ASSERT_TRUE(health.WaitFor(HealthWatch::kServing, kPatience));

    absl::Mutex mu;
    int clients_past_first_round = 0;  // guarded by mu
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        std::vector<Outcome> made;
        for (int r = 0; r < kMaxRoundsPerClient; ++r) {
          round(c, r, made);
          if (made.empty() || !made.back().ok()) break;
          if (r == 0) {
            absl::MutexLock lock(&mu);
            ++clients_past_first_round;
          }
        }
        absl::MutexLock lock(&mu);
        outcomes.insert(outcomes.end(), made.begin(), made.end());
      });
    }
    // The signal comes once every client has done a whole round (so there is acknowledged work
    // to find after the restart, and a publication for the feeds to resume past), then at a
    // random moment: a fixed time is too short on a loaded machine, where one round can take
    // longer than the whole window (17 calls and no publication, at load average 20).
    {
      absl::MutexLock lock(&mu);
      mu.AwaitWithTimeout(absl::Condition(
                              +[](int* past) { return *past >= kClients; },
                              &clients_past_first_round),
                          kPatience);
    }
    absl::SleepFor(absl::Milliseconds(std::uniform_int_distribution<int>(0, 300)(random_)));
    const absl::Time signalled = absl::Now();
    ASSERT_TRUE(suite_->Process(server).Signal(SIGTERM).ok());
    for (std::thread& client : clients) client.join();

    // Health said NOT_SERVING once draining began.
    EXPECT_TRUE(health.WaitFor(HealthWatch::kNotServing, kPatience))
        << "health sent " << health.Seen().size() << " statuses";

    // The process exits 0 within the grace period, and the grace period did not run out.
    absl::StatusOr<int> exit_code =
        suite_->Process(server).WaitForExit(signalled + kGracePeriod - absl::Now());
    const std::string log = suite_->Process(server).AllStderr();
    EXPECT_TRUE(exit_code.ok() && *exit_code == 0)
        << (exit_code.ok() ? absl::StrCat("exit code ", *exit_code) : exit_code.status().ToString())
        << "\n"
        << WithoutCallLines(log);
    EXPECT_FALSE(absl::StrContains(log, "\"message\":\"grace period ran out\""));
    EXPECT_TRUE(absl::StrContains(log, "\"message\":\"stopped\""));

    // What the server answered is what its clients got; the rest was refused.
    std::map<std::string, std::map<std::string, int>> received;
    std::map<grpc::StatusCode, int> refused;
    for (const Outcome& outcome : outcomes) {
      EXPECT_TRUE(outcome.ok() || IsRefusal(outcome.code))
          << outcome.method << " ended " << CodeName(outcome.code) << ": " << outcome.message;
      if (IsRefusal(outcome.code)) ++refused[outcome.code];
      ++received[outcome.method][CodeName(outcome.code)];
    }
    // The gateway logs calls it forwards as "proxy" or "http": every call to it is the load's.
    // Only the load's methods are compared (feed watchers' streams end in the logs too).
    LoggedAnswers logged = ReadLoggedAnswers(log, server == Server::kGateway ? "" : kLoadCaller);
    std::set<std::string> load_methods;
    for (const Outcome& outcome : outcomes) load_methods.insert(outcome.method);
    for (auto it = logged.by_method.begin(); it != logged.by_method.end();) {
      it = load_methods.count(it->first) > 0 ? std::next(it) : logged.by_method.erase(it);
    }
    // Refusals: those the server logged reached their clients; gRPC refused the others. Every
    // other answer the server logged is exactly one its clients received.
    for (auto& [method, codes] : received) {
      for (grpc::StatusCode code : {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::CANCELLED}) {
        EXPECT_LE(logged.by_method[method][CodeName(code)], codes[CodeName(code)]) << method;
        logged.by_method[method].erase(CodeName(code));
        codes.erase(CodeName(code));
      }
    }
    EXPECT_EQ(logged.by_method, received)
        << "the server's answers (left) differ from what its clients received (right)";
    answered_while_draining = logged.ok_while_draining;
    std::cerr << "[   INFO   ] summit-" << testing::ServerName(server) << ": " << outcomes.size()
              << " calls, " << logged.ok_while_draining << " answered OK while draining, "
              << refused[grpc::StatusCode::UNAVAILABLE] << " refused with UNAVAILABLE, "
              << refused[grpc::StatusCode::CANCELLED]
              << " with CANCELLED by gRPC's own shutdown (never handled)\n";

    // After a restart: each resource as its last write left it, done if acknowledged, not done
    // if refused.
    ASSERT_TRUE(suite_->Restart(server).ok());
    std::map<std::string, const Outcome*> last_write;
    for (const Outcome& outcome : outcomes) {
      if (!outcome.resource.empty()) last_write[outcome.resource] = &outcome;
    }
    for (const auto& [resource, write] : last_write) {
      if (!write->ok() && !IsRefusal(write->code)) continue;  // failed above
      EXPECT_EQ(StateOf(resource), write->ok() ? write->state_if_done : write->state_if_not)
          << resource << " after " << write->method << " answered " << CodeName(write->code);
    }
  }

  // Each watcher's stream ended with UNAVAILABLE saying how to resume. Resumed the same way with
  // its last token, a watcher then receives the rest: all it received, before and after, is the
  // feed exactly as a new watcher reads it from the beginning, up to the last publication.
  void ExpectFeedsResume(const std::vector<std::unique_ptr<FeedWatcher>>& watchers,
                         const std::vector<Outcome>& outcomes) {
    std::set<std::string> published;
    for (const Outcome& outcome : outcomes) {
      if (outcome.ok() && outcome.state_if_done == "STATE_PUBLISHED") {
        published.insert(outcome.resource);
      }
    }
    ASSERT_FALSE(published.empty());
    FeedWatcher whole(*suite_, FeedWay::kDirect, token_, "");
    ASSERT_TRUE(whole.WaitForStatements(published, kPatience));
    const std::vector<FeedEntry> feed = whole.entries();

    for (const std::unique_ptr<FeedWatcher>& watcher : watchers) {
      SCOPED_TRACE(FeedWayName(watcher->way()));
      std::optional<grpc::Status> ended = watcher->WaitForEnd(kPatience);
      ASSERT_TRUE(ended.has_value()) << "the stream did not end";
      EXPECT_EQ(ended->error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(*ended);
      EXPECT_TRUE(absl::StrContains(ended->error_message(), "resume")) << Describe(*ended);

      const std::vector<FeedEntry> before = watcher->entries();
      ASSERT_FALSE(before.empty());  // the demo's publications came first
      std::vector<FeedEntry> all = before;
      std::set<std::string> missing = published;
      for (const FeedEntry& entry : before) missing.erase(entry.statement);
      // As a client does: reconnect with the last token, again after an UNAVAILABLE (the
      // gateway's channel may still be reconnecting to the restarted Statements), with a pause;
      // bounded.
      for (int attempt = 0; attempt < 50 && !missing.empty(); ++attempt) {
        if (attempt > 0) absl::SleepFor(absl::Milliseconds(100));
        FeedWatcher resumed(*suite_, watcher->way(), token_, all.back().resume_token);
        const bool caught_up = resumed.WaitForStatements(missing, kPatience);
        for (const FeedEntry& entry : resumed.entries()) {
          all.push_back(entry);
          missing.erase(entry.statement);
        }
        if (caught_up) break;
        const std::optional<grpc::Status> ended = resumed.WaitForEnd(absl::ZeroDuration());
        ASSERT_TRUE(ended.has_value() && ended->error_code() == grpc::StatusCode::UNAVAILABLE)
            << (ended.has_value() ? Describe(*ended) : "still open, and nothing came");
      }
      EXPECT_TRUE(missing.empty()) << missing.size() << " publications never came";
      EXPECT_EQ(all, feed);
      std::cerr << "[   INFO   ] " << FeedWayName(watcher->way()) << ": " << before.size()
                << " events before the drain, " << all.size() - before.size()
                << " after resuming\n";
    }
  }

  std::vector<std::unique_ptr<FeedWatcher>> StartWatchers(const std::vector<FeedWay>& ways) const {
    std::vector<std::unique_ptr<FeedWatcher>> watchers;
    for (FeedWay way : ways) {
      watchers.push_back(std::make_unique<FeedWatcher>(*suite_, way, token_, ""));
    }
    // A feed "open while the server drains" must be open: on a loaded machine a watcher (the
    // gateway's stream connection to Statements made on first use) could still be starting when
    // the signal came, and then met a server already gone. Each reads the demo's first event
    // before the drain begins.
    for (const std::unique_ptr<FeedWatcher>& watcher : watchers) {
      EXPECT_TRUE(watcher->WaitForFirstEvent(kPatience)) << FeedWayName(watcher->way());
    }
    return watchers;
  }

  // Runs `drain` (DrainUnderLoad and what else a test checks) until calls were in flight when
  // draining began — answered OK after the server logged "draining" — so that the drain was
  // tested on them: the signal, at a random moment, may fall between calls. Bounded.
  void DrainUntilCallsInFlight(
      const std::function<void(std::vector<Outcome>& outcomes, int& answered_while_draining)>&
          drain) {
    int answered_while_draining = 0;
    for (drain_ = 0; drain_ < kMaxDrains && answered_while_draining == 0; ++drain_) {
      std::vector<Outcome> outcomes;
      drain(outcomes, answered_while_draining);
      if (HasFatalFailure()) return;
    }
    EXPECT_GT(answered_while_draining, 0)
        << kMaxDrains << " drains, and no call was in flight when one began";
  }

  std::unique_ptr<Suite> suite_;
  std::string token_;          // the load's
  std::string checker_token_;  // what reads the load's writes back
  std::mt19937 random_{20231206};
  int drain_ = 0;  // which drain of the test runs, in the ids of what it writes
};

TEST_F(GracefulShutdownTest, RegistryDrainsUnderLoad) {
  const std::shared_ptr<grpc::Channel> channel = suite_->Channel(Server::kRegistry);
  DrainUntilCallsInFlight([&](std::vector<Outcome>& outcomes, int& answered_while_draining) {
    DrainUnderLoad(Server::kRegistry, rv1::RegistryService::service_full_name(),
                   [&](int client, int round, std::vector<Outcome>& made) {
                     PersonRound(channel, client, round, made);
                   },
                   outcomes, answered_while_draining);
  });
}

TEST_F(GracefulShutdownTest, SchedulingDrainsUnderLoad) {
  const std::shared_ptr<grpc::Channel> channel = suite_->Channel(Server::kScheduling);
  DrainUntilCallsInFlight([&](std::vector<Outcome>& outcomes, int& answered_while_draining) {
    DrainUnderLoad(Server::kScheduling, sv1::SchedulingService::service_full_name(),
                   [&](int client, int round, std::vector<Outcome>& made) {
                     MeetingRound(channel, client, round, made);
                   },
                   outcomes, answered_while_draining);
  });
}

TEST_F(GracefulShutdownTest, StatementsDrainsUnderLoadAndItsFeedsResume) {
  const std::shared_ptr<grpc::Channel> channel = suite_->Channel(Server::kStatements);
  DrainUntilCallsInFlight([&](std::vector<Outcome>& outcomes, int& answered_while_draining) {
    const std::vector<std::unique_ptr<FeedWatcher>> watchers = StartWatchers(
        {FeedWay::kDirect, FeedWay::kThroughGateway, FeedWay::kServerSentEvents});
    ASSERT_NO_FATAL_FAILURE(DrainUnderLoad(Server::kStatements,
                                           tv1::StatementsService::service_full_name(),
                                           [&](int client, int round, std::vector<Outcome>& made) {
                                             PublicationRound(channel, client, round, made);
                                           },
                                           outcomes, answered_while_draining));
    ExpectFeedsResume(watchers, outcomes);
  });
}

TEST_F(GracefulShutdownTest, GatewayDrainsUnderLoadAndItsFeedsResume) {
  const std::shared_ptr<grpc::Channel> channel = suite_->Channel(Server::kGateway);
  DrainUntilCallsInFlight([&](std::vector<Outcome>& outcomes, int& answered_while_draining) {
    const std::vector<std::unique_ptr<FeedWatcher>> watchers =
        StartWatchers({FeedWay::kThroughGateway, FeedWay::kServerSentEvents});
    // Every way into the gateway: forwarded calls to two backends, its own view, HTTP/JSON.
    ASSERT_NO_FATAL_FAILURE(DrainUnderLoad(
        Server::kGateway, gv1::GatewayService::service_full_name(),
        [&](int client, int round, std::vector<Outcome>& made) {
          switch (client % 4) {
            case 0:
              return PersonRound(channel, client, round, made);
            case 1:
              return PublicationRound(channel, client, round, made);
            case 2:
              return OverviewRound(channel, made);
            default:
              return PersonOverHttpRound(client, round, made);
          }
        },
        outcomes, answered_while_draining));
    ExpectFeedsResume(watchers, outcomes);
  });
}

}  // namespace
}  // namespace summit
