#include "gateway/grpc_proxy.h"

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/client_callback.h"

namespace summit::gateway {
namespace {

// Metadata a call carries on to the backend.
constexpr const char* kForwardedMetadata[] = {"authorization", "x-request-id"};

class ProxyCall;

// The backend side of one proxied call.
class BackendCall final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit BackendCall(ProxyCall& proxy) : proxy_(proxy) {}

  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;

  void OnReadInitialMetadataDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  ProxyCall& proxy_;
};

// The client side: reads the one request, calls the backend, writes each
// answer back as it comes, and finishes with the backend's status. Both
// halves end before it deletes itself.
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(grpc::GenericCallbackServerContext* context, const Backends& backends,
            observability::CallObserver& observer)
      : context_(context), backends_(backends), observer_(observer), backend_(*this),
        start_(absl::Now()) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The client sent no request (or cancelled): nothing to forward.
      return FinishOnce(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
    }
    RawStub* stub = backends_.StubFor(context_->method());
    if (stub == nullptr) {
      return FinishOnce(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                     "the gateway serves no method " + context_->method()));
    }
    for (const char* key : kForwardedMetadata) {
      for (auto [it, end] = context_->client_metadata().equal_range(key); it != end; ++it) {
        backend_.context.AddMetadata(key, std::string(it->second.data(), it->second.size()));
      }
    }
    if (context_->deadline() != std::chrono::system_clock::time_point::max()) {
      backend_.context.set_deadline(context_->deadline());
    }
    backend_.request = request_;
    {
      absl::MutexLock lock(&mu_);
      backend_started_ = true;
    }
    stub->PrepareBidiStreamingCall(&backend_.context, context_->method(), grpc::StubOptions(),
                                   &backend_);
    backend_.StartWriteLast(&backend_.request, grpc::WriteOptions());
    backend_.StartRead(&backend_.response);
    backend_.StartCall();
  }

  // From the backend: one answer to pass on.
  void Relay(const grpc::ByteBuffer& message) {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    outgoing_ = message;
    StartWrite(&outgoing_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      backend_.context.TryCancel();
      return;
    }
    backend_.StartRead(&backend_.response);
  }

  void OnCancel() override {
    if (backend_started_) backend_.context.TryCancel();
  }

  void BackendDone(const grpc::Status& status) {
    FinishOnce(status);
    HalfDone();
  }

  void OnDone() override {
    observer_.Record(context_->method(), final_code_, absl::Now() - start_, "proxy");
    HalfDone();
  }

 private:
  // The client half and (when started) the backend half each end once; the
  // last one to end frees the call.
  void HalfDone() {
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      last = ++halves_done_ == (backend_started_ ? 2 : 1);
    }
    if (last) delete this;
  }

  void FinishOnce(const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    finished_ = true;
    final_code_ = status.error_code();
    Finish(status);
  }

  grpc::GenericCallbackServerContext* context_;
  const Backends& backends_;
  observability::CallObserver& observer_;
  BackendCall backend_;
  const absl::Time start_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer outgoing_;
  bool backend_started_ = false;
  absl::Mutex mu_;
  bool finished_ = false;
  int halves_done_ = 0;
  grpc::StatusCode final_code_ = grpc::StatusCode::OK;
};

void BackendCall::OnReadInitialMetadataDone(bool ok) {}

void BackendCall::OnReadDone(bool ok) {
  if (ok) proxy_.Relay(response);
}

void BackendCall::OnDone(const grpc::Status& status) { proxy_.BackendDone(status); }

}  // namespace

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(grpc::GenericCallbackServerContext* context) {
  return new ProxyCall(context, backends_, observer_);
}

}  // namespace summit::gateway

