#!/usr/bin/env bash
# Configures and builds one build tree: scripts/build.sh [DIR [CMAKE_ARGS...]].
# DIR defaults to build/. Two jobs: the machines this runs on have two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
launcher=()
# ccache, where installed (it is optional): rebuilds and sibling checkouts reuse objects.
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
fi
ninja -C "$dir" -j "${SUMMIT_BUILD_JOBS:-2}"
