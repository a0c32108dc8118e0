// The baseline of Summit's RPC benchmarks: a plain gRPC server on the
// callback API implementing the Registry's contract with canned answers —
// GetPerson returns one fixed person, CreatePerson the person it was sent —
// so that it runs exactly the same gRPC unary path and (de)serialization as
// summit-registry, and nothing else: no interceptor, no auth, no storage, no
// logging. --reply_bytes pads the person GetPerson answers to the size of the
// reply it is compared with (an organizer sees a person's contact details;
// the public does not).
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "common/config/flags.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"

ABSL_FLAG(int, reply_bytes, 0,
          "pad GetPerson's person to this many bytes (0 or fewer than it has: as it is)");

namespace {

namespace v1 = summit::registry::v1;

class CannedRegistry final : public v1::RegistryService::CallbackService {
 public:
  CannedRegistry() {
    // As large as the people the benchmark seeds into summit-registry.
    person_.set_name("people/bench-person-0");
    person_.set_display_name("Olena Zelensky");
    person_.set_title("Delegate");
    person_.set_country("UA");
    person_.add_languages("en");
    person_.set_etag("0123456789abcdef");
    person_.mutable_create_time()->set_seconds(1795819961);
    person_.mutable_update_time()->set_seconds(1795819961);
    PadTo(absl::GetFlag(FLAGS_reply_bytes));
  }

  grpc::ServerUnaryReactor* GetPerson(grpc::CallbackServerContext* context,
                                      const v1::GetPersonRequest* request,
                                      v1::Person* response) override {
    *response = person_;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  // The person sent, named and stamped, as a create answers: the baseline of
  // CreatePerson (bench/run-postgres-bench.sh).
  grpc::ServerUnaryReactor* CreatePerson(grpc::CallbackServerContext* context,
                                         const v1::CreatePersonRequest* request,
                                         v1::Person* response) override {
    *response = request->person();
    response->set_name(person_.name());
    response->set_etag(person_.etag());
    *response->mutable_create_time() = person_.create_time();
    *response->mutable_update_time() = person_.update_time();
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  // Grows the contact details (what an organizer's reply adds) until the
  // encoded person is `bytes` long; a length prefix that gains a byte on
  // the way can overshoot by one, so the loop settles on the closest fit.
  void PadTo(int bytes) {
    const size_t base = person_.ByteSizeLong();
    if (bytes <= static_cast<int>(base)) return;
    std::string filler;
    while (person_.ByteSizeLong() < static_cast<size_t>(bytes)) {
      filler.push_back('x');
      person_.set_email(filler + "@example.org");
    }
  }

  v1::Person person_;
};

}  // namespace

int main(int argc, char** argv) {
  summit::config::InitProcess(argc, argv, "echo_server: the gRPC baseline of the benchmarks");
  CannedRegistry service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  std::cerr << "{\"message\":\"serving\",\"port\":" << port << "}" << std::endl;
  summit::config::WaitForTerminationSignal();
  server->Shutdown();
  return 0;
}
