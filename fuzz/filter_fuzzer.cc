// The list filter parser (common/api/filter.h) on any text: it never crashes, and what it
// accepts is what it promises — fields among those allowed, one value a term but for ORs, at
// most kMaxFilterAlternatives of them.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "common/api/filter.h"

namespace {

// The fields ListStatements allows, and a few more shapes of name.
constexpr absl::string_view kAllowed[] = {"speaker",    "kind", "session",      "state", "country",
                                          "delegation", "role", "publish_time", "x_1"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<summit::api::FilterTerm>> terms =
      summit::api::ParseFilter(text, kAllowed);
  if (!terms.ok()) {
    if (terms.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (text.size() > summit::api::kMaxFilterLength) std::abort();
  for (const summit::api::FilterTerm& term : *terms) {
    bool allowed = false;
    for (absl::string_view field : kAllowed) allowed = allowed || term.field == field;
    if (!allowed || term.values.empty() ||
        term.values.size() > summit::api::kMaxFilterAlternatives) {
      std::abort();
    }
  }
  return 0;
}
