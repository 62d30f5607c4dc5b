#!/usr/bin/env bash
# Judge calls per second with 1, 2 and 4 `judge compare` workers sharing one PostgreSQL store, and one
# worker on SQLite, in the same run, against the loopback judge that answers after 200 ms
# (judge-throughput serve). Every worker judges the same suite of imported outputs; the work is divided
# by leases in the store (SharedJudgingRun). BENCHMARKS.md, "Shared workers".
#
#   bash scripts/bench/shared_workers.sh [MODELS=6] [ITEMS=40] [CONCURRENCY=8]
#   CONFIG=debug bash scripts/bench/shared_workers.sh    # without a release build
set -euo pipefail
cd "$(dirname "$0")/../.."
MODELS="${1:-6}"; ITEMS="${2:-40}"; CONCURRENCY="${3:-8}"; CONFIG="${CONFIG:-release}"
swift build -c "$CONFIG" --product judge >&2
swift build -c "$CONFIG" --product judge-throughput >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path)"
WORK="$(mktemp -d)"; chmod 755 "$WORK"   # the postgres user (initdb as root) must reach its cluster
PORT="${PGPORT:-55440}"
URL_FILE="$WORK/judge-url"
"$BIN/judge-throughput" serve --delay-ms 200 --threads 2 >"$URL_FILE" &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; scripts/postgres.sh stop "$WORK/pg" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
STORE="$(scripts/postgres.sh start "$WORK/pg" "$PORT")"
for _ in $(seq 100); do [ -s "$URL_FILE" ] && break; sleep 0.1; done
JUDGE_URL="$(head -1 "$URL_FILE")"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

# The suite: MODELS imported models, ITEMS items, every pair in both orders.
python3 - "$WORK" "$MODELS" "$ITEMS" "$JUDGE_URL" "$CONCURRENCY" <<'PY'
import json, sys
work, models, items, url, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
names = [f"model-{m}" for m in range(models)]
with open(f"{work}/suite.yaml", "w") as f:
    f.write("name: bench\ntasks:\n  - name: t\n    items: items.jsonl\nmodels:\n")
    for n in names: f.write(f"  - name: {n}\n")
    f.write(f"judge:\n  url: {url}\n  model: judge-bench\n  concurrency: {concurrency}\n")
with open(f"{work}/items.jsonl", "w") as f:
    for i in range(items): f.write(json.dumps({"id": f"i{i}", "prompt": f"Question {i}: list the dates in the paragraph."}) + "\n")
with open(f"{work}/outputs.jsonl", "w") as f:
    for n in names:
        for i in range(items): f.write(json.dumps({"model": n, "task": "t", "item_id": f"i{i}", "output": f"{n} answers question {i}."}) + "\n")
PY
CALLS=$(( MODELS * (MODELS - 1) / 2 * ITEMS * 2 ))
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $CALLS judge calls a run, $CONCURRENCY in flight per worker, judge replies after 200 ms" >&2

run() {  # run WORKERS DB BACKEND → prints "WORKERS BACKEND SECONDS CALLS/S SENT"
  local workers="$1" db="$2" backend="$3"
  "$BIN/judge" import "$WORK/outputs.jsonl" --suite "$WORK/suite.yaml" --db "$db" >/dev/null
  local start end pids=()
  start=$(date +%s.%N)
  for _ in $(seq "$workers"); do
    "$BIN/judge" compare "$WORK/suite.yaml" --db "$db" --no-report >"$WORK/out-$backend-$workers-$RANDOM.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  end=$(date +%s.%N)
  # Calls the workers sent, from their summaries ("…, N calls sent"): CALLS when none was sent twice.
  local sent
  sent=$(cat "$WORK"/out-"$backend"-"$workers"-*.log | grep -o '[0-9]* calls sent' | awk '{s += $1} END {print s + 0}')
  rm -f "$WORK"/out-"$backend"-"$workers"-*.log
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'$workers $backend {s:.2f} {$CALLS/s:.1f} $sent')" "$start" "$end"
}

echo "workers backend seconds calls_per_second calls_sent"
for w in 1 2 4; do
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U judge "bench_$w"
  run "$w" "postgres://judge@127.0.0.1:$PORT/bench_$w" postgres
done
run 1 "$WORK/bench.sqlite" sqlite
