#!/usr/bin/env python3
"""Generation throughput of `judge serve` under concurrent load, against llama-cpp-python on the same model.

    python serve_throughput.py --base-url http://127.0.0.1:PORT/v1 --model-path models/X.gguf \
        [--requests 8] [--concurrency 4] [--max-tokens 32]

Ours: `--requests` greedy chat completions (`--max-tokens` each, distinct prompts) sent `--concurrency` at a
time with the official openai client. Reference: llama-cpp-python's Llama.create_chat_completion on the same
prompts, one after another (it runs one sequence at a time), same context, 2 threads. Prints one JSON line.
"""
import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor

import openai

TOPICS = ["rivers", "volcanoes", "bread", "chess", "bees", "glaciers", "violins", "tides",
          "owls", "copper", "tea", "comets", "maps", "salt", "kites", "moss"]


def prompts(count):
    return [[{"role": "user", "content": f"Write a short paragraph about {TOPICS[i % len(TOPICS)]}."}] for i in range(count)]


def ours(base_url, requests, concurrency, max_tokens):
    client = openai.OpenAI(base_url=base_url, api_key="none", max_retries=0, timeout=600)

    def one(messages):
        reply = client.chat.completions.create(model="local", messages=messages, max_tokens=max_tokens, temperature=0)
        return reply.usage.completion_tokens

    one(prompts(1)[0])  # warm-up: page the weights in
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        tokens = sum(pool.map(one, prompts(requests)))
    return tokens, time.perf_counter() - start


def reference(model_path, requests, max_tokens, context):
    from llama_cpp import Llama
    llm = Llama(model_path=model_path, n_ctx=context, n_threads=2, n_batch=512, verbose=False)
    llm.create_chat_completion(messages=prompts(1)[0], max_tokens=4, temperature=0)
    start = time.perf_counter()
    tokens = 0
    for messages in prompts(requests):
        reply = llm.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0, repeat_penalty=1.0)
        tokens += reply["usage"]["completion_tokens"]
    return tokens, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model-path", required=True)
    parser.add_argument("--requests", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--context", type=int, default=2048)
    args = parser.parse_args()
    our_tokens, our_seconds = ours(args.base_url, args.requests, args.concurrency, args.max_tokens)
    ref_tokens, ref_seconds = reference(args.model_path, args.requests, args.max_tokens, args.context)
    print(json.dumps({
        "requests": args.requests, "concurrency": args.concurrency, "max_tokens": args.max_tokens,
        "judge_tokens": our_tokens, "judge_seconds": round(our_seconds, 2),
        "judge_tokens_per_second": round(our_tokens / our_seconds, 1),
        "llama_cpp_tokens": ref_tokens, "llama_cpp_seconds": round(ref_seconds, 2),
        "llama_cpp_tokens_per_second": round(ref_tokens / ref_seconds, 1),
        "ratio": round((our_tokens / our_seconds) / (ref_tokens / ref_seconds), 3),
    }))


if __name__ == "__main__":
    main()
