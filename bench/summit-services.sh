# Sourced by the gateway's benchmarks (run-gateway-bench.sh, run-feeds-bench.sh): builds and starts
# summit-registry, -scheduling, -statements and -gateway on a throwaway folder with the demo data,
# and stops them all (printing their last log lines if the benchmark failed) when the script exits.
# Fixed ports below the ephemeral range, so no outgoing connection holds one: gRPC 21050 (gateway),
# 21051–21053 (backends), HTTP 28080 (gateway).
#
#   dir=build; gateway_flags=(--sse_keep_alive=15s); source bench/summit-services.sh
#   # $work: the folder (its key is $work/key); $pids: the processes, stopped on exit.
ninja -C "$dir" -j "${SUMMIT_BUILD_JOBS:-2}" summit-registry summit-scheduling summit-statements \
  summit-gateway summitctl >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  local status=$?
  if [ "$status" != 0 ]; then
    echo "the benchmark stopped (exit $status); the services' last log lines:" >&2
    tail -n 3 "$work"/*.log >&2 || true
  fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
head -c 48 /dev/urandom > "$work/key"
start() {  # name binary grpc-port [extra flags]
  local name=$1 binary=$2 port=$3
  shift 3
  "$binary" --listen=127.0.0.1:$port --admin_listen=off --database="sqlite://$work/$name.db" \
    --auth_key_file="$work/key" --registry_address=127.0.0.1:21051 \
    --scheduling_address=127.0.0.1:21052 --statements_address=127.0.0.1:21053 \
    --log_calls=false --shutdown_drain_delay=0s "$@" 2>>"$work/$name.log" &
  pids+=($!)
}
start registry "$dir/services/registry/summit-registry" 21051
start scheduling "$dir/services/scheduling/summit-scheduling" 21052
start statements "$dir/services/statements/summit-statements" 21053
start gateway "$dir/gateway/summit-gateway" 21050 --http_listen=127.0.0.1:28080 \
  ${gateway_flags[@]+"${gateway_flags[@]}"}
"$dir/tools/summitctl" --registry_address=127.0.0.1:21051 --scheduling_address=127.0.0.1:21052 \
  --statements_address=127.0.0.1:21053 --auth_key_file="$work/key" --timeout=60s \
  demo load --role=organizer --subject=people/duty-officer >/dev/null
