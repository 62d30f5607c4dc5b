#!/usr/bin/env python3
"""Our engine and llama.cpp side by side on the same model and thread count: medians and ratios.

    PY=$(bash scripts/reference/setup.sh)   # the reference venv's python
    $PY scripts/bench/engine_speed.py                # SmolLM2: pp256, tg128, tg128 × 16
    $PY scripts/bench/engine_speed.py --suite 7b     # the random 7B-shaped Q4_0 and Q4_K: tg32, tg16 × 16, pp512
        [--runs 5] [--threads 2] [--judge .build/release/judge] [--tests tg,batch,pp]

Each run starts a fresh process of each engine (`judge bench-model --json -r 1` and
scripts/bench/engine_llamacpp.py -r 1, each warming up once before its measured run), alternating ours and
llama.cpp so that both see the same machine load; the table reports the median of --runs runs.
The batched row compares our aggregate over 16 sequences with llama.cpp's single-sequence generation
(the issue's target) and, in its own column, with llama.cpp's own 16-sequence batch.

Prints the raw runs on stderr and a Markdown table on stdout, headed with the date and the command.
The 7B suite compares one sequence with llama.cpp's (with and without its load-time repacking), 16
sequences with llama.cpp's own 16-sequence batch, and pp512. The header names the CPU (/proc/cpuinfo).
The 7B files come from scripts/bench/mistral7b_random.py (models/random/, git-ignored).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable


def parse():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", choices=["smollm2", "7b"], default="smollm2")
    ap.add_argument("--model", default="models/SmolLM2-135M-Instruct.Q4_1.gguf")
    ap.add_argument("--random-dir", default="models/random")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--judge", default=".build/release/judge")
    ap.add_argument("-p", type=int, default=256)
    ap.add_argument("-n", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--n-7b", type=int, default=32, help="generated tokens per run at 7B scale")
    ap.add_argument("--n-7b-batch", type=int, default=16, help="generated tokens per sequence of the 7B batch")
    ap.add_argument("--p-7b", type=int, default=512, help="prompt tokens of the 7B pp test")
    ap.add_argument("--tests", default="tg,batch,pp", help="7B tests to run (comma-separated: tg, batch, pp)")
    return ap.parse_args()


def run_json(cmd):
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def ours(args, model, p, n, batch):
    return run_json([args.judge, "bench-model", "--model", model, "-p", str(p), "-n", str(n), "--batch", str(batch),
                     "--threads", str(args.threads), "-r", "1", "--json"])


def theirs(args, model, p, n, batch, repack=True):
    return run_json([PY, os.path.join(HERE, "engine_llamacpp.py"), "--model", model, "-p", str(p), "-n", str(n),
                     "--batch", str(batch), "--threads", str(args.threads), "-r", "1"] + ([] if repack else ["--no-repack"]))


def measure(args, label, model, p, n, batch, key, with_theirs=True, without_repack=False):
    """Medians (ours, theirs[, theirs without repacking]) of `key` over --runs alternating runs."""
    a, b, c = [], [], []
    for run in range(args.runs):
        a.append(ours(args, model, p, n, batch)[key])
        if with_theirs:
            b.append(theirs(args, model, p, n, batch)[key])
        if without_repack:
            c.append(theirs(args, model, p, n, batch, repack=False)[key])
        print(f"{label} run {run + 1}/{args.runs}: ours {a[-1]:.2f}" + (f", llama.cpp {b[-1]:.2f}" if b else "")
              + (f", llama.cpp without repack {c[-1]:.2f}" if c else ""), file=sys.stderr, flush=True)
    medians = (statistics.median(a), statistics.median(b) if b else None)
    return medians + ((statistics.median(c),) if without_repack else ())


def cpu():
    """/proc/cpuinfo's model name and its SIMD flags of note."""
    try:
        text = open("/proc/cpuinfo").read()
    except OSError:
        return "unknown"
    fields = {k.strip(): v for k, v in (line.split(":", 1) for line in text.splitlines() if ":" in line)}
    flags = set(fields.get("flags", "").split())
    wanted = ["avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni"]
    return (fields.get("model name", "unknown").strip() + " (" + " ".join(f for f in wanted if f in flags)
            + "; not: " + " ".join(f for f in wanted if f not in flags) + ")")


def main():
    args = parse()
    rows = []
    if args.suite == "smollm2":
        name = os.path.basename(args.model)
        pp, pp_ref = measure(args, f"pp{args.p}", args.model, args.p, 0, 1, "pp_tokens_per_s")
        rows.append((f"{name} pp{args.p}", pp, pp_ref, None))
        tg, tg_ref = measure(args, f"tg{args.n}", args.model, 0, args.n, 1, "tg_tokens_per_s")
        rows.append((f"{name} tg{args.n}", tg, tg_ref, None))
        tgb, tgb_ref = measure(args, f"tg{args.n} x{args.batch}", args.model, 0, args.n, args.batch, "tg_tokens_per_s")
        rows.append((f"{name} tg{args.n}, {args.batch} sequences (aggregate) vs llama.cpp 1 sequence", tgb, tg_ref,
                     tgb_ref))
    else:
        tests = args.tests.split(",")
        for kind in ["Q4_0", "Q4_K"]:
            model = os.path.join(args.random_dir, f"mistral-7b-shape-random.{kind}.gguf")
            if not os.path.exists(model):
                sys.exit(f"error: {model} is missing: run scripts/bench/mistral7b_random.py --type {kind}")
            name = f"Mistral-7B-shaped random {kind}"
            if "tg" in tests:
                tg, tg_ref, tg_mapped = measure(args, f"7B {kind} tg{args.n_7b}", model, 0, args.n_7b, 1,
                                                "tg_tokens_per_s", without_repack=True)
                rows.append((f"{name} tg{args.n_7b}, 1 sequence", tg, tg_ref, None))
                rows.append((f"{name} tg{args.n_7b}, 1 sequence, vs llama.cpp without repacking", tg, tg_mapped, None))
            if "batch" in tests:
                tgb, tgb_ref = measure(args, f"7B {kind} tg{args.n_7b_batch} x{args.batch}", model, 0, args.n_7b_batch,
                                       args.batch, "tg_tokens_per_s")
                rows.append((f"{name} tg{args.n_7b_batch}, {args.batch} sequences (aggregate) vs llama.cpp's own "
                             f"{args.batch}-sequence batch", tgb, tgb_ref, None))
            if "pp" in tests:
                pp, pp_ref = measure(args, f"7B {kind} pp{args.p_7b}", model, args.p_7b, 0, 1, "pp_tokens_per_s")
                rows.append((f"{name} pp{args.p_7b}", pp, pp_ref, None))

    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{date}, {args.threads} threads, median of {args.runs} alternating runs, load average at the end "
          f"{os.getloadavg()[0]:.1f}: `{' '.join(['scripts/bench/engine_speed.py'] + sys.argv[1:])}`\n")
    print(f"CPU: {cpu()}\n")
    print("| test | ours (tokens/s) | llama.cpp (tokens/s) | ratio | llama.cpp batched (tokens/s) |")
    print("|---|---:|---:|---:|---:|")
    for label, a, b, c in rows:
        print(f"| {label} | {a:.1f} | {b:.1f} | {a / b:.2f}× | {'' if c is None else f'{c:.1f}'} |")


if __name__ == "__main__":
    main()
