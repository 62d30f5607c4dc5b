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
# XCTest only: the suite has no Swift Testing tests, and its empty "0 tests" summary would be the last line.
swift test -c release -Xswiftc -enable-testing --disable-swift-testing "$@"
if [ $# -eq 0 ]; then
  swift test --scratch-path .build-checked --disable-swift-testing \
    --filter '^(LocalInferenceTests|RankTests)\.' \
    --skip 'EvidenceTests|TokenizerReferenceTests|TokenizerVariantsTests|ChatTemplateReferenceTests|GGUFRealModelTests'
fi
# The fuzzers' smoke (FuzzTesting/README.md): each target for JUDGE_FUZZ_SMOKE seconds (default 30; 0 skips it),
# from a separate sanitizer build in .build-fuzz. A crash, trap, leak or hang fails the run.
smoke=${JUDGE_FUZZ_SMOKE:-30}
if [ "$smoke" != 0 ]; then
  bash scripts/fuzz.sh all "$smoke"
fi
