// The PEM files a Summit process proves itself and checks its peers with,
// and the gRPC credentials made from them. Certificates are re-read by gRPC
// every `reload_interval` (FileWatcherCertificateProvider), so a rotated
// certificate (or CA) is served and trusted without a restart; write each
// new file beside the old one and rename it into place, so that a reader
// never sees a half-written file or a key that does not match its cert.
//
//   TlsFiles files = TlsFiles::FromFlags();
//   ASSIGN_OR_RETURN(auto server_credentials, GrpcServerCredentials(files, true));
//   ASSIGN_OR_RETURN(auto peer_credentials, GrpcChannelCredentials(files));
//
// Thread-safety: the credentials are safe to share between channels/servers.
#ifndef SUMMIT_COMMON_TLS_TLS_FILES_H_
#define SUMMIT_COMMON_TLS_TLS_FILES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace summit::tls {

struct TlsFiles {
  // This process's certificate chain and private key (server certificate,
  // and client certificate in calls to peers).
  std::string cert_file;
  std::string key_file;
  // The CA that signs every Summit certificate: servers require client
  // certificates it signed, clients verify servers with it.
  std::string ca_file;
  // How often gRPC looks at the files again (whole seconds, at least 1).
  absl::Duration reload_interval = absl::Seconds(10);

  // --tls_cert_file, --tls_key_file, --tls_ca_file, --tls_reload_interval.
  static TlsFiles FromFlags();

  // Serving TLS: both certificate and key are set.
  bool serves_tls() const { return !cert_file.empty() && !key_file.empty(); }
  // Calling peers over TLS: a CA to verify them with is set.
  bool calls_over_tls() const { return !ca_file.empty(); }
};

// Plaintext when `files` has no certificate and key; TLS with them; with a CA
// too, client certificates signed by it are required (mutual TLS) when
// `require_client_certificate`, else verified only when a client sends one
// (a public endpoint such as the gateway's). Fails when only one of cert and
// key is given or a named file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GrpcServerCredentials(
    const TlsFiles& files, bool require_client_certificate);

// For calls to peers: plaintext without a CA file; otherwise TLS that
// verifies the server (certificate chain and host name) with the CA and
// presents this process's certificate when cert and key are set.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> GrpcChannelCredentials(
    const TlsFiles& files);

// OK when every file named in `files` can be read; says which cannot.
absl::Status CheckReadable(const TlsFiles& files);

}  // namespace summit::tls

#endif  // SUMMIT_COMMON_TLS_TLS_FILES_H_
