#!/usr/bin/env bash
# Registry throughput and latency against the baseline of a plain gRPC server
# (callback API, same contract, canned answers: bench/echo_server.cc),
# measured in the same run on the same machine: GetPerson and SearchPeople at 4 and 256 calls in flight. Prints a
# Markdown table for bench/RESULTS.md. Traffic stays on loopback; every run is
# bounded in time.
#
#   bench/run-registry-bench.sh [SECONDS_PER_RUN] [REPETITIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
REPS=${2:-3}
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

REGISTRY=127.0.0.1:50951
ECHO=127.0.0.1:50952
build/services/registry/summit-registry --listen=$REGISTRY --admin_listen=off \
  --database="sqlite://$work/registry.db" --auth_key_file="$work/key" 2>"$work/registry.log" &
pids+=($!)
TOKEN=$(build/tools/summitctl token --role=organizer --subject=people/bench --auth_key_file="$work/key")
build/bench/rpc_load --target=$REGISTRY --seed_people=1000 --token="$TOKEN" >/dev/null

load() {  # load TARGET SCENARIO IN_FLIGHT LABEL
  build/bench/rpc_load --target="$1" --scenario="$2" --in_flight="$3" --label="$4" \
    --duration="${SECONDS_PER_RUN}s" --warmup=1s
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

probe=$(load $REGISTRY get_person 4 probe)
reply_bytes=$(printf '%.0f' "$(field "$probe" reply_bytes)")
build/bench/echo_server --listen=$ECHO 2>/dev/null &
pids+=($!)
sleep 0.5

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| scenario | in flight | echo qps | summit qps | ratio | echo p50/p99 µs | summit p50/p99 µs | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for scenario in get_person search_people; do
  for in_flight in 4 256; do
    echo_qps=(); summit_qps=(); echo_lat=""; summit_lat=""; errors=""
    for ((rep = 0; rep < REPS; rep++)); do
      # Alternate baseline and target so that drift hits both alike.
      e=$(load $ECHO get_person "$in_flight" echo)
      s=$(load $REGISTRY "$scenario" "$in_flight" summit)
      echo_qps+=("$(field "$e" qps)"); summit_qps+=("$(field "$s" qps)")
      echo_lat="$(field "$e" p50_us)/$(field "$e" p99_us)"
      summit_lat="$(field "$s" p50_us)/$(field "$s" p99_us)"
      errors="$errors$(field "$s" errors | tr -d '{}')"
    done
    eq=$(printf '%s\n' "${echo_qps[@]}" | median)
    sq=$(printf '%s\n' "${summit_qps[@]}" | median)
    ratio=$(python3 -c "print(f'{$sq/$eq:.2f}')")
    echo "| $scenario | $in_flight | $eq | $sq | $ratio | $echo_lat | $summit_lat | ${errors:-none} |"
  done
done
echo
echo "Summit's GetPerson reply: $reply_bytes bytes; the baseline's: $(field "$(load $ECHO get_person 4 probe)" reply_bytes) bytes."
echo "Medians of $REPS runs of ${SECONDS_PER_RUN}s (1s warm-up); latency from the last run."
