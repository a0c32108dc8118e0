// summitctl import people FILE.csv: creates each row's person, showing
// progress and reporting each failed row with its line and reason. A row is
// one CreatePerson call, so no row is ever half written; a row's request id
// is derived from its id, so running the import again creates nothing twice.
//
// Columns (header line required): id,display_name,native_name,title,
// organization,country,languages,email,phone — languages separated by ';',
// organization as organizations/ID or ID.
#include <fstream>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "summit/registry/v1/registry_service.grpc.pb.h"
#include "tools/summitctl/connection.h"
#include "tools/summitctl/raw_call.h"
#include "tools/summitctl/workflow_commands.h"

namespace summit::ctl {
namespace {

namespace rv1 = ::summit::registry::v1;

constexpr const char* kColumns[] = {"id",      "display_name", "native_name", "title", "organization",
                                    "country", "languages",    "email",       "phone"};

// One CSV line: fields separated by commas, double quotes around a field
// that holds commas or quotes ("" for a quote). False when a quote is open
// at the end of the line.
bool SplitCsvLine(absl::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

void Progress(int done, int total, int failed) {
  constexpr int kWidth = 30;
  const int filled = total == 0 ? kWidth : done * kWidth / total;
  std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done
            << "/" << total << (failed > 0 ? absl::StrCat("  ", failed, " failed") : "") << std::flush;
}

}  // namespace

int RunImport(const std::vector<std::string>& args) {
  if (args.size() != 2 || args[0] != "people") {
    std::cerr << "usage: summitctl import people FILE.csv\n";
    return 1;
  }
  std::ifstream file(args[1]);
  if (!file) {
    std::cerr << "cannot read " << args[1] << "\n";
    return 1;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  std::vector<std::string> header;
  if (lines.empty() || !SplitCsvLine(lines[0], header)) {
    std::cerr << args[1] << ": no header line\n";
    return 1;
  }
  std::vector<int> column_of(std::size(kColumns), -1);
  for (size_t c = 0; c < header.size(); ++c) {
    bool known = false;
    for (size_t k = 0; k < std::size(kColumns); ++k) {
      if (absl::StripAsciiWhitespace(header[c]) == kColumns[k]) {
        column_of[k] = static_cast<int>(c);
        known = true;
      }
    }
    if (!known) {
      std::cerr << args[1] << ":1: unknown column \"" << header[c] << "\"\n";
      return 1;
    }
  }
  absl::StatusOr<std::string> token = BearerToken();
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 1;
  }
  auto stub = rv1::RegistryService::NewStub(ChannelFor("summit.registry.v1.RegistryService"));
  const int total = static_cast<int>(lines.size()) - 1;
  std::vector<std::string> report;
  int created = 0;
  for (int row = 1; row <= total; ++row) {
    const std::string where = absl::StrCat(args[1], ":", row + 1, ": ");
    std::vector<std::string> fields;
    if (lines[row].empty()) {
      Progress(row, total, static_cast<int>(report.size()));
      continue;
    }
    if (!SplitCsvLine(lines[row], fields) || fields.size() != header.size()) {
      report.push_back(absl::StrCat(where, "expected ", header.size(), " fields, found ", fields.size(),
                                    " (or an unclosed quote)"));
      Progress(row, total, static_cast<int>(report.size()));
      continue;
    }
    const auto value = [&](int column) {
      return column_of[column] < 0 ? std::string() : fields[column_of[column]];
    };
    rv1::CreatePersonRequest request;
    request.set_person_id(value(0));
    request.set_request_id(absl::StrCat("import-person-", value(0)));
    rv1::Person* person = request.mutable_person();
    person->set_display_name(value(1));
    person->set_native_name(value(2));
    person->set_title(value(3));
    const std::string organization = value(4);
    if (!organization.empty()) {
      person->set_organization(absl::StartsWith(organization, "organizations/")
                                   ? organization
                                   : absl::StrCat("organizations/", organization));
    }
    person->set_country(value(5));
    for (absl::string_view language : absl::StrSplit(value(6), ';', absl::SkipWhitespace())) {
      person->add_languages(std::string(absl::StripAsciiWhitespace(language)));
    }
    person->set_email(value(7));
    person->set_phone(value(8));
    rv1::Person response;
    const grpc::Status status = stub->CreatePerson(CallContext(*token).get(), request, &response);
    if (status.ok()) {
      ++created;
    } else {
      std::string reason = status.error_message();
      report.push_back(absl::StrCat(where, reason));
    }
    Progress(row, total, static_cast<int>(report.size()));
  }
  std::cerr << "\n";
  for (const std::string& line : report) std::cerr << line << "\n";
  std::cout << created << " of " << total << " rows imported";
  if (!report.empty()) std::cout << "; " << report.size() << " failed (listed above)";
  std::cout << "\n";
  return report.empty() ? 0 : 2 + static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace summit::ctl
