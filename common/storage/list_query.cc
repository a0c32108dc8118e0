#include "common/storage/list_query.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/filter.h"
#include "common/status/error.h"
#include "common/status/macros.h"

namespace summit::storage {
namespace {

absl::StatusOr<SqlValue> FilterValue(const FilterField& field, const std::string& value) {
  if (field.enum_type != nullptr) {
    const google::protobuf::EnumValueDescriptor* enum_value = field.enum_type->FindValueByName(value);
    if (enum_value == nullptr || enum_value->number() == 0) {
      std::vector<std::string> names;
      for (int i = 1; i < field.enum_type->value_count(); ++i) {
        names.push_back(field.enum_type->value(i)->name());
      }
      return InvalidArgumentError(
          {{"filter", absl::StrCat("\"", value, "\" is not a value of ", field.name, "; one of ",
                                   absl::StrJoin(names, ", "))}});
    }
    return SqlValue(int64_t{enum_value->number()});
  }
  if (!field.strip_prefix.empty()) {
    if (!absl::StartsWith(value, field.strip_prefix)) {
      return InvalidArgumentError({{"filter", absl::StrCat(field.name, " must be a name starting with \"",
                                                           field.strip_prefix, "\"")}});
    }
    return SqlValue(value.substr(field.strip_prefix.size()));
  }
  return SqlValue(value);
}

}  // namespace

absl::StatusOr<ListQuery> ParseListQuery(absl::string_view collection, int page_size,
                                         absl::string_view page_token, absl::string_view filter,
                                         absl::Span<const FilterField> fields) {
  ListQuery query;
  ASSIGN_OR_RETURN(query.page_size, api::EffectivePageSize(page_size));
  std::vector<absl::string_view> names;
  for (const FilterField& field : fields) names.push_back(field.name);
  ASSIGN_OR_RETURN(std::vector<api::FilterTerm> terms, api::ParseFilter(filter, names));
  for (const api::FilterTerm& term : terms) {
    for (const FilterField& field : fields) {
      if (field.name != term.field) continue;
      // `a = ? OR a = ?`: the field's condition once per alternative.
      std::vector<std::string> alternatives;
      std::vector<SqlValue> values;
      for (const std::string& text : term.values) {
        ASSIGN_OR_RETURN(SqlValue value, FilterValue(field, text));
        alternatives.push_back(absl::StrCat("(", field.sql, ")"));
        values.push_back(std::move(value));
      }
      query.conditions.push_back({absl::StrJoin(alternatives, " OR "), std::move(values)});
    }
  }
  query.fingerprint = absl::StrCat(collection, "\n", filter);
  ASSIGN_OR_RETURN(api::PageToken token, api::DecodePageToken(page_token, query.fingerprint));
  query.after_id = std::move(token.last_key);
  return query;
}

}  // namespace summit::storage
