# Shared by scripts/demo and scripts/test: install what the project needs from Debian and
# npm, and build. Sourced, not run.
set -euo pipefail

PSEA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian 12 packages to build and run psea. Boost 1.81 only: libboost-dev (1.74) conflicts.
PSEA_BUILD_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev liboath-dev libqrencode-dev
  libspdlog-dev libcli11-dev libxlsxwriter-dev libgmime-3.0-dev libyaml-cpp-dev
  zlib1g-dev libgtest-dev libgmock-dev libssl-dev libcurl4-openssl-dev libarchive-dev
  postgresql-client-15
)
# Extra packages for the test suite.
PSEA_TEST_PACKAGES=(postgresql-15 chromium fonts-liberation clang libclang-rt-14-dev sqlite3
  python3-openpyxl libreoffice-calc-nogui oathtool sqlmap postfix swaks kannel kannel-extras
  lintian dpkg-dev)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are not installed yet (apt-get update only when needed).
install_packages() {
  local missing=()
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"
  fi
}

# Installs the web app's npm packages exactly as locked.
install_web_packages() {
  echo "==> npm ci (web)"
  (cd "$PSEA_ROOT/web" && npm ci --no-audit --no-fund --loglevel=error)
}

# Installs the test suite's npm packages exactly as locked (tests/package-lock.json): Redocly's
# OpenAPI linter and Ajv, which checks every API answer against docs/openapi.json. No browser and
# no install scripts; from npm's cache when it has them.
install_test_packages() {
  echo "==> npm ci (tests)"
  (cd "$PSEA_ROOT/tests" && npm ci --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error)
}

build_web() {
  echo "==> building the web app"
  (cd "$PSEA_ROOT/web" && npm run --silent build)
}

# build_server BUILD_DIR [extra cmake options...]
build_server() {
  local dir="$1"
  shift
  echo "==> building the server in $dir"
  cmake -S "$PSEA_ROOT" -B "$PSEA_ROOT/$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$PSEA_ROOT/$dir" -j "$(nproc)"
}
