// What a FaultProxy does to the traffic it forwards: the fault in force, and a schedule of
// faults over time. Plain values, with a text form for the command line and for logs.
//
//   Fault slow = ParseFault("latency=200ms,bandwidth=65536").value();
//   std::vector<FaultStep> flapping =
//       ParseSchedule("1s:black_hole; 2s:none; 500ms:reset,reset_new; 1s:none").value();
//
// Text form of a fault: items separated by ',', applied in order:
//   none                    no fault (the default; clears what came before)
//   latency=DURATION        delay both directions by DURATION (e.g. 150ms, 2s)
//   bandwidth=BYTES         limit both directions to BYTES per second (0: unlimited)
//   black_hole              forward nothing either way; keep connections open
//   up.latency=, up.bandwidth=, up.black_hole     the same, client → upstream only
//   down.latency=, down.bandwidth=, down.black_hole  the same, upstream → client only
//   reset                   reset (RST) every connection open when the fault is set
//   reset_new               reset every connection accepted while the fault is in force
// A schedule: steps separated by ';', each "DURATION:FAULT", meaning "DURATION after the
// previous step (or after the schedule starts), set FAULT".
//
// Thread-safety: plain values; the functions are pure.
#ifndef SUMMIT_TOOLS_FAULTPROXY_FAULT_H_
#define SUMMIT_TOOLS_FAULTPROXY_FAULT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace summit::faultproxy {

// What happens to the bytes going one way.
struct DirectionFault {
  // Each byte is forwarded no earlier than this long after it arrived.
  absl::Duration latency = absl::ZeroDuration();
  // At most this many bytes a second (per connection); 0 means unlimited.
  int64_t bytes_per_second = 0;
  // Nothing is read or forwarded: the peer's bytes wait in the kernel's buffers, as behind a
  // network that silently drops packets. Lifting it lets them flow again.
  bool black_hole = false;

  bool operator==(const DirectionFault& other) const {
    return latency == other.latency && bytes_per_second == other.bytes_per_second &&
           black_hole == other.black_hole;
  }
};

struct Fault {
  DirectionFault up;    // client → upstream
  DirectionFault down;  // upstream → client
  // Applied once, when the fault is set: every open connection is reset (RST on both sides).
  bool reset_current = false;
  // While in force: each new connection is accepted and at once reset.
  bool reset_new = false;

  bool operator==(const Fault& other) const {
    return up == other.up && down == other.down && reset_current == other.reset_current &&
           reset_new == other.reset_new;
  }
};

// One step of a schedule: `after` the previous step, `fault` is set.
struct FaultStep {
  absl::Duration after = absl::ZeroDuration();
  Fault fault;
};

// Longest latency and schedule step accepted: bounds how long a mistaken test can hang.
inline constexpr absl::Duration kMaxLatency = absl::Minutes(10);
inline constexpr absl::Duration kMaxStepDelay = absl::Hours(1);
inline constexpr size_t kMaxScheduleSteps = 1000;

// INVALID_ARGUMENT, saying which item is wrong, for text not of the form above.
absl::StatusOr<Fault> ParseFault(absl::string_view text);
absl::StatusOr<std::vector<FaultStep>> ParseSchedule(absl::string_view text);

// The text form ParseFault reads back to the same fault; "none" for no fault.
std::string FaultToString(const Fault& fault);

}  // namespace summit::faultproxy

#endif  // SUMMIT_TOOLS_FAULTPROXY_FAULT_H_
