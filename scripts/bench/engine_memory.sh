#!/usr/bin/env bash
# Peak resident memory (max RSS, /usr/bin/time -v) of our engine and llama.cpp generating with a 2,048-token
# context, same model, 2 threads, greedy, 16 new tokens:
#   short: a one-line chat prompt;
#   long:  the first 7,000 characters of the perplexity corpus as a raw prompt (~1,550 tokens, so most of
#          the context's KV cache is written).
# Reference: llama-cpp-python 0.3.36 (Llama(n_ctx=2048, n_threads=2), create_completion); its figure includes
# the Python interpreter and numpy, so the script also prints the RSS of that interpreter with llama_cpp
# imported and no model, to read the difference.
#
#   bash scripts/bench/engine_memory.sh [MODEL] [JUDGE]
set -euo pipefail
MODEL=${1:-models/SmolLM2-135M-Instruct.Q4_1.gguf}
JUDGE=${2:-.build/release/judge}
PY=$(bash "$(dirname "$0")/../reference/setup.sh")
LONG=$(head -c 7000 Tests/LocalInferenceTests/Fixtures/reference/perplexity.txt)

rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}'; }

ours_short=$(JUDGE_THREADS=2 rss "$JUDGE" run --model "$MODEL" --prompt "Write a short poem about the sea." \
    --context 2048 --max-tokens 16 --temperature 0)
ours_long=$(JUDGE_THREADS=2 rss "$JUDGE" run --model "$MODEL" --raw --prompt "$LONG" --context 2048 --max-tokens 16 --temperature 0)
ref() {
    rss "$PY" -c '
import sys, llama_cpp
llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=2048, n_threads=2, n_threads_batch=2, verbose=False)
if sys.argv[2] == "chat":
    llm.create_chat_completion([{"role": "user", "content": sys.argv[3]}], max_tokens=16, temperature=0)
else:
    llm.create_completion(sys.argv[3], max_tokens=16, temperature=0)
' "$MODEL" "$@"
}
ref_short=$(ref chat "Write a short poem about the sea.")
ref_long=$(ref raw "$LONG")
ref_bare=$(rss "$PY" -c 'import llama_cpp, numpy')

echo "$(date -u '+%Y-%m-%d %H:%M UTC'): max RSS in MB, context 2048, $MODEL"
echo "| prompt | ours | llama.cpp (Python process) | ratio | llama.cpp minus bare interpreter ($ref_bare MB) | ratio |"
echo "|---|---:|---:|---:|---:|---:|"
for case in short long; do
    o=ours_$case; r=ref_$case
    awk -v c="$case" -v o="${!o}" -v r="${!r}" -v b="$ref_bare" \
        'BEGIN { printf "| %s | %.1f | %.1f | %.2f× | %.1f | %.2f× |\n", c, o, r, o / r, r - b, o / (r - b) }'
done
