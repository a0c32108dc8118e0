#include "common/http/https_context.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/macros.h"

namespace summit::http {
namespace {

namespace ssl = boost::asio::ssl;

// Modification time and size of each file: enough to notice a rename into
// place or a rewrite.
std::string Fingerprint(const tls::TlsFiles& files) {
  std::string fingerprint;
  for (const std::string* path : {&files.cert_file, &files.key_file}) {
    struct stat info {};
    if (stat(path->c_str(), &info) != 0) return "";
    absl::StrAppend(&fingerprint, info.st_ino, ":", info.st_mtim.tv_sec, ".", info.st_mtim.tv_nsec,
                    ":", info.st_size, ";");
  }
  return fingerprint;
}

absl::StatusOr<std::shared_ptr<ssl::context>> MakeContext(const tls::TlsFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code error;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       error);
  if (!error) context->use_certificate_chain_file(files.cert_file, error);
  if (!error) context->use_private_key_file(files.key_file, ssl::context::pem, error);
  // Rejects a key that does not belong to the certificate.
  if (!error && SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat(files.key_file, " is not the key of ", files.cert_file));
  }
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat("cannot load HTTPS certificate ",
                                                      files.cert_file, " and key ", files.key_file,
                                                      ": ", error.message()));
  }
  return context;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpsContextSource>> HttpsContextSource::Load(tls::TlsFiles files) {
  RETURN_IF_ERROR(tls::CheckReadable(files));
  std::unique_ptr<HttpsContextSource> source(new HttpsContextSource(std::move(files)));
  absl::MutexLock lock(&source->mutex_);
  source->fingerprint_ = Fingerprint(source->files_);
  ASSIGN_OR_RETURN(source->current_, MakeContext(source->files_));
  source->next_look_ = absl::Now() + source->files_.reload_interval;
  return source;
}

std::shared_ptr<ssl::context> HttpsContextSource::Current() {
  absl::MutexLock lock(&mutex_);
  const absl::Time now = absl::Now();
  if (now < next_look_) return current_;
  next_look_ = now + files_.reload_interval;
  const std::string fingerprint = Fingerprint(files_);
  if (fingerprint.empty() || fingerprint == fingerprint_) return current_;
  absl::StatusOr<std::shared_ptr<ssl::context>> fresh = MakeContext(files_);
  // Not remembered on failure: the next look tries again.
  if (!fresh.ok()) return current_;
  fingerprint_ = fingerprint;
  current_ = *std::move(fresh);
  return current_;
}

}  // namespace summit::http
