#!/usr/bin/env python3
"""Drives a `judge serve` instance with the official `openai` Python client and checks every reply.

    .build-venv/bin/python scripts/test-clients/openai_chat_server_check.py --base-url http://127.0.0.1:PORT/v1

Exits 0 when every check passes; otherwise prints one line per failed check to stderr and exits 1.
Used by Tests/ServerTests (which starts the server in-process on a free port); generations stay short.
"""
import argparse
import math
import sys

try:
    import openai
except ImportError:
    sys.stderr.write("the openai package is missing: run `bash scripts/bootstrap.sh --test` (creates .build-venv)\n")
    sys.exit(2)

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args()
    client = openai.OpenAI(base_url=args.base_url, api_key="not-needed", max_retries=0, timeout=300)
    messages = [{"role": "user", "content": "Name a primary color."}]

    # MARK: models
    models = client.models.list()
    ids = [m.id for m in models.data]
    check(len(ids) == 1, f"models.list: expected one model, got {ids}")
    model = ids[0] if ids else "local"
    check(client.models.retrieve(model).id == model, "models.retrieve: wrong id")

    # MARK: plain reply with logprobs
    reply = client.chat.completions.create(model=model, messages=messages, max_tokens=8, temperature=0,
                                           logprobs=True, top_logprobs=3, seed=1)
    choice = reply.choices[0]
    check(reply.object == "chat.completion", f"plain: object {reply.object!r}")
    check(reply.model == model, f"plain: model {reply.model!r} not echoed")
    check(isinstance(choice.message.content, str) and choice.message.content != "", "plain: empty content")
    check(choice.finish_reason in ("stop", "length"), f"plain: finish_reason {choice.finish_reason!r}")
    check(reply.usage.prompt_tokens > 0, "plain: no prompt tokens")
    check(1 <= reply.usage.completion_tokens <= 8, f"plain: completion_tokens {reply.usage.completion_tokens}")
    check(reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens, "plain: total_tokens")
    content = choice.logprobs.content if choice.logprobs else None
    check(content is not None and len(content) >= 1, "plain: no logprobs content")
    for entry in content or []:
        check(entry.logprob <= 0 and math.isfinite(entry.logprob), f"logprob {entry.logprob}")
        check(bytes(entry.bytes).decode("utf-8", "replace") == entry.token, f"bytes {entry.bytes} vs token {entry.token!r}")
        check(len(entry.top_logprobs) == 3, f"top_logprobs has {len(entry.top_logprobs)} entries")
        top = [t.logprob for t in entry.top_logprobs]
        check(top == sorted(top, reverse=True), f"top_logprobs not most likely first: {top}")
        # Greedy: the chosen token is the most likely one.
        check(abs(entry.logprob - top[0]) < 1e-4, f"greedy token logprob {entry.logprob} is not the top {top[0]}")
    joined = "".join(bytes(b for e in content or [] for b in e.bytes).decode("utf-8", "replace"))
    check(joined.startswith(choice.message.content) or choice.finish_reason == "stop",
          f"logprob tokens {joined!r} do not spell the content {choice.message.content!r}")

    # MARK: streaming with usage
    stream = client.chat.completions.create(model=model, messages=messages, max_tokens=8, temperature=0, seed=1,
                                            stream=True, stream_options={"include_usage": True})
    pieces, finish, usage, roles = [], None, None, []
    for chunk in stream:
        check(chunk.object == "chat.completion.chunk", f"stream: object {chunk.object!r}")
        if chunk.usage is not None:
            usage = chunk.usage
        for c in chunk.choices:
            if c.delta.role:
                roles.append(c.delta.role)
            if c.delta.content:
                pieces.append(c.delta.content)
            if c.finish_reason:
                finish = c.finish_reason
    check(roles == ["assistant"], f"stream: roles {roles}")
    check("".join(pieces) == choice.message.content, f"stream text {''.join(pieces)!r} != plain {choice.message.content!r}")
    check(finish == choice.finish_reason, f"stream finish {finish!r} != plain {choice.finish_reason!r}")
    check(usage is not None and usage.completion_tokens == reply.usage.completion_tokens, f"stream usage {usage}")

    # MARK: seed reproducibility when sampling
    def sampled(seed):
        return client.chat.completions.create(model=model, messages=messages, max_tokens=12, temperature=1.0,
                                              seed=seed).choices[0].message.content
    first, again = sampled(1234), sampled(1234)
    check(first == again, f"seed: same seed gave {first!r} then {again!r}")

    # MARK: stop strings
    # Greedy decoding repeats the plain reply until the stop string appears; nothing of it is returned.
    text = choice.message.content
    if len(text) >= 4:
        stop = text[2:4]
        cut = client.chat.completions.create(model=model, messages=messages, max_tokens=8, temperature=0, stop=[stop, "never"])
        expected = text[:text.find(stop)]
        check(cut.choices[0].message.content == expected, f"stop {stop!r}: got {cut.choices[0].message.content!r}, expected {expected!r}")
        check(cut.choices[0].finish_reason == "stop", f"stop: finish_reason {cut.choices[0].finish_reason!r}")
    else:
        check(False, f"the greedy reply {text!r} is too short to test stop strings")

    # MARK: errors
    try:
        client.chat.completions.create(model=model, messages=messages, n=2, max_tokens=4)
        check(False, "n=2 was accepted")
    except openai.BadRequestError as error:
        check(error.status_code == 400, f"n=2: status {error.status_code}")
        body = error.body or {}
        check(body.get("param") == "n" and body.get("type") == "invalid_request_error", f"n=2: error body {body}")
    try:
        client.chat.completions.create(model=model, messages=[{"role": "wizard", "content": "hi"}], max_tokens=4)
        check(False, "unknown role was accepted")
    except openai.BadRequestError as error:
        check("wizard" in str(error), f"unknown role: {error}")

    if failures:
        for failure in failures:
            sys.stderr.write(f"FAIL {failure}\n")
        sys.exit(1)
    print(f"openai client: all checks passed ({model}; greedy reply {choice.message.content!r})")


if __name__ == "__main__":
    main()
