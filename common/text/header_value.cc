#include "common/text/header_value.h"

#include <algorithm>

namespace summit {

bool IsSendableHeaderValue(absl::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte <= 0x7e;
  });
}

}  // namespace summit
