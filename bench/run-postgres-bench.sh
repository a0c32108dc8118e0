#!/usr/bin/env bash
# Summit on PostgreSQL against PostgreSQL alone, in the same run, on the same
# server and machine: GetPerson through summit-registry against pgbench's
# built-in select-only script, and CreatePerson against a one-row insert
# script, each at the same number of clients (calls in flight = pgbench
# clients). The server is a throwaway one (scripts/postgres-server.sh) with
# every commit flushed, as production runs it. The same load against a
# summit-registry on SQLite (its durable default, a file on the same disk),
# in the same run, shows what the PostgreSQL path itself costs: the RPC,
# the token check and the load generator are the same for both. Prints a
# Markdown table for bench/RESULTS.md. Traffic stays on loopback; every run
# is bounded in time.
# "Refused/s" counts the statements PostgreSQL refused during a Summit run
# (ERROR lines of the server's log, per second, warm-up included): each is
# a transaction that Summit ran again (a serialization failure, a deadlock,
# a constraint race lost) or, if it gave up, an error in the last column.
#
#   bench/run-postgres-bench.sh [SECONDS_PER_RUN] [REPETITIONS] [CLIENTS...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
REPS=${2:-3}
shift 2 || true
CLIENTS=("${@:-4 16}")
read -r -a CLIENTS <<<"${CLIENTS[*]}"
scripts/build.sh build >/dev/null

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/postgres-server.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
head -c 48 /dev/urandom >"$work/key"

server=$(scripts/postgres-server.sh start "$work/pg" durable)
base=${server%/*}
psql -q "$server" -c "CREATE DATABASE registry" -c "CREATE DATABASE pgbench"
pgbench -q -i -s 1 "$base/pgbench" >/dev/null 2>&1
# pgbench's one-row insert: a row shaped like a person (a text key and a
# serialized record), into a table with a primary key, one per transaction.
psql -q "$base/pgbench" -c "CREATE TABLE one_row (id TEXT PRIMARY KEY, data BYTEA NOT NULL)"
cat >"$work/insert.sql" <<'SQL'
INSERT INTO one_row (id, data) VALUES (md5(random()::text || clock_timestamp()::text), convert_to(repeat('x', 120), 'UTF8'));
SQL

REGISTRY=127.0.0.1:50961
SQLITE_REGISTRY=127.0.0.1:50962
max_clients=$(printf '%s\n' "${CLIENTS[@]}" | sort -n | tail -1)
build/services/registry/summit-registry --listen=$REGISTRY --admin_listen=off --log_calls=false \
  --database="$base/registry?pool_size=$max_clients" --auth_key_file="$work/key" \
  2>"$work/registry.log" &
pids+=($!)
build/services/registry/summit-registry --listen=$SQLITE_REGISTRY --admin_listen=off \
  --log_calls=false --database="sqlite://$work/registry.db" --auth_key_file="$work/key" \
  2>"$work/registry-sqlite.log" &
pids+=($!)
TOKEN=$(build/tools/summitctl token --role=organizer --subject=people/bench --auth_key_file="$work/key")
for target in $REGISTRY $SQLITE_REGISTRY; do
  build/bench/rpc_load --target=$target --seed_people=1000 --token="$TOKEN" >/dev/null
done

load() {  # load TARGET SCENARIO IN_FLIGHT
  build/bench/rpc_load --target="$1" --scenario="$2" --in_flight="$3" --channels="$3" \
    --token="$TOKEN" --duration="${SECONDS_PER_RUN}s" --warmup=1s
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
tps() { sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1; }
pgb() {  # pgb CLIENTS ARGS...: transactions per second
  local clients=$1
  shift
  pgbench -n -M prepared -c "$clients" -j 2 -T "$SECONDS_PER_RUN" "$@" "$base/pgbench" 2>/dev/null | tps
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
refused() { grep -c ' ERROR: ' "$work/pg/server.log" || true; }

echo "| operation | clients | pgbench tps | summit calls/s | ratio | summit p50/p99 µs | refused/s | errors | summit on SQLite calls/s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for clients in "${CLIENTS[@]}"; do
  for operation in GetPerson CreatePerson; do
    pg=(); summit=(); retried=(); on_sqlite=(); latency=""; errors=""
    for ((rep = 0; rep < REPS; rep++)); do
      # Alternate the baseline and Summit so that drift hits both alike.
      if [ "$operation" = GetPerson ]; then
        scenario=get_person
        pg+=("$(pgb "$clients" -S)")
      else
        scenario=create_person
        pg+=("$(pgb "$clients" -f "$work/insert.sql")")
      fi
      before=$(refused)
      s=$(load $REGISTRY $scenario "$clients")
      retried+=("$(( ($(refused) - before) / (SECONDS_PER_RUN + 1) ))")
      summit+=("$(field "$s" qps)")
      latency="$(field "$s" p50_us)/$(field "$s" p99_us)"
      errors="$errors$(field "$s" errors | tr -d '{}')"
      on_sqlite+=("$(field "$(load $SQLITE_REGISTRY $scenario "$clients")" qps)")
    done
    p=$(printf '%s\n' "${pg[@]}" | median)
    m=$(printf '%s\n' "${summit[@]}" | median)
    r=$(printf '%s\n' "${retried[@]}" | median)
    q=$(printf '%s\n' "${on_sqlite[@]}" | median)
    ratio=$(python3 -c "print(f'{$m / $p:.2f}×')")
    printf '| %s | %s | %.0f | %.0f | %s | %s | %s | %s | %.0f |\n' "$operation" "$clients" "$p" \
      "$m" "$ratio" "$latency" "$r" "${errors:-none}" "$q"
  done
done
