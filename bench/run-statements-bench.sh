#!/usr/bin/env bash
# The Statements benchmarks with the parameters recorded in bench/RESULTS.md:
# - publication throughput, 64 writers, durable group commit against one fsync per write and
#   against no flush at all, in the same run: over gRPC against summit-statements (the target) and
#   in process (for comparison); then the same on a throwaway PostgreSQL server (every commit
#   flushed, as production runs it), synchronous_commit on against off;
# - search latency over 100,000 statements, in process.
# Builds only what they need, in a Release tree of its own (not build/: others use it), prints the
# machine facts to record with the figures, and removes its databases afterwards. Each run is
# bounded (timeout 300 s).
#
#   bench/run-statements-bench.sh [BUILD_DIR]     # default: build-bench
#
# The databases go under BUILD_DIR, on the disk being measured: on a tmpfs fsync costs nothing and
# the group commit comparison means nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-bench}
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSUMMIT_BUILD_BENCHMARKS=ON >/dev/null
fi
ninja -C "$dir" -j "${SUMMIT_BUILD_JOBS:-2}" \
  statements_publish_bench statements_search_bench summit-statements >/dev/null

work=$(mktemp -d "$PWD/$dir/statements-bench.XXXXXX")
chmod 755 "$work"
cleanup() {
  scripts/postgres-server.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "## Machine"
echo "nproc: $(nproc)"
lscpu | head -n 20 | grep -E "^(Model name|CPU\(s\)|Thread|Core|Hypervisor)" || true
echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
fs=$(df --output=source,fstype "$work" | tail -n 1)
echo "database folder: $work on $fs"
device=$(basename "$(df --output=source "$work" | tail -n 1)")
if [ -e "/sys/block/$device/queue/rotational" ]; then
  echo "disk $device: rotational=$(cat "/sys/block/$device/queue/rotational")" \
    "model=$(cat "/sys/block/$device/device/model" 2>/dev/null || echo '?')"
fi
if [ "$(stat -f -c %T "$work")" = tmpfs ]; then
  echo "WARNING: the databases are on a tmpfs; fsync is free there" >&2
fi
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
  "($(git status --porcelain 2>/dev/null | wc -l) files changed in the work tree)"
echo

publish=("$dir/bench/statements_publish_bench" --writers=64 --per_writer=40 --reps=3
         --paths=grpc,in_process --dir="$work")
echo "## Publication: \$ ${publish[*]}"
timeout 300 "${publish[@]}"
echo

server=$(scripts/postgres-server.sh start "$work/pg" durable)
psql -q "$server" -c "CREATE DATABASE publish"
on_postgres=("$dir/bench/statements_publish_bench" --writers=64 --per_writer=40 --reps=3
             --paths=grpc --modes=group,no_flush --postgres="${server%/*}/publish")
echo "## Publication on PostgreSQL: \$ ${on_postgres[*]}"
timeout 300 "${on_postgres[@]}"
scripts/postgres-server.sh stop "$work/pg" >/dev/null
echo

search=("$dir/bench/statements_search_bench" --statements=100000 --queries=2000 --warmup=100
        --seed=1 --dir="$work")
echo "## Search: \$ ${search[*]}"
timeout 300 "${search[@]}"
