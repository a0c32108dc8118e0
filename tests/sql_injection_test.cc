// Hostile text through every list filter (AIP-160, every List RPC and SearchStatements), every
// search (SearchPeople, SearchStatements), order_by, every page token, and the other strings that
// choose what a read returns (an itinerary's person and room, a name in a Get or BatchGet, a
// feed's resume token), against the four real processes loaded with the demo
// (tests/support/suite.h), directly on each service and through the gateway's HTTP/JSON.
//
// The texts: quotes and their escapes, statement terminators and comments (`'; DROP TABLE people;
// --`), LIKE wildcards (`%`, `_`), backslashes, NUL, text in other scripts and look-alike
// quotes, the full-text operators of SQLite FTS5 (NEAR, `*`, `"`, `^`, `-`, column filters such
// as `title:`), and a long one. Every value is to be bound as a parameter, never spliced into
// SQL, so each answer must be OK, INVALID_ARGUMENT with a google.rpc.BadRequest naming the field,
// or (for a name looked up) NOT_FOUND — never INTERNAL, never an error that quotes SQL — and
// afterwards the services hold exactly what they held before (every list, read by an organizer).
//
// Waits are bounded (kPatience, kCallPatience) and are not measurements.
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "summit/gateway/v1/gateway_service.grpc.pb.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "summit/scheduling/v1/scheduling_service.grpc.pb.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tests/support/any_call.h"
#include "tests/support/rpc_status.h"
#include "tests/support/shared_suite_test.h"
#include "tests/support/suite.h"
#include "tests/support/summit_state.h"

namespace summit {
namespace {

using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::MethodDescriptor;
using ::summit::testing::AnyCallResult;
using ::summit::testing::CallOverGrpc;
using ::summit::testing::CallOverHttp;
using ::summit::testing::Describe;
using ::summit::testing::Server;
using ::summit::testing::Suite;
using ::summit::testing::SuiteOptions;
using Code = grpc::StatusCode;

constexpr char kEvent[] = "events/udib-2023";

// The hostile texts. Each is valid UTF-8: a protobuf string field holds nothing else, and gRPC
// refuses to carry it before any Summit code runs.
std::vector<std::string> HostileTexts() {
  std::vector<std::string> texts = {
      // Quotes, escapes, terminators, comments, unions.
      "'",
      "\"",
      "\\",
      "\\'",
      "'; DROP TABLE people; --",
      "\"; DROP TABLE statements; --",
      "x' OR '1'='1",
      "1 OR 1=1",
      "') OR ('a'='a",
      "; DELETE FROM events",
      "/* comment */",
      "UNION SELECT data FROM people --",
      "'||(SELECT data FROM people LIMIT 1)||'",
      // LIKE wildcards and GLOB patterns.
      "%",
      "_",
      "a%b_c",
      "\\%",
      "[a-z]*",
      // Control characters, and what a URL gives meaning to.
      std::string("a\0b", 3),
      std::string("\0'; DROP TABLE events; --", 26),
      "\r\n",
      "a+b&c=d#e",
      "%00%27",
      // Other scripts, look-alikes, direction marks.
      "Зеленськ",
      "＇; DROP TABLE people; --",
      "\u202e'gnp.exe",
      "🇺🇦",
      "e\u0301",
      // The full-text query language of SQLite FTS5.
      "NEAR",
      "NEAR(zelensky unity)",
      "zelensky NEAR/2 unity",
      "*",
      "unity*",
      "\"unity\"",
      "^unity",
      "-unity",
      "title:unity",
      "{title body}:unity",
      "unity AND",
      "NOT unity",
      "(",
      "zelensky\" OR \"x",
      // AIP-160 operators where a value goes.
      "x AND y",
      "x OR",
      "!=",
      ":",
  };
  texts.push_back(std::string(5000, 'x'));
  texts.push_back(absl::StrCat(std::string(300, '\''), std::string(300, '%')));
  return texts;
}

// A value as an AIP-160 string literal: quoted, with `"` and `\` escaped.
std::string Quoted(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

// The fields each filtered read lets one filter by (the protos' comments).
const std::map<std::string, std::vector<std::string>>& FilterFields() {
  static const auto* const kFields = new std::map<std::string, std::vector<std::string>>{
      {"summit.registry.v1.RegistryService.ListEvents", {"country", "kind", "state"}},
      {"summit.registry.v1.RegistryService.ListOrganizations", {"country", "kind", "capabilities"}},
      {"summit.registry.v1.RegistryService.ListPeople", {"country", "organization"}},
      {"summit.registry.v1.RegistryService.ListDelegations", {"country"}},
      {"summit.registry.v1.RegistryService.ListParticipants", {"role", "state", "delegation"}},
      {"summit.scheduling.v1.SchedulingService.ListRooms", {"kind"}},
      {"summit.scheduling.v1.SchedulingService.ListSessions",
       {"kind", "state", "visibility", "room"}},
      {"summit.scheduling.v1.SchedulingService.ListMeetingRequests",
       {"state", "requester", "invitee", "attendee"}},
      {"summit.statements.v1.StatementsService.ListStatements",
       {"kind", "state", "session", "speaker"}},
      {"summit.statements.v1.StatementsService.SearchStatements",
       {"kind", "state", "session", "speaker", "language"}},
  };
  return *kFields;
}

// One request of the test: a method, and how to set the hostile text into a request of it.
struct Probe {
  const MethodDescriptor* method;
  std::string what;  // for failures, e.g. "filter `country = <text>`"
  std::function<void(Message&, const std::string& text)> put;
  bool looks_up_a_name = false;  // NOT_FOUND is a fine answer too
  // Also as the public: its reads add conditions of their own to the SQL (filters, searches).
  bool as_public = false;
  // Also over HTTP/JSON: the text through a query string and the transcoder. One probe of a
  // kind suffices (the transcoder does not know what a field means).
  bool over_http = false;
};

// Sets a string field (or adds to a repeated one) by name.
void SetString(Message& message, absl::string_view name, const std::string& value) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(std::string(name));
  ASSERT_NE(field, nullptr) << message.GetDescriptor()->full_name() << " has no " << name;
  if (field->is_repeated()) {
    message.GetReflection()->AddString(&message, field, value);
  } else {
    message.GetReflection()->SetString(&message, field, value);
  }
}

bool HasField(const Message& message, absl::string_view name) {
  return message.GetDescriptor()->FindFieldByName(std::string(name)) != nullptr;
}

const MethodDescriptor* MethodNamed(const std::string& full_name) {
  const MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  EXPECT_NE(method, nullptr) << full_name;
  return method;
}

std::unique_ptr<Message> NewRequest(const MethodDescriptor& method) {
  std::unique_ptr<Message> request(google::protobuf::MessageFactory::generated_factory()
                                       ->GetPrototype(method.input_type())
                                       ->New());
  if (HasField(*request, "parent")) SetString(*request, "parent", kEvent);
  // A search needs words to find for its filter and page token to matter; revisions, whose.
  if (method.name() == "SearchStatements") SetString(*request, "query", "unity");
  if (method.name() == "ListStatementRevisions") {
    SetString(*request, "name", "events/udib-2023/statements/zelensky-new-level-of-unity");
  }
  return request;
}

// Every probe: each filter field in each form, a filter that is nothing but the text, each
// search, order_by, every page token (the text alone, and a real token with the text after
// it), and the other strings a read is chosen by.
std::vector<Probe> Probes(const std::map<std::string, std::string>& real_page_tokens) {
  std::vector<Probe> probes;
  auto add = [&probes](const MethodDescriptor* method, std::string what,
                       std::function<void(Message&, const std::string&)> put, bool as_public,
                       bool over_http, bool looks_up_a_name = false) {
    if (method == nullptr) return;
    probes.push_back(
        {method, std::move(what), std::move(put), looks_up_a_name, as_public, over_http});
  };
  for (const auto& [name, fields] : FilterFields()) {
    const MethodDescriptor* method = MethodNamed(name);
    // Each field's value bound into its own SQL; the parser, once per list.
    for (const std::string& field : fields) {
      add(
          method, absl::StrCat("filter `", field, " = \"<text>\"`"),
          [field = field](Message& r, const std::string& text) {
            SetString(r, "filter", absl::StrCat(field, " = ", Quoted(text)));
          },
          true, field == fields.front());
    }
    add(
        method, absl::StrCat("filter `", fields.front(), " = <text>`"),
        [field = fields.front()](Message& r, const std::string& text) {
          SetString(r, "filter", absl::StrCat(field, " = ", text));
        },
        true, false);
    add(
        method, "filter `<text>`",
        [](Message& r, const std::string& text) { SetString(r, "filter", text); }, true, true);
    add(
        method, "filter `<text> = \"UA\"`",
        [](Message& r, const std::string& text) {
          SetString(r, "filter", absl::StrCat(text, " = \"UA\""));
        },
        true, false);
  }
  for (const char* name : {"summit.registry.v1.RegistryService.SearchPeople",
                           "summit.statements.v1.StatementsService.SearchStatements"}) {
    const MethodDescriptor* method = MethodNamed(name);
    add(
        method, "query `<text>`",
        [](Message& r, const std::string& text) { SetString(r, "query", text); }, true, true);
    add(
        method, "query `unity <text>`",
        [](Message& r, const std::string& text) {
          SetString(r, "query", absl::StrCat("unity ", text));
        },
        true, false);
  }
  const MethodDescriptor* list_statements =
      MethodNamed("summit.statements.v1.StatementsService.ListStatements");
  add(
      list_statements, "order_by `<text>`",
      [](Message& r, const std::string& text) { SetString(r, "order_by", text); }, true, true);
  add(
      list_statements, "order_by `publish_time desc<text>`",
      [](Message& r, const std::string& text) {
        SetString(r, "order_by", absl::StrCat("publish_time desc", text));
      },
      true, false);
  for (const std::string& name : testing::EveryMethodOfTheContract()) {
    const MethodDescriptor* method = MethodNamed(name);
    if (method == nullptr || method->input_type()->FindFieldByName("page_token") == nullptr) {
      continue;
    }
    add(
        method, "page_token `<text>`",
        [](Message& r, const std::string& text) { SetString(r, "page_token", text); }, false, true);
    const auto real = real_page_tokens.find(name);
    if (real != real_page_tokens.end()) {
      add(
          method, "page_token `<a real one><text>`",
          [token = real->second](Message& r, const std::string& text) {
            SetString(r, "page_token", token + text);
          },
          false, false);
    }
  }
  const std::vector<std::pair<std::string, std::string>> chosen_by = {
      {"summit.scheduling.v1.SchedulingService.ListItinerary", "person"},
      {"summit.scheduling.v1.SchedulingService.ListItinerary", "room"},
      {"summit.scheduling.v1.SchedulingService.ExportCalendar", "person"},
      {"summit.scheduling.v1.SchedulingService.ExportCalendar", "room"},
      {"summit.statements.v1.StatementsService.ListEmbargoedReads", "statement"},
      {"summit.statements.v1.StatementsService.WatchStatements", "resume_token"},
  };
  for (const auto& [name, field] : chosen_by) {
    add(
        MethodNamed(name), absl::StrCat(field, " `<text>`"),
        [field = field](Message& r, const std::string& text) { SetString(r, field, text); }, false,
        true);
  }
  const std::vector<std::pair<std::string, std::string>> names = {
      {"summit.registry.v1.RegistryService.GetPerson", "people/"},
      {"summit.registry.v1.RegistryService.BatchGetPeople", "people/"},
      {"summit.registry.v1.RegistryService.GetOrganization", "organizations/"},
      {"summit.registry.v1.RegistryService.GetEvent", "events/"},
      {"summit.scheduling.v1.SchedulingService.GetSession", "events/udib-2023/sessions/"},
      {"summit.statements.v1.StatementsService.GetStatement", "events/udib-2023/statements/"},
  };
  for (const auto& [name, prefix] : names) {
    const MethodDescriptor* method = MethodNamed(name);
    const std::string field =
        method != nullptr && method->name() == "BatchGetPeople" ? "names" : "name";
    add(
        method, absl::StrCat(field, " `", prefix, "<text>`"),
        [field, prefix = prefix](Message& r, const std::string& text) {
          SetString(r, field, prefix + text);
        },
        false, true, /*looks_up_a_name=*/true);
  }
  return probes;
}

// A printable form of a hostile text for failure messages.
std::string Printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text.substr(0, 60)) {
    if (c < 0x20 || c == 0x7f) {
      absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return text.size() > 60 ? absl::StrCat(out, "…(", text.size(), " bytes)") : out;
}

class SqlInjectionTest : public testing::SharedSuiteTest<SqlInjectionTest> {
 public:
  static SuiteOptions Options() {
    SuiteOptions options;
    options.name = "sql_injection";
    return options;
  }

 protected:
  static std::string State() {
    absl::StatusOr<std::string> state = testing::ReadSummitState(suite(), {kEvent}, {});
    EXPECT_TRUE(state.ok()) << state.status();
    return state.ok() ? *state : "";
  }

  // A real next_page_token of every list that has more than one item, for tampering with.
  static std::map<std::string, std::string> RealPageTokens(const std::string& token) {
    std::map<std::string, std::string> tokens;
    for (const std::string& name : testing::EveryMethodOfTheContract()) {
      const MethodDescriptor* method = MethodNamed(name);
      if (method == nullptr || method->server_streaming() ||
          method->input_type()->FindFieldByName("page_token") == nullptr) {
        continue;
      }
      std::unique_ptr<Message> request = NewRequest(*method);
      const FieldDescriptor* page_size = method->input_type()->FindFieldByName("page_size");
      request->GetReflection()->SetInt32(request.get(), page_size, 1);
      AnyCallResult result =
          CallOverGrpc(suite().Channel(testing::ServerOf(method->service()->full_name())), *method,
                       *request, token);
      if (!result.status.ok() || result.responses.empty()) continue;
      const Message& response = *result.responses.front();
      const FieldDescriptor* next = response.GetDescriptor()->FindFieldByName("next_page_token");
      if (next == nullptr) continue;
      const std::string value = response.GetReflection()->GetString(response, next);
      if (!value.empty()) tokens[name] = value;
    }
    return tokens;
  }
};

TEST_F(SqlInjectionTest, HostileTextInEveryFilterSearchOrderAndPageTokenIsBoundNeverRun) {
  const std::string organizer = suite().Token({"people/duty-officer", auth::Role::kOrganizer});
  const std::map<std::string, std::string> real_tokens = RealPageTokens(organizer);
  EXPECT_GE(real_tokens.size(), 5u) << "too few lists have a second page to tamper with";
  const std::vector<Probe> probes = Probes(real_tokens);
  const std::vector<std::string> texts = HostileTexts();
  const std::string before = State();
  ASSERT_FALSE(before.empty());

  // Who asks changes the SQL (the public's reads add conditions of their own); so does the way
  // in (over HTTP the text passes a query string and the transcoder first).
  struct Caller {
    const char* who;
    std::string token;
    bool over_http;
    bool Takes(const Probe& probe) const {
      return over_http ? probe.over_http : (!token.empty() || probe.as_public);
    }
  };
  const Caller callers[] = {{"an organizer, directly", organizer, false},
                            {"the public, directly", "", false},
                            {"an organizer, over HTTP/JSON", organizer, true}};
  const testing::StopAfter first = [](const Message&) { return true; };
  int calls = 0, refused = 0;
  for (const Probe& probe : probes) {
    for (const std::string& text : texts) {
      std::unique_ptr<Message> request = NewRequest(*probe.method);
      probe.put(*request, text);
      for (const Caller& caller : callers) {
        if (!caller.Takes(probe)) continue;
        const std::string where = absl::StrCat(probe.method->name(), " with ", probe.what,
                                               ", text `", Printable(text), "`, as ", caller.who);
        const AnyCallResult result =
            caller.over_http
                ? CallOverHttp(suite().http_port(), *probe.method, *request, caller.token, first)
                : CallOverGrpc(
                      suite().Channel(testing::ServerOf(probe.method->service()->full_name())),
                      *probe.method, *request, caller.token, first);
        ++calls;
        const Code code = result.status.error_code();
        // Refused before the text is looked at: the public asking for what only organizers
        // may read.
        const bool not_for_the_public = caller.token.empty() && code == Code::UNAUTHENTICATED;
        const bool acceptable = code == Code::OK || code == Code::INVALID_ARGUMENT ||
                                (probe.looks_up_a_name && code == Code::NOT_FOUND) ||
                                not_for_the_public;
        EXPECT_TRUE(acceptable) << where << ": " << Describe(result.status);
        if (code == Code::INVALID_ARGUMENT) {
          ++refused;
          const std::vector<std::string> fields = testing::DetailsOf(result.status).fields;
          EXPECT_FALSE(fields.empty())
              << where << ": INVALID_ARGUMENT names no field: " << Describe(result.status);
          for (const std::string& field : fields) EXPECT_FALSE(field.empty()) << where;
        }
        // What a database says when it ran text as SQL (none of it is in a hostile text).
        const std::string message = absl::AsciiStrToLower(result.status.error_message());
        for (const char* sql :
             {"sqlite", "syntax error", "no such column", "no such table", "unrecognized token",
              "fts5:", "malformed match", "sql logic", "near \""}) {
          EXPECT_FALSE(absl::StrContains(message, sql))
              << where << ": the error speaks SQL: " << result.status.error_message();
        }
      }
    }
  }
  EXPECT_GT(refused, 0);
  const std::string after = State();
  EXPECT_TRUE(testing::Unchanged(before, after))
      << "hostile reads changed the services (" << calls << " calls)";
  std::cerr << calls << " calls, " << refused << " refused with INVALID_ARGUMENT\n";
}

}  // namespace
}  // namespace summit
