#!/usr/bin/env bash
# The fuzz smoke run: builds the libFuzzer harnesses (fuzz/) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in a tree of their own, then runs each over its committed corpus
# (fuzz/corpus/NAME/, with fuzz/NAME.dict when there is one) and on for a bounded time.
# Any crash, leak, undefined behaviour or broken promise fails it, naming the input to replay.
#
#   scripts/fuzz-smoke.sh [BUILD_DIR]      BUILD_DIR defaults to build-fuzz/
#   FUZZ_SECONDS=300 scripts/fuzz-smoke.sh # a longer run (default: 10 s a harness)
#   FUZZERS="jwt_fuzzer filter_fuzzer" …   # only some harnesses
#   FUZZ_JOBS=1 scripts/fuzz-smoke.sh    # one at a time (default: two)
#
# New inputs the run finds go to BUILD_DIR/fuzz-work/NAME/ (or $FUZZ_WORK/NAME/), never into
# the committed corpus; copy the ones worth keeping (fuzz/README.md says how).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-10}

if [ ! -f "$dir/build.ninja" ]; then
  # -O1 and line tables: quick to build, fast enough to fuzz, reports still name lines.
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DSUMMIT_FUZZ=ON \
    -DSUMMIT_BUILD_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" >/dev/null
fi
ninja -C "$dir" -j "${SUMMIT_BUILD_JOBS:-2}" fuzz

fuzzers=${FUZZERS:-$(sed -n '/^set(SUMMIT_FUZZERS/,/^)/{/^  /p}' fuzz/CMakeLists.txt)}
work_root=${FUZZ_WORK:-$dir/fuzz-work}
# Two harnesses at a time: each is one process on one core.
jobs=${FUZZ_JOBS:-2}

# run_one NAME: fuzzes NAME; its log and status end up in its work folder.
run_one() {
  local name=$1 work="$work_root/$1"
  mkdir -p "$work/artifacts"
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192
                 -print_final_stats=1 -artifact_prefix="$work/artifacts/")
  [ -f "fuzz/$name.dict" ] && options+=(-dict="fuzz/$name.dict")
  local status=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$dir/fuzz/$name" "${options[@]}" "$work" "fuzz/corpus/$name" >"$work/log" 2>&1 || status=$?
  echo "$status" >"$work/status"
}

echo "== fuzzing $(echo $fuzzers | wc -w) harnesses, each over fuzz/corpus/NAME then ${seconds}s, $jobs at a time =="
running=0
for name in $fuzzers; do
  rm -f "$work_root/$name/status"
  run_one "$name" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0
for name in $fuzzers; do
  work="$work_root/$name"
  echo "== $name =="
  if [ "$(cat "$work/status" 2>/dev/null)" != 0 ]; then
    tail -n 60 "$work/log"
    echo "FAILED: $name; replay with: $dir/fuzz/$name $work/artifacts/<input>"
    failed=$((failed + 1))
  else
    # The final "#N DONE cov: … ft: … corp: …" line: executions, coverage, features, corpus.
    grep -a -E '^#[0-9]+[[:space:]]+DONE' "$work/log" | tail -n 1
  fi
done
if ((failed)); then
  echo "fuzz smoke: $failed of $(echo $fuzzers | wc -w) harnesses failed"
  exit 1
fi
echo "fuzz smoke: $(echo $fuzzers | wc -w) harnesses passed"
