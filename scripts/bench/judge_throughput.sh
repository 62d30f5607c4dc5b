#!/usr/bin/env bash
# Judge throughput: CONCURRENCY (64) chat-completions calls in flight against a loopback server that
# answers after DELAY_MS (200 ms), through judge's libcurl client and through the official openai Python client
# (AsyncOpenAI), same server, same run; with each client's CPU time per call (user + system, from
# /usr/bin/time) and the load average before and after. Python: the reference venv
# (PY=$(bash scripts/reference/setup.sh)), or PYTHON=… with `openai` installed.
#
#   bash scripts/bench/judge_throughput.sh [REQUESTS=3000] [CONCURRENCY=64] [DELAY_MS=200]
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS="${1:-3000}"
CONCURRENCY="${2:-64}"
DELAY_MS="${3:-200}"
PYTHON="${PYTHON:-$(bash scripts/reference/setup.sh)}"

swift build -c release --product judge-throughput >&2
BIN="$(swift build -c release --show-bin-path)/judge-throughput"

URL_FILE="$(mktemp)"
"$BIN" serve --delay-ms "$DELAY_MS" >"$URL_FILE" &
SERVER=$!
TIME_FILE="$(mktemp)"
trap 'kill "$SERVER" 2>/dev/null; rm -f "$URL_FILE" "$TIME_FILE"' EXIT
for _ in $(seq 100); do [ -s "$URL_FILE" ] && break; sleep 0.1; done
URL="$(head -1 "$URL_FILE")"
echo "server: $URL ($DELAY_MS ms per reply); $REQUESTS requests, $CONCURRENCY in flight" >&2

# Warm-up (connections, caches), not counted.
"$BIN" drive --url "$URL" --requests "$CONCURRENCY" --concurrency "$CONCURRENCY" >/dev/null
"$PYTHON" scripts/bench/judge_throughput_openai.py --url "$URL" --requests "$CONCURRENCY" --concurrency "$CONCURRENCY" >/dev/null

# One client's run: its JSON line, then its CPU seconds (user + system) on the next line.
measure() {
    /usr/bin/time -f "%U %S" -o "$TIME_FILE" "$@" | tail -1
    awk '{print $1 + $2}' "$TIME_FILE"
}
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
SWIFT_OUT="$(measure "$BIN" drive --url "$URL" --requests "$REQUESTS" --concurrency "$CONCURRENCY")"
PYTHON_OUT="$(measure "$PYTHON" scripts/bench/judge_throughput_openai.py --url "$URL" --requests "$REQUESTS" --concurrency "$CONCURRENCY")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "$SWIFT_OUT"
echo "$PYTHON_OUT"
"$PYTHON" - "$SWIFT_OUT" "$PYTHON_OUT" "$LOAD_BEFORE" "$LOAD_AFTER" "$DELAY_MS" <<'PY'
import json, sys
(ours, our_cpu), (ref, ref_cpu) = [(json.loads(t.splitlines()[0]), float(t.splitlines()[1])) for t in sys.argv[1:3]]
ms = lambda cpu, run: 1000 * cpu / run["requests"]
print(f"judge: {ours['per_second']:.1f} judgments/s ({ms(our_cpu, ours):.2f} ms CPU a call), "
      f"openai-python: {ref['per_second']:.1f} judgments/s ({ms(ref_cpu, ref):.2f} ms CPU a call), "
      f"ratio {ours['per_second'] / ref['per_second']:.2f}x; errors {ours['errors']} / {ref['errors']}; "
      f"server {sys.argv[5]} ms; load average {sys.argv[3]} before, {sys.argv[4]} after")
PY
