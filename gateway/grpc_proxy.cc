#include "gateway/grpc_proxy.h"

#include <atomic>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/peers/forwarded_metadata.h"
#include "common/server/call_gate.h"
#include "common/status/error.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/client_callback.h"

namespace summit::gateway {
namespace {

// What of the caller's call the backend call carries (peers/forwarded_metadata.h), and its
// deadline.
void CopyCallerToBackend(const grpc::GenericCallbackServerContext& from,
                         const peers::ForwardedMetadata& forwarded, grpc::ClientContext& to) {
  forwarded.ApplyTo(to);
  if (from.deadline() != std::chrono::system_clock::time_point::max()) {
    to.set_deadline(from.deadline());
  }
}

class ProxyCall;

// A call refused before it reaches a backend.
class RefusedCall final : public grpc::ServerGenericBidiReactor {
 public:
  explicit RefusedCall(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

// The backend side of a proxied server stream.
class BackendStream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit BackendStream(ProxyCall& proxy) : proxy_(proxy) {}

  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  ProxyCall& proxy_;
};

// One proxied call. The client side reads the one request; a unary method
// is forwarded with a generic unary call whose completion writes the answer
// and finishes; a server-streaming one through BackendStream, each message
// written back as it comes. The call frees itself when both sides are done.
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  // `feed` (admitted, for a server stream; empty, for a unary call) holds
  // the stream's place under the caps on open feeds until the call is freed.
  ProxyCall(grpc::GenericCallbackServerContext* context, const Backends& backends,
            observability::CallObserver& observer, LiveStreams* live_streams,
            server::CallGate::Admission admission, bool server_streaming,
            server::OpenFeeds::Admission feed)
      : admission_(std::move(admission)),
        feed_(std::move(feed)),
        server_streaming_(server_streaming),
        context_(context),
        backends_(backends),
        observer_(observer),
        live_streams_(live_streams),
        stream_(*this),
        start_(absl::Now()) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      return Answer(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
    }
    RawStub* stub = backends_.StubFor(context_->method());
    if (stub == nullptr) {
      // The path is the caller's: echoed cut, as any input an error names.
      return Answer(ToGrpcStatus(absl::UnimplementedError(
          absl::StrCat("the gateway serves no method ", EchoInput(context_->method())))));
    }
    const absl::StatusOr<peers::ForwardedMetadata> forwarded = peers::ForwardedFrom(*context_);
    if (!forwarded.ok()) return Answer(ToGrpcStatus(forwarded.status()));
    if (server_streaming_) {
      // Over the backend's stream channels: never in the way of unary calls.
      lease_.emplace(*backends_.StreamStubFor(context_->method()));
      {
        absl::MutexLock lock(&mu_);
        stream_started_ = true;
      }
      CopyCallerToBackend(*context_, *forwarded, stream_.context);
      if (live_streams_ != nullptr) {
        live_id_ = live_streams_->Add([this] {
          drained_ = true;
          stream_.context.TryCancel();
        });
      }
      stream_.request = request_;
      lease_->stub().PrepareBidiStreamingCall(&stream_.context, context_->method(),
                                              grpc::StubOptions(), &stream_);
      stream_.StartWriteLast(&stream_.request, grpc::WriteOptions());
      // Held until no further read will be started (one is started after
      // each message has been passed on), so OnDone never comes between.
      stream_.AddHold();
      stream_.StartRead(&stream_.response);
      stream_.StartCall();
      return;
    }
    CopyCallerToBackend(*context_, *forwarded, unary_context_);
    stub->UnaryCall(&unary_context_, context_->method(), grpc::StubOptions(), &request_,
                    &response_, [this](grpc::Status status) {
                      Answer(status, status.ok() ? &response_ : nullptr);
                    });
  }

  // A server stream's message from the backend, to pass on.
  void Relay() {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    StartWrite(&stream_.response);
  }

  void OnWriteDone(bool ok) override {
    // Only streams write without finishing; the next message is read once
    // this one has left.
    if (!ok) {
      stream_.context.TryCancel();
      stream_.RemoveHold();
      return;
    }
    stream_.StartRead(&stream_.response);
  }

  void OnCancel() override {
    unary_context_.TryCancel();
    absl::MutexLock lock(&mu_);
    if (stream_started_) stream_.context.TryCancel();
  }

  void StreamDone(grpc::Status status) {
    if (live_id_ != 0) live_streams_->Remove(live_id_);
    if (drained_) status = LiveStreams::DrainedStatus();
    {
      absl::MutexLock lock(&mu_);
      finished_ = true;
    }
    Answer(status);
    HalfDone();
  }

  void OnDone() override {
    grpc::StatusCode code;
    {
      absl::MutexLock lock(&mu_);
      code = code_;
    }
    observer_.Record(context_->method(), code, absl::Now() - start_, "proxy");
    HalfDone();
  }

 private:
  // Every way the call ends goes through here, so that OnDone records the
  // code the client got. `response` (optional) is written first.
  void Answer(const grpc::Status& status, const grpc::ByteBuffer* response = nullptr) {
    {
      absl::MutexLock lock(&mu_);
      code_ = status.error_code();
    }
    if (response != nullptr) {
      StartWriteAndFinish(response, grpc::WriteOptions(), status);
    } else {
      Finish(status);
    }
  }

  // The client side ends once; a started backend stream ends once too. The
  // last to end frees the call.
  void HalfDone() {
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      last = ++halves_done_ == (stream_started_ ? 2 : 1);
    }
    if (last) delete this;
  }

  server::CallGate::Admission admission_;  // in flight until deleted
  server::OpenFeeds::Admission feed_;      // an open feed until deleted
  const bool server_streaming_;
  // The stream channel a server stream goes over, counted until deleted.
  std::optional<StreamLease> lease_;
  grpc::GenericCallbackServerContext* context_;
  const Backends& backends_;
  observability::CallObserver& observer_;
  LiveStreams* const live_streams_;
  int64_t live_id_ = 0;  // registered with live_streams_ while a stream runs
  std::atomic<bool> drained_{false};
  BackendStream stream_;
  grpc::ClientContext unary_context_;
  const absl::Time start_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  absl::Mutex mu_;
  // Set by Answer; a call that ends without one (cancelled by the client
  // before any answer) was CANCELLED.
  grpc::StatusCode code_ ABSL_GUARDED_BY(mu_) = grpc::StatusCode::CANCELLED;
  bool stream_started_ = false;
  bool finished_ = false;
  int halves_done_ = 0;
};

void BackendStream::OnReadDone(bool ok) {
  if (ok) {
    proxy_.Relay();
  } else {
    RemoveHold();  // the stream ended: no more reads, OnDone may follow
  }
}

void BackendStream::OnDone(const grpc::Status& status) { proxy_.StreamDone(status); }

}  // namespace

bool GrpcProxy::IsServerStreaming(const std::string& path) const {
  // "/pkg.Service/Method"
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return false;
  const google::protobuf::MethodDescriptor* method = contract_.pool().FindMethodByName(
      path.substr(1, slash - 1) + "." + path.substr(slash + 1));
  return method != nullptr && method->server_streaming();
}

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(grpc::GenericCallbackServerContext* context) {
  if (std::optional<absl::Duration> wait = limits_.Take(*context)) {
    const grpc::Status refusal = ToGrpcStatus(RateLimitedError(*wait));
    observer_.Record(context->method(), refusal.error_code(), absl::ZeroDuration(), "proxy");
    return new RefusedCall(refusal);
  }
  if (reflection_ != nullptr && ContractReflection::IsReflectionMethod(context->method())) {
    return reflection_->NewStream();
  }
  const bool server_streaming = IsServerStreaming(context->method());
  server::OpenFeeds::Admission feed;
  if (server_streaming) {
    absl::StatusOr<server::OpenFeeds::Admission> admitted = feed_limits_.Admit(*context);
    if (!admitted.ok()) {
      const grpc::Status refusal = ToGrpcStatus(admitted.status());
      observer_.Record(context->method(), refusal.error_code(), absl::ZeroDuration(), "proxy");
      return new RefusedCall(refusal);
    }
    feed = *std::move(admitted);
  }
  server::CallGate::Admission admission = server::CallGate::Process().Admit();
  if (!admission.admitted()) {
    // Draining: answered here, forwarded nowhere.
    const grpc::Status refusal = server::CallGate::Refusal();
    observer_.Record(context->method(), refusal.error_code(), absl::ZeroDuration(), "proxy");
    return new RefusedCall(refusal);
  }
  return new ProxyCall(context, backends_, observer_, live_streams_, std::move(admission),
                       server_streaming, std::move(feed));
}

}  // namespace summit::gateway
