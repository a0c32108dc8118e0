#!/usr/bin/env bash
# The live feed across replicas on PostgreSQL, with the parameters recorded in bench/RESULTS.md:
# feed_latency_bench against a throwaway PostgreSQL server (scripts/postgres-server.sh, every
# commit flushed, as production runs it) on this machine's disk; two summit-statements replicas
# on ports 51300 and 51301 (admin 51310, 51311). Prints the machine facts to record with the
# figures. Bounded (timeout 600 s); the server and its folder are removed afterwards.
#
#   bench/run-feed-bench.sh [PUBLICATIONS] [MODE] [BUILD_DIR]   # default: 300, durable, build
#
# MODE is the server's (scripts/postgres-server.sh): `durable` flushes every commit, `fast` does
# not, which shows the way from one replica to the other without the disk's share.
# BASELINE_BINARY=PATH (a summit-statements built from an earlier commit, e.g. one whose replicas
# only poll) runs the same bench with it first, on a database of its own, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
publications=${1:-300}
mode=${2:-durable}
dir=${3:-build}
scripts/build.sh "$dir" >/dev/null
ninja -C "$dir" -j "${SUMMIT_BUILD_JOBS:-2}" feed_latency_bench summit-statements >/dev/null

work=$(mktemp -d "$PWD/$dir/feed-bench.XXXXXX")
chmod 755 "$work"
cleanup() {
  scripts/postgres-server.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "## Machine"
echo "nproc: $(nproc)"
lscpu | head -n 20 | grep -E "^(Model name|CPU\(s\)|Hypervisor)" || true
echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
  "($(git status --porcelain 2>/dev/null | wc -l) files changed in the work tree)"
echo

server=$(scripts/postgres-server.sh start "$work/pg" "$mode")
echo "PostgreSQL server: $mode"

base=${server%/*}
run() {  # run DATABASE [FLAGS...]
  local database=$1
  shift
  psql -q "$server" -c "CREATE DATABASE $database"
  local bench=("$dir/bench/feed_latency_bench" --database="$base/$database"
               --publications="$publications" --warmup=20 --pause=20ms --base_port=51300 "$@")
  echo "\$ ${bench[*]}"
  timeout 600 "${bench[@]}"
  echo
}
if [ -n "${BASELINE_BINARY:-}" ]; then
  echo "## Baseline: $BASELINE_BINARY"
  run feed_baseline --statements_binary="$BASELINE_BINARY"
fi
echo "## This commit"
run feed
