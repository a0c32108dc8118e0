#!/usr/bin/env bash
# Registry throughput and latency against the baseline of a plain gRPC server
# (callback API, same contract, canned answers: bench/echo_server.cc),
# measured in the same run on the same machine: GetPerson as the public and
# with an organizer's token, and SearchPeople, at 4 and 256 calls in flight.
# The registry runs as a user starts it (token key, call logs on, written to
# a file); the baseline answers a person padded to the same size as the
# registry's reply in that scenario, and gets the same request (the token
# included). Prints a Markdown table for bench/RESULTS.md. Traffic stays on
# loopback; every run is bounded in time.
#
#   bench/run-registry-bench.sh [SECONDS_PER_RUN] [REPETITIONS]
#
# Environment:
#   REGISTRY_BENCH_PORT=50951  first of the four loopback ports it uses
#   BEFORE=PATH                another summit-registry binary (an older build) to measure
#                              beside this one, alternating with it, in extra columns
#   SCENARIOS="get_person get_person_organizer search_people"
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
REPS=${2:-3}
PORT=${REGISTRY_BENCH_PORT:-50951}
SCENARIOS=${SCENARIOS:-get_person get_person_organizer search_people}
scripts/build.sh build >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
head -c 48 /dev/urandom > "$work/key"

REGISTRY=127.0.0.1:$PORT
ECHO=127.0.0.1:$((PORT + 1))
ECHO_ORGANIZER=127.0.0.1:$((PORT + 2))
BEFORE_REGISTRY=127.0.0.1:$((PORT + 3))
start_registry() {  # start_registry BINARY ADDRESS NAME
  "$1" --listen="$2" --admin_listen=off --database="sqlite://$work/$3.db" \
    --auth_key_file="$work/key" 2>"$work/$3.log" &
  pids+=($!)
}
start_registry build/services/registry/summit-registry $REGISTRY registry
[ -n "${BEFORE:-}" ] && start_registry "$BEFORE" $BEFORE_REGISTRY before
TOKEN=$(build/tools/summitctl token --role=organizer --subject=people/bench --auth_key_file="$work/key")
build/bench/rpc_load --target=$REGISTRY --seed_people=1000 --token="$TOKEN" >/dev/null
[ -n "${BEFORE:-}" ] && build/bench/rpc_load --target=$BEFORE_REGISTRY --seed_people=1000 --token="$TOKEN" >/dev/null

load() {  # load TARGET SCENARIO IN_FLIGHT LABEL: one run; get_person_organizer sends the token
  local scenario=$2 token=()
  if [ "$scenario" = get_person_organizer ]; then scenario=get_person; token=(--token="$TOKEN"); fi
  build/bench/rpc_load --target="$1" --scenario="$scenario" --in_flight="$3" --label="$4" \
    --duration="${SECONDS_PER_RUN}s" --warmup=1s "${token[@]}"
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
reply_bytes() { printf '%.0f' "$(field "$(SECONDS_PER_RUN=1 load "$@" 4 probe)" reply_bytes)"; }

public_bytes=$(reply_bytes $REGISTRY get_person)
organizer_bytes=$(reply_bytes $REGISTRY get_person_organizer)
build/bench/echo_server --listen=$ECHO --reply_bytes="$public_bytes" 2>/dev/null &
pids+=($!)
build/bench/echo_server --listen=$ECHO_ORGANIZER --reply_bytes="$organizer_bytes" 2>/dev/null &
pids+=($!)
sleep 0.5

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

if [ -n "${BEFORE:-}" ]; then
  echo "| scenario | in flight | echo qps | summit qps | ratio | before qps | before ratio | echo p50/p99 µs | summit p50/p99 µs | before p50/p99 µs | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
else
  echo "| scenario | in flight | echo qps | summit qps | ratio | echo p50/p99 µs | summit p50/p99 µs | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
fi
for scenario in $SCENARIOS; do
  echo_target=$ECHO
  [ "$scenario" = get_person_organizer ] && echo_target=$ECHO_ORGANIZER
  for in_flight in 4 256; do
    echo_qps=(); summit_qps=(); before_qps=(); errors=""
    for ((rep = 0; rep < REPS; rep++)); do
      # Alternate baseline and target so that drift hits both alike. The
      # baseline always answers GetPerson: it is the cost of a call itself.
      echo_scenario=get_person
      [ "$scenario" = get_person_organizer ] && echo_scenario=get_person_organizer
      e=$(load $echo_target $echo_scenario "$in_flight" echo)
      s=$(load $REGISTRY "$scenario" "$in_flight" summit)
      echo_qps+=("$(field "$e" qps)"); summit_qps+=("$(field "$s" qps)")
      echo_lat="$(field "$e" p50_us)/$(field "$e" p99_us)"
      summit_lat="$(field "$s" p50_us)/$(field "$s" p99_us)"
      errors="$errors$(field "$s" errors | tr -d '{}')"
      if [ -n "${BEFORE:-}" ]; then
        b=$(load $BEFORE_REGISTRY "$scenario" "$in_flight" before)
        before_qps+=("$(field "$b" qps)")
        before_lat="$(field "$b" p50_us)/$(field "$b" p99_us)"
        errors="$errors$(field "$b" errors | tr -d '{}')"
      fi
    done
    eq=$(printf '%s\n' "${echo_qps[@]}" | median)
    sq=$(printf '%s\n' "${summit_qps[@]}" | median)
    if [ -n "${BEFORE:-}" ]; then
      bq=$(printf '%s\n' "${before_qps[@]}" | median)
      echo "| $scenario | $in_flight | $eq | $sq | $(ratio "$sq" "$eq") | $bq | $(ratio "$bq" "$eq") | $echo_lat | $summit_lat | $before_lat | ${errors:-none} |"
    else
      echo "| $scenario | $in_flight | $eq | $sq | $(ratio "$sq" "$eq") | $echo_lat | $summit_lat | ${errors:-none} |"
    fi
  done
done
echo
echo "Summit's GetPerson reply: $public_bytes bytes to the public, $organizer_bytes to an organizer;" \
  "the baseline's: $(reply_bytes $ECHO get_person) and $(reply_bytes $ECHO_ORGANIZER get_person_organizer) bytes."
echo "Call log lines written: $(wc -l < "$work/registry.log") (the registry's stderr, a file)."
echo "Medians of $REPS runs of ${SECONDS_PER_RUN}s (1s warm-up); latency from the last run."
