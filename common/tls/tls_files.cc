#include "common/tls/tls_files.h"

#include <algorithm>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/config/flags.h"
#include "common/status/macros.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"

namespace summit::tls {
namespace {

using grpc::experimental::FileWatcherCertificateProvider;

absl::Status CheckOne(const std::string& flag, const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  if (!std::ifstream(path)) {
    return absl::FailedPreconditionError(absl::StrCat("--", flag, ": cannot read ", path));
  }
  return absl::OkStatus();
}

unsigned int RefreshSeconds(absl::Duration interval) {
  return static_cast<unsigned int>(std::max<int64_t>(1, absl::ToInt64Seconds(interval)));
}

}  // namespace

TlsFiles TlsFiles::FromFlags() {
  TlsFiles files;
  files.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  files.key_file = absl::GetFlag(FLAGS_tls_key_file);
  files.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  files.reload_interval = absl::GetFlag(FLAGS_tls_reload_interval);
  return files;
}

absl::Status CheckReadable(const TlsFiles& files) {
  if (files.cert_file.empty() != files.key_file.empty()) {
    return absl::InvalidArgumentError("TLS needs both --tls_cert_file and --tls_key_file");
  }
  RETURN_IF_ERROR(CheckOne("tls_cert_file", files.cert_file));
  RETURN_IF_ERROR(CheckOne("tls_key_file", files.key_file));
  return CheckOne("tls_ca_file", files.ca_file);
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GrpcServerCredentials(
    const TlsFiles& files, bool require_client_certificate) {
  RETURN_IF_ERROR(CheckReadable(files));
  if (!files.serves_tls()) return grpc::InsecureServerCredentials();
  auto provider = std::make_shared<FileWatcherCertificateProvider>(
      files.key_file, files.cert_file, files.ca_file, RefreshSeconds(files.reload_interval));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (files.ca_file.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(require_client_certificate
                                      ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                      : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> GrpcChannelCredentials(
    const TlsFiles& files) {
  RETURN_IF_ERROR(CheckReadable(files));
  if (!files.calls_over_tls()) return grpc::InsecureChannelCredentials();
  const bool presents_certificate = files.serves_tls();
  auto provider = std::make_shared<FileWatcherCertificateProvider>(
      presents_certificate ? files.key_file : "", presents_certificate ? files.cert_file : "",
      files.ca_file, RefreshSeconds(files.reload_interval));
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  if (presents_certificate) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  return grpc::experimental::TlsCredentials(options);
}

}  // namespace summit::tls
