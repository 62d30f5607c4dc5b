#!/usr/bin/env bash
# Judge throughput: `--concurrency` (64) chat-completions calls in flight against a loopback server that
# answers after 200 ms, through judge's libcurl client and through the official openai Python client
# (AsyncOpenAI), same server, same run. Needs /work/refvenv (or PYTHON=…) with `openai` installed.
#
#   bash scripts/bench/judge_throughput.sh [REQUESTS=3000] [CONCURRENCY=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS="${1:-3000}"
CONCURRENCY="${2:-64}"
PYTHON="${PYTHON:-/work/refvenv/bin/python}"

swift build -c release --product judge-throughput >&2
BIN="$(swift build -c release --show-bin-path)/judge-throughput"

URL_FILE="$(mktemp)"
"$BIN" serve --delay-ms 200 >"$URL_FILE" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; rm -f "$URL_FILE"' EXIT
for _ in $(seq 100); do [ -s "$URL_FILE" ] && break; sleep 0.1; done
URL="$(head -1 "$URL_FILE")"
echo "server: $URL (200 ms per reply); $REQUESTS requests, $CONCURRENCY in flight" >&2

# Warm-up (connections, caches), not counted.
"$BIN" drive --url "$URL" --requests "$CONCURRENCY" --concurrency "$CONCURRENCY" >/dev/null
"$PYTHON" scripts/bench/judge_throughput_openai.py --url "$URL" --requests "$CONCURRENCY" --concurrency "$CONCURRENCY" >/dev/null

SWIFT_JSON="$("$BIN" drive --url "$URL" --requests "$REQUESTS" --concurrency "$CONCURRENCY")"
PYTHON_JSON="$("$PYTHON" scripts/bench/judge_throughput_openai.py --url "$URL" --requests "$REQUESTS" --concurrency "$CONCURRENCY" | tail -1)"
echo "$SWIFT_JSON"
echo "$PYTHON_JSON"
"$PYTHON" - "$SWIFT_JSON" "$PYTHON_JSON" <<'PY'
import json, sys
ours, ref = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"judge: {ours['per_second']:.1f} judgments/s, openai-python: {ref['per_second']:.1f} judgments/s, "
      f"ratio {ours['per_second'] / ref['per_second']:.2f}x; errors {ours['errors']} / {ref['errors']}")
PY
