// One-line JSON logs on standard error, the one logging call of Summit:
//
//   summit::log::Info("serving", {{"address", address}, {"port", port}});
//   summit::log::Error("migration failed", {{"error", status.ToString()}});
//
// prints
//
//   {"time":"2026-11-27T22:40:37.123Z","severity":"INFO","message":"serving","address":"0.0.0.0","port":50051}
//
// Each line is written with one write(2), so lines from many threads never
// interleave. Field keys are plain identifiers; values are JSON-escaped.
#ifndef SUMMIT_COMMON_OBSERVABILITY_LOG_H_
#define SUMMIT_COMMON_OBSERVABILITY_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"
#include "common/text/json_quote.h"

namespace summit::log {

// One key and its value, already rendered as JSON.
class Field {
 public:
  Field(absl::string_view key, absl::string_view value);
  Field(absl::string_view key, const char* value) : Field(key, absl::string_view(value)) {}
  Field(absl::string_view key, const std::string& value) : Field(key, absl::string_view(value)) {}
  Field(absl::string_view key, int64_t value);
  Field(absl::string_view key, int value) : Field(key, static_cast<int64_t>(value)) {}
  Field(absl::string_view key, double value);
  Field(absl::string_view key, bool value);

  const std::string& key() const { return key_; }
  const std::string& json() const { return json_; }

 private:
  std::string key_;
  std::string json_;
};

void Info(absl::string_view message, std::initializer_list<Field> fields = {});
void Warning(absl::string_view message, std::initializer_list<Field> fields = {});
void Error(absl::string_view message, std::initializer_list<Field> fields = {});

// The line Info/Warning/Error would write, without the time (for tests).
std::string FormatLine(absl::string_view severity, absl::string_view message,
                       std::initializer_list<Field> fields, bool with_time);

using text::JsonQuote;  // kept here for the log's callers


}  // namespace summit::log

#endif  // SUMMIT_COMMON_OBSERVABILITY_LOG_H_
