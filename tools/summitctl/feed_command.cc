// summitctl feed: follows WatchStatements, one line per event, and resumes
// from the last event after a dropped connection, so nothing is missed.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "summit/statements/v1/statements_service.grpc.pb.h"
#include "tools/summitctl/connection.h"
#include "tools/summitctl/raw_call.h"
#include "tools/summitctl/workflow_commands.h"

ABSL_FLAG(bool, from_beginning, false, "feed: start from the event's first publication");
ABSL_DECLARE_FLAG(std::string, output);

namespace summit::ctl {

namespace tv1 = ::summit::statements::v1;

int RunFeed(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::cerr << "usage: summitctl feed events/EVENT [--from_beginning] [--output=json]\n";
    return 1;
  }
  absl::StatusOr<std::string> token = BearerToken();
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 1;
  }
  auto stub = tv1::StatementsService::NewStub(ChannelFor("summit.statements.v1.StatementsService"));
  std::string resume_token;
  bool from_beginning = absl::GetFlag(FLAGS_from_beginning);
  const bool json = absl::GetFlag(FLAGS_output) == "json";
  while (true) {
    grpc::ClientContext context;
    if (!token->empty()) context.AddMetadata("authorization", "Bearer " + *token);
    tv1::WatchStatementsRequest request;
    request.set_parent(args[0]);
    request.set_resume_token(resume_token);
    request.set_from_beginning(from_beginning && resume_token.empty());
    auto reader = stub->WatchStatements(&context, request);
    tv1::StatementEvent event;
    while (reader->Read(&event)) {
      resume_token = event.resume_token();
      if (json) {
        std::string line;
        (void)google::protobuf::util::MessageToJsonString(event, &line);
        std::cout << line << std::endl;
      } else {
        const tv1::Statement& statement = event.statement();
        std::cout << absl::FormatTime("%Y-%m-%d %H:%M:%S",
                                      absl::FromUnixSeconds(event.commit_time().seconds()),
                                      absl::LocalTimeZone())
                  << "  " << tv1::StatementEvent::Kind_Name(event.kind()).substr(5) << "  "
                  << statement.title() << "  (" << statement.name() << ")"
                  << (statement.correction_note().empty() || event.kind() != tv1::StatementEvent::KIND_CORRECTED
                          ? ""
                          : absl::StrCat("  correction: ", statement.correction_note()))
                  << std::endl;
      }
    }
    const grpc::Status status = reader->Finish();
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
      // The server went away (a restart, a drain): come back where we were.
      std::cerr << "feed interrupted (" << status.error_message() << "); reconnecting\n";
      absl::SleepFor(absl::Seconds(1));
      continue;
    }
    PrintError(status);
    return ExitCodeOf(status);
  }
}

}  // namespace summit::ctl
