// Path templates (gateway/path_template.h): any template text and any request path. Parse
// never crashes; Match binds only variables the template has; percent-encoding round-trips.
//
// Input: TEMPLATE '\n' PATH (no newline: the input is both).
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/path_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using summit::gateway::PathTemplate;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const absl::string_view text = input.substr(0, newline);
  const absl::string_view path =
      newline == absl::string_view::npos ? input : input.substr(newline + 1);

  // Encoding then decoding gives back every byte string.
  std::optional<std::string> decoded =
      summit::gateway::PercentDecode(summit::gateway::PercentEncode(path));
  if (!decoded.has_value() || *decoded != path) std::abort();
  (void)summit::gateway::PercentDecode(path);

  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(text);
  if (!parsed.ok()) return 0;
  const std::vector<std::string> fields = parsed->field_paths();
  const std::set<std::string> known(fields.begin(), fields.end());
  for (const absl::string_view candidate : {path, absl::string_view(text)}) {
    std::optional<std::vector<summit::gateway::PathBinding>> bindings = parsed->Match(candidate);
    if (!bindings.has_value()) continue;
    if (bindings->size() != fields.size()) std::abort();
    for (const summit::gateway::PathBinding& binding : *bindings) {
      if (known.count(binding.field_path) == 0) std::abort();
    }
  }
  return 0;
}
