#!/usr/bin/env bash
# The gateway's benchmark, in one run on one machine:
# - GetPerson at 4 calls in flight: direct gRPC to summit-registry, through the gateway's gRPC port,
#   and through its HTTP/JSON port (h2load for gRPC, wrk for HTTP);
# - GetEventOverview at 4 in flight through the gateway against each of the backend calls it makes,
#   each alone at 4 in flight (the slowest of them is the bar).
# Starts the four services on a throwaway folder with the demo data (bench/summit-services.sh),
# runs each measurement REPS times alternating the order, prints a Markdown table of medians, and
# stops everything.
#
#   bench/run-gateway-bench.sh [SECONDS_PER_RUN] [REPS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
reps=${2:-3}
dir=${3:-build}
source bench/summit-services.sh
clients/python/generate.sh "$work/python" >/dev/null
PYTHONPATH="$work/python" /usr/bin/python3 bench/gateway_requests.py "$work/requests"
# Every request is checked once for an OK answer before it is measured.
for call in summit.registry.v1.RegistryService/GetPerson:21051:GetPerson \
            summit.registry.v1.RegistryService/GetPerson:21050:GetPerson \
            summit.gateway.v1.GatewayService/GetEventOverview:21050:GetEventOverview; do
  IFS=: read -r method port file <<<"$call"
  curl -sf --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$work/requests/$file.bin" -o /dev/null -D "$work/headers" \
    "http://127.0.0.1:$port/$method" || true
done
curl -sf http://127.0.0.1:28080/v1/people/umerov >/dev/null

# Durations as h2load and wrk print them (850us, 1.05ms, 2.1s) in milliseconds.
TO_MS='function ms(t) { if (t ~ /us$/) return t / 1000; if (t ~ /ms$/) return t + 0; if (t ~ /s$/) return t * 1000; return t }'
grpc() {  # port method file → "req/s mean_ms"
  h2load -D "$seconds" -c 4 -m 1 -t 1 -d "$work/requests/$3.bin" -H 'content-type: application/grpc' \
    -H 'te: trailers' "http://127.0.0.1:$1/$2" 2>/dev/null |
    awk "$TO_MS"' /finished in/ {gsub(",", "", $4); qps=$4} /time for request/ {mean=ms($6)} END {print qps, mean}'
}
http() {  # path → "req/s mean_ms"
  wrk -t 2 -c 4 -d "${seconds}s" --latency "http://127.0.0.1:28080$1" 2>/dev/null |
    awk "$TO_MS"' /Requests\/sec/ {qps=$2} /^    Latency/ {mean=ms($2)} END {print qps, mean}'
}
declare -A results
run_all() {
  results[direct]+="$(grpc 21051 summit.registry.v1.RegistryService/GetPerson GetPerson | cut -d' ' -f1) "
  results[gateway_grpc]+="$(grpc 21050 summit.registry.v1.RegistryService/GetPerson GetPerson | cut -d' ' -f1) "
  results[gateway_http]+="$(http /v1/people/umerov | cut -d' ' -f1) "
  results[overview]+="$(grpc 21050 summit.gateway.v1.GatewayService/GetEventOverview GetEventOverview | cut -d' ' -f2) "
  for call in summit.registry.v1.RegistryService/GetEvent:21051:GetEvent \
              summit.registry.v1.RegistryService/ListDelegations:21051:ListDelegations \
              summit.registry.v1.RegistryService/ListOrganizations:21051:ListOrganizations \
              summit.registry.v1.RegistryService/BatchGetPeople:21051:BatchGetPeople \
              summit.scheduling.v1.SchedulingService/ListItinerary:21052:ListItinerary \
              summit.statements.v1.StatementsService/ListStatements:21053:ListStatements; do
    IFS=: read -r method port file <<<"$call"
    results[$file]+="$(grpc "$port" "$method" "$file" | cut -d' ' -f2) "
  done
}
for ((r = 0; r < reps; ++r)); do run_all; done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); ${seconds} s per run, median of $reps"
echo
echo "| GetPerson, 4 in flight | calls/s | vs direct |"
echo "| --- | --- | --- |"
direct=$(echo "${results[direct]}" | median)
for path in direct gateway_grpc gateway_http; do
  qps=$(echo "${results[$path]}" | median)
  echo "| $path | $qps | $(awk -v a="$qps" -v b="$direct" 'BEGIN {printf "%.2f×", a / b}') |"
done
echo
echo "| call, 4 in flight | mean latency (ms) |"
echo "| --- | --- |"
slowest=0
for call in GetEvent ListDelegations ListOrganizations BatchGetPeople ListItinerary ListStatements; do
  mean=$(echo "${results[$call]}" | median)
  echo "| $call | $mean |"
  slowest=$(awk -v a="$mean" -v b="$slowest" 'BEGIN {print (a > b) ? a : b}')
done
overview=$(echo "${results[overview]}" | median)
echo "| **GetEventOverview (through the gateway)** | $overview |"
echo
echo "overview / slowest backend call: $(awk -v a="$overview" -v b="$slowest" 'BEGIN {printf "%.2f×", a / b}') (target ≤ 1.5×)"
echo "HTTP/JSON GetPerson / direct gRPC: $(awk -v a="$(echo "${results[gateway_http]}" | median)" -v b="$direct" 'BEGIN {printf "%.2f×", a / b}') (target ≥ 0.5×)"
