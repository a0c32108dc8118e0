#!/usr/bin/env bash
# The registry's memory under long load: GetPerson at 256 calls in flight for
# MINUTES minutes, the calls taking in turn TOKENS different organizers'
# tokens (more than the cache of verified tokens holds, so that it fills to
# its bound and evicts), call logs on (to a file). Prints the resident set
# size (VmRSS) once a minute: it must level off. Loopback only, bounded.
#
#   bench/run-registry-rss.sh [MINUTES] [TOKENS]
#
# Environment: REGISTRY_BENCH_PORT=50955 (the port it uses); REGISTRY=path to measure another
# summit-registry binary (an older build) the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
TOKENS=${2:-10000}
PORT=${REGISTRY_BENCH_PORT:-50955}
scripts/build.sh build >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
head -c 48 /dev/urandom > "$work/key"

BINARY=${REGISTRY:-build/services/registry/summit-registry}
REGISTRY=127.0.0.1:$PORT
"$BINARY" --listen=$REGISTRY --admin_listen=off \
  --database="sqlite://$work/registry.db" --auth_key_file="$work/key" 2>"$work/registry.log" &
registry=$!
pids+=($registry)
TOKEN=$(build/tools/summitctl token --role=organizer --subject=people/bench --auth_key_file="$work/key")
build/bench/rpc_load --target=$REGISTRY --seed_people=1000 --token="$TOKEN" >/dev/null

# Tokens as summitctl mints them (jwt.h: HS256 over the key file's bytes),
# for organizers people/rss-0 … people/rss-N, valid for the whole run.
python3 - "$work/key" "$TOKENS" "$MINUTES" > "$work/tokens" <<'EOF'
import base64, hashlib, hmac, json, sys, time
key = open(sys.argv[1], "rb").read()
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
now = int(time.time())
header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
for i in range(int(sys.argv[2])):
    claims = {"sub": f"people/rss-{i}", "role": "organizer", "iat": now,
              "exp": now + int(sys.argv[3]) * 60 + 3600}
    signing_input = header + "." + b64(json.dumps(claims, separators=(",", ":")).encode())
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    print(signing_input + "." + b64(mac))
EOF

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$registry/status"; }
build/bench/rpc_load --target=$REGISTRY --scenario=get_person --in_flight=256 \
  --tokens_file="$work/tokens" --duration="${MINUTES}m" --warmup=0s > "$work/load.json" &
load=$!
pids+=($load)
echo "| minute | registry RSS (MiB) |"
echo "| --- | --- |"
echo "| 0 | $(awk -v k="$(rss_kib)" 'BEGIN {printf "%.1f", k / 1024}') |"
for ((minute = 1; minute <= MINUTES; minute++)); do
  sleep 60
  echo "| $minute | $(awk -v k="$(rss_kib)" 'BEGIN {printf "%.1f", k / 1024}') |"
done
wait $load
echo
echo "Load: $(cat "$work/load.json")"
echo "Tokens: $TOKENS distinct organizers; call log lines: $(wc -l < "$work/registry.log")."
