#!/usr/bin/env bash
# Runs one libFuzzer target for a while: scripts/fuzz.sh TARGET SECONDS [libFuzzer options…]
#
#   TARGET   gguf, suite, items, import, verdict, http, chat, tokenizer, or `all` (each for SECONDS)
#   SECONDS  how long to fuzz (0: only build)
#
# Builds the harness FuzzTesting/judge-fuzz (JUDGE_FUZZ=1: every runtime check on) optimized with
# `-sanitize=fuzzer,address` into .build-fuzz, then fuzzes from the committed seeds FuzzTesting/corpus/TARGET
# plus the inputs found so far (.build-fuzz/corpus/TARGET). A crash, trap, leak, or an input taking more than
# 10 s is a finding: libFuzzer stops and writes it to .build-fuzz/artifacts/; `scripts/fuzz.sh TARGET 0` then
# `JUDGE_FUZZ_TARGET=TARGET .build-fuzz/release/judge-fuzz FILE` replays it. The last line printed per target
# is libFuzzer's summary (executions, seconds). Linux only (libFuzzer ships with the Linux toolchain).
# The tokenizer target reads SmolLM2's tokenizer: JUDGE_FUZZ_MODEL or models/SmolLM2-135M-Instruct.Q4_1.gguf.
# JUDGE_FUZZ_CONFIGURATION=debug builds unoptimized (quicker to build, slower to run: the CI smoke).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
target=$1
seconds=$2
shift 2
targets="gguf suite items import verdict http chat tokenizer"
[ "$target" = all ] && selected=$targets || selected=$target

build=.build-fuzz
configuration=${JUDGE_FUZZ_CONFIGURATION:-release}
JUDGE_FUZZ=1 swift build -c "$configuration" --build-path "$build" --product judge-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing >&2
[ "$seconds" = 0 ] && exit 0

for name in $selected; do
    case " $targets " in *" $name "*) ;; *) echo "unknown target $name (one of: $targets, all)" >&2; exit 2 ;; esac
    mkdir -p "$build/corpus/$name" "$build/artifacts"
    echo "== $name: ${seconds}s" >&2
    # ASan's leak check runs at exit and on each crash; -detect_leaks=1 also checks after inputs that allocate more.
    JUDGE_FUZZ_TARGET=$name ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        "$build/$configuration/judge-fuzz" "$build/corpus/$name" "FuzzTesting/corpus/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$name-" "$@"
done
