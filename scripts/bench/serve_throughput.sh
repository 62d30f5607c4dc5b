#!/usr/bin/env bash
# Generation throughput of `judge serve --parallel P` under concurrent greedy requests, against
# llama-cpp-python (one sequence at a time) on the same model and prompts, same run.
# Python: the reference venv (bash scripts/reference/setup.sh), or PYTHON=… with openai and llama-cpp-python.
#
#   bash scripts/bench/serve_throughput.sh [REQUESTS=8] [CONCURRENCY=4] [MAX_TOKENS=32] [PARALLEL=4]
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS="${1:-8}"
CONCURRENCY="${2:-4}"
MAX_TOKENS="${3:-32}"
PARALLEL="${4:-4}"
PYTHON="${PYTHON:-$(bash scripts/reference/setup.sh)}"
MODEL="${MODEL:-models/SmolLM2-135M-Instruct.Q4_1.gguf}"

# JUDGE_BIN=path skips the build (e.g. a release build made with -enable-testing for the tests).
if [ -n "${JUDGE_BIN:-}" ]; then
  BIN="$JUDGE_BIN"
else
  swift build -c release --product judge >&2
  BIN="$(swift build -c release --show-bin-path)/judge"
fi

LOG="$(mktemp)"
"$BIN" serve --model "$MODEL" --port 0 --parallel "$PARALLEL" --context 2048 2>"$LOG" &
SERVER=$!
trap 'kill -TERM "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 300); do grep -q '^listening on ' "$LOG" && break; sleep 0.1; done
URL="$(sed -n 's/^listening on //p' "$LOG" | head -1)"
[ -n "$URL" ] || { cat "$LOG" >&2; exit 1; }
echo "judge serve at $URL (parallel $PARALLEL); $REQUESTS requests, $CONCURRENCY in flight, $MAX_TOKENS tokens each" >&2
"$PYTHON" scripts/bench/serve_throughput.py --base-url "$URL/v1" --model-path "$MODEL" \
  --requests "$REQUESTS" --concurrency "$CONCURRENCY" --max-tokens "$MAX_TOKENS"
