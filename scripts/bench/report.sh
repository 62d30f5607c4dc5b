#!/usr/bin/env bash
# Benchmark: regenerate the leaderboard from a store of 1,000,000 judgments (budget: ≤ 10 s, ≤ 1 GiB).
#   bash scripts/bench/report.sh [JUDGMENTS]             (default 1000000)
#   bash scripts/bench/report.sh [JUDGMENTS] --postgres  the same store in PostgreSQL too, timed in the same run
# Builds judge in release mode (or takes $JUDGE, a release binary), builds the synthetic store once (scripts/bench/report_store.py,
# kept in .build-bench/), then times `judge leaderboard` with /usr/bin/time -v: wall clock and
# maximum resident set size. A second run checks that the output is byte-identical.
# With --postgres: a server of our own (scripts/postgres.sh, in .build-bench/pg, port $PGPORT or 55441)
# gets the store by `judge store copy` (timed), then the leaderboard is read from it twice, and its files
# must be byte-identical to SQLite's.
set -euo pipefail
cd "$(dirname "$0")/../.."
judgments=${1:-1000000}
postgres=0
[ "${2:-}" = --postgres ] && postgres=1
work=.build-bench
store=$work/report-$judgments.sqlite
mkdir -p "$work"

if [ -n "${JUDGE:-}" ]; then
  judge=$JUDGE          # a release binary built already (e.g. by `bash .ci/run`'s test build)
else
  swift build -c release --product judge >&2
  judge=$(swift build -c release --show-bin-path)/judge
fi
if [ ! -s "$store" ]; then
  python3 scripts/bench/report_store.py --out "$store" --judgments "$judgments"
fi
[ -x /usr/bin/time ] || { echo "report.sh: /usr/bin/time is missing: apt-get install time" >&2; exit 1; }
# Untimed: one read of the whole store first, so the timed runs start with the file in the page cache.
# (report_store.py writes the current schema: readers open a store read-only and never migrate it.)
"$judge" rank --db "$store" --bootstrap 0 > /dev/null

# timed NAME DB: one timed leaderboard run from DB into $work/NAME.
timed() {
  local name=$1 db=$2 out=$work/$1
  rm -rf "$out"
  /usr/bin/time -v "$judge" leaderboard --db "$db" --out "$out" --verbose > "$work/stdout-$name.txt" 2> "$work/time-$name.txt"
  wall=$(grep "Elapsed (wall clock)" "$work/time-$name.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/time-$name.txt" | awk '{print $NF}')
  user=$(grep "User time" "$work/time-$name.txt" | awk '{print $NF}')
  echo "$name: $judgments judgments: wall $wall, user ${user}s, max RSS $((rss / 1024)) MiB"
  grep -E '^ +[0-9.]+ s ' "$work/time-$name.txt" | sed 's/^/    /'
}
# same A B: the two runs' files are byte-identical (the history lines name no store).
same() {
  if diff -r "$work/$1" "$work/$2" > /dev/null; then echo "byte-identical, $1 and $2: yes"; else echo "byte-identical, $1 and $2: NO"; exit 1; fi
}

timed leaderboard-1 "$store"
timed leaderboard-2 "$store"
same leaderboard-1 leaderboard-2

if [ "$postgres" = 1 ]; then
  port=${PGPORT:-55441}
  chmod 755 "$work"   # the postgres user (initdb as root) must reach its cluster
  url=$(scripts/postgres.sh start "$work/pg" "$port")
  trap 'scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true' EXIT
  start=$SECONDS
  "$judge" store copy "$store" "$url" >&2
  echo "store copy SQLite → PostgreSQL: $((SECONDS - start)) s"
  "$judge" rank --db "$url" --bootstrap 0 > /dev/null   # untimed: the server's cache warm, as SQLite's page cache is
  timed leaderboard-pg-1 "$url"
  timed leaderboard-pg-2 "$url"
  same leaderboard-pg-1 leaderboard-pg-2
  same leaderboard-1 leaderboard-pg-1
fi
