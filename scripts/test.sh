#!/usr/bin/env bash
# Runs the whole test suite, optimized (the engine's tests run the real model), after installing what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test
# XCTest only: the suite has no Swift Testing tests, and its empty "0 tests" summary would be the last line.
swift test -c release -Xswiftc -enable-testing --disable-swift-testing "$@"
# The fuzzers' smoke (FuzzTesting/README.md): each target for JUDGE_FUZZ_SMOKE seconds (default 30; 0 skips it),
# from a separate sanitizer build in .build-fuzz. A crash, trap, leak or hang fails the run.
smoke=${JUDGE_FUZZ_SMOKE:-30}
if [ "$smoke" != 0 ]; then
  bash scripts/fuzz.sh all "$smoke"
fi
