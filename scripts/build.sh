#!/usr/bin/env bash
# Configures and builds one build tree: scripts/build.sh [DIR [CMAKE_ARGS...]].
# DIR defaults to build/. Two jobs: the machines this runs on have two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
fi
ninja -C "$dir" -j "${SUMMIT_BUILD_JOBS:-2}"
