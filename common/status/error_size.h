// How big an error may grow, and the cuts that keep it so: the one place
// that bounds what every error says and carries.
//
// An error travels in response headers: grpc-message (percent-encoded, so
// every byte outside printable ASCII takes three) and grpc-status-details-bin
// (a google.rpc.Status, the message again with the details, in base64: four
// bytes for three). gRPC clients refuse headers over 8 KiB by default, and a
// refused error is worse than a short one: the caller reads
// RESOURCE_EXHAUSTED in its place, and gRPC tears down the connection it came
// on, failing every other call that shared it (the gateway's, to a backend).
// Requests decide how long an error gets (a bad item is a violation, a bad
// value is echoed), so the bound must hold whatever a request holds.
//
// Two layers apply these rules. Errors are made small (error.h's
// constructors and api::Violations cut and count as they collect), so that a
// request of a million bad items costs the memory of a few dozen violations
// and a domain reads back what its caller will read. And the RPC boundary
// (ToGrpcStatus, grpc_status.h) fits every outgoing google.rpc.Status with
// FitToHeaders, whatever made it: that is the guarantee.
//
//   std::vector<FieldViolation> out;
//   for (...) AppendViolation(out, {field, "must not be empty"});  // 21 kept at most
//   google::rpc::Status sent = FitToHeaders(details);  // always under kMaxErrorHeaderBytes
#ifndef SUMMIT_COMMON_STATUS_ERROR_SIZE_H_
#define SUMMIT_COMMON_STATUS_ERROR_SIZE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/status/error.h"
#include "google/rpc/status.pb.h"

namespace summit {

// Violations an error lists; the others are counted in one more, with an
// empty field (about the request as a whole), whose description says how
// many were left out (LeftOutNote).
inline constexpr size_t kMaxListedViolations = 20;

// Characters, as an error is made: a violation's field path and
// description, a message, an ErrorInfo's metadata key and value.
inline constexpr size_t kMaxFieldChars = 200;
inline constexpr size_t kMaxDescriptionChars = 300;
inline constexpr size_t kMaxMessageChars = 1000;
inline constexpr size_t kMaxMetadataKeyChars = 64;
inline constexpr size_t kMaxMetadataValueChars = 300;

// Bytes, on the wire. grpc-message percent-encoded (a message of
// kMaxMessageChars ASCII characters fits whole); the serialized
// google.rpc.Status before base64, of which the ErrorInfo may take
// kMaxErrorInfoBytes. Together, with the header names and HPACK's 32 bytes
// an entry: kMaxErrorHeaderBytes, well under gRPC's 8 KiB.
inline constexpr size_t kMaxEncodedMessageBytes = 1024;
inline constexpr size_t kMaxDetailsBytes = 3072;
inline constexpr size_t kMaxErrorInfoBytes = 768;
inline constexpr size_t kMaxErrorHeaderBytes = 5632;

// `text` cut to its first `max_characters` characters, with "…" when cut.
// Characters are counted by their UTF-8 lead bytes, so a cut never splits one.
std::string CutText(absl::string_view text, size_t max_characters);

// `text` cut, with "…" when cut, so that gRPC's percent-encoding of it (as
// grpc-message) takes at most `max_bytes`; never inside a UTF-8 character.
std::string CutToEncodedBytes(absl::string_view text, size_t max_bytes);

// The violation that stands for `count` left out of a list.
FieldViolation LeftOutNote(size_t count);
// The count of a LeftOutNote; nullopt for any other violation.
std::optional<size_t> LeftOutCountOf(const FieldViolation& violation);
// How many violations `violation` stands for: 1, or a LeftOutNote's count.
size_t ViolationsCounted(const FieldViolation& violation);

// Appends `violation`, cut, to `list` while it lists fewer than
// kMaxListedViolations; past that, counts it in a LeftOutNote at the end.
// What collectors of violations use (api::Violations), so that a list never
// holds more than kMaxListedViolations + 1.
void AppendViolation(std::vector<FieldViolation>& list, FieldViolation violation);

// `list` as an error carries it: its first kMaxListedViolations violations,
// cut, then one LeftOutNote counting every other (notes within `list`
// counted by what they stand for).
std::vector<FieldViolation> ListViolations(std::vector<FieldViolation> list);

// `status` as it may travel: its message cut to kMaxEncodedMessageBytes
// encoded; its ErrorInfo kept (metadata cut to kMaxErrorInfoBytes); as many
// of its BadRequest's violations, in order, as fit in kMaxDetailsBytes, the
// rest counted in a LeftOutNote; any other detail kept only if it fits too.
// Details that need no cut keep their bytes. What ToGrpcStatus sends.
google::rpc::Status FitToHeaders(const google::rpc::Status& status);

}  // namespace summit

#endif  // SUMMIT_COMMON_STATUS_ERROR_SIZE_H_
