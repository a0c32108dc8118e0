// How long a publication takes to reach a live-feed watcher of another replica, against a
// watcher of the replica that published, in the same run: two summit-statements processes on
// one PostgreSQL database (as a deployment runs them), publications made one at a time through
// replica A, one WatchStatements call held open on A and one on B, both read by this process.
//
//   feed_latency_bench --database=postgres://summit@127.0.0.1:25432/feed
//   feed_latency_bench --database=… --publications=500 --pause=30ms --base_port=51300
//
// Not timed: the database gets the Statements migrations and publications + warmup press
// releases in STATE_APPROVED (approved_statements.h); both replicas are started on it
// (--listen on --base_port and the one after; admin ports 10 above) and the two watchers
// begin (resumed from position 0, so no Registry is asked, and their headers waited for).
// Timed, per publication: from just before PublishStatement is sent to A until each watcher
// has read the statement's KIND_PUBLISHED event. The next publication waits until both had it,
// then --pause more, so that no publication queues behind another. The first --warmup are left
// out. Also per publication: how much later B's watcher had it than A's (what crossing replicas
// adds, the disk's flush left out). Every call's status is checked; a publication that a watcher never gets (within 60 s)
// fails the run.
//
// The feed hub polls at its default (1 s), as in production: across replicas, a publication
// that only the poll found would take 0–1 s; one notified (LISTEN/NOTIFY) takes about what it
// takes on one replica.
//
// Prints a readable table, then one JSON line.
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/approved_statements.h"
#include "common/auth/authenticator.h"
#include "common/auth/jwt.h"
#include "common/status/macros.h"
#include "grpcpp/grpcpp.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/serving_process.h"

ABSL_FLAG(std::string, database, "", "the PostgreSQL database both replicas share (required)");
ABSL_FLAG(int, publications, 300, "publications timed");
ABSL_FLAG(int, warmup, 20, "publications before them, not timed");
ABSL_FLAG(absl::Duration, pause, absl::Milliseconds(20),
          "wait after a publication reached both watchers, before the next");
ABSL_FLAG(int, base_port, 51300, "replica A listens here, B on the next port; admin ports +10");
ABSL_FLAG(std::string, statements_binary, "",
          "summit-statements to run (default: ../services/statements/summit-statements next to "
          "this binary)");

namespace summit::bench {
namespace {

namespace v1 = ::summit::statements::v1;
using ::summit::testing::ServingProcess;

constexpr char kEventId[] = "feed-bench";
// A wait for a server or an event: a bound, not a measurement.
constexpr absl::Duration kPatience = absl::Seconds(60);

std::string DefaultStatementsBinary() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "services/statements/summit-statements";
  return (self.parent_path() / ".." / "services" / "statements" / "summit-statements")
      .lexically_normal()
      .string();
}

// A watcher of the feed read on a thread of its own: when each statement's publication came.
// A watch the server ends (its connections have a maximum age; a client resumes) is resumed
// with the last resume token, as clients do, a bounded number of times.
class TimedWatcher {
 public:
  TimedWatcher(v1::StatementsService::Stub& stub, const std::string& token)
      : stub_(stub), token_(token), thread_([this] { Run(); }) {}
  ~TimedWatcher() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
      if (context_ != nullptr) context_->TryCancel();
    }
    thread_.join();
  }

  bool WaitForStart() {
    absl::MutexLock lock(&mu_);
    const auto started = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return started_ || ended_; };
    mu_.AwaitWithTimeout(absl::Condition(&started), kPatience);
    return started_ && !ended_;
  }

  // How the watch ended, if it did.
  std::string End() {
    absl::MutexLock lock(&mu_);
    return end_;
  }

  // When the publication of `name` came; nullopt if it did not within kPatience.
  std::optional<absl::Time> WaitFor(const std::string& name) {
    absl::MutexLock lock(&mu_);
    const auto came = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return ended_ || arrivals_.count(name) > 0;
    };
    mu_.AwaitWithTimeout(absl::Condition(&came), kPatience);
    auto it = arrivals_.find(name);
    if (it == arrivals_.end()) return std::nullopt;
    return it->second;
  }

 private:
  static constexpr int kMaxResumes = 20;

  void Run() {
    std::string resume_token = "feed-0";  // everything, and no Registry asked
    grpc::Status status;
    for (int call = 0; call <= kMaxResumes; ++call) {
      auto context = std::make_unique<grpc::ClientContext>();
      context->AddMetadata("authorization", absl::StrCat("Bearer ", token_));
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) break;
        context_ = context.get();
      }
      v1::WatchStatementsRequest request;
      request.set_parent(absl::StrCat("events/", kEventId));
      request.set_resume_token(resume_token);
      std::unique_ptr<grpc::ClientReader<v1::StatementEvent>> reader =
          stub_.WatchStatements(context.get(), request);
      reader->WaitForInitialMetadata();
      {
        absl::MutexLock lock(&mu_);
        started_ = true;
      }
      v1::StatementEvent event;
      while (reader->Read(&event)) {
        const absl::Time now = absl::Now();
        resume_token = event.resume_token();
        if (event.kind() != v1::StatementEvent::KIND_PUBLISHED) continue;
        absl::MutexLock lock(&mu_);
        arrivals_.emplace(event.statement().name(), now);
      }
      status = reader->Finish();
      absl::MutexLock lock(&mu_);
      context_ = nullptr;
      ++resumed_;
      if (stopping_) break;
    }
    absl::MutexLock lock(&mu_);
    ended_ = true;
    end_ = absl::StrCat("the watch ended after ", resumed_, " calls: ", status.error_code(), " ",
                        status.error_message());
  }

  v1::StatementsService::Stub& stub_;
  const std::string token_;
  absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;  // the call under way
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  int resumed_ ABSL_GUARDED_BY(mu_) = 0;
  std::string end_ ABSL_GUARDED_BY(mu_) = "the watch still runs";
  std::map<std::string, absl::Time> arrivals_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: starts once the rest is ready
};

struct Summary {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

Summary Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double p) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  };
  return Summary{at(0.50), at(0.90), at(0.99), ms.back()};
}

absl::StatusOr<ServingProcess> StartReplica(const std::string& binary, int port,
                                            const std::string& database,
                                            const std::string& key_file) {
  return testing::StartServing(
      binary, {absl::StrCat("--listen=127.0.0.1:", port),
               absl::StrCat("--admin_listen=127.0.0.1:", port + 10),
               absl::StrCat("--database=", database), absl::StrCat("--auth_key_file=", key_file),
               // Nothing listens there; neither Publish nor a resumed watch asks.
               "--registry_address=127.0.0.1:9", "--scheduling_address=127.0.0.1:9",
               "--log_calls=false", "--shutdown_drain_delay=0s"},
      kPatience);
}

absl::Status Run(const std::string& dir) {
  const std::string database = absl::GetFlag(FLAGS_database);
  const int publications = absl::GetFlag(FLAGS_publications);
  const int warmup = absl::GetFlag(FLAGS_warmup);
  const int base_port = absl::GetFlag(FLAGS_base_port);
  const std::string binary = absl::GetFlag(FLAGS_statements_binary).empty()
                                 ? DefaultStatementsBinary()
                                 : absl::GetFlag(FLAGS_statements_binary);
  RETURN_IF_ERROR(SeedApproved(database, kEventId, warmup + publications));

  const std::string key_file = dir + "/key";
  {
    std::string key(48, '\0');
    std::ifstream random("/dev/urandom", std::ios::binary);
    random.read(key.data(), static_cast<std::streamsize>(key.size()));
    std::ofstream(key_file, std::ios::binary) << key;
  }
  ASSIGN_OR_RETURN(const std::string key, auth::ReadKeyFile(key_file));
  const std::string token = auth::MintToken({"people/bench-press-officer", auth::Role::kOrganizer},
                                            absl::Hours(1), key, absl::Now());

  ASSIGN_OR_RETURN(ServingProcess a, StartReplica(binary, base_port, database, key_file));
  ASSIGN_OR_RETURN(ServingProcess b, StartReplica(binary, base_port + 1, database, key_file));
  const auto stub = [](int port) {
    return v1::StatementsService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  };
  auto stub_a = stub(a.port), stub_b = stub(b.port);
  std::vector<double> same, across, publish, added;
  {
    TimedWatcher on_a(*stub_a, token), on_b(*stub_b, token);
    if (!on_a.WaitForStart() || !on_b.WaitForStart()) {
      return absl::UnavailableError("a watcher did not start");
    }
    for (int i = 0; i < warmup + publications; ++i) {
      const std::string name = ApprovedStatementName(kEventId, i);
      v1::PublishStatementRequest request;
      request.set_name(name);
      v1::Statement reply;
      grpc::ClientContext context;
      context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
      context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
      const absl::Time sent = absl::Now();
      const grpc::Status status = stub_a->PublishStatement(&context, request, &reply);
      const absl::Time published = absl::Now();
      if (!status.ok()) {
        return absl::InternalError(
            absl::StrCat("publishing ", name, ": ", status.error_code(), " ", status.error_message()));
      }
      const std::optional<absl::Time> at_a = on_a.WaitFor(name), at_b = on_b.WaitFor(name);
      if (!at_a.has_value() || !at_b.has_value()) {
        return absl::DeadlineExceededError(
            absl::StrCat(name, " never reached the watcher of replica ", at_a ? "B" : "A", " (",
                         (at_a ? on_b : on_a).End(), ")"));
      }
      if (i >= warmup) {
        publish.push_back(absl::ToDoubleMilliseconds(published - sent));
        same.push_back(absl::ToDoubleMilliseconds(*at_a - sent));
        across.push_back(absl::ToDoubleMilliseconds(*at_b - sent));
        added.push_back(absl::ToDoubleMilliseconds(*at_b - *at_a));
      }
      absl::SleepFor(absl::GetFlag(FLAGS_pause));
    }
  }
  for (ServingProcess* replica : {&a, &b}) {
    RETURN_IF_ERROR(replica->process->Signal(SIGTERM));
    ASSIGN_OR_RETURN(const int exit_code, replica->process->WaitForExit(kPatience));
    if (exit_code != 0) {
      return absl::InternalError(absl::StrCat("a replica exited with ", exit_code, ":\n",
                                              replica->process->AllStderr()));
    }
  }

  const Summary p = Summarize(publish), s = Summarize(same), x = Summarize(across),
                d = Summarize(added);
  std::printf("feed_latency_bench: %d publications through replica A (after %d not timed), "
              "one at a time, %s apart\n",
              publications, warmup, absl::FormatDuration(absl::GetFlag(FLAGS_pause)).c_str());
  std::printf("%-42s %9s %9s %9s %9s\n", "from sending PublishStatement until", "p50 ms",
              "p90 ms", "p99 ms", "max ms");
  std::printf("%-42s %9.2f %9.2f %9.2f %9.2f\n", "its answer (publish)", p.p50_ms, p.p90_ms,
              p.p99_ms, p.max_ms);
  std::printf("%-42s %9.2f %9.2f %9.2f %9.2f\n", "a watcher of A has it (same replica)",
              s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms);
  std::printf("%-42s %9.2f %9.2f %9.2f %9.2f\n", "a watcher of B has it (across replicas)",
              x.p50_ms, x.p90_ms, x.p99_ms, x.max_ms);
  std::printf("%-42s %9.2f %9.2f %9.2f %9.2f\n", "B's watcher after A's (what crossing adds)",
              d.p50_ms, d.p90_ms, d.p99_ms, d.max_ms);
  std::printf("across replicas p99 %.2f ms (target ≤ 50 ms: %s)\n", x.p99_ms,
              x.p99_ms <= 50 ? "met" : "missed");
  std::printf(
      "{\"publications\":%d,\"publish\":{\"p50_ms\":%.2f,\"p99_ms\":%.2f},"
      "\"same_replica\":{\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f},"
      "\"across_replicas\":{\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f},"
      "\"added_by_crossing\":{\"p50_ms\":%.2f,\"p99_ms\":%.2f}}\n",
      publications, p.p50_ms, p.p99_ms, s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms, x.p50_ms,
      x.p90_ms, x.p99_ms, x.max_ms, d.p50_ms, d.p99_ms);
  return absl::OkStatus();
}

}  // namespace
}  // namespace summit::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "feed_latency_bench: publication to live-feed watcher latency across two summit-statements "
      "replicas on one PostgreSQL database, against the replica that published");
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_database).empty() || absl::GetFlag(FLAGS_publications) < 1 ||
      absl::GetFlag(FLAGS_warmup) < 0) {
    std::fprintf(stderr, "--database is required; --publications ≥ 1, --warmup ≥ 0\n");
    return 2;
  }
  std::string pattern = std::string(getenv("TMPDIR") != nullptr ? getenv("TMPDIR") : "/tmp") +
                        "/feed-latency-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const absl::Status status = summit::bench::Run(pattern);
  std::error_code ignored;
  std::filesystem::remove_all(pattern, ignored);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
