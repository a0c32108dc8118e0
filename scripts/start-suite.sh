#!/usr/bin/env bash
# README's first command: installs what is missing, builds, starts every
# Summit service on the embedded default (SQLite files under .data/), loads
# the demo data, prints the addresses and a development token, and stays in
# the foreground until Ctrl-C, which stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

scripts/install-deps.sh
scripts/build.sh build

DATA=${SUMMIT_DATA_DIR:-$ROOT/.data}
mkdir -p "$DATA/logs"
KEY="$DATA/auth.key"
if [ ! -s "$KEY" ]; then
  (umask 077 && head -c 48 /dev/urandom > "$KEY")
fi

# name  binary                                  gRPC   admin
SERVICES=(
  "registry build/services/registry/summit-registry 50051 9091"
  "scheduling build/services/scheduling/summit-scheduling 50052 9092"
  "statements build/services/statements/summit-statements 50053 9093"
)

pids=()
stop() {
  trap - INT TERM
  echo
  echo "stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "stopped."
  exit 0
}
trap stop INT TERM

for entry in "${SERVICES[@]}"; do
  read -r name binary port admin <<<"$entry"
  "$binary" --listen="127.0.0.1:$port" --admin_listen="127.0.0.1:$admin" \
    --database="sqlite://$DATA/$name.db" --auth_key_file="$KEY" \
    --registry_address=127.0.0.1:50051 --scheduling_address=127.0.0.1:50052 \
    --shutdown_drain_delay=0s 2>>"$DATA/logs/$name.log" &
  pids+=($!)
done
# The gateway owns no data: one address for everything, gRPC and HTTP/JSON.
build/gateway/summit-gateway --listen=127.0.0.1:50050 --admin_listen=127.0.0.1:9090 \
  --http_listen=127.0.0.1:8080 --cors_origins="${SUMMIT_CORS_ORIGINS:-http://localhost:8080}" \
  --registry_address=127.0.0.1:50051 --scheduling_address=127.0.0.1:50052 \
  --statements_address=127.0.0.1:50053 --shutdown_drain_delay=0s 2>>"$DATA/logs/gateway.log" &
pids+=($!)

CTL="build/tools/summitctl --auth_key_file=$KEY --timeout=30s"
if ! $CTL demo load --role=organizer --subject=people/duty-officer; then
  echo "the demo data could not be loaded; see $DATA/logs/" >&2
  stop
fi
TOKEN=$($CTL token --role=organizer --subject=people/duty-officer)

cat <<EOT

Summit is running (data in $DATA, logs in $DATA/logs/):
  gateway     gRPC 127.0.0.1:50050   HTTP/JSON http://127.0.0.1:8080   metrics http://127.0.0.1:9090/metrics
  registry    gRPC 127.0.0.1:50051   metrics http://127.0.0.1:9091/metrics
  scheduling  gRPC 127.0.0.1:50052   metrics http://127.0.0.1:9092/metrics
  statements  gRPC 127.0.0.1:50053   metrics http://127.0.0.1:9093/metrics

An organizer token for development (12 hours):
  export SUMMIT_TOKEN=$TOKEN

Try:
  curl -s http://127.0.0.1:8080/v1/people/umerov
  curl -s 'http://127.0.0.1:8080/v1/events/udib-2023:overview?day.year=2023&day.month=12&day.day=6'
  curl -s -N 'http://127.0.0.1:8080/v1/events/udib-2023/statements:watch?fromBeginning=true'
  build/tools/summitctl call summit.registry.v1.RegistryService/SearchPeople '{"query":"zelensk"}'
  build/tools/summitctl call summit.registry.v1.RegistryService/ListParticipants '{"parent":"events/udib-2023"}'
  build/tools/summitctl call summit.scheduling.v1.SchedulingService/ListItinerary '{"parent":"events/udib-2023","person":"people/umerov"}'
  build/tools/summitctl call summit.statements.v1.StatementsService/SearchStatements '{"parent":"events/udib-2023","query":"unity"}'

Ctrl-C stops everything.
EOT

# Stay in the foreground; if a service dies, say so and stop the rest.
while true; do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "a service exited unexpectedly; see $DATA/logs/" >&2
      stop
    fi
  done
  sleep 1
done
