// Throwaway TLS certificates for tests, made by the openssl command in a test's folder (as
// deploy/tests/throwaway_ca.mjs makes the deploy tests'): a self-signed CA, certificates it signs
// for 127.0.0.1 and localhost (EC P-256, valid two days), and the common name of the certificate
// a server presents, to watch a rotation arrive. HttpsGet (http_client.h) is the client's side.
//
//   ASSERT_OK(MakeCa(*folder, "ca"));                          // ca.pem, ca.key
//   ASSERT_OK(MakeCert(*folder, "registry", "ca", "registry"));  // registry.pem, registry.key
//   EXPECT_EQ(ServedCommonName(*folder, port), "registry");
//   ASSERT_OK(MakeCert(*folder, "registry", "ca", "registry-rotated"));
//   EXPECT_EQ(AwaitServedCommonName(*folder, port, "registry-rotated", kPatience),
//             "registry-rotated");
//
// Thread-compatible: one thread makes the files of a name at a time.
#ifndef SUMMIT_TESTS_SUPPORT_THROWAWAY_CA_H_
#define SUMMIT_TESTS_SUPPORT_THROWAWAY_CA_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/support/test_folder.h"

namespace summit::testing {

// A self-signed CA in `folder`: NAME.pem and NAME.key.
absl::Status MakeCa(const TestFolder& folder, const std::string& name);

// NAME.pem and NAME.key in `folder`, common name `common_name`, for IP:127.0.0.1 and
// DNS:localhost, signed by the CA `ca` (made by MakeCa). The files are written beside and renamed
// into place, as a rotation should be, so a server that reads them meanwhile never sees a key
// and a certificate that do not match.
absl::Status MakeCert(const TestFolder& folder, const std::string& name, const std::string& ca,
                      const std::string& common_name);

// The common name of the certificate the server on 127.0.0.1:`port` presents now; "" when none
// (no TLS there, or no answer).
std::string ServedCommonName(const TestFolder& folder, int port);

// Asks ServedCommonName every 200 ms until it is `expected` (a rotated certificate has arrived)
// or `patience` has passed; the last answer.
std::string AwaitServedCommonName(const TestFolder& folder, int port, const std::string& expected,
                                  absl::Duration patience);

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_THROWAWAY_CA_H_
