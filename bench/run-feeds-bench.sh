#!/usr/bin/env bash
# Open live feeds against other calls through the gateway (issue 16, defect 3), in one run on one
# machine: the latency of other callers' HTTP calls through the gateway — a page of statements
# (GET /v1/events/udib-2023/statements?pageSize=1, the call the feeds starved) and the event
# overview (its statements part starved too) — with no feed open (idle, the baseline) and with
# FEEDS Server-Sent Event streams open (bench/feed_holder.py; from distinct loopback source
# addresses, 10 each, so that the per-caller cap is not what is measured), watching from now, as
# quiet feeds do between publications. The same load tool
# for both: wrk, 1 thread, 4 connections, SECONDS per run. Idle and loaded runs alternate, REPS
# of each; the table gives medians of p50 and p99, and loaded p99 / idle p99.
#
#   bench/run-feeds-bench.sh [SECONDS_PER_RUN] [REPS] [FEEDS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
reps=${2:-3}
feeds=${3:-1000}
dir=${4:-build}
source bench/summit-services.sh
curl -sf "http://127.0.0.1:$http_port/v1/events/udib-2023/statements?pageSize=1" >/dev/null
curl -sf "http://127.0.0.1:$http_port/v1/events/udib-2023:overview" >/dev/null

# Durations as wrk prints them (850.00us, 1.05ms, 2.10s) in milliseconds.
TO_MS='function ms(t) { if (t ~ /us$/) return t / 1000; if (t ~ /ms$/) return t + 0; if (t ~ /s$/) return t * 1000; return t }'
measure() {  # path → "p50_ms p99_ms calls_per_s non_2xx"
  wrk -t 1 -c 4 -d "${seconds}s" --latency "http://127.0.0.1:$http_port$1" 2>/dev/null |
    awk "$TO_MS"' /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)} /Requests\/sec/ {qps=$2}
                  /Non-2xx/ {bad=$NF} END {print p50, p99, qps, bad + 0}'
}
paths=("/v1/events/udib-2023/statements?pageSize=1" "/v1/events/udib-2023:overview")
declare -A results
holder_pid=
hold_feeds() {
  # Watching from now: a feed from the beginning would first send the demo's statements, 1,000
  # times over, and that burst would overlap the measurement; what is measured is feeds held open.
  coproc HOLDER { exec /usr/bin/python3 bench/feed_holder.py "$http_port" \
    "/v1/events/udib-2023/statements:watch" "$feeds" 10; }
  holder_pid=$HOLDER_PID
  pids+=("$holder_pid")
  local line
  read -r -t 120 line <&"${HOLDER[0]}" || { echo "the feeds did not open" >&2; exit 1; }
  [ "$line" = "open $feeds" ] || { echo "feed holder: $line" >&2; exit 1; }
  # Every feed has its head; the streams behind them settle (retry: hints, first reads).
  sleep 2
}
release_feeds() {
  kill -TERM "$holder_pid" 2>/dev/null || true
  wait "$holder_pid" 2>/dev/null || true
  # The gateway notices the closed connections and frees their streams.
  sleep 2
}
run() {  # idle|loaded
  for path in "${paths[@]}"; do results[$1 $path]+="$(measure "$path");"; done
}
for ((r = 0; r < reps; ++r)); do
  if ((r % 2 == 0)); then
    run idle
    hold_feeds; run loaded; release_feeds
  else
    hold_feeds; run loaded; release_feeds
    run idle
  fi
done
median() { tr ';' '\n' | grep -v '^$' | awk -v f="$1" '{print $f}' | sort -g |
  awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
total_bad() { tr ';' '\n' | grep -v '^$' | awk '{s += $4} END {print s + 0}'; }
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "wrk -t 1 -c 4, ${seconds} s per run, median of $reps; $feeds feeds open in the loaded runs"
echo
echo "| call (HTTP, through the gateway) | idle p50 / p99 ms | idle calls/s | $feeds feeds p50 / p99 ms | $feeds feeds calls/s | loaded p99 / idle p99 | non-2xx |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for path in "${paths[@]}"; do
  idle="${results[idle $path]}"
  loaded="${results[loaded $path]}"
  idle_p99=$(echo "$idle" | median 2)
  loaded_p99=$(echo "$loaded" | median 2)
  echo "| GET $path | $(echo "$idle" | median 1) / $idle_p99 | $(echo "$idle" | median 3)" \
    "| $(echo "$loaded" | median 1) / $loaded_p99 | $(echo "$loaded" | median 3)" \
    "| $(awk -v a="$loaded_p99" -v b="$idle_p99" 'BEGIN {printf "%.2f×", a / b}')" \
    "| $(( $(echo "$idle" | total_bad) + $(echo "$loaded" | total_bad) )) |"
done
echo
echo "Every run's p99 (ms), in run order — the spread the shared machine gives:"
for path in "${paths[@]}"; do
  echo "- GET $path: idle $(echo "${results[idle $path]}" | tr ';' '\n' | awk 'NF {printf "%s%s", s, $2; s = ", "}');" \
    "$feeds feeds $(echo "${results[loaded $path]}" | tr ';' '\n' | awk 'NF {printf "%s%s", s, $2; s = ", "}')"
done
echo
echo "target: loaded p99 ≤ 2× idle p99"
