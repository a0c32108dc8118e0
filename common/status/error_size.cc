#include "common/status/error_size.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/error_details.pb.h"

namespace summit {
namespace {

constexpr absl::string_view kEllipsis = "…";

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// What gRPC's percent-encoding of grpc-message makes of one byte: printable
// ASCII but '%' stays, anything else becomes "%XX".
size_t EncodedBytes(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x20 && byte <= 0x7E && byte != '%' ? 1 : 3;
}

size_t EncodedBytes(absl::string_view text) {
  size_t bytes = 0;
  for (char c : text) bytes += EncodedBytes(c);
  return bytes;
}

// What a detail adds to a google.rpc.Status beyond its own bytes: the Any's
// tag and length, its type URL's tag and length, the value's tag and length.
constexpr size_t kAnyOverheadBytes = 16;
// Room kept for the LeftOutNote after the violations that fit.
constexpr size_t kNoteBytes = 160;

size_t DetailBytes(absl::string_view type_url, size_t value_bytes) {
  return type_url.size() + value_bytes + kAnyOverheadBytes;
}

void AddDetail(google::rpc::Status& status, absl::string_view type_url, std::string value) {
  google::protobuf::Any* any = status.add_details();
  any->set_type_url(std::string(type_url));
  any->set_value(std::move(value));
}

// `info` cut to its limits: reason and domain as metadata keys are, each
// entry's key and value cut, entries (in key order) kept while the whole
// fits in kMaxErrorInfoBytes. nullopt when `info` already keeps them all.
std::optional<google::rpc::ErrorInfo> CutErrorInfo(const google::rpc::ErrorInfo& info) {
  google::rpc::ErrorInfo cut;
  cut.set_reason(CutText(info.reason(), kMaxMetadataKeyChars));
  cut.set_domain(CutText(info.domain(), kMaxMetadataKeyChars));
  bool changed = cut.reason() != info.reason() || cut.domain() != info.domain();
  const std::map<std::string, std::string> sorted(info.metadata().begin(), info.metadata().end());
  for (const auto& [key, value] : sorted) {
    std::string cut_key = CutText(key, kMaxMetadataKeyChars);
    std::string cut_value = CutText(value, kMaxMetadataValueChars);
    changed = changed || cut_key != key || cut_value != value;
    // A map entry: its own tag and length, and the key's and value's.
    const size_t entry_bytes = cut_key.size() + cut_value.size() + 12;
    if (cut.ByteSizeLong() + entry_bytes > kMaxErrorInfoBytes) {
      changed = true;
      continue;
    }
    (*cut.mutable_metadata())[std::move(cut_key)] = std::move(cut_value);
  }
  if (!changed) return std::nullopt;
  return cut;
}

// As many of `violations` (ListViolations' output) as fit in `room` bytes
// of BadRequest, in order, and a LeftOutNote counting every other.
google::rpc::BadRequest ViolationsThatFit(const std::vector<FieldViolation>& violations,
                                          size_t room) {
  google::rpc::BadRequest bad_request;
  size_t left_out = 0;
  bool full = room < kNoteBytes;
  for (const FieldViolation& violation : violations) {
    if (const std::optional<size_t> count = LeftOutCountOf(violation)) {
      left_out += *count;
      continue;
    }
    if (!full) {
      google::rpc::BadRequest::FieldViolation* out = bad_request.add_field_violations();
      out->set_field(violation.field);
      out->set_description(violation.description);
      if (bad_request.ByteSizeLong() + kNoteBytes <= room) continue;
      bad_request.mutable_field_violations()->RemoveLast();
      full = true;  // the first N, never a later one that happens to be shorter
    }
    ++left_out;
  }
  if (left_out > 0) {
    const FieldViolation note = LeftOutNote(left_out);
    google::rpc::BadRequest::FieldViolation* out = bad_request.add_field_violations();
    out->set_field(note.field);
    out->set_description(note.description);
  }
  return bad_request;
}

}  // namespace

std::string CutText(absl::string_view text, size_t max_characters) {
  size_t end = 0;
  size_t characters = 0;
  while (end < text.size() && characters < max_characters) {
    ++end;
    while (end < text.size() && IsContinuationByte(text[end])) ++end;
    ++characters;
  }
  return end < text.size() ? absl::StrCat(text.substr(0, end), kEllipsis) : std::string(text);
}

std::string CutToEncodedBytes(absl::string_view text, size_t max_bytes) {
  if (EncodedBytes(text) <= max_bytes) return std::string(text);
  const size_t ellipsis = EncodedBytes(kEllipsis);
  const size_t room = max_bytes > ellipsis ? max_bytes - ellipsis : 0;
  size_t end = 0;
  size_t used = 0;
  while (end < text.size()) {
    size_t next = end + 1;
    while (next < text.size() && IsContinuationByte(text[next])) ++next;
    const size_t cost = EncodedBytes(text.substr(end, next - end));
    if (used + cost > room) break;
    used += cost;
    end = next;
  }
  return absl::StrCat(text.substr(0, end), kEllipsis);
}

FieldViolation LeftOutNote(size_t count) {
  return {"", absl::StrCat(count, count == 1 ? " more violation" : " more violations",
                           " not listed; correct those listed and send again to see the rest")};
}

std::optional<size_t> LeftOutCountOf(const FieldViolation& violation) {
  if (!violation.field.empty()) return std::nullopt;
  const size_t space = violation.description.find(' ');
  size_t count = 0;
  if (space == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(violation.description).substr(0, space), &count) ||
      LeftOutNote(count).description != violation.description) {
    return std::nullopt;
  }
  return count;
}

size_t ViolationsCounted(const FieldViolation& violation) {
  return LeftOutCountOf(violation).value_or(1);
}

void AppendViolation(std::vector<FieldViolation>& list, FieldViolation violation) {
  if (list.size() < kMaxListedViolations) {
    list.push_back({CutText(violation.field, kMaxFieldChars),
                    CutText(violation.description, kMaxDescriptionChars)});
    return;
  }
  size_t left_out = ViolationsCounted(violation);
  if (list.size() > kMaxListedViolations) {
    left_out += ViolationsCounted(list.back());
    list.back() = LeftOutNote(left_out);
  } else {
    list.push_back(LeftOutNote(left_out));
  }
}

std::vector<FieldViolation> ListViolations(std::vector<FieldViolation> list) {
  std::vector<FieldViolation> listed;
  size_t left_out = 0;
  for (FieldViolation& violation : list) {
    const std::optional<size_t> count = LeftOutCountOf(violation);
    if (count.has_value() || listed.size() == kMaxListedViolations) {
      left_out += count.value_or(1);
      continue;
    }
    listed.push_back({CutText(violation.field, kMaxFieldChars),
                      CutText(violation.description, kMaxDescriptionChars)});
  }
  if (left_out > 0) listed.push_back(LeftOutNote(left_out));
  return listed;
}

google::rpc::Status FitToHeaders(const google::rpc::Status& status) {
  const std::string bad_request_url(kBadRequestTypeUrl);
  const std::string error_info_url(kErrorInfoTypeUrl);
  google::rpc::Status fitted;
  fitted.set_code(status.code());
  fitted.set_message(CutToEncodedBytes(status.message(), kMaxEncodedMessageBytes));

  // In the order a caller needs them: the ErrorInfo (the reason it switches
  // on), then the violations, then any other detail.
  const google::protobuf::Any* error_info = nullptr;
  std::vector<FieldViolation> violations;
  bool has_bad_request = false;
  std::vector<const google::protobuf::Any*> others;
  for (const google::protobuf::Any& any : status.details()) {
    if (any.type_url() == error_info_url && error_info == nullptr) {
      error_info = &any;
    } else if (any.type_url() == bad_request_url) {
      google::rpc::BadRequest bad_request;
      if (!bad_request.ParseFromString(any.value())) continue;  // garbage: dropped
      has_bad_request = true;
      for (const auto& violation : bad_request.field_violations()) {
        violations.push_back({violation.field(), violation.description()});
      }
    } else {
      others.push_back(&any);
    }
  }

  if (error_info != nullptr) {
    google::rpc::ErrorInfo info;
    if (info.ParseFromString(error_info->value())) {
      if (std::optional<google::rpc::ErrorInfo> cut = CutErrorInfo(info)) {
        AddDetail(fitted, error_info_url, cut->SerializeAsString());
      } else {
        *fitted.add_details() = *error_info;
      }
    }
  }
  if (has_bad_request) {
    const size_t used = fitted.ByteSizeLong() + DetailBytes(bad_request_url, 0);
    const size_t room = used < kMaxDetailsBytes ? kMaxDetailsBytes - used : 0;
    const google::rpc::BadRequest fitting =
        ViolationsThatFit(ListViolations(std::move(violations)), room);
    if (fitting.ByteSizeLong() <= room) {
      AddDetail(fitted, bad_request_url, fitting.SerializeAsString());
    }
  }
  for (const google::protobuf::Any* any : others) {
    if (fitted.ByteSizeLong() + DetailBytes(any->type_url(), any->value().size()) <=
        kMaxDetailsBytes) {
      *fitted.add_details() = *any;
    }
  }
  // The arithmetic above keeps within the bound; should it ever not, the
  // code and message still reach the caller.
  if (fitted.ByteSizeLong() > kMaxDetailsBytes) fitted.clear_details();
  return fitted;
}

}  // namespace summit
