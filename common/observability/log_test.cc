// Tests of the one-line JSON logs: each line parses as JSON, strings survive
// escaping, concurrent lines never interleave. (The RPC metrics:
// rpc_metrics_test.cc.)
#include "common/observability/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace summit {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;
using ::testing::HasSubstr;
using ::testing::Not;

// Parses one log line (without its newline) as a JSON object.
::testing::AssertionResult ParseJsonObject(const std::string& line, Struct* out) {
  google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(line, out);
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "not a JSON object: " << status.ToString() << "\n"
                                       << line;
}

// RFC 3629 UTF-8, as JSON text must be (RFC 8259 section 8.1).
bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = text[i];
    int extra = 0;
    uint32_t code_point = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code_point = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code_point = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code_point = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      const unsigned char next = text[i + k];
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const uint32_t min_for_length[] = {0, 0x80, 0x800, 0x10000};
    if (code_point < min_for_length[extra] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// FormatLine without the time, checked to be exactly one line, returned
// without its newline.
std::string OneLine(absl::string_view message, std::initializer_list<log::Field> fields) {
  std::string line = log::FormatLine("INFO", message, fields, /*with_time=*/false);
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  line.pop_back();
  EXPECT_EQ(line.find('\n'), std::string::npos) << "more than one line: " << line;
  EXPECT_EQ(line.find('\r'), std::string::npos) << "raw carriage return: " << line;
  return line;
}

// --- Log lines ------------------------------------------------------------

TEST(FormatLineTest, IsOneJsonObjectWithSeverityMessageAndFields) {
  const std::string line = OneLine("serving", {{"service", "summit.registry.v1.RegistryService"},
                                               {"port", 50051},
                                               {"latency_ms", 1.5},
                                               {"tls", false}});
  Struct parsed;
  ASSERT_TRUE(ParseJsonObject(line, &parsed));
  const auto& f = parsed.fields();
  EXPECT_EQ(f.at("severity").string_value(), "INFO");
  EXPECT_EQ(f.at("message").string_value(), "serving");
  EXPECT_EQ(f.at("service").string_value(), "summit.registry.v1.RegistryService");
  EXPECT_EQ(f.at("port").number_value(), 50051);
  EXPECT_EQ(f.at("latency_ms").number_value(), 1.5);
  EXPECT_EQ(f.at("tls").kind_case(), Value::kBoolValue);
  EXPECT_FALSE(f.at("tls").bool_value());
  EXPECT_EQ(f.count("time"), 0u);
  // Field order is the call's order, severity and message first.
  EXPECT_EQ(line.rfind("{\"severity\":\"INFO\",\"message\":\"serving\",\"service\":", 0), 0u)
      << line;
}

TEST(FormatLineTest, WithTimeStartsWithAnRfc3339UtcTimestamp) {
  std::string line = log::FormatLine("ERROR", "boom", {}, /*with_time=*/true);
  line.pop_back();
  Struct parsed;
  ASSERT_TRUE(ParseJsonObject(line, &parsed));
  const std::string time = parsed.fields().at("time").string_value();
  absl::Time parsed_time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime("%Y-%m-%dT%H:%M:%E3SZ", time, &parsed_time, &error))
      << time << ": " << error;
  EXPECT_EQ(time.size(), std::string("2023-12-06T10:00:00.000Z").size()) << time;
  EXPECT_EQ(parsed.fields().at("severity").string_value(), "ERROR");
}

TEST(FormatLineTest, EscapesQuotesBackslashesAndControlCharacters) {
  std::string every_control;
  for (int c = 0; c < 0x20; ++c) every_control.push_back(static_cast<char>(c));
  const std::vector<std::string> nasty = {
      "say \"hello\"",
      "C:\\Windows\\path\\",
      "line one\nline two\r\nline three",
      "tab\there",
      every_control,
      std::string("nul\0inside", 10),
      "\x7f delete is allowed raw",
      "\"}, \"severity\": \"FAKE\", \"x\": {\"",  // log forging attempt
      "</script><script>alert(1)</script>",
      "\\u0041 is not an escape here",
  };
  for (const std::string& text : nasty) {
    SCOPED_TRACE(::testing::PrintToString(text));
    const std::string line = OneLine(text, {{"value", text}});
    Struct parsed;
    ASSERT_TRUE(ParseJsonObject(line, &parsed));
    EXPECT_EQ(parsed.fields().at("message").string_value(), text);
    EXPECT_EQ(parsed.fields().at("value").string_value(), text);
    EXPECT_EQ(parsed.fields().at("severity").string_value(), "INFO");  // not forged
    EXPECT_EQ(parsed.fields_size(), 3);
  }
}

TEST(FormatLineTest, EscapesFieldKeysToo) {
  const std::string line = OneLine("m", {{"we\"ird\nkey", "v"}});
  Struct parsed;
  ASSERT_TRUE(ParseJsonObject(line, &parsed));
  EXPECT_EQ(parsed.fields().at("we\"ird\nkey").string_value(), "v");
}

TEST(FormatLineTest, KeepsUtf8AsIs) {
  const std::string text = "Володимир Зеленський · Umerov · 🇺🇦 · 中文 · \u2028\u2029";
  const std::string line = OneLine(text, {{"native_name", text}});
  EXPECT_THAT(line, HasSubstr(text));  // raw, not \u-escaped
  Struct parsed;
  ASSERT_TRUE(ParseJsonObject(line, &parsed));
  EXPECT_EQ(parsed.fields().at("message").string_value(), text);
  EXPECT_EQ(parsed.fields().at("native_name").string_value(), text);
}

TEST(FormatLineTest, InvalidUtf8StillGivesAValidJsonLine) {
  // Values logged include caller input (method names, principals, errors);
  // a stray byte must not make the whole line unparseable for a collector.
  const std::string invalid = "bad \xff\xfe and truncated \xe2\x82";
  const std::string line = OneLine("m", {{"value", invalid}});
  EXPECT_TRUE(IsValidUtf8(line)) << line;
  Struct parsed;
  EXPECT_TRUE(ParseJsonObject(line, &parsed));
}

TEST(FormatLineTest, NumbersAndBooleans) {
  const std::string line =
      OneLine("m", {{"max", std::numeric_limits<int64_t>::max()},
                    {"min", std::numeric_limits<int64_t>::min()},
                    {"negative", -3},
                    {"tiny", 1e-300},
                    {"huge", 1e300},
                    {"nan", std::nan("")},
                    {"infinity", std::numeric_limits<double>::infinity()},
                    {"yes", true}});
  EXPECT_THAT(line, HasSubstr("\"max\":9223372036854775807"));
  EXPECT_THAT(line, HasSubstr("\"min\":-9223372036854775808"));
  Struct parsed;
  ASSERT_TRUE(ParseJsonObject(line, &parsed));
  const auto& f = parsed.fields();
  EXPECT_EQ(f.at("negative").number_value(), -3);
  EXPECT_DOUBLE_EQ(f.at("tiny").number_value(), 1e-300);
  EXPECT_DOUBLE_EQ(f.at("huge").number_value(), 1e300);
  EXPECT_EQ(f.at("nan").kind_case(), Value::kNullValue);       // JSON has no NaN
  EXPECT_EQ(f.at("infinity").kind_case(), Value::kNullValue);  // nor infinity
  EXPECT_TRUE(f.at("yes").bool_value());
}

TEST(FormatLineTest, JsonQuoteQuotes) {
  EXPECT_EQ(log::JsonQuote(""), "\"\"");
  EXPECT_EQ(log::JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

// Runs `body` with standard error redirected to a file; returns what was written.
template <typename Body>
std::string CaptureStderr(Body body) {
  char path[] = "/tmp/summit_log_test_XXXXXX";
  const int file = ::mkstemp(path);
  EXPECT_NE(file, -1);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(file, STDERR_FILENO);
  body();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(file);
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  ::unlink(path);
  return contents.str();
}

TEST(LogTest, InfoWarningAndErrorWriteOneLineEachToStandardError) {
  const std::string written = CaptureStderr([] {
    log::Info("serving", {{"port", 50051}});
    log::Warning("slow", {{"latency_ms", 1500.0}});
    log::Error("migration failed", {{"error", "disk \"full\""}});
  });
  std::vector<std::string> lines = absl::StrSplit(written, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << written;
  const char* severities[] = {"INFO", "WARNING", "ERROR"};
  for (int i = 0; i < 3; ++i) {
    Struct parsed;
    ASSERT_TRUE(ParseJsonObject(lines[i], &parsed));
    EXPECT_EQ(parsed.fields().at("severity").string_value(), severities[i]);
    EXPECT_EQ(parsed.fields().count("time"), 1u);
  }
  Struct last;
  ASSERT_TRUE(ParseJsonObject(lines[2], &last));
  EXPECT_EQ(last.fields().at("error").string_value(), "disk \"full\"");
}

TEST(LogTest, LinesFromManyThreadsNeverInterleave) {
  constexpr int kThreads = 8;
  constexpr int kLinesPerThread = 200;
  const std::string padding(300, 'p');  // well under PIPE_BUF, over a few cache lines
  const std::string written = CaptureStderr([&] {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kLinesPerThread; ++i) {
          log::Info("rpc", {{"thread", t}, {"i", i}, {"padding", padding}});
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  });
  std::vector<std::string> lines = absl::StrSplit(written, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLinesPerThread));
  std::map<int, int> per_thread;
  for (const std::string& line : lines) {
    Struct parsed;
    ASSERT_TRUE(ParseJsonObject(line, &parsed));
    ++per_thread[static_cast<int>(parsed.fields().at("thread").number_value())];
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(per_thread[t], kLinesPerThread);
}

}  // namespace
}  // namespace summit
