// A closed-loop gRPC load generator for Summit's benchmarks: keeps
// --in_flight unary calls outstanding (spread over --channels connections)
// against one server for --duration, after a --warmup, and prints one JSON
// line: calls per second, latency percentiles and the count of every
// non-OK gRPC status (checked per call, not assumed).
//
// The same serialized requests go to Summit and to the echo baseline, so the
// two differ only in what the server does.
//
//   rpc_load --target=127.0.0.1:50051 --scenario=get_person --in_flight=256
//   rpc_load --target=127.0.0.1:50051 --seed_people=1000 --token=…   # fill the registry
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/config/flags.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "server to load");
ABSL_FLAG(std::string, scenario, "get_person", "get_person, search_people or create_person");
ABSL_FLAG(int, in_flight, 4, "calls kept outstanding");
ABSL_FLAG(int, channels, 4, "separate connections to spread them over");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "measured time");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "unmeasured time first");
ABSL_FLAG(int, people, 1000, "people ids the scenarios rotate over (bench-person-0…)");
ABSL_FLAG(int, seed_people, 0, "instead of loading: create this many people, then exit");
ABSL_FLAG(std::string, token, "", "bearer token (needed by --seed_people)");
ABSL_FLAG(std::string, tokens_file, "",
          "instead of --token: a file of bearer tokens, one a line, that the calls take in turn "
          "(many callers, e.g. to fill a server's cache of verified tokens)");
ABSL_FLAG(std::string, label, "", "a name for this run, echoed in the output");

namespace {

namespace v1 = summit::registry::v1;

// Surnames from the seed article and common Ukrainian and English ones, so
// that search has realistic collisions and prefixes.
const char* const kSurnames[] = {
    "Zelensky", "Umerov",  "Yermak",    "Stefanchuk", "Kamyshin", "Tochytskyi", "Arakhamia",
    "Markarova", "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Oliynyk",
    "Smith",    "Johnson", "Williams",  "Brown",      "Miller",   "Davis",      "Wilson"};
const char* const kGivenNames[] = {"Olena", "Andriy", "Mykola", "Oksana", "Ruslan",
                                   "John",  "Mary",   "James",  "Linda",  "Robert"};
const char* const kQueries[] = {"zelensk", "Kovalenko", "Шевченко", "umerov", "smith",
                                "Tkachenk", "brown",    "Yermak",   "Oliinyk", "john"};

std::string PersonId(int i) { return absl::StrCat("bench-person-", i); }

grpc::ByteBuffer Serialize(const google::protobuf::Message& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

// The i-th benchmark person, to be created as people/{id} (empty: an id the
// server picks).
v1::CreatePersonRequest CreatePersonRequest(int i, const std::string& id) {
  v1::CreatePersonRequest request;
  request.set_person_id(id);
  v1::Person* person = request.mutable_person();
  person->set_display_name(absl::StrCat(kGivenNames[i % 10], " ", kSurnames[(i / 10) % 21]));
  person->set_title("Delegate");
  person->set_country(i % 2 == 0 ? "UA" : "US");
  person->add_languages("en");
  person->set_email(absl::StrCat("person", i, "@example.org"));
  return request;
}

int SeedPeople(int count) {
  auto stub = v1::RegistryService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  int failures = 0;
  for (int i = 0; i < count; ++i) {
    v1::CreatePersonRequest request = CreatePersonRequest(i, PersonId(i));
    request.set_request_id(absl::StrCat("bench-seed-", i));
    grpc::ClientContext context;
    context.set_wait_for_ready(true);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    context.AddMetadata("authorization", "Bearer " + absl::GetFlag(FLAGS_token));
    v1::Person created;
    grpc::Status status = stub->CreatePerson(&context, request, &created);
    if (!status.ok() && status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      if (++failures <= 3) std::fprintf(stderr, "seed: %s\n", status.error_message().c_str());
    }
  }
  std::printf("{\"seeded\":%d,\"failures\":%d}\n", count, failures);
  return failures == 0 ? 0 : 1;
}

// The closed loop: each of the in-flight slots issues its next call from the
// completion of the previous one, until the deadline.
class LoadRun {
 public:
  // `authorizations`: the `authorization` values the calls take in turn;
  // none, no header.
  LoadRun(std::vector<std::unique_ptr<grpc::GenericStub>>& stubs, std::string method,
          std::vector<grpc::ByteBuffer> requests, std::vector<std::string> authorizations)
      : stubs_(stubs),
        method_(std::move(method)),
        requests_(std::move(requests)),
        authorizations_(std::move(authorizations)) {}

  void Run(int in_flight, absl::Duration warmup, absl::Duration duration) {
    measure_from_ = absl::Now() + warmup;
    stop_at_ = measure_from_ + duration;
    {
      std::lock_guard<std::mutex> lock(mu_);
      active_ = in_flight;
    }
    for (int slot = 0; slot < in_flight; ++slot) Issue(slot, slot);
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return active_ == 0; });
  }

  void Print(int in_flight, absl::Duration duration) {
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto percentile = [&](double p) -> double {
      if (latencies_us_.empty()) return 0;
      return latencies_us_[std::min(latencies_us_.size() - 1,
                                    static_cast<size_t>(p * latencies_us_.size()))];
    };
    std::vector<std::string> errors;
    for (const auto& [code, count] : errors_) errors.push_back(absl::StrCat("\"", code, "\":", count));
    std::printf(
        "{\"label\":\"%s\",\"in_flight\":%d,\"calls\":%zu,\"qps\":%.0f,\"p50_us\":%.0f,"
        "\"p90_us\":%.0f,\"p99_us\":%.0f,\"reply_bytes\":%.0f,\"errors\":{%s}}\n",
        absl::GetFlag(FLAGS_label).c_str(), in_flight, latencies_us_.size(),
        latencies_us_.size() / absl::ToDoubleSeconds(duration), percentile(0.5), percentile(0.9),
        percentile(0.99),
        latencies_us_.empty() ? 0.0 : static_cast<double>(reply_bytes_) / latencies_us_.size(),
        absl::StrJoin(errors, ",").c_str());
  }

 private:
  struct Call {
    grpc::ClientContext context;
    grpc::ByteBuffer response;
    absl::Time start;
  };

  void Issue(int slot, uint64_t sequence) {
    const absl::Time now = absl::Now();
    if (now >= stop_at_) {
      std::lock_guard<std::mutex> lock(mu_);
      if (--active_ == 0) done_.notify_all();
      return;
    }
    auto* call = new Call();
    call->start = now;
    call->context.set_deadline(absl::ToChronoTime(now + absl::Seconds(10)));
    if (!authorizations_.empty()) {
      call->context.AddMetadata(
          "authorization", authorizations_[next_authorization_++ % authorizations_.size()]);
    }
    const grpc::ByteBuffer& request = requests_[sequence % requests_.size()];
    stubs_[slot % stubs_.size()]->UnaryCall(
        &call->context, method_, grpc::StubOptions(), &request, &call->response,
        [this, call, slot, sequence](grpc::Status status) {
          const absl::Time end = absl::Now();
          if (call->start >= measure_from_ && end <= stop_at_) {
            std::lock_guard<std::mutex> lock(mu_);
            if (status.ok()) {
              latencies_us_.push_back(absl::ToDoubleMicroseconds(end - call->start));
              reply_bytes_ += call->response.Length();
            } else {
              ++errors_[absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()))];
            }
          }
          delete call;
          Issue(slot, sequence + 7919);  // a prime stride walks all requests
        });
  }

  std::vector<std::unique_ptr<grpc::GenericStub>>& stubs_;
  const std::string method_;
  const std::vector<grpc::ByteBuffer> requests_;
  const std::vector<std::string> authorizations_;
  std::atomic<uint64_t> next_authorization_{0};
  absl::Time measure_from_;
  absl::Time stop_at_;
  std::mutex mu_;
  std::condition_variable done_;
  int active_ = 0;
  std::vector<double> latencies_us_;
  std::map<std::string, int> errors_;
  uint64_t reply_bytes_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  summit::config::InitProcess(argc, argv, "rpc_load: closed-loop gRPC load for the benchmarks");
  if (absl::GetFlag(FLAGS_seed_people) > 0) return SeedPeople(absl::GetFlag(FLAGS_seed_people));

  std::string method;
  std::vector<grpc::ByteBuffer> requests;
  if (absl::GetFlag(FLAGS_scenario) == "get_person") {
    method = "/summit.registry.v1.RegistryService/GetPerson";
    for (int i = 0; i < absl::GetFlag(FLAGS_people); ++i) {
      v1::GetPersonRequest request;
      request.set_name("people/" + PersonId(i));
      requests.push_back(Serialize(request));
    }
  } else if (absl::GetFlag(FLAGS_scenario) == "search_people") {
    method = "/summit.registry.v1.RegistryService/SearchPeople";
    for (const char* query : kQueries) {
      v1::SearchPeopleRequest request;
      request.set_query(query);
      request.set_page_size(20);
      requests.push_back(Serialize(request));
    }
  } else if (absl::GetFlag(FLAGS_scenario) == "create_person") {
    // Every call a new row: ids picked by the server, no request id (a
    // rotated request id would answer from the first create instead).
    method = "/summit.registry.v1.RegistryService/CreatePerson";
    for (int i = 0; i < absl::GetFlag(FLAGS_people); ++i) {
      requests.push_back(Serialize(CreatePersonRequest(i, "")));
    }
  } else {
    std::fprintf(stderr, "unknown --scenario\n");
    return 1;
  }

  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < absl::GetFlag(FLAGS_channels); ++i) {
    grpc::ChannelArguments arguments;
    // A channel of its own per stub: otherwise channels to the same target
    // share one connection.
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    arguments.SetInt("summit.bench.channel", i);
    stubs.push_back(std::make_unique<grpc::GenericStub>(grpc::CreateCustomChannel(
        absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials(), arguments)));
  }
  std::vector<std::string> authorizations;
  if (!absl::GetFlag(FLAGS_tokens_file).empty()) {
    std::ifstream in(absl::GetFlag(FLAGS_tokens_file));
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) authorizations.push_back("Bearer " + line);
    }
    if (authorizations.empty()) {
      std::fprintf(stderr, "no tokens in --tokens_file\n");
      return 1;
    }
  } else if (!absl::GetFlag(FLAGS_token).empty()) {
    authorizations.push_back("Bearer " + absl::GetFlag(FLAGS_token));
  }
  LoadRun run(stubs, method, std::move(requests), std::move(authorizations));
  run.Run(absl::GetFlag(FLAGS_in_flight), absl::GetFlag(FLAGS_warmup), absl::GetFlag(FLAGS_duration));
  run.Print(absl::GetFlag(FLAGS_in_flight), absl::GetFlag(FLAGS_duration));
  return 0;
}
