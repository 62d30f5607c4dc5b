#!/usr/bin/env bash
# Kernel micro-benchmark (see scripts/bench/kernels/main.swift). Compiles the Tensor sources directly with
# the same flags Package.swift gives LocalInference; JUDGE_PORTABLE=1 builds without x86-64-v3.
#   bash scripts/bench/kernels.sh [TYPE]            e.g. Q4_1; JUDGE_POOL=dispatch compares the thread pool
set -euo pipefail
cd "$(dirname "$0")/../.."
flags=(-Ounchecked -wmo)
if [[ "${JUDGE_PORTABLE:-0}" != 1 && "$(uname -m)" == x86_64 ]]; then flags+=(-target-cpu haswell -D JUDGE_X86_V3); fi
out="${TMPDIR:-/tmp}/judge-kernel-bench"
# Every Tensor source but the sgemm path (it needs OpenBLAS and the model).
sources=$(ls Sources/LocalInference/Tensor/*.swift | grep -v 'WeightMatrix+GEMM')
# CPrefetch is header-only: a module map in the scratch directory makes it importable.
mkdir -p "$out.modules"
printf 'module CPrefetch {\n    header "%s"\n    export *\n}\n' "$PWD/Sources/CPrefetch/include/CPrefetch.h" > "$out.modules/module.modulemap"
swiftc "${flags[@]}" -I "$out.modules" -parse-as-library -module-name KernelBench $sources scripts/bench/kernels/main.swift -o "$out"
"$out" "$@"
