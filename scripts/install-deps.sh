#!/usr/bin/env bash
# Installs what building, running and testing Summit needs on Debian 12, and
# nothing twice: Debian packages with apt-get (only when one is missing) and,
# from npm into .tools/ (only when one is missing or at another version), buf,
# playwright-core (the web page's browser test drives Debian's chromium with
# it), and kubernetes-models, typescript and yaml (deploy/tests validate the
# Kubernetes manifests against the API's schemas with them).
#
#   scripts/install-deps.sh               # everything
#   scripts/install-deps.sh --build-only  # only what building the binaries needs
#                                         # (a container image's build stage)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_PACKAGES=(
  # toolchain
  cmake ninja-build g++ pkg-config
  # contract and RPC
  protobuf-compiler libprotobuf-dev protobuf-compiler-grpc libgrpc++-dev
  golang-github-gogo-googleapis-dev
  # libraries
  libabsl-dev libssl-dev libsqlite3-dev libpq-dev libboost-dev prometheus-cpp-dev
  # configuring the build looks for them (nghttp2's HPACK decoder: the tests' raw HTTP/2 client)
  libgtest-dev libgmock-dev libnghttp2-dev
  # the time zone database, which deploy/docker/stage-runtime.sh puts in images
  tzdata
)
PACKAGES=(
  "${BUILD_PACKAGES[@]}"
  git
  # sanitizer builds
  clang libclang-rt-14-dev
  grpc-proto  # grpc/health/v1/health.proto, for the probe that checks health as kubelet does
  # tests and benchmarks
  sqlite3 libbenchmark-dev postgresql-15 wrk nghttp2-client curl coinor-cbc
  openssl  # throwaway CAs and certificates in the TLS test
  chromium  # the web page in a real browser (tests/web), driven by playwright-core
  # the Python client (clients/python) and its test
  python3 python3-grpcio python3-protobuf
)
build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true
if $build_only; then
  PACKAGES=("${BUILD_PACKAGES[@]}")
# buf comes from npm; a machine may have Node.js with npm from elsewhere
# (nodesource's nodejs bundles npm and conflicts with Debian's npm package).
elif ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

$build_only && exit 0

# One npm install for all of them: an install with --no-save removes what it
# was not asked for. Versions pinned: name@version, checked against what is
# installed.
NPM_PACKAGES=(
  "@bufbuild/buf@1.75.0"
  # The playwright-core whose browser is the Chromium of Debian 12's chromium
  # package (156); it drives /usr/bin/chromium, it downloads no browser.
  "playwright-core@1.64.1"
  # The last kubernetes-models for Node.js 20 (5.x wants 22); Kubernetes 1.32.
  "kubernetes-models@4.5.1"
  "typescript@5.9.3"
  "yaml@2.9.1"
)
installed_version() {
  node -p "require('./.tools/node_modules/$1/package.json').version" 2>/dev/null
}
outdated=()
for package in "${NPM_PACKAGES[@]}"; do
  name=${package%@*}
  [ "$(installed_version "$name")" = "${package##*@}" ] || outdated+=("$package")
done
if ((${#outdated[@]})); then
  echo "installing into .tools/: ${NPM_PACKAGES[*]} (missing or another version: ${outdated[*]})"
  npm install --prefix .tools --no-save --no-audit --no-fund --silent "${NPM_PACKAGES[@]}"
fi
