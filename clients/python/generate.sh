#!/usr/bin/env bash
# Generates Summit's Python client (messages and gRPC stubs) from protos/ into
# OUT_DIR (default: build/python), with Debian's protoc and grpc_python_plugin;
# the runtime is Debian's python3-grpcio and python3-protobuf.
#
#   clients/python/generate.sh build/python
#   PYTHONPATH=build/python /usr/bin/python3 clients/python/example.py
#
# The google/api, google/rpc and google/type modules the protos import are
# generated too (the `google` package is a namespace package, so they sit
# beside the system's google.protobuf).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/build/python}
GOOGLEAPIS=${GOOGLEAPIS_DIR:-/usr/share/gocode/src/github.com/gogo/googleapis}
mkdir -p "$OUT"
cd "$ROOT/protos"
mapfile -t summit_protos < <(find summit -name '*.proto' | sort)
protoc -I. -I"$GOOGLEAPIS" --python_out="$OUT" --grpc_python_out="$OUT" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" "${summit_protos[@]}"
cd "$GOOGLEAPIS"
protoc -I. --python_out="$OUT" google/api/annotations.proto google/api/http.proto \
  google/api/client.proto google/rpc/status.proto google/rpc/code.proto \
  google/rpc/error_details.proto google/type/date.proto google/type/timeofday.proto
echo "Python client generated in $OUT"
