// The baseline of Summit's RPC benchmarks: a plain gRPC server on the
// callback API that answers every unary call, whatever its method, with a
// fixed payload of --reply_bytes bytes. No interceptors, no auth, no
// storage: what gRPC itself costs on this machine.
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "common/config/flags.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"

ABSL_FLAG(int, reply_bytes, 300, "size of every reply");

namespace {

class EchoReactor final : public grpc::ServerGenericBidiReactor {
 public:
  explicit EchoReactor(const grpc::ByteBuffer* reply) : reply_(reply) { StartRead(&request_); }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    StartWriteAndFinish(reply_, grpc::WriteOptions(), grpc::Status::OK);
  }
  void OnDone() override { delete this; }

 private:
  const grpc::ByteBuffer* reply_;
  grpc::ByteBuffer request_;
};

class EchoService final : public grpc::CallbackGenericService {
 public:
  explicit EchoService(int reply_bytes) {
    grpc::Slice slice(std::string(reply_bytes, 'x'));
    reply_ = grpc::ByteBuffer(&slice, 1);
  }
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    return new EchoReactor(&reply_);
  }

 private:
  grpc::ByteBuffer reply_;
};

}  // namespace

int main(int argc, char** argv) {
  summit::config::InitProcess(argc, argv, "echo_server: the gRPC baseline of the benchmarks");
  EchoService service(absl::GetFlag(FLAGS_reply_bytes));
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  builder.RegisterCallbackGenericService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  std::cerr << "{\"message\":\"serving\",\"port\":" << port << "}" << std::endl;
  summit::config::WaitForTerminationSignal();
  server->Shutdown();
  return 0;
}
