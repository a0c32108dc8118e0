// ContractReflection::Answer, request bytes in and response bytes out, against the embedded
// contract. The stream around it is tested against the running gateway
// (tests/gateway_e2e_test.cc, ReflectionOnTheGatewayListsAndDescribesEveryService).
#include "gateway/contract_reflection.h"

#include <memory>
#include <string>
#include <vector>

#include "gateway/contract.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"

namespace summit::gateway {
namespace {

using ::google::protobuf::UnknownFieldSet;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::vector<std::string> kServices = {
    "summit.registry.v1.RegistryService", "summit.scheduling.v1.SchedulingService",
    "summit.statements.v1.StatementsService", "summit.gateway.v1.GatewayService"};

std::string Request(int field, const std::string& value) {
  UnknownFieldSet request;
  request.AddLengthDelimited(field, value);
  std::string bytes;
  request.SerializeToString(&bytes);
  return bytes;
}

// The length-delimited values of field `number`.
std::vector<std::string> Values(const std::string& bytes, int number) {
  std::vector<std::string> values;
  UnknownFieldSet fields;
  EXPECT_TRUE(fields.ParseFromString(bytes));
  for (int i = 0; i < fields.field_count(); ++i) {
    if (fields.field(i).number() == number &&
        fields.field(i).type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      values.push_back(fields.field(i).length_delimited());
    }
  }
  return values;
}

std::vector<std::string> FileNames(const std::string& response) {
  std::vector<std::string> names;
  for (const std::string& files : Values(response, 4)) {
    for (const std::string& file : Values(files, 1)) {
      google::protobuf::FileDescriptorProto proto;
      EXPECT_TRUE(proto.ParseFromString(file));
      names.push_back(proto.name());
    }
  }
  return names;
}

class ContractReflectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Contract>> loaded = Contract::Load(kServices);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    contract_ = *std::move(loaded);
    reflection_ = std::make_unique<ContractReflection>(contract_->pool(), kServices);
  }

  std::unique_ptr<Contract> contract_;
  std::unique_ptr<ContractReflection> reflection_;
  std::vector<std::string> sent_;
};

TEST_F(ContractReflectionTest, ListsEveryServiceWithHealthAndReflection) {
  const std::string response = reflection_->Answer(Request(7, ""), sent_);
  std::vector<std::string> names;
  for (const std::string& list : Values(response, 6)) {
    for (const std::string& service : Values(list, 1)) {
      for (const std::string& name : Values(service, 1)) names.push_back(name);
    }
  }
  EXPECT_THAT(names, ElementsAre(kServices[0], kServices[1], kServices[2], kServices[3],
                                 "grpc.health.v1.Health",
                                 "grpc.reflection.v1alpha.ServerReflection"));
  // The response repeats the request, as the protocol asks.
  EXPECT_THAT(Values(response, 2), ElementsAre(Request(7, "")));
}

TEST_F(ContractReflectionTest, ASymbolsFileComesWithItsImportsEachOnceAStream) {
  const std::vector<std::string> first =
      FileNames(reflection_->Answer(Request(4, "summit.registry.v1.RegistryService"), sent_));
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.front(), "summit/registry/v1/registry_service.proto");
  EXPECT_THAT(first, Contains("summit/registry/v1/resources.proto"));
  EXPECT_THAT(first, Contains("google/api/annotations.proto"));
  // A method of the same file, later on the stream: nothing new to send.
  EXPECT_THAT(FileNames(reflection_->Answer(
                  Request(4, "summit.registry.v1.RegistryService.GetPerson"), sent_)),
              IsEmpty());
  // The same file by name on a new stream: sent again.
  std::vector<std::string> fresh;
  EXPECT_THAT(FileNames(reflection_->Answer(
                  Request(3, "summit/registry/v1/registry_service.proto"), fresh)),
              Contains("summit/registry/v1/registry_service.proto"));
}

TEST_F(ContractReflectionTest, WhatTheContractLacksIsNotFound) {
  for (const std::string& request :
       {Request(4, "summit.nothing.v1.Nothing"), Request(3, "nothing.proto"),
        Request(6, "summit.nothing.v1.Nothing")}) {
    const std::string response = reflection_->Answer(request, sent_);
    const std::vector<std::string> errors = Values(response, 7);
    ASSERT_EQ(errors.size(), 1u);
    UnknownFieldSet error;
    ASSERT_TRUE(error.ParseFromString(errors[0]));
    ASSERT_GE(error.field_count(), 1);
    EXPECT_EQ(error.field(0).varint(), static_cast<uint64_t>(grpc::StatusCode::NOT_FOUND));
  }
}

TEST_F(ContractReflectionTest, UnreadableOrEmptyRequestsAreInvalidArgument) {
  for (const std::string& request : {std::string("\xff\xff\xff"), std::string()}) {
    const std::vector<std::string> errors = Values(reflection_->Answer(request, sent_), 7);
    ASSERT_EQ(errors.size(), 1u);
    UnknownFieldSet error;
    ASSERT_TRUE(error.ParseFromString(errors[0]));
    EXPECT_EQ(error.field(0).varint(), static_cast<uint64_t>(grpc::StatusCode::INVALID_ARGUMENT));
  }
}

TEST(ContractReflectionMethodTest, BothVersionsOfTheProtocol) {
  EXPECT_TRUE(ContractReflection::IsReflectionMethod(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"));
  EXPECT_TRUE(ContractReflection::IsReflectionMethod(
      "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"));
  EXPECT_FALSE(ContractReflection::IsReflectionMethod("/summit.registry.v1.RegistryService/GetPerson"));
}

}  // namespace
}  // namespace summit::gateway
