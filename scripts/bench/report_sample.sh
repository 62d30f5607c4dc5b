#!/usr/bin/env bash
# Regenerates the committed sample leaderboard in reports/sample/ and its screenshot.
#   bash scripts/bench/report_sample.sh
# A synthetic store (scripts/bench/report_store.py: 10 models, 4 tasks, one held out, judgments
# spread over six days, a few hostile outputs) is cut back to each night in turn and
# `judge leaderboard` is run after each one, as the nightly job would, so the history, the
# change column and the rating-over-time chart are real. Headless Chromium then takes the
# screenshot reports/sample/report.png (1280×2400).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=reports/sample

if [ -z "${JUDGE:-}" ]; then   # JUDGE=path/to/judge uses a binary already built
  swift build -c release --product judge >&2
  JUDGE=$(swift build -c release --show-bin-path)/judge
fi
judge=$JUDGE
python3 scripts/bench/report_store.py --out "$work/full.sqlite" --judgments 40000 --models 10 --days 6 \
  --suite demo --hostile
rm -rf "$out"
for day in 20 21 22 23 24 25; do
  cp "$work/full.sqlite" "$work/night.sqlite"
  python3 - "$work/night.sqlite" "2025-11-$((day + 1))" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DELETE FROM judgment WHERE created_at >= ?", (sys.argv[2],))
db.commit()
PY
  "$judge" leaderboard --db "$work/night.sqlite" --out "$out" --samples 8 >/dev/null
done
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/chromium" \
  --screenshot="$out/report.png" --window-size=1280,2400 "file://$PWD/$out/report.html" 2>/dev/null
echo "report_sample: wrote $out" >&2
