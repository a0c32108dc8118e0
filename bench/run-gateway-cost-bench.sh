#!/usr/bin/env bash
# Where a call's CPU goes: GetPerson at 4 in flight (h2load) direct to summit-registry, through the
# gateway's gRPC proxy and through its HTTP/JSON port, with `perf stat` on the gateway and the
# registry during each run: CPU µs and context switches (thread wake-ups) per call of each process.
# On a machine whose cores the load tool and the services share, throughput follows CPU per call.
#
#   [SUMMIT_BENCH_PORT_BASE=51200] bench/run-gateway-cost-bench.sh [SECONDS] [REPS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-6}
reps=${2:-2}
dir=${3:-build}
# perf (Debian's linux-perf) is only this benchmark's: installed here, not by install-deps.
if ! command -v perf >/dev/null; then
  SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends linux-perf
fi
source bench/summit-services.sh
clients/python/generate.sh "$work/python" >/dev/null
PYTHONPATH="$work/python" /usr/bin/python3 bench/gateway_requests.py "$work/requests"
registry_pid=${pids[0]}
gateway_pid=${pids[3]}
grpc_args=(-d "$work/requests/GetPerson.bin" -H 'content-type: application/grpc' -H 'te: trailers')
path=summit.registry.v1.RegistryService/GetPerson
measure() {  # label h2load-arguments…
  local label=$1
  shift
  h2load -D "$((seconds + 2))" -c 4 -m 1 -t 1 "$@" >"$work/h2load.txt" 2>&1 &
  local load=$!
  sleep 1
  perf stat -e task-clock,context-switches -p "$gateway_pid" -o "$work/gateway.txt" -- sleep "$seconds" &
  local gateway_stat=$!
  perf stat -e task-clock,context-switches -p "$registry_pid" -o "$work/registry.txt" -- sleep "$seconds"
  wait "$gateway_stat" "$load"
  local field='/task-clock/ {gsub(",", "", $1); ms=$1} /context-switches/ {gsub(",", "", $1); cs=$1} END {print ms + 0, cs + 0}'
  read -r gateway_ms gateway_cs < <(awk "$field" "$work/gateway.txt")
  read -r registry_ms registry_cs < <(awk "$field" "$work/registry.txt")
  awk -v label="$label" -v qps="$(awk '/finished in/ {gsub(",", "", $4); print $4}' "$work/h2load.txt")" \
    -v s="$seconds" -v gm="$gateway_ms" -v gc="$gateway_cs" -v rm="$registry_ms" -v rc="$registry_cs" \
    'BEGIN {n = qps * s; printf "| %s | %.0f | %.0f | %.1f | %.0f | %.1f |\n", label, qps, gm * 1000 / n, gc / n, rm * 1000 / n, rc / n}'
}
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo
echo "| GetPerson, 4 in flight | calls/s | gateway µs CPU/call | gateway switches/call | registry µs CPU/call | registry switches/call |"
echo "| --- | --- | --- | --- | --- | --- |"
for ((r = 0; r < reps; ++r)); do
  measure direct "${grpc_args[@]}" "http://127.0.0.1:$registry_port/$path"
  measure "gateway gRPC proxy" "${grpc_args[@]}" "http://127.0.0.1:$gateway_port/$path"
  measure "gateway HTTP/JSON" --h1 "http://127.0.0.1:$http_port/v1/people/umerov"
done
