#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into FuzzTesting/corpus/TARGET/ (committed; run again to regenerate).

Files named regression-* are findings kept as regression inputs: every fuzz run (the CI smoke too) replays them.

Seeds are small, valid or nearly valid inputs of each format, so the fuzzer starts deep in each parser.
Only the standard library: the GGUF seeds are written by hand after the GGUF v3 layout
(https://github.com/ggml-org/ggml/blob/master/docs/gguf.md).
"""
import json
import os
import struct
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(ROOT)
CORPUS = os.path.join(ROOT, "corpus")


def put(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# MARK: - GGUF

def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf_value(v):
    """(type id, payload) for a Python value: str, bool, int (u32/i32/u64), float, list."""
    if isinstance(v, bool):
        return 7, struct.pack("<?", v)
    if isinstance(v, str):
        return 8, gguf_string(v)
    if isinstance(v, int):
        return (4, struct.pack("<I", v)) if 0 <= v < 2**32 else (11, struct.pack("<q", v))
    if isinstance(v, float):
        return 6, struct.pack("<f", v)
    if isinstance(v, list):
        kind, _ = gguf_value(v[0])
        return 9, struct.pack("<IQ", kind, len(v)) + b"".join(gguf_value(x)[1] for x in v)
    raise TypeError(v)


def gguf(metadata, tensors, alignment=32):
    """tensors: (name, shape, ggml type id, raw bytes)."""
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, value in metadata.items():
        kind, payload = gguf_value(value)
        out += gguf_string(key) + struct.pack("<I", kind) + payload
    offset = 0
    blobs = b""
    for name, shape, kind, raw in tensors:
        out += gguf_string(name) + struct.pack("<I", len(shape)) + b"".join(struct.pack("<Q", d) for d in shape)
        out += struct.pack("<IQ", kind, offset)
        padded = raw + b"\0" * (-len(raw) % alignment)
        blobs += padded
        offset += len(padded)
    out += b"\0" * (-len(out) % alignment)
    return out + blobs


def gguf_seeds():
    f32 = lambda n: struct.pack("<%df" % n, *[0.5 * i for i in range(n)])
    put("gguf", "empty.gguf", gguf({}, []))
    put("gguf", "types.gguf", gguf({
        "general.architecture": "llama", "general.name": "seed", "u32": 7, "i64": -3, "f32": 1.5,
        "flag": True, "list": [1, 2, 3], "names": ["a", "b"],
    }, [("a", [4], 0, f32(4)), ("b", [2, 2], 0, f32(4)), ("q", [32], 2, b"\x00\x3c" + bytes(16))]))
    vocab = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)] + ["▁", "a", "b", "▁a", "ab"]
    tokenizer = {
        "tokenizer.ggml.model": "llama", "tokenizer.ggml.tokens": vocab,
        "tokenizer.ggml.scores": [0.0] * len(vocab), "tokenizer.ggml.token_type": [2, 3, 3] + [6] * 256 + [1] * 5,
        "tokenizer.ggml.bos_token_id": 1, "tokenizer.ggml.eos_token_id": 2,
    }
    llama = {
        "general.architecture": "llama", "llama.context_length": 64, "llama.embedding_length": 8,
        "llama.block_count": 1, "llama.feed_forward_length": 16, "llama.attention.head_count": 2,
        "llama.attention.head_count_kv": 1, "llama.attention.layer_norm_rms_epsilon": 1e-5,
        "tokenizer.chat_template": "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}",
        **tokenizer,
    }
    n = len(vocab)
    put("gguf", "llama-spm.gguf", gguf(llama, [
        ("token_embd.weight", [8, n], 0, f32(8 * n)), ("output_norm.weight", [8], 0, f32(8)),
        ("blk.0.attn_q.weight", [8, 8], 0, f32(64)), ("blk.0.attn_k.weight", [8, 4], 0, f32(32)),
        ("blk.0.attn_v.weight", [8, 4], 0, f32(32)), ("blk.0.attn_output.weight", [8, 8], 0, f32(64)),
        ("blk.0.attn_norm.weight", [8], 0, f32(8)), ("blk.0.ffn_norm.weight", [8], 0, f32(8)),
        ("blk.0.ffn_gate.weight", [8, 16], 0, f32(128)), ("blk.0.ffn_up.weight", [8, 16], 0, f32(128)),
        ("blk.0.ffn_down.weight", [16, 8], 0, f32(128)),
    ]))
    bpe = dict(tokenizer)
    bpe.update({"tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": "smollm",
                "tokenizer.ggml.tokens": ["<|endoftext|>", "a", "b", "Ġ", "ab", "Ġa"],
                "tokenizer.ggml.token_type": [3, 1, 1, 1, 1, 1], "tokenizer.ggml.merges": ["a b", "Ġ a"]})
    del bpe["tokenizer.ggml.scores"]
    put("gguf", "bpe-tokenizer.gguf", gguf({"general.architecture": "llama", **bpe}, []))


# MARK: - Text formats

def text_seeds():
    for name in ["demo/suite.yaml", "example-remote/suite.yaml"]:
        with open(os.path.join(REPO, "suites", name), "rb") as f:
            put("suite", name.replace("/", "-"), f.read())
    put("suite", "inline.yaml", """name: fuzz
description: "quoted: [x]"
tasks:
  - name: t
    items: items.jsonl
    held_out: true
models:
  - {name: a, path: m.gguf, template: chatml, max_tokens: 64, sampling: {temperature: 0.7, seed: 3}}
  - name: b
    url: http://127.0.0.1:1/v1
    model: m
judge:
  url: http://127.0.0.1:8080/v1
  model: judge
  concurrency: 4
  max_tokens: 16
  budget: 100
  prices: {judge: {input: 1.5, output: 2}}
  verdict: logprobs
""")
    put("suite", "anchors.yaml", "a: &x [1, 2]\nb: *x\nc: |\n  block\n  text\nd: >-\n  folded\n")
    for name in ["classification", "extraction"]:
        with open(os.path.join(REPO, "suites", "demo", name + ".jsonl"), "rb") as f:
            put("items", name + ".jsonl", b"".join(f.readlines()[:4]))
    put("items", "crlf.jsonl", b'{"id": "a", "prompt": "x"}\r\n{"id": 2, "prompt": "y", "system": "s", "reference": "r"}\r\n')
    put("items", "escapes.jsonl", '{"id": "\\u00e9", "prompt": "a\\u0000b \\ud83d\\ude00", "extra": [1, {"k": null}]}\n')
    rows = [{"model": "m", "task": "t", "item_id": "a", "output": "answer"},
            {"model": "m", "task": "t", "item_id": "b", "output": "é \u2028 \\n"}]
    put("import", "outputs.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    put("import", "crlf.jsonl", "".join(json.dumps(r) + "\r\n" for r in rows))
    put("import", "bad.jsonl", '{"model": 1}\n\n{"model": "m", "task": "t", "item_id": "a", "output": "x", "x": 2}\n')
    for i, reply in enumerate(["[[A]]", "I think [[B]] is better. Final: [[C]]", "[[A>>B]]", "[[B<A]] then [[A=B]]",
                               "no verdict", "[[", "]]"]):
        for selector in (b"\x00", b"\x01"):
            put("verdict", "reply-%d-%d" % (i, selector[0]), selector + reply.encode())
    completion = {"id": "c", "object": "chat.completion", "model": "j", "choices": [{
        "index": 0, "finish_reason": "length", "message": {"role": "assistant", "content": "A"},
        "logprobs": {"content": [{"token": "A", "logprob": -0.1, "bytes": [65], "top_logprobs": [
            {"token": "A", "logprob": -0.1}, {"token": " B", "logprob": -2.5}, {"token": "tie", "logprob": -4.0}]}]}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11}}
    put("verdict", "completion.json", b"\x02" + json.dumps(completion).encode())
    body = json.dumps({"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "Hi"}],
                       "max_tokens": 8, "temperature": 0.5, "stream": False})
    requests = [
        "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body),
        "POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "GET /v1/models HTTP/1.0\r\n\r\nGET /v1/models/x HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
        "GARBAGE\r\n\r\n",
    ]
    for i, request in enumerate(requests):
        put("http", "request-%d" % i, bytes([7 * i + 3]) + request.encode())
    chats = [body,
             json.dumps({"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "a"}]}],
                         "stream": True, "stream_options": {"include_usage": True}, "logprobs": True,
                         "top_logprobs": 5, "stop": ["\n", "x"], "seed": 7, "n": 1, "top_p": 0.9}),
             '{"messages": [], "max_tokens": 1e400, "temperature": -0}', '[1, 2.5e-3, "\\ud800", null, true]']
    for i, chat in enumerate(chats):
        put("chat", "request-%d.json" % i, chat)
    for i, text in enumerate(["Hello, world!", "  spaces\tand\nnewlines  ", "émoji 😀 中文 <|im_start|>user",
                              "<s></s><unk>", "1234567890 3.14 don't I'll"]):
        put("tokenizer", "text-%d" % i, b"\x00" + text.encode())
    put("tokenizer", "ids", b"\x01" + struct.pack("<8i", 0, 1, 2, 100, 49151, 49152, -1, 2**31 - 1))


if __name__ == "__main__":
    if "--clean" in sys.argv:
        # Everything but the findings kept as regressions (regression-*), which no script can write again.
        for folder, _, names in os.walk(CORPUS):
            for name in names:
                if not name.startswith("regression-"):
                    os.remove(os.path.join(folder, name))
    gguf_seeds()
    text_seeds()
