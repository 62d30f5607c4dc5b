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
#   DEMO_JUDGE=qwen bash scripts/demo.sh
#
# judges with Qwen2.5-Coder-1.5B-Instruct Q4_K_M instead (fetched by `scripts/bootstrap.sh --test`), a
# stronger but ~10× slower embedded judge, into reports/demo-qwen (README: "A stronger local judge").
set -euo pipefail
cd "$(dirname "$0")/.."

judge_args=()
out=reports/demo
case "${DEMO_JUDGE:-smollm2}" in
  smollm2) bash scripts/bootstrap.sh ;;
  qwen)
    bash scripts/bootstrap.sh --test
    judge_args=(--judge-path models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf --judge-model qwen2.5-coder-1.5b-instruct)
    out=reports/demo-qwen ;;
  *) echo "demo: DEMO_JUDGE=${DEMO_JUDGE}: expected smollm2 or qwen" >&2; exit 2 ;;
esac
swift build -c release --product judge

budget="${DEMO_BUDGET:-200}"
start=$(date +%s)
status=0
.build/release/judge compare suites/demo/suite.yaml --pairs adaptive --budget "$budget" \
    --db "$out/judge.sqlite" --out "$out" ${judge_args[@]+"${judge_args[@]}"} || status=$?
elapsed=$(( $(date +%s) - start ))

case "$status" in
  0) verdict="the ranking on the development tasks holds on the held-out task" ;;
  3) verdict="the held-out check suspects overfitting (exit status 3, as \`judge overfit\`); see the report" ;;
  5) verdict="the held-out check is inconclusive (exit status 5, as \`judge overfit\`); see the report for why" ;;
  *) echo "demo: judge compare failed (exit status $status)" >&2; exit "$status" ;;
esac
echo
echo "demo: done in ${elapsed} s — $verdict"
echo "demo: open $out/report.html in a browser"
