// The TLS context of an HTTPS listener (http_server.h: the gateway's HTTP
// port, the admin port), rebuilt when the certificate or key file changes, so
// a rotated certificate is served to new connections without a restart
// (connections already open keep theirs).
//
//   ASSIGN_OR_RETURN(auto source, HttpsContextSource::Load(files));
//   std::shared_ptr<boost::asio::ssl::context> context = source->Current();
//
// Thread-safety: Current may be called from any thread.
#ifndef SUMMIT_COMMON_HTTP_HTTPS_CONTEXT_H_
#define SUMMIT_COMMON_HTTP_HTTPS_CONTEXT_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "boost/asio/ssl/context.hpp"
#include "common/tls/tls_files.h"

namespace summit::http {

class HttpsContextSource {
 public:
  // Fails when the certificate or key cannot be read or do not match.
  static absl::StatusOr<std::unique_ptr<HttpsContextSource>> Load(tls::TlsFiles files);

  // The context for a new connection: the files as they were when last
  // looked at (at most once every files.reload_interval).
  // A rotation caught half-way (key and certificate not matching yet) keeps
  // the previous context until the files agree again.
  std::shared_ptr<boost::asio::ssl::context> Current();

 private:
  explicit HttpsContextSource(tls::TlsFiles files) : files_(std::move(files)) {}

  tls::TlsFiles files_;
  absl::Mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_ ABSL_GUARDED_BY(mutex_);
  // What the files looked like when current_ was made, to notice a change.
  std::string fingerprint_ ABSL_GUARDED_BY(mutex_);
  absl::Time next_look_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
};

}  // namespace summit::http

#endif  // SUMMIT_COMMON_HTTP_HTTPS_CONTEXT_H_
