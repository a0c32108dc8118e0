#!/usr/bin/env bash
# Proves the container images hold enough: each binary is staged by
# deploy/docker/stage-runtime.sh into an empty folder (what its image holds,
# FROM scratch) and run chrooted into it the way a container runs: as PID 1
# of its own PID namespace, as the image's non-root user (65532), on a
# read-only root with only /proc, a few /dev nodes, /tmp, its data folder and
# its token key mounted, as the runtime and Kubernetes' volumes provide them.
# The four servers come up wired to each other and pass their gRPC health
# checks; summitctl, from its own folder, loads the demo through the
# gateway (the summit's time zone is checked and converted with the staged
# zone database); the gateway serves it over HTTP; and SIGTERM to PID 1
# drains each server to exit 0.
#
#   deploy/tests/image_root_test.sh REGISTRY SCHEDULING STATEMENTS GATEWAY SUMMITCTL PROBE
# (built binaries; PROBE is summit_grpc_probe). Needs root for chroot and
# namespaces: exits 77 (skipped) without.
set -euo pipefail

if [ $# -ne 6 ]; then
  echo "usage: $0 REGISTRY SCHEDULING STATEMENTS GATEWAY SUMMITCTL PROBE" >&2
  exit 2
fi
declare -A binary=([summit-registry]=$1 [summit-scheduling]=$2 [summit-statements]=$3
                   [summit-gateway]=$4 [summitctl]=$5)
probe=$6
stage="$(cd "$(dirname "$0")/../docker" && pwd)/stage-runtime.sh"
readonly USER_ID=65532

skip() {
  echo "SKIPPED: $*"
  exit 77
}
[ "$(id -u)" -eq 0 ] || skip "chroot and namespaces need root"
unshare --mount --pid --fork true 2>/dev/null || skip "cannot create mount and PID namespaces here"

work=$(mktemp -d /tmp/summit-image-root.XXXXXX)
declare -A pid_of=()  # name → PID of its unshare
cleanup() {
  for name in "${!pid_of[@]}"; do kill -KILL "${pid_of[$name]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*" >&2
  for log in "$work"/*/log; do [ -f "$log" ] && { echo "== $log"; tail -20 "$log"; } >&2; done
  exit 1
}

echo "== staging each binary into an empty folder"
for name in "${!binary[@]}"; do
  root=$work/$name/root
  "$stage" "${binary[$name]}" "$root"
  # Nothing but the binary, its libraries and loader, the zone database and
  # the /etc files glibc reads.
  extra=$(cd "$root" && find . -type f -o -type l | sed 's|^\./||' |
          grep -Ev "^(usr/local/bin/$name|lib/|lib64/|usr/lib/|usr/share/zoneinfo/|etc/(passwd|group|nsswitch\.conf)$)" || true)
  [ -z "$extra" ] || fail "$name's folder holds more than it needs: $extra"
  echo "$name: $(du -sh "$root" | cut -f1)"
  # What a runtime creates in the root before making it read-only.
  mkdir -p "$root/proc" "$root/dev" "$root/var/lib/summit" "$root/etc/summit/auth"
  install -d -o $USER_ID -g $USER_ID "$work/$name/data"
done
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/auth.key"
chmod 0444 "$work/auth.key"

# Runs NAME's binary as a container would, in the background, with the
# given environment only (SUMMIT_* settings) and arguments; its output goes
# to $work/NAME/log.
run_contained() {
  local name=$1 environment=$2
  shift 2
  local root=$work/$name/root
  # shellcheck disable=SC2086 # the environment is a list of NAME=VALUE words
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $environment \
    unshare --mount --pid --fork --kill-child sh -c '
      set -e
      root=$1 data=$2 key_dir=$3
      shift 3
      mount --bind "$root" "$root"
      mount -o remount,bind,ro "$root"
      mount -t proc proc "$root/proc"
      mount -t tmpfs -o mode=0755,size=1m tmpfs "$root/dev"
      for node in null zero random urandom; do
        touch "$root/dev/$node" && mount --bind "/dev/$node" "$root/dev/$node"
      done
      mount -t tmpfs -o mode=1777,size=64m tmpfs "$root/tmp"
      mount --bind "$data" "$root/var/lib/summit"
      mount --bind -o ro "$key_dir" "$root/etc/summit/auth"
      exec chroot --userspec='$USER_ID:$USER_ID' "$root" "$@"
    ' sh "$root" "$work/$name/data" "$work/key" "$@" >>"$work/$name/log" 2>&1 &
  pid_of[$name]=$!
}
mkdir -p "$work/key" && mv "$work/auth.key" "$work/key/auth.key"

# The port NAME logged for FIELD ("port", "admin_port", "http_port") on its
# MESSAGE line, waiting at most 60 s.
logged_port() {
  local name=$1 message=$2 field=$3
  for _ in $(seq 600); do
    local port
    port=$(grep -m1 "\"message\":\"$message\"" "$work/$name/log" 2>/dev/null |
           grep -o "\"$field\":[0-9]*" | cut -d: -f2 || true)
    if [ -n "$port" ]; then echo "$port"; return; fi
    kill -0 "${pid_of[$name]}" 2>/dev/null || fail "$name exited before serving"
    sleep 0.1
  done
  fail "$name logged no $field in 60 s"
}

echo "== each binary starts and prints its usage"
for name in "${!binary[@]}"; do
  usage=$(chroot --userspec=$USER_ID:$USER_ID "$work/$name/root" "/usr/local/bin/$name" --help 2>&1 || true)
  grep -q "^$name: " <<<"$usage" || fail "$name --help in its folder: $usage"
done

echo "== the four servers, contained, wired to each other"
common="SUMMIT_ADMIN_LISTEN=127.0.0.1:0 SUMMIT_AUTH_KEY_FILE=/etc/summit/auth/auth.key SUMMIT_SHUTDOWN_DRAIN_DELAY=1s"
declare -A port=()
start_server() {
  local name=$1 service=$2 environment=$3
  run_contained "$name" "$common SUMMIT_LISTEN=127.0.0.1:0 $environment" "/usr/local/bin/$name"
  port[$name]=$(logged_port "$name" serving port)
  "$probe" "127.0.0.1:${port[$name]}" "$service" 5 || fail "$name's health"
  echo "$name: serving on ${port[$name]}, $service SERVING"
}
start_server summit-registry summit.registry.v1.RegistryService \
  "SUMMIT_DATABASE=sqlite:///var/lib/summit/registry.db"
start_server summit-scheduling summit.scheduling.v1.SchedulingService \
  "SUMMIT_DATABASE=sqlite:///var/lib/summit/scheduling.db
   SUMMIT_REGISTRY_ADDRESS=dns:///127.0.0.1:${port[summit-registry]}"
start_server summit-statements summit.statements.v1.StatementsService \
  "SUMMIT_DATABASE=sqlite:///var/lib/summit/statements.db
   SUMMIT_REGISTRY_ADDRESS=dns:///127.0.0.1:${port[summit-registry]}
   SUMMIT_SCHEDULING_ADDRESS=dns:///127.0.0.1:${port[summit-scheduling]}"
start_server summit-gateway summit.gateway.v1.GatewayService \
  "SUMMIT_HTTP_LISTEN=127.0.0.1:0
   SUMMIT_REGISTRY_ADDRESS=dns:///127.0.0.1:${port[summit-registry]}
   SUMMIT_SCHEDULING_ADDRESS=dns:///127.0.0.1:${port[summit-scheduling]}
   SUMMIT_STATEMENTS_ADDRESS=dns:///127.0.0.1:${port[summit-statements]}"
http_port=$(logged_port summit-gateway "http serving" http_port)

echo "== summitctl, contained, loads the demo through the gateway"
gateway=127.0.0.1:${port[summit-gateway]}
run_contained summitctl "SUMMIT_REGISTRY_ADDRESS=$gateway SUMMIT_SCHEDULING_ADDRESS=$gateway
                         SUMMIT_STATEMENTS_ADDRESS=$gateway" \
  /usr/local/bin/summitctl demo load --role=organizer --subject=people/duty-officer \
  --auth_key_file=/etc/summit/auth/auth.key
wait "${pid_of[summitctl]}" || fail "summitctl demo load"
unset 'pid_of[summitctl]'
event=$(curl -sf "http://127.0.0.1:$http_port/v1/events/udib-2023") || fail "GET the event over HTTP"
grep -q '"timeZone":"America/New_York"' <<<"$event" || fail "the event over HTTP: $event"
echo "the summit over HTTP/JSON: $(grep -o '"displayName":"[^"]*"' <<<"$event" | head -1)"

echo "== SIGTERM to each PID 1 drains it to exit 0"
for name in summit-gateway summit-statements summit-scheduling summit-registry; do
  server=$(pgrep -P "${pid_of[$name]}") || fail "$name's PID 1 is gone"
  kill -TERM "$server"
  code=0
  wait "${pid_of[$name]}" || code=$?
  unset "pid_of[$name]"
  [ "$code" -eq 0 ] || fail "$name exited with $code after SIGTERM"
  grep -q '"message":"stopped"' "$work/$name/log" || fail "$name did not log that it stopped"
  echo "$name: stopped, exit 0"
done
echo "image roots: 5 passed, 0 failed"
