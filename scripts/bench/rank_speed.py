#!/usr/bin/env python3
"""Speed of `judge rank` against a Python reference, on the same data in one run.

    swift build -c release --product judge
    PY=$(bash scripts/reference/setup.sh)   # the reference venv's python
    $PY scripts/bench/rank_speed.py [--judge .build/release/judge] [--runs 3]

Data: 30 models (log-strengths ~ N(0, 1)), 9,000 battles between random pairs, 10% ties
(a third of them "tie (bothbad)"), seeded. Both sides fit Bradley-Terry with ties as half wins
and the same Gaussian prior (alpha = 0.05), and run 1,000 bootstrap rounds (multinomial
resampling of the battles) for 2.5/97.5 percentile intervals.

- Swift: `judge rank --battles FILE --bootstrap 1000 --format json`, wall and CPU (user + sys)
  time of the whole process (reading the JSONL included), median of --runs runs.
- Python (Chatbot Arena style, as in FastChat's elo_analysis.py: a maximum-likelihood fit per
  bootstrap round): battles deduplicated into (a, b, outcome) counts, each round a numpy
  multinomial redraw of the counts and a scipy.optimize.minimize (L-BFGS-B, analytic gradient)
  fit; single process, like FastChat's loop. Wall and CPU time from the parsed battles.
"""
import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy import optimize

ALPHA = 0.05
ELO = 400 / math.log(10)


def make_battles(path, n_models=30, n_battles=9000, seed=20261125):
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, n_models)
    models = [f"model-{k:02d}" for k in range(n_models)]
    with open(path, "w") as fh:
        for _ in range(n_battles):
            i, j = rng.choice(n_models, 2, replace=False)
            if rng.random() < 0.1:
                winner = "tie (bothbad)" if rng.random() < 1 / 3 else "tie"
            else:
                p = 1 / (1 + math.exp(-(theta[i] - theta[j])))
                winner = "model_a" if rng.random() < p else "model_b"
            fh.write(json.dumps({"model_a": models[i], "model_b": models[j], "winner": winner}) + "\n")


def python_reference(path, rounds=1000, seed=1):
    rows = [json.loads(line) for line in open(path)]
    t0 = time.perf_counter()
    c0 = time.process_time()
    models = sorted({r["model_a"] for r in rows} | {r["model_b"] for r in rows})
    idx = {m: k for k, m in enumerate(models)}
    n = len(models)
    # Deduplicate into (a, b, score of a) groups with counts.
    groups = {}
    for r in rows:
        s = {"model_a": 1.0, "model_b": 0.0}.get(r["winner"], 0.5)
        key = (idx[r["model_a"]], idx[r["model_b"]], s)
        groups[key] = groups.get(key, 0) + 1
    keys = list(groups)
    a = np.array([k[0] for k in keys]); b = np.array([k[1] for k in keys]); y = np.array([k[2] for k in keys])
    counts = np.array([groups[k] for k in keys], dtype=float)
    total = int(counts.sum())

    def fit(c, x0):
        wa, wb = c * y, c * (1 - y)

        def f(v):
            z = v[a] - v[b]
            return np.sum(wa * np.logaddexp(0, -z) + wb * np.logaddexp(0, z)) + ALPHA * np.sum(v * v)

        def g(v):
            z = v[a] - v[b]
            gz = (wa + wb) / (1 + np.exp(-z)) - wa
            out = 2 * ALPHA * v
            np.add.at(out, a, gz)
            np.add.at(out, b, -gz)
            return out

        return optimize.minimize(f, x0, jac=g, method="L-BFGS-B", options={"gtol": 1e-8}).x

    theta = fit(counts, np.zeros(n))
    rng = np.random.default_rng(seed)
    draws = np.empty((rounds, n))
    for r in range(rounds):
        c = rng.multinomial(total, counts / total).astype(float)
        t = fit(c, theta)
        draws[r] = 1000 + ELO * (t - t.mean())
    low, high = np.percentile(draws, [2.5, 97.5], axis=0)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    ratings = 1000 + ELO * (theta - theta.mean())
    return elapsed, cpu, dict(zip(models, ratings)), dict(zip(models, high - low))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--judge", default=".build/release/judge")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "battles.jsonl")
        make_battles(path)
        cmd = [args.judge, "rank", "--battles", path, "--bootstrap", "1000", "--seed", "1", "--format", "json"]
        times, cpus = [], []
        for _ in range(args.runs):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            times.append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        swift_time, swift_cpu = statistics.median(times), statistics.median(cpus)
        swift_rows = {r["model"]: r for r in json.loads(out)}
        py_time, py_cpu, py_ratings, py_widths = python_reference(path)
    gap = max(abs(swift_rows[m]["rating"] - py_ratings[m]) for m in py_ratings)
    width_ratio = statistics.median((swift_rows[m]["ci_high"] - swift_rows[m]["ci_low"]) / py_widths[m] for m in py_widths)
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, cores: {os.cpu_count()}")
    print(f"data: 9000 battles, 30 models, 1000 bootstrap rounds")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine: CPU time is the steadier figure)")
    print(f"swift  `judge rank --battles … --bootstrap 1000` (release, whole process, median of {args.runs}): "
          f"wall {swift_time:.3f} s, CPU {swift_cpu:.3f} s  (wall runs: {', '.join(f'{t:.3f}' for t in times)})")
    print(f"python scipy MLE per bootstrap round (Chatbot Arena style, one process): wall {py_time:.3f} s, CPU {py_cpu:.3f} s")
    print(f"ratio python/swift: wall {py_time / swift_time:.1f}x, CPU {py_cpu / swift_cpu:.1f}x")
    print(f"check: max |rating difference| {gap:.2e} Elo; median CI width ratio swift/python {width_ratio:.3f}")


if __name__ == "__main__":
    sys.exit(main())
