#include "common/tls/tls_files.h"

#include <fstream>

#include "common/status/status_matchers.h"
#include "gtest/gtest.h"

namespace summit::tls {
namespace {

TEST(TlsFilesTest, NoFilesMeansPlaintextBothWays) {
  TlsFiles files;
  EXPECT_FALSE(files.serves_tls());
  EXPECT_FALSE(files.calls_over_tls());
  EXPECT_OK(GrpcServerCredentials(files, true).status());
  EXPECT_OK(GrpcChannelCredentials(files).status());
}

TEST(TlsFilesTest, CertificateWithoutKeyIsRefused) {
  TlsFiles files;
  files.cert_file = "/etc/hostname";
  EXPECT_EQ(GrpcServerCredentials(files, true).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GrpcChannelCredentials(files).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TlsFilesTest, UnreadableFileIsNamed) {
  TlsFiles files;
  files.ca_file = "/nonexistent/ca.pem";
  absl::Status status = GrpcChannelCredentials(files).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("--tls_ca_file"), absl::string_view::npos) << status;
}

}  // namespace
}  // namespace summit::tls
