#!/usr/bin/env bash
# The gateway's benchmark, in one run on one machine, with one load tool (h2load) on every side:
# - GetPerson at 4 calls in flight: direct gRPC to summit-registry, through the gateway's gRPC
#   port (its generic proxy), and through its HTTP/JSON port (h2load --h1: HTTP/1.1, one request
#   at a time on each of 4 connections, as the gRPC sides have one call at a time on each);
# - GetEventOverview through the gateway at 1 and at 16 in flight, against each of the backend
#   calls it may make, each alone at the same number in flight (the slowest of the calls it makes
#   is the bar; OVERVIEW_CALLS names them, by default the calls of today's overview).
# Starts the four services on a throwaway folder with the demo data (bench/summit-services.sh, on
# the ports from SUMMIT_BENCH_PORT_BASE), runs each measurement REPS times, prints Markdown tables
# of medians, and stops everything.
#
#   [SUMMIT_BENCH_PORT_BASE=51200] [OVERVIEW_CALLS="ListDelegations …"] \
#     bench/run-gateway-bench.sh [SECONDS_PER_RUN] [REPS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
reps=${2:-3}
dir=${3:-build}
# The overview's backend calls: GetEvent and ListOrganizations only when its cache of the event's
# facts is refreshed (at most once per --event_facts_max_age), BatchGetPeople only for a person
# the participant list does not name.
overview_calls=${OVERVIEW_CALLS:-ListDelegations ListParticipants ListItinerary ListStatements}
source bench/summit-services.sh
clients/python/generate.sh "$work/python" >/dev/null
PYTHONPATH="$work/python" /usr/bin/python3 bench/gateway_requests.py "$work/requests"
declare -A port_of=([registry]=$registry_port [scheduling]=$scheduling_port
                    [statements]=$statements_port [gateway]=$gateway_port)
# name → "server method" of every backend call measured.
declare -A calls=(
  [GetEvent]="registry summit.registry.v1.RegistryService/GetEvent"
  [ListDelegations]="registry summit.registry.v1.RegistryService/ListDelegations"
  [ListOrganizations]="registry summit.registry.v1.RegistryService/ListOrganizations"
  [BatchGetPeople]="registry summit.registry.v1.RegistryService/BatchGetPeople"
  [ListParticipants]="registry summit.registry.v1.RegistryService/ListParticipants"
  [ListItinerary]="scheduling summit.scheduling.v1.SchedulingService/ListItinerary"
  [ListStatements]="statements summit.statements.v1.StatementsService/ListStatements"
)
call_names=(GetEvent ListDelegations ListOrganizations BatchGetPeople ListParticipants
            ListItinerary ListStatements)
# Every request is checked once for an OK answer (grpc-status 0) before it is measured.
check() {  # port method file
  curl -sf --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$work/requests/$3.bin" -o /dev/null -D "$work/headers" \
    "http://127.0.0.1:$1/$2"
  grep -qi '^grpc-status: 0' "$work/headers" || { echo "$2 failed:" >&2; cat "$work/headers" >&2; exit 1; }
}
check "$registry_port" summit.registry.v1.RegistryService/GetPerson GetPerson
check "$gateway_port" summit.registry.v1.RegistryService/GetPerson GetPerson
check "$gateway_port" summit.gateway.v1.GatewayService/GetEventOverview GetEventOverview
for name in "${call_names[@]}"; do
  read -r server method <<<"${calls[$name]}"
  check "${port_of[$server]}" "$method" "$name"
done
curl -sf "http://127.0.0.1:$http_port/v1/people/umerov" >/dev/null

# Durations as h2load prints them (850us, 1.05ms, 2.1s) in milliseconds.
TO_MS='function ms(t) { if (t ~ /us$/) return t / 1000; if (t ~ /ms$/) return t + 0; if (t ~ /s$/) return t * 1000; return t }'
H2LOAD_FIELDS="$TO_MS"' /finished in/ {gsub(",", "", $4); qps=$4} /time for request/ {mean=ms($6)}
  /requests:/ && /succeeded/ {bad=$10 + $12} END {print qps, mean, bad + 0}'
grpc() {  # in_flight port method file → "req/s mean_ms failed"
  h2load -D "$seconds" -c "$1" -m 1 -t 1 -d "$work/requests/$4.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' "http://127.0.0.1:$2/$3" 2>/dev/null |
    awk "$H2LOAD_FIELDS"
}
http() {  # in_flight path → "req/s mean_ms failed"
  h2load --h1 -D "$seconds" -c "$1" -m 1 -t 1 "http://127.0.0.1:$http_port$2" 2>/dev/null |
    awk "$H2LOAD_FIELDS"
}
declare -A results
failed=0
record() {  # key "req/s mean_ms failed"
  read -r qps mean bad <<<"$2"
  results[$1 qps]+="$qps "
  results[$1 mean]+="$mean "
  failed=$((failed + bad))
}
run_all() {
  record direct "$(grpc 4 "$registry_port" summit.registry.v1.RegistryService/GetPerson GetPerson)"
  record gateway_grpc "$(grpc 4 "$gateway_port" summit.registry.v1.RegistryService/GetPerson GetPerson)"
  record gateway_http "$(http 4 /v1/people/umerov)"
  for in_flight in 1 16; do
    record "overview $in_flight" "$(grpc "$in_flight" "$gateway_port" \
      summit.gateway.v1.GatewayService/GetEventOverview GetEventOverview)"
    for name in "${call_names[@]}"; do
      read -r server method <<<"${calls[$name]}"
      record "$name $in_flight" "$(grpc "$in_flight" "${port_of[$server]}" "$method" "$name")"
    done
  done
}
for ((r = 0; r < reps; ++r)); do run_all; done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
  "${seconds} s per run, median of $reps; failed requests: $failed"
echo
echo "| GetPerson, 4 in flight (h2load) | calls/s | vs direct |"
echo "| --- | --- | --- |"
direct=$(echo "${results[direct qps]}" | median)
for path in direct gateway_grpc gateway_http; do
  qps=$(echo "${results[$path qps]}" | median)
  echo "| $path | $qps | $(awk -v a="$qps" -v b="$direct" 'BEGIN {printf "%.2f×", a / b}') |"
done
echo
echo "| call | mean ms, 1 in flight | mean ms, 16 in flight | made by the overview |"
echo "| --- | --- | --- | --- |"
declare -A slowest=([1]=0 [16]=0)
for name in "${call_names[@]}"; do
  made=no
  [[ " $overview_calls " == *" $name "* ]] && made=yes
  row="| $name"
  for in_flight in 1 16; do
    mean=$(echo "${results[$name $in_flight mean]}" | median)
    row+=" | $mean"
    if [ "$made" = yes ]; then
      slowest[$in_flight]=$(awk -v a="$mean" -v b="${slowest[$in_flight]}" 'BEGIN {print (a > b) ? a : b}')
    fi
  done
  echo "$row | $made |"
done
row="| **GetEventOverview (through the gateway)**"
for in_flight in 1 16; do row+=" | $(echo "${results[overview $in_flight mean]}" | median)"; done
echo "$row | |"
echo
for in_flight in 1 16; do
  overview=$(echo "${results[overview $in_flight mean]}" | median)
  echo "overview / slowest backend call it makes, $in_flight in flight:" \
    "$(awk -v a="$overview" -v b="${slowest[$in_flight]}" 'BEGIN {printf "%.2f×", a / b}')" \
    "(target ≤ $([ "$in_flight" = 1 ] && echo 1.5 || echo 2)×)"
done
for path in gateway_grpc gateway_http; do
  echo "GetPerson $path / direct gRPC:" \
    "$(awk -v a="$(echo "${results[$path qps]}" | median)" -v b="$direct" 'BEGIN {printf "%.2f×", a / b}')" \
    "(target ≥ $([ "$path" = gateway_grpc ] && echo 0.7 || echo 0.5)×)"
done
