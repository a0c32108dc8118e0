#!/usr/bin/env bash
# Stages into an empty folder all that one Summit binary needs at run time, and
# nothing else: the binary (/usr/local/bin), the shared libraries and dynamic
# loader ldd lists for it, the IANA time zone database (events keep local
# times: registry checks zone names, scheduling and the gateway's views
# convert with them), and the few /etc files glibc reads: the non-root user
# the image runs as, and how to resolve names. The Dockerfile's final images
# are this folder FROM scratch; deploy/tests/image_root_test.sh runs each
# binary chrooted into it to prove it is enough.
#
#   deploy/docker/stage-runtime.sh BINARY ROOT
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 BINARY ROOT" >&2
  exit 2
fi
binary=$1
root=$2
# The image's user and group; the Kubernetes manifests run as the same ids.
readonly SUMMIT_UID=65532

mkdir -p "$root/usr/local/bin" "$root/etc" "$root/usr/share"
# Without its debug information (a third of a RelWithDebInfo binary's size);
# the symbol table stays, so stack traces still name functions.
install -m 0755 "$binary" "$root/usr/local/bin/"
strip --strip-debug "$root/usr/local/bin/$(basename "$binary")"

# ldd prints "libfoo.so.1 => /lib/…/libfoo.so.1 (0x…)" for each library and
# "/lib64/ld-linux-x86-64.so.2 (0x…)" for the loader; linux-vdso has no file.
# Each is copied to the path the loader will look for (symbolic links
# followed, so the file itself lands there).
libraries=$(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
if grep -q "not found" <<<"$(ldd "$binary")"; then
  echo "$binary: a shared library is missing:" >&2
  ldd "$binary" | grep "not found" >&2
  exit 1
fi
for library in $libraries; do
  cp --dereference --parents "$library" "$root"
done

# Without right/ (zones counting leap seconds, which nothing here reads).
cp -a /usr/share/zoneinfo "$root/usr/share/"
rm -rf "$root/usr/share/zoneinfo/right"

cat >"$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/usr/sbin/nologin
summit:x:$SUMMIT_UID:$SUMMIT_UID:Summit server:/nonexistent:/usr/sbin/nologin
PASSWD
cat >"$root/etc/group" <<GROUP
root:x:0:
summit:x:$SUMMIT_UID:
GROUP
echo "hosts: files dns" >"$root/etc/nsswitch.conf"
# /tmp for whoever runs it without a volume there (Kubernetes mounts one: the
# root filesystem is read-only).
mkdir -p "$root/tmp"
chmod 1777 "$root/tmp"
