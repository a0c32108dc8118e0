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
# Two more baselines in the same loop bound what any registry could reach
# here: pgbench running exactly the SQL summit-registry sends for the call,
# in as many round trips (GetPerson: one prepared SELECT; CreatePerson:
# BEGIN with the read, then the writes with the COMMIT, each pair pipelined),
# and bench/echo_server.cc (gRPC alone: canned answers, no token, no
# database) under the same rpc_load. BEFORE_REGISTRY=PATH serves a second
# summit-registry binary (e.g. one built from main) beside the first, on a
# database of its own on the same server, measured in the same loop (its
# column reads 0 without it).
#
#   [BEFORE_REGISTRY=PATH] bench/run-postgres-bench.sh [SECONDS_PER_RUN] [REPETITIONS] [CLIENTS...]
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
psql -q "$server" -c "CREATE DATABASE registry" -c "CREATE DATABASE pgbench" \
  -c "CREATE DATABASE registry_before"
pgbench -q -i -s 1 "$base/pgbench" >/dev/null 2>&1
# pgbench's one-row insert: a row shaped like a person (a text key and a
# serialized record), into a table with a primary key, one per transaction.
psql -q "$base/pgbench" -c "CREATE TABLE one_row (id TEXT PRIMARY KEY, data BYTEA NOT NULL)"
cat >"$work/insert.sql" <<'SQL'
INSERT INTO one_row (id, data) VALUES (md5(random()::text || clock_timestamp()::text), convert_to(repeat('x', 120), 'UTF8'));
SQL

REGISTRY=127.0.0.1:51461
SQLITE_REGISTRY=127.0.0.1:51462
BEFORE=127.0.0.1:51463
ECHO=127.0.0.1:51464
max_clients=$(printf '%s\n' "${CLIENTS[@]}" | sort -n | tail -1)
build/services/registry/summit-registry --listen=$REGISTRY --admin_listen=off --log_calls=false \
  --database="$base/registry?pool_size=$max_clients" --auth_key_file="$work/key" \
  2>"$work/registry.log" &
pids+=($!)
targets=($REGISTRY $SQLITE_REGISTRY)
if [ -n "${BEFORE_REGISTRY:-}" ]; then
  "$BEFORE_REGISTRY" --listen=$BEFORE --admin_listen=off --log_calls=false \
    --database="$base/registry_before?pool_size=$max_clients" --auth_key_file="$work/key" \
    2>"$work/registry-before.log" &
  pids+=($!)
  targets+=($BEFORE)
fi
build/bench/echo_server --listen=$ECHO 2>/dev/null &
pids+=($!)
build/services/registry/summit-registry --listen=$SQLITE_REGISTRY --admin_listen=off \
  --log_calls=false --database="sqlite://$work/registry.db" --auth_key_file="$work/key" \
  2>"$work/registry-sqlite.log" &
pids+=($!)
TOKEN=$(build/tools/summitctl token --role=organizer --subject=people/bench --auth_key_file="$work/key")
for target in "${targets[@]}"; do
  build/bench/rpc_load --target=$target --seed_people=1000 --token="$TOKEN" >/dev/null
done
# The registry's SQL for each call, as summit-registry sends it (its
# prepared statements, its round trips), on its own tables: GetPerson reads
# a seeded person; CreatePerson writes a new one as a create does (the row,
# its search words, each id new: the client and a random number).
cat >"$work/registry-get.sql" <<'SQL'
\set i random(0, 999)
SELECT data FROM people WHERE id = 'bench-person-' || :i;
SQL
cat >"$work/registry-create.sql" <<'SQL'
\set n random(1, 2000000000)
\startpipeline
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT data FROM people WHERE id = 'pgb-' || :client_id || '-' || :n;
\endpipeline
\startpipeline
INSERT INTO people (id, country, organization_id, data) VALUES ('pgb-' || :client_id || '-' || :n, 'US', NULL, convert_to(repeat('x', 150), 'UTF8'));
UPDATE people SET name_words = 'iames bondarenko' WHERE id = 'pgb-' || :client_id || '-' || :n;
INSERT INTO person_name_words (word, person_id, candidate_key) VALUES ('bondarenko', 'pgb-' || :client_id || '-' || :n, 'b'), ('iames', 'pgb-' || :client_id || '-' || :n, 'a') ON CONFLICT DO NOTHING;
COMMIT;
\endpipeline
SQL

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
pgb_registry() {  # pgb_registry CLIENTS SCRIPT: the registry's SQL, on its database
  pgbench -n -M prepared -c "$1" -j 2 -T "$SECONDS_PER_RUN" -f "$2" "$base/registry" 2>/dev/null | tps
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
refused() { grep -c ' ERROR: ' "$work/pg/server.log" || true; }

echo "| operation | clients | pgbench tps | pgbench, the registry's SQL, tps | echo server calls/s | summit before calls/s | summit calls/s | ratio | echo / pgbench | summit p50/p99 µs | refused/s | errors | summit on SQLite calls/s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for clients in "${CLIENTS[@]}"; do
  for operation in GetPerson CreatePerson; do
    pg=(); pg_sql=(); echo_qps=(); before=(); summit=(); retried=(); on_sqlite=(); latency=""
    errors=""
    for ((rep = 0; rep < REPS; rep++)); do
      # Alternate the baselines and Summit so that drift hits all alike.
      if [ "$operation" = GetPerson ]; then
        scenario=get_person
        pg+=("$(pgb "$clients" -S)")
        pg_sql+=("$(pgb_registry "$clients" "$work/registry-get.sql")")
      else
        scenario=create_person
        pg+=("$(pgb "$clients" -f "$work/insert.sql")")
        pg_sql+=("$(pgb_registry "$clients" "$work/registry-create.sql")")
      fi
      echo_qps+=("$(field "$(load $ECHO $scenario "$clients")" qps)")
      if [ -n "${BEFORE_REGISTRY:-}" ]; then
        before+=("$(field "$(load $BEFORE $scenario "$clients")" qps)")
      else
        before+=(0)
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
    ps=$(printf '%s\n' "${pg_sql[@]}" | median)
    e=$(printf '%s\n' "${echo_qps[@]}" | median)
    b=$(printf '%s\n' "${before[@]}" | median)
    m=$(printf '%s\n' "${summit[@]}" | median)
    r=$(printf '%s\n' "${retried[@]}" | median)
    q=$(printf '%s\n' "${on_sqlite[@]}" | median)
    ratio=$(python3 -c "print(f'{$m / $p:.2f}×')")
    ceiling=$(python3 -c "print(f'{$e / $p:.2f}×')")
    printf '| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %s | %s | %.0f |\n' \
      "$operation" "$clients" "$p" "$ps" "$e" "$b" "$m" "$ratio" "$ceiling" "$latency" "$r" \
      "${errors:-none}" "$q"
  done
done
