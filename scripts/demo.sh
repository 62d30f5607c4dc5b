#!/usr/bin/env bash
# The README's first command: set up a fresh Debian machine, build judge, and run the demo suite offline.
#
#   bash scripts/demo.sh
#
# Installs what is missing (scripts/bootstrap.sh), builds judge optimized, then runs `judge compare` on
# suites/demo: four SmolLM2-135M-Instruct variants generate their outputs, the embedded local judge
# (SmolLM2 in this process, on a loopback port, logprob verdicts) judges the pairs chosen adaptively
# within the budget below, and the report goes to reports/demo/report.html. Run again, it does nothing
# new (everything is stored in reports/demo/judge.sqlite); DEMO_BUDGET=N judges more.
#
# Its closing lines say what the run can conclude, as it is: the judge's reliability status and the
# held-out check's answer. With the demo's own 135M judge they are "unreliable" and "inconclusive":
# the demo shows the machinery, not which variant is better (README, "What the offline demo can and
# cannot show").
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
# JUDGE_SCRATCH_PATH: build in another directory than .build (e.g. one kept apart from debug builds).
scratch=(${JUDGE_SCRATCH_PATH:+--scratch-path "$JUDGE_SCRATCH_PATH"})
swift build -c release --product judge "${scratch[@]}"
judge="$(swift build -c release --show-bin-path "${scratch[@]}")/judge"

budget="${DEMO_BUDGET:-200}"
start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$judge" compare suites/demo/suite.yaml --pairs adaptive --budget "$budget" \
    --db reports/demo/judge.sqlite --out reports/demo | tee "$log" || status=${PIPESTATUS[0]}
elapsed=$(( $(date +%s) - start ))

case "$status" in
  0) answer="generalizes (exit status 0)" ;;
  3) answer="overfit suspected (exit status 3, as \`judge overfit\`)" ;;
  5) answer="inconclusive (exit status 5, as \`judge overfit\`)" ;;
  *) echo "demo: judge compare failed (exit status $status)" >&2; exit "$status" ;;
esac
echo
echo "demo: done in ${elapsed} s"
# compare's own lines, as it printed them: the judge's status with its main reason, the held-out answer with its reason.
grep -m1 '^judge reliability: ' "$log" | sed 's/^/demo: /' || echo "demo: judge reliability: not measured"
grep -m1 '^held-out check' "$log" | sed 's/^/demo: /' || true
echo "demo: the held-out check's answer: $answer"
echo "demo: open reports/demo/report.html in a browser"
