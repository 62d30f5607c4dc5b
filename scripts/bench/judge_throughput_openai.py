"""The reference side of the judge throughput benchmark: the official `openai` client (AsyncOpenAI).

Same workload as `judge-throughput drive`: `--requests` chat-completions calls, `--concurrency` in flight
(that many worker coroutines pulling from one counter), against the same loopback server. Prints one JSON line.
"""
import argparse
import asyncio
import json
import time

from openai import AsyncOpenAI

PROMPT_REPEAT = "The meeting moved from 3 March 2021 to 14 April 2021, then to the first Monday of May. " * 8
PROMPT = (
    "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants "
    "to the user question displayed below. Choose the assistant that follows the user's instructions and answers "
    "the question better. Avoid position biases; do not let response length or assistant names influence you. "
    "After your explanation output your final verdict strictly in this format: \"[[A]]\" if assistant A is better, "
    "\"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.\n\n"
    "[User Question]\nExtract every date mentioned in the following paragraph and list them in ISO 8601 format.\n"
    + PROMPT_REPEAT + "\n\n"
    "[The Start of Assistant A's Answer]\n2021-03-03, 2021-04-14, 2021-05-03\n[The End of Assistant A's Answer]\n\n"
    "[The Start of Assistant B's Answer]\n2021-03-03, 2021-04-14\n[The End of Assistant B's Answer]"
)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()

    # The client's own HTTP stack and connection pool (up to 1000 connections, 100 kept alive), as users run it.
    client = AsyncOpenAI(base_url=args.url, api_key="bench", max_retries=0, timeout=60)
    remaining = args.requests
    ok = errors = 0
    latency = 0.0

    async def worker() -> None:
        nonlocal remaining, ok, errors, latency
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            try:
                completion = await client.chat.completions.create(
                    model="judge-bench", messages=[{"role": "user", "content": PROMPT}],
                    temperature=0, max_tokens=512, seed=1)
                if "[[A]]" in (completion.choices[0].message.content or ""):
                    ok += 1
                    latency += time.perf_counter() - started
                else:
                    errors += 1
            except Exception as error:  # counted, like the Swift side
                errors += 1
                print(f"openai: {error}", flush=True)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    seconds = time.perf_counter() - started
    await client.close()
    print(json.dumps({"client": "openai-python (AsyncOpenAI)", "requests": args.requests, "ok": ok,
                      "errors": errors, "seconds": round(seconds, 3), "per_second": round(ok / seconds, 1),
                      "mean_latency_ms": round(1000 * latency / max(ok, 1), 1)}))


asyncio.run(main())
