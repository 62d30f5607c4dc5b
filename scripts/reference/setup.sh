#!/usr/bin/env bash
# Creates the reference venv the fixture and benchmark scripts run with, outside the source tree:
#   bash scripts/reference/setup.sh            # → ${JUDGE_REF_VENV:-$HOME/.cache/judge/refvenv}
# It holds llama-cpp-python 0.3.36 (builds llama.cpp from source for this CPU: about 10 minutes on 2 cores),
# choix and scipy (Bradley-Terry), scikit-learn (agreement statistics), numpy and gguf. Tests never need it.
# Prints the venv's python on stdout, so scripts can do: PY=$(bash scripts/reference/setup.sh).
set -euo pipefail
venv=${JUDGE_REF_VENV:-$HOME/.cache/judge/refvenv}
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" >&2
fi
"$venv/bin/python" -c "import llama_cpp, choix, scipy, sklearn, numpy" 2>/dev/null || {
  echo "setup: installing the reference packages into $venv (llama.cpp builds from source: ~10 min)" >&2
  "$venv/bin/pip" install --quiet --upgrade pip >&2
  "$venv/bin/pip" install --quiet numpy scipy choix scikit-learn gguf openai >&2
  CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$venv/bin/pip" install --quiet llama-cpp-python==0.3.36 >&2
}
echo "$venv/bin/python"
