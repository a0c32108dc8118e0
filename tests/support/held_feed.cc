#include "tests/support/held_feed.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/support/any_call.h"

namespace summit::testing {

std::shared_ptr<grpc::Channel> OwnChannel(int port) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials(), arguments);
}

HeldFeed::HeldFeed(statements::v1::StatementsService::Stub& stub, const std::string& token,
                   const std::string& parent) {
  context_.set_deadline(absl::ToChronoTime(absl::Now() + kCallPatience));
  if (!token.empty()) context_.AddMetadata("authorization", "Bearer " + token);
  request_.set_parent(parent);
  request_.set_from_beginning(true);
  stub.async()->WatchStatements(&context_, &request_, this);
  StartRead(&event_);
  StartCall();
}

HeldFeed::~HeldFeed() {
  // The call refers to this object until it is done.
  Cancel();
  done_.WaitForNotification();
}

void HeldFeed::OnReadInitialMetadataDone(bool ok) {
  if (ok) started_.Notify();
}

void HeldFeed::OnReadDone(bool ok) {
  // Nothing more is read: the stream stays open until cancelled.
  if (ok && !first_event_.HasBeenNotified()) first_event_.Notify();
  absl::MutexLock lock(&mu_);
  answered_ = true;
}

void HeldFeed::OnDone(const grpc::Status& status) {
  status_ = status;
  {
    absl::MutexLock lock(&mu_);
    answered_ = true;
  }
  done_.Notify();
}

bool HeldFeed::WaitForStart(absl::Duration timeout) {
  return started_.WaitForNotificationWithTimeout(timeout);
}

bool HeldFeed::WaitForFirstEvent(absl::Duration timeout) {
  return first_event_.WaitForNotificationWithTimeout(timeout);
}

bool HeldFeed::FirstEventOrEnd(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&answered_), timeout);
  return first_event_.HasBeenNotified();
}

bool HeldFeed::WaitForDone(absl::Duration timeout) {
  return done_.WaitForNotificationWithTimeout(timeout);
}

}  // namespace summit::testing
