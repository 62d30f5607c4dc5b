#!/usr/bin/env python3
"""llama.cpp's side of the engine benchmark: llama-bench's pp and tg tests through llama-cpp-python's C API.

    PY=$(bash scripts/reference/setup.sh)   # the reference venv's python
    $PY scripts/bench/engine_llamacpp.py --model M.gguf [-p 256] [-n 128]
        [--batch N] [--threads 2] [-r 1] [--no-repack]

Prints one JSON object like `judge bench-model --json`:
{"pp_tokens_per_s": ..., "tg_tokens_per_s": ..., "batch": N, "threads": T}

pp: a fresh context (KV cleared) decodes -p random tokens in one batch (n_batch = n_ubatch = p).
tg: a fresh context decodes -n tokens one step at a time, feeding back the greedy token of each sequence;
with --batch N, each step is one llama_batch holding one token of each of N sequences (seq ids 0..N-1)
and the figure is the aggregate over all N. Each test runs once to warm up, then -r times (median).

By default llama.cpp copies Q4_0/Q4_K/… weights into 8-row interleaved layouts at load (CPU_REPACK, e.g.
q4_0_8x8: 3.8 GB for a 7B model); --no-repack keeps them memory-mapped in the file's layout, as ours are.
"""
import argparse
import ctypes
import json
import random
import statistics
import sys
import time

import numpy as np
import llama_cpp as ll


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("-p", type=int, default=256)
    p.add_argument("-n", type=int, default=128)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("-r", type=int, default=1)
    p.add_argument("--no-repack", action="store_true",
                   help="keep the weights in the mapped file's layout: no CPU_REPACK copy (use_extra_bufts off)")
    return p.parse_args()


class Bench:
    def __init__(self, args):
        ll.llama_backend_init()
        self._quiet = ll.llama_log_callback(lambda level, text, data: None)   # kept: C holds the pointer
        ll.llama_log_set(self._quiet, ctypes.c_void_p(0))
        mp = ll.llama_model_default_params()
        if args.no_repack:
            mp.use_extra_bufts = False
        started = time.perf_counter()
        self.model = ll.llama_model_load_from_file(args.model.encode(), mp)
        self.load_s = time.perf_counter() - started
        if not self.model:
            sys.exit(f"error: llama.cpp could not load {args.model}")
        self.vocab = ll.llama_model_get_vocab(self.model)
        self.n_vocab = ll.llama_vocab_n_tokens(self.vocab)
        self.args = args

    def context(self, n_ctx, n_batch, n_seq):
        cp = ll.llama_context_default_params()
        cp.n_ctx = n_ctx
        cp.n_batch = n_batch
        cp.n_ubatch = n_batch
        cp.n_seq_max = n_seq
        cp.n_threads = self.args.threads
        cp.n_threads_batch = self.args.threads
        ctx = ll.llama_init_from_model(self.model, cp)
        if not ctx:
            sys.exit("error: llama.cpp could not make a context")
        return ctx

    def decode(self, ctx, batch, rows):
        batch.n_tokens = rows
        rc = ll.llama_decode(ctx, batch)
        if rc != 0:
            sys.exit(f"error: llama_decode returned {rc}")
        ll.llama_synchronize(ctx)

    def pp(self, ctx, tokens):
        ll.llama_memory_clear(ll.llama_get_memory(ctx), True)
        batch = ll.llama_batch_init(len(tokens), 0, 1)
        for i, t in enumerate(tokens):
            batch.token[i] = t
            batch.pos[i] = i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = i == len(tokens) - 1
        start = time.perf_counter()
        self.decode(ctx, batch, len(tokens))
        elapsed = time.perf_counter() - start
        ll.llama_batch_free(batch)
        return len(tokens) / elapsed

    def tg(self, ctx, starts, steps):
        n = len(starts)
        ll.llama_memory_clear(ll.llama_get_memory(ctx), True)
        batch = ll.llama_batch_init(n, 0, n)
        nxt = list(starts)
        start = time.perf_counter()
        for step in range(steps):
            for s in range(n):
                batch.token[s] = nxt[s]
                batch.pos[s] = step
                batch.n_seq_id[s] = 1
                batch.seq_id[s][0] = s
                batch.logits[s] = True
            self.decode(ctx, batch, n)
            for s in range(n):
                logits = np.ctypeslib.as_array(ll.llama_get_logits_ith(ctx, s), shape=(self.n_vocab,))
                nxt[s] = int(np.argmax(logits))
        elapsed = time.perf_counter() - start
        ll.llama_batch_free(batch)
        return n * steps / elapsed


def median_of(runs, test):
    test()   # warm-up
    return statistics.median(test() for _ in range(runs))


def main():
    args = parse()
    bench = Bench(args)
    rng = random.Random()
    result = {"pp_tokens_per_s": None, "tg_tokens_per_s": None, "batch": args.batch, "threads": args.threads,
              "load_s": bench.load_s}
    if args.p > 0:
        ctx = bench.context(args.p, args.p, 1)
        tokens = [rng.randrange(bench.n_vocab) for _ in range(args.p)]
        result["pp_tokens_per_s"] = median_of(args.r, lambda: bench.pp(ctx, tokens))
        ll.llama_free(ctx)
    if args.n > 0:
        ctx = bench.context((args.n + 1) * args.batch, max(args.batch, 1), args.batch)
        starts = [rng.randrange(bench.n_vocab) for _ in range(args.batch)]
        result["tg_tokens_per_s"] = median_of(args.r, lambda: bench.tg(ctx, starts, args.n))
        ll.llama_free(ctx)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
