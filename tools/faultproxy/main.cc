// summit-faultproxy: the fault proxy (fault_proxy.h) from the command line, for trying by hand
// what a test does — e.g. a slow or flapping Registry behind Scheduling:
//
//   summit-faultproxy --listen=127.0.0.1:60051 --upstream=127.0.0.1:50051 --fault=latency=300ms
//   summit-scheduling --registry_address=127.0.0.1:60051 …
//
// Each line typed on standard input while it runs is a new fault ("black_hole", "reset",
// "none", "down.bandwidth=1000,latency=50ms"; see fault.h), so faults change live. Loopback
// addresses only. SIGINT or SIGTERM stops it; it prints what it forwarded.
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "tools/faultproxy/fault.h"
#include "tools/faultproxy/fault_proxy.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "HOST:PORT to listen on (loopback only; port 0: any free port, printed at start)");
ABSL_FLAG(std::string, upstream, "", "HOST:PORT to forward to (loopback only); required");
ABSL_FLAG(std::string, fault, "none",
          "the fault in force at start, e.g. \"latency=200ms\", \"up.bandwidth=10000\", "
          "\"black_hole\", \"reset_new\" (items: none, latency=D, bandwidth=B, black_hole, "
          "up.* and down.* for one direction, reset, reset_new)");
ABSL_FLAG(std::string, schedule, "",
          "steps \"D:FAULT; D:FAULT; …\", each set D after the previous one, e.g. "
          "\"2s:black_hole; 3s:none\"; runs once, after --fault");

namespace {

using summit::faultproxy::Fault;
using summit::faultproxy::FaultProxy;
using summit::faultproxy::FaultStep;

int Fail(const std::string& message) {
  std::fprintf(stderr, "summit-faultproxy: %s\n", message.c_str());
  return 1;
}

// Applies each line of standard input as a new fault, until it ends.
void ReadFaults(FaultProxy* proxy) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    absl::StatusOr<Fault> fault = summit::faultproxy::ParseFault(line);
    if (!fault.ok()) {
      std::fprintf(stderr, "%s\n", std::string(fault.status().message()).c_str());
      continue;
    }
    proxy->SetFault(*fault);
    std::fprintf(stderr, "fault: %s\n", summit::faultproxy::FaultToString(*fault).c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "A TCP proxy on loopback that injects faults: summit-faultproxy --upstream=HOST:PORT "
      "[--listen=HOST:PORT] [--fault=FAULT] [--schedule=STEPS]; then one fault a line on stdin");
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_upstream).empty()) return Fail("--upstream=HOST:PORT is required");
  absl::StatusOr<Fault> fault = summit::faultproxy::ParseFault(absl::GetFlag(FLAGS_fault));
  if (!fault.ok()) return Fail(std::string(fault.status().message()));
  std::vector<FaultStep> schedule;
  if (!absl::GetFlag(FLAGS_schedule).empty()) {
    absl::StatusOr<std::vector<FaultStep>> parsed =
        summit::faultproxy::ParseSchedule(absl::GetFlag(FLAGS_schedule));
    if (!parsed.ok()) return Fail(std::string(parsed.status().message()));
    schedule = *std::move(parsed);
  }

  // Signals are taken by sigwait below, not by whichever thread they land on.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<std::unique_ptr<FaultProxy>> proxy =
      FaultProxy::Start({.listen = absl::GetFlag(FLAGS_listen),
                         .upstream = absl::GetFlag(FLAGS_upstream),
                         .fault = *fault});
  if (!proxy.ok()) return Fail(std::string(proxy.status().message()));
  std::fprintf(stderr, "listening on %s, forwarding to %s, fault: %s\n",
               (*proxy)->address().c_str(), absl::GetFlag(FLAGS_upstream).c_str(),
               summit::faultproxy::FaultToString(*fault).c_str());
  if (!schedule.empty()) (*proxy)->RunSchedule(std::move(schedule));
  std::thread(ReadFaults, proxy->get()).detach();

  int signal = 0;
  sigwait(&stop_signals, &signal);
  (*proxy)->Stop();
  const FaultProxy::Stats stats = (*proxy)->stats();
  std::fprintf(stderr, "stopped: %lld connections, %lld reset, %lld bytes up, %lld bytes down\n",
               static_cast<long long>(stats.connections_accepted),
               static_cast<long long>(stats.connections_reset),
               static_cast<long long>(stats.bytes_up), static_cast<long long>(stats.bytes_down));
  // The stdin reader may still be blocked in a read; leave without joining it.
  std::fflush(stderr);
  std::_Exit(0);
}
