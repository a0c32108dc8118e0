#!/usr/bin/env bash
# The contract's checks: buf lint and buf format on protos/, and buf breaking
# against the protos of the previous commit (of HEAD itself while protos/ has
# uncommitted changes). Imports (google/api, google/rpc,
# google/type) come from Debian's googleapis files through protoc-built
# images, so no registry is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUF=.tools/node_modules/.bin/buf
GOOGLEAPIS=/usr/share/gocode/src/github.com/gogo/googleapis
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

image() {  # image PROTO_ROOT OUT
  (cd "$1" && protoc -I. -I"$GOOGLEAPIS" --include_imports --include_source_info \
     --descriptor_set_out="$2" $(find summit -name '*.proto' | sort))
}

image protos "$work/current.binpb"
"$BUF" lint "$work/current.binpb" --config protos/buf.yaml
"$BUF" format protos --diff --exit-code
echo "protos: buf lint and buf format clean"

against=HEAD~1
git diff --quiet HEAD -- protos 2>/dev/null || against=HEAD
if git rev-parse -q --verify "$against" >/dev/null &&
   [ -n "$(git ls-tree -r --name-only "$against" protos/summit 2>/dev/null)" ]; then
  mkdir -p "$work/previous"
  git archive "$against" protos | tar -x -C "$work/previous"
  image "$work/previous/protos" "$work/previous.binpb"
  "$BUF" breaking "$work/current.binpb" --against "$work/previous.binpb" --config protos/buf.yaml
  echo "protos: no breaking change against $(git rev-parse --short "$against")"
else
  echo "protos: no previous commit with protos; breaking check skipped"
fi
