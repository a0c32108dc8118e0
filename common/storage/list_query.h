// One List request, from its wire fields to what a ProtoTable lists: the page
// size (default and cap), where to resume (page token), and the filter turned
// into SQL conditions over named columns with bound values.
//
//   static constexpr FilterField kFields[] = {
//       {"country", "country = ?"},
//       {"kind", "kind = ?", v1::Organization::Kind_descriptor()},
//   };
//   ASSIGN_OR_RETURN(ListQuery query, ParseListQuery("organizations", request.page_size(),
//                                                    request.page_token(),
//                                                    request.filter(), kFields));
//   ASSIGN_OR_RETURN(auto items, store.List(query.conditions, query.after_id,
//                                           query.fetch_limit()));
//   response.set_next_page_token(query.FinishPage(items));
#ifndef SUMMIT_COMMON_STORAGE_LIST_QUERY_H_
#define SUMMIT_COMMON_STORAGE_LIST_QUERY_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/api/page_token.h"
#include "common/storage/proto_table.h"
#include "google/protobuf/descriptor.h"

namespace summit::storage {

// A field a list can be filtered on.
struct FilterField {
  absl::string_view name;  // as in the filter, e.g. "kind"
  absl::string_view sql;   // with one `?`, e.g. "kind = ?"
  // For enum fields: the enum whose value names the filter accepts; the
  // number is bound.
  const google::protobuf::EnumDescriptor* enum_type = nullptr;
  // For references: a prefix the stored column lacks (e.g. "organizations/").
  absl::string_view strip_prefix = "";
};

// The most bytes of resources one page holds. A gRPC client takes at most
// 4 MiB a message by default, and so does the gateway from a backend: a page
// of large resources (statements in many languages, sessions with many
// participants) stops early, as AIP-158 allows, before the resource that
// would take it past this, so that every page arrives. Never before its
// first resource.
inline constexpr size_t kMaxPageBytes = 3 << 20;

// How many of `items`, in order, make one page: at most `page_size`, and no
// more than kMaxPageBytes unless that is the first alone.
template <typename Resource>
size_t PageLength(const std::vector<Resource>& items, int page_size) {
  size_t length = 0;
  size_t bytes = 0;
  for (; length < items.size() && length < static_cast<size_t>(page_size); ++length) {
    bytes += items[length].ByteSizeLong();
    if (length > 0 && bytes > kMaxPageBytes) break;
  }
  return length;
}

struct ListQuery {
  int page_size = 0;
  std::string after_id;
  std::vector<ListCondition> conditions;
  std::string fingerprint;  // what the page token is bound to

  // Ask the store for one more than a page, to learn whether there is a next.
  int fetch_limit() const { return page_size + 1; }

  // Trims `items` to the page (PageLength) and returns the next page token
  // ("" at the end). The key is the last segment of the last item's resource
  // name, which is the id lists are ordered by.
  template <typename Resource>
  std::string FinishPage(std::vector<Resource>& items) const {
    const size_t length = PageLength(items, page_size);
    if (length == items.size()) return "";
    items.resize(length);
    const std::string& name = items.back().name();
    return api::EncodePageToken(name.substr(name.rfind('/') + 1), fingerprint);
  }
};

// `collection` is the path of what is listed ("people",
// "events/udib-2023/participants"): a page token is refused by any other
// collection, and with another filter.
absl::StatusOr<ListQuery> ParseListQuery(absl::string_view collection, int page_size,
                                         absl::string_view page_token, absl::string_view filter,
                                         absl::Span<const FilterField> fields);

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_LIST_QUERY_H_
