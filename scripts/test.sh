#!/usr/bin/env bash
# Runs the whole test suite, optimized (the engine's tests run the real model), after installing what it needs;
# then, with no arguments (CI), the unit tests of LocalInference and Rank again in a debug build.
#
# The optimized build compiles LocalInference and Rank with -Ounchecked (Package.swift), which drops every
# precondition and bounds check, so under the first run no check of theirs is ever tested. The second run,
# in its own build directory (.build-checked), keeps them all on, and with them the debug-only invariant
# checks (`_checkInvariants()`). It leaves out the tests that run the real model, which the first run covers
# and which a debug engine would take minutes over.
#
#   bash scripts/test.sh                       # both configurations (CI)
#   bash scripts/test.sh --filter RankTests    # the optimized run only, with swift test's arguments
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test

# bounded LIMIT COMMAND…: runs COMMAND, and stops it after LIMIT (timeout(1)'s syntax) with a line that says so.
# A hung test must fail the run with its name in the log (the last "started" test case above the line), not
# use up CI's 90 minutes: a test server stopped twice once waited forever and the run timed out.
bounded() {
  local limit=$1 status=0
  shift
  timeout --kill-after=30s "$limit" "$@" || status=$?
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "test.sh: still running after $limit, stopped: a hang (the last test case 'started' above without an end): $*" >&2
  fi
  return "$status"
}

# XCTest only: the suite has no Swift Testing tests, and its empty "0 tests" summary would be the last line.
# Limits: about 3× an idle 2-core machine's build and test time, each.
bounded 45m swift test -c release -Xswiftc -enable-testing --disable-swift-testing "$@"
if [ $# -eq 0 ]; then
  bounded 30m swift test --scratch-path .build-checked --disable-swift-testing \
    --filter '^(LocalInferenceTests|RankTests)\.' \
    --skip 'EvidenceTests|TokenizerReferenceTests|TokenizerVariantsTests|ChatTemplateReferenceTests|GGUFRealModelTests'
fi
# The fuzzers' smoke (FuzzTesting/README.md): each target for JUDGE_FUZZ_SMOKE seconds (default 30; 0 skips it),
# from a separate sanitizer build in .build-fuzz. A crash, trap, leak or hang fails the run.
smoke=${JUDGE_FUZZ_SMOKE:-30}
if [ "$smoke" != 0 ]; then
  bash scripts/fuzz.sh all "$smoke"
fi
