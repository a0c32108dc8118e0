// Crash durability: under a bounded write load, a service is killed with SIGKILL at a random
// moment, started again on its database, and checked:
// - every write the client saw acknowledged is there, exactly as acknowledged;
// - nothing unacknowledged is half there: a create retried with its request id after the
//   crash yields exactly one resource (never a second one beside a half-written first), and a
//   published statement always has its feed entry (they commit together), and a feed entry
//   always its published statement;
// - Scheduling's invariants hold after every crash: no person and no room in two overlapping
//   sessions that are not cancelled, no meeting request with two sessions, and a schedule
//   committed whole or not at all.
// Kill rounds per service: SUMMIT_CRASH_KILLS (default 5 here; docs/RELIABILITY.md records a
// longer run). Runs on both backends (crash_durability_test_postgres).
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/publication.h"
#include "tests/support/rpc_status.h"
#include "tests/support/suite.h"

namespace summit {
namespace {

namespace rv1 = ::summit::registry::v1;
namespace sv1 = ::summit::scheduling::v1;
namespace tv1 = ::summit::statements::v1;
using ::summit::testing::Describe;
using ::summit::testing::Server;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;

constexpr int kWriters = 4;
constexpr int kMaxWritesPerWriter = 300;  // bounds a round if the kill came late
constexpr char kEvent[] = "events/udib-2023";

int KillRounds() {
  const char* text = std::getenv("SUMMIT_CRASH_KILLS");
  int rounds = 5;
  if (text != nullptr && !absl::SimpleAtoi(text, &rounds)) rounds = 5;
  return rounds;
}

class CrashDurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    options.name = "crash";
    absl::StatusOr<std::unique_ptr<Suite>> suite = Suite::Start(options);
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    organizer_ = absl::StrCat(
        "Bearer ", suite_->Token({"people/duty-officer", auth::Role::kOrganizer}, absl::Hours(2)));
  }

  void TearDown() override {
    if (suite_ != nullptr) {
      const std::string stopped = suite_->NewlyStoppedServers();
      EXPECT_EQ(stopped, "") << "a server stopped unexpectedly";
    }
  }

  std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(10)) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    // The channel of a restarted server may still be backing off from the kill: wait for it
    // to connect rather than fail fast (a write to a server just killed still fails fast
    // enough: the connection breaks under it).
    context->set_wait_for_ready(true);
    context->AddMetadata("authorization", organizer_);
    return context;
  }

  // Lets `writers` write until `server` is killed at a random moment (`earliest_ms` to 300 ms
  // in), waits for them, and starts the server again on its database.
  void KillDuringWrites(Server server, const std::function<void(int writer)>& write,
                        int earliest_ms = 30) {
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) threads.emplace_back(write, w);
    absl::SleepFor(
        absl::Milliseconds(std::uniform_int_distribution<int>(earliest_ms, 300)(random_)));
    ASSERT_TRUE(suite_->Process(server).Signal(SIGKILL).ok());
    for (std::thread& thread : threads) thread.join();
    ASSERT_TRUE(suite_->Restart(server).ok());
  }

  std::unique_ptr<Suite> suite_;
  std::string organizer_;
  std::mt19937 random_{20231206};
};

// A create sent with a request id, as its writer saw it.
struct CreateAttempt {
  using Send = std::function<grpc::Status(std::string* name, std::string* etag)>;

  CreateAttempt() = default;
  CreateAttempt(std::string label, Send send) : label(std::move(label)), send(std::move(send)) {}

  // Text unique to the attempt (a display name, a title, a topic) that finds its resource in a
  // listing.
  std::string label;
  // Sends the create, the same request every time; the resource's name and etag when OK.
  Send send;
  grpc::Status status;  // the first answer
  std::string name;     // as acknowledged
  std::string etag;     // as acknowledged; "" when later steps change it

  void SendFirst() { status = send(&name, &etag); }
};

// A service's answer that refuses the write (a clash, a stale plan): acknowledged, and nothing
// written. Any other failure means the server died under the call: not acknowledged.
bool IsRefusal(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
         status.error_code() == grpc::StatusCode::ABORTED;
}

bool IsAcknowledged(const grpc::Status& status) { return status.ok() || IsRefusal(status); }

struct CreateTally {
  int acknowledged = 0;    // answered with a resource
  int refused = 0;         // answered with a refusal
  int unacknowledged = 0;  // the server died under it
};

// How many resources a listing holds, by label.
using LabelCounts = std::map<std::string, int>;

// Every acknowledged create is there as acknowledged (`get` reads a name's etag); every
// unacknowledged one, sent again with its request id, is answered with one resource, or
// refused as its first attempt would have been when that never committed; and the listing
// (`list`, read after the retries) holds exactly one resource for each create answered with
// one, none for the refused: nothing created twice, nothing half created.
void ExpectEachCreatedOnce(
    std::vector<CreateAttempt>& attempts,
    const std::function<grpc::Status(const std::string& name, std::string* etag)>& get,
    const std::function<LabelCounts()>& list, CreateTally& tally) {
  std::set<std::string> names;
  std::set<std::string> created;
  for (CreateAttempt& attempt : attempts) {
    if (attempt.status.ok()) {
      ++tally.acknowledged;
      std::string etag;
      const grpc::Status status = get(attempt.name, &etag);
      ASSERT_TRUE(status.ok()) << attempt.name << ": " << Describe(status);
      if (!attempt.etag.empty()) {
        EXPECT_EQ(etag, attempt.etag) << attempt.name;
      }
    } else if (IsRefusal(attempt.status)) {
      ++tally.refused;
      continue;
    } else {
      ++tally.unacknowledged;
      std::string etag;
      const grpc::Status retried = attempt.send(&attempt.name, &etag);
      ASSERT_TRUE(IsAcknowledged(retried)) << attempt.label << ": " << Describe(retried);
      if (!retried.ok()) continue;
    }
    created.insert(attempt.label);
    EXPECT_TRUE(names.insert(attempt.name).second) << attempt.name << " answered twice";
  }
  LabelCounts listed = list();
  for (const CreateAttempt& attempt : attempts) {
    EXPECT_EQ(listed[attempt.label], created.count(attempt.label)) << attempt.label;
  }
}

// Every page of a List method, each item given to `take`.
template <typename Request, typename Response, typename Item>
void ListAll(const std::function<grpc::Status(grpc::ClientContext*, const Request&, Response*)>& call,
             const std::function<std::unique_ptr<grpc::ClientContext>()>& context, Request request,
             const google::protobuf::RepeatedPtrField<Item>& (Response::*items)() const,
             const std::function<void(const Item&)>& take) {
  request.set_page_size(1000);
  do {
    Response page;
    const grpc::Status status = call(context().get(), request, &page);
    ASSERT_TRUE(status.ok()) << Describe(status);
    for (const Item& item : (page.*items)()) take(item);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
}

TEST_F(CrashDurabilityTest, RegistryKeepsEveryAcknowledgedCreateAndNoHalfCreate) {
  auto registry = rv1::RegistryService::NewStub(suite_->Channel(Server::kRegistry));
  CreateTally tally;
  for (int round = 0; round < KillRounds(); ++round) {
    absl::Mutex mu;
    std::vector<CreateAttempt> attempts;
    ASSERT_NO_FATAL_FAILURE(KillDuringWrites(Server::kRegistry, [&](int writer) {
      for (int j = 0; j < kMaxWritesPerWriter; ++j) {
        rv1::CreatePersonRequest request;
        request.set_request_id(absl::StrCat("crash-", round, "-", writer, "-", j));
        request.mutable_person()->set_display_name(
            absl::StrCat("Crash Tester R", round, " W", writer, " N", j));
        request.mutable_person()->set_title("Crash tester");
        request.mutable_person()->set_country("UA");
        CreateAttempt attempt(request.person().display_name(),
                              [this, &registry, request](std::string* name, std::string* etag) {
                                rv1::Person person;
                                grpc::Status status =
                                    registry->CreatePerson(Context().get(), request, &person);
                                *name = person.name();
                                *etag = person.etag();
                                return status;
                              });
        attempt.SendFirst();
        absl::MutexLock lock(&mu);
        attempts.push_back(attempt);
        if (!attempt.status.ok()) return;  // the server is gone
      }
    }));

    ASSERT_NO_FATAL_FAILURE(ExpectEachCreatedOnce(
        attempts,
        [&](const std::string& name, std::string* etag) {
          rv1::GetPersonRequest get;
          get.set_name(name);
          rv1::Person person;
          grpc::Status status = registry->GetPerson(Context().get(), get, &person);
          *etag = person.etag();
          return status;
        },
        [&] {
          LabelCounts listed;
          ListAll<rv1::ListPeopleRequest, rv1::ListPeopleResponse, rv1::Person>(
              [&](grpc::ClientContext* context, const rv1::ListPeopleRequest& request,
                  rv1::ListPeopleResponse* page) {
                return registry->ListPeople(context, request, page);
              },
              [this] { return Context(); }, {}, &rv1::ListPeopleResponse::people,
              [&](const rv1::Person& person) { ++listed[person.display_name()]; });
          return listed;
        },
        tally));
  }
  std::cerr << "[   INFO   ] " << KillRounds() << " kills of summit-registry: "
            << tally.acknowledged << " acknowledged creates all kept, " << tally.unacknowledged
            << " unacknowledged ones each created exactly once on retry\n";
}

// A meeting request a writer created and moved on: how far it got, as the writer saw it.
struct MeetingSteps {
  size_t create;             // its CreateAttempt
  int acknowledged = 0;      // created, accepted, withdrawn
  int sent = 0;              // the last step sent, answered or not
};

// The state after `steps` of create → accept → withdraw.
sv1::MeetingRequest::State StateAfter(int steps) {
  static const sv1::MeetingRequest::State kStates[] = {
      sv1::MeetingRequest::STATE_UNSPECIFIED, sv1::MeetingRequest::STATE_PENDING,
      sv1::MeetingRequest::STATE_ACCEPTED, sv1::MeetingRequest::STATE_WITHDRAWN};
  return kStates[steps];
}

// No person and no room is in two overlapping sessions that are not cancelled, and no meeting
// request has two sessions.
void ExpectNoDoubleBooking(const std::vector<sv1::Session>& sessions) {
  std::map<std::string, std::vector<const sv1::Session*>> by_holder;
  std::map<std::string, int> by_request;
  for (const sv1::Session& session : sessions) {
    if (session.state() == sv1::Session::STATE_CANCELLED) continue;
    for (const std::string& person : session.participants()) {
      by_holder[person].push_back(&session);
    }
    if (!session.room().empty()) by_holder[session.room()].push_back(&session);
    if (!session.meeting_request().empty()) {
      EXPECT_EQ(++by_request[session.meeting_request()], 1)
          << session.meeting_request() << " has two sessions";
    }
  }
  for (auto& [holder, held] : by_holder) {
    std::sort(held.begin(), held.end(), [](const sv1::Session* a, const sv1::Session* b) {
      return a->start_time().seconds() < b->start_time().seconds();
    });
    for (size_t i = 1; i < held.size(); ++i) {
      EXPECT_LE(held[i - 1]->end_time().seconds(), held[i]->start_time().seconds())
          << holder << " is in " << held[i - 1]->name() << " and " << held[i]->name();
    }
  }
}

google::protobuf::Timestamp WashingtonTime(int day, int hour, int minute) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilMinute(2023, 12, day, hour, minute), absl::FixedTimeZone(-5 * 3600))));
  return timestamp;
}

class SchedulingCrashTest : public CrashDurabilityTest {
 protected:
  // Sessions at night on the first day, so the demo's programme leaves them free, among few
  // people and rooms, so that writers clash: a clash is refused (acknowledged, nothing written).
  CreateAttempt SessionAttempt(const std::string& id, std::mt19937& random) {
    static const char* const kPeople[] = {"liberty-air-defense-rep-1", "liberty-air-defense-rep-2",
                                          "prairie-munitions-rep-1",   "prairie-munitions-rep-2",
                                          "umerov",                    "kamyshin"};
    sv1::CreateSessionRequest request;
    request.set_parent(kEvent);
    request.set_request_id(id);
    sv1::Session* session = request.mutable_session();
    session->set_title(absl::StrCat("Crash session ", id));
    const int start = std::uniform_int_distribution<int>(0, 15)(random) * 30;
    const int minutes = std::uniform_int_distribution<int>(1, 2)(random) * 30;
    *session->mutable_start_time() = WashingtonTime(6, start / 60, start % 60);
    *session->mutable_end_time() =
        WashingtonTime(6, (start + minutes) / 60, (start + minutes) % 60);
    std::uniform_int_distribution<int> person(0, 5);
    const int first = person(random);
    const int second = (first + 1 + std::uniform_int_distribution<int>(0, 4)(random)) % 6;
    session->add_participants(absl::StrCat("people/", kPeople[first]));
    session->add_participants(absl::StrCat("people/", kPeople[second]));
    if (std::uniform_int_distribution<int>(0, 1)(random) == 0) {
      session->set_kind(sv1::Session::KIND_B2B);
      session->set_room(
          absl::StrCat(kEvent, "/rooms/table-", std::uniform_int_distribution<int>(1, 2)(random)));
    } else {
      session->set_kind(sv1::Session::KIND_SITE_VISIT);
      session->set_location("Crash site");
    }
    return CreateAttempt(session->title(), [this, request](std::string* name, std::string* etag) {
                           sv1::Session created;
                           grpc::Status status =
                               Scheduling()->CreateSession(Context().get(), request, &created);
                           *name = created.name();
                           *etag = created.etag();
                           return status;
                         });
  }

  CreateAttempt RoomAttempt(const std::string& id) {
    sv1::CreateRoomRequest request;
    request.set_parent(kEvent);
    request.set_request_id(id);
    request.mutable_room()->set_display_name(absl::StrCat("Crash room ", id));
    request.mutable_room()->set_kind(sv1::Room::KIND_MEETING_ROOM);
    request.mutable_room()->set_capacity(6);
    return CreateAttempt(request.room().display_name(),
                         [this, request](std::string* name, std::string* etag) {
                           sv1::Room created;
                           grpc::Status status =
                               Scheduling()->CreateRoom(Context().get(), request, &created);
                           *name = created.name();
                           *etag = created.etag();
                           return status;
                         });
  }

  // Its etag is not checked: accepting and withdrawing change it.
  CreateAttempt MeetingRequestAttempt(const std::string& id, int n) {
    static const char* const kInvitees[] = {"stefanchuk", "arakhamia", "markarova", "tochytskyi"};
    sv1::CreateMeetingRequestRequest request;
    request.set_parent(kEvent);
    request.set_request_id(id);
    sv1::MeetingRequest* meeting = request.mutable_meeting_request();
    meeting->set_requester(absl::StrCat("people/cascade-avionics-rep-", 1 + n % 5));
    meeting->set_invitee(absl::StrCat("people/", kInvitees[n % 4]));
    meeting->set_topic(absl::StrCat("Crash meeting ", id));
    meeting->mutable_duration()->set_seconds(20 * 60);
    meeting->set_priority(5);
    return CreateAttempt(meeting->topic(), [this, request](std::string* name, std::string*) {
                           sv1::MeetingRequest created;
                           grpc::Status status = Scheduling()->CreateMeetingRequest(
                               Context().get(), request, &created);
                           *name = created.name();
                           return status;
                         });
  }

  std::unique_ptr<sv1::SchedulingService::Stub> Scheduling() {
    return sv1::SchedulingService::NewStub(suite_->Channel(Server::kScheduling));
  }

  std::vector<sv1::Session> AllSessions() {
    std::vector<sv1::Session> sessions;
    sv1::ListSessionsRequest request;
    request.set_parent(kEvent);
    auto scheduling = Scheduling();
    ListAll<sv1::ListSessionsRequest, sv1::ListSessionsResponse, sv1::Session>(
        [&](grpc::ClientContext* context, const sv1::ListSessionsRequest& r,
            sv1::ListSessionsResponse* page) { return scheduling->ListSessions(context, r, page); },
        [this] { return Context(); }, request, &sv1::ListSessionsResponse::sessions,
        [&](const sv1::Session& session) { sessions.push_back(session); });
    return sessions;
  }

  std::map<std::string, sv1::MeetingRequest> AllMeetingRequests() {
    std::map<std::string, sv1::MeetingRequest> requests;
    sv1::ListMeetingRequestsRequest request;
    request.set_parent(kEvent);
    auto scheduling = Scheduling();
    ListAll<sv1::ListMeetingRequestsRequest, sv1::ListMeetingRequestsResponse,
            sv1::MeetingRequest>(
        [&](grpc::ClientContext* context, const sv1::ListMeetingRequestsRequest& r,
            sv1::ListMeetingRequestsResponse* page) {
          return scheduling->ListMeetingRequests(context, r, page);
        },
        [this] { return Context(); }, request, &sv1::ListMeetingRequestsResponse::meeting_requests,
        [&](const sv1::MeetingRequest& meeting) { requests[meeting.name()] = meeting; });
    return requests;
  }

  // Frees what earlier rounds took, so that every round starts alike: the sessions they made,
  // and those their plans placed, are cancelled (a placed request goes back to ACCEPTED), and
  // their meeting requests are withdrawn but for `last_round`'s, which this round's plan
  // places. Outside the kill.
  void ClearEarlierRounds(const std::set<std::string>& last_round) {
    std::map<std::string, sv1::MeetingRequest> requests = AllMeetingRequests();
    auto ours = [&](const std::string& request) {
      auto it = requests.find(request);
      return it != requests.end() && absl::StartsWith(it->second.topic(), "Crash meeting ");
    };
    for (const sv1::Session& session : AllSessions()) {
      if (session.state() == sv1::Session::STATE_CANCELLED ||
          !(absl::StartsWith(session.title(), "Crash session ") ||
            ours(session.meeting_request()))) {
        continue;
      }
      sv1::CancelSessionRequest cancel;
      cancel.set_name(session.name());
      sv1::Session cancelled;
      const grpc::Status status = Scheduling()->CancelSession(Context().get(), cancel, &cancelled);
      ASSERT_TRUE(status.ok()) << session.name() << ": " << Describe(status);
    }
    for (const auto& [name, meeting] : AllMeetingRequests()) {
      if (!ours(name) || last_round.count(name) > 0 ||
          meeting.state() == sv1::MeetingRequest::STATE_WITHDRAWN ||
          meeting.state() == sv1::MeetingRequest::STATE_DECLINED) {
        continue;
      }
      sv1::WithdrawMeetingRequestRequest withdraw;
      withdraw.set_name(name);
      sv1::MeetingRequest withdrawn;
      const grpc::Status status =
          Scheduling()->WithdrawMeetingRequest(Context().get(), withdraw, &withdrawn);
      ASSERT_TRUE(status.ok()) << name << ": " << Describe(status);
    }
  }

  // Where the event's accepted requests would go, early on the second day.
  sv1::SchedulePlan Propose() {
    sv1::ProposeScheduleRequest request;
    request.set_event(kEvent);
    google::type::Date* day = request.mutable_options()->add_days();
    day->set_year(2023);
    day->set_month(12);
    day->set_day(7);
    request.mutable_options()->mutable_daily_start()->set_hours(5);
    request.mutable_options()->mutable_daily_end()->set_hours(8);
    sv1::SchedulePlan plan;
    const grpc::Status status = Scheduling()->ProposeSchedule(Context(absl::Seconds(60)).get(),
                                                              request, &plan);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return plan;
  }
};

TEST_F(SchedulingCrashTest, KeepsEveryAcknowledgedWriteAndItsInvariants) {
  CreateTally sessions_tally, rooms_tally, meetings_tally;
  int commits_applied = 0, commits_refused = 0, commits_retried = 0, steps_acknowledged = 0;
  std::set<std::string> last_round;  // the meeting requests the last round created
  for (int round = 0; round < KillRounds(); ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    // A plan of the requests the last round accepted, committed first thing in this one while
    // the other writers wait for its answer (any write of theirs would make it stale).
    ASSERT_NO_FATAL_FAILURE(ClearEarlierRounds(last_round));
    const sv1::SchedulePlan plan = Propose();
    const std::string commit_id = absl::StrCat("crash-commit-", round);
    grpc::Status committed = grpc::Status(grpc::StatusCode::CANCELLED, "not sent");
    absl::Notification commit_answered;
    absl::Mutex mu;
    std::vector<CreateAttempt> sessions, rooms, meetings;
    std::vector<MeetingSteps> steps;
    ASSERT_NO_FATAL_FAILURE(KillDuringWrites(Server::kScheduling, [&](int writer) {
      if (writer == 0) {
        if (plan.meetings_size() > 0) {
          sv1::CommitScheduleRequest commit;
          *commit.mutable_plan() = plan;
          commit.set_request_id(commit_id);
          sv1::CommitScheduleResponse response;
          committed = Scheduling()->CommitSchedule(Context().get(), commit, &response);
        }
        commit_answered.Notify();
      } else {
        commit_answered.WaitForNotification();  // bounded by the commit's deadline
      }
      if (plan.meetings_size() > 0 && !IsAcknowledged(committed)) return;  // the server is gone
      std::mt19937 random(round * 1000 + writer);
      for (int j = 0; j < kMaxWritesPerWriter / 3; ++j) {
        const std::string id = absl::StrCat("crash-", round, "-", writer, "-", j);
        CreateAttempt attempt;
        switch (j % 3) {
          case 0:
            attempt = SessionAttempt(id, random);
            break;
          case 1:
            attempt = RoomAttempt(id);
            break;
          default:
            attempt = MeetingRequestAttempt(id, writer * 100 + j);
        }
        attempt.SendFirst();
        bool gone = !IsAcknowledged(attempt.status);
        MeetingSteps meeting{0, attempt.status.ok() ? 1 : 0, 1};
        if (j % 3 == 2 && attempt.status.ok()) {
          // Accepted; every other one withdrawn again.
          sv1::AcceptMeetingRequestRequest accept;
          accept.set_name(attempt.name);
          sv1::MeetingRequest changed;
          ++meeting.sent;
          grpc::Status status = Scheduling()->AcceptMeetingRequest(Context().get(), accept, &changed);
          if (status.ok()) ++meeting.acknowledged;
          if (status.ok() && j % 2 == 0) {
            sv1::WithdrawMeetingRequestRequest withdraw;
            withdraw.set_name(attempt.name);
            ++meeting.sent;
            status = Scheduling()->WithdrawMeetingRequest(Context().get(), withdraw, &changed);
            if (status.ok()) ++meeting.acknowledged;
          }
          gone = !IsAcknowledged(status);
        }
        absl::MutexLock lock(&mu);
        if (j % 3 == 2) {
          meeting.create = meetings.size();
          steps.push_back(meeting);
        }
        (j % 3 == 0 ? sessions : j % 3 == 1 ? rooms : meetings).push_back(attempt);
        if (gone) return;
      }
    }, /*earliest_ms=*/1));  // from the start: the commit comes first

    // Each kind created once; the meeting requests' later steps as far as acknowledged, or one
    // step further (the step whose answer the crash swallowed).
    auto get_session = [&](const std::string& name, std::string* etag) {
      sv1::GetSessionRequest get;
      get.set_name(name);
      sv1::Session session;
      grpc::Status status = Scheduling()->GetSession(Context().get(), get, &session);
      *etag = session.etag();
      return status;
    };
    auto get_room = [&](const std::string& name, std::string* etag) {
      sv1::GetRoomRequest get;
      get.set_name(name);
      sv1::Room room;
      grpc::Status status = Scheduling()->GetRoom(Context().get(), get, &room);
      *etag = room.etag();
      return status;
    };
    auto get_meeting = [&](const std::string& name, std::string*) {
      sv1::GetMeetingRequestRequest get;
      get.set_name(name);
      sv1::MeetingRequest meeting;
      return Scheduling()->GetMeetingRequest(Context().get(), get, &meeting);
    };
    auto sessions_by_title = [&] {
      LabelCounts listed;
      for (const sv1::Session& session : AllSessions()) ++listed[session.title()];
      return listed;
    };
    auto rooms_by_name = [&] {
      LabelCounts listed;
      sv1::ListRoomsRequest request;
      request.set_parent(kEvent);
      auto scheduling = Scheduling();
      ListAll<sv1::ListRoomsRequest, sv1::ListRoomsResponse, sv1::Room>(
          [&](grpc::ClientContext* context, const sv1::ListRoomsRequest& r,
              sv1::ListRoomsResponse* page) { return scheduling->ListRooms(context, r, page); },
          [this] { return Context(); }, request, &sv1::ListRoomsResponse::rooms,
          [&](const sv1::Room& room) { ++listed[room.display_name()]; });
      return listed;
    };
    auto meetings_by_topic = [&] {
      LabelCounts listed;
      for (const auto& [name, meeting] : AllMeetingRequests()) ++listed[meeting.topic()];
      return listed;
    };
    ASSERT_NO_FATAL_FAILURE(ExpectEachCreatedOnce(sessions, get_session, sessions_by_title,
                                                  sessions_tally));
    ASSERT_NO_FATAL_FAILURE(ExpectEachCreatedOnce(rooms, get_room, rooms_by_name, rooms_tally));
    ASSERT_NO_FATAL_FAILURE(
        ExpectEachCreatedOnce(meetings, get_meeting, meetings_by_topic, meetings_tally));

    std::map<std::string, sv1::MeetingRequest> now = AllMeetingRequests();
    for (const MeetingSteps& meeting : steps) {
      const CreateAttempt& created = meetings[meeting.create];
      if (created.name.empty()) continue;  // never created (refused on retry)
      const sv1::MeetingRequest::State state = now[created.name].state();
      const int acknowledged = std::max(meeting.acknowledged, 1);  // created, maybe on retry
      EXPECT_TRUE(state == StateAfter(acknowledged) ||
                  (meeting.sent > acknowledged && state == StateAfter(acknowledged + 1)))
          << created.name << " is " << sv1::MeetingRequest::State_Name(state) << " after "
          << meeting.acknowledged << " acknowledged steps";
      steps_acknowledged += meeting.acknowledged;
    }

    // The plan was applied once, or not at all: retried with its request id, an unanswered
    // commit answers as the first did, or is refused as stale when the first never committed.
    if (plan.meetings_size() > 0) {
      if (!IsAcknowledged(committed)) {
        ++commits_retried;
        sv1::CommitScheduleRequest commit;
        *commit.mutable_plan() = plan;
        commit.set_request_id(commit_id);
        sv1::CommitScheduleResponse response;
        committed = Scheduling()->CommitSchedule(Context().get(), commit, &response);
        ASSERT_TRUE(IsAcknowledged(committed)) << Describe(committed);
        now = AllMeetingRequests();  // the retry may have applied it just now
      }
      (committed.ok() ? commits_applied : commits_refused)++;
      for (const sv1::PlannedMeeting& placed : plan.meetings()) {
        EXPECT_EQ(now[placed.meeting_request()].state() == sv1::MeetingRequest::STATE_SCHEDULED,
                  committed.ok())
            << placed.meeting_request() << " after a commit answered " << Describe(committed);
      }
    }
    ExpectNoDoubleBooking(AllSessions());
    last_round.clear();
    for (const CreateAttempt& meeting : meetings) {
      if (!meeting.name.empty()) last_round.insert(meeting.name);
    }
  }
  std::cerr << "[   INFO   ] " << KillRounds() << " kills of summit-scheduling: sessions "
            << sessions_tally.acknowledged << " acknowledged, " << sessions_tally.refused
            << " refused (clashes), " << sessions_tally.unacknowledged << " unacknowledged; rooms "
            << rooms_tally.acknowledged << "/" << rooms_tally.unacknowledged
            << "; meeting requests " << meetings_tally.acknowledged << "/"
            << meetings_tally.unacknowledged << " (acknowledged/unacknowledged), "
            << steps_acknowledged << " acknowledged steps; plans committed " << commits_applied
            << ", refused as stale " << commits_refused << " (" << commits_retried
            << " unacknowledged, retried with their request id)"
            << "; no person or room double-booked\n";
}

// How far a statement's publication got, as the client saw it.
struct Publication {
  std::string name;
  int acknowledged_steps = 0;  // create, submit, approve, publish
};

TEST_F(CrashDurabilityTest, StatementsKeepEveryAcknowledgedStepAndTheFeedCommitsWithIt) {
  auto statements = tv1::StatementsService::NewStub(suite_->Channel(Server::kStatements));
  int published_total = 0;
  std::vector<Publication> all;
  for (int round = 0; round < KillRounds(); ++round) {
    absl::Mutex mu;
    ASSERT_NO_FATAL_FAILURE(KillDuringWrites(Server::kStatements, [&](int writer) {
      for (int j = 0; j < kMaxWritesPerWriter / 4; ++j) {
        Publication publication;
        const std::string id = absl::StrCat("crash-", round, "-", writer, "-", j);
        publication.name = absl::StrCat(kEvent, "/statements/", id);
        tv1::CreateStatementRequest create;
        create.set_parent(kEvent);
        create.set_statement_id(id);
        create.mutable_statement()->set_kind(tv1::Statement::KIND_PRESS_RELEASE);
        create.mutable_statement()->set_title(absl::StrCat("Crash round ", round));
        tv1::StatementBody* body = create.mutable_statement()->add_bodies();
        body->set_language_code("en");
        body->set_text(absl::StrCat("Update ", round, "-", writer, "-", j, "."));
        body->set_original(true);
        bool gone = false;  // the server died under a step
        testing::PublishStepByStep(*statements, create, [this] { return Context(); },
                                   [&](const testing::PublicationStep& step) {
                                     if (step.status.ok()) ++publication.acknowledged_steps;
                                     gone = !step.status.ok();
                                   });
        absl::MutexLock lock(&mu);
        all.push_back(publication);
        if (gone) return;
      }
    }));
  }

  // Each statement is at least as far as acknowledged, and at most one step further (the step
  // whose answer the crash swallowed).
  static const tv1::Statement::State kAfterSteps[] = {
      tv1::Statement::STATE_UNSPECIFIED, tv1::Statement::STATE_DRAFT,
      tv1::Statement::STATE_IN_REVIEW, tv1::Statement::STATE_APPROVED,
      tv1::Statement::STATE_PUBLISHED};
  std::set<std::string> published;
  for (const Publication& publication : all) {
    tv1::GetStatementRequest get;
    get.set_name(publication.name);
    tv1::Statement now;
    const grpc::Status status = statements->GetStatement(Context().get(), get, &now);
    const int steps = publication.acknowledged_steps;
    if (!status.ok()) {
      EXPECT_EQ(steps, 0) << publication.name << " was acknowledged, and is gone";
      EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << publication.name;
      continue;
    }
    std::set<tv1::Statement::State> allowed = {kAfterSteps[steps]};
    if (steps < 4) allowed.insert(kAfterSteps[steps + 1]);
    EXPECT_TRUE(allowed.count(now.state()) == 1)
        << publication.name << " is " << tv1::Statement::State_Name(now.state()) << " after "
        << steps << " acknowledged steps";
    if (now.state() == tv1::Statement::STATE_PUBLISHED) published.insert(publication.name);
    if (steps == 4) ++published_total;
  }

  // The feed holds exactly one publication event per published statement, and none for any
  // other: the feed entry and the state change committed together, or neither did.
  tv1::WatchStatementsRequest watch;
  watch.set_parent(kEvent);
  watch.set_from_beginning(true);
  auto context = Context(absl::Seconds(60));
  std::unique_ptr<grpc::ClientReader<tv1::StatementEvent>> feed =
      statements->WatchStatements(context.get(), watch);
  std::map<std::string, int> fed;
  int seen = 0;
  tv1::StatementEvent event;
  while (seen < static_cast<int>(published.size()) && feed->Read(&event)) {
    if (event.kind() != tv1::StatementEvent::KIND_PUBLISHED) continue;
    if (!absl::StrContains(event.statement().name(), "/statements/crash-")) continue;
    ++fed[event.statement().name()];
    ++seen;
  }
  context->TryCancel();
  feed->Finish().IgnoreError();
  for (const std::string& name : published) EXPECT_EQ(fed[name], 1) << name;
  for (const auto& [name, count] : fed) {
    EXPECT_EQ(published.count(name), 1u) << name << " is in the feed but not published";
  }
  std::cerr << "[   INFO   ] " << KillRounds() << " kills of summit-statements: " << all.size()
            << " statements, " << published_total << " acknowledged publications all kept, "
            << published.size() << " published in all, each once in the feed\n";
}

}  // namespace
}  // namespace summit
