// Realistic, seeded matchmaking problems for the scheduler's benchmarks (scheduler_bench.cc,
// cbc_compare.cc): an event shaped like the Washington summit of December 2023, scaled up to a
// trade fair. The same options and seed always give the same problem.
//
//   ScheduleProblem large = GenerateSchedulerInstance(LargeSchedulerInstance());
//   SchedulerInstanceOptions small = MediumSchedulerInstance();
//   small.seed = 7;
//   ScheduleProblem problem = GenerateSchedulerInstance(small);
//
// The event:
// - Days from 6 December 2023, 09:00–18:00 in America/New_York, cut into `slot_length` slots;
//   people need `buffer` between engagements.
// - Organizations: one in ten is a government body or delegation (ministries, the White House,
//   Congress, the Pentagon…), seven in ten are defense companies, the rest think tanks and
//   media. People belong to one organization each.
// - Fixed sessions: an opening plenary 09:00–10:00 each day that everyone attends (in the two
//   largest rooms), and panels (1 hour, 4–8 speakers, in a mid-sized room).
// - Availability: `unavailable_fraction` of the people have one or two gaps (arriving late,
//   leaving early, or away 1–3 hours), on a 10-minute clock, so they rarely align with slots.
// - Requests: seven in ten pair an industry side with a government side, the rest are
//   industry-to-industry (B2B). Government people are in demand unevenly (a few ministers are
//   asked by many; popularity falls off as 1/rank^0.7). Each side brings one person, sometimes
//   colleagues: 2 attendees (65%), 3 (20%), 4–6 (12%), 7–12 (3%). Duration 20 minutes (55%),
//   40 (35%) or 60 (10%), rounded up to whole slots. Priority uniform in 1–10.
// - Rooms: tables for 2–4 (40%), meeting rooms for 6–10 (33%), 12–20 (20%), halls for 30–40.
// - Pair rules: `pair_rules` random pairs of organizations (industry–government or
//   industry–industry) that must not meet.
#ifndef SUMMIT_BENCH_SCHEDULER_INSTANCE_H_
#define SUMMIT_BENCH_SCHEDULER_INSTANCE_H_

#include <cstdint>

#include "absl/time/time.h"
#include "services/scheduling/schedule_problem.h"

namespace summit::bench {

struct SchedulerInstanceOptions {
  uint32_t seed = 1;
  int people = 2000;
  int organizations = 400;
  int requests = 20000;
  int days = 2;
  int hour_from = 9;
  int hour_to = 18;
  absl::Duration slot_length = absl::Minutes(20);
  absl::Duration buffer = absl::Minutes(10);
  int rooms = 60;
  int panels_per_day = 6;
  double unavailable_fraction = 0.2;
  int pair_rules = 50;
};

// 2,000 people, 20,000 requests, 2 days × 9 h, 20-minute slots, 60 rooms of 2–40 seats,
// plenaries, ~20% availability gaps, 50 pair rules.
SchedulerInstanceOptions LargeSchedulerInstance();

// Small enough for CBC: 60 people, 300 requests, 1 day, 10 rooms.
SchedulerInstanceOptions MediumSchedulerInstance();

scheduling::ScheduleProblem GenerateSchedulerInstance(const SchedulerInstanceOptions& options);

}  // namespace summit::bench

#endif  // SUMMIT_BENCH_SCHEDULER_INSTANCE_H_
