// summit_grpc_probe: what the kubelet's native gRPC probe does, as a command,
// so tests can check a manifest's probes against real servers. One
// grpc.health.v1.Health/Check of SERVICE at ADDRESS, over plaintext, within
// TIMEOUT seconds (the probe's timeoutSeconds); exit 0 when SERVING, else 1
// with the status or the error on standard error, as the kubelet reports it.
//
//   summit_grpc_probe 127.0.0.1:50051 summit.registry.v1.RegistryService 2
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: %s ADDRESS SERVICE [TIMEOUT_SECONDS]\n", argv[0]);
    return 2;
  }
  const std::string address = argv[1];
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(argv[2]);
  const int timeout_seconds = argc == 4 ? std::atoi(argv[3]) : 1;

  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_seconds));
  // Like the kubelet: a server still starting (connection refused) fails
  // this check, it is not waited for.
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "%s %s: rpc error: code = %d desc = %s\n", address.c_str(),
                 request.service().c_str(), status.error_code(), status.error_message().c_str());
    return 1;
  }
  if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    std::fprintf(stderr, "%s %s: service unhealthy (responded with \"%s\")\n", address.c_str(),
                 request.service().c_str(),
                 grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
    return 1;
  }
  return 0;
}
