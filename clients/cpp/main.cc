// Looks a person up in Summit's Registry with the generated stubs:
//   summit-client ADDRESS people/ID [TOKEN]
// Prints the person's name and title; exits 0 on success, 2 + the gRPC code
// on failure.
#include <iostream>

#include "grpcpp/grpcpp.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: summit-client ADDRESS people/ID [TOKEN]\n";
    return 1;
  }
  auto channel = grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials());
  auto registry = summit::registry::v1::RegistryService::NewStub(channel);

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (argc > 3) context.AddMetadata("authorization", std::string("Bearer ") + argv[3]);
  summit::registry::v1::GetPersonRequest request;
  request.set_name(argv[2]);
  summit::registry::v1::Person person;
  const grpc::Status status = registry->GetPerson(&context, request, &person);
  if (!status.ok()) {
    std::cerr << "GetPerson failed: " << status.error_message() << "\n";
    return 2 + status.error_code();
  }
  std::cout << person.display_name() << ", " << person.title() << "\n";
  return 0;
}
