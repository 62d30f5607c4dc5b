#!/usr/bin/env bash
# Benchmark: regenerate the leaderboard from a store of 1,000,000 judgments (budget: ≤ 10 s, ≤ 1 GiB).
#   bash scripts/bench/report.sh [JUDGMENTS]      (default 1000000)
# Builds judge in release mode, builds the synthetic store once (scripts/bench/report_store.py,
# kept in .build-bench/), then times `judge leaderboard` with /usr/bin/time -v: wall clock and
# maximum resident set size. A second run checks that the output is byte-identical.
set -euo pipefail
cd "$(dirname "$0")/../.."
judgments=${1:-1000000}
work=.build-bench
store=$work/report-$judgments.sqlite
mkdir -p "$work"

swift build -c release --product judge >&2
judge=$(swift build -c release --show-bin-path)/judge
if [ ! -s "$store" ]; then
  python3 scripts/bench/report_store.py --out "$store" --judgments "$judgments"
fi
[ -x /usr/bin/time ] || { echo "report.sh: /usr/bin/time is missing: apt-get install time" >&2; exit 1; }
# Untimed: one read of the whole store first, so the timed runs start with the file in the page cache.
# (report_store.py writes the current schema: readers open a store read-only and never migrate it.)
"$judge" rank --db "$store" --bootstrap 0 > /dev/null

for run in 1 2; do
  out=$work/leaderboard-$run
  rm -rf "$out"
  /usr/bin/time -v "$judge" leaderboard --db "$store" --out "$out" --verbose > "$work/stdout-$run.txt" 2> "$work/time-$run.txt"
  wall=$(grep "Elapsed (wall clock)" "$work/time-$run.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/time-$run.txt" | awk '{print $NF}')
  user=$(grep "User time" "$work/time-$run.txt" | awk '{print $NF}')
  echo "run $run: $judgments judgments: wall $wall, user ${user}s, max RSS $((rss / 1024)) MiB"
  grep -E '^ +[0-9.]+ s ' "$work/time-$run.txt" | sed 's/^/    /'
done
if diff -r "$work/leaderboard-1" "$work/leaderboard-2" > /dev/null; then
  echo "byte-identical: yes"
else
  echo "byte-identical: NO" && exit 1
fi
