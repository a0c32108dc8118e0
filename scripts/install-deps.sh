#!/usr/bin/env bash
# Installs what building, running and testing Summit needs on Debian 12, and
# nothing twice: Debian packages with apt-get (only when one is missing) and
# buf and playwright-core (the web page's browser test drives Debian's
# chromium with it) from npm into .tools/ (only when one is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # toolchain
  cmake ninja-build g++ pkg-config git clang libclang-rt-14-dev
  # contract and RPC
  protobuf-compiler libprotobuf-dev protobuf-compiler-grpc libgrpc++-dev
  golang-github-gogo-googleapis-dev
  # libraries
  libabsl-dev libssl-dev libsqlite3-dev sqlite3 libpq-dev libboost-dev prometheus-cpp-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev postgresql-15 wrk nghttp2-client curl coinor-cbc
  chromium  # the web page in a real browser (tests/web), driven by playwright-core
  # the Python client (clients/python) and its test
  python3 python3-grpcio python3-protobuf
)
# buf comes from npm; a machine may have Node.js with npm from elsewhere
# (nodesource's nodejs bundles npm and conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

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

BUF_VERSION=1.75.0
# The playwright-core whose browser is the Chromium of Debian 12's chromium
# package (156); it drives /usr/bin/chromium, it downloads no browser.
PLAYWRIGHT_VERSION=1.64.1
installed_playwright() {
  node -p "require('./.tools/node_modules/playwright-core/package.json').version" 2>/dev/null
}
# One npm install for both: an install with --no-save removes what it was not
# asked for.
if [ ! -x .tools/node_modules/.bin/buf ] ||
   [ "$(.tools/node_modules/.bin/buf --version 2>/dev/null)" != "$BUF_VERSION" ] ||
   [ "$(installed_playwright)" != "$PLAYWRIGHT_VERSION" ]; then
  echo "installing buf $BUF_VERSION and playwright-core $PLAYWRIGHT_VERSION into .tools/"
  npm install --prefix .tools --no-save --no-audit --no-fund --silent \
    "@bufbuild/buf@$BUF_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
fi
