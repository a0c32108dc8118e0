// Publication throughput of Statements in three modes, in the same run: the real
// summit-statements process on a real SQLite file, called over real gRPC by --writers client
// threads that each publish their share of approved statements. The modes:
// - `alone`: one commit and one fsync per write (?group_commit=off), the first baseline;
// - `group`: group commit, durable (the default; what the service runs);
// - `no_flush`: group commit with synchronous=OFF (?synchronous=off): no commit waits for the
//   disk, so nothing is durable. The bound: what publishing costs without any flush.
// Targets: group ≥ 10× alone (the flush shared), and group ≥ 0.9× no_flush (the flush nearly
// free).
//
//   statements_publish_bench                      # 64 writers × 40 publications, 3 reps
//   statements_publish_bench --writers=16 --per_writer=100 --reps=5 --dir=/var/tmp
//
// Each repetition runs every mode, rotating which goes first so that drift hits all alike.
// Per mode and repetition, not timed: a fresh SQLite file under --dir with the Statements
// migrations and writers × per_writer statements inserted in STATE_APPROVED directly through
// StatementsStore (approved_statements.h); summit-statements started on it with
// --database=sqlite://…?<the mode's parameters> and its port read from its "serving" log line;
// the channels connected. Timed: from the moment every writer is released until the last
// publication returned. Then, not timed: the server is stopped and the file is read back — every statement must be PUBLISHED and the feed must hold
// exactly one entry per statement, or the run fails. Every call's gRPC status is checked; one
// failed call fails the run.
//
// Publish asks no peer for a statement without an embargo session, so the Registry and
// Scheduling addresses point at a port nothing listens on.
//
// --paths=grpc,in_process (the default) also runs the same publications in this process,
// straight into Statements::PublishStatement on the same kind of file, with no gRPC: what group
// commit gives when all the writers really reach the database at once. The target is the gRPC
// path's; the in-process one tells the storage layer's share from the server's.
//
// Prints a readable table, then one JSON line with the medians.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
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
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/approved_statements.h"
#include "common/auth/authenticator.h"
#include "common/auth/jwt.h"
#include "common/status/macros.h"
#include "common/storage/database.h"
#include "grpcpp/grpcpp.h"
#include "services/statements/feed_hub.h"
#include "services/statements/statement_peers.h"
#include "services/statements/statements.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/child_process.h"

ABSL_FLAG(int, writers, 64, "client threads publishing at once");
ABSL_FLAG(int, per_writer, 40, "publications per writer per mode and repetition");
ABSL_FLAG(int, reps, 3, "repetitions of both modes; medians are reported");
ABSL_FLAG(int, channels, 4, "gRPC connections the writers share (round robin)");
ABSL_FLAG(std::string, dir, "",
          "folder for the throwaway databases, on the disk to measure (default: $TMPDIR or /tmp)");
ABSL_FLAG(std::string, modes, "alone,group,no_flush",
          "how to commit: alone (one fsync per write), group (group commit, durable), no_flush "
          "(group commit, synchronous=OFF)");
ABSL_FLAG(std::string, postgres, "",
          "a PostgreSQL database (postgres://…) to publish into instead of SQLite files: modes "
          "group (synchronous_commit=on, the server's group commit) and no_flush "
          "(synchronous_commit=off for Summit's connections); each run its own event");
ABSL_FLAG(std::string, paths, "grpc,in_process",
          "how to publish: grpc (to summit-statements) and/or in_process (Statements directly)");
ABSL_FLAG(std::string, statements_binary, "",
          "summit-statements to run (default: ../services/statements/summit-statements next to "
          "this binary)");

namespace summit::bench {
namespace {

namespace v1 = ::summit::statements::v1;
using ::summit::testing::ChildProcess;

constexpr char kEventId[] = "bench-2023";
// A wait for the server to start, stop or answer: a bound, not a measurement.
constexpr absl::Duration kPatience = absl::Seconds(60);

// Where one run publishes: a database and the event whose approved statements it publishes.
struct Target {
  std::string url;
  std::string event_id;
};

std::string DefaultStatementsBinary() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "services/statements/summit-statements";
  return (self.parent_path() / ".." / "services" / "statements" / "summit-statements")
      .lexically_normal()
      .string();
}

// Reads the run's event back: every statement published, the feed one entry per statement.
absl::Status VerifyPublished(const Target& target, int count) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> database,
                   storage::Database::Open(target.url));
  return database->Read([&](storage::Transaction& tx) -> absl::Status {
    const std::string& event = target.event_id;
    ASSIGN_OR_RETURN(std::vector<storage::Row> statements,
                     tx.Query("SELECT COUNT(*) FROM statements WHERE event_id = ?", {event}));
    ASSIGN_OR_RETURN(std::vector<storage::Row> published,
                     tx.Query("SELECT COUNT(*) FROM statements WHERE event_id = ? AND state = ? "
                              "AND public_visible = 1",
                              {event, int64_t{v1::Statement::STATE_PUBLISHED}}));
    ASSIGN_OR_RETURN(std::vector<storage::Row> feed,
                     tx.Query("SELECT COUNT(*), COUNT(DISTINCT statement_id) FROM statement_feed "
                              "WHERE event_id = ?",
                              {event}));
    const int64_t total = statements[0].Int(0), public_published = published[0].Int(0),
                  entries = feed[0].Int(0), distinct = feed[0].Int(1);
    if (total != count || public_published != count || entries != count || distinct != count) {
      return absl::DataLossError(absl::StrCat(
          "expected ", count, " statements, all published and public, and as many feed entries; "
          "found ", total, " statements, ", public_published, " published and public, ", entries,
          " feed entries for ", distinct, " statements"));
    }
    return absl::OkStatus();
  });
}

struct ModeResult {
  double publications_per_second = 0;
  double p50_us = 0, p99_us = 0, max_us = 0;
};

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()));
  return sorted[index];
}

// Publishes statement `i` as writer `w`; returns "" or what went wrong.
using PublishOne = std::function<std::string(int w, int i)>;

// Releases every writer at once, each publishing its share one call after another, and times
// them from the release until the last one returned.
absl::StatusOr<ModeResult> TimeWriters(const PublishOne& publish) {
  const int writers = absl::GetFlag(FLAGS_writers);
  const int per_writer = absl::GetFlag(FLAGS_per_writer);
  std::vector<std::vector<double>> latencies(writers);
  std::vector<std::string> errors(writers);
  absl::Barrier* start = new absl::Barrier(writers + 1);  // the last to pass deletes it
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      latencies[w].reserve(per_writer);
      if (start->Block()) delete start;
      for (int j = 0; j < per_writer; ++j) {
        const absl::Time sent = absl::Now();
        errors[w] = publish(w, w * per_writer + j);
        latencies[w].push_back(absl::ToDoubleMicroseconds(absl::Now() - sent));
        if (!errors[w].empty()) return;
      }
    });
  }
  const absl::Time began = absl::Now();
  if (start->Block()) delete start;
  for (std::thread& thread : threads) thread.join();
  const absl::Duration elapsed = absl::Now() - began;
  for (const std::string& error : errors) {
    if (!error.empty()) return absl::InternalError(absl::StrCat("a publication failed: ", error));
  }
  std::vector<double> all;
  for (const std::vector<double>& mine : latencies) all.insert(all.end(), mine.begin(), mine.end());
  std::sort(all.begin(), all.end());
  ModeResult result;
  result.publications_per_second = all.size() / absl::ToDoubleSeconds(elapsed);
  result.p50_us = Percentile(all, 0.50);
  result.p99_us = Percentile(all, 0.99);
  result.max_us = all.back();
  return result;
}

// How the database commits: the modes compared.
enum class Mode { kAlone, kGroup, kNoFlush };
constexpr Mode kModes[] = {Mode::kAlone, Mode::kGroup, Mode::kNoFlush};

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kAlone:
      return "alone";
    case Mode::kGroup:
      return "group";
    case Mode::kNoFlush:
      return "no_flush";
  }
  return "?";
}

// The URL of a SQLite file at `path`, or of the --postgres database, committing as `mode` says.
// On PostgreSQL every commit is the server's (its WAL flushes are shared by whoever commits at
// once: group commit is always on), so `alone` is not a mode there; no_flush sets
// synchronous_commit=off for Summit's sessions (libpq's `options`).
std::string DatabaseUrl(const std::string& path, Mode mode) {
  const std::string postgres = absl::GetFlag(FLAGS_postgres);
  if (!postgres.empty()) {
    if (mode != Mode::kNoFlush) return postgres;
    return absl::StrCat(postgres, absl::StrContains(postgres, '?') ? "&" : "?",
                        "options=-c%20synchronous_commit%3Doff");
  }
  switch (mode) {
    case Mode::kAlone:
      return absl::StrCat("sqlite://", path, "?group_commit=off");
    case Mode::kGroup:
      return absl::StrCat("sqlite://", path, "?group_commit=on");
    case Mode::kNoFlush:
      return absl::StrCat("sqlite://", path, "?group_commit=on&synchronous=off");
  }
  return "";
}

// The writers call summit-statements, started on the target, over gRPC.
absl::StatusOr<ModeResult> PublishOverGrpc(const Target& target,
                                           const std::string& binary, const std::string& key_file,
                                           const std::string& token) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<ChildProcess> server,
      ChildProcess::Start(binary, {"--listen=127.0.0.1:0", "--admin_listen=127.0.0.1:0",
                                   absl::StrCat("--database=", target.url),
                                   absl::StrCat("--auth_key_file=", key_file),
                                   // Nothing listens there; Publish does not ask.
                                   "--registry_address=127.0.0.1:9",
                                   "--scheduling_address=127.0.0.1:9",
                                   "--shutdown_drain_delay=0s"}));
  const std::optional<std::string> serving = server->WaitForStderrLine(
      [](absl::string_view line) { return absl::StrContains(line, "\"message\":\"serving\""); },
      kPatience);
  int port = 0;
  const size_t at = serving.has_value() ? serving->find("\"port\":") : std::string::npos;
  if (at == std::string::npos ||
      !absl::SimpleAtoi(serving->substr(at + 7, serving->find_first_not_of("0123456789", at + 7) -
                                                    (at + 7)),
                        &port)) {
    return absl::UnavailableError(
        absl::StrCat(binary, " logged no \"serving\" line with a port:\n", server->AllStderr()));
  }

  std::vector<std::unique_ptr<v1::StatementsService::Stub>> stubs;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_channels)); ++i) {
    grpc::ChannelArguments arguments;
    // A connection of its own per channel: otherwise channels to one target share one.
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    arguments.SetInt("summit.bench.channel", i);
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials(), arguments);
    if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + kPatience))) {
      return absl::UnavailableError("cannot connect to summit-statements");
    }
    stubs.push_back(v1::StatementsService::NewStub(channel));
  }

  absl::StatusOr<ModeResult> result = TimeWriters([&](int w, int i) -> std::string {
    v1::PublishStatementRequest request;
    request.set_name(ApprovedStatementName(target.event_id, i));
    v1::Statement reply;
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    const grpc::Status status = stubs[w % stubs.size()]->PublishStatement(&context, request, &reply);
    if (status.ok() && reply.state() == v1::Statement::STATE_PUBLISHED) return "";
    return absl::StrCat(request.name(), ": code ", status.error_code(), " ",
                        status.error_message(), " state ", reply.state());
  });
  stubs.clear();
  RETURN_IF_ERROR(server->Signal(SIGTERM));
  ASSIGN_OR_RETURN(const int exit_code, server->WaitForExit(kPatience));
  if (exit_code != 0) {
    return absl::InternalError(absl::StrCat("summit-statements exited with ", exit_code, ":\n",
                                            server->AllStderr()));
  }
  return result;
}

// The writers call Statements::PublishStatement in this process, on the database at `path`.
absl::StatusOr<ModeResult> PublishInProcess(const Target& target) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> database,
                   storage::Database::Open(target.url));
  // Nothing listens there; Publish does not ask.
  statements::StatementPeers peers(
      grpc::CreateChannel("127.0.0.1:9", grpc::InsecureChannelCredentials()),
      grpc::CreateChannel("127.0.0.1:9", grpc::InsecureChannelCredentials()));
  statements::FeedHub feed;
  statements::Statements domain(*database, peers, feed);
  const statements::Caller organizer{
      {"people/bench-press-officer", auth::Role::kOrganizer},
      [] { return std::make_unique<grpc::ClientContext>(); }};
  return TimeWriters([&](int, int i) -> std::string {
    v1::PublishStatementRequest request;
    request.set_name(ApprovedStatementName(target.event_id, i));
    absl::StatusOr<v1::Statement> published = domain.PublishStatement(organizer, request);
    if (published.ok() && published->state() == v1::Statement::STATE_PUBLISHED) return "";
    return absl::StrCat(request.name(), ": ", published.status().ToString());
  });
}

// One path, one mode, one repetition: seed a fresh file (on PostgreSQL: an event of its own),
// publish everything, verify it, remove the file.
absl::StatusOr<ModeResult> RunMode(const std::string& dir, const std::string& path_kind,
                                   Mode mode, int rep, const std::string& binary,
                                   const std::string& key_file, const std::string& token) {
  const int count = absl::GetFlag(FLAGS_writers) * absl::GetFlag(FLAGS_per_writer);
  const std::string run = absl::StrCat(path_kind, "-", ModeName(mode), "-", rep);
  const std::string path = absl::StrCat(dir, "/statements-", run, ".db");
  const bool postgres = !absl::GetFlag(FLAGS_postgres).empty();
  const Target target{DatabaseUrl(path, mode),
                      postgres ? absl::StrCat(kEventId, "-", path_kind == "grpc" ? "g" : "p",
                                              std::string(1, ModeName(mode)[0]), rep)
                               : std::string(kEventId)};
  RETURN_IF_ERROR(SeedApproved(target.url, target.event_id, count));
  absl::StatusOr<ModeResult> result = path_kind == "grpc"
                                          ? PublishOverGrpc(target, binary, key_file, token)
                                          : PublishInProcess(target);
  if (result.ok()) RETURN_IF_ERROR(VerifyPublished(target, count));
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ignored;
    std::filesystem::remove(path + suffix, ignored);
  }
  return result;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

ModeResult Medians(const std::vector<ModeResult>& runs) {
  std::vector<double> qps, p50, p99, max;
  for (const ModeResult& r : runs) {
    qps.push_back(r.publications_per_second);
    p50.push_back(r.p50_us);
    p99.push_back(r.p99_us);
    max.push_back(r.max_us);
  }
  return ModeResult{Median(qps), Median(p50), Median(p99), Median(max)};
}

int Main() {
  const int writers = absl::GetFlag(FLAGS_writers);
  const int per_writer = absl::GetFlag(FLAGS_per_writer);
  const int reps = std::max(1, absl::GetFlag(FLAGS_reps));
  if (writers < 1 || per_writer < 1) {
    std::fprintf(stderr, "--writers and --per_writer must be positive\n");
    return 2;
  }
  const std::vector<std::string> paths =
      absl::StrSplit(absl::GetFlag(FLAGS_paths), ',', absl::SkipEmpty());
  for (const std::string& path : paths) {
    if (path != "grpc" && path != "in_process") {
      std::fprintf(stderr, "--paths: grpc and/or in_process, not %s\n", path.c_str());
      return 2;
    }
  }
  const std::string binary = absl::GetFlag(FLAGS_statements_binary).empty()
                                 ? DefaultStatementsBinary()
                                 : absl::GetFlag(FLAGS_statements_binary);
  if (std::find(paths.begin(), paths.end(), "grpc") != paths.end() &&
      !std::filesystem::exists(binary)) {
    std::fprintf(stderr, "no summit-statements at %s (--statements_binary)\n", binary.c_str());
    return 2;
  }
  std::string parent = absl::GetFlag(FLAGS_dir);
  if (parent.empty()) parent = getenv("TMPDIR") != nullptr ? getenv("TMPDIR") : "/tmp";
  std::string pattern = parent + "/statements-publish-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string dir = pattern;
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } remove_dir{dir};

  // A random key as the server will read it, and an organizer's token signed with it.
  const std::string key_file = dir + "/key";
  {
    std::string key(48, '\0');
    std::ifstream random("/dev/urandom", std::ios::binary);
    random.read(key.data(), static_cast<std::streamsize>(key.size()));
    std::ofstream(key_file, std::ios::binary) << key;
  }
  absl::StatusOr<std::string> key = auth::ReadKeyFile(key_file);
  if (!key.ok()) {
    std::fprintf(stderr, "key: %s\n", key.status().ToString().c_str());
    return 1;
  }
  const std::string token = auth::MintToken({"people/bench-press-officer", auth::Role::kOrganizer},
                                            absl::Hours(1), *key, absl::Now());

  std::vector<Mode> modes;
  for (absl::string_view name : absl::StrSplit(absl::GetFlag(FLAGS_modes), ',', absl::SkipEmpty())) {
    const Mode* mode = std::find_if(std::begin(kModes), std::end(kModes),
                                    [&](Mode m) { return name == ModeName(m); });
    if (mode == std::end(kModes)) {
      std::fprintf(stderr, "--modes: alone, group and/or no_flush, not %s\n",
                   std::string(name).c_str());
      return 2;
    }
    modes.push_back(*mode);
  }
  if (modes.empty()) {
    std::fprintf(stderr, "--modes: at least one\n");
    return 2;
  }
  if (!absl::GetFlag(FLAGS_postgres).empty() &&
      std::find(modes.begin(), modes.end(), Mode::kAlone) != modes.end()) {
    std::fprintf(stderr, "--modes: PostgreSQL always shares its flushes; alone is SQLite's\n");
    return 2;
  }

  std::printf("statements_publish_bench: %d writers × %d publications per mode, %d reps, %s\n",
              writers, per_writer, reps, dir.c_str());
  std::printf("%-4s %-11s %-9s %10s %10s %10s %10s\n", "rep", "path", "mode", "publ/s",
              "p50 µs", "p99 µs", "max µs");
  std::map<std::pair<std::string, Mode>, std::vector<ModeResult>> runs;
  for (int rep = 0; rep < reps; ++rep) {
    for (const std::string& path : paths) {
      // Rotate which mode goes first.
      for (size_t k = 0; k < modes.size(); ++k) {
        const Mode mode = modes[(k + rep) % modes.size()];
        absl::StatusOr<ModeResult> result =
            RunMode(dir, path, mode, rep, binary, key_file, token);
        if (!result.ok()) {
          std::fprintf(stderr, "%s %s rep %d: %s\n", path.c_str(), ModeName(mode), rep,
                       result.status().ToString().c_str());
          return 1;
        }
        std::printf("%-4d %-11s %-9s %10.0f %10.0f %10.0f %10.0f\n", rep, path.c_str(),
                    ModeName(mode), result->publications_per_second, result->p50_us,
                    result->p99_us, result->max_us);
        std::fflush(stdout);
        runs[{path, mode}].push_back(*result);
      }
    }
  }
  std::printf("every run verified: %d statements published, %d feed entries\n",
              writers * per_writer, writers * per_writer);
  std::string json = absl::StrFormat("{\"writers\":%d,\"per_writer\":%d,\"reps\":%d", writers,
                                     per_writer, reps);
  const auto has = [&](Mode mode) {
    return std::find(modes.begin(), modes.end(), mode) != modes.end();
  };
  for (const std::string& path : paths) {
    std::string line = absl::StrFormat("median %-11s", path);
    absl::StrAppendFormat(&json, ",\"%s\":{", path);
    for (size_t k = 0; k < modes.size(); ++k) {
      const ModeResult m = Medians(runs[{path, modes[k]}]);
      absl::StrAppendFormat(&line, " | %s %.0f publ/s (p50 %.0f µs, p99 %.0f µs)",
                            ModeName(modes[k]), m.publications_per_second, m.p50_us, m.p99_us);
      absl::StrAppendFormat(&json, "%s\"%s\":{\"qps\":%.1f,\"p50_us\":%.0f,\"p99_us\":%.0f}",
                            k == 0 ? "" : ",", ModeName(modes[k]), m.publications_per_second,
                            m.p50_us, m.p99_us);
    }
    const bool grpc = path == "grpc";
    const double group = has(Mode::kGroup) ? Medians(runs[{path, Mode::kGroup}]).publications_per_second : 0;
    if (has(Mode::kGroup) && has(Mode::kAlone)) {
      const double ratio = group / Medians(runs[{path, Mode::kAlone}]).publications_per_second;
      absl::StrAppendFormat(&line, " | group/alone %.2f×%s", ratio,
                            grpc ? (ratio >= 10 ? " (target ≥ 10×: met)" : " (target ≥ 10×: missed)")
                                 : "");
      absl::StrAppendFormat(&json, ",\"group_over_alone\":%.2f", ratio);
    }
    if (has(Mode::kGroup) && has(Mode::kNoFlush)) {
      const double ratio = group / Medians(runs[{path, Mode::kNoFlush}]).publications_per_second;
      absl::StrAppendFormat(&line, " | group/no_flush %.2f×%s", ratio,
                            grpc ? (ratio >= 0.9 ? " (target ≥ 0.9×: met)"
                                                 : " (target ≥ 0.9×: missed)")
                                 : "");
      absl::StrAppendFormat(&json, ",\"group_over_no_flush\":%.2f", ratio);
    }
    absl::StrAppend(&json, "}");
    std::printf("%s\n", line.c_str());
  }
  std::printf("%s,\"verified\":true}\n", json.c_str());
  return 0;
}

}  // namespace
}  // namespace summit::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "statements_publish_bench: Statements publication throughput, group commit vs one fsync "
      "per write vs no flush at all, over gRPC against summit-statements (and in process, for "
      "comparison)");
  absl::ParseCommandLine(argc, argv);
  return summit::bench::Main();
}
