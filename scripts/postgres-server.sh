#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for tests and benchmarks: its own data
# folder, loopback only, no password (trust on 127.0.0.1), stopped and
# removed afterwards.
#
#   scripts/postgres-server.sh start DIR [durable|fast]
#   scripts/postgres-server.sh stop DIR    # stop it and remove DIR
#
# `durable` (the default) is a server as production runs it: every commit
# flushed (fsync, synchronous_commit), what benchmarks measure. `fast` skips
# the flushes, for tests: they kill Summit's processes, never the server,
# so the server's own durability is not what they test, and every test
# creating its own database makes flushing the slowest part of the run.
#
# DIR/url holds the URL of the server's `summit` database, e.g.
# postgres://summit@127.0.0.1:25432/summit; tests create their own databases
# next to it. The port is the first free one from 25432 up (below the
# ephemeral range, so no test's outgoing connection can hold it). As root,
# the server runs as the `postgres` user: PostgreSQL refuses to run as root.
set -euo pipefail

BIN=/usr/lib/postgresql/15/bin
command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start DIR [durable|fast] | stop DIR" >&2
  exit 2
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$command" in
  start)
    if [ -f "$data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      cat "$dir/url"
      exit 0
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
      as_owner "$BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    mode=${3:-durable}
    case "$mode" in
      durable) flush="-c fsync=on -c synchronous_commit=on" ;;
      fast) flush="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" ;;
      *) echo "unknown mode $mode: durable or fast" >&2; exit 2 ;;
    esac
    port=25432
    while ! port_is_free "$port"; do port=$((port + 1)); done
    # Sockets in the data folder, not /var/run/postgresql (which may not
    # exist, or belong to another server). Enough connections for two
    # replicas of every service with their pools, plus the tests' own.
    as_owner "$BIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $data -c max_connections=300 $flush" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 <<SQL >/dev/null
SELECT 'CREATE ROLE summit LOGIN CREATEDB' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'summit')\gexec
SELECT 'CREATE DATABASE summit OWNER summit' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'summit')\gexec
SQL
    echo "postgres://summit@127.0.0.1:$port/summit" >"$dir/url"
    cat "$dir/url"
    ;;
  stop)
    if [ -f "$data/postmaster.pid" ]; then
      as_owner "$BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR [durable|fast] | stop DIR" >&2
    exit 2
    ;;
esac
