# Sourced by the gateway's benchmarks (run-gateway-bench.sh, run-feeds-bench.sh): builds and starts
# summit-registry, -scheduling, -statements and -gateway on a throwaway folder with the demo data,
# and stops them all (printing their last log lines if the benchmark failed) when the script exits.
# Fixed ports, so that the benchmarks' curl, h2load and wrk lines can name them: from
# SUMMIT_BENCH_PORT_BASE (default 21050, below the ephemeral range, so no outgoing connection holds
# one), gRPC BASE (gateway), BASE+1 to BASE+3 (registry, scheduling, statements), HTTP BASE+4
# (gateway). Give each benchmark run on a shared machine a base of its own.
#
#   dir=build; gateway_flags=(--sse_keep_alive=15s); source bench/summit-services.sh
#   # $work: the folder (its key is $work/key); $pids: the processes, stopped on exit;
#   # $gateway_port, $registry_port, $scheduling_port, $statements_port, $http_port.
# A build tree is brought up to date; a folder of binaries alone (a baseline's, laid out as in a
# build tree) is used as it is.
if [ -f "$dir/build.ninja" ]; then
  ninja -C "$dir" -j "${SUMMIT_BUILD_JOBS:-2}" summit-registry summit-scheduling summit-statements \
    summit-gateway summitctl >/dev/null
fi

port_base=${SUMMIT_BENCH_PORT_BASE:-21050}
gateway_port=$port_base
registry_port=$((port_base + 1))
scheduling_port=$((port_base + 2))
statements_port=$((port_base + 3))
http_port=$((port_base + 4))

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
    --auth_key_file="$work/key" --registry_address=127.0.0.1:$registry_port \
    --scheduling_address=127.0.0.1:$scheduling_port --statements_address=127.0.0.1:$statements_port \
    --log_calls=false --shutdown_drain_delay=0s "$@" 2>>"$work/$name.log" &
  pids+=($!)
}
start registry "$dir/services/registry/summit-registry" "$registry_port"
start scheduling "$dir/services/scheduling/summit-scheduling" "$scheduling_port"
start statements "$dir/services/statements/summit-statements" "$statements_port"
start gateway "$dir/gateway/summit-gateway" "$gateway_port" --http_listen="127.0.0.1:$http_port" \
  ${gateway_flags[@]+"${gateway_flags[@]}"}
"$dir/tools/summitctl" --registry_address=127.0.0.1:$registry_port --scheduling_address=127.0.0.1:$scheduling_port \
  --statements_address=127.0.0.1:$statements_port --auth_key_file="$work/key" --timeout=60s \
  demo load --role=organizer --subject=people/duty-officer >/dev/null
