// The JWT verifier (common/auth/jwt.h), two ways:
// - the input as a token, verified against a fixed key: anything but a token signed with that
//   key must be refused, and refusals are UNAUTHENTICATED;
// - the input as a header and claims (JSON text, split at the first NUL), encoded and signed
//   with the key, so that the claims reader — which unsigned input never reaches — sees
//   hostile claims: whatever it accepts must be a principal a token may carry.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "openssl/hmac.h"

namespace {

constexpr absl::string_view kKey = "summit-fuzz-key-0123456789abcdef";
// A fixed "now" (2023-12-06 14:00 UTC) keeps every run repeatable.
const absl::Time kNow = absl::FromUnixSeconds(1701871200);

std::string Sign(absl::string_view signing_input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &length);
  return absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<char*>(mac), length));
}

void Check(const absl::StatusOr<summit::auth::Principal>& principal) {
  if (principal.ok()) {
    if (!summit::auth::ValidateForToken(*principal).ok()) std::abort();
    // What was accepted can be minted again and verifies the same.
    const std::string again = summit::auth::MintToken(*principal, absl::Hours(1), kKey, kNow);
    absl::StatusOr<summit::auth::Principal> reread = summit::auth::VerifyToken(again, kKey, kNow);
    if (!reread.ok() || reread->subject != principal->subject || reread->role != principal->role) {
      std::abort();
    }
  } else if (principal.status().code() != absl::StatusCode::kUnauthenticated) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  Check(summit::auth::VerifyToken(input, kKey, kNow));

  const size_t nul = input.find('\0');
  const absl::string_view header =
      nul == absl::string_view::npos ? R"({"alg":"HS256"})" : input.substr(0, nul);
  const absl::string_view claims = nul == absl::string_view::npos ? input : input.substr(nul + 1);
  const std::string signing_input =
      absl::StrCat(absl::WebSafeBase64Escape(header), ".", absl::WebSafeBase64Escape(claims));
  const std::string token = absl::StrCat(signing_input, ".", Sign(signing_input));
  Check(summit::auth::VerifyToken(token, kKey, kNow));
  return 0;
}
